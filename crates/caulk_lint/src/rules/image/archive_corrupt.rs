//! IM006: corrupt or truncated layers and archives.

use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports layers and archives caulk could not read to the end: truncated or corrupt tar
    /// and gzip/zstd streams, layers compressed with xz or bzip2 (which runtimes refuse), and
    /// a configuration whose layer list disagrees with the manifest.
    ///
    /// ## Why is this bad?
    /// What follows the damage was not checked, and a runtime either refuses the image or
    /// runs a different filesystem than the one scanned. Damage in transit or a broken
    /// registry copy is common; a deliberately malformed layer is an attempt to make scanners
    /// and runtimes see different files.
    ///
    /// ## Example
    /// `docker save` interrupted half-way, or a layer blob whose download was cut short.
    ///
    /// Use instead: pull or save the image again and compare the layer digests with the
    /// registry's.
    ///
    /// ## References
    /// - [OCI image spec: layer media types](https://github.com/opencontainers/image-spec/blob/main/layer.md#distributable-format)
    pub(crate) struct ArchiveCorrupt {
        code: "IM006",
        name: "archive-corrupt",
        summary: "corrupt or truncated layer",
        severity: High,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ArchiveCorrupt {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(
            cx,
            IssueKind::Corrupt,
            "fetch the image again and verify its layer digests; do not run an image that cannot be read",
            |_, _| {},
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn fires_on_a_truncated_layer() {
        let image = TestImage::new().layer("ADD x /", |l| l.sized("/big", 4096).file("/after", "x").truncated(1024));
        let d = assert_fires(&ArchiveCorrupt, &image);
        assert_eq!(d[0].image.as_ref().and_then(|l| l.layer), Some(0));
    }

    #[test]
    fn quiet_on_complete_layers() {
        assert_passes(&ArchiveCorrupt, &TestImage::new().layer("ADD x /", |l| l.sized("/big", 4096)));
    }
}
