//! DF311: apt-get install without --no-install-recommends.

use caulk_core::{Fix, TextRange};

use crate::checker::Checker;
use crate::packages::{FALSY, Manager, configured_before, expansion_may_supply, insert_flag_after, invocations};
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::install_without_yes::option_values;

declare_rule! {
    /// ## What it does
    /// Checks `apt-get install` (and `apt install`) in the stages that end up in the image for
    /// `--no-install-recommends`. Also accepted: `-o APT::Install-Recommends=false`, and
    /// `APT::Install-Recommends "0";` written to `/etc/apt/apt.conf.d/` earlier in the stage or
    /// in a stage it is built `FROM`, or an argument from a variable (`$APT_FLAGS`) that holds
    /// the option or whose value caulk cannot know. Build stages whose files are not shipped are
    /// not checked.
    ///
    /// ## Why is this bad?
    /// By default apt also installs every package the requested ones *recommend*: often dozens
    /// of packages (documentation tools, X11 libraries, compilers) the application never uses.
    /// They make the image larger and slower to pull, and each one is more code that can carry
    /// a vulnerability.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix
    /// Adds `--no-install-recommends` after `install`. The fix is unsafe: a recommended package
    /// the application does need (typically `ca-certificates` for `curl`/`wget` over HTTPS) must
    /// then be named explicitly.
    ///
    /// ## References
    /// - hadolint DL3015
    /// - Trivy AVD-DS-0029
    /// - [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
    pub(crate) struct AptInstallRecommends {
        code: "DF311",
        name: "apt-install-recommends",
        summary: "apt-get install without --no-install-recommends",
        severity: Low,
        fix: Always,
        aliases: ["DL3015", "AVD-DS-0029"],
    }
}

impl DockerfileRule for AptInstallRecommends {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            if !cx.is_shipped(index) {
                continue;
            }
            for inv in invocations(commands) {
                if inv.manager != Manager::Apt || !matches!(inv.program, "apt-get" | "apt") || !inv.is_sub(&["install"])
                {
                    continue;
                }
                let Some(sub) = inv.subcommand else { continue };
                let off = |v: &str| FALSY.contains(&v.to_ascii_lowercase().as_str());
                let disabled = inv.has_flag(&["--no-install-recommends"])
                    || inv
                        .command
                        .args()
                        .iter()
                        .any(|w| w.value.strip_prefix("--install-recommends=").is_some_and(off))
                    || option_values(inv.command)
                        .any(|(k, v)| k.eq_ignore_ascii_case("APT::Install-Recommends") && off(v))
                    || configured_before(cx, index, inv.command.range.start, "APT::Install-Recommends", FALSY)
                    || expansion_may_supply(
                        cx,
                        index,
                        inv.command,
                        &["--no-install-recommends", "--install-recommends", "-o", "--option"],
                    );
                if disabled {
                    continue;
                }
                let shown = format!("{} install", inv.program);
                let edit = insert_flag_after(cx, inst, sub, "--no-install-recommends");
                let d = cx
                    .report(TextRange::cover(inv.program_word.range, sub.range), format!("`{shown}` also installs every recommended package"))
                    .set_help(format!("add `--no-install-recommends` and name the packages you need: `{shown} -y --no-install-recommends …`"));
                if let Some(edit) = edit {
                    d.set_fix(Fix::unsafe_edit("Add `--no-install-recommends`", vec![edit]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Applicability;
    use caulk_core::diagnostic::apply_edits;

    use crate::test::{assert_fires, assert_passes};

    use super::AptInstallRecommends;

    #[test]
    fn fires_and_fixes() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n";
        let d = assert_fires(&AptInstallRecommends, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`apt-get install`"));
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(
            apply_edits(text, &fix.edits).as_deref(),
            Some("FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n")
        );
    }

    #[test]
    fn fires_in_sh_c_and_heredoc() {
        assert_fires(&AptInstallRecommends, "FROM debian:12\nRUN sh -c \"apt-get install -y curl\"\n");
        let d = assert_fires(
            &AptInstallRecommends,
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
        );
        assert!(d[0].fix.is_some());
    }

    #[test]
    fn passes_when_disabled_or_in_build_stage() {
        assert_passes(
            &AptInstallRecommends,
            "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl && apt-get -o APT::Install-Recommends=false install -y wget \\\n && apt-get install -y --install-recommends=no git\n",
        );
        assert_passes(
            &AptInstallRecommends,
            "FROM debian:12 AS base\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norecommends\nFROM base\nRUN apt-get install -y curl\n",
        );
        assert_passes(
            &AptInstallRecommends,
            "FROM debian:12 AS build\nRUN apt-get install -y build-essential\nFROM debian:12\nCOPY --from=build /out /out\n",
        );
    }

    #[test]
    fn per_command_option_in_an_earlier_run_does_not_count() {
        assert_fires(
            &AptInstallRecommends,
            "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=0 install -y a\nRUN apt-get install -y b\n",
        );
    }
}
