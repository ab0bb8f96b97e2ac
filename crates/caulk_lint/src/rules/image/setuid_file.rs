//! IM205: setuid and setgid files.

use caulk_image::fs::NodeKind;

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Lists every regular file with the setuid or setgid bit (`chmod u+s` / `g+s`), one
    /// finding per file, with its owner and the layer that put it there. Nothing is excluded:
    /// review the list. Expected in most distribution images: `su`, `passwd`, `chsh`, `chfn`,
    /// `gpasswd`, `newgrp`, `mount`, `umount` (setuid root), `chage`, `expiry`,
    /// `unix_chkpwd` and `ssh-agent` (setgid `shadow`/`ssh`). Unexpected: anything the
    /// application added, interpreters, shells, copies of system tools in odd places.
    ///
    /// ## Why is this bad?
    /// A setuid-root program runs as root whoever starts it: one bug in it (or a writable file
    /// it trusts) gives an unprivileged process in the container root. A non-root container
    /// should not contain any; `--security-opt no-new-privileges` neutralises them at run time,
    /// removing the bit does so for good.
    ///
    /// ## Example
    /// An image whose build ran `chmod u+s /usr/bin/python3`.
    ///
    /// Use instead: strip the bits in the last build step:
    /// ```dockerfile
    /// RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0008; CIS Docker Benchmark 4.8
    /// - [Docker docs: no-new-privileges](https://docs.docker.com/reference/cli/docker/container/run/#security-opt)
    pub(crate) struct SetuidFile {
        code: "IM205",
        name: "image-setuid-file",
        summary: "setuid or setgid file",
        severity: Low,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0008"],
    }
}

impl ImageRule for SetuidFile {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let found: Vec<(String, u32, u32, u32)> = cx
            .image
            .fs
            .iter()
            .filter(|(_, n)| n.kind == NodeKind::File && n.mode & 0o6000 != 0)
            .map(|(p, n)| (p.to_owned(), n.mode, n.uid, n.gid))
            .collect();
        for (path, mode, uid, gid) in found {
            let what = match (mode & 0o4000 != 0, mode & 0o2000 != 0) {
                (true, true) => format!("setuid (owner UID {uid}) and setgid (group GID {gid})"),
                (true, false) => format!("setuid (owner UID {uid})"),
                _ => format!("setgid (group GID {gid})"),
            };
            cx.report_path(&path, format!("`{path}` is {what}, mode {:04o}", mode & 0o7777))
                .set_help("remove the bit unless the program needs it: `chmod u-s,g-s <file>` in the last build step");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_per_file() {
        let image = debian("13", "trixie").layer("RUN chmod u+s", |l| {
            l.file_with("/usr/bin/passwd", 0o4755, 0, "x").file_with("/usr/bin/chage", 0o2755, 0, "x")
        });
        let d = assert_fires(&SetuidFile, &image);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].message, "`/usr/bin/passwd` is setuid (owner UID 0), mode 4755");
        assert_eq!(d[1].image.as_deref().and_then(|l| l.layer), Some(1));
    }

    #[test]
    fn quiet_without_bits() {
        assert_passes(&SetuidFile, &debian("13", "trixie"));
    }
}
