//! DC105: seccomp, AppArmor or SELinux confinement is turned off.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::security_opts;

declare_rule! {
    /// ## What it does
    /// Reports `security_opt` entries that switch off a kernel confinement layer:
    /// `seccomp:unconfined`, `apparmor:unconfined`, `label:disable` (and their `=` forms).
    ///
    /// ## Why is this bad?
    /// Docker's default seccomp profile blocks about 44 system calls used in container escapes
    /// and kernel exploits (`keyctl`, `unshare`, `mount`, ...); the default AppArmor and
    /// SELinux policies stop writes to `/proc` and `/sys` and access to host files. Without
    /// them a kernel bug or a leaked capability is far easier to turn into a host compromise.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.2
    ///     security_opt:
    ///       - seccomp:unconfined
    /// ```
    /// Use instead (a custom profile if the default blocks something the app needs):
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.2
    ///     security_opt:
    ///       - seccomp:./seccomp/app.json
    /// ```
    ///
    /// ## References
    /// - KICS "Default Seccomp Profile Disabled"; compose-lint CL-0009
    /// - CIS Docker Benchmark 5.1, 5.2, 5.21
    /// - [Seccomp security profiles for Docker](https://docs.docker.com/engine/security/seccomp/)
    pub(crate) struct SecurityProfileDisabled {
        code: "DC105",
        name: "security-profile-disabled",
        summary: "seccomp, AppArmor or SELinux confinement disabled",
        severity: High,
        target: Compose,
        fix: None,
        aliases: ["CL-0009", "404fde2c-bc4b-4371-9747-7054132ac953"],
    }
}

impl ComposeRule for SecurityProfileDisabled {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            for (key, value, node) in security_opts(service) {
                let off = match key.as_str() {
                    "seccomp" | "apparmor" => value == "unconfined",
                    "label" => value == "disable",
                    _ => false,
                };
                if off {
                    cx.report(
                        node,
                        format!("service `{}` runs without its {key} profile (`{key}:{value}`)", service.name),
                    )
                    .set_help(
                        "remove the option, or point it at a custom profile that allows only what the service needs",
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
    fn fires_on_each_layer() {
        let d = assert_fires(
            &SecurityProfileDisabled,
            "services:\n  a:\n    security_opt: [seccomp=unconfined, \"apparmor:unconfined\", label:disable]\n",
        );
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn quiet_on_custom_profiles() {
        assert_passes(
            &SecurityProfileDisabled,
            "services:\n  a:\n    security_opt: [seccomp:./p.json, apparmor:docker-default, label:type:svirt_t]\n",
        );
    }
}
