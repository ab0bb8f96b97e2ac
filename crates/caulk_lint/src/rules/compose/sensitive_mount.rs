//! DC202: a sensitive host directory is bind-mounted into a service.

use caulk_core::Severity;

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::mounts;

/// Host paths whose exposure gives control of, or secrets from, the host.
const SENSITIVE: [&str; 16] = [
    "/",
    "/etc",
    "/root",
    "/proc",
    "/sys",
    "/boot",
    "/dev",
    "/var/lib/docker",
    "/var/lib/kubelet",
    "/var/run",
    "/run",
    "/lib/modules",
    "/usr",
    "/bin",
    "/sbin",
    "/home",
];

declare_rule! {
    /// ## What it does
    /// Reports bind mounts of sensitive host directories: `/`, `/etc`, `/root`, `/home`,
    /// `/proc`, `/sys`, `/dev`, `/boot`, `/usr`, `/bin`, `/sbin`, `/lib/modules`, `/run`,
    /// `/var/run`, `/var/lib/docker`, `/var/lib/kubelet` (and anything below `/etc`, `/root`,
    /// `/proc`, `/sys`, `/boot`). Read-write mounts are reported as high, read-only ones as
    /// medium. Engine sockets are DC201's job.
    ///
    /// ## Why is this bad?
    /// A writable mount of these paths lets the container change the host (add a cron job, an
    /// SSH key, a kernel module, another container); a read-only one still leaks credentials,
    /// keys and the host's layout to whoever compromises the service.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   monitor:
    ///     image: example/monitor:3
    ///     volumes:
    ///       - /:/host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   monitor:
    ///     image: example/monitor:3
    ///     volumes:
    ///       - /var/log/app:/logs:ro
    /// ```
    ///
    /// ## References
    /// - KICS "Volume Has Sensitive Host Directory"; compose-lint CL-0013, CL-0025
    /// - CIS Docker Benchmark 5.5: ensure sensitive host system directories are not mounted on containers
    pub(crate) struct SensitiveMount {
        code: "DC202",
        name: "sensitive-host-path-mounted",
        summary: "sensitive host directory mounted into a service",
        severity: High,
        target: Compose,
        fix: None,
        aliases: ["CL-0013", "CL-0025", "1c1325ff-831d-43a1-973e-839ae57dfcc0"],
    }
}

fn sensitive(path: &str) -> Option<&'static str> {
    let p = path.trim_end_matches('/');
    let p = if p.is_empty() { "/" } else { p };
    if p.ends_with(".sock") {
        return None;
    }
    SENSITIVE.iter().copied().find(|s| {
        p == *s || (["/etc", "/root", "/proc", "/sys", "/boot"].contains(s) && p.starts_with(&format!("{s}/")))
    })
}

impl ComposeRule for SensitiveMount {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            for m in mounts(service) {
                if !m.is_bind() {
                    continue;
                }
                let Some(dir) = sensitive(&m.source) else { continue };
                let (how, sev) =
                    if m.read_only { ("read-only", Severity::Medium) } else { ("read-write", Severity::High) };
                let src = m.source.trim_end_matches('/');
                let inside = if src == dir || src.is_empty() { String::new() } else { format!(", inside `{dir}`") };
                let d = cx.report(
                    m.node,
                    format!("service `{}` mounts host path `{}` ({how}){inside}", service.name, m.source),
                );
                d.severity = sev;
                d.set_help("mount only the specific files the service needs, read-only (`:ro`), or use a named volume");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn read_write_is_worse_than_read_only() {
        let d = assert_fires(
            &SensitiveMount,
            "services:\n  a:\n    volumes: [\"/:/host\", \"/etc/ssl/certs:/certs:ro\"]\n",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].severity, Severity::High);
        assert_eq!(d[1].severity, Severity::Medium);
    }

    #[test]
    fn quiet_on_app_paths_and_sockets() {
        assert_passes(
            &SensitiveMount,
            "services:\n  a:\n    volumes: [./data:/data, /srv/app:/app, /var/run/docker.sock:/s, /etcetera:/x]\n",
        );
    }
}
