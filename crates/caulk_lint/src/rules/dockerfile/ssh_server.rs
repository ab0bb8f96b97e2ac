//! DF204: SSH server installed in the image.

use caulk_core::Fix;
use caulk_syntax::dockerfile::{Body, CommandLine};
use caulk_syntax::shell::basename;

use crate::checker::Checker;
use crate::packages::Manager;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::unnecessary_tools::{package_removal, pkg_is, removal_candidates, shipped_packages};

declare_rule! {
    /// ## What it does
    /// Checks the stages that end up in the built image for an SSH server installed with a
    /// package manager: `openssh-server` (Debian, Ubuntu, RHEL, Fedora, SUSE, Alpine), the
    /// Debian/Ubuntu `ssh` metapackage, Alpine's and openSUSE's `openssh` (which pull in the
    /// server), `dropbear` and `tinysshd`. Client-only packages (`openssh-client`,
    /// `openssh-clients`) are not servers (see DF407). A server installed in a build stage that
    /// is not shipped, or removed again later, is fine.
    ///
    /// ## Fix
    /// An unsafe fix removes the server package from its install command (the command, or the
    /// RUN, when nothing else is left in it), unless the image's own `CMD`/`ENTRYPOINT` starts
    /// an SSH daemon: then SSH is the image's purpose, and the fix would leave it broken.
    /// Clients (`openssh-client`) stay; DF407 covers them.
    ///
    /// ## Why is this bad?
    /// A container should run one process, and it is reached with `docker exec` or
    /// `kubectl exec`, not SSH. An SSH daemon adds a network-facing login service with its own
    /// keys, passwords and CVEs; it is often set up with weak settings (root login, password
    /// authentication, host keys baked into the image and shared by every container).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y openssh-server python3
    /// CMD ["/usr/sbin/sshd", "-D"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y python3
    /// USER 10001
    /// CMD ["python3", "app.py"]
    /// ```
    /// and open a shell with `docker exec -it <container> sh` when you need one.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7: do not run sshd within containers
    /// - [Docker docs: docker container exec](https://docs.docker.com/reference/cli/docker/container/exec/)
    pub(crate) struct SshServer {
        code: "DF204",
        name: "ssh-server",
        summary: "SSH server installed in the image",
        severity: High,
        fix: Sometimes,
        aliases: [],
    }
}

/// SSH daemons an image may start.
const DAEMONS: &[&str] = &["sshd", "dropbear", "tinysshd"];

/// Whether the final image's CMD or ENTRYPOINT starts an SSH daemon (`/usr/sbin/sshd -D`).
pub(crate) fn image_runs_ssh_server(cx: &Checker<'_>) -> bool {
    let Some(fc) = cx.final_context() else { return false };
    [fc.cmd, fc.entrypoint].into_iter().flatten().any(|i| {
        let exec = cx.df.instructions.get(i).is_some_and(|inst| match &inst.body {
            Body::Command(CommandLine::Exec { args, .. }) => args.iter().any(|a| DAEMONS.contains(&basename(&a.value))),
            _ => false,
        });
        exec || cx.commands(i).iter().any(|c| c.words.iter().any(|w| DAEMONS.contains(&basename(&w.value))))
    })
}

/// Whether a package (by manager and base name) installs an SSH server.
pub(crate) fn is_ssh_server(manager: Manager, name: &str) -> bool {
    let common = ["openssh-server", "dropbear", "tinysshd"].iter().any(|t| pkg_is(manager, name, t));
    common
        || match manager {
            // `ssh` depends on openssh-client and openssh-server; dropbear-bin is the daemon
            Manager::Apt => matches!(name, "ssh" | "dropbear-bin" | "openssh-server-gssapi"),
            // Alpine's `openssh` is a metapackage that pulls in openssh-server
            Manager::Apk => matches!(name, "openssh" | "openssh-server-pam"),
            // openSUSE's `openssh` requires openssh-server and openssh-clients
            Manager::Zypper => pkg_is(manager, name, "openssh"),
            _ => false,
        }
}

impl DockerfileRule for SshServer {
    fn check(&self, cx: &mut Checker<'_>) {
        let pkgs = shipped_packages(cx);
        let candidates = removal_candidates(cx, &pkgs);
        let found: Vec<_> = pkgs
            .iter()
            .filter(|p| !p.removed && is_ssh_server(p.manager, &p.name))
            .map(|p| {
                let fix = candidates
                    .contains(&p.word.range)
                    .then(|| package_removal(cx, p, &candidates))
                    .flatten()
                    .map(|edits| {
                        Fix::unsafe_edit(format!("remove the SSH server `{}` from the install", p.word.value), edits)
                    });
                (p.word.range, p.word.value.clone(), fix)
            })
            .collect();
        for (range, written, fix) in found {
            let d = cx.report(range, format!("`{written}` installs an SSH server in the final image"))
                .set_help("remove it: reach containers with `docker exec` / `kubectl exec`; if a service really needs SSH, run it in a dedicated, hardened image");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::SshServer;

    #[test]
    fn fires_on_openssh_server() {
        let d = assert_fires(
            &SshServer,
            "FROM ubuntu:18.04\nRUN apt-get install -y python3-pip curl openssh-server openssh-client\nCMD [\"python3\", \"app.py\"]\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`openssh-server`"));
    }

    #[test]
    fn fires_on_distro_variants() {
        assert_fires(&SshServer, "FROM alpine:3.20\nRUN apk add --no-cache openssh\n");
        assert_fires(&SshServer, "FROM debian:12\nRUN apt-get install -y ssh\n");
        assert_fires(&SshServer, "FROM rockylinux:9\nRUN dnf install -y openssh-server-8.7p1\n");
        assert_fires(&SshServer, "FROM debian:12\nRUN apt-get install -y openssh-server=1:9.2p1-2\n");
        assert_fires(&SshServer, "FROM alpine:3.20\nRUN apk add dropbear\n");
    }

    #[test]
    fn passes_on_clients_and_rhel_openssh() {
        assert_passes(&SshServer, "FROM debian:12\nRUN apt-get install -y openssh-client\n");
        assert_passes(&SshServer, "FROM rockylinux:9\nRUN dnf install -y openssh openssh-clients\n");
        assert_passes(&SshServer, "FROM alpine:3.20\nRUN apk add openssh-client openssh-keygen\n");
    }

    #[test]
    fn passes_in_build_stages_and_after_removal() {
        assert_passes(
            &SshServer,
            "FROM debian:12 AS test\nRUN apt-get install -y openssh-server\nFROM debian:12\nCMD [\"app\"]\n",
        );
        assert_passes(
            &SshServer,
            "FROM debian:12\nRUN apt-get install -y openssh-server && apt-get purge -y openssh-server\n",
        );
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_removes_only_the_server() {
        let text = "FROM ubuntu:18.04\nRUN apt-get install -y \\\n    python3 \\\n    openssh-server \\\n    openssh-client\nCMD [\"python3\"]\n";
        let d = assert_fires(&SshServer, text);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some(
                "FROM ubuntu:18.04\nRUN apt-get install -y \\\n    python3 \\\n    openssh-client\nCMD [\"python3\"]\n"
            )
        );
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y openssh-server && rm -rf /var/lib/apt/lists/*\nCMD [\"app\"]\n";
        let d = assert_fires(&SshServer, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM debian:12\nCMD [\"app\"]\n"));
    }

    #[test]
    fn no_fix_when_the_image_runs_sshd() {
        let d = assert_fires(
            &SshServer,
            "FROM debian:12\nRUN apt-get install -y openssh-server\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
        );
        assert!(d[0].fix.is_none());
    }
}
