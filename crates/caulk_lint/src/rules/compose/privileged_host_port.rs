//! DC302: a privileged host port (below 1024) other than 80/443 is published.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::ports;

declare_rule! {
    /// ## What it does
    /// Reports published host ports below 1024 other than 80 and 443 (which web front ends
    /// are expected to take).
    ///
    /// ## Why is this bad?
    /// Ports below 1024 are reserved for system services (SSH 22, SMTP 25, DNS 53, ...).
    /// Publishing a container there can shadow or hijack a host service, and usually means a
    /// service is exposed that should sit behind a proxy on a high port.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   git:
    ///     image: gitea/gitea:1.22
    ///     ports: ["22:22"]
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   git:
    ///     image: gitea/gitea:1.22
    ///     ports: ["2222:22"]
    /// ```
    ///
    /// ## References
    /// - KICS "Privileged Ports Mapped In Container"
    /// - CIS Docker Benchmark 5.8: ensure that privileged ports are not mapped within containers
    pub(crate) struct PrivilegedHostPort {
        code: "DC302",
        name: "privileged-host-port",
        summary: "host port below 1024 (other than 80/443) published",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["bc2908f3-f73c-40a9-8793-c1b7d5544f79"],
    }
}

impl ComposeRule for PrivilegedHostPort {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            for p in ports(service) {
                let Some(host) = p.host_port else { continue };
                if host == 0 || host >= 1024 || host == 80 || host == 443 {
                    continue;
                }
                cx.report(p.node, format!("service `{}` publishes privileged host port {host}", service.name))
                    .set_help("publish on a port of 1024 or above, or behind a reverse proxy");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_below_1024() {
        assert_fires(&PrivilegedHostPort, "services:\n  a:\n    ports: [\"22:22\"]\n");
        assert_fires(
            &PrivilegedHostPort,
            "services:\n  a:\n    ports: [{target: 53, published: \"53\", protocol: udp}]\n",
        );
    }

    #[test]
    fn quiet_on_web_and_high_ports() {
        assert_passes(
            &PrivilegedHostPort,
            "services:\n  a:\n    ports: [\"80:8080\", \"443:8443\", \"2222:22\", \"22\"]\n",
        );
    }
}
