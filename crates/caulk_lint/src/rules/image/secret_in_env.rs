//! IM105: secrets in the image's environment.

use crate::image::{ImageChecker, ImageRule};
use crate::secrets::{credentials, is_placeholder, is_secret_key, mask};

declare_rule! {
    /// ## What it does
    /// Checks the `Env` of the image configuration for secrets:
    /// - a variable named like a secret (`DB_PASSWORD`, `API_SECRET`, `GITHUB_TOKEN`,
    ///   `AWS_SECRET_ACCESS_KEY`, `SECRET_KEY_BASE`) with a literal value;
    /// - a value shaped like a credential whatever its name: AWS access key ids (`AKIA…`),
    ///   GitHub (`ghp_…`, `github_pat_…`), GitLab, Slack (`xox…`), Stripe and npm tokens,
    ///   Google API keys, PEM private keys.
    ///
    /// Not reported: empty values, names that point at a secret rather than hold it
    /// (`DB_PASSWORD_FILE`, `TOKEN_URL`, `AWS_ACCESS_KEY_ID`, `GPG_KEY`), public keys
    /// (`STRIPE_PUBLISHABLE_KEY`), paths, booleans, variable references and obvious
    /// placeholders (`changeme`, `<token>`, `xxxx`). The value is never printed: findings show
    /// at most its first 4 characters.
    ///
    /// ## Why is this bad?
    /// The environment is part of the image configuration: anyone who can pull the image reads
    /// it with `docker inspect`, registries and caches keep it, and every process of every
    /// container inherits it. A secret in an image is a leaked secret; rotate it.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV DB_PASSWORD=s3cr3t-passw0rd
    /// ```
    /// Use instead: pass it at run time (`docker run -e DB_PASSWORD`, an orchestrator secret),
    /// or point at a mounted file:
    /// ```dockerfile
    /// ENV DB_PASSWORD_FILE=/run/secrets/db_password
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0010; Trivy AVD-DS-0031 and its image-config secret scanner
    /// - [Docker docs: build secrets](https://docs.docker.com/build/building/secrets/)
    pub(crate) struct SecretInEnv {
        code: "IM105",
        name: "image-secret-in-env",
        summary: "secret in the image's environment",
        severity: Critical,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0010", "AVD-DS-0031"],
    }
}

const HELP: &str =
    "rotate the secret, remove it from the image, and pass it at run time (environment or a mounted secret file)";

impl ImageRule for SecretInEnv {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let env: Vec<(String, String)> = cx.image.config.env().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        for (key, value) in env {
            let message = if let Some(c) = credentials(&value).first() {
                format!(
                    "Env `{key}` holds what looks like {} (`{}`)",
                    c.kind,
                    mask(value.get(c.start..c.end).unwrap_or(""))
                )
            } else if is_secret_key(&key) && !is_placeholder(&value) {
                format!("Env `{key}` sets a secret (`{}`): anyone who can pull the image can read it", mask(&value))
            } else {
                continue;
            };
            let step = cx
                .steps
                .iter()
                .rev()
                .find(|s| s.text.starts_with("ENV ") && s.text.contains(&format!("{key}=")))
                .map(|s| cx.location_of_step(s))
                .unwrap_or_default();
            cx.report_at(step, message).set_help(HELP);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_secret_names_and_credential_values() {
        let image = debian("13", "trixie")
            .config("Env", json!(["PATH=/usr/bin", "DB_PASSWORD=s3cr3t-passw0rd", "CONFIG=AKIA4JQ7R2LX9KDM3PZT"]))
            .step("ENV DB_PASSWORD=s3cr3t-passw0rd");
        let d = assert_fires(&SecretInEnv, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Env `CONFIG` holds what looks like an AWS access key id (`AKIA…`)",
                "Env `DB_PASSWORD` sets a secret (`s3…`): anyone who can pull the image can read it",
            ]
        );
        let loc = d[1].image.as_deref().expect("location");
        assert_eq!(loc.instruction.as_deref(), Some("ENV DB_PASSWORD=s3…"));
        for diag in &d {
            assert!(!diag.message.contains("passw0rd") && !diag.message.contains("R2LX9"));
        }
    }

    #[test]
    fn quiet_on_references_placeholders_and_empty_values() {
        let env = json!([
            "DB_PASSWORD_FILE=/run/secrets/db",
            "API_TOKEN=",
            "SECRET_KEY=changeme",
            "GITHUB_TOKEN=${GITHUB_TOKEN}",
            "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
            "AWS_ACCESS_KEY_ID=foo",
            "PYTHON_VERSION=3.12.1",
        ]);
        assert_passes(&SecretInEnv, &debian("13", "trixie").config("Env", env));
    }
}
