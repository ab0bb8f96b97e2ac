//! DC204: a tmpfs mount re-enables `exec` or `suid`.

use caulk_syntax::compose::Node;

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports `tmpfs` entries whose options turn `exec` or `suid` back on
    /// (`/tmp:rw,exec`). Docker mounts `tmpfs` entries `noexec,nosuid,nodev` by default, so an
    /// entry without options, or with `noexec,nosuid`, is fine.
    ///
    /// ## Why is this bad?
    /// Writable scratch space is where an attacker drops a payload. `noexec` stops it from
    /// being run from there, `nosuid` stops a setuid binary planted there from raising
    /// privileges; re-enabling them gives the foothold a read-only root filesystem took away.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp:rw,exec,size=64m
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp:rw,noexec,nosuid,size=64m
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0022
    /// - [docker run --tmpfs](https://docs.docker.com/engine/storage/tmpfs/)
    pub(crate) struct TmpfsExec {
        code: "DC204",
        name: "tmpfs-exec-allowed",
        summary: "tmpfs mount re-enables `exec` or `suid`",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["CL-0022"],
    }
}

impl ComposeRule for TmpfsExec {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let Some(tmpfs) = service.get("tmpfs") else { continue };
            for n in tmpfs.strings() {
                let Some((path, opts)) = n.as_str().and_then(|s| s.split_once(':')) else { continue };
                let bad: Vec<&str> = opts.split(',').map(str::trim).filter(|o| *o == "exec" || *o == "suid").collect();
                if bad.is_empty() {
                    continue;
                }
                let n: &Node = n;
                cx.report(n, format!("tmpfs `{path}` of service `{}` is mounted with `{}`", service.name, bad.join(",")))
                    .set_help("drop `exec`/`suid` (Docker's default is `noexec,nosuid,nodev`), e.g. `/tmp:rw,noexec,nosuid,size=64m`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_exec_or_suid() {
        assert_fires(&TmpfsExec, "services:\n  a:\n    tmpfs: /tmp:rw,exec\n");
        assert_fires(&TmpfsExec, "services:\n  a:\n    tmpfs: [\"/run:suid,size=1m\"]\n");
    }

    #[test]
    fn quiet_on_defaults_and_noexec() {
        assert_passes(&TmpfsExec, "services:\n  a:\n    tmpfs: [/tmp, \"/run:rw,noexec,nosuid\"]\n");
    }
}
