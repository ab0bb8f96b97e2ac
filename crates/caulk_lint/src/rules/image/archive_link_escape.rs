//! IM002: links that point outside the image root.

use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports hard links to a path outside the image root (caulk skips them) and symbolic
    /// links whose relative target climbs above the root (`/app/x -> ../../../etc/shadow`).
    /// caulk resolves every link inside the root, as container runtimes do; absolute symlink
    /// targets (`/bin/sh -> /bin/busybox`) are normal and not reported.
    ///
    /// ## Why is this bad?
    /// Container runtimes confine links to the root, but tools that unpack layers onto the
    /// host (backup scripts, older scanners, `tar -x` in CI) follow them: a link that climbs out
    /// lets a later entry or a later reader write or read host files. Build tools do not
    /// produce such links, so they suggest a crafted archive.
    ///
    /// ## Example
    /// A layer with `app/config -> ../../../../root/.ssh` and then a file `app/config/authorized_keys`.
    ///
    /// Use instead: links with targets inside the image (`/etc/alternatives/x`, `../lib/x`).
    ///
    /// ## References
    /// - [CVE-2018-15664: docker cp symlink race](https://nvd.nist.gov/vuln/detail/CVE-2018-15664)
    /// - [OCI image layer specification](https://github.com/opencontainers/image-spec/blob/main/layer.md)
    pub(crate) struct ArchiveLinkEscape {
        code: "IM002",
        name: "archive-link-escape",
        summary: "link that points outside the image root",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ArchiveLinkEscape {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(
            cx,
            IssueKind::LinkEscape,
            "do not unpack this image with tools that follow links; rebuild it with targets inside the image",
            |_, _| {},
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn fires_on_climbing_links() {
        let image = TestImage::new().layer("ADD x /", |l| {
            l.dir("/app")
                .symlink("/app/keys", "../../../../root/.ssh")
                .file("/app/a", "x")
                .hardlink("/app/b", "../../x")
        });
        let d = assert_fires(&ArchiveLinkEscape, &image);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().any(|d| d.message.starts_with("`/app/keys`: symbolic link")), "{d:#?}");
    }

    #[test]
    fn quiet_on_links_inside_the_root() {
        let image = TestImage::new().layer("ADD x /", |l| {
            l.dir("/usr")
                .dir("/usr/bin")
                .exec("/usr/bin/busybox")
                .symlink("/bin", "usr/bin")
                .symlink("/usr/bin/sh", "/usr/bin/busybox")
        });
        assert_passes(&ArchiveLinkEscape, &image);
    }
}
