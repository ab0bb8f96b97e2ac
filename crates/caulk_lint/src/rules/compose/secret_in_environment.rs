//! DC503: a credential is written in plain text in `environment`.

use caulk_syntax::compose::{Node, Service};

use crate::compose::{ComposeChecker, ComposeRule};

/// Key fragments that name a credential.
const SECRET_WORDS: [&str; 10] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
];
/// Key endings that hold a reference or a setting, not the credential.
const NOT_SECRET_SUFFIXES: [&str; 12] = [
    "_FILE",
    "_PATH",
    "_DIR",
    "_USER",
    "_USERNAME",
    "_NAME",
    "_TTL",
    "_EXPIRY",
    "_LENGTH",
    "_TIMEOUT",
    "_ENABLED",
    "_HEADER",
];

declare_rule! {
    /// ## What it does
    /// Reports `environment` entries whose key names a credential (`*PASSWORD*`, `*SECRET*`,
    /// `*TOKEN*`, `*API_KEY*`, `*PRIVATE_KEY*`, `*ACCESS_KEY*`, ...) and whose value is written
    /// in the file, and values that are connection strings with an inline password
    /// (`postgres://app:hunter2@db/app`). Values taken from the environment (`${DB_PASSWORD}`),
    /// empty values, booleans and numbers, and keys ending in `_FILE`, `_PATH`, `_USER`,
    /// `_NAME` are not reported. Files named by `env_file:` are read too, and their
    /// credential keys with literal values reported (as high).
    ///
    /// ## Why is this bad?
    /// The compose file is committed, copied and shared; the secret ends up in the repository
    /// history, in CI logs and in `docker inspect` output for anyone with access to the
    /// daemon. Compose `secrets:` mount the value as a file readable only inside the service.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     environment:
    ///       POSTGRES_PASSWORD: hunter2
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./secrets/db_password.txt
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0020, CL-0021
    /// - [Manage secrets securely in Docker Compose](https://docs.docker.com/compose/how-tos/use-secrets/)
    /// - CWE-798: use of hard-coded credentials
    pub(crate) struct SecretInEnvironment {
        code: "DC503",
        name: "secret-in-environment",
        summary: "credential written in plain text in `environment`",
        severity: Critical,
        target: Compose,
        fix: None,
        aliases: ["CL-0020", "CL-0021"],
    }
}

fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| k.contains(w)) && !NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s))
}

fn trivial(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    v.is_empty()
        || v.parse::<f64>().is_ok()
        || matches!(v.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~")
}

/// `scheme://user:password@host` with a literal password.
fn inline_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else { return false };
    let Some((auth, _)) = rest.split_once('@') else { return false };
    auth.split_once(':').is_some_and(|(_, pw)| !pw.is_empty() && !pw.contains('$'))
}

impl ComposeRule for SecretInEnvironment {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            check_env_files(cx, service);
            let Some(env) = service.get("environment") else { continue };
            let mut found: Vec<(&Node, String, bool)> = Vec::new();
            if let Some(entries) = env.as_map() {
                for e in entries {
                    let (Some(key), Some(_)) = (e.key.as_str(), e.value.as_str()) else { continue };
                    let raw = cx.raw(&e.value);
                    if raw.contains('$') || e.value.is_null() {
                        continue;
                    }
                    let value = e.value.as_str().unwrap_or("");
                    if (secret_key(key) && !trivial(value)) || inline_password(value) {
                        found.push((&e.value, key.to_owned(), inline_password(value)));
                    }
                }
            } else {
                for n in env.strings() {
                    let raw = cx.raw(n);
                    let Some((key, value)) = n.as_str().and_then(|s| s.split_once('=')) else { continue };
                    let raw_value = raw.split_once('=').map_or("", |(_, v)| v);
                    if raw_value.contains('$') {
                        continue;
                    }
                    if (secret_key(key) && !trivial(value)) || inline_password(value) {
                        found.push((n, key.trim().to_owned(), inline_password(value)));
                    }
                }
            }
            for (node, key, url) in found {
                let what = if url { "a connection string with an inline password" } else { "a credential" };
                cx.report(node, format!("`{key}` of service `{}` holds {what} in plain text", service.name))
                    .set_help("move the value to a compose `secret` (and `*_FILE` variable) or pass it from the environment with `${VAR:?}`");
            }
        }
    }
}

/// Reads the `env_file:` entries of `service` and reports credential keys with literal values
/// (as high: env files are usually kept out of the repository, but still end up in
/// `docker inspect`).
fn check_env_files(cx: &mut ComposeChecker<'_>, service: &Service) {
    let Some(env_file) = service.get("env_file") else { return };
    let entries: Vec<&Node> = match env_file.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![env_file],
    };
    for entry in entries {
        let Some(rel) = entry.as_str().or_else(|| entry.get("path").and_then(Node::as_str)) else { continue };
        let Some(dir) = cx.project.file(entry.file).and_then(|f| f.path.parent()) else { continue };
        let path = dir.join(rel);
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if !meta.is_file() || meta.len() > 1024 * 1024 {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let keys: Vec<String> = text
            .lines()
            .filter_map(|line| {
                let line = line.trim();
                let line = line.strip_prefix("export ").unwrap_or(line);
                let (k, v) = line.split_once('=')?;
                let v = v.split(" #").next().unwrap_or(v);
                let k = k.trim();
                let literal = !k.starts_with('#') && !v.contains('$');
                (literal && ((secret_key(k) && !trivial(v)) || inline_password(v))).then(|| k.to_owned())
            })
            .collect();
        if keys.is_empty() {
            continue;
        }
        let list = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let d = cx.report(entry, format!("env file `{rel}` of service `{}` sets {list} in plain text", service.name));
        d.severity = caulk_core::Severity::High;
        d.set_help("keep credentials in compose `secrets:` (files mounted under /run/secrets) rather than environment variables");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_literal_secrets_in_both_forms() {
        let d = assert_fires(
            &SecretInEnvironment,
            "services:\n  a:\n    environment:\n      DB_PASSWORD: hunter2\n      DATABASE_URL: postgres://app:pw@db/app\n",
        );
        assert_eq!(d.len(), 2);
        assert_fires(&SecretInEnvironment, "services:\n  a:\n    environment:\n      - API_KEY=abc123\n");
    }

    #[test]
    fn reads_env_files_next_to_the_compose_file() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let dir = tmp.path();
        let _ = std::fs::write(
            dir.join("db.env"),
            "# db\nPOSTGRES_USER=app\nPOSTGRES_PASSWORD=hunter2\nAPI_TOKEN=${TOKEN}\n",
        );
        let _ = std::fs::write(
            dir.join("compose.yaml"),
            "services:\n  db:\n    image: postgres:16\n    env_file: [db.env, missing.env]\n",
        );
        let only =
            crate::LintSettings { select: vec![crate::RuleSelector::Rule("DC503")], ..crate::LintSettings::default() };
        let out = crate::compose::check_compose(&dir.join("compose.yaml"), &only);
        let d = &out[0].diagnostics;
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("`POSTGRES_PASSWORD`") && !d[0].message.contains("API_TOKEN"));
        assert_eq!(d[0].severity, caulk_core::Severity::High);
    }

    #[test]
    fn quiet_on_references_and_settings() {
        assert_passes(
            &SecretInEnvironment,
            "services:\n  a:\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?}\n      DB_PASSWORD_FILE: /run/secrets/db\n      ALLOW_EMPTY_PASSWORD: \"yes\"\n      TOKEN_TTL: 3600\n      SECRET: \"\"\n      URL: https://example.com/x@y\n",
        );
        assert_passes(
            &SecretInEnvironment,
            "services:\n  a:\n    environment:\n      - API_KEY=${KEY}\n      - SECRET_NAME=app\n",
        );
    }
}
