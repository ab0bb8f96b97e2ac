//! DF407: tools an attacker can use left in the shipped image.
//!
//! Also home of the package timeline the other "what ends up in the image" rules share
//! (DF204, DF408, DF410): every package installed in a shipped stage, and whether a later
//! command of the shipped stages removes it again; and of the fix DF204 and DF407 share, which
//! takes packages out of their install command.

use caulk_core::{Edit, Fix, TextRange};
use caulk_syntax::dockerfile::{Body, CommandLine, Keyword};
use caulk_syntax::shell::{Command, Word, basename};

use crate::checker::Checker;
use crate::edits::{Cut, remove_command, remove_instruction, remove_word};
use crate::packages::{Manager, installs, invocation, later_in_descendants, removes_dir};
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::ssh_server::{SshServer, image_runs_ssh_server, is_ssh_server};

declare_rule! {
    /// ## What it does
    /// Checks the stages that end up in the built image for packages that are handy to an
    /// attacker and rarely needed by the running application: download tools (`curl`, `wget`),
    /// `git`, remote-access clients (`openssh-client`, `telnet`, `ftp`), `netcat`, editors
    /// (`vim`, `nano`, `emacs`), scanners and sniffers (`nmap`, `tcpdump`) and debuggers
    /// (`strace`, `gdb`), installed with apt, apk, yum/dnf or zypper and not removed later.
    ///
    /// A tool the image's own `HEALTHCHECK`, `CMD` or `ENTRYPOINT` runs is needed and is not
    /// reported (e.g. `curl` for `HEALTHCHECK CMD curl -f http://localhost/health`). Packages
    /// removed again in a later step (`apt-get purge`, `apk del`, also `apk add --virtual .x …`
    /// then `apk del .x`) and packages installed only in build stages are fine.
    ///
    /// ## Fix
    /// An unsafe fix removes the package from its install command (the whole command, or the
    /// whole RUN, when nothing else is left to install) when nothing later in the Dockerfile
    /// runs the tool: no later command of the RUN, no later RUN, CMD, ENTRYPOINT or HEALTHCHECK,
    /// and no script they start (a script may use it unseen). A tool the application itself
    /// calls at run time is invisible to caulk, hence unsafe.
    ///
    /// ## Why is this bad?
    /// Whoever gets code execution in the container (through an application bug) can use these
    /// tools to download a second stage, exfiltrate data, open reverse shells or move laterally.
    /// Every extra package also brings its own CVEs and enlarges the image. CIS Docker
    /// Benchmark 4.3: do not install unnecessary packages in the container.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl git vim
    /// CMD ["python", "app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y --no-install-recommends git
    /// RUN git clone https://example.com/app.git /src
    ///
    /// FROM python:3.12-slim
    /// COPY --from=build /src /app
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0003 (listed, not implemented); CIS Docker Benchmark 4.3
    /// - [Docker best practices: don't install unnecessary packages](https://docs.docker.com/build/building/best-practices/#dont-install-unnecessary-packages)
    pub(crate) struct UnnecessaryTools {
        code: "DF407",
        name: "unnecessary-tools",
        summary: "tools an attacker can use left in the shipped image",
        severity: Medium,
        fix: Sometimes,
        aliases: ["CIS-DI-0003"],
    }
}

/// A tool family: the package names that install it, the binaries it provides, what it is.
struct Tool {
    packages: &'static [&'static str],
    binaries: &'static [&'static str],
    kind: &'static str,
}

const TOOLS: &[Tool] = &[
    Tool { packages: &["curl"], binaries: &["curl"], kind: "a download tool" },
    Tool { packages: &["wget", "wget2"], binaries: &["wget", "wget2"], kind: "a download tool" },
    Tool { packages: &["git", "git-core"], binaries: &["git"], kind: "a source-control client that can fetch code" },
    Tool {
        packages: &["openssh-client", "openssh-clients", "openssh-client-default"],
        binaries: &["ssh", "scp", "sftp"],
        kind: "a remote-access client",
    },
    Tool {
        packages: &["netcat", "netcat-openbsd", "netcat-traditional", "netcat-gnu", "nc", "ncat", "nmap-ncat"],
        binaries: &["nc", "netcat", "ncat"],
        kind: "a raw network tool (reverse shells)",
    },
    Tool { packages: &["telnet", "inetutils-telnet"], binaries: &["telnet"], kind: "a remote-access client" },
    Tool { packages: &["ftp", "lftp", "tnftp"], binaries: &["ftp", "lftp"], kind: "a file-transfer client" },
    Tool {
        packages: &["vim", "vim-tiny", "vim-nox", "vim-enhanced", "vim-minimal", "nano", "emacs", "emacs-nox"],
        binaries: &["vim", "vi", "nano", "emacs"],
        kind: "an editor",
    },
    Tool { packages: &["nmap"], binaries: &["nmap"], kind: "a network scanner" },
    Tool { packages: &["tcpdump"], binaries: &["tcpdump"], kind: "a packet sniffer" },
    Tool { packages: &["strace"], binaries: &["strace"], kind: "a debugger" },
    Tool { packages: &["gdb"], binaries: &["gdb"], kind: "a debugger" },
];

impl DockerfileRule for UnnecessaryTools {
    fn check(&self, cx: &mut Checker<'_>) {
        let used = programs_the_image_runs(cx);
        let pkgs = shipped_packages(cx);
        let candidates = removal_candidates(cx, &pkgs);
        let mut found = Vec::new();
        for pkg in &pkgs {
            let Some(tool) = unnecessary_tool(pkg) else { continue };
            if tool.binaries.iter().any(|b| used.iter().any(|u| u == b)) {
                continue;
            }
            let fix = candidates.contains(&pkg.word.range).then(|| package_removal(cx, pkg, &candidates)).flatten().map(|edits| {
                Fix::unsafe_edit(
                    format!(
                        "remove `{}` from the install: nothing later in the Dockerfile (RUN, CMD, ENTRYPOINT, HEALTHCHECK) runs it",
                        pkg.word.value
                    ),
                    edits,
                )
            });
            found.push((pkg.word.range, pkg.word.value.clone(), pkg.name.clone(), tool.kind, fix));
        }
        for (range, written, name, kind, fix) in found {
            let d = cx.report(range, format!("`{written}` ({kind}) is left in the final image"))
                .set_help(format!(
                    "install `{name}` only in a build stage, or remove it in the same RUN once it has served its purpose; the running container should not need it"
                ));
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

/// The tool family a shipped OS package belongs to, when it is one DF407 reports.
fn unnecessary_tool(pkg: &ShippedPackage<'_>) -> Option<&'static Tool> {
    if pkg.removed || !matches!(pkg.manager, Manager::Apt | Manager::Apk | Manager::Yum | Manager::Zypper) {
        return None;
    }
    TOOLS.iter().find(|t| t.packages.iter().any(|p| pkg_is(pkg.manager, &pkg.name, p)))
}

/// The package words the DF204 and DF407 fixes remove (of the rules that are enabled): SSH
/// servers, unless the image runs one, and tools nothing in the Dockerfile runs after their
/// install. An install command all of whose packages are in the list goes as a whole.
pub(crate) fn removal_candidates(cx: &Checker<'_>, pkgs: &[ShippedPackage<'_>]) -> Vec<TextRange> {
    let ssh = cx.settings.is_enabled(&SshServer::META) && !image_runs_ssh_server(cx);
    let tools = cx.settings.is_enabled(&UnnecessaryTools::META);
    let used = programs_the_image_runs(cx);
    pkgs.iter()
        .filter(|p| {
            if p.removed {
                return false;
            }
            if ssh && is_ssh_server(p.manager, &p.name) {
                return true;
            }
            tools
                && unnecessary_tool(p).is_some_and(|t| {
                    !t.binaries.iter().any(|b| used.iter().any(|u| u == b)) && !used_later(cx, p, t.binaries)
                })
        })
        .map(|p| p.word.range)
        .collect()
}

/// The edits that take `pkg` out of the image: its word, or its whole install command when
/// every package of it is in `candidates`, or the whole RUN when nothing but package-manager
/// housekeeping (`apt-get update`, cache cleanup) would be left.
pub(crate) fn package_removal(
    cx: &Checker<'_>,
    pkg: &ShippedPackage<'_>,
    candidates: &[TextRange],
) -> Option<Vec<Edit>> {
    let outer = cx.df.instructions.get(pkg.index)?;
    let inst = outer.onbuild_inner().unwrap_or(outer);
    let install = installs(std::slice::from_ref(pkg.command)).into_iter().next()?;
    if !install.packages.iter().all(|w| candidates.contains(&w.range)) {
        return remove_word(cx.text, inst, pkg.word).map(|e| vec![e]);
    }
    let commands = cx.commands(pkg.index);
    match remove_command(cx.text, inst, commands, pkg.command)? {
        Cut::Instruction => Some(vec![remove_instruction(cx.text, outer)]),
        Cut::Edit(edit) => {
            let only_housekeeping =
                commands.iter().filter(|c| c.depth == 0 && c.pipeline != pkg.command.pipeline).all(is_housekeeping);
            Some(vec![if only_housekeeping { remove_instruction(cx.text, outer) } else { edit }])
        }
    }
}

/// Commands that only serve installing: refreshing the package index, cleaning caches.
fn is_housekeeping(cmd: &Command) -> bool {
    if let Some(inv) = invocation(cmd) {
        return matches!(inv.manager, Manager::Apt | Manager::Apk | Manager::Yum | Manager::Zypper)
            && inv.is_sub(&["update", "clean", "autoclean", "makecache", "refresh", "ref"]);
    }
    ["/var/lib/apt/lists", "/var/cache/apt", "/var/cache/apk", "/var/cache/yum", "/var/cache/dnf", "/var/cache/zypp"]
        .iter()
        .any(|d| removes_dir(cmd, d))
}

/// Whether anything after `pkg`'s install may run one of `binaries`: a later command of its
/// RUN, a later RUN, CMD, ENTRYPOINT or HEALTHCHECK of its stage or of stages built on it, or a
/// script one of them starts.
fn used_later(cx: &Checker<'_>, pkg: &ShippedPackage<'_>, binaries: &[&str]) -> bool {
    let hit = |value: &str| binaries.contains(&basename(value)) || is_script(value);
    let same_run =
        cx.commands(pkg.index).iter().filter(|c| c.range.start >= pkg.command.range.end).any(|c| command_uses(c, &hit));
    same_run
        || later_in_descendants(cx, pkg.index).into_iter().any(|i| {
            let Some(outer) = cx.df.instructions.get(i) else { return false };
            let inst = outer.onbuild_inner().unwrap_or(outer);
            let exec = match &inst.body {
                Body::Command(CommandLine::Exec { args, .. })
                | Body::Healthcheck(Some(CommandLine::Exec { args, .. })) => args.iter().any(|a| hit(&a.value)),
                _ => false,
            };
            exec || cx.commands(i).iter().any(|c| command_uses(c, &hit))
        })
}

/// Whether a word of `cmd` (program, wrapper or argument such as `xargs curl`) satisfies `hit`.
fn command_uses(cmd: &Command, hit: &impl Fn(&str) -> bool) -> bool {
    cmd.words.iter().any(|w| hit(&w.value))
}

/// A word that names a script file (`./start.sh`, `/docker-entrypoint.sh`), which may run
/// anything.
fn is_script(value: &str) -> bool {
    value.ends_with(".sh") || value.starts_with("./") || basename(value).contains("entrypoint")
}

/// Basenames of the programs the final image runs on its own: its HEALTHCHECK, CMD and
/// ENTRYPOINT (wrappers included, so `sudo curl` counts `curl` and `sudo`).
fn programs_the_image_runs(cx: &Checker<'_>) -> Vec<String> {
    let Some(fc) = cx.final_context() else { return Vec::new() };
    let indices = [fc.healthcheck.as_ref().map(|h| h.index), fc.cmd, fc.entrypoint];
    let mut out = Vec::new();
    for i in indices.into_iter().flatten() {
        for cmd in cx.commands(i) {
            let Some(pi) = cmd.program_index() else { continue };
            for w in cmd.words.get(..=pi).unwrap_or(&[]) {
                out.push(caulk_syntax::shell::basename(&w.value).to_owned());
            }
        }
    }
    out
}

/// A package installed by a RUN of a shipped stage.
#[derive(Debug)]
pub(crate) struct ShippedPackage<'a> {
    /// Instruction index of the RUN.
    pub index: usize,
    pub manager: Manager,
    /// The install command.
    pub command: &'a Command,
    /// The package operand as written.
    pub word: &'a Word,
    /// The package name without version, release or architecture, lowercased.
    pub name: String,
    /// A later command of the shipped stages removes it again.
    pub removed: bool,
    /// `apk add --virtual NAME`: the group `apk del NAME` removes.
    group: Option<String>,
    /// Marked automatically installed by `apt-mark auto` (removed by a later autoremove).
    auto: bool,
}

/// Every package installed in the shipped stages (in order; words with expansions skipped),
/// with removals by later commands applied: `apt-get purge/remove`, `apt-mark auto` followed by
/// an autoremove, `dpkg -P/-r`, `apk del` (also of an `apk add --virtual` group),
/// `yum/dnf/microdnf remove|erase`, `rpm -e`, `zypper remove|rm`.
pub(crate) fn shipped_packages<'a>(cx: &Checker<'a>) -> Vec<ShippedPackage<'a>> {
    let mut pkgs: Vec<ShippedPackage<'a>> = Vec::new();
    for (i, inst) in cx.shipped_instructions() {
        if inst.keyword != Keyword::Run {
            continue;
        }
        for cmd in cx.commands(i) {
            if let Some(r) = removal(cmd) {
                for p in &mut pkgs {
                    if !r.managers.contains(&p.manager) {
                        continue;
                    }
                    if r.mark_auto && p.index == i {
                        p.auto = true;
                    }
                    if r.names.iter().any(|n| *n == p.name || p.group.as_deref() == Some(n.as_str()))
                        || (r.autoremove && p.auto)
                    {
                        p.removed = true;
                    }
                }
                continue;
            }
            for install in installs(std::slice::from_ref(cmd)) {
                let group = (install.manager == Manager::Apk)
                    .then(|| cmd.flag_value(&["-t", "--virtual"]).map(str::to_ascii_lowercase))
                    .flatten();
                for word in install.packages {
                    if word.has_expansion {
                        continue;
                    }
                    pkgs.push(ShippedPackage {
                        index: i,
                        manager: install.manager,
                        command: cmd,
                        word,
                        name: base_name(install.manager, &word.value),
                        removed: false,
                        group: group.clone(),
                        auto: false,
                    });
                }
            }
        }
    }
    pkgs
}

/// A package name as the manager knows it, without version, release, repository or
/// architecture: `curl=7.88*` → `curl`, `git/bookworm-backports` → `git`, `curl:amd64` → `curl`,
/// `busybox~1.36` → `busybox`, `gcc.x86_64` → `gcc`. RPM's `name-version` cannot be split
/// without knowing the name; use [`pkg_is`] to compare with one.
pub(crate) fn base_name(manager: Manager, value: &str) -> String {
    let stops: &[char] = match manager {
        Manager::Apt => &['=', '/', ':'],
        Manager::Apk => &['=', '~', '<', '>', '@'],
        Manager::Yum | Manager::Zypper => &['=', '<', '>'],
        _ => &['=', '@', '<', '>'],
    };
    let name = value.split(stops).next().unwrap_or(value).trim();
    let name = match manager {
        Manager::Yum | Manager::Zypper => [".x86_64", ".aarch64", ".noarch", ".i686", ".ppc64le", ".s390x"]
            .iter()
            .find_map(|a| name.strip_suffix(a))
            .unwrap_or(name),
        _ => name,
    };
    name.to_ascii_lowercase()
}

/// Whether an installed package (its [`base_name`]) is `target`, allowing RPM's `name-1.2-3`.
pub(crate) fn pkg_is(manager: Manager, name: &str, target: &str) -> bool {
    name == target
        || (matches!(manager, Manager::Yum | Manager::Zypper)
            && name
                .strip_prefix(target)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())))
}

/// What a package-removal command removes.
struct Removal {
    managers: &'static [Manager],
    names: Vec<String>,
    /// Also removes packages marked automatically installed.
    autoremove: bool,
    /// `apt-mark auto`: marks this RUN's packages as automatically installed.
    mark_auto: bool,
}

fn removal(cmd: &Command) -> Option<Removal> {
    let names_of = |manager: Manager| -> Vec<String> {
        cmd.operands(&[]).filter(|w| !w.has_expansion).map(|w| base_name(manager, &w.value)).collect()
    };
    match cmd.program()? {
        "apt-mark" => {
            let auto = cmd.operands(&[]).next().is_some_and(|w| w.value == "auto");
            return auto.then(|| Removal {
                managers: &[Manager::Apt],
                names: Vec::new(),
                autoremove: false,
                mark_auto: true,
            });
        }
        "dpkg" => {
            return cmd.has_flag(&["-r", "-P", "--remove", "--purge"]).then(|| Removal {
                managers: &[Manager::Apt],
                names: names_of(Manager::Apt),
                autoremove: false,
                mark_auto: false,
            });
        }
        "rpm" => {
            return cmd.has_flag(&["-e", "--erase"]).then(|| Removal {
                managers: &[Manager::Yum, Manager::Zypper],
                names: names_of(Manager::Yum),
                autoremove: false,
                mark_auto: false,
            });
        }
        _ => {}
    }
    let inv = invocation(cmd)?;
    let (managers, subs): (&'static [Manager], &[&str]) = match inv.manager {
        Manager::Apt => (&[Manager::Apt], &["remove", "purge", "autoremove", "autopurge"]),
        Manager::Apk => (&[Manager::Apk], &["del"]),
        Manager::Yum => (&[Manager::Yum], &["remove", "erase", "autoremove"]),
        Manager::Zypper => (&[Manager::Zypper], &["remove", "rm"]),
        _ => return None,
    };
    if !inv.is_sub(subs) {
        return None;
    }
    let names =
        inv.operands().into_iter().filter(|w| !w.has_expansion).map(|w| base_name(inv.manager, &w.value)).collect();
    let autoremove = inv.is_sub(&["autoremove", "autopurge"]) || inv.has_flag(&["--auto-remove", "--autoremove"]);
    Some(Removal { managers, names, autoremove, mark_auto: false })
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::UnnecessaryTools;

    #[test]
    fn fires_per_tool_and_names_it() {
        let d = assert_fires(
            &UnnecessaryTools,
            "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3-pip curl wget git openssh-server openssh-client\nCMD [\"python3\", \"app.py\"]\n",
        );
        let names: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 4, "{names:?}");
        assert!(d[0].message.starts_with("`curl`"));
        assert!(d[3].message.starts_with("`openssh-client`"));
    }

    #[test]
    fn fires_with_versions_and_other_managers() {
        let d =
            assert_fires(&UnnecessaryTools, "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 netcat-openbsd\n");
        assert_eq!(d.len(), 2);
        let d = assert_fires(
            &UnnecessaryTools,
            "FROM rockylinux:9\nRUN dnf install -y vim-enhanced-8.2 && dnf clean all\n",
        );
        assert!(d[0].message.contains("vim-enhanced"));
        assert_fires(&UnnecessaryTools, "FROM debian:12\nRUN apt-get install -y tcpdump:amd64\n");
    }

    #[test]
    fn passes_when_the_healthcheck_uses_it() {
        assert_passes(
            &UnnecessaryTools,
            "FROM python:3.9-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER app\nHEALTHCHECK --interval=30s CMD curl -f http://localhost:5000/health || exit 1\nCMD [\"python\", \"app.py\"]\n",
        );
        assert_passes(&UnnecessaryTools, "FROM alpine:3.20\nRUN apk add --no-cache git\nENTRYPOINT [\"git\"]\n");
    }

    #[test]
    fn passes_when_removed_later() {
        assert_passes(
            &UnnecessaryTools,
            "FROM debian:12\nRUN apt-get install -y curl && curl -fsSLO https://x/y && apt-get purge -y curl\n",
        );
        assert_passes(
            &UnnecessaryTools,
            "FROM debian:12\nRUN apt-get install -y wget\nRUN wget https://x/y && apt-get remove -y --auto-remove wget\n",
        );
        assert_passes(
            &UnnecessaryTools,
            "FROM alpine:3.20\nRUN apk add --no-cache --virtual .fetch curl git && git clone https://x/y /y && apk del .fetch\n",
        );
        assert_passes(
            &UnnecessaryTools,
            "FROM debian:12\nRUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get install -y wget; wget -O /x https://x; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove\n",
        );
    }

    #[test]
    fn passes_in_build_stages_and_for_unknown_words() {
        assert_passes(
            &UnnecessaryTools,
            "FROM debian:12 AS build\nRUN apt-get install -y git curl\nRUN git clone https://x /src\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /src /src\n",
        );
        assert_passes(
            &UnnecessaryTools,
            "FROM debian:12\nARG TOOLS\nRUN apt-get install -y $TOOLS curlftpfs libcurl4\n",
        );
    }

    #[test]
    fn follows_shipped_from_chains() {
        let d = assert_fires(
            &UnnecessaryTools,
            "FROM debian:12 AS base\nRUN apt-get install -y nmap\nFROM base\nCMD [\"app\"]\n",
        );
        assert!(d[0].message.contains("`nmap`"));
        assert_passes(
            &UnnecessaryTools,
            "FROM debian:12 AS base\nRUN apt-get install -y nmap\nFROM base\nRUN apt-get purge -y nmap\n",
        );
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_removes_unused_tools() {
        let text = "FROM debian:12\nRUN apt-get install -y python3 curl git\nCMD [\"python3\", \"app.py\"]\n";
        let d = assert_fires(&UnnecessaryTools, text);
        assert_eq!(d.len(), 2);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some("FROM debian:12\nRUN apt-get install -y python3 git\nCMD [\"python3\", \"app.py\"]\n")
        );
        assert!(d[0].fix.as_ref().is_some_and(|f| f.title.contains("nothing later")));
        // every package of the command goes: the command goes, and the RUN with it
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y vim\nCMD [\"app\"]\n";
        let d = assert_fires(&UnnecessaryTools, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM debian:12\nCMD [\"app\"]\n"));
    }

    #[test]
    fn no_fix_when_used_later_or_by_a_script() {
        let d = assert_fires(
            &UnnecessaryTools,
            "FROM debian:12\nRUN apt-get install -y curl\nRUN curl -fsSLo /x https://x\nCMD [\"app\"]\n",
        );
        assert!(d[0].fix.is_none());
        let d = assert_fires(
            &UnnecessaryTools,
            "FROM debian:12\nRUN apt-get install -y wget && ./install.sh\nCMD [\"app\"]\n",
        );
        assert!(d[0].fix.is_none());
    }
}
