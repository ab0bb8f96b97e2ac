//! IM301: the image's tier, with the evidence for it.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Notes (as info) how minimal the image is, with the facts that decided it:
    /// - `scratch`: no OS, no executable (static files at most);
    /// - `static-binary`: no OS, no shell, no C library, a few executables (a Go or Rust
    ///   binary on scratch);
    /// - `distroless`: an OS identity or package records but no shell and no package manager
    ///   (`gcr.io/distroless/*`, Chainguard images);
    /// - `alpine`: apk-based;
    /// - `slim`: a Debian, Ubuntu or RHEL-family image without documentation (no man pages,
    ///   nothing in `/usr/share/doc` but copyright files) and fewer than 150 OS packages
    ///   (`python:3.12-slim`, `debian:13-slim`, `ubi9-minimal`);
    /// - `full`: a distribution image with documentation or 150 packages or more.
    ///
    /// ## Why is this bad?
    /// It is not a problem by itself; it says where the attack surface comes from. Each tier
    /// down removes whole classes of findings: distroless has no shell or package manager to
    /// abuse, scratch has nothing but the application. `caulk compare` uses the tier to show
    /// what moving down would gain.
    ///
    /// ## Example
    /// An image built `FROM ubuntu:22.04` with build tools installed (`full`).
    ///
    /// Use instead: a multi-stage build whose final stage is `debian:13-slim`, distroless or
    /// scratch, whichever the application can run on.
    ///
    /// ## References
    /// - [Distroless images](https://github.com/GoogleContainerTools/distroless)
    /// - [Docker docs: multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub(crate) struct Tier {
        code: "IM301",
        name: "image-tier",
        summary: "how minimal the image is, and why",
        severity: Info,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for Tier {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let tier = cx.tier.clone();
        let help = match tier.kind.as_str() {
            "full" | "slim" | "alpine" => "a distroless or scratch final stage removes the shell and package manager",
            _ => "minimal already; keep the final stage this small",
        };
        cx.report_at(
            caulk_core::ImageLocation::default(),
            format!("image tier: {} ({})", tier.kind, tier.evidence.join("; ")),
        )
        .set_help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, debian};

    #[test]
    fn always_notes_the_tier() {
        let d = assert_fires(&Tier, &debian("13", "trixie"));
        assert!(
            d[0].message
                .starts_with("image tier: slim (OS: debian 13 (from /etc/os-release); shell: /bin/sh → /usr/bin/dash;"),
            "{}",
            d[0].message
        );
        let d = assert_fires(&Tier, &TestImage::new().layer("COPY app /", |l| l.exec("/app")));
        assert!(d[0].message.starts_with("image tier: static-binary"), "{}", d[0].message);
    }

    /// The tier is a note, not a problem: every image gets exactly one, at info.
    #[test]
    fn one_info_note_per_image() {
        let d = assert_fires(&Tier, &TestImage::new());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, caulk_core::Severity::Info);
        assert!(d[0].message.starts_with("image tier: scratch"));
    }
}
