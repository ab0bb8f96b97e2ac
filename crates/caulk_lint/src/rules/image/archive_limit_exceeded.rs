//! IM005: a reading limit was crossed.

use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports where caulk stopped reading part of an image because a limit was crossed: a
    /// layer that decompresses to more than 16 GiB or over 1000 times its stored size (a
    /// decompression bomb), more than two million entries, paths longer than 4096 bytes or
    /// deeper than 256 levels, a kept file over 64 MiB. What lies beyond the limit was not
    /// checked.
    ///
    /// ## Why is this bad?
    /// Either the image is hostile (bombs and absurd paths are made to exhaust the memory or
    /// disk of scanners and registries) or it is so large that part of it went unchecked:
    /// findings for this image may be missing.
    ///
    /// ## Example
    /// A 10 KiB layer that decompresses to 100 GiB of zeros.
    ///
    /// Use instead: keep layers small and ordinary; split huge data out of the image.
    ///
    /// ## References
    /// - [Decompression bombs (CWE-409)](https://cwe.mitre.org/data/definitions/409.html)
    pub(crate) struct ArchiveLimitExceeded {
        code: "IM005",
        name: "archive-limit-exceeded",
        summary: "part of the image was not read because a limit was crossed",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ArchiveLimitExceeded {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(
            cx,
            IssueKind::Limit,
            "check where the image came from; findings beyond the limit are missing",
            |_, _| {},
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn fires_on_a_path_too_deep() {
        let deep = format!("/{}f", "d/".repeat(300));
        let d = assert_fires(&ArchiveLimitExceeded, &TestImage::new().layer("ADD x /", |l| l.file(&deep, "x")));
        assert!(d[0].message.contains("deeper than 256 levels"), "{}", d[0].message);
    }

    #[test]
    fn quiet_on_ordinary_layers() {
        assert_passes(&ArchiveLimitExceeded, &TestImage::new().layer("ADD x /", |l| l.file("/a/b/c", "x")));
    }
}
