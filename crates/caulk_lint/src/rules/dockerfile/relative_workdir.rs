//! DF601: WORKDIR with a relative path; also home of the stage-walking helpers the WORKDIR- and
//! USER-aware rules (DF603, DF605) share.

use caulk_syntax::dockerfile::{Base, Body, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks for `WORKDIR` instructions whose path, after variable expansion, is relative,
    /// when no absolute `WORKDIR` was set earlier in the stage (or in the stages it is built
    /// `FROM`).
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the working directory in effect, which for a
    /// fresh stage is whatever the base image chose (`/` for most, `/usr/src/app`, `/go`,
    /// `/home/node` for others). The same Dockerfile then puts files in different places when
    /// the base image changes, and readers cannot tell from the file where `.` is.
    ///
    /// A relative `WORKDIR` after an absolute one of the same stage (`WORKDIR /app` then
    /// `WORKDIR src`) is well defined and is not reported; variables that cannot be resolved
    /// are not reported either.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR app
    /// COPY . .
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY . .
    /// ```
    ///
    /// ## References
    /// - hadolint DL3000, Trivy AVD-DS-0009, Checkov CKV_DOCKER_10 (they also report a relative
    ///   `WORKDIR` that follows an absolute one)
    /// - [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
    pub(crate) struct RelativeWorkdir {
        code: "DF601",
        name: "relative-workdir",
        summary: "WORKDIR with a relative path",
        severity: Low,
        fix: None,
        aliases: ["DL3000", "AVD-DS-0009", "CKV_DOCKER_10"],
    }
}

impl DockerfileRule for RelativeWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.instructions() {
            let (Keyword::Workdir, Body::Text(t)) = (inst.keyword, &inst.body) else { continue };
            let expanded = cx.model.expand(cx.df, i, &t.value);
            let value = expanded.value.trim();
            if !expanded.is_resolved() || value.is_empty() || is_absolute(value) {
                continue;
            }
            // relative to an absolute WORKDIR of our own: well defined (ONBUILD triggers run in
            // a child image whose WORKDIR we cannot see)
            let onbuild = cx.df.instructions.get(i).is_some_and(|outer| outer.keyword == Keyword::Onbuild);
            if !onbuild && workdir_before(cx, i).is_some() {
                continue;
            }
            let shown = if value == t.value.trim() {
                format!("`{value}`")
            } else {
                format!("`{}` (= `{value}`)", t.value.trim())
            };
            cx.report(
                t.range,
                format!("WORKDIR {shown} is relative: it resolves against the base image's working directory"),
            )
            .set_help(format!("use an absolute path, e.g. `WORKDIR /{}`", value.trim_start_matches("./")));
        }
    }
}

/// Whether a path is absolute for the builder: `/x`, or a Windows drive path `C:\x`, `C:/x`,
/// or a root-relative `\x`.
pub(crate) fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    match b {
        [b'/' | b'\\', ..] => true,
        [d, b':', b'\\' | b'/', ..] => d.is_ascii_alphabetic(),
        [d, b':'] => d.is_ascii_alphabetic(),
        _ => false,
    }
}

/// Instruction indices that take effect before instruction `index` in its stage: the bodies of
/// the stages it is built `FROM` (oldest first), then its own instructions before `index`.
/// `ONBUILD` instructions are included as written (callers look at their own keyword only).
pub(crate) fn chain_before(cx: &Checker<'_>, index: usize) -> Vec<usize> {
    let Some(stage) = cx.stage_of(index) else { return Vec::new() };
    let mut chain = vec![stage];
    let mut cur = stage;
    while let Base::Stage(p) = cur.base {
        match cx.model.stages.get(p) {
            Some(s) if p < cur.index && chain.len() < 64 => {
                chain.push(s);
                cur = s;
            }
            _ => break,
        }
    }
    let mut out = Vec::new();
    for s in chain.iter().rev() {
        let end = if s.index == stage.index { index } else { s.end };
        out.extend(s.from + 1..end.max(s.from + 1));
    }
    out
}

/// Whether the stage of instruction `index` (or a stage it is built `FROM`) has any WORKDIR
/// before it.
pub(crate) fn any_workdir_before(cx: &Checker<'_>, index: usize) -> bool {
    chain_before(cx, index)
        .into_iter()
        .any(|i| cx.df.instructions.get(i).is_some_and(|inst| inst.keyword == Keyword::Workdir))
}

/// The absolute working directory in effect before instruction `index`, as set by this stage's
/// WORKDIRs (and those of the stages it is built `FROM`); `None` when no absolute WORKDIR was
/// set (it then depends on the base image) or a variable could not be resolved.
pub(crate) fn workdir_before(cx: &Checker<'_>, index: usize) -> Option<String> {
    let mut current: Option<String> = None;
    for i in chain_before(cx, index) {
        let Some(inst) = cx.df.instructions.get(i) else { continue };
        let (Keyword::Workdir, Body::Text(t)) = (inst.keyword, &inst.body) else { continue };
        let expanded = cx.model.expand(cx.df, i, &t.value);
        let value = expanded.value.trim();
        current = if !expanded.is_resolved() || value.is_empty() {
            None
        } else if is_absolute(value) {
            Some(value.to_owned())
        } else {
            current.map(|base| join(&base, value))
        };
    }
    current
}

/// `base` joined with the relative `rel` (no `..` resolution beyond simple components).
pub(crate) fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{RelativeWorkdir, is_absolute, join};

    #[test]
    fn fires_on_relative_path() {
        let d = assert_fires(&RelativeWorkdir, "FROM python:3.12\nWORKDIR app\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`app`"), "{}", d[0].message);
    }

    #[test]
    fn fires_on_variable_resolving_to_relative() {
        let d = assert_fires(&RelativeWorkdir, "FROM python:3.12\nARG DIR=src\nWORKDIR $DIR\n");
        assert!(d[0].message.contains("`$DIR` (= `src`)"), "{}", d[0].message);
    }

    #[test]
    fn passes_on_absolute_variables_and_relative_after_absolute() {
        assert_passes(&RelativeWorkdir, "FROM python:3.12\nWORKDIR /app\nWORKDIR src\n");
        assert_passes(&RelativeWorkdir, "FROM python:3.12\nENV APP=/srv/app\nWORKDIR $APP\nWORKDIR ${UNSET}/x\n");
        assert_passes(&RelativeWorkdir, "FROM python:3.12 AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n");
        assert_passes(
            &RelativeWorkdir,
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\n",
        );
        assert_passes(&RelativeWorkdir, "FROM python:3.12\nWORKDIR ${HOME}/app\n");
    }

    #[test]
    fn stage_inheritance_does_not_leak_from_unrelated_stages() {
        assert_fires(&RelativeWorkdir, "FROM alpine AS a\nWORKDIR /app\nFROM alpine\nWORKDIR src\n");
    }

    #[test]
    fn helpers() {
        assert!(
            is_absolute("/x")
                && is_absolute("C:\\x")
                && is_absolute("c:/x")
                && !is_absolute("x")
                && !is_absolute("./x")
        );
        assert_eq!(join("/app/", "src/../lib"), "/app/lib");
        assert_eq!(join("/", "."), "/");
    }
}
