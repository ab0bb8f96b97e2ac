//! IM104: the image exposes SSH or telnet.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports `ExposedPorts` of the image configuration that are remote-shell ports: SSH (22)
    /// and telnet (23), over TCP.
    ///
    /// ## Why is this bad?
    /// A container is reached with `docker exec` or `kubectl exec`; an exposed login port
    /// means the image runs a login service (or expects one) that attackers can reach and
    /// brute-force, and telnet sends passwords in clear text. `EXPOSE` is also what makes
    /// `docker run -P` publish the port on every host interface.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 22 8000
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8000
    /// ```
    ///
    /// ## References
    /// - Trivy AVD-DS-0004 (port 22 exposed); caulk DF207 for Dockerfiles
    /// - CIS Docker Benchmark 5.7: do not run sshd within containers
    pub(crate) struct ExposedRemoteShellPort {
        code: "IM104",
        name: "image-remote-shell-port",
        summary: "image exposes SSH (22) or telnet (23)",
        severity: High,
        target: Image,
        fix: None,
        aliases: ["AVD-DS-0004"],
    }
}

impl ImageRule for ExposedRemoteShellPort {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let ports: Vec<String> =
            cx.image.config.config.exposed_ports.iter().flatten().map(|(k, _)| k.clone()).collect();
        for key in ports {
            let (port, proto) = key.split_once('/').unwrap_or((key.as_str(), "tcp"));
            let what = match (port.trim(), proto.trim().to_ascii_lowercase().as_str()) {
                ("22", "tcp") => "SSH",
                ("23", "tcp") => "telnet",
                _ => continue,
            };
            cx.report_config(&["EXPOSE"], format!("the image exposes port {key} ({what})")).set_help(
                "remove the port (and the login service behind it); use `docker exec` to get a shell in a container",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_ssh_and_telnet() {
        let image = debian("13", "trixie")
            .config("ExposedPorts", json!({"22/tcp": {}, "23/tcp": {}, "8000/tcp": {}}))
            .step("EXPOSE map[22/tcp:{} 23/tcp:{} 8000/tcp:{}]");
        let d = assert_fires(&ExposedRemoteShellPort, &image);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "the image exposes port 22/tcp (SSH)");
        assert!(d[0].image.as_deref().and_then(|l| l.instruction.as_deref()).is_some_and(|i| i.starts_with("EXPOSE")));
    }

    #[test]
    fn quiet_on_other_ports() {
        let image =
            debian("13", "trixie").config("ExposedPorts", json!({"8000/tcp": {}, "22/udp": {}, "2222/tcp": {}}));
        assert_passes(&ExposedRemoteShellPort, &image);
    }
}
