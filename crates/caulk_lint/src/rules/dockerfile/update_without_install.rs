//! DF319: package index updated in a RUN that installs nothing.

use caulk_core::TextRange;
use caulk_syntax::shell::{Command, basename};

use crate::checker::Checker;
use crate::packages::{Manager, invocations};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Reports a package-index refresh (`apt-get update`, `apt update`, `apk update`,
    /// `yum`/`dnf makecache`, `zypper refresh`) that is not followed, in the same RUN, by a
    /// command that installs or upgrades packages with the same manager.
    ///
    /// Not reported when something after the refresh may install packages in a way caulk cannot
    /// see: a script (`./install-deps.sh`, `bash setup.sh`, `curl … | bash`), `make`, or a manager run through
    /// `xargs`/`eatmydata` (`xargs apt-get install -y < packages.txt` counts as an install).
    ///
    /// ## Why is this bad?
    /// The build cache keys a RUN on its text, not on the state of the mirrors: once built, the
    /// `RUN apt-get update` layer is reused for months, and the `apt-get install` in a later RUN
    /// installs from that frozen index: outdated versions, missing security updates, or "404
    /// Not Found" once the mirror drops the old files. Refreshing and installing in one RUN
    /// keeps them in step.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - Trivy AVD-DS-0017
    /// - Checkov CKV_DOCKER_5
    /// - Dockle CIS-DI-0007
    /// - [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
    pub(crate) struct UpdateWithoutInstall {
        code: "DF319",
        name: "update-without-install",
        summary: "package index updated in a RUN that installs nothing",
        severity: Medium,
        fix: None,
        aliases: ["AVD-DS-0017", "CKV_DOCKER_5", "CIS-DI-0007"],
    }
}

/// Per manager: the refresh subcommands, the subcommands that use the index, and the programs.
struct Family {
    manager: Manager,
    refresh: &'static [&'static str],
    consume: &'static [&'static str],
    programs: &'static [&'static str],
}

const FAMILIES: &[Family] = &[
    Family {
        manager: Manager::Apt,
        refresh: &["update"],
        consume: &[
            "install",
            "reinstall",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "safe-upgrade",
            "build-dep",
            "source",
            "download",
            "satisfy",
        ],
        programs: &["apt-get", "apt", "aptitude"],
    },
    Family {
        manager: Manager::Apk,
        refresh: &["update"],
        consume: &["add", "upgrade", "fix", "fetch"],
        programs: &["apk"],
    },
    Family {
        manager: Manager::Yum,
        refresh: &["makecache", "mc"],
        consume: &[
            "install",
            "in",
            "reinstall",
            "groupinstall",
            "localinstall",
            "upgrade",
            "up",
            "update",
            "downgrade",
            "distro-sync",
            "group",
            "module",
            "swap",
            "download",
        ],
        programs: &["yum", "dnf", "microdnf", "tdnf"],
    },
    Family {
        manager: Manager::Zypper,
        refresh: &["refresh", "ref"],
        consume: &[
            "install",
            "in",
            "update",
            "up",
            "patch",
            "dist-upgrade",
            "dup",
            "source-install",
            "si",
            "download",
            "install-new-recommends",
            "inr",
        ],
        programs: &["zypper"],
    },
];

/// Programs that may run an install caulk cannot see.
const OPAQUE: &[&str] = &[
    "make",
    "eatmydata",
    "install_packages",
    "mk-build-deps",
    "ansible-playbook",
    "source",
    ".",
    "run-parts",
    "xargs",
    "parallel",
];

impl DockerfileRule for UpdateWithoutInstall {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, _, commands) in cx.runs() {
            for inv in invocations(commands) {
                let Some(family) =
                    FAMILIES.iter().find(|f| f.manager == inv.manager && f.programs.contains(&inv.program))
                else {
                    continue;
                };
                let Some(sub) = inv.subcommand.filter(|_| inv.is_sub(family.refresh)) else { continue };
                let start = inv.command.range.start;
                let later: Vec<&Command> = commands.iter().filter(|c| c.range.start > start).collect();
                if later.iter().any(|c| consumes(c, family) || is_opaque(c)) {
                    continue;
                }
                let shown = format!("{} {}", inv.program, sub.value);
                cx.report(
                    TextRange::cover(inv.program_word.range, sub.range),
                    format!("`{shown}` runs in a RUN that installs nothing after it"),
                )
                .set_help(format!(
                    "refresh in the same RUN as the install that needs it: `{shown} && {} …`",
                    example(family.manager)
                ));
            }
        }
    }
}

fn example(manager: Manager) -> &'static str {
    match manager {
        Manager::Apk => "apk add",
        Manager::Yum => "dnf install -y",
        Manager::Zypper => "zypper -n install",
        _ => "apt-get install -y",
    }
}

/// A command that installs with `family`, also through a wrapper (`xargs apt-get install`).
fn consumes(cmd: &Command, family: &Family) -> bool {
    let words = &cmd.words;
    words.iter().enumerate().any(|(i, w)| {
        family.programs.contains(&basename(&w.value))
            && words
                .iter()
                .skip(i + 1)
                .find(|a| !a.value.starts_with('-'))
                .is_some_and(|a| family.consume.contains(&a.value.as_str()))
    }) || invocations(std::slice::from_ref(cmd)).any(|inv| inv.manager == family.manager && inv.is_sub(family.consume))
}

/// A script or tool that may install packages itself.
fn is_opaque(cmd: &Command) -> bool {
    let Some(word) = cmd.program_word() else { return false };
    let name = basename(&word.value);
    if OPAQUE.contains(&name) {
        return true;
    }
    if Manager::of_program(name).is_some() {
        return false;
    }
    // `./install.sh`, `/tmp/setup`, or a shell reading a file or a pipe (`bash setup.sh`,
    // `curl … | bash -`); `sh -c '…'` is transparent: its commands are parsed
    let path = word.value.contains('/') && !["/usr/", "/bin/", "/sbin/"].iter().any(|p| word.value.starts_with(p));
    let shell_script = matches!(name, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
        && !cmd.args().iter().any(|a| a.value.starts_with('-') && !a.value.starts_with("--") && a.value.contains('c'));
    path || shell_script
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::UpdateWithoutInstall;

    #[test]
    fn fires_on_update_alone() {
        let d =
            assert_fires(&UpdateWithoutInstall, "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`apt-get update`"));
    }

    #[test]
    fn fires_for_other_managers_and_trailing_updates() {
        assert_fires(&UpdateWithoutInstall, "FROM alpine:3.20\nRUN apk update\n");
        assert_fires(&UpdateWithoutInstall, "FROM rockylinux:9\nRUN dnf makecache\n");
        assert_fires(&UpdateWithoutInstall, "FROM opensuse/leap\nRUN zypper -n refresh && echo done\n");
        assert_fires(
            &UpdateWithoutInstall,
            "FROM ubuntu:24.04\nRUN apt-get install -y software-properties-common && add-apt-repository ppa:x/y && apt-get update\n",
        );
    }

    #[test]
    fn passes_when_an_install_follows() {
        assert_passes(
            &UpdateWithoutInstall,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt update; apt -y full-upgrade\nRUN apk update && apk add curl\nRUN dnf makecache && dnf install -y x-1\n",
        );
        assert_passes(
            &UpdateWithoutInstall,
            "FROM debian:12\nRUN apt-get update && xargs -r apt-get install -y < /tmp/packages.txt\n",
        );
        assert_passes(
            &UpdateWithoutInstall,
            "FROM debian:12\nRUN apt-get update && ./install-deps.sh\nRUN apt-get update && bash /tmp/setup.sh\n",
        );
        assert_passes(
            &UpdateWithoutInstall,
            "FROM debian:12\nRUN apt-get update && curl -fsSL https://deb.nodesource.com/setup_22.x | bash -\n",
        );
        assert_passes(
            &UpdateWithoutInstall,
            "FROM debian:12\nRUN sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl'\n",
        );
    }
}
