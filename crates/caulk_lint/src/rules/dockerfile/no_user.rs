//! DF201: shipped stage never sets USER, so it runs as root.
//!
//! Also home of the helpers the user rules share: the stage whose FROM names the final
//! image's base, images known to run unprivileged or to be Windows, privilege dropping, and
//! the fix both offer (create an unprivileged user fitting the base distribution, switch to it).

use caulk_core::{Edit, Fix};
use caulk_syntax::dockerfile::{Base, Body, ImageRef, Keyword, Model, Stage};
use caulk_syntax::shell::basename;

use crate::checker::Checker;
use crate::context::is_root_user;
use crate::edits::{after_instruction, before_instruction, lines_at};
use crate::packages::{Manager, installs, invocations};
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::relative_workdir::chain_before;
use crate::rules::dockerfile::unnecessary_tools::shipped_packages;

declare_rule! {
    /// ## What it does
    /// Checks that the final (built) stage, or a stage it is built `FROM`, sets `USER`. Without
    /// one the container runs as whatever user the base image defines, which is root for almost
    /// every image, and for `FROM scratch` uid 0.
    ///
    /// Not reported: base images known to default to an unprivileged user (distroless
    /// `:nonroot` tags, `*-nonroot` / `*-rootless` / `*-unprivileged` images, Chainguard images
    /// other than `wolfi-base`, Bitnami images, .NET `chiseled` images), Windows images (whose
    /// users work differently), bases given by an ARG without a value, and images whose
    /// `CMD`/`ENTRYPOINT` drop privileges themselves (`gosu`, `su-exec`, `setpriv`, `runuser`,
    /// `s6-setuidgid`, `chpst`), or that install `gosu`/`su-exec` for their entrypoint script
    /// (the official-image pattern). An explicit `USER root` is DF202.
    ///
    /// ## Why is this bad?
    /// A process running as root in a container is root on the host's kernel: a single
    /// application bug combined with a kernel or runtime vulnerability, a mounted socket or an
    /// over-broad capability becomes a host compromise. An unprivileged user limits the blast
    /// radius and keeps the process from modifying the image's own files.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --system --uid 10001 --no-create-home app
    /// COPY app.py /app/
    /// USER 10001
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Fix
    /// An unsafe fix creates an unprivileged user fitting the base image's distribution, after
    /// the stage's last package install: `groupadd --system app && useradd --system --gid app
    /// --no-create-home app` on Debian and Ubuntu, `addgroup -S app && adduser -S -G app app` on
    /// Alpine, `useradd -r -U app` on RHEL-family images (a user the Dockerfile already creates
    /// with `useradd`/`adduser` is reused), then adds `USER app` before the final `CMD` or
    /// `ENTRYPOINT`. Images without those tools (scratch, distroless, unknown bases) get the
    /// numeric `USER 65532:65532`. It is unsafe because the application then cannot write to
    /// root-owned files or bind ports below 1024.
    ///
    /// ## References
    /// - Checkov CKV_DOCKER_3; Dockle CIS-DI-0001; Trivy DS-0002 (AVD-DS-0002) fires on both a
    ///   missing USER and `USER root` (see DF202); KICS "Missing User Instruction"
    /// - CIS Docker Benchmark 4.1: create a user for the container
    /// - [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    pub(crate) struct NoUser {
        code: "DF201",
        name: "no-user",
        summary: "shipped stage never sets USER, so it runs as root",
        severity: High,
        fix: Sometimes,
        aliases: ["CKV_DOCKER_3", "CIS-DI-0001", "AVD-DS-0002"],
    }
}

impl DockerfileRule for NoUser {
    fn check(&self, cx: &mut Checker<'_>) {
        let (Some(fc), Some(fin)) = (cx.final_context(), cx.model.final_stage()) else { return };
        if fc.user.is_some() {
            return;
        }
        let root = root_stage(cx.model, fin);
        let message = match &root.base {
            Base::Scratch => "the final image never sets USER, so it runs as root (uid 0)".to_owned(),
            Base::Image(image) => {
                if runs_unprivileged_by_default(image) || is_windows_image(image) {
                    return;
                }
                format!(
                    "the final image never sets USER, so it runs as the user of `{}`, which is root for most images",
                    root.base_text.trim()
                )
            }
            Base::Stage(_) | Base::Unresolved { .. } => return,
        };
        if drops_privileges(cx) {
            return;
        }
        let help = if root.base == Base::Scratch {
            "add `USER 65532:65532` (any unprivileged uid:gid) before CMD/ENTRYPOINT"
        } else {
            "create an unprivileged user and switch to it before CMD/ENTRYPOINT: `RUN useradd --system --uid 10001 app` then `USER 10001`"
        };
        let fix = user_fix(cx, None);
        let d = cx.report(fin.base_range, message).set_help(help);
        if let Some(fix) = fix {
            d.set_fix(fix);
        }
    }
}

/// How a base distribution creates users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Debian,
    Alpine,
    Rhel,
    /// No user tools known to be there (scratch, distroless, ubi-minimal, unknown): a numeric user.
    Numeric,
}

/// The unprivileged user the DF201/DF202 fix switches to.
const APP_USER: &str = "app";
/// The numeric user for images without user tools (distroless's `nonroot`).
const NUMERIC_USER: &str = "65532:65532";

/// Official images built on Debian unless their tag says otherwise.
const DEBIAN_BASED: &[&str] = &[
    "debian",
    "ubuntu",
    "python",
    "node",
    "ruby",
    "golang",
    "rust",
    "openjdk",
    "eclipse-temurin",
    "php",
    "perl",
    "buildpack-deps",
    "nginx",
    "httpd",
    "redis",
    "postgres",
    "gcc",
    "elixir",
    "erlang",
    "haskell",
    "julia",
    "r-base",
];
/// Images of the RHEL family whose standard variants ship `useradd`.
const RHEL_BASED: &[&str] = &["centos", "rockylinux", "almalinux", "fedora", "oraclelinux", "ubi8", "ubi9", "ubi10"];

/// The distribution family the final image is built on: from the package managers its
/// shipped stages run, else from the base image's name.
fn family(cx: &Checker<'_>, fin: &Stage) -> Family {
    let root = root_stage(cx.model, fin);
    let Base::Image(image) = &root.base else { return Family::Numeric };
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let path = image.path.to_ascii_lowercase();
    if path.contains("distroless")
        || image.registry_host() == "cgr.dev"
        || path.contains("minimal")
        || path.contains("micro")
    {
        return Family::Numeric;
    }
    let mut managers = Vec::new();
    for i in final_chain(cx, fin) {
        for inv in invocations(cx.commands(i)) {
            managers.push((inv.manager, inv.program));
        }
    }
    if managers.iter().any(|(_, p)| *p == "microdnf") {
        return Family::Numeric;
    }
    for (m, _) in &managers {
        match m {
            Manager::Apt => return Family::Debian,
            Manager::Apk => return Family::Alpine,
            Manager::Yum => return Family::Rhel,
            _ => {}
        }
    }
    let name = image.name().to_ascii_lowercase();
    if name == "alpine" || tag.contains("alpine") {
        Family::Alpine
    } else if RHEL_BASED.contains(&name.as_str()) {
        Family::Rhel
    } else if image.is_docker_hub() && DEBIAN_BASED.contains(&image.hub_path()) {
        Family::Debian
    } else {
        Family::Numeric
    }
}

/// Instruction indices of the final stage and the stages it is built `FROM`, oldest first.
fn final_chain(cx: &Checker<'_>, fin: &Stage) -> Vec<usize> {
    match fin.end.checked_sub(1).filter(|&last| last > fin.from) {
        Some(last) => {
            let mut out = chain_before(cx, last);
            out.push(last);
            out
        }
        None => chain_before(cx, fin.from),
    }
}

/// A user the shipped stages already create with `useradd`/`adduser` (its last operand).
fn created_user(cx: &Checker<'_>, fin: &Stage) -> Option<String> {
    let mut found = None;
    for i in final_chain(cx, fin) {
        for cmd in cx.commands(i) {
            if !(cmd.is("useradd") || cmd.is("adduser")) {
                continue;
            }
            let name = cmd.args().last().filter(|w| !w.has_expansion && !w.value.starts_with('-'));
            if let Some(w) = name.filter(|w| {
                !is_root_user(&w.value)
                    && w.value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            }) {
                found = Some(w.value.clone());
            }
        }
    }
    found
}

/// The user in effect just before instruction `index` (from its stage chain's USERs).
fn user_before(cx: &Checker<'_>, index: usize) -> Option<String> {
    chain_before(cx, index).into_iter().rev().find_map(|i| {
        let inst = cx.df.instructions.get(i)?;
        match (&inst.body, inst.keyword) {
            (Body::Text(t), Keyword::User) => Some(cx.model.expand(cx.df, i, &t.value).value),
            _ => None,
        }
    })
}

/// The fix DF201 and DF202 share: create an unprivileged user fitting the base distribution
/// (after the final stage's last OS package install, while still root) and switch to it before
/// the final CMD/ENTRYPOINT. `root_user`: the instruction index of the `USER root` DF202
/// reports, replaced in place when no RUN follows it.
pub(crate) fn user_fix(cx: &Checker<'_>, root_user: Option<usize>) -> Option<Fix> {
    let fin = cx.model.final_stage()?;
    // lines inserted after an unterminated heredoc would become part of it
    if cx.df.instructions.iter().any(|i| i.heredocs.iter().any(|h| !h.terminated)) {
        return None;
    }
    let family = family(cx, fin);
    let existing = created_user(cx, fin);
    let (user, create) = match (&existing, family) {
        (Some(u), _) => (u.clone(), None),
        (None, Family::Numeric) => (NUMERIC_USER.to_owned(), None),
        (None, Family::Debian) => (
            APP_USER.to_owned(),
            Some(format!(
                "groupadd --system {APP_USER} && useradd --system --gid {APP_USER} --no-create-home {APP_USER}"
            )),
        ),
        (None, Family::Alpine) => {
            (APP_USER.to_owned(), Some(format!("addgroup -S {APP_USER} && adduser -S -G {APP_USER} {APP_USER}")))
        }
        (None, Family::Rhel) => (APP_USER.to_owned(), Some(format!("useradd -r -U {APP_USER}"))),
    };
    let body = fin.body();
    let kw = |i: usize| cx.df.instructions.get(i).map(|inst| inst.keyword);
    let last_run = body.clone().filter(|&i| kw(i) == Some(Keyword::Run)).max();
    let last_install = body
        .clone()
        .filter(|&i| kw(i) == Some(Keyword::Run))
        .filter(|&i| {
            installs(cx.commands(i))
                .iter()
                .any(|x| matches!(x.manager, Manager::Apt | Manager::Apk | Manager::Yum | Manager::Zypper))
        })
        .max();
    // where the user is created: after the last OS package install, or right after FROM, as root
    let mut run_at = last_install.map_or(fin.from + 1, |i| i + 1);
    if create.is_some() && user_before(cx, run_at).is_some_and(|u| !is_root_user(&u)) {
        let last_root = body
            .clone()
            .filter(|&i| kw(i) == Some(Keyword::User))
            .filter(|&i| user_before(cx, i + 1).is_some_and(|u| is_root_user(&u)))
            .max()?;
        run_at = last_root + 1;
    }
    // where the user is switched to: after the last RUN, before the first CMD/ENTRYPOINT after it
    let after_runs = last_run.map_or(fin.from + 1, |i| i + 1);
    let user_at = body
        .clone()
        .filter(|&i| i >= after_runs && matches!(kw(i), Some(Keyword::Cmd | Keyword::Entrypoint)))
        .min()
        .unwrap_or(fin.end)
        .max(run_at);
    let run_line = create.as_ref().map(|c| format!("RUN {c}\n"));
    let in_place = root_user.filter(|&u| body.contains(&u) && last_run.is_none_or(|r| r < u) && run_at <= u);
    // (offset, text) inserts; the user is created right below the instruction it follows
    let mut inserts: Vec<(u32, String)> = Vec::new();
    if let Some(line) = run_line {
        inserts.push((after_instruction(cx.text, cx.df, run_at - 1), line));
    }
    let mut edits = Vec::new();
    match in_place {
        Some(u) => edits.push(Edit::replace(cx.df.instructions.get(u)?.args_range, user.clone())),
        None => inserts.push((before_instruction(cx.text, cx.df, user_at), format!("USER {user}\n"))),
    }
    // inserts at one offset become one edit, in order
    for (at, text) in inserts {
        match edits.iter_mut().find(|e: &&mut Edit| e.range.is_empty() && e.range.start == at) {
            Some(e) => e.content.push_str(&text),
            None => edits.push(lines_at(cx.text, at, &text)),
        }
    }
    let how = match (&existing, &create) {
        (Some(_), _) => format!("run as `{user}`, the user the Dockerfile creates"),
        (None, Some(c)) => format!("create the unprivileged user `{user}` (`{c}`) and run as it"),
        (None, None) => format!("run as the numeric unprivileged user `{user}`"),
    };
    Some(Fix::unsafe_edit(format!("{how}; files the application writes must be writable by it"), edits))
}

/// The stage whose FROM names the image `stage` is ultimately built on (following
/// `FROM <stage>` chains).
pub(crate) fn root_stage<'a>(model: &'a Model, stage: &'a Stage) -> &'a Stage {
    let mut cur = stage;
    for _ in 0..model.stages.len() {
        match cur.base {
            Base::Stage(p) => match model.stages.get(p) {
                Some(s) => cur = s,
                None => break,
            },
            _ => break,
        }
    }
    cur
}

/// Windows base images (`servercore`, `nanoserver`, `windows/…`, `*-windowsservercore-*`).
pub(crate) fn is_windows_image(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    image.path.contains("windows")
        || image.path.contains("servercore")
        || image.path.contains("nanoserver")
        || ["windowsservercore", "nanoserver", "servercore", "ltsc"].iter().any(|w| tag.contains(w))
}

/// Well-known images (registry, path or path prefix) whose own Dockerfile ends with a
/// non-root `USER`.
const NON_ROOT_IMAGES: &[(&str, &str)] = &[
    ("docker.io", "grafana/grafana"),
    ("docker.io", "grafana/grafana-oss"),
    ("docker.io", "grafana/grafana-enterprise"),
    ("docker.io", "grafana/loki"),
    ("docker.io", "jenkins/jenkins"),
    ("docker.io", "jenkins/inbound-agent"),
    ("docker.io", "prom"),
    ("quay.io", "prometheus"),
    ("docker.elastic.co", "elasticsearch"),
    ("docker.elastic.co", "kibana"),
    ("docker.elastic.co", "logstash"),
    ("docker.elastic.co", "beats"),
    ("quay.io", "keycloak/keycloak"),
    ("docker.io", "sonarqube"),
    ("mcr.microsoft.com", "mssql/server"),
];

/// Images documented to default to an unprivileged user.
fn runs_unprivileged_by_default(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let (host, path) = if image.is_docker_hub() {
        ("docker.io", image.hub_path())
    } else {
        (image.registry_host(), image.path.as_str())
    };
    ["nonroot", "rootless", "unprivileged"].iter().any(|w| tag.contains(w) || path.contains(w))
        || (host == "cgr.dev" && image.name() != "wolfi-base")
        || (image.is_docker_hub() && path.starts_with("bitnami/") && image.name() != "minideb")
        || tag.contains("chiseled")
        || NON_ROOT_IMAGES
            .iter()
            .any(|(h, prefix)| host == *h && (path == *prefix || path.starts_with(&format!("{prefix}/"))))
        || (host == "mcr.microsoft.com" && path.starts_with("dotnet/") && tag.contains("distroless"))
}

/// Programs that switch to another user before running a command.
const PRIVILEGE_DROPPERS: &[&str] =
    &["gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst", "setuidgid", "su"];

/// Whether the image drops root itself: its CMD/ENTRYPOINT run through a privilege dropper, or
/// the shipped stages install `gosu`/`su-exec` (for an entrypoint script to use).
pub(crate) fn drops_privileges(cx: &Checker<'_>) -> bool {
    if let Some(fc) = cx.final_context() {
        for i in [fc.cmd, fc.entrypoint].into_iter().flatten() {
            for cmd in cx.commands(i) {
                let upto = cmd.program_index().unwrap_or(0);
                if cmd
                    .words
                    .get(..=upto)
                    .unwrap_or(&[])
                    .iter()
                    .any(|w| PRIVILEGE_DROPPERS.contains(&basename(&w.value)))
                {
                    return true;
                }
            }
        }
    }
    if shipped_packages(cx).iter().any(|p| !p.removed && matches!(p.name.as_str(), "gosu" | "su-exec")) {
        return true;
    }
    // downloaded like the official images do: `wget -O /usr/local/bin/gosu …; gosu nobody true`
    cx.shipped_instructions().filter(|(_, inst)| inst.keyword == Keyword::Run).any(|(i, _)| {
        cx.commands(i).iter().any(|c| {
            c.words.iter().any(|w| {
                let b = basename(&w.value);
                !w.has_expansion
                    && (b == "gosu" || b == "su-exec")
                    && (w.value.contains('/') || c.words.first().is_some_and(|f| f == w))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::NoUser;

    #[test]
    fn fires_without_user() {
        let text = "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n";
        let d = assert_fires(&NoUser, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`python:3.12-slim`"));
        assert_eq!(d[0].range.slice(text), "python:3.12-slim");
        let d = assert_fires(
            &NoUser,
            "FROM golang:1.23 AS build\nUSER builder\nFROM scratch\nCOPY --from=build /app /app\n",
        );
        assert!(d[0].message.contains("uid 0"));
    }

    #[test]
    fn fires_through_stage_chains() {
        let text = "FROM debian:12 AS base\nRUN true\nFROM base\nCMD [\"app\"]\n";
        let d = assert_fires(&NoUser, text);
        assert_eq!(d[0].range.slice(text), "base");
        assert!(d[0].message.contains("`debian:12`"));
    }

    #[test]
    fn passes_with_user_here_or_inherited() {
        assert_passes(&NoUser, "FROM python:3.12\nUSER app\n");
        assert_passes(&NoUser, "FROM python:3.12 AS base\nUSER 10001\nFROM base\nCMD [\"app\"]\n");
        // a USER in a build stage does not count, but the final one does
        assert_passes(
            &NoUser,
            "FROM golang:1.23 AS build\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n",
        );
    }

    #[test]
    fn passes_on_nonroot_windows_unknown_and_privilege_dropping_images() {
        assert_passes(&NoUser, "FROM cgr.dev/chainguard/python:latest\n");
        assert_passes(&NoUser, "FROM nginxinc/nginx-unprivileged:1.27\n");
        assert_passes(&NoUser, "FROM grafana/grafana:11.2.0\n");
        assert_passes(&NoUser, "FROM docker.elastic.co/elasticsearch/elasticsearch:8.15.0\n");
        assert_passes(&NoUser, "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n");
        assert_passes(&NoUser, "FROM python:3.12-windowsservercore-ltsc2022\n");
        assert_passes(&NoUser, "ARG BASE\nFROM $BASE\n");
        assert_passes(&NoUser, "FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"/entrypoint.sh\"]\n");
        assert_passes(&NoUser, "FROM alpine:3.20\nENTRYPOINT [\"su-exec\", \"app\", \"/app\"]\n");
        assert_passes(
            &NoUser,
            "FROM debian:12\nRUN wget -O /usr/local/bin/gosu https://x/gosu && chmod +x /usr/local/bin/gosu\nCMD [\"postgres\"]\n",
        );
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_creates_a_user_fitting_the_distribution() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y python3\nCOPY app.py /app/\nCMD [\"python3\", \"/app/app.py\"]\n";
        let d = assert_fires(&NoUser, text);
        assert_eq!(d[0].fix.as_ref().map(|f| f.applicability), Some(caulk_core::Applicability::Unsafe));
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some(
                "FROM debian:12\nRUN apt-get update && apt-get install -y python3\nRUN groupadd --system app && useradd --system --gid app --no-create-home app\nCOPY app.py /app/\nUSER app\nCMD [\"python3\", \"/app/app.py\"]\n"
            )
        );
        let text = "FROM alpine:3.20\nCMD [\"/app\"]\n";
        let d = assert_fires(&NoUser, text);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some("FROM alpine:3.20\nRUN addgroup -S app && adduser -S -G app app\nUSER app\nCMD [\"/app\"]\n")
        );
        let text = "FROM rockylinux:9\nRUN dnf install -y httpd\nRUN echo done\n";
        let d = assert_fires(&NoUser, text);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some("FROM rockylinux:9\nRUN dnf install -y httpd\nRUN useradd -r -U app\nRUN echo done\nUSER app\n")
        );
        let text = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n";
        let d = assert_fires(&NoUser, text);
        assert!(
            fixed(text, &d[0])
                .is_some_and(|t| t.ends_with("COPY --from=build /app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n"))
        );
    }

    #[test]
    fn fix_reuses_a_user_the_dockerfile_creates() {
        let text = "FROM debian:12\nRUN useradd --system web\nCMD [\"app\"]\n";
        let d = assert_fires(&NoUser, text);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some("FROM debian:12\nRUN useradd --system web\nUSER web\nCMD [\"app\"]\n")
        );
        // no fix where the rule does not fire: an unprivileged base
        assert_passes(&NoUser, "FROM cgr.dev/chainguard/python:latest\nCMD [\"app\"]\n");
    }
}
