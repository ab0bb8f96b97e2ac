//! DC102: `security_opt` lacks `no-new-privileges:true`.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::security_opts;

declare_rule! {
    /// ## What it does
    /// Reports services whose `security_opt` does not contain `no-new-privileges:true` (also
    /// accepted: `no-new-privileges=true` and bare `no-new-privileges`).
    ///
    /// ## Why is this bad?
    /// Without it a process in the container can gain privileges through setuid/setgid
    /// binaries or file capabilities (`su`, `sudo`, a planted setuid shell). With it, the kernel
    /// refuses any privilege gain after `execve`, which closes a whole class of escalations at
    /// no cost for almost every service.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     security_opt:
    ///       - no-new-privileges:true
    /// ```
    ///
    /// ## References
    /// - KICS "No New Privileges Not Set"; compose-lint CL-0003
    /// - CIS Docker Benchmark 5.25: restrict the container from acquiring additional privileges
    /// - [docker run --security-opt](https://docs.docker.com/reference/cli/docker/container/run/#security-opt)
    pub(crate) struct NoNewPrivileges {
        code: "DC102",
        name: "no-new-privileges-missing",
        summary: "service does not set `no-new-privileges:true`",
        severity: Medium,
        target: Compose,
        fix: None,
        aliases: ["CL-0003", "27fcc7d6-c49b-46e0-98f1-6c082a6a2750"],
    }
}

impl ComposeRule for NoNewPrivileges {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let opts = security_opts(service);
            if let Some((_, _, node)) = opts.iter().find(|(k, v, _)| k == "no-new-privileges" && v == "false") {
                let node = (*node).clone();
                cx.report(&node, format!("service `{}` explicitly allows new privileges", service.name))
                    .set_help("use `no-new-privileges:true`");
                continue;
            }
            if opts.iter().any(|(k, v, _)| k == "no-new-privileges" && (v.is_empty() || v == "true")) {
                continue;
            }
            let at = service.entry("security_opt").map_or_else(|| service.key.clone(), |e| e.key.clone());
            cx.report(&at, format!("service `{}` does not set `no-new-privileges:true`", service.name)).set_help(
                "add `security_opt: [\"no-new-privileges:true\"]` so setuid binaries cannot raise privileges",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_when_missing_or_false() {
        assert_fires(&NoNewPrivileges, "services:\n  a:\n    image: x:1\n");
        assert_fires(&NoNewPrivileges, "services:\n  a:\n    security_opt: [\"seccomp:default.json\"]\n");
        let d = assert_fires(&NoNewPrivileges, "services:\n  a:\n    security_opt: [no-new-privileges:false]\n");
        assert!(d[0].message.contains("explicitly"));
    }

    #[test]
    fn quiet_with_each_spelling() {
        for opt in ["no-new-privileges:true", "no-new-privileges=true", "no-new-privileges"] {
            assert_passes(&NoNewPrivileges, &format!("services:\n  a:\n    security_opt:\n      - {opt}\n"));
        }
    }

    #[test]
    fn merged_from_anchor() {
        let text =
            "x-sec: &sec\n  security_opt: [no-new-privileges:true]\nservices:\n  a:\n    <<: *sec\n    image: x:1\n";
        assert_passes(&NoNewPrivileges, text);
    }
}
