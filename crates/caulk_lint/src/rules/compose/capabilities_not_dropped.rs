//! DC104: the default capabilities are kept (no `cap_drop: [ALL]`).

use caulk_syntax::compose::Node;

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports services that do not drop all capabilities (`cap_drop: [ALL]`). Privileged
    /// services are left to DC101.
    ///
    /// ## Why is this bad?
    /// Docker keeps 14 capabilities by default (`CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `SETUID`,
    /// `NET_RAW`, `MKNOD`, ...). Most services need none of them; `NET_RAW` allows spoofing
    /// on the container network and the rest make privilege escalation easier. Dropping all
    /// and adding back the few needed is the least-privilege baseline.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE, CHOWN, SETUID, SETGID]
    /// ```
    ///
    /// ## References
    /// - KICS "Container Capabilities Unrestricted"; compose-lint CL-0006
    /// - CIS Docker Benchmark 5.3: ensure that Linux kernel capabilities are restricted within containers
    pub(crate) struct CapabilitiesNotDropped {
        code: "DC104",
        name: "capabilities-not-dropped",
        summary: "service keeps Docker's default capabilities (no `cap_drop: [ALL]`)",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["CL-0006", "ce76b7d0-9e77-464d-b86f-c5c48e03e22d"],
    }
}

impl ComposeRule for CapabilitiesNotDropped {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            if service.get("privileged").is_some_and(Node::is_true) {
                continue;
            }
            let drops_all = service.get("cap_drop").is_some_and(|d| {
                d.strings().iter().any(|n| n.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case("ALL")))
            });
            if drops_all {
                continue;
            }
            let at = service.entry("cap_drop").map_or_else(|| service.key.clone(), |e| e.key.clone());
            cx.report(&at, format!("service `{}` keeps Docker's default capabilities", service.name))
                .set_help("add `cap_drop: [ALL]` and `cap_add` back only what the service needs");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_drop_all() {
        assert_fires(&CapabilitiesNotDropped, "services:\n  a:\n    image: x:1\n");
        assert_fires(&CapabilitiesNotDropped, "services:\n  a:\n    cap_drop: [NET_RAW]\n");
    }

    #[test]
    fn quiet_with_drop_all_or_privileged() {
        assert_passes(&CapabilitiesNotDropped, "services:\n  a:\n    cap_drop: [all]\n");
        assert_passes(&CapabilitiesNotDropped, "services:\n  a:\n    privileged: true\n");
    }
}
