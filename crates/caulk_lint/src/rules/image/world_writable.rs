//! IM206: world-writable files and directories.

use std::collections::BTreeMap;

use caulk_image::fs::NodeKind;

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports files and directories anyone may write (mode `o+w`, e.g. `0777`, `0666`)
    /// outside the scratch directories `/tmp`, `/var/tmp` and `/dev/shm`. Directories with
    /// the sticky bit (`1777`, where users can only delete their own files) are fine, as are
    /// symbolic links (always `0777`). A world-writable directory is reported once, with the
    /// count of world-writable paths under it.
    ///
    /// ## Why is this bad?
    /// Any process in the container, under any user, can replace world-writable programs,
    /// configuration and code, so a foothold as an unprivileged user becomes control of
    /// whatever reads those files, often root's processes. It usually comes from a
    /// `chmod -R 777` meant to fix a permission error.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN chmod -R 777 /app
    /// ```
    /// Use instead: give the files to the runtime user, writable only where needed:
    /// ```dockerfile
    /// COPY --chown=10001:10001 --chmod=0755 app/ /app/
    /// ```
    ///
    /// ## References
    /// - CIS Distribution Independent Linux 6.1.10: no world-writable files
    /// - caulk DF506 for `chmod 777` in Dockerfiles
    pub(crate) struct WorldWritable {
        code: "IM206",
        name: "image-world-writable",
        summary: "world-writable file or directory",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: [],
    }
}

const SCRATCH: &[&str] = &["/tmp", "/var/tmp", "/dev/shm"];

impl ImageRule for WorldWritable {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        // reported path → (mode, is dir, count of world-writable paths under it)
        let mut reported: BTreeMap<String, (u32, bool, usize)> = BTreeMap::new();
        for (path, node) in cx.image.fs.iter() {
            let is_dir = node.kind == NodeKind::Dir;
            if !(is_dir || node.kind == NodeKind::File) || node.mode & 0o002 == 0 {
                continue;
            }
            if is_dir && node.mode & 0o1000 != 0 {
                continue;
            }
            if SCRATCH.iter().any(|s| path == *s || path.starts_with(&format!("{s}/"))) {
                continue;
            }
            let mut ancestor = path;
            let mut under = None;
            while let Some((parent, _)) = ancestor.rsplit_once('/') {
                if parent.is_empty() {
                    break;
                }
                if reported.get(parent).is_some_and(|r| r.1) {
                    under = Some(parent.to_owned());
                }
                ancestor = parent;
            }
            match under {
                Some(dir) => {
                    if let Some(r) = reported.get_mut(&dir) {
                        r.2 += 1;
                    }
                }
                None => {
                    reported.insert(path.to_owned(), (node.mode, is_dir, 0));
                }
            }
        }
        for (path, (mode, is_dir, below)) in reported {
            let kind = if is_dir { "directory" } else { "file" };
            let more = if below > 0 { format!(", and so are {below} paths under it") } else { String::new() };
            cx.report_path(&path, format!("{kind} `{path}` is world-writable (mode {:04o}){more}", mode & 0o7777))
                .set_help("remove write access for others (`chmod o-w`), or give the path to the runtime user with `COPY --chown`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_once_per_tree() {
        let image = debian("13", "trixie").layer("RUN chmod -R 777 /app", |l| {
            l.dir_with("/app", 0o777)
                .file_with("/app/a.py", 0o777, 0, "x")
                .dir_with("/app/lib", 0o777)
                .file_with("/app/lib/b.py", 0o666, 0, "x")
                .file_with("/etc/app.conf", 0o666, 0, "x")
        });
        let d = assert_fires(&WorldWritable, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "directory `/app` is world-writable (mode 0777), and so are 3 paths under it",
                "file `/etc/app.conf` is world-writable (mode 0666)"
            ]
        );
    }

    #[test]
    fn quiet_on_tmp_and_sticky_dirs() {
        let image = debian("13", "trixie").layer("RUN mkdir", |l| {
            l.dir_with("/var/tmp", 0o1777)
                .file_with("/tmp/x", 0o666, 0, "x")
                .dir_with("/run/lock", 0o1777)
                .symlink("/app", "/srv")
        });
        assert_passes(&WorldWritable, &image);
    }
}
