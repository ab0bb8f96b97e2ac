//! IM004: the same path twice in one layer.

use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports a path that appears more than once in one layer (directories excepted). The
    /// later entry wins, as when the layer is extracted.
    ///
    /// ## Why is this bad?
    /// Tools disagree about which copy counts: a scanner that keeps the first entry sees a
    /// different file than the runtime, which applies the last. Duplicates are a known trick
    /// to hide a file from review, and otherwise a sign of a broken layer writer.
    ///
    /// ## Example
    /// A layer with `etc/passwd` twice, the second adding a UID 0 account.
    ///
    /// Use instead: rebuild the layer with a standard builder.
    ///
    /// ## References
    /// - [OCI image layer specification: changesets](https://github.com/opencontainers/image-spec/blob/main/layer.md)
    pub(crate) struct ArchiveDuplicateEntry {
        code: "IM004",
        name: "archive-duplicate-entry",
        summary: "the same path twice in one layer",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ArchiveDuplicateEntry {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(cx, IssueKind::DuplicateEntry, "rebuild the layer so each path appears once", |_, _| {});
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn fires_on_a_repeated_path() {
        let image =
            TestImage::new().layer("ADD x /", |l| l.dir("/etc").file("/etc/passwd", "a").file("/etc/passwd", "b"));
        assert_fires(&ArchiveDuplicateEntry, &image);
    }

    #[test]
    fn quiet_across_layers() {
        let image = TestImage::new()
            .layer("ADD x /", |l| l.dir("/etc").file("/etc/passwd", "a"))
            .layer("RUN useradd app", |l| l.dir("/etc").file("/etc/passwd", "b"));
        assert_passes(&ArchiveDuplicateEntry, &image);
    }
}
