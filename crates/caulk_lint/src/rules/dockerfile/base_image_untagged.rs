//! DF103: base image without a tag or digest.

use caulk_syntax::dockerfile::Base;

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks every `FROM` that names an image for a missing tag and digest, which Docker
    /// reads as `:latest`. ARGs in the reference are expanded with their defaults; a reference
    /// whose ARG has no value, `scratch` and earlier stage names are not reported. A digest
    /// (`@sha256:…`) pins the image and is fine without a tag.
    ///
    /// ## Why is this bad?
    /// `latest` moves: the same Dockerfile builds on a different base every time the upstream
    /// image is republished, including a new major OS release. Builds stop being reproducible,
    /// and a broken or compromised upstream push lands in your image unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim-bookworm
    /// # or, fully pinned:
    /// FROM python:3.12-slim-bookworm@sha256:<digest>
    /// ```
    ///
    /// ## References
    /// - hadolint DL3006; Trivy DS-0001 (AVD-DS-0001) and Checkov CKV_DOCKER_7 also cover it
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Docker best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    pub(crate) struct BaseImageUntagged {
        code: "DF103",
        name: "base-image-untagged",
        summary: "base image without a tag or digest",
        severity: Medium,
        fix: None,
        aliases: ["DL3006", "AVD-DS-0001", "CKV_DOCKER_7"],
    }
}

impl DockerfileRule for BaseImageUntagged {
    fn check(&self, cx: &mut Checker<'_>) {
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else { continue };
            if image.tag.is_some() || image.digest.is_some() || stage.base_text.trim_end().ends_with(':') {
                continue;
            }
            let written = cx.slice(stage.base_range);
            let via = if written.contains('$') { format!(" (from `{written}`)") } else { String::new() };
            let text = stage.base_text.trim();
            cx.report(stage.base_range, format!("base image `{text}`{via} has no tag, so it means `{text}:latest`"))
                .set_help(format!(
                    "pin a version tag such as `{text}:<version>`, or a digest `{text}@sha256:<digest>`"
                ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::BaseImageUntagged;

    #[test]
    fn fires_on_untagged_images() {
        let d = assert_fires(&BaseImageUntagged, "FROM ubuntu\nRUN true\n");
        assert!(d[0].message.contains("`ubuntu`"));
        let d = assert_fires(&BaseImageUntagged, "ARG BASE=registry.example.com:5000/team/app\nFROM $BASE AS app\n");
        assert!(d[0].message.contains("`registry.example.com:5000/team/app`"));
        assert!(d[0].message.contains("`$BASE`"));
    }

    #[test]
    fn passes_on_tags_digests_stages_scratch_and_unknown_args() {
        assert_passes(&BaseImageUntagged, "FROM ubuntu:24.04\n");
        assert_passes(&BaseImageUntagged, "FROM ubuntu@sha256:0123456789abcdef\n");
        assert_passes(&BaseImageUntagged, "FROM scratch\n");
        assert_passes(&BaseImageUntagged, "FROM golang:1.23 AS build\nFROM build\n");
        assert_passes(&BaseImageUntagged, "ARG BASE\nFROM $BASE\n");
        assert_passes(&BaseImageUntagged, "ARG TAG=3.20\nFROM alpine:${TAG}\n");
        assert_passes(&BaseImageUntagged, "FROM localhost:5000/app:1.0\n");
    }
}
