//! DC401: no memory limit.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::limit;

declare_rule! {
    /// ## What it does
    /// Reports services with no memory limit: neither `mem_limit` nor
    /// `deploy.resources.limits.memory`.
    ///
    /// ## Why is this bad?
    /// One leaking or attacked service can take all the host's memory, and the kernel's OOM
    /// killer then picks victims among every container and the daemon itself. A limit confines
    /// the damage to the service that misbehaves.
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
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    /// ```
    ///
    /// ## References
    /// - KICS "Memory Not Limited"; compose-lint CL-0026
    /// - CIS Docker Benchmark 5.10: ensure that the memory usage for containers is limited
    /// - [Compose deploy specification: resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    pub(crate) struct MemoryLimit {
        code: "DC401",
        name: "memory-limit-missing",
        summary: "service has no memory limit",
        severity: Medium,
        target: Compose,
        fix: None,
        aliases: ["CL-0026", "bb9ac4f7-e13b-423d-a010-c74a1bfbe492"],
    }
}

impl ComposeRule for MemoryLimit {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            if limit(service, &["mem_limit"], "memory").is_none() {
                cx.report_service(service, format!("service `{}` has no memory limit", service.name))
                    .set_help("set `deploy.resources.limits.memory` (or `mem_limit`), e.g. `512M`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_limit() {
        assert_fires(
            &MemoryLimit,
            "services:\n  a:\n    image: x:1\n    deploy:\n      resources:\n        reservations:\n          memory: 1G\n",
        );
    }

    #[test]
    fn quiet_with_either_form() {
        assert_passes(&MemoryLimit, "services:\n  a:\n    mem_limit: 512m\n");
        assert_passes(
            &MemoryLimit,
            "services:\n  a:\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n",
        );
    }
}
