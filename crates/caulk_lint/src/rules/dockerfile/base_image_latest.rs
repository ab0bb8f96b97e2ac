//! DF104: base image pinned to the moving `latest` tag.

use caulk_syntax::dockerfile::Base;

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks every `FROM` that names an image for the `:latest` tag, also when an ARG's
    /// default expands to it (`ARG TAG=latest` / `FROM node:$TAG`). A digest (`@sha256:…`) pins
    /// the image and makes the tag irrelevant, so `image:latest@sha256:…` is fine. References
    /// whose ARG has no value, `scratch` and stage names are not reported. An image without any
    /// tag is DF103.
    ///
    /// ## Why is this bad?
    /// `latest` is not a version: it points at whatever was pushed last. The same Dockerfile
    /// builds on a different base from one day to the next (possibly a new major release),
    /// builds are not reproducible, and you cannot tell which base a running image has.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-bookworm-slim
    /// ```
    ///
    /// ## References
    /// - hadolint DL3007; Trivy DS-0001 (AVD-DS-0001); Checkov CKV_DOCKER_7
    /// - [Docker best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    pub(crate) struct BaseImageLatest {
        code: "DF104",
        name: "base-image-latest",
        summary: "base image pinned to the moving `latest` tag",
        severity: Medium,
        fix: None,
        aliases: ["DL3007", "AVD-DS-0001", "CKV_DOCKER_7"],
    }
}

impl DockerfileRule for BaseImageLatest {
    fn check(&self, cx: &mut Checker<'_>) {
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else { continue };
            if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
                continue;
            }
            let written = cx.slice(stage.base_range);
            let via = if written.contains('$') { format!(" (from `{written}`)") } else { String::new() };
            let text = stage.base_text.trim();
            let repo = text.strip_suffix(":latest").unwrap_or(text);
            cx.report(stage.base_range, format!("base image `{text}`{via} uses the moving `latest` tag")).set_help(
                format!("pin a version tag such as `{repo}:<version>`, or a digest `{repo}@sha256:<digest>`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::BaseImageLatest;

    #[test]
    fn fires_on_latest() {
        let d = assert_fires(&BaseImageLatest, "FROM python:latest\n");
        assert!(d[0].message.contains("`python:latest`"));
        let d = assert_fires(&BaseImageLatest, "ARG TAG=latest\nFROM node:${TAG} AS web\n");
        assert!(d[0].message.contains("`node:latest`"));
        assert!(d[0].message.contains("`node:${TAG}`"));
        assert_fires(&BaseImageLatest, "FROM golang:1.23 AS build\nFROM gcr.io/distroless/static:latest\n");
    }

    #[test]
    fn passes_on_versions_digests_and_untagged() {
        assert_passes(&BaseImageLatest, "FROM python:3.12\n");
        assert_passes(&BaseImageLatest, "FROM python:latest@sha256:0123456789abcdef\n");
        assert_passes(&BaseImageLatest, "FROM python\n");
        assert_passes(&BaseImageLatest, "ARG TAG\nFROM node:$TAG\n");
        assert_passes(&BaseImageLatest, "FROM scratch\n");
        assert_passes(&BaseImageLatest, "FROM alpine:latest-ish\n");
    }
}
