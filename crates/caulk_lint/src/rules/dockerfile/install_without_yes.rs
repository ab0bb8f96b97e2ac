//! DF310: package install that may wait for a confirmation.

use caulk_core::{Fix, TextRange};
use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::packages::{
    Invocation, Manager, TRUTHY, YUM_INSTALLING, configured_before, expansion_may_supply, insert_flag_after,
    invocations,
};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks package-manager commands that ask "Do you want to continue? [Y/n]" for the
    /// option that answers it:
    /// - `apt-get`/`apt`/`aptitude` `install`, `reinstall`, `remove`, `purge`, `autoremove`,
    ///   `upgrade`, `dist-upgrade`, `full-upgrade`, `build-dep` without `-y`/`--yes`/
    ///   `--assume-yes`, `-qq` (quiet level 2 implies yes) or `-o APT::Get::Assume-Yes=true`;
    /// - `yum`/`dnf`/`tdnf` `install`, `remove`, `upgrade`, `update`, `group install`,
    ///   `module install`… without `-y`/`--assumeyes`;
    /// - `zypper install`, `remove`, `update`, `patch`, `dist-upgrade`, `source-install`
    ///   without the global `-n`/`--non-interactive` or the command's `-y`/`--no-confirm`.
    ///
    /// `microdnf` and `apk` never ask, and are not checked. A command fed by `yes |`, and a
    /// setting written earlier in the stage (`APT::Get::Assume-Yes "true";` in `apt.conf.d`,
    /// `assumeyes=1` in `dnf.conf`/`yum.conf`) also count as answered, and so does an argument
    /// from a variable (`apt-get install $APT_FLAGS …`) that holds the option or whose value
    /// caulk cannot know.
    ///
    /// ## Why is this bad?
    /// A build has no terminal: the prompt reads end-of-file, apt-get and dnf answer "no" and
    /// abort, and the build fails, typically only once the package list grows a dependency.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// ## Fix
    /// Adds `-y` after the subcommand (`apt-get install -y`, `dnf install -y`), and `-n` after
    /// `zypper`. The fix is safe: the command can only succeed non-interactively anyway.
    ///
    /// ## References
    /// - hadolint DL3014 (apt-get), DL3030 (yum), DL3034 (zypper), DL3038 (dnf)
    /// - Trivy AVD-DS-0021
    /// - [apt-get(8)](https://manpages.debian.org/bookworm/apt/apt-get.8.en.html)
    pub(crate) struct InstallWithoutYes {
        code: "DF310",
        name: "install-without-yes",
        summary: "package install that may wait for a confirmation",
        severity: Medium,
        fix: Sometimes,
        aliases: ["DL3014", "DL3030", "DL3034", "DL3038", "AVD-DS-0021"],
    }
}

const APT_PROMPTING: &[&str] = &[
    "install",
    "reinstall",
    "remove",
    "purge",
    "autoremove",
    "autopurge",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "build-dep",
];
/// Subcommands besides [`YUM_INSTALLING`] that ask before removing packages.
const YUM_REMOVING: &[&str] = &["remove", "rm", "erase", "autoremove", "groupremove"];
/// `dnf group …` / `dnf module …` actions that change packages.
const YUM_GROUP_PROMPTING: &[&str] =
    &["install", "remove", "erase", "upgrade", "update", "enable", "disable", "reset", "switch-to", "mark"];
const ZYPPER_PROMPTING: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
    "update",
    "up",
    "dist-upgrade",
    "dup",
    "install-new-recommends",
    "inr",
];

/// Options that answer the prompt, for any manager (looked for in variables).
const ANSWERS: &[&str] = &[
    "-y",
    "--yes",
    "--assume-yes",
    "--assumeyes",
    "-n",
    "--non-interactive",
    "--no-confirm",
    "-q",
    "--quiet",
    "-o",
    "--setopt",
];

impl DockerfileRule for InstallWithoutYes {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            for inv in invocations(commands) {
                let Some(sub) = inv.subcommand else { continue };
                let prompts = match (inv.manager, inv.program) {
                    (Manager::Apt, _) => inv.is_sub(APT_PROMPTING) && !apt_answers(cx, index, &inv),
                    (Manager::Yum, "microdnf") => false,
                    (Manager::Yum, _) => yum_prompts(&inv) && !yum_answers(cx, index, &inv),
                    (Manager::Zypper, _) => {
                        inv.is_sub(ZYPPER_PROMPTING)
                            && !inv.has_flag(&["-n", "--non-interactive", "-y", "--no-confirm"])
                    }
                    _ => false,
                };
                if !prompts
                    || fed_by_yes(commands, inv.command)
                    || expansion_may_supply(cx, index, inv.command, ANSWERS)
                {
                    continue;
                }
                let (flag, after) = if inv.manager == Manager::Zypper { ("-n", inv.program_word) } else { ("-y", sub) };
                let shown = format!("{} {}", inv.program, sub.value);
                let fix = insert_flag_after(cx, inst, after, flag);
                let d = cx
                    .report(
                        TextRange::cover(inv.program_word.range, sub.range),
                        format!("`{shown}` may wait for a confirmation that never comes"),
                    )
                    .set_help(if inv.manager == Manager::Zypper {
                        "run `zypper -n …` (`--non-interactive`) so it does not prompt".to_owned()
                    } else {
                        format!("add `-y`: `{shown} -y …`")
                    });
                if let Some(edit) = fix {
                    d.set_fix(Fix::safe(format!("Add `{flag}`"), vec![edit]));
                }
            }
        }
    }
}

fn apt_answers(cx: &Checker<'_>, index: usize, inv: &Invocation<'_>) -> bool {
    if inv.has_flag(&["-y", "--yes", "--assume-yes"]) {
        return true;
    }
    // quiet level 2 implies -y: `-qq`, `-q=2`, `--quiet=2`, `-q -q`
    let args = inv.command.args();
    let quiet: usize = args
        .iter()
        .take_while(|w| w.value != "--")
        .map(|w| {
            let v = w.value.as_str();
            if let Some(level) = v.strip_prefix("-q=").or_else(|| v.strip_prefix("--quiet=")) {
                level.parse().unwrap_or(0)
            } else if v == "--quiet" {
                1
            } else if let Some(cluster) =
                v.strip_prefix('-').filter(|c| !c.starts_with('-') && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
            {
                cluster.chars().filter(|c| *c == 'q').count()
            } else {
                0
            }
        })
        .sum();
    if quiet >= 2 {
        return true;
    }
    let option_yes = option_values(inv.command).any(|(k, v)| {
        k.eq_ignore_ascii_case("APT::Get::Assume-Yes") && TRUTHY.contains(&v.to_ascii_lowercase().as_str())
    });
    option_yes || configured_before(cx, index, inv.command.range.start, "APT::Get::Assume-Yes", TRUTHY)
}

/// `-o KEY=VALUE` / `--option=KEY=VALUE` / `-oKEY=VALUE` pairs of an apt command.
pub(crate) fn option_values(cmd: &Command) -> impl Iterator<Item = (&str, &str)> {
    let args = cmd.args();
    args.iter().enumerate().filter_map(move |(i, w)| {
        let v = w.value.as_str();
        let opt = if v == "-o" || v == "--option" {
            args.get(i + 1).map(|n| n.value.as_str())
        } else {
            v.strip_prefix("--option=")
                .or_else(|| v.strip_prefix("-o").filter(|r| !r.is_empty() && !r.starts_with('-')))
        }?;
        opt.split_once('=').map(|(k, val)| (k.trim(), val.trim().trim_matches(['"', '\''])))
    })
}

fn yum_prompts(inv: &Invocation<'_>) -> bool {
    if inv.is_sub(&["group", "groups", "module"]) {
        return inv.operands().first().is_some_and(|w| YUM_GROUP_PROMPTING.contains(&w.value.as_str()));
    }
    inv.is_sub(YUM_INSTALLING) || inv.is_sub(YUM_REMOVING)
}

fn yum_answers(cx: &Checker<'_>, index: usize, inv: &Invocation<'_>) -> bool {
    if inv.has_flag(&["-y", "--assumeyes"]) {
        return true;
    }
    let setopt = inv.command.args().iter().any(|w| {
        w.value
            .strip_prefix("--setopt=")
            .and_then(|o| o.split_once('='))
            .is_some_and(|(k, v)| k == "assumeyes" && TRUTHY.contains(&v.to_ascii_lowercase().as_str()))
    });
    setopt || configured_before(cx, index, inv.command.range.start, "assumeyes", TRUTHY)
}

/// `yes | apt-get install …`: an earlier command of the same pipeline is `yes`.
fn fed_by_yes(commands: &[Command], cmd: &Command) -> bool {
    cmd.pipeline_index > 0
        && commands.iter().any(|c| c.pipeline == cmd.pipeline && c.pipeline_index < cmd.pipeline_index && c.is("yes"))
}

#[cfg(test)]
mod tests {
    use caulk_core::diagnostic::apply_edits;

    use crate::test::{assert_fires, assert_passes};

    use super::InstallWithoutYes;

    fn fixed(text: &str) -> String {
        let d = assert_fires(&InstallWithoutYes, text);
        let edits: Vec<_> = d.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| f.edits.clone()).collect();
        apply_edits(text, &edits).unwrap_or_default()
    }

    #[test]
    fn fires_on_apt_get_install_and_fixes_it() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n";
        let d = assert_fires(&InstallWithoutYes, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`apt-get install`"));
        assert_eq!(
            fixed(text),
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
        );
    }

    #[test]
    fn fixes_dnf_zypper_and_exec_form() {
        assert_eq!(fixed("FROM fedora:40\nRUN dnf install httpd\n"), "FROM fedora:40\nRUN dnf install -y httpd\n");
        assert_eq!(
            fixed("FROM opensuse/leap\nRUN zypper install curl\n"),
            "FROM opensuse/leap\nRUN zypper -n install curl\n"
        );
        assert_eq!(
            fixed("FROM debian:12\nRUN [\"apt-get\", \"install\", \"curl\"]\n"),
            "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"
        );
    }

    #[test]
    fn fires_when_the_variable_lacks_the_flag() {
        assert_fires(
            &InstallWithoutYes,
            "FROM debian:12\nARG APT_FLAGS=--no-install-recommends\nRUN apt-get install $APT_FLAGS curl\n",
        );
    }

    #[test]
    fn fires_on_removal_and_group_install() {
        assert_fires(&InstallWithoutYes, "FROM debian:12\nRUN apt-get purge --auto-remove curl\n");
        assert_fires(&InstallWithoutYes, "FROM rockylinux:9\nRUN dnf group install 'Development Tools'\n");
        assert_fires(&InstallWithoutYes, "FROM debian:12\nRUN apt-get -q install curl\n");
    }

    #[test]
    fn passes_when_answered() {
        assert_passes(
            &InstallWithoutYes,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get -qq install wget && apt-get -q -q install git \\\n && apt-get --assume-yes purge x && apt-get -o APT::Get::Assume-Yes=true install vim && yes | apt-get install nano \\\n && apt-get install -qy jq && apt-get -q=2 install less\n",
        );
        assert_passes(
            &InstallWithoutYes,
            "FROM debian:12\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl\n",
        );
        assert_passes(
            &InstallWithoutYes,
            "FROM fedora:40\nRUN dnf -y install httpd && dnf install --assumeyes vim && dnf clean all && dnf makecache && microdnf install jq\nRUN yum --setopt=assumeyes=1 install x\n",
        );
        assert_passes(
            &InstallWithoutYes,
            "FROM opensuse/leap\nRUN zypper -n install curl && zypper --non-interactive up && zypper in -y vim && zypper refresh\n",
        );
        assert_passes(
            &InstallWithoutYes,
            "FROM alpine:3\nRUN apk add curl && apt-get update && apt-cache policy curl\n",
        );
        assert_passes(
            &InstallWithoutYes,
            "FROM debian:12\nARG APT_FLAGS=\"-y --no-install-recommends\"\nRUN apt-get install $APT_FLAGS curl && apt-get install $OPTS wget\n",
        );
    }
}
