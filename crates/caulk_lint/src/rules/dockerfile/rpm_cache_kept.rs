//! DF314: yum/dnf caches left in the layer.

use caulk_core::TextRange;
use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::packages::{Invocation, Manager, YUM_INSTALLING, invocation, invocations, mounts_cache_at, removes_dir};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks that a RUN which installs or upgrades packages with `yum`, `dnf`, `microdnf` or
    /// `tdnf` also runs `yum clean all` / `dnf clean all` / `microdnf clean all` (or deletes
    /// `/var/cache/yum`, `/var/cache/dnf`) after it, or mounts a cache or tmpfs at that
    /// directory. Only the stages that end up in the image are checked: a build stage's layers
    /// are thrown away.
    ///
    /// ## Why is this bad?
    /// The repository metadata (and, with `keepcache`, the downloaded RPMs) stays in the layer:
    /// often a hundred megabytes or more that nothing at run time needs. Cleaning in a later
    /// RUN does not help, since the earlier layer keeps the files.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd-2.4.57
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## References
    /// - hadolint DL3032 (yum), DL3040 (dnf, microdnf)
    /// - Trivy AVD-DS-0015 (yum), AVD-DS-0019 (dnf), AVD-DS-0027 (microdnf)
    /// - [dnf clean](https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command)
    pub(crate) struct RpmCacheKept {
        code: "DF314",
        name: "rpm-cache-kept",
        summary: "yum/dnf caches left in the layer",
        severity: Low,
        fix: None,
        aliases: ["DL3032", "DL3040", "AVD-DS-0015", "AVD-DS-0019", "AVD-DS-0027"],
    }
}

const CACHES: &[&str] = &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/tdnf"];

/// Subcommands besides [`YUM_INSTALLING`] that download metadata into the cache.
const FILLING: &[&str] = &["makecache", "mc"];

impl DockerfileRule for RpmCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            if !cx.is_shipped(index) || CACHES.iter().any(|c| mounts_cache_at(inst, c)) {
                continue;
            }
            // one finding per RUN: the last command that fills the cache, if no clean follows it
            let Some(inv) = invocations(commands).filter(|i| i.manager == Manager::Yum && fills_cache(i)).last() else {
                continue;
            };
            let Some(sub) = inv.subcommand else { continue };
            let start = inv.command.range.start;
            if commands.iter().any(|c| c.range.start > start && cleans(c)) {
                continue;
            }
            let program = inv.program;
            cx.report(
                TextRange::cover(inv.program_word.range, sub.range),
                format!("`{program} {}` leaves its cache in the layer", sub.value),
            )
            .set_help(format!("end the same RUN with `&& {program} clean all`"));
        }
    }
}

fn fills_cache(inv: &Invocation<'_>) -> bool {
    if inv.is_sub(&["group", "groups", "module"]) {
        return inv
            .operands()
            .first()
            .is_some_and(|w| matches!(w.value.as_str(), "install" | "upgrade" | "update" | "enable"));
    }
    inv.is_sub(YUM_INSTALLING) || inv.is_sub(FILLING)
}

/// `yum/dnf/microdnf clean all`, or `rm -rf /var/cache/dnf` (or yum, tdnf, libdnf5).
fn cleans(cmd: &Command) -> bool {
    if CACHES.iter().any(|c| removes_dir(cmd, c)) {
        return true;
    }
    invocation(cmd).is_some_and(|inv| {
        inv.manager == Manager::Yum && inv.is_sub(&["clean"]) && inv.operands().iter().any(|w| w.value == "all")
    })
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::RpmCacheKept;

    #[test]
    fn fires_without_clean() {
        let d = assert_fires(&RpmCacheKept, "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`dnf install`"));
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("dnf clean all")));
    }

    #[test]
    fn fires_for_yum_microdnf_and_clean_before_install() {
        assert_fires(&RpmCacheKept, "FROM centos:7\nRUN yum -y install epel-release-7\n");
        let d = assert_fires(&RpmCacheKept, "FROM centos:7\nRUN yum -y install a-1.0 && yum -y install b-1.0\n");
        assert_eq!(d.len(), 1);
        let d = assert_fires(
            &RpmCacheKept,
            "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf clean all && microdnf install -y jq-1.6\n",
        );
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("microdnf clean all")));
    }

    #[test]
    fn passes_with_clean_removal_mount_or_build_stage() {
        assert_passes(
            &RpmCacheKept,
            "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 && dnf clean all\nRUN yum -y update && yum clean all && rm -rf /var/cache/yum\n",
        );
        assert_passes(&RpmCacheKept, "FROM rockylinux:9\nRUN dnf install -y git-2.43.5 && rm -rf /var/cache/dnf/*\n");
        assert_passes(
            &RpmCacheKept,
            "FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y git-2.43.5\n",
        );
        assert_passes(
            &RpmCacheKept,
            "FROM rockylinux:9 AS build\nRUN dnf install -y gcc-11.4.1\nFROM rockylinux:9\nCOPY --from=build /out /out\n",
        );
        assert_passes(&RpmCacheKept, "FROM rockylinux:9\nRUN dnf remove -y vim-minimal && dnf clean packages\n");
    }
}
