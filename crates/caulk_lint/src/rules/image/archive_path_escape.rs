//! IM001: layer entries whose path escapes the image root.

use caulk_core::Severity;
use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports layer entries whose path climbs out of the image root with `..`
    /// (`../../etc/cron.d/x`) — caulk skips them — and, as low, entries with an absolute path
    /// (`/etc/passwd`), which runtimes apply inside the root.
    ///
    /// ## Why is this bad?
    /// No build tool writes such entries: they are the signature of a hand-crafted, hostile
    /// archive meant to write outside the extraction directory of a naive tool (the "tar slip"
    /// of CVE-2018-15664-style bugs and of image tools that extract layers to disk). An image
    /// that carries them was tampered with or made by a broken tool, and should not be trusted.
    ///
    /// ## Example
    /// A layer listing `../../../../etc/cron.d/backdoor` next to the application's files.
    ///
    /// Use instead: rebuild the image with `docker build` or `buildah` from a reviewed
    /// Dockerfile, and find out where the archive came from.
    ///
    /// ## References
    /// - [Zip Slip / tar path traversal](https://security.snyk.io/research/zip-slip-vulnerability)
    /// - [OCI image layer specification](https://github.com/opencontainers/image-spec/blob/main/layer.md)
    pub(crate) struct ArchivePathEscape {
        code: "IM001",
        name: "archive-path-escape",
        summary: "layer entry whose path escapes the image root",
        severity: High,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ArchivePathEscape {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(
            cx,
            IssueKind::PathEscape,
            "treat the image as untrusted: rebuild it from source with a standard builder",
            |issue, d| {
                let climbs = issue.path.as_deref().is_some_and(|p| p.split('/').any(|c| c == ".."));
                if !climbs {
                    d.severity = Severity::Low;
                }
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Severity;

    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn fires_on_dot_dot_and_absolute_entries() {
        let image = TestImage::new().layer("ADD evil.tar /", |l| {
            l.raw(b"../../etc/cron.d/evil", b"* * * * * root sh\n").raw(b"/etc/abs", b"x")
        });
        let d = assert_fires(&ArchivePathEscape, &image);
        assert_eq!(d.len(), 2, "{d:#?}");
        let climbing = d.iter().find(|d| d.message.contains("../../etc/cron.d/evil")).expect("escape finding");
        assert_eq!(climbing.severity, Severity::High);
        assert_eq!(climbing.image.as_ref().and_then(|l| l.layer), Some(0));
        let absolute = d.iter().find(|d| d.message.contains("/etc/abs")).expect("absolute finding");
        assert_eq!(absolute.severity, Severity::Low);
    }

    #[test]
    fn quiet_on_normal_layers() {
        assert_passes(&ArchivePathEscape, &TestImage::new().layer("ADD x /", |l| l.dir("/etc").file("/etc/x", "y")));
    }
}
