//! DF402: CMD or ENTRYPOINT in shell form.
//!
//! Also home of the helpers DF403 shares: splitting a command that needs no shell into its
//! words, and writing words as an exec-form JSON array.

use std::fmt::Write as _;

use caulk_core::{Edit, Fix};
use caulk_syntax::dockerfile::{Base, Body, CommandLine, Keyword};
use caulk_syntax::shell::basename;

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::no_user::{is_windows_image, root_stage};

declare_rule! {
    /// ## What it does
    /// Checks the `CMD` and `ENTRYPOINT` the final image runs for the shell form
    /// (`CMD python app.py`), which Docker wraps in `/bin/sh -c`. Overridden instructions
    /// (DF404/DF405), build stages, `HEALTHCHECK CMD` (where the shell form is normal),
    /// Windows images and stages whose `SHELL` is not a POSIX shell are not reported.
    ///
    /// When the command needs no shell (only plain or simply quoted words: no `$`, globs,
    /// redirections, `&&`, `|`, `;`, backslashes or shell builtins), a fix rewrites it to the
    /// exec form, dropping a leading `exec`: `CMD python3 app.py` → `CMD ["python3", "app.py"]`.
    /// The fix is safe for CMD when no ENTRYPOINT is set (otherwise the CMD is the
    /// ENTRYPOINT's arguments and changes), and unsafe for ENTRYPOINT, whose exec form starts
    /// accepting CMD and `docker run` arguments.
    ///
    /// ## Why is this bad?
    /// In shell form the shell is the container's main process: `docker stop`'s SIGTERM goes to
    /// the shell, which does not pass it on, so the application never shuts down gracefully
    /// and is killed after the timeout. A shell-form ENTRYPOINT also silently ignores CMD and
    /// `docker run` arguments.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD python3 app.py
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// CMD ["python3", "app.py"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL3025; KICS "Not Using JSON In CMD And ENTRYPOINT Arguments"
    /// - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    /// - [Docker best practices: ENTRYPOINT](https://docs.docker.com/build/building/best-practices/#entrypoint)
    pub(crate) struct ShellFormCommand {
        code: "DF402",
        name: "shell-form-command",
        summary: "CMD or ENTRYPOINT in shell form",
        severity: Medium,
        fix: Sometimes,
        aliases: ["DL3025"],
    }
}

impl DockerfileRule for ShellFormCommand {
    fn check(&self, cx: &mut Checker<'_>) {
        let (Some(fc), Some(fin)) = (cx.final_context(), cx.model.final_stage()) else { return };
        if let Base::Image(image) = &root_stage(cx.model, fin).base
            && is_windows_image(image)
        {
            return;
        }
        let mut found = Vec::new();
        for i in [fc.entrypoint, fc.cmd].into_iter().flatten() {
            let Some(inst) = cx.df.instructions.get(i) else { continue };
            let Body::Command(CommandLine::Shell { text, range, .. }) = &inst.body else { continue };
            if !posix_shell_at(cx, i) {
                continue;
            }
            let is_entrypoint = inst.keyword == Keyword::Entrypoint;
            let shown = abbreviate(text.trim());
            // `exec program` replaces the shell, so signals do reach the program; what remains is
            // that the line is still interpreted by `/bin/sh -c` (and, for ENTRYPOINT, CMD is ignored)
            let execs = text.trim_start().starts_with("exec ");
            let message = match (is_entrypoint, execs) {
                (true, false) => format!(
                    "ENTRYPOINT `{shown}` is in shell form: `/bin/sh -c` becomes the main process, signals are not passed on, and CMD and `docker run` arguments are ignored"
                ),
                (true, true) => format!(
                    "ENTRYPOINT `{shown}` is in shell form: it runs through `/bin/sh -c`, and CMD and `docker run` arguments are ignored"
                ),
                (false, false) => format!(
                    "CMD `{shown}` is in shell form: `/bin/sh -c` becomes the main process and does not pass signals on"
                ),
                (false, true) => format!(
                    "CMD `{shown}` is in shell form: `exec` hands signals on, but the line still depends on `/bin/sh` being in the image and on its word splitting"
                ),
            };
            let fix = plain_command(text).filter(|_| cx.slice(*range).trim() == text.trim()).map(|words| {
                let edit = Edit::replace(*range, exec_json(&words));
                if is_entrypoint {
                    Fix::unsafe_edit(
                        "use the exec form (the ENTRYPOINT will receive CMD and `docker run` arguments)",
                        vec![edit],
                    )
                } else if fc.entrypoint.is_some() {
                    Fix::unsafe_edit(
                        "use the exec form (this changes the arguments the ENTRYPOINT receives)",
                        vec![edit],
                    )
                } else {
                    Fix::safe("use the exec form", vec![edit])
                }
            });
            found.push((*range, message, fix));
        }
        for (range, message, fix) in found {
            let d = cx.report(range, message);
            d.set_help("write it in exec form, `[\"program\", \"arg\"]`; if it needs the shell, put it in a script that ends with `exec \"$@\"` or `exec program`");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

/// Whether the SHELL in effect at instruction `index` is a POSIX shell (the default is).
fn posix_shell_at(cx: &Checker<'_>, index: usize) -> bool {
    let last_shell = cx.shipped_instructions().filter(|(i, inst)| *i < index && inst.keyword == Keyword::Shell).last();
    match last_shell.map(|(_, inst)| &inst.body) {
        Some(Body::List { items, .. }) => items.first().is_some_and(|p| is_posix_shell(&p.value)),
        _ => true,
    }
}

/// `sh`, `/bin/bash`, `dash`, `ash`, `zsh`, `ksh`.
pub(crate) fn is_posix_shell(program: &str) -> bool {
    matches!(basename(program), "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
}

/// Shortens a command for a message.
pub(crate) fn abbreviate(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(59).collect::<String>())
    } else {
        one_line
    }
}

/// Shell builtins and keywords that have no program of their own to exec.
const BUILTINS: &[&str] = &[
    "cd", "source", ".", "export", "set", "unset", "trap", "wait", "eval", "exit", "return", "shift", "ulimit",
    "umask", "alias", "read", "readonly", "local", "type", "hash", "times", "getopts", "command", "builtin", "if",
    "then", "else", "fi", "for", "while", "until", "do", "done", "case", "esac", "function", "select", "[[", "!", "{",
    "}", "exec",
];

/// The words of a shell command that needs no shell to run, with a leading `exec` dropped:
/// `None` when it uses any shell syntax or starts with a builtin or an assignment.
pub(crate) fn plain_command(text: &str) -> Option<Vec<String>> {
    let mut words = plain_words(text)?;
    if words.first().is_some_and(|w| w == "exec") && words.len() > 1 {
        words.remove(0);
    }
    let first = words.first()?;
    if BUILTINS.contains(&first.as_str()) || first.contains('=') || first.starts_with('-') {
        return None;
    }
    Some(words)
}

/// Splits `text` into words when it contains nothing but plain characters, blanks and simple
/// quotes (`'…'`, or `"…"` without `$`, backquote or backslash).
fn plain_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' | '\\' => return None,
                        c => cur.push(c),
                    }
                }
            }
            c if c.is_alphanumeric() || "-_./:=,@+%^".contains(c) => {
                in_word = true;
                cur.push(c);
            }
            _ => return None,
        }
    }
    if in_word {
        words.push(cur);
    }
    (!words.is_empty()).then_some(words)
}

/// `["a", "b"]` with each word JSON-escaped.
pub(crate) fn exec_json(words: &[String]) -> String {
    let items: Vec<String> = words.iter().map(|w| json_string(w)).collect();
    format!("[{}]", items.join(", "))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use caulk_core::Applicability;

    use crate::test::{assert_fires, assert_passes};

    use super::{ShellFormCommand, exec_json, plain_command};

    #[test]
    fn fires_with_a_safe_fix_for_plain_cmd() {
        let text = "FROM python:3.12\nCMD python3 app.py --port 8000\n";
        let d = assert_fires(&ShellFormCommand, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`python3 app.py --port 8000`"));
        let fix = d[0].fix.as_ref().unwrap_or_else(|| unreachable!());
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].content, "[\"python3\", \"app.py\", \"--port\", \"8000\"]");
    }

    #[test]
    fn fix_is_unsafe_for_entrypoint_and_absent_for_shell_syntax() {
        let d = assert_fires(&ShellFormCommand, "FROM python:3.12\nENTRYPOINT exec gunicorn 'app:create()'\n");
        let fix = d[0].fix.as_ref().unwrap_or_else(|| unreachable!());
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.edits[0].content, "[\"gunicorn\", \"app:create()\"]");
        let d = assert_fires(&ShellFormCommand, "FROM python:3.12\nCMD python app.py --port $PORT\n");
        assert!(d[0].fix.is_none());
        let d = assert_fires(&ShellFormCommand, "FROM python:3.12\nCMD cd /app && python app.py\n");
        assert!(d[0].fix.is_none());
        let d = assert_fires(&ShellFormCommand, "FROM python:3.12\nENTRYPOINT [\"tini\", \"--\"]\nCMD python app.py\n");
        assert_eq!(d[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn passes_on_exec_form_overridden_healthcheck_and_windows() {
        assert_passes(&ShellFormCommand, "FROM python:3.12\nCMD [\"python3\", \"app.py\"]\n");
        assert_passes(&ShellFormCommand, "FROM python:3.12\nCMD python3 old.py\nCMD [\"python3\", \"app.py\"]\n");
        assert_passes(&ShellFormCommand, "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n");
        assert_passes(&ShellFormCommand, "FROM python:3.12 AS test\nCMD pytest\nFROM python:3.12\nCMD [\"app\"]\n");
        assert_passes(&ShellFormCommand, "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping -t localhost\n");
        assert_passes(&ShellFormCommand, "FROM debian:12\nSHELL [\"pwsh\", \"-Command\"]\nCMD Write-Host hi\n");
    }

    #[test]
    fn plain_commands() {
        assert_eq!(plain_command("exec python3 app.py"), Some(vec!["python3".to_owned(), "app.py".to_owned()]));
        assert_eq!(plain_command("node \"server 1.js\""), Some(vec!["node".to_owned(), "server 1.js".to_owned()]));
        for bad in [
            "a | b", "a > b", "a; b", "echo $X", "ls *.py", "~/run", "A=1 app", "cd /x", "a && b", "a \\\n b", "a `b`",
            "a # c",
        ] {
            assert_eq!(plain_command(bad), None, "{bad}");
        }
        assert_eq!(exec_json(&["a\"b".to_owned()]), "[\"a\\\"b\"]");
    }
}
