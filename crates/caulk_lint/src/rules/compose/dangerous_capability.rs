//! DC103: a capability that amounts to host root is added.

use crate::compose::{ComposeChecker, ComposeRule};

/// Capabilities that let a process escape or control the host, with why.
const DANGEROUS: [(&str, &str); 13] = [
    ("ALL", "every capability"),
    ("SYS_ADMIN", "mounts, namespaces and much of what root can do"),
    ("SYS_MODULE", "loading kernel modules"),
    ("SYS_PTRACE", "tracing and injecting code into other processes"),
    ("SYS_RAWIO", "raw I/O on devices and memory"),
    ("SYS_BOOT", "rebooting the host"),
    ("SYS_TIME", "setting the host clock"),
    ("DAC_READ_SEARCH", "reading any file by handle (the `shocker` escape)"),
    ("DAC_OVERRIDE", "bypassing file permissions"),
    ("NET_ADMIN", "reconfiguring the network stack"),
    ("BPF", "loading eBPF programs into the kernel"),
    ("PERFMON", "kernel performance monitoring"),
    ("MAC_ADMIN", "changing the LSM (AppArmor/SELinux) policy"),
];

declare_rule! {
    /// ## What it does
    /// Reports `cap_add` entries that amount to control of the host: `ALL`, `SYS_ADMIN`,
    /// `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`, `SYS_BOOT`, `SYS_TIME`, `DAC_READ_SEARCH`,
    /// `DAC_OVERRIDE`, `NET_ADMIN`, `BPF`, `PERFMON`, `MAC_ADMIN` (with or without the `CAP_`
    /// prefix).
    ///
    /// ## Why is this bad?
    /// Each of these has a known path from the container to the host (mounting the host's
    /// disk with `SYS_ADMIN`, reading host files by handle with `DAC_READ_SEARCH`, injecting
    /// into processes with `SYS_PTRACE` when the PID namespace is shared, loading a kernel
    /// module). They turn a compromised service into a compromised host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:1.2
    ///     cap_add: [SYS_ADMIN]
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:1.2
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - KICS "Container Capabilities Unrestricted"; compose-lint CL-0011, CL-0024
    /// - CIS Docker Benchmark 5.3: ensure that Linux kernel capabilities are restricted within containers
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    pub(crate) struct DangerousCapability {
        code: "DC103",
        name: "dangerous-capability-added",
        summary: "service adds a capability that amounts to host control",
        severity: High,
        target: Compose,
        fix: None,
        aliases: ["CL-0011", "CL-0024", "ce76b7d0-9e77-464d-b86f-c5c48e03e22d"],
    }
}

impl ComposeRule for DangerousCapability {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let Some(caps) = service.get("cap_add") else { continue };
            for n in caps.strings() {
                let cap = n.as_str().unwrap_or("").trim().to_ascii_uppercase();
                let cap = cap.strip_prefix("CAP_").unwrap_or(&cap);
                let Some((name, why)) = DANGEROUS.iter().find(|(c, _)| *c == cap) else { continue };
                cx.report(n, format!("service `{}` adds `{name}`: {why}", service.name)).set_help(
                    "drop it, or replace it with the narrow capability the service needs; start from `cap_drop: [ALL]`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_dangerous_caps_in_any_spelling() {
        let d = assert_fires(&DangerousCapability, "services:\n  a:\n    cap_add: [cap_sys_admin, NET_RAW, ALL]\n");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn quiet_on_narrow_caps() {
        assert_passes(
            &DangerousCapability,
            "services:\n  a:\n    cap_add: [NET_BIND_SERVICE, CHOWN]\n    cap_drop: [SYS_ADMIN]\n",
        );
    }
}
