//! IM103: the container's command runs through `sh -c`.

use crate::image::{ImageChecker, ImageRule};
use crate::rules::dockerfile::shell_form_command::{abbreviate, is_posix_shell};

declare_rule! {
    /// ## What it does
    /// Checks the command a container of the image starts — `Entrypoint` followed by `Cmd` —
    /// for a shell running a command string: `["/bin/sh", "-c", "python app.py"]`. That is how
    /// a shell-form `CMD python app.py` is stored, and what an exec-form `sh -c` wrapper looks
    /// like (also `bash`, `ash`, `dash`, `zsh`, `ksh`, with options such as `-ec`).
    ///
    /// Not reported: shells running a script file (`["/bin/sh", "/entrypoint.sh"]`), a command
    /// string that hands over to the program with `exec` (`"exec gunicorn app:app"`,
    /// `"envsubst < t > c && exec nginx"`) or traps signals itself, and Windows images.
    ///
    /// ## Why is this bad?
    /// The shell becomes the container's main process (PID 1). `docker stop` sends SIGTERM to
    /// the shell, which does not pass it on: the application never shuts down gracefully and
    /// is killed after the timeout, losing in-flight work. Command strings built by a shell
    /// also invite injection through interpolated values.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["sh", "-c", "python3 app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// CMD ["python3", "app.py"]
    /// ```
    /// or, when shell features are needed, `CMD ["sh", "-c", "exec python3 app.py --port $PORT"]`.
    ///
    /// ## References
    /// - caulk DF402/DF403 (the same problem in a Dockerfile); hadolint DL3025
    /// - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    pub(crate) struct ShellCommand {
        code: "IM103",
        name: "image-shell-command",
        summary: "container command runs through `sh -c`",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ShellCommand {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        if cx.image.config.os.eq_ignore_ascii_case("windows") {
            return;
        }
        let rc = &cx.image.config.config;
        // what the container runs: ENTRYPOINT followed by CMD as its arguments, or CMD alone
        let cmd = rc.cmd.as_deref().unwrap_or_default();
        let (keyword, argv): (&str, Vec<&String>) = match rc.entrypoint.as_deref() {
            Some(e) if !e.is_empty() => ("ENTRYPOINT", e.iter().chain(cmd).collect()),
            _ if !cmd.is_empty() => ("CMD", cmd.iter().collect()),
            _ => return,
        };
        let Some(shell) = argv.first().filter(|a| is_posix_shell(a)) else { return };
        // options up to the command string: `-c`, `-ec`, `-o pipefail -c`
        let mut j = 1;
        let mut has_c = false;
        while let Some(a) = argv.get(j) {
            let Some(cluster) =
                a.strip_prefix('-').or_else(|| a.strip_prefix('+')).filter(|c| !c.is_empty() && !a.starts_with("--"))
            else {
                break;
            };
            j += 1;
            for ch in cluster.chars() {
                match ch {
                    'c' if a.starts_with('-') => has_c = true,
                    'o' | 'O' => j += 1,
                    _ => {}
                }
            }
        }
        if !has_c {
            return;
        }
        let script = argv.get(j).map_or("", |s| s.as_str());
        if hands_over(script) {
            return;
        }
        let message = if script.is_empty() {
            format!("{keyword} runs `{shell} -c`: the shell is the main process and does not pass signals on")
        } else {
            format!(
                "{keyword} runs `{}` through `{shell} -c` (shell form or a `sh -c` wrapper): the shell is the main process and does not pass SIGTERM on",
                abbreviate(script)
            )
        };
        cx.report_config(&[keyword], message).set_help(
            "use the exec form, `CMD [\"python3\", \"app.py\"]`, or start the command string with `exec` so the program replaces the shell",
        );
    }
}

/// Whether the command string ends by replacing the shell with the program (`exec …` as its
/// last command) or handles signals itself (`trap`).
fn hands_over(script: &str) -> bool {
    script.trim_start().starts_with("exec ")
        || ["&& exec ", "; exec ", ";exec ", "\nexec ", "|| exec "].iter().any(|w| script.contains(w))
        || script.contains("trap ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_sh_c() {
        let image = debian("13", "trixie")
            .config("Cmd", json!(["/bin/sh", "-c", "python app.py"]))
            .step("CMD [\"/bin/sh\" \"-c\" \"python app.py\"]");
        let d = assert_fires(&ShellCommand, &image);
        assert!(d[0].message.starts_with("CMD runs `python app.py` through `/bin/sh -c`"), "{}", d[0].message);
        assert_eq!(
            d[0].image.as_deref().and_then(|l| l.instruction.as_deref()),
            Some("CMD [\"/bin/sh\" \"-c\" \"python app.py\"]")
        );
        assert_fires(&ShellCommand, &debian("13", "trixie").config("Entrypoint", json!(["bash", "-ec", "./run"])));
        // the command string may come from CMD
        let d = assert_fires(
            &ShellCommand,
            &debian("13", "trixie")
                .config("Entrypoint", json!(["/bin/sh", "-c"]))
                .config("Cmd", json!(["python app.py"])),
        );
        assert!(d[0].message.starts_with("ENTRYPOINT runs `python app.py` through `/bin/sh -c`"), "{}", d[0].message);
        assert_fires(
            &ShellCommand,
            &debian("13", "trixie").config("Cmd", json!(["sh", "-o", "pipefail", "-c", "a | b"])),
        );
    }

    #[test]
    fn quiet_on_exec_form_scripts_and_exec_handover() {
        assert_passes(&ShellCommand, &debian("13", "trixie").config("Cmd", json!(["python", "app.py"])));
        assert_passes(&ShellCommand, &debian("13", "trixie").config("Cmd", json!(["/bin/sh", "/entrypoint.sh"])));
        assert_passes(
            &ShellCommand,
            &debian("13", "trixie").config("Cmd", json!(["sh", "-c", "exec gunicorn app:app"])),
        );
        assert_passes(
            &ShellCommand,
            &debian("13", "trixie")
                .config("Cmd", json!(["sh", "-c", "envsubst < t > c && exec nginx -g 'daemon off;'"])),
        );
        // the CMD is the ENTRYPOINT's arguments
        assert_passes(
            &ShellCommand,
            &debian("13", "trixie")
                .config("Entrypoint", json!(["/docker-entrypoint.sh"]))
                .config("Cmd", json!(["sh", "-c", "x"])),
        );
    }
}
