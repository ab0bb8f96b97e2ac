//! IM207: package managers left in the final image.

use caulk_image::tier::is_busybox_applet;

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Lists, in one finding, the package managers a container of the image could run:
    /// `apt`, `apt-get`, `dpkg`, `apk`, `yum`, `dnf`, `microdnf`, `tdnf`, `rpm`, `zypper`,
    /// `pip`/`pip3`/`pip3.X`, `npm`, `pnpm` and `yarn`, as found in the program directories
    /// (`/usr/bin`, `/usr/local/bin`, `/sbin`, …), with their paths. busybox's `dpkg` and
    /// `rpm` applets are not counted.
    ///
    /// ## Why is this bad?
    /// Whoever gets code execution in the container can install what they need next —
    /// scanners, compilers, reverse-shell tools — without bringing binaries of their own; the
    /// managers and their databases also add size and vulnerabilities. Production images that
    /// never install at run time are better built on distroless or scratch (see IM301), or
    /// remove the managers in their last step. Removing them also blocks debugging with them;
    /// hence low.
    ///
    /// ## Example
    /// A `python:3.12-slim` based image (apt, dpkg, pip).
    ///
    /// Use instead: a multi-stage build whose final stage is
    /// `gcr.io/distroless/python3-debian12`, or remove the managers:
    /// ```dockerfile
    /// RUN pip uninstall -y pip && rm -rf /usr/bin/apt* /usr/bin/dpkg* /var/lib/dpkg /var/lib/apt
    /// ```
    ///
    /// ## References
    /// - caulk DF409 for Dockerfiles
    /// - [Distroless images](https://github.com/GoogleContainerTools/distroless)
    pub(crate) struct PackageManagerPresent {
        code: "IM207",
        name: "image-package-manager",
        summary: "package managers left in the final image",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

/// Package-manager program names.
fn is_manager(name: &str) -> bool {
    matches!(
        name,
        "apt"
            | "apt-get"
            | "dpkg"
            | "apk"
            | "yum"
            | "dnf"
            | "dnf5"
            | "microdnf"
            | "tdnf"
            | "rpm"
            | "zypper"
            | "npm"
            | "pnpm"
            | "yarn"
    ) || name.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

impl ImageRule for PackageManagerPresent {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let fs = &cx.image.fs;
        let found: Vec<(String, String)> =
            cx.programs(is_manager).into_iter().filter(|(_, p)| !is_busybox_applet(fs, p)).collect();
        let Some((_, first)) = found.first() else { return };
        let first = first.clone();
        let list: Vec<String> = found.iter().map(|(n, p)| format!("`{n}` ({p})")).collect();
        cx.report_path(&first, format!("package managers in the final image: {}", list.join(", "))).set_help(
            "build the final stage on distroless or scratch, or remove the package managers in the last build step",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, debian};

    #[test]
    fn lists_managers_with_paths() {
        let image = debian("13", "trixie").layer("RUN pip", |l| {
            l.exec("/usr/bin/apt-get")
                .dir("/usr/local")
                .dir("/usr/local/bin")
                .exec("/usr/local/bin/pip3.12")
                .symlink("/usr/local/bin/pip", "pip3.12")
        });
        let d = assert_fires(&PackageManagerPresent, &image);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "package managers in the final image: `pip` (/usr/local/bin/pip), `pip3.12` (/usr/local/bin/pip3.12), `apt-get` (/usr/bin/apt-get), `dpkg` (/usr/bin/dpkg)"
        );
    }

    #[test]
    fn quiet_without_managers() {
        let image = TestImage::new()
            .layer("COPY app /", |l| l.dir("/usr").dir("/usr/bin").exec("/usr/bin/app").exec("/usr/bin/pipx-like"));
        assert_passes(&PackageManagerPresent, &image);
    }
}
