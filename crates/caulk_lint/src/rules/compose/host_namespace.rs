//! DC106: a host namespace (network, PID, IPC, UTS, user) is shared.

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports `network_mode: host`, `pid: host`, `ipc: host`, `uts: host` and
    /// `userns_mode: host`.
    ///
    /// ## Why is this bad?
    /// Each removes one wall between the container and the host. With the host network the
    /// service can reach every port bound to localhost on the host (metadata services, admin
    /// APIs, the daemon) and bypasses Docker's network isolation; with the host PID namespace
    /// it sees and can signal (or, with `SYS_PTRACE`, inject into) every host process; host
    /// IPC exposes shared memory; `userns_mode: host` undoes user-namespace remapping.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.2
    ///     network_mode: host
    ///     pid: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.2
    ///     ports: ["127.0.0.1:8080:8080"]
    /// ```
    ///
    /// ## References
    /// - KICS "Shared Host Network Namespace", "Host Namespace is Shared", "Shared Host IPC
    ///   Namespace", "Shared Host User Namespace"; compose-lint CL-0008, CL-0010
    /// - CIS Docker Benchmark 5.9, 5.16, 5.17, 5.21, 5.31
    pub(crate) struct HostNamespace {
        code: "DC106",
        name: "host-namespace-shared",
        summary: "service shares a host namespace (network, PID, IPC, UTS or user)",
        severity: High,
        target: Compose,
        fix: None,
        aliases: ["CL-0008", "CL-0010", "071a71ff-f868-47a4-ac0b-3c59e4ab5443", "baa3890f-bed7-46f5-ab8f-1da8fc91c729", "4f31dd9f-2cc3-4751-9b53-67e4af83dac0", "8af7162d-6c98-482f-868e-0d33fb675ca8"],
    }
}

impl ComposeRule for HostNamespace {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            for (key, what) in
                [("network_mode", "network"), ("pid", "PID"), ("ipc", "IPC"), ("uts", "UTS"), ("userns_mode", "user")]
            {
                let Some(v) = service.get(key) else { continue };
                if v.as_str().is_some_and(|s| s.trim() == "host") {
                    cx.report(
                        v,
                        format!("service `{}` shares the host's {what} namespace (`{key}: host`)", service.name),
                    )
                    .set_help("remove it; publish ports or use a shared named network or `service:` namespace instead");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_per_namespace() {
        let d = assert_fires(&HostNamespace, "services:\n  a:\n    network_mode: host\n    pid: host\n    ipc: host\n");
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn quiet_on_service_and_private_modes() {
        assert_passes(
            &HostNamespace,
            "services:\n  a:\n    network_mode: \"service:vpn\"\n    pid: \"service:b\"\n    ipc: private\n",
        );
    }
}
