//! IM107: VOLUME over a system path.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports `Volumes` of the image configuration on system paths: the root `/`; `/etc`,
    /// `/usr`, `/bin`, `/sbin`, `/lib`, `/lib64`, `/boot`, `/root`; the kernel interfaces
    /// `/proc`, `/sys`, `/dev`; and the Docker daemon's socket and state
    /// (`/var/run/docker.sock`, `/run/docker.sock`, `/var/lib/docker`).
    ///
    /// ## Why is this bad?
    /// A `VOLUME` makes every container mount a volume at that path. Over system directories
    /// the volume freezes the image's copy of the OS files: upgrading the image no longer
    /// updates them, and whatever wrote there persists and spreads to the next container. A
    /// volume at the Docker socket says the image expects the host's daemon to be mounted
    /// there, which gives the container root on the host; over `/proc`, `/sys` or `/dev` it
    /// hides or replaces the kernel's view the runtime provides.
    ///
    /// ## Example
    /// ```dockerfile
    /// VOLUME /etc /var/run/docker.sock
    /// ```
    /// Use instead: volumes for application data only:
    /// ```dockerfile
    /// VOLUME /var/lib/app
    /// ```
    ///
    /// ## References
    /// - Dockle DKL-DI-0002 (`/sys`, `/dev`, `/proc`)
    /// - [Dockerfile reference: VOLUME](https://docs.docker.com/reference/dockerfile/#volume)
    pub(crate) struct VolumeSystemPath {
        code: "IM107",
        name: "image-volume-system-path",
        summary: "VOLUME over a system path",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: ["DKL-DI-0002"],
    }
}

impl ImageRule for VolumeSystemPath {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let volumes: Vec<String> = cx.image.config.config.volumes.iter().flatten().map(|(k, _)| k.clone()).collect();
        for volume in volumes {
            let trimmed = volume.trim();
            let path = if trimmed == "/" { "/" } else { trimmed.trim_end_matches('/') };
            let why = match path {
                "/" => "the whole root filesystem",
                "/etc" | "/usr" | "/bin" | "/sbin" | "/lib" | "/lib64" | "/boot" | "/root" => {
                    "a system directory: the volume freezes the image's copy and later image updates never reach it"
                }
                "/proc" | "/sys" | "/dev" => "a kernel interface the runtime provides",
                "/var/run/docker.sock" | "/run/docker.sock" | "/var/lib/docker" | "/var/run/docker" => {
                    "the Docker daemon's socket or state: mounting the host's there gives the container root on the host"
                }
                _ => continue,
            };
            cx.report_config(&["VOLUME"], format!("VOLUME `{path}` is {why}"))
                .set_help("declare volumes for application data only (e.g. `/var/lib/app`)");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_system_paths() {
        let image =
            debian("13", "trixie").config("Volumes", json!({"/etc/": {}, "/var/run/docker.sock": {}, "/data": {}}));
        let d = assert_fires(&VolumeSystemPath, &image);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.starts_with("VOLUME `/etc` is a system directory"), "{}", d[0].message);
    }

    #[test]
    fn quiet_on_data_volumes() {
        assert_passes(
            &VolumeSystemPath,
            &debian("13", "trixie").config("Volumes", json!({"/var/lib/app": {}, "/etc/app": {}})),
        );
    }
}
