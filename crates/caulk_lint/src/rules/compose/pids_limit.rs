//! DC403: no limit on the number of processes.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::limit;

declare_rule! {
    /// ## What it does
    /// Reports services with no process limit: neither `pids_limit` (other than `0` or `-1`,
    /// which mean unlimited) nor `deploy.resources.limits.pids`.
    ///
    /// ## Why is this bad?
    /// A fork bomb, or a bug that spawns a process per request, exhausts the host's PID table:
    /// no process anywhere on the host can start until it is killed.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.2
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.2
    ///     pids_limit: 200
    /// ```
    ///
    /// ## References
    /// - KICS "Pids Limit Not Set"
    /// - CIS Docker Benchmark 5.29: ensure that the PIDs cgroup limit is used
    /// - [Compose file reference: pids_limit](https://docs.docker.com/reference/compose-file/services/#pids_limit)
    pub(crate) struct PidsLimit {
        code: "DC403",
        name: "pids-limit-missing",
        summary: "service has no process (PIDs) limit",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["221e0658-cb2a-44e3-b08a-db96a341d6fa"],
    }
}

impl ComposeRule for PidsLimit {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            if limit(service, &["pids_limit"], "pids").is_some() {
                continue;
            }
            match service.entry("pids_limit") {
                Some(e) => cx.report(&e.value, format!("`pids_limit` of service `{}` means no limit", service.name)),
                None => cx.report_service(service, format!("service `{}` has no process limit", service.name)),
            }
            .set_help("set `pids_limit` (or `deploy.resources.limits.pids`), e.g. `200`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_limit_or_unlimited() {
        assert_fires(&PidsLimit, "services:\n  a:\n    image: x:1\n");
        let d = assert_fires(&PidsLimit, "services:\n  a:\n    pids_limit: -1\n");
        assert!(d[0].message.contains("means no limit"));
    }

    #[test]
    fn quiet_with_either_form() {
        assert_passes(&PidsLimit, "services:\n  a:\n    pids_limit: 100\n");
        assert_passes(&PidsLimit, "services:\n  a:\n    deploy: {resources: {limits: {pids: 50}}}\n");
    }
}
