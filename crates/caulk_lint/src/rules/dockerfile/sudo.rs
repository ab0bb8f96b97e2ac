//! DF203: sudo used in RUN.

use caulk_syntax::shell::basename;

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks RUN instructions (in every stage, nested `sh -c` strings and ONBUILD triggers
    /// included) for commands run through `sudo`. Installing the `sudo` package or mentioning
    /// the word elsewhere (`echo sudo`) is not reported.
    ///
    /// ## Why is this bad?
    /// Build steps already run as the current `USER`; switching with `USER root` for the steps
    /// that need it is explicit and visible. `sudo` in a build means the image carries sudo
    /// with a policy that lets the runtime user become root again, which defeats running
    /// unprivileged, and its TTY/environment handling makes builds behave unpredictably.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// USER app
    /// RUN sudo apt-get update && sudo apt-get install -y curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y curl
    /// USER app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3004; Trivy DS-0010 (AVD-DS-0010); Checkov CKV2_DOCKER_1; Dockle DKL-DI-0001
    /// - [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    pub(crate) struct Sudo {
        code: "DF203",
        name: "sudo",
        summary: "sudo used in RUN",
        severity: Medium,
        fix: None,
        aliases: ["DL3004", "AVD-DS-0010", "CKV2_DOCKER_1", "DKL-DI-0001"],
    }
}

impl DockerfileRule for Sudo {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, _, commands) in cx.runs() {
            for cmd in commands {
                // the wrappers before the program (`env X=1 sudo -E make`), and the program itself
                let upto = cmd.program_index().unwrap_or(0);
                if let Some(w) = cmd.words.get(..=upto).unwrap_or(&[]).iter().find(|w| basename(&w.value) == "sudo") {
                    let rest = cmd.program_word().filter(|p| basename(&p.value) != "sudo").map(|p| p.value.clone());
                    found.push((w.range, rest));
                }
            }
        }
        for (range, program) in found {
            let message = match program {
                Some(p) => format!("`sudo` runs `{p}` in RUN"),
                None => "`sudo` is used in RUN".to_owned(),
            };
            cx.report(range, message)
                .set_help("drop `sudo`: run the step as root with `USER root` before it, then switch back to the unprivileged user; don't ship sudo");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::Sudo;

    #[test]
    fn fires_on_sudo_commands() {
        let text = "FROM ubuntu:24.04\nRUN sudo apt-get update && sudo -E apt-get install -y curl\n";
        let d = assert_fires(&Sudo, text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].range.slice(text), "sudo");
        assert!(d[0].message.contains("`apt-get`"));
        assert_fires(&Sudo, "FROM ubuntu:24.04\nRUN bash -c 'sudo make install'\n");
        assert_fires(
            &Sudo,
            "FROM ubuntu:24.04\nRUN env DEBIAN_FRONTEND=noninteractive /usr/bin/sudo apt-get install -y x\n",
        );
        assert_fires(&Sudo, "FROM ubuntu:24.04\nONBUILD RUN sudo make\n");
    }

    #[test]
    fn passes_without_running_sudo() {
        assert_passes(&Sudo, "FROM ubuntu:24.04\nRUN apt-get install -y sudo && echo sudo\n");
        assert_passes(&Sudo, "FROM ubuntu:24.04\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app\n");
        assert_passes(&Sudo, "FROM ubuntu:24.04\nCMD sudo -u app /app\n");
    }
}
