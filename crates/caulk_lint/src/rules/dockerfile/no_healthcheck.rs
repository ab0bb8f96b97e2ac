//! DF401: shipped image without a HEALTHCHECK.

use caulk_syntax::dockerfile::Keyword;

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks that the final image has a `HEALTHCHECK`, in its own stage or in a stage it is
    /// built `FROM`. Only images that define how they run are checked: the shipped stages set
    /// `CMD`, `ENTRYPOINT` or `EXPOSE`; a stage without any of them is a base for other images,
    /// which can add the check themselves. `HEALTHCHECK NONE` is an explicit opt-out and is
    /// respected. A HEALTHCHECK in the base image itself cannot be seen and is not assumed.
    ///
    /// ## Why is this bad?
    /// Without a health check Docker (and Compose, Swarm, ECS) only knows whether the process
    /// is alive, not whether it serves: a deadlocked or misconfigured service keeps receiving
    /// traffic and is never restarted. Kubernetes ignores `HEALTHCHECK` and uses its own probes;
    /// if that is your only runtime, use `HEALTHCHECK NONE` or ignore this rule.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    ///   CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:5000/health')"]
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## References
    /// - Trivy DS-0026 (AVD-DS-0026); Checkov CKV_DOCKER_2; hadolint DL3057 (off by default);
    ///   Dockle CIS-DI-0006; KICS "Healthcheck Instruction Missing"
    /// - CIS Docker Benchmark 4.6: add HEALTHCHECK instruction to the container image
    /// - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    pub(crate) struct NoHealthcheck {
        code: "DF401",
        name: "no-healthcheck",
        summary: "shipped image without a HEALTHCHECK",
        severity: Medium,
        fix: None,
        aliases: ["AVD-DS-0026", "CKV_DOCKER_2", "DL3057", "CIS-DI-0006"],
    }
}

impl DockerfileRule for NoHealthcheck {
    fn check(&self, cx: &mut Checker<'_>) {
        let (Some(fc), Some(fin)) = (cx.final_context(), cx.model.final_stage()) else { return };
        if fc.healthcheck.is_some() {
            return;
        }
        let runs_something = fc.cmd.is_some()
            || fc.entrypoint.is_some()
            || cx.shipped_instructions().any(|(_, inst)| inst.keyword == Keyword::Expose);
        if !runs_something {
            return;
        }
        let base = fin.base_text.trim().to_owned();
        cx.report(fin.base_range, format!("the final image (`FROM {base}`) has no HEALTHCHECK"))
            .set_help("add `HEALTHCHECK CMD <probe>` that checks the service answers (e.g. `HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1`), or `HEALTHCHECK NONE` to opt out explicitly");
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::NoHealthcheck;

    #[test]
    fn fires_on_services_without_healthcheck() {
        let text = "FROM ubuntu:18.04\nUSER root\nCMD [\"sh\", \"-c\", \"python3 app.py\"]\n";
        let d = assert_fires(&NoHealthcheck, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "ubuntu:18.04");
        assert!(d[0].message.contains("`FROM ubuntu:18.04`"));
        assert_fires(&NoHealthcheck, "FROM nginx:1.27\nEXPOSE 80\n");
        // a HEALTHCHECK in a build stage does not reach the final image
        assert_fires(&NoHealthcheck, "FROM debian:12 AS build\nHEALTHCHECK CMD true\nFROM debian:12\nCMD [\"app\"]\n");
    }

    #[test]
    fn passes_with_healthcheck_inherited_none_or_no_command() {
        assert_passes(
            &NoHealthcheck,
            "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"python\", \"app.py\"]\n",
        );
        assert_passes(
            &NoHealthcheck,
            "FROM python:3.12 AS base\nHEALTHCHECK CMD [\"/health\"]\nFROM base\nCMD [\"python\", \"app.py\"]\n",
        );
        assert_passes(&NoHealthcheck, "FROM python:3.12\nHEALTHCHECK NONE\nCMD [\"python\", \"app.py\"]\n");
        assert_passes(&NoHealthcheck, "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n");
    }
}
