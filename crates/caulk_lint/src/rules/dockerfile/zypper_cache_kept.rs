//! DF318: zypper caches left in the layer.

use caulk_core::TextRange;
use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::packages::{Manager, invocation, invocations, mounts_cache_at, removes_dir};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks that a RUN which installs or updates packages with `zypper` (`install`, `update`,
    /// `patch`, `dist-upgrade`, `refresh`…) also runs `zypper clean` (`zypper cc`, `clean -a`)
    /// or deletes `/var/cache/zypp` after it, or mounts a cache or tmpfs at `/var/cache/zypp`.
    /// Only the stages that end up in the image are checked: a build stage's layers are thrown
    /// away.
    ///
    /// ## Why is this bad?
    /// zypper keeps the repository metadata (and any packages kept by `keeppackages`) in
    /// `/var/cache/zypp`; left in the layer it makes the image tens of megabytes larger for
    /// nothing. Cleaning in a later RUN does not help, since the earlier layer keeps the files.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n install curl=8.6.0
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n install curl=8.6.0 && zypper clean -a
    /// ```
    ///
    /// ## References
    /// - hadolint DL3036
    /// - Trivy AVD-DS-0020
    /// - [zypper(8): clean](https://en.opensuse.org/SDB:Zypper_manual)
    pub(crate) struct ZypperCacheKept {
        code: "DF318",
        name: "zypper-cache-kept",
        summary: "zypper caches left in the layer",
        severity: Low,
        fix: None,
        aliases: ["DL3036", "AVD-DS-0020"],
    }
}

const CACHE: &str = "/var/cache/zypp";

/// Subcommands that download metadata or packages into the cache.
const FILLING: &[&str] = &[
    "install",
    "in",
    "update",
    "up",
    "patch",
    "dist-upgrade",
    "dup",
    "source-install",
    "si",
    "install-new-recommends",
    "inr",
    "refresh",
    "ref",
    "download",
];

impl DockerfileRule for ZypperCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            if !cx.is_shipped(index) || mounts_cache_at(inst, CACHE) {
                continue;
            }
            // one finding per RUN: the last command that fills the cache without a clean after it
            let last = invocations(commands).filter(|i| i.manager == Manager::Zypper && i.is_sub(FILLING)).last();
            let Some(inv) = last else { continue };
            let Some(sub) = inv.subcommand else { continue };
            let start = inv.command.range.start;
            if commands.iter().any(|c| c.range.start > start && cleans(c)) {
                continue;
            }
            cx.report(
                TextRange::cover(inv.program_word.range, sub.range),
                format!("`zypper {}` leaves its cache in the layer", sub.value),
            )
            .set_help("end the same RUN with `&& zypper clean -a`");
        }
    }
}

/// `zypper clean` / `zypper cc`, or `rm -rf /var/cache/zypp`.
fn cleans(cmd: &Command) -> bool {
    removes_dir(cmd, CACHE)
        || invocation(cmd).is_some_and(|inv| inv.manager == Manager::Zypper && inv.is_sub(&["clean", "cc"]))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::ZypperCacheKept;

    #[test]
    fn fires_without_clean() {
        let d = assert_fires(
            &ZypperCacheKept,
            "FROM opensuse/leap:15.6\nRUN zypper -n refresh && zypper -n install curl=8.6.0\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`zypper install`"));
    }

    #[test]
    fn clean_before_install_does_not_count() {
        assert_fires(&ZypperCacheKept, "FROM opensuse/leap:15.6\nRUN zypper clean -a && zypper -n in curl=8.6.0\n");
    }

    #[test]
    fn passes_with_clean_removal_mount_or_build_stage() {
        assert_passes(
            &ZypperCacheKept,
            "FROM opensuse/leap:15.6\nRUN zypper -n in curl=8.6.0 && zypper clean -a\nRUN zypper -n up && zypper cc\n",
        );
        assert_passes(
            &ZypperCacheKept,
            "FROM opensuse/leap:15.6\nRUN zypper -n in git=2.43 && rm -rf /var/cache/zypp/*\n",
        );
        assert_passes(
            &ZypperCacheKept,
            "FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in git=2.43\n",
        );
        assert_passes(
            &ZypperCacheKept,
            "FROM opensuse/leap:15.6 AS build\nRUN zypper -n in gcc=13\nFROM opensuse/leap:15.6\nCOPY --from=build /out /out\n",
        );
    }
}
