//! DC203: the container's root filesystem is writable.

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports services without `read_only: true`.
    ///
    /// ## Why is this bad?
    /// With a writable root filesystem an attacker who gets code execution can drop tools,
    /// replace binaries and persist across process restarts. A read-only root, with `tmpfs`
    /// for the few paths the program writes (`/tmp`, caches, pid files) and volumes for real
    /// data, removes that foothold and makes unexpected writes fail loudly.
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
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp:rw,noexec,nosuid,size=64m
    ///       - /var/cache/nginx:rw,noexec,nosuid,size=64m
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0007
    /// - CIS Docker Benchmark 5.12: ensure that the container's root filesystem is mounted as read only
    /// - [Compose file reference: read_only](https://docs.docker.com/reference/compose-file/services/#read_only)
    pub(crate) struct ReadOnly {
        code: "DC203",
        name: "writable-root-filesystem",
        summary: "service's root filesystem is writable (`read_only` not set)",
        severity: Medium,
        target: Compose,
        fix: None,
        aliases: ["CL-0007"],
    }
}

impl ComposeRule for ReadOnly {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            match service.entry("read_only") {
                Some(e) if e.value.is_true() => {}
                Some(e) => {
                    cx.report(
                        &e.value,
                        format!("service `{}` sets `read_only` to `{}`", service.name, e.value.as_str().unwrap_or("")),
                    )
                    .set_help("set `read_only: true` and mount `tmpfs` for the paths the service writes");
                }
                None => {
                    cx.report_service(service, format!("service `{}` has a writable root filesystem", service.name))
                        .set_help("set `read_only: true` and mount `tmpfs` for the paths the service writes (e.g. `/tmp:rw,noexec,nosuid`)");
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
    fn fires_when_missing_or_false() {
        let d = assert_fires(&ReadOnly, "services:\n  web:\n    image: x:1\n");
        assert_eq!(d[0].range.len(), 3);
        assert_fires(&ReadOnly, "services:\n  web:\n    read_only: false\n");
    }

    #[test]
    fn quiet_when_true() {
        assert_passes(&ReadOnly, "services:\n  web:\n    read_only: true\n");
        assert_passes(&ReadOnly, "services: {}\n");
    }
}
