//! DF504: secret in ENV or ARG.

use caulk_syntax::dockerfile::{Body, KeyValue, Keyword, expand_word};

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::secrets::{self, is_secret_key};

declare_rule! {
    /// ## What it does
    /// Checks `ENV` and `ARG` instructions for secrets:
    /// - a key that names a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`,
    ///   `SECRET_KEY_BASE`, `apiKey`) with a literal value;
    /// - a build argument named like a secret, even without a default (`ARG NPM_TOKEN`), in the
    ///   stages that make up the image;
    /// - a value that looks like a real credential whatever the key (also in `LABEL`): AWS
    ///   access key ids, GitHub, GitLab, Slack, Stripe and npm tokens, Google API keys, PEM
    ///   private keys.
    ///
    /// Keys that name something about a secret rather than the secret are not reported
    /// (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `AWS_ACCESS_KEY_ID`, `PASSWORD_MIN_LENGTH`),
    /// nor public keys (`STRIPE_PUBLISHABLE_KEY`), nor values that only reference other variables,
    /// are empty, booleans, or absolute paths (`/run/secrets/db`). Messages never print the value:
    /// it is masked.
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image configuration: anyone who can pull the image reads
    /// them with `docker inspect`, and every process of the container inherits them. Build
    /// argument values are recorded in the image history (`docker history --no-trunc`) for each
    /// `RUN` that sees them, and in build provenance. A secret written in the Dockerfile is also
    /// in version control and in every build cache.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// ENV DB_PASSWORD=s3cr3t-passw0rd
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// # the password comes from the runtime environment or an orchestrator secret
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    /// ```
    ///
    /// ## References
    /// - hadolint DL3064, Trivy AVD-DS-0031 (BuildKit check `SecretsUsedInArgOrEnv`, Dockle
    ///   CIS-DI-0010 on images)
    /// - [Build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [BuildKit check SecretsUsedInArgOrEnv](https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
    pub(crate) struct SecretInEnv {
        code: "DF504",
        name: "secret-in-env",
        summary: "secret in ENV or ARG",
        severity: Critical,
        fix: None,
        aliases: ["DL3064", "AVD-DS-0031"],
    }
}

const HELP: &str = "pass secrets to the build with `RUN --mount=type=secret,id=…` and to the container at run time (environment, orchestrator secrets), never through ENV or ARG";

impl DockerfileRule for SecretInEnv {
    fn check(&self, cx: &mut Checker<'_>) {
        let escape = cx.df.escape;
        for (i, inst) in cx.instructions() {
            let Body::Pairs(pairs) = &inst.body else { continue };
            let kw = inst.keyword;
            if !matches!(kw, Keyword::Env | Keyword::Arg | Keyword::Label) {
                continue;
            }
            let shipped = cx.is_shipped(i);
            for kv in pairs {
                let key = kv.key.value.as_str();
                let Some(literal) = literal_value(kv, escape) else {
                    // no value, or one that only comes from other variables
                    if kw == Keyword::Arg && kv.value.is_none() && shipped && is_secret_key(key) {
                        cx.report(kv.range, format!("build argument `{key}` looks like a secret: build argument values are recorded in the image history and provenance"))
                            .set_help(HELP);
                    }
                    continue;
                };
                if let Some(kind) = credential_kind(&literal) {
                    let name = kw.as_str();
                    cx.report(kv.range, format!("{name} `{key}` holds what looks like {kind} (`{}`)", mask(&literal)))
                        .set_help(HELP);
                    continue;
                }
                if kw == Keyword::Label || !is_secret_key(key) || !looks_like_secret_value(&literal) {
                    continue;
                }
                let message = if kw == Keyword::Env {
                    format!("ENV `{key}` sets a secret (`{}`): it is stored in the image configuration", mask(&literal))
                } else {
                    format!(
                        "ARG `{key}` has a secret default (`{}`): it is recorded in the image history",
                        mask(&literal)
                    )
                };
                cx.report(kv.range, message).set_help(HELP);
            }
        }
    }
}

/// The value with quotes removed, when it is a literal: `None` for a missing value or one that
/// depends on other variables.
fn literal_value(kv: &KeyValue, escape: char) -> Option<String> {
    let raw = &kv.value.as_ref()?.value;
    let empty = expand_word(raw, escape, &|_| Some(String::new()));
    let filled = expand_word(raw, escape, &|_| Some("\u{1}".to_owned()));
    (empty.value == filled.value).then_some(empty.value)
}

/// Values that cannot be a secret: empty, booleans and nulls, absolute paths.
fn looks_like_secret_value(v: &str) -> bool {
    let t = v.trim();
    !t.is_empty()
        && !matches!(
            t.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "none" | "null" | "nil"
        )
        && !t.starts_with('/')
}

/// What kind of credential a value looks like, whatever its key: the first token shape of
/// [`secrets::TOKENS`] that starts a word of the value, a PEM private key, or an AWS key id.
fn credential_kind(v: &str) -> Option<&'static str> {
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a PEM private key");
    }
    let first_body = |prefix: &str| secrets::words_after(v, prefix).first().map(|&(_, n)| n);
    for &(prefix, min, kind) in secrets::TOKENS {
        if first_body(prefix).is_some_and(|n| n >= min) {
            return Some(kind);
        }
    }
    for prefix in ["AKIA", "ASIA"] {
        if first_body(prefix) == Some(16) && aws_key_id_at(v, prefix) {
            return Some("an AWS access key id");
        }
    }
    None
}

/// Shows at most a few leading characters of a secret, as DF504 always has; image findings use
/// the stricter [`secrets::mask`].
fn mask(v: &str) -> String {
    let n = v.chars().count();
    let keep = match n {
        0..=5 => 0,
        6..=11 => 2,
        _ => 4,
    };
    let head: String = v.chars().take(keep).collect();
    format!("{head}…")
}

/// AWS access key ids are 16 uppercase letters or digits after the prefix.
fn aws_key_id_at(v: &str, prefix: &str) -> bool {
    v.find(prefix)
        .and_then(|p| v.get(p + prefix.len()..p + prefix.len() + 16))
        .is_some_and(|b| b.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{SecretInEnv, credential_kind, is_secret_key, mask};
    use crate::secrets::components;

    #[test]
    fn fires_on_secret_keys_with_literal_values() {
        let text = "FROM node:22\nENV DB_PASSWORD=s3cr3t-passw0rd APP=x\nARG SECRET_KEY_BASE=abcdef123456\n";
        let d = assert_fires(&SecretInEnv, text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("ENV `DB_PASSWORD`") && d[0].message.contains("`s3cr…`"), "{}", d[0].message);
        assert!(!d[0].message.contains("s3cr3t-passw0rd"));
        assert!(d[1].message.contains("ARG `SECRET_KEY_BASE`"), "{}", d[1].message);
    }

    #[test]
    fn fires_on_valueless_build_arg_in_shipped_stage_only() {
        let d = assert_fires(&SecretInEnv, "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n");
        assert!(d[0].message.contains("build argument `NPM_TOKEN`"), "{}", d[0].message);
        assert_passes(
            &SecretInEnv,
            "FROM node:22 AS build\nARG NPM_TOKEN\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\n",
        );
        assert_passes(&SecretInEnv, "ARG GITHUB_TOKEN\nFROM node:22\n");
    }

    #[test]
    fn fires_on_credential_values_whatever_the_key() {
        let d = assert_fires(
            &SecretInEnv,
            "FROM alpine\nENV CONFIG=AKIAIOSFODNN7EXAMPLE\nLABEL x=\"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("an AWS access key id") && d[0].message.contains("`AKIA…`"), "{}", d[0].message);
        assert!(d[1].message.starts_with("LABEL `x` holds what looks like a GitHub token"), "{}", d[1].message);
    }

    #[test]
    fn passes_on_references_paths_placeholders_of_other_things() {
        assert_passes(
            &SecretInEnv,
            "FROM alpine\nENV PASSWORD_FILE=/run/secrets/db TOKEN_URL=https://x/token SECRET_NAME=prod\n\
             ENV AWS_ACCESS_KEY_ID=foo GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n\
             ENV DB_PASSWORD=$DB_PASSWORD NODE_AUTH_TOKEN=${NPM_TOKEN} API_TOKEN=\"\" REQUIRE_PASSWORD=true\n\
             ENV STRIPE_PUBLISHABLE_KEY=pk_live_x NEXT_PUBLIC_API_KEY=abc PASSWORD_MIN_LENGTH=12 PWD=/app\n",
        );
    }

    #[test]
    fn key_classification() {
        for k in [
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "dbPassword",
            "apiKey",
            "APIKey",
            "api-key",
            "SMTP_PASS",
            "MYSQL_PWD",
            "TOKEN",
            "CLIENT_SECRET",
            "DB_PASSWORD_2",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "PASSWORD_FILE",
            "TOKEN_URL",
            "SECRET_NAME",
            "AWS_ACCESS_KEY_ID",
            "GPG_KEY",
            "PASS_THROUGH",
            "PUBLIC_KEY",
            "PWD",
            "KEY",
            "TOKEN_EXPIRY",
            "PATH",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
        assert_eq!(components("myAPIKey2x"), ["MY", "API", "KEY2X"]);
    }

    #[test]
    fn credentials_and_masks() {
        assert_eq!(credential_kind("-----BEGIN OPENSSH PRIVATE KEY-----\nabc"), Some("a PEM private key"));
        assert_eq!(credential_kind("xoxb-123456789012-abc"), Some("a Slack token"));
        assert_eq!(credential_kind("https://ghp_short"), None);
        assert_eq!(credential_kind("XAKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(mask("abc"), "…");
        assert_eq!(mask("changeme"), "ch…");
    }
}
