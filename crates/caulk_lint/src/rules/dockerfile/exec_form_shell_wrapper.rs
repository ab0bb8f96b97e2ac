//! DF403: exec-form CMD or ENTRYPOINT that wraps `sh -c`.

use caulk_core::{Edit, Fix};
use caulk_syntax::dockerfile::{Body, CommandLine, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::shell_form_command::{abbreviate, exec_json, is_posix_shell, plain_command};

declare_rule! {
    /// ## What it does
    /// Checks the `CMD` and `ENTRYPOINT` the final image runs for an exec form that only
    /// starts a shell with a command string: `["sh", "-c", "python3 app.py"]` (also `bash`,
    /// `/bin/sh`, `ash`, `dash`, `zsh`, `ksh`, with options such as `-ec`). Not reported:
    /// shells running a script file (`["bash", "/entrypoint.sh"]`), strings that hand over to
    /// the program with `exec` after doing real shell work (`"envsubst < t > c && exec nginx"`)
    /// or that handle signals themselves (`trap`), build stages, and overridden instructions.
    ///
    /// When the string needs no shell (plain words only, an optional leading `exec`), a fix
    /// rewrites `CMD ["sh", "-c", "python3 app.py"]` to `CMD ["python3", "app.py"]`: safe for a
    /// CMD without ENTRYPOINT, unsafe otherwise (an ENTRYPOINT's exec form starts accepting CMD
    /// and `docker run` arguments; a CMD is the ENTRYPOINT's arguments).
    ///
    /// ## Why is this bad?
    /// It is the shell form in disguise: the shell can stay the container's main process, and a
    /// shell does not forward `docker stop`'s SIGTERM to its child, so the application is
    /// killed after the timeout instead of shutting down gracefully. It also gains nothing:
    /// without shell syntax the shell only adds a process, and with it the same
    /// string-building that invites injection through interpolated values.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["sh", "-c", "python3 app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// CMD ["python3", "app.py"]
    /// ```
    /// or, when shell features are needed, let the program replace the shell:
    /// ```dockerfile
    /// CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app:app"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    /// - [Docker best practices: ENTRYPOINT and `exec`](https://docs.docker.com/build/building/best-practices/#entrypoint)
    pub(crate) struct ExecFormShellWrapper {
        code: "DF403",
        name: "exec-form-shell-wrapper",
        summary: "exec-form CMD or ENTRYPOINT that wraps `sh -c`",
        severity: Medium,
        fix: Sometimes,
        aliases: [],
    }
}

impl DockerfileRule for ExecFormShellWrapper {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(fc) = cx.final_context() else { return };
        let mut found = Vec::new();
        for i in [fc.entrypoint, fc.cmd].into_iter().flatten() {
            let Some(inst) = cx.df.instructions.get(i) else { continue };
            let Body::Command(CommandLine::Exec { args, range }) = &inst.body else { continue };
            let Some(shell) = args.first().filter(|a| is_posix_shell(&a.value)) else { continue };
            // options up to the command string: `-c`, `-ec`, `-o pipefail -c`, `-l`
            let mut has_c = false;
            let mut j = 1;
            let mut only_c = true;
            while let Some(a) = args.get(j) {
                let v = a.value.as_str();
                let Some(cluster) = v
                    .strip_prefix('-')
                    .or_else(|| v.strip_prefix('+'))
                    .filter(|c| !c.is_empty() && !v.starts_with("--"))
                else {
                    break;
                };
                j += 1;
                only_c &= v == "-c";
                for ch in cluster.chars() {
                    match ch {
                        'c' if v.starts_with('-') => has_c = true,
                        'o' | 'O' => j += 1,
                        _ => {}
                    }
                }
            }
            if !has_c {
                continue;
            }
            let c_end = args.get(j.saturating_sub(1)).map_or(shell.range, |a| a.range);
            let wrapper = shell.range.cover(c_end);
            let keyword = inst.keyword.as_str();
            let Some(script) = args.get(j) else {
                found.push((wrapper, format!("{keyword} runs its command through `{} -c`: the shell can stay the main process and does not pass signals on", shell.value), None));
                continue;
            };
            let words = plain_command(&script.value);
            if words.is_none() && hands_over(cx, i) {
                continue;
            }
            let shown = abbreviate(&script.value);
            let message = format!(
                "{keyword} runs `{shown}` through `{} -c`: the shell can stay the main process and does not pass signals on",
                shell.value
            );
            let fix =
                words.filter(|_| only_c && j + 1 == args.len() && !cx.slice(*range).contains('\n')).map(|words| {
                    let edit = Edit::replace(*range, exec_json(&words));
                    if inst.keyword == Keyword::Entrypoint {
                        Fix::unsafe_edit(
                            "run the program directly (the ENTRYPOINT will receive CMD and `docker run` arguments)",
                            vec![edit],
                        )
                    } else if fc.entrypoint.is_some() {
                        Fix::unsafe_edit(
                            "run the program directly (this changes the arguments the ENTRYPOINT receives)",
                            vec![edit],
                        )
                    } else {
                        Fix::safe("run the program directly", vec![edit])
                    }
                });
            found.push((wrapper, message, fix));
        }
        for (range, message, fix) in found {
            let d = cx.report(range, message);
            d.set_help("list the program and its arguments directly (`[\"python3\", \"app.py\"]`); if the shell is needed, start the final command with `exec` so it replaces the shell");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

/// Whether the `-c` string of instruction `index` ends by `exec`-ing its program or installs
/// its own signal handling (`trap`).
fn hands_over(cx: &Checker<'_>, index: usize) -> bool {
    let nested: Vec<_> = cx.commands(index).iter().filter(|c| c.depth == 1).collect();
    nested.iter().any(|c| c.words.first().is_some_and(|w| w.value == "trap"))
        || nested
            .iter()
            .rev()
            .find(|c| !c.words.is_empty())
            .is_some_and(|c| c.words.first().is_some_and(|w| w.value == "exec"))
}

#[cfg(test)]
mod tests {
    use caulk_core::Applicability;

    use crate::test::{assert_fires, assert_passes};

    use super::ExecFormShellWrapper;

    #[test]
    fn fires_on_the_seed_with_a_safe_fix() {
        let text = "FROM ubuntu:18.04\nUSER root\nCMD [\"sh\", \"-c\", \"python3 app.py\"]\n";
        let d = assert_fires(&ExecFormShellWrapper, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "\"sh\", \"-c\"");
        assert!(d[0].message.contains("`python3 app.py`"));
        let fix = d[0].fix.as_ref().unwrap_or_else(|| unreachable!());
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].content, "[\"python3\", \"app.py\"]");
    }

    #[test]
    fn fires_without_fix_when_the_shell_is_used() {
        let d = assert_fires(
            &ExecFormShellWrapper,
            "FROM python:3.12\nCMD [\"/bin/bash\", \"-ec\", \"python3 app.py --port $PORT\"]\n",
        );
        assert!(d[0].fix.is_none());
        let d = assert_fires(
            &ExecFormShellWrapper,
            "FROM python:3.12\nENTRYPOINT [\"sh\", \"-c\", \"exec python3 app.py\"]\n",
        );
        assert_eq!(d[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        assert_fires(
            &ExecFormShellWrapper,
            "FROM python:3.12\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"python3 app.py\"]\n",
        );
    }

    #[test]
    fn passes_on_direct_programs_scripts_exec_and_trap() {
        assert_passes(&ExecFormShellWrapper, "FROM python:3.12\nENTRYPOINT [\"python\"]\nCMD [\"app.py\"]\n");
        assert_passes(&ExecFormShellWrapper, "FROM python:3.12\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n");
        assert_passes(&ExecFormShellWrapper, "FROM python:3.12\nCMD [\"bash\", \"/start.sh\"]\n");
        assert_passes(
            &ExecFormShellWrapper,
            "FROM nginx:1.27\nCMD [\"sh\", \"-c\", \"envsubst < /t > /etc/nginx/conf.d/default.conf && exec nginx -g 'daemon off;'\"]\n",
        );
        assert_passes(
            &ExecFormShellWrapper,
            "FROM python:3.12\nCMD [\"sh\", \"-c\", \"trap 'kill $PID' TERM; python app.py & PID=$!; wait $PID\"]\n",
        );
        assert_passes(
            &ExecFormShellWrapper,
            "FROM python:3.12 AS test\nCMD [\"sh\", \"-c\", \"pytest\"]\nFROM python:3.12\nCMD [\"app\"]\n",
        );
    }
}
