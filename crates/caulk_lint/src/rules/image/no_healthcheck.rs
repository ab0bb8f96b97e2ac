//! IM102: the image declares no health check.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports images whose configuration has no `Healthcheck`, or one that is disabled
    /// (`HEALTHCHECK NONE`, stored as `["NONE"]`). Root filesystems read from a directory have
    /// no configuration and are not reported.
    ///
    /// ## Why is this bad?
    /// Without a health check Docker and Compose only know whether the process is alive, not
    /// whether it answers: a hung server keeps its traffic and is never restarted, and
    /// `depends_on: condition: service_healthy` cannot work. (Kubernetes ignores `HEALTHCHECK`
    /// and uses its own probes; suppress this rule for images that only run there.)
    ///
    /// ## Example
    /// An image built without `HEALTHCHECK`.
    ///
    /// Use instead:
    /// ```dockerfile
    /// HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    ///   CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0006; Trivy AVD-DS-0026; CIS Docker Benchmark 4.6
    /// - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    pub(crate) struct NoHealthcheck {
        code: "IM102",
        name: "image-no-healthcheck",
        summary: "image declares no health check",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0006", "AVD-DS-0026"],
    }
}

const HELP: &str = "add a `HEALTHCHECK` that probes the service, e.g. `HEALTHCHECK CMD [\"/app/healthcheck\"]`";

impl ImageRule for NoHealthcheck {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        if !cx.has_config() {
            return;
        }
        let test = cx.image.config.config.healthcheck.as_ref().and_then(|h| h.test.as_ref());
        match test.and_then(|t| t.first()).map(|s| s.trim()) {
            Some("NONE") => {
                cx.report_config(&["HEALTHCHECK"], "`HEALTHCHECK NONE` disables health checking for this image")
                    .set_help(HELP);
            }
            Some(_) => {}
            None => {
                cx.report_config(&[], "the image declares no HEALTHCHECK").set_help(HELP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_when_missing_or_disabled() {
        assert_fires(&NoHealthcheck, &debian("13", "trixie"));
        let d = assert_fires(&NoHealthcheck, &debian("13", "trixie").config("Healthcheck", json!({"Test": ["NONE"]})));
        assert!(d[0].message.contains("NONE"));
        assert_fires(&NoHealthcheck, &debian("13", "trixie").config("Healthcheck", json!({"Test": []})));
    }

    #[test]
    fn quiet_with_a_test() {
        let hc = json!({"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "Interval": 30_000_000_000_u64});
        assert_passes(&NoHealthcheck, &debian("13", "trixie").config("Healthcheck", hc));
    }
}
