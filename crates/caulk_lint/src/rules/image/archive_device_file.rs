//! IM003: device nodes in a layer.

use caulk_image::IssueKind;

use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::report_issues;

declare_rule! {
    /// ## What it does
    /// Reports character and block device nodes stored in a layer (`/dev/sda`, `/dev/mem`).
    ///
    /// ## Why is this bad?
    /// Runtimes create `/dev` themselves; a device node in a layer is at best dead weight and
    /// at worst a way to reach host hardware or kernel memory when the container runs with
    /// extra device permissions or the image is unpacked on a host. Normal builds do not write
    /// device nodes (`debootstrap` root filesystems sometimes do; the runtime hides them under
    /// its own `/dev`).
    ///
    /// ## Example
    /// A base layer made with `tar -C rootfs -c .` of a chroot whose `/dev` was populated.
    ///
    /// Use instead: exclude `dev/*` when making the root filesystem tarball.
    ///
    /// ## References
    /// - [OCI runtime spec: default devices](https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#default-devices)
    pub(crate) struct ArchiveDeviceFile {
        code: "IM003",
        name: "archive-device-file",
        summary: "device node stored in a layer",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ArchiveDeviceFile {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        report_issues(
            cx,
            IssueKind::DeviceFile,
            "leave /dev out of image layers; the runtime creates devices",
            |_, _| {},
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn fires_on_device_nodes() {
        let d = assert_fires(
            &ArchiveDeviceFile,
            &TestImage::new().layer("ADD x /", |l| l.dir("/dev").char_device("/dev/mem")),
        );
        assert!(d[0].message.starts_with("`/dev/mem`"), "{}", d[0].message);
    }

    #[test]
    fn quiet_without_devices() {
        assert_passes(&ArchiveDeviceFile, &TestImage::new().layer("ADD x /", |l| l.dir("/dev")));
    }
}
