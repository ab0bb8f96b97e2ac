//! IM214: tools an attacker can use, left in the image.

use caulk_image::tier::is_busybox_applet;

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports, one finding per tool, programs a running service rarely needs but an attacker
    /// always wants, found as an installed OS package or a program in the usual directories:
    /// download tools (`curl`, `wget`), `git`, remote-access clients (`ssh`, `scp`, `telnet`,
    /// `ftp`), raw network tools (`nc`, `ncat`, `socat`, `nmap`, `tcpdump`), debuggers
    /// (`gdb`, `strace`) and editors (`vim`, `nano`). busybox applets (symbolic or hard links to
    /// `busybox`) are not listed one by one: IM208 notes busybox.
    ///
    /// ## Why is this bad?
    /// After a code-execution bug, these turn a foothold into an attack: fetch a second stage
    /// (`curl | sh`), open a reverse shell (`nc -e`), pivot over SSH, read memory with a
    /// debugger. Each is also more code with its own vulnerabilities. The seed analyses list
    /// curl, wget and git in production images as a recurring finding.
    ///
    /// ## Example
    /// An image built with `RUN apt-get install -y curl wget git python3`.
    ///
    /// Use instead: install tools only in build stages; probe health with the application
    /// itself (`HEALTHCHECK CMD ["python", "-c", "…urlopen('http://localhost:8000/health')"]`).
    ///
    /// ## References
    /// - Dockle CIS-DI-0003 (listed, not implemented there); caulk DF407 for Dockerfiles
    /// - CIS Docker Benchmark 4.3: do not install unnecessary packages
    pub(crate) struct UnnecessaryTools {
        code: "IM214",
        name: "image-unnecessary-tools",
        summary: "tools an attacker can use left in the image",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0003"],
    }
}

/// A tool: its packages, its programs, and what it is.
struct Tool {
    packages: &'static [&'static str],
    programs: &'static [&'static str],
    kind: &'static str,
}

const TOOLS: &[Tool] = &[
    Tool { packages: &["curl"], programs: &["curl"], kind: "a download tool" },
    Tool { packages: &["wget", "wget2"], programs: &["wget", "wget2"], kind: "a download tool" },
    Tool { packages: &["git", "git-core"], programs: &["git"], kind: "a source-control client that can fetch code" },
    Tool {
        packages: &["openssh-client", "openssh-clients", "openssh-client-default"],
        programs: &["ssh", "scp", "sftp"],
        kind: "a remote-access client",
    },
    Tool {
        packages: &["netcat", "netcat-openbsd", "netcat-traditional", "netcat-gnu", "ncat", "nmap-ncat", "socat"],
        programs: &["nc", "netcat", "ncat", "socat"],
        kind: "a raw network tool (reverse shells)",
    },
    Tool { packages: &["telnet", "inetutils-telnet"], programs: &["telnet"], kind: "a remote-access client" },
    Tool { packages: &["ftp", "lftp", "tnftp"], programs: &["ftp", "lftp"], kind: "a file-transfer client" },
    Tool { packages: &["nmap"], programs: &["nmap"], kind: "a network scanner" },
    Tool { packages: &["tcpdump"], programs: &["tcpdump"], kind: "a packet sniffer" },
    Tool { packages: &["strace"], programs: &["strace"], kind: "a debugger" },
    Tool { packages: &["gdb"], programs: &["gdb"], kind: "a debugger" },
    Tool {
        packages: &["vim", "vim-tiny", "vim-nox", "vim-enhanced", "vim-minimal", "nano", "emacs", "emacs-nox"],
        programs: &["vim", "vi", "nano", "emacs"],
        kind: "an editor",
    },
];

impl ImageRule for UnnecessaryTools {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let fs = &cx.image.fs;
        let mut found: Vec<(String, String)> = Vec::new();
        for tool in TOOLS {
            let programs: Vec<(String, String)> = cx
                .programs(|n| tool.programs.contains(&n))
                .into_iter()
                .filter(|(_, path)| !is_busybox_applet(fs, path))
                .collect();
            let packages: Vec<(String, String, String)> = cx
                .image
                .packages
                .iter()
                .filter(|p| p.kind.is_os() && tool.packages.contains(&p.name.as_str()))
                .map(|p| (p.name.clone(), p.version.clone(), p.evidence.path.clone()))
                .collect();
            let Some(name) = programs.first().map(|p| p.0.clone()).or_else(|| packages.first().map(|p| p.0.clone()))
            else {
                continue;
            };
            let mut evidence: Vec<String> = programs.iter().map(|(_, p)| format!("`{p}`")).collect();
            evidence.extend(packages.iter().map(|(n, v, _)| format!("package `{n}` {v}")));
            let path = programs
                .first()
                .map_or_else(|| packages.first().map(|p| p.2.clone()).unwrap_or_default(), |p| p.1.clone());
            found.push((path, format!("`{name}` ({}) is in the image: {}", tool.kind, evidence.join(", "))));
        }
        for (path, message) in found {
            cx.report_path(&path, message).set_help(
                "install it only in a build stage, or remove it in the same RUN once it has served its purpose",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian, dpkg_status};

    #[test]
    fn fires_per_tool() {
        let image = debian("13", "trixie").layer("RUN apt-get install -y curl wget git", |l| {
            l.exec("/usr/bin/curl").exec("/usr/bin/wget").exec("/usr/bin/git").file(
                "/var/lib/dpkg/status",
                dpkg_status(&[("curl", "8.14.1-2"), ("wget", "1.25.0-2"), ("git", "1:2.47.2-0.2")]),
            )
        });
        let d = assert_fires(&UnnecessaryTools, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`curl` (a download tool) is in the image: `/usr/bin/curl`, package `curl` 8.14.1-2",
                "`git` (a source-control client that can fetch code) is in the image: `/usr/bin/git`, package `git` 1:2.47.2-0.2",
                "`wget` (a download tool) is in the image: `/usr/bin/wget`, package `wget` 1.25.0-2",
            ]
        );
    }

    #[test]
    fn quiet_without_tools_or_with_busybox_applets() {
        assert_passes(&UnnecessaryTools, &debian("13", "trixie"));
        let image = debian("13", "trixie")
            .layer("ADD busybox", |l| l.exec("/usr/bin/busybox").symlink("/usr/bin/wget", "busybox"));
        assert_passes(&UnnecessaryTools, &image);
    }
}
