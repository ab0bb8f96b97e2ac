//! DF611: apt (interactive front end) used in RUN.

use caulk_core::TextRange;

use crate::checker::Checker;
use crate::packages::invocations;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Reports `apt` (the interactive front end) in RUN commands: `apt install`, `apt update`,
    /// `apt search`… `apt-get` and `apt-cache` do the same work with an interface meant for
    /// scripts.
    ///
    /// ## Why is this bad?
    /// `apt` warns "apt does not have a stable CLI interface. Use with caution in scripts." Its
    /// output, prompts and defaults change between releases for the benefit of people at a
    /// terminal (progress bars, colours, `apt upgrade` installing new dependencies), so a
    /// Dockerfile that works today can behave differently on the next base image. It also
    /// prints that warning into every build log.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt update && apt install -y curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// ## References
    /// - hadolint DL3027
    /// - Checkov CKV_DOCKER_9
    /// - [apt(8): script usage](https://manpages.debian.org/bookworm/apt/apt.8.en.html#SCRIPT_USAGE_AND_DIFFERENCES_FROM_OTHER_APT_TOOLS)
    pub(crate) struct AptInsteadOfAptGet {
        code: "DF611",
        name: "apt-instead-of-apt-get",
        summary: "apt (interactive front end) used in RUN",
        severity: Low,
        fix: None,
        aliases: ["DL3027", "CKV_DOCKER_9"],
    }
}

impl DockerfileRule for AptInsteadOfAptGet {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, _, commands) in cx.runs() {
            for inv in invocations(commands).filter(|i| i.program == "apt") {
                let sub = inv.sub();
                let range = inv
                    .subcommand
                    .map_or(inv.program_word.range, |s| TextRange::cover(inv.program_word.range, s.range));
                let shown = if sub.is_empty() { "apt".to_owned() } else { format!("apt {sub}") };
                cx.report(
                    range,
                    format!("`{shown}` uses apt's interactive front end, whose CLI is not stable in scripts"),
                )
                .set_help(match replacement(sub) {
                    Some(r) => format!("use `{r}` instead"),
                    None => "use `apt-get` or `apt-cache` instead".to_owned(),
                });
            }
        }
    }
}

/// The script-friendly equivalent of `apt SUB`.
fn replacement(sub: &str) -> Option<String> {
    Some(match sub {
        "install" | "remove" | "purge" | "autoremove" | "update" | "upgrade" | "reinstall" | "source" | "build-dep"
        | "download" | "clean" | "autoclean" | "satisfy" | "changelog" => format!("apt-get {sub}"),
        "full-upgrade" => "apt-get dist-upgrade".to_owned(),
        "search" | "show" | "policy" | "depends" | "rdepends" | "showsrc" => format!("apt-cache {sub}"),
        "list" => "dpkg-query -l (installed) or apt-cache policy".to_owned(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::AptInsteadOfAptGet;

    #[test]
    fn fires_on_apt() {
        let d = assert_fires(&AptInsteadOfAptGet, "FROM ubuntu:24.04\nRUN apt update && apt install -y curl\n");
        assert_eq!(d.len(), 2);
        assert!(d[1].message.contains("`apt install`"));
        assert!(d[1].help.as_deref().is_some_and(|h| h.contains("apt-get install")));
    }

    #[test]
    fn fires_through_sudo_and_sh_c() {
        assert_fires(&AptInsteadOfAptGet, "FROM ubuntu:24.04\nRUN sudo apt -y full-upgrade\n");
        assert_fires(&AptInsteadOfAptGet, "FROM ubuntu:24.04\nRUN bash -c 'apt search curl'\n");
    }

    #[test]
    fn passes_on_apt_get_and_mentions() {
        assert_passes(
            &AptInsteadOfAptGet,
            "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl && apt-cache policy curl && command -v apt && echo apt && apt-mark hold curl\n",
        );
    }
}
