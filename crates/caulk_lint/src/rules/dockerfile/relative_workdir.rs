//! DF601: WORKDIR with a relative path; also home of the stage-walking helpers the WORKDIR- and
//! USER-aware rules (DF603, DF605) share.

use caulk_core::{Edit, Fix};
use caulk_syntax::dockerfile::{Base, Body, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::no_user::root_stage;

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
    /// ## Fix
    /// Rewrites the path as an absolute one resolved against `/` (`WORKDIR app` →
    /// `WORKDIR /app`; with a variable, `WORKDIR /$DIR`). The fix is safe when the base image is
    /// known to work in `/` (scratch, and official images such as `debian`, `ubuntu`, `alpine`,
    /// `python`, `node` that set no WORKDIR), unsafe otherwise: an image such as `golang`
    /// (`/go`) or `php` (`/var/www/html`) would resolve it elsewhere.
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
        fix: Sometimes,
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
            let written = t.value.trim();
            let absolute = if written.contains('$') { format!("/{written}") } else { join("/", written) };
            let edit = Edit::replace(t.range, absolute.clone());
            // after another (relative or unknown) WORKDIR the path is relative to that one: once
            // the first is fixed, this one is well defined and no longer reported
            let fix = if onbuild || any_workdir_before(cx, i) {
                None
            } else if base_works_in_root(cx, i) {
                Some(Fix::safe(format!("use the absolute path `{absolute}`"), vec![edit]))
            } else {
                Some(Fix::unsafe_edit(
                    format!("use the absolute path `{absolute}` (assumes the base image works in `/`)"),
                    vec![edit],
                ))
            };
            let d = cx
                .report(
                    t.range,
                    format!("WORKDIR {shown} is relative: it resolves against the base image's working directory"),
                )
                .set_help(format!("use an absolute path, e.g. `WORKDIR /{}`", value.trim_start_matches("./")));
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

/// Official images whose working directory is `/` (they set no WORKDIR).
const ROOT_WORKDIR_IMAGES: &[&str] = &[
    "alpine",
    "debian",
    "ubuntu",
    "busybox",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "archlinux",
    "python",
    "node",
    "ruby",
    "rust",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "nginx",
    "redis",
    "perl",
    "buildpack-deps",
    "erlang",
    "elixir",
    "haskell",
    "swift",
    "bash",
];

/// Whether the base image of instruction `index`'s stage is known to work in `/`: `scratch`,
/// or an official image that sets no WORKDIR.
fn base_works_in_root(cx: &Checker<'_>, index: usize) -> bool {
    let Some(stage) = cx.stage_of(index) else { return false };
    match &root_stage(cx.model, stage).base {
        Base::Scratch => true,
        Base::Image(image) => image.is_docker_hub() && ROOT_WORKDIR_IMAGES.contains(&image.hub_path()),
        _ => false,
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

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_is_safe_on_bases_that_work_in_root() {
        let text = "FROM python:3.12\nWORKDIR app\n";
        let d = assert_fires(&RelativeWorkdir, text);
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, caulk_core::Applicability::Safe);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM python:3.12\nWORKDIR /app\n"));
        let text = "FROM golang:1.23\nARG DIR=src\nWORKDIR $DIR\n";
        let d = assert_fires(&RelativeWorkdir, text);
        assert_eq!(d[0].fix.as_ref().map(|f| f.applicability), Some(caulk_core::Applicability::Unsafe));
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM golang:1.23\nARG DIR=src\nWORKDIR /$DIR\n"));
    }

    #[test]
    fn no_fix_after_another_relative_workdir() {
        let d = assert_fires(&RelativeWorkdir, "FROM alpine:3.20\nWORKDIR app\nWORKDIR ./src/\n");
        assert_eq!(d.len(), 2);
        assert!(d[0].fix.is_some() && d[1].fix.is_none());
    }
}
