//! DF201: shipped stage never sets USER, so it runs as root.
//!
//! Also home of the helpers the user rules share: the stage whose FROM names the final
//! image's base, images known to run unprivileged or to be Windows, and privilege dropping.

use caulk_syntax::dockerfile::{Base, ImageRef, Keyword, Model, Stage};
use caulk_syntax::shell::basename;

use crate::checker::Checker;
use crate::rule::DockerfileRule;
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
        fix: None,
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
        cx.report(fin.base_range, message).set_help(help);
    }
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
}
