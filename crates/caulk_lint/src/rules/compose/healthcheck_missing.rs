//! DC405: no health check, from the compose file or the built image.

use caulk_syntax::compose::Node;

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports services with no `healthcheck:` (or with `disable: true` or `test: ["NONE"]`)
    /// whose built Dockerfile has no `HEALTHCHECK` either. A service built from a Dockerfile
    /// that declares a `HEALTHCHECK` is not reported; a service that only names an `image:` is
    /// reported, since caulk cannot see into the image (add a health check, or suppress the
    /// finding if the image has one).
    ///
    /// ## Why is this bad?
    /// Without a health check Compose only knows whether the process is alive, not whether
    /// it answers: `depends_on: condition: service_healthy` cannot work, and a hung service
    /// keeps receiving traffic and is never restarted.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
    ///       interval: 30s
    ///       timeout: 5s
    ///       retries: 3
    /// ```
    ///
    /// ## References
    /// - KICS "Healthcheck Not Set"
    /// - [Compose file reference: healthcheck](https://docs.docker.com/reference/compose-file/services/#healthcheck)
    pub(crate) struct HealthcheckMissing {
        code: "DC405",
        name: "healthcheck-missing",
        summary: "service has no health check (in compose or its built image)",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["698ed579-b239-4f8f-a388-baa4bcb13ef8"],
    }
}

impl ComposeRule for HealthcheckMissing {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, built) in cx.services() {
            if let Some(hc) = service.entry("healthcheck") {
                let disabled = hc.value.get("disable").is_some_and(Node::is_true)
                    || hc.value.get("test").is_some_and(|t| {
                        t.strings().first().and_then(|n| n.as_str()).is_some_and(|s| s.trim() == "NONE")
                    });
                if disabled {
                    cx.report(&hc.key, format!("service `{}` disables its health check", service.name))
                        .set_help("define a `healthcheck.test` that probes the service");
                }
                continue;
            }
            match built.map(|b| (b, b.healthcheck.as_deref())) {
                Some((_, Some(h))) if h != "NONE" => {}
                Some((b, h)) => {
                    let file = b.dockerfile.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let why = if h.is_some() { "disables it (`HEALTHCHECK NONE`)" } else { "has no HEALTHCHECK" };
                    cx.report_service(
                        service,
                        format!("service `{}` has no health check and its Dockerfile `{file}` {why}", service.name),
                    )
                    .set_help("add `healthcheck:` to the service or `HEALTHCHECK` to the Dockerfile");
                }
                None => {
                    cx.report_service(service, format!("service `{}` has no health check", service.name))
                        .set_help("add `healthcheck:` with a `test` that probes the service (skip if its image already declares one)");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::BuiltImage;
    use crate::compose::test::{assert_fires, assert_passes, run_rule_built};

    #[test]
    fn fires_when_missing_or_disabled() {
        assert_fires(&HealthcheckMissing, "services:\n  a:\n    image: x:1\n");
        assert_fires(&HealthcheckMissing, "services:\n  a:\n    healthcheck: {disable: true}\n");
        assert_fires(&HealthcheckMissing, "services:\n  a:\n    healthcheck: {test: [NONE]}\n");
    }

    #[test]
    fn uses_the_built_dockerfile() {
        let text = "services:\n  a:\n    build: .\n";
        let with = BuiltImage { dockerfile: "Dockerfile".into(), user: None, healthcheck: Some("curl -f x".into()) };
        assert!(run_rule_built(&HealthcheckMissing, text, &[Some(with)]).is_empty());
        let without = BuiltImage { dockerfile: "Dockerfile".into(), user: None, healthcheck: None };
        assert_eq!(run_rule_built(&HealthcheckMissing, text, &[Some(without)]).len(), 1);
    }

    #[test]
    fn quiet_with_a_test() {
        assert_passes(&HealthcheckMissing, "services:\n  a:\n    healthcheck:\n      test: [CMD, true]\n");
    }
}
