//! DC402: no CPU limit.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::limit;

declare_rule! {
    /// ## What it does
    /// Reports services with no CPU limit: none of `cpus`, `cpu_quota` or
    /// `deploy.resources.limits.cpus`. (`cpu_shares` is a relative weight, not a limit.)
    ///
    /// ## Why is this bad?
    /// A busy loop, a crypto miner dropped by an attacker or a request flood in one service
    /// starves every other service on the host, the health checks and the daemon.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:1.0
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:1.0
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           cpus: "1.0"
    /// ```
    ///
    /// ## References
    /// - KICS "Cpus Not Limited"; compose-lint CL-0026
    /// - CIS Docker Benchmark 5.11: ensure that CPU priority is set appropriately on containers
    /// - [Compose deploy specification: resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    pub(crate) struct CpuLimit {
        code: "DC402",
        name: "cpu-limit-missing",
        summary: "service has no CPU limit",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["CL-0026", "6b610c50-99fb-4ef0-a5f3-e312fd945bc3"],
    }
}

impl ComposeRule for CpuLimit {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            if limit(service, &["cpus", "cpu_quota"], "cpus").is_none() {
                cx.report_service(service, format!("service `{}` has no CPU limit", service.name))
                    .set_help("set `deploy.resources.limits.cpus` (or `cpus`), e.g. `\"1.0\"`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_limit_or_with_shares_only() {
        assert_fires(&CpuLimit, "services:\n  a:\n    cpu_shares: 512\n");
        assert_fires(&CpuLimit, "services:\n  a:\n    cpus: 0\n");
    }

    #[test]
    fn quiet_with_either_form() {
        assert_passes(&CpuLimit, "services:\n  a:\n    cpus: 0.5\n");
        assert_passes(&CpuLimit, "services:\n  a:\n    deploy: {resources: {limits: {cpus: '2'}}}\n");
    }
}
