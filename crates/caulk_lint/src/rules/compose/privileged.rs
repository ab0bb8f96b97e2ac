//! DC101: `privileged: true`.

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports services with `privileged: true`.
    ///
    /// ## Why is this bad?
    /// A privileged container gets every capability, every host device and no seccomp,
    /// AppArmor or SELinux confinement: root in it is root on the host (mount the host disk,
    /// load kernel modules). A compromise of the service is a compromise of the machine.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:1.4
    ///     privileged: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:1.4
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_ADMIN]
    /// ```
    ///
    /// ## References
    /// - KICS "Privileged Containers Enabled"; compose-lint CL-0002
    /// - CIS Docker Benchmark 5.4: ensure that privileged containers are not used
    /// - [Compose file reference: privileged](https://docs.docker.com/reference/compose-file/services/#privileged)
    pub(crate) struct Privileged {
        code: "DC101",
        name: "privileged-container",
        summary: "service runs privileged",
        severity: Critical,
        target: Compose,
        fix: None,
        aliases: ["CL-0002", "ae5b6871-7f45-42e0-bb4c-ab300c4d2026"],
    }
}

impl ComposeRule for Privileged {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let Some(v) = service.get("privileged") else { continue };
            if v.is_true() {
                cx.report(v, format!("service `{}` runs privileged: root in it is root on the host", service.name))
                    .set_help("remove `privileged: true`; add only the capabilities (`cap_add`) or `devices` the service needs");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_privileged() {
        let d = assert_fires(&Privileged, "services:\n  a:\n    image: x:1\n    privileged: yes\n");
        assert_eq!(d[0].range.len(), 3);
    }

    #[test]
    fn quiet_when_false_or_quoted_string() {
        assert_passes(&Privileged, "services:\n  a:\n    image: x:1\n    privileged: false\n");
        assert_passes(&Privileged, "services:\n  a:\n    image: x:1\n");
    }
}
