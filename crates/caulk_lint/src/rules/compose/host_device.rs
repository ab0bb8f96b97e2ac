//! DC206: host devices are passed into a service.

use crate::compose::{ComposeChecker, ComposeRule};

/// Devices that give raw access to host disks, memory or the kernel.
const CRITICAL: [&str; 6] = ["/dev/mem", "/dev/kmem", "/dev/port", "/dev/sd", "/dev/nvme", "/dev/disk"];

declare_rule! {
    /// ## What it does
    /// Reports `devices:` entries. Raw disks and memory (`/dev/sd*`, `/dev/nvme*`,
    /// `/dev/disk/*`, `/dev/mem`, `/dev/kmem`, `/dev/port`) are reported as critical, other
    /// devices (GPUs, serial ports, `/dev/fuse`, `/dev/net/tun`) as medium.
    ///
    /// ## Why is this bad?
    /// A device node is a direct line to a kernel driver on the host: raw disk access reads
    /// and rewrites the host's filesystem under the kernel's feet; other drivers widen the
    /// kernel attack surface reachable from the container.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:2
    ///     devices:
    ///       - /dev/sda:/dev/sda
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:2
    ///     volumes:
    ///       - /srv/data:/data:ro
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0016
    /// - CIS Docker Benchmark 5.18: ensure that host devices are not directly exposed to containers
    pub(crate) struct HostDevice {
        code: "DC206",
        name: "host-device-exposed",
        summary: "host device passed into a service",
        severity: Medium,
        target: Compose,
        fix: None,
        aliases: ["CL-0016"],
    }
}

impl ComposeRule for HostDevice {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let Some(devices) = service.get("devices") else { continue };
            for n in devices.strings() {
                let host = n.as_str().unwrap_or("").split(':').next().unwrap_or("").trim().to_owned();
                let critical = CRITICAL.iter().any(|c| host.starts_with(c));
                let d = cx.report(n, format!("service `{}` gets host device `{host}`", service.name));
                if critical {
                    d.severity = caulk_core::Severity::Critical;
                    d.set_help("raw disk or memory access is host root: mount the data it needs instead");
                } else {
                    d.set_help(
                        "pass only the device the service needs, read-only where possible (`:r`), and document why",
                    );
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
    fn raw_disks_are_critical() {
        let d = assert_fires(&HostDevice, "services:\n  a:\n    devices: [/dev/sda:/dev/sda, /dev/net/tun]\n");
        assert_eq!(d[0].severity, caulk_core::Severity::Critical);
        assert_eq!(d[1].severity, caulk_core::Severity::Medium);
    }

    #[test]
    fn quiet_without_devices() {
        assert_passes(&HostDevice, "services:\n  a:\n    devices: []\n");
    }
}
