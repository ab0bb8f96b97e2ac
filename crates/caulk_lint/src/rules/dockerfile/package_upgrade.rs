//! DF316: full distribution upgrade in the build.

use caulk_core::TextRange;

use crate::checker::Checker;
use crate::packages::{Manager, invocations};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Reports commands that upgrade every installed package of the base image:
    /// `apt-get upgrade`/`dist-upgrade`/`full-upgrade` (also `apt`, `aptitude
    /// safe-upgrade`), `apk upgrade`, `yum`/`dnf`/`microdnf` `upgrade`/`update`/`distro-sync`
    /// and `zypper update`/`dist-upgrade`. Upgrading *named* packages (`dnf upgrade openssl`,
    /// `apk upgrade libcrypto3`, `apt-get install --only-upgrade openssl`) is targeted and not
    /// reported.
    ///
    /// ## Why is this bad?
    /// The result depends on the day of the build: two builds of the same Dockerfile ship
    /// different package sets, so a regression cannot be traced to a change. The upgraded files
    /// are copied into a new layer on top of the old ones, making the image larger, and
    /// `dist-upgrade` may also remove packages or pull in a new release. The base image
    /// publisher already ships these updates: using (and regularly rebuilding on) a current base
    /// image gets them reproducibly.
    ///
    /// This is a trade-off rather than a defect: if the base image is rarely rebuilt upstream,
    /// upgrading may be the quickest way to get security fixes. Prefer upgrading only the
    /// packages a scanner reports, or suppress this rule with a reason.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get -y dist-upgrade
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12.7
    /// RUN apt-get update && apt-get install -y --only-upgrade openssl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - hadolint DL3005 (retired), DL3035 (`zypper dist-upgrade`)
    /// - Trivy AVD-DS-0024 (deprecated)
    /// - Dockle DKL-DI-0003
    pub(crate) struct PackageUpgrade {
        code: "DF316",
        name: "package-upgrade",
        summary: "full distribution upgrade in the build",
        severity: Low,
        fix: None,
        aliases: ["AVD-DS-0024", "DL3005", "DL3035", "DKL-DI-0003"],
    }
}

impl DockerfileRule for PackageUpgrade {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, _, commands) in cx.runs() {
            for inv in invocations(commands) {
                let Some(sub) = inv.subcommand else { continue };
                let operands = inv.operands();
                let whole_system = match inv.manager {
                    Manager::Apt => {
                        inv.is_sub(&["upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"]) && operands.is_empty()
                    }
                    Manager::Apk => inv.is_sub(&["upgrade"]) && operands.is_empty(),
                    Manager::Yum => {
                        inv.is_sub(&[
                            "upgrade",
                            "update",
                            "up",
                            "update-minimal",
                            "upgrade-minimal",
                            "distro-sync",
                            "distrosync",
                            "dsync",
                        ]) && operands.is_empty()
                    }
                    Manager::Zypper => {
                        inv.is_sub(&["dist-upgrade", "dup"]) || (inv.is_sub(&["update", "up"]) && operands.is_empty())
                    }
                    _ => false,
                };
                if !whole_system {
                    continue;
                }
                let shown = format!("{} {}", inv.program, sub.value);
                let what = if matches!(
                    sub.value.as_str(),
                    "dist-upgrade" | "full-upgrade" | "dup" | "distro-sync" | "distrosync" | "dsync"
                ) {
                    "upgrades (and may remove) every package of the base image"
                } else {
                    "upgrades every package of the base image"
                };
                cx.report(TextRange::cover(inv.program_word.range, sub.range), format!("`{shown}` {what} at build time"))
                    .set_help("build on a current base image instead (rebuild regularly); to patch one package, upgrade it by name");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::PackageUpgrade;

    #[test]
    fn fires_on_whole_system_upgrades() {
        let d = assert_fires(&PackageUpgrade, "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`apt-get dist-upgrade`"));
        assert_fires(&PackageUpgrade, "FROM alpine:3.20\nRUN apk upgrade --no-cache\n");
        assert_fires(&PackageUpgrade, "FROM rockylinux:9\nRUN dnf -y update && dnf clean all\n");
        assert_fires(&PackageUpgrade, "FROM opensuse/leap:15.6\nRUN zypper -n dup\n");
        assert_fires(&PackageUpgrade, "FROM ubuntu:24.04\nRUN apt upgrade -y\n");
    }

    #[test]
    fn passes_on_targeted_upgrades_and_installs() {
        assert_passes(
            &PackageUpgrade,
            "FROM debian:12\nRUN apt-get update && apt-get install -y --only-upgrade openssl && apk upgrade libcrypto3 && dnf upgrade -y openssl \\\n && zypper -n up curl && apk add --upgrade busybox && apt-get update\n",
        );
    }
}
