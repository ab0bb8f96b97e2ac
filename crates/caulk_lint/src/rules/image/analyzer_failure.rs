//! IM007: a package database or metadata file could not be read.

use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports package databases and metadata files caulk found but could not parse: a dpkg
    /// status stanza without a version, an apk database entry without a name, an unreadable
    /// rpm database.
    ///
    /// ## Why is this bad?
    /// The packages it describes are missing from the inventory: the SBOM is incomplete and
    /// their vulnerabilities go unreported. Usually the file was edited by hand or truncated
    /// by a build step that removed part of the package manager.
    ///
    /// ## Example
    /// A `RUN sed -i '/^Version:/d' /var/lib/dpkg/status` somewhere in the build.
    ///
    /// Use instead: leave package databases to their package manager, or remove the manager
    /// and its database together.
    ///
    /// ## References
    /// - [dpkg status file format](https://man7.org/linux/man-pages/man1/dpkg-query.1.html)
    pub(crate) struct AnalyzerFailure {
        code: "IM007",
        name: "image-analyzer-failure",
        summary: "package database or metadata that could not be read",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for AnalyzerFailure {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(
            cx,
            IssueKind::Analyzer,
            "the package inventory of this image is incomplete; fix or remove the damaged database",
            |_, _| {},
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, dpkg_status};

    #[test]
    fn fires_on_a_stanza_without_version() {
        let image = TestImage::new()
            .layer("ADD x /", |l| l.file("/var/lib/dpkg/status", "Package: broken\nStatus: install ok installed\n\n"));
        let d = assert_fires(&AnalyzerFailure, &image);
        assert!(d[0].message.contains("`broken` has no Version"), "{}", d[0].message);
    }

    #[test]
    fn quiet_on_a_good_database() {
        let image =
            TestImage::new().layer("ADD x /", |l| l.file("/var/lib/dpkg/status", dpkg_status(&[("bash", "5.2-1")])));
        assert_passes(&AnalyzerFailure, &image);
    }
}
