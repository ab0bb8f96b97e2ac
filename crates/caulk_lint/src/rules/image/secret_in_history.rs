//! IM106: secrets recorded in the image history.

use crate::image::{ImageChecker, ImageRule, Step};
use crate::secrets::{credentials, is_placeholder, is_secret_key, mask, url_passwords};

declare_rule! {
    /// ## What it does
    /// Reads every step of the image history (`docker history --no-trunc`) for secrets:
    /// - build arguments baked into a `RUN` step (`RUN |1 NPM_TOKEN=npm_… /bin/sh -c npm ci`),
    ///   which is how `--build-arg` values are recorded, when the argument is named like a
    ///   secret or its value looks like a credential;
    /// - `ARG` defaults and `ENV` values with secret names and literal values (an `ENV` still in
    ///   the final configuration is IM105's; this rule reports those overwritten later, which
    ///   the history keeps);
    /// - URLs with an inline password (`https://user:s3cret@git.example.com/…`);
    /// - credential-shaped tokens anywhere in a step (AWS `AKIA…`, GitHub `ghp_…`, Slack
    ///   `xox…`, PEM private keys).
    ///
    /// Values that are variable references (`$TOKEN`), empty, or placeholders are not
    /// reported, and secrets are masked in the message and the instruction shown.
    ///
    /// ## Why is this bad?
    /// The history is part of the image: whoever can pull it can read every step, including
    /// build arguments that were never meant to ship. Deleting the variable or the file in a
    /// later step does not remove it from the history.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci && rm .npmrc
    /// ```
    /// built with `--build-arg NPM_TOKEN=npm_…`.
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci && rm .npmrc
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0010; Trivy AVD-DS-0031
    /// - [Docker docs: build secrets](https://docs.docker.com/build/building/secrets/)
    pub(crate) struct SecretInHistory {
        code: "IM106",
        name: "image-secret-in-history",
        summary: "secret recorded in the image history",
        severity: Critical,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0010", "AVD-DS-0031"],
    }
}

const HELP: &str = "rotate the secret and rebuild without it: pass build secrets with `RUN --mount=type=secret`, never as build arguments or ENV";

impl ImageRule for SecretInHistory {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let env: Vec<(String, String)> = cx.image.config.env().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        let steps: Vec<Step> = cx.steps.to_vec();
        for step in &steps {
            for message in secrets_in(step, &env) {
                let loc = cx.location_of_step(step);
                cx.report_at(loc, message).set_help(HELP);
            }
        }
    }
}

/// The secrets one step records, as messages (values masked).
fn secrets_in(step: &Step, env: &[(String, String)]) -> Vec<String> {
    let text = step.created_by.as_str();
    let mut out = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    // `|N K=V … /bin/sh -c …`: the build arguments a RUN step saw
    let body = text.trim_start();
    let body = body.strip_prefix("RUN ").map_or(body, str::trim_start);
    let offset = text.len() - body.len();
    if let Some(rest) = body.strip_prefix('|') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let count: usize = digits.parse().unwrap_or(0);
        let mut at = offset + 1 + digits.len();
        for word in text.get(at..).unwrap_or("").split_whitespace().take(count) {
            let start = text.get(at..).and_then(|t| t.find(word)).map_or(at, |p| at + p);
            at = start + word.len();
            let Some((key, value)) = word.split_once('=') else { continue };
            let shaped = credentials(value).first().map(|c| c.kind);
            if shaped.is_some() || (is_secret_key(key) && !is_placeholder(value)) {
                covered.push((start, at));
                let what = shaped.map(|k| format!(", which looks like {k}")).unwrap_or_default();
                out.push(format!("build argument `{key}` (`{}`{what}) is recorded in the image history", mask(value)));
            }
        }
    }
    // ARG and ENV steps with literal secret values
    let instruction = step.text.as_str();
    for keyword in ["ARG ", "ENV "] {
        let Some(pairs) = instruction.strip_prefix(keyword) else { continue };
        for word in pairs.split_whitespace() {
            let Some((key, value)) = word.split_once('=') else { continue };
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            if !is_secret_key(key) || is_placeholder(value) {
                continue;
            }
            if keyword == "ENV " && env.iter().any(|(k, v)| k == key && v == value) {
                continue; // still in the configuration: IM105
            }
            if let Some(p) = text.find(word) {
                covered.push((p, p + word.len()));
            }
            let kind = if keyword == "ARG " { "ARG default" } else { "ENV value, overwritten later," };
            out.push(format!("{kind} `{key}` (`{}`) is recorded in the image history", mask(value)));
        }
    }
    let inside = |s: usize, e: usize| covered.iter().any(|&(a, b)| a <= s && e <= b);
    for (s, e) in url_passwords(text) {
        if !inside(s, e) {
            out.push(format!(
                "a URL with an inline password (`{}`) is recorded in the image history",
                mask(text.get(s..e).unwrap_or(""))
            ));
        }
    }
    for c in credentials(text) {
        if !inside(c.start, c.end) {
            out.push(format!(
                "{} (`{}`) is recorded in the image history",
                c.kind,
                mask(text.get(c.start..c.end).unwrap_or(""))
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_build_args_arg_env_urls_and_tokens() {
        let image = debian("13", "trixie")
            .layer(
                "RUN |2 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789ab NODE_ENV=production /bin/sh -c npm ci # buildkit",
                |l| l.dir("/app").file("/app/package.json", "{}"),
            )
            .step("ARG API_SECRET=hunter2-but-longer")
            .step("ENV DB_PASSWORD=first-password-123")
            .layer("RUN /bin/sh -c git clone https://bot:s3cr3tpassword@git.example.com/x.git /src # buildkit", |l| l.dir("/src"))
            .step("/bin/sh -c #(nop)  LABEL key=ghp_abcdefghijklmnopqrstuvwxyz0123456789")
            .config("Env", json!(["DB_PASSWORD="]));
        let d = assert_fires(&SecretInHistory, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 5, "{messages:#?}");
        assert!(
            messages.contains(
                &"build argument `NPM_TOKEN` (`npm_…`, which looks like an npm token) is recorded in the image history"
            ),
            "{messages:#?}"
        );
        assert!(
            messages.contains(&"ARG default `API_SECRET` (`hunt…`) is recorded in the image history"),
            "{messages:#?}"
        );
        assert!(messages.iter().any(|m| m.starts_with("ENV value, overwritten later, `DB_PASSWORD`")), "{messages:#?}");
        assert!(
            messages.contains(&"a URL with an inline password (`s3…`) is recorded in the image history"),
            "{messages:#?}"
        );
        assert!(messages.contains(&"a GitHub token (`ghp_…`) is recorded in the image history"), "{messages:#?}");
        for diag in &d {
            let loc = diag.image.as_deref().expect("location");
            let shown = loc.instruction.as_deref().unwrap_or("");
            for secret in ["abcdefghijklmnop", "hunter2", "first-password", "s3cr3tpassword"] {
                assert!(!shown.contains(secret) && !diag.message.contains(secret), "{shown} / {}", diag.message);
            }
        }
        let npm = d.iter().find(|x| x.message.contains("NPM_TOKEN")).and_then(|x| x.image.as_deref()).expect("npm");
        assert_eq!(npm.layer, Some(1));
        assert_eq!(npm.base_layer, Some(false));
    }

    #[test]
    fn quiet_on_references_and_ordinary_steps() {
        let image = debian("13", "trixie")
            .layer(
                "RUN |1 VERSION=1.2.3 /bin/sh -c curl -fsSL https://example.com/x-$VERSION.tgz | tar xz # buildkit",
                |l| l.dir("/x"),
            )
            .step("ARG NPM_TOKEN")
            .step("ENV DB_PASSWORD_FILE=/run/secrets/db")
            .layer("RUN /bin/sh -c git clone https://$GIT_USER:$GIT_TOKEN@git.example.com/x.git # buildkit", |l| {
                l.dir("/y")
            })
            .step("ENV API_KEY=s3cr3t-but-still-set")
            .config("Env", json!(["API_KEY=s3cr3t-but-still-set"]));
        assert_passes(&SecretInHistory, &image);
    }
}
