//! IM209: private keys and credential files.

use crate::image::{ImageChecker, ImageRule};
use crate::secrets::{is_placeholder, is_secret_key};

declare_rule! {
    /// ## What it does
    /// Reads the files that hold credentials and reports those that do, one finding per file:
    /// - private keys: `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519`, and `*.pem` / `*.key`
    ///   files that contain a `PRIVATE KEY` block (certificates and public keys alone do not
    ///   count);
    /// - `.aws/credentials` with an `aws_secret_access_key`;
    /// - `.npmrc` with an `_authToken`, `_auth` or `_password`;
    /// - `.pypirc` with a `password`, `.netrc` with a `password`, `.git-credentials` with a
    ///   `user:token@` URL, `.pgpass` with a password field, `.docker/config.json` with an
    ///   `auth` or `identitytoken`;
    /// - `.env` files with a secret-named variable set to a literal value.
    ///
    /// Files under `test`, `tests`, `testdata`, `fixtures` and `__tests__` directories (test
    /// keys shipped by libraries) are not reported, nor values that are variable references or
    /// placeholders. Secret values are never printed.
    ///
    /// ## Why is this bad?
    /// Everyone who can pull the image gets the file. A key or token in an image is leaked the
    /// moment the image is pushed, and deleting it in a later layer does not help: the layer
    /// that added it still holds it.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY . /app            # the build context holds .env and .npmrc
    /// COPY id_rsa /root/.ssh/id_rsa
    /// ```
    /// Use instead: a `.dockerignore` that excludes them, and build secrets:
    /// ```dockerfile
    /// RUN --mount=type=ssh git clone git@github.com:org/private.git
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0010; Trivy secret scanning
    /// - [Docker docs: build secrets and SSH mounts](https://docs.docker.com/build/building/secrets/)
    pub(crate) struct CredentialFile {
        code: "IM209",
        name: "image-credential-file",
        summary: "private key or credential file in the image",
        severity: Critical,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0010"],
    }
}

const TEST_DIRS: &[&str] = &["test", "tests", "testdata", "fixtures", "__tests__", "testing"];

impl ImageRule for CredentialFile {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let mut found: Vec<(String, String)> = Vec::new();
        for (path, node) in cx.image.fs.iter() {
            let Some(content) = node.content.as_deref() else { continue };
            let parts: Vec<&str> = path.split('/').collect();
            if parts.iter().any(|p| TEST_DIRS.contains(p)) {
                continue;
            }
            let text = String::from_utf8_lossy(content);
            if let Some(what) = credential_in(path, &text) {
                found.push((path.to_owned(), what));
            }
        }
        for (path, what) in found {
            cx.report_path(&path, format!("`{path}` holds {what}")).set_help(
                "revoke the credential, keep the file out of the build context (`.dockerignore`) and use `RUN --mount=type=secret` or `--mount=type=ssh`",
            );
        }
    }
}

/// What credential the file at `path` holds, if any.
fn credential_in(path: &str, text: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parent = path.rsplit('/').nth(1).unwrap_or("");
    let has_private_key = text.contains("PRIVATE KEY-----") && text.contains("-----BEGIN");
    match name {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => {
            (has_private_key || !text.trim().is_empty()).then(|| "an SSH private key".to_owned())
        }
        n if n.ends_with(".pem") || n.ends_with(".key") => has_private_key.then(|| "a private key".to_owned()),
        "credentials" if parent == ".aws" => assignments(text, '=')
            .any(|(k, v)| k.eq_ignore_ascii_case("aws_secret_access_key") && !is_placeholder(v))
            .then(|| "an AWS secret access key".to_owned()),
        ".npmrc" => text
            .lines()
            .filter_map(|l| l.split_once('='))
            .any(|(k, v)| {
                let k = k.trim();
                (k.ends_with("_authToken") || k.ends_with("_auth") || k.ends_with("_password")) && !is_placeholder(v)
            })
            .then(|| "an npm registry token".to_owned()),
        ".pypirc" => assignments(text, '=')
            .chain(assignments(text, ':'))
            .any(|(k, v)| k == "password" && !is_placeholder(v))
            .then(|| "a package index password".to_owned()),
        ".netrc" => {
            let words: Vec<&str> = text.split_whitespace().collect();
            words
                .windows(2)
                .any(|w| w.first() == Some(&"password") && w.get(1).is_some_and(|v| !is_placeholder(v)))
                .then(|| "a .netrc login password".to_owned())
        }
        ".git-credentials" => text
            .lines()
            .any(|l| !crate::secrets::url_passwords(l).is_empty())
            .then(|| "a git credential (URL with a token)".to_owned()),
        ".pgpass" => text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .any(|l| l.splitn(5, ':').nth(4).is_some_and(|p| !is_placeholder(p)))
            .then(|| "a PostgreSQL password".to_owned()),
        "config.json" if parent == ".docker" => {
            let doc: serde_json::Value = serde_json::from_str(text).ok()?;
            let auths = doc.get("auths")?.as_object()?;
            auths
                .values()
                .any(|a| {
                    ["auth", "identitytoken", "password"]
                        .iter()
                        .any(|k| a.get(*k).and_then(|v| v.as_str()).is_some_and(|v| !v.is_empty()))
                })
                .then(|| "a registry login (docker config auth)".to_owned())
        }
        ".env" => {
            let keys: Vec<&str> = assignments(text, '=')
                .filter(|(k, v)| is_secret_key(k.trim_start_matches("export ").trim()) && !is_placeholder(v))
                .map(|(k, _)| k.trim_start_matches("export ").trim())
                .collect();
            (!keys.is_empty()).then(|| {
                let shown: Vec<String> = keys.iter().take(5).map(|k| format!("`{k}`")).collect();
                format!("secrets in an env file ({})", shown.join(", "))
            })
        }
        _ => None,
    }
}

/// `key <sep> value` lines, trimmed, comments skipped.
fn assignments(text: &str, sep: char) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter(|l| !l.trim_start().starts_with(['#', ';'])).filter_map(move |l| {
        let (k, v) = l.split_once(sep)?;
        Some((k.trim(), v.trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----\n";

    #[test]
    fn fires_on_keys_and_credentials() {
        let image = debian("13", "trixie").layer("COPY . /", |l| {
            l.dir("/root/.ssh")
                .file("/root/.ssh/id_rsa", KEY)
                .file("/app/server.pem", format!("{CERT}{KEY}"))
                .file("/root/.aws/credentials", "[default]\naws_access_key_id = AKIA4JQ7R2LX9KDM3PZT\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9d8Xk2\n")
                .file("/app/.npmrc", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n")
                .file("/app/.env", "DEBUG=1\nexport DB_PASSWORD=hunter2-secret\n")
                .file("/root/.docker/config.json", "{\"auths\":{\"ghcr.io\":{\"auth\":\"dXNlcjp0b2tlbg==\"}}}")
        });
        let d = assert_fires(&CredentialFile, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`/app/.env` holds secrets in an env file (`DB_PASSWORD`)",
                "`/app/.npmrc` holds an npm registry token",
                "`/app/server.pem` holds a private key",
                "`/root/.aws/credentials` holds an AWS secret access key",
                "`/root/.docker/config.json` holds a registry login (docker config auth)",
                "`/root/.ssh/id_rsa` holds an SSH private key",
            ]
        );
        assert!(d.iter().all(|d| !d.message.contains("hunter2")));
    }

    #[test]
    fn quiet_on_certificates_references_and_test_keys() {
        let image = debian("13", "trixie").layer("COPY . /", |l| {
            l.file("/etc/ssl/certs/ca.pem", CERT)
                .file("/app/tls.key", "")
                .file("/usr/lib/python3/dist-packages/x/tests/keycert.pem", KEY)
                .file("/app/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")
                .file("/app/.env", "DB_PASSWORD_FILE=/run/secrets/db\nAPI_KEY=changeme\n")
                .file("/root/.aws/credentials", "[default]\nregion = eu-west-1\n")
        });
        assert_passes(&CredentialFile, &image);
    }
}
