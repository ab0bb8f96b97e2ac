//! DF312: apt lists left in the layer.

use caulk_core::{Edit, Fix, TextRange};
use caulk_syntax::dockerfile::{Body, CommandLine, Instruction};
use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::packages::{Manager, invocation, invocations, later_in_descendants, mounts_cache_at, removes_dir};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks that a RUN which downloads the package lists (`apt-get update`, `apt update`) also
    /// deletes them (`rm -rf /var/lib/apt/lists/*`, or `apt-get distclean`) before it ends, or
    /// keeps them out of the layer with `--mount=type=cache,target=/var/lib/apt/lists` (a cache
    /// or tmpfs mount of `/var/lib/apt` or a parent also counts).
    ///
    /// The RUN that runs `apt-get update` is the one reported, since that is the layer that
    /// stores the lists: deleting them in a later RUN does not make the image smaller. Only the
    /// stages that end up in the image are checked: a build stage's layers are thrown away.
    ///
    /// ## Why is this bad?
    /// The lists are tens of megabytes of package indexes that nothing at run time needs. Left
    /// in a layer they are shipped with every pull of the image, and they are stale from the
    /// day the image is built: a later `apt-get install` in a derived image without its own
    /// `apt-get update` installs outdated versions (or fails on removed ones).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix
    /// Appends `&& rm -rf /var/lib/apt/lists/*` to a plain shell-form RUN whose last command
    /// ends the instruction, when no later instruction of the stage (or of a stage built on
    /// it) uses the lists without updating them first.
    ///
    /// ## References
    /// - hadolint DL3009
    /// - Dockle DKL-DI-0005
    /// - [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
    pub(crate) struct AptListsNotRemoved {
        code: "DF312",
        name: "apt-lists-not-removed",
        summary: "apt lists left in the layer",
        severity: Low,
        fix: Sometimes,
        aliases: ["DL3009", "DKL-DI-0005"],
    }
}

const LISTS: &str = "/var/lib/apt/lists";

impl DockerfileRule for AptListsNotRemoved {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            if !cx.is_shipped(index) || mounts_cache_at(inst, LISTS) {
                continue;
            }
            for inv in invocations(commands) {
                if inv.manager != Manager::Apt || !inv.is_sub(&["update"]) {
                    continue;
                }
                let Some(sub) = inv.subcommand else { continue };
                let start = inv.command.range.start;
                if commands.iter().any(|c| c.range.start > start && cleans_lists(c)) {
                    continue;
                }
                let shown = format!("{} update", inv.program);
                let fix = append_fix(cx, index, inst, commands, inv.command);
                let d = cx
                    .report(TextRange::cover(inv.program_word.range, sub.range), format!("`{shown}` leaves the package lists in the layer"))
                    .set_help("end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache at `/var/lib/apt/lists`");
                if let Some(edit) = fix {
                    d.set_fix(Fix::safe("Remove `/var/lib/apt/lists/*` at the end of the RUN", vec![edit]));
                }
            }
        }
    }
}

/// `rm -rf /var/lib/apt/lists/*`, `apt-get distclean`, `find /var/lib/apt/lists … -delete`.
fn cleans_lists(cmd: &Command) -> bool {
    if removes_dir(cmd, LISTS) {
        return true;
    }
    if cmd.is("find") {
        let args = cmd.args();
        return args.first().is_some_and(|w| w.value.trim_end_matches('/') == LISTS)
            && args.iter().any(|w| w.value == "-delete");
    }
    invocation(cmd).is_some_and(|inv| inv.manager == Manager::Apt && inv.is_sub(&["distclean", "dist-clean"]))
}

/// The edit appending the removal to the RUN, when it is a plain shell-form RUN whose last
/// command ends it and nothing later relies on the lists.
fn append_fix(
    cx: &Checker<'_>,
    index: usize,
    inst: &Instruction,
    commands: &[Command],
    update: &Command,
) -> Option<Edit> {
    if update.depth != 0 || !inst.heredocs.is_empty() || !matches!(inst.body, Body::Command(CommandLine::Shell { .. }))
    {
        return None;
    }
    let last = commands.iter().filter(|c| c.depth == 0).map(|c| c.range.end).max()?;
    if last != inst.args_range.end || cx.model.script(index).is_some_and(|s| s.recovered) {
        return None;
    }
    let relied_on = later_in_descendants(cx, index).into_iter().any(|i| uses_stale_lists(cx.commands(i)));
    (!relied_on).then(|| Edit::insert(last, " && rm -rf /var/lib/apt/lists/*"))
}

/// Whether a RUN reads the package lists (installs, `apt-cache`) before updating them itself.
fn uses_stale_lists(commands: &[Command]) -> bool {
    for cmd in commands {
        if cmd.is("apt-cache") {
            return true;
        }
        if let Some(inv) = invocation(cmd).filter(|i| i.manager == Manager::Apt) {
            if inv.is_sub(&["update"]) {
                return false;
            }
            if inv.is_sub(&[
                "install",
                "upgrade",
                "dist-upgrade",
                "full-upgrade",
                "build-dep",
                "source",
                "download",
                "reinstall",
                "satisfy",
            ]) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use caulk_core::diagnostic::apply_edits;

    use crate::test::{assert_fires, assert_passes};

    use super::AptListsNotRemoved;

    #[test]
    fn fires_on_update_without_removal_and_fixes_it() {
        let text = "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl\n";
        let d = assert_fires(&AptListsNotRemoved, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`apt-get update`"));
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(
            apply_edits(text, &fix.edits).as_deref(),
            Some("FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n")
        );
    }

    #[test]
    fn reports_the_update_layer_even_when_a_later_run_cleans() {
        let d = assert_fires(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        );
        assert_eq!(d.len(), 1);
        // the next RUN relies on the lists: removing them in the first one would break it
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn no_fix_for_heredocs_comments_or_background_jobs() {
        let d = assert_fires(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
        );
        assert!(d[0].fix.is_none());
        let d = assert_fires(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl # tools\n",
        );
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn passes_when_removed_mounted_or_in_a_build_stage() {
        assert_passes(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN apt update && apt install -y git; rm -rf /var/lib/apt/lists\n",
        );
        assert_passes(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n",
        );
        assert_passes(
            &AptListsNotRemoved,
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /out /out\n",
        );
        assert_passes(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get distclean\n",
        );
    }

    #[test]
    fn removal_before_the_update_does_not_count() {
        assert_fires(
            &AptListsNotRemoved,
            "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl\n",
        );
    }
}
