//! IM208: shells present in the image.

use caulk_image::tier::{SHELLS, present};

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Notes (as info) the shells a container of the image could start: `/bin/sh`, `bash`,
    /// `ash`, `dash`, `zsh` and busybox, with what their links point to.
    ///
    /// ## Why is this bad?
    /// It is not, by itself: most images need a shell for entrypoint scripts and debugging.
    /// But a shell is what turns a code-execution bug into an interactive foothold
    /// (`; sh -i >& /dev/tcp/…`), and images without one (distroless, scratch) close that
    /// door. The finding tells which images could drop it.
    ///
    /// ## Example
    /// An application image based on `debian:13-slim` that never runs a shell script.
    ///
    /// Use instead: a distroless final stage (`gcr.io/distroless/base-debian12`), with
    /// `docker debug` or an ephemeral debug container when a shell is needed.
    ///
    /// ## References
    /// - [Distroless images](https://github.com/GoogleContainerTools/distroless)
    /// - [Kubernetes: ephemeral debug containers](https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container)
    pub(crate) struct ShellPresent {
        code: "IM208",
        name: "image-shell-present",
        summary: "shell present in the image",
        severity: Info,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ShellPresent {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let shells = present(&cx.image.fs, SHELLS);
        let Some(first) = shells.first() else { return };
        let path = first.split(" → ").next().unwrap_or(first).to_owned();
        cx.report_path(&path, format!("shells present: {}", shells.join(", ")))
            .set_help("if the application never runs a shell, a distroless or scratch final stage removes it");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, debian};

    #[test]
    fn notes_shells() {
        let d = assert_fires(&ShellPresent, &debian("13", "trixie"));
        assert_eq!(d[0].message, "shells present: /bin/sh → /usr/bin/dash");
    }

    #[test]
    fn quiet_without_shells() {
        assert_passes(&ShellPresent, &TestImage::new().layer("COPY app /", |l| l.exec("/app")));
    }
}
