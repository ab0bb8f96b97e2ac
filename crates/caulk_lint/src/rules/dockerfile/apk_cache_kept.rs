//! DF313: apk add without --no-cache.

use caulk_core::{Fix, TextRange};

use crate::checker::Checker;
use crate::packages::{Manager, expansion_may_supply, insert_flag_after, installs, mounts_cache_at, removes_dir};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `apk add` in the stages that end up in the image for `--no-cache`. Also accepted:
    /// removing `/var/cache/apk/*` later in the same RUN, or a
    /// `--mount=type=cache,target=/var/cache/apk` (or `/etc/apk/cache`) on the RUN, or an
    /// argument from a variable that holds `--no-cache` or whose value caulk cannot know. Build
    /// stages whose files are not shipped are not checked.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, apk stores the repository indexes (`APKINDEX.*.tar.gz`, a few
    /// megabytes) in `/var/cache/apk`, and they stay in the layer: a bigger image that carries
    /// a stale copy of the package index.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk update && apk add curl~8.9
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl~8.9
    /// ```
    ///
    /// ## Fix
    /// Adds `--no-cache` after `add`. The fix is safe: `--no-cache` fetches fresh indexes
    /// itself, so it also replaces an `apk update` or `--update` before it.
    ///
    /// ## References
    /// - hadolint DL3019
    /// - Trivy AVD-DS-0025
    /// - Dockle DKL-DI-0004
    /// - [Alpine Docker image: `--no-cache`](https://github.com/alpinelinux/docker-alpine#usage)
    pub(crate) struct ApkCacheKept {
        code: "DF313",
        name: "apk-cache-kept",
        summary: "apk add without --no-cache",
        severity: Low,
        fix: Always,
        aliases: ["DL3019", "AVD-DS-0025", "DKL-DI-0004"],
    }
}

impl DockerfileRule for ApkCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            if !cx.is_shipped(index)
                || mounts_cache_at(inst, "/var/cache/apk")
                || mounts_cache_at(inst, "/etc/apk/cache")
            {
                continue;
            }
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Apk) {
                if install.has_flag(&["--no-cache"])
                    || expansion_may_supply(cx, index, install.command, &["--no-cache"])
                {
                    continue;
                }
                let start = install.command.range.start;
                if commands.iter().any(|c| c.range.start > start && removes_dir(c, "/var/cache/apk")) {
                    continue;
                }
                let Some(program) = install.command.program_word() else { continue };
                let edit = insert_flag_after(cx, inst, install.subcommand, "--no-cache");
                let d = cx
                    .report(
                        TextRange::cover(program.range, install.subcommand.range),
                        "`apk add` keeps the package index in `/var/cache/apk`",
                    )
                    .set_help("use `apk add --no-cache …` (it also makes a separate `apk update` unnecessary)");
                if let Some(edit) = edit {
                    d.set_fix(Fix::safe("Add `--no-cache`", vec![edit]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::diagnostic::apply_edits;

    use crate::test::{assert_fires, assert_passes};

    use super::ApkCacheKept;

    #[test]
    fn fires_and_fixes() {
        let text = "FROM alpine:3.20\nRUN apk update && apk add curl\n";
        let d = assert_fires(&ApkCacheKept, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`apk add`"));
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(
            apply_edits(text, &fix.edits).as_deref(),
            Some("FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n")
        );
    }

    #[test]
    fn fires_with_update_flag_and_in_exec_form() {
        assert_fires(&ApkCacheKept, "FROM alpine:3.20\nRUN apk --update add curl\n");
        let text = "FROM alpine:3.20\nRUN [\"apk\", \"add\", \"curl\"]\n";
        let d = assert_fires(&ApkCacheKept, text);
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(
            apply_edits(text, &fix.edits).as_deref(),
            Some("FROM alpine:3.20\nRUN [\"apk\", \"add\", \"--no-cache\", \"curl\"]\n")
        );
    }

    #[test]
    fn passes_with_no_cache_removal_mount_or_build_stage() {
        assert_passes(&ApkCacheKept, "FROM alpine:3.20\nRUN apk add --no-cache curl && apk --no-cache add git\n");
        assert_passes(&ApkCacheKept, "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n");
        assert_passes(&ApkCacheKept, "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n");
        assert_passes(
            &ApkCacheKept,
            "FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM alpine:3.20\nCOPY --from=build /out /out\n",
        );
    }
}
