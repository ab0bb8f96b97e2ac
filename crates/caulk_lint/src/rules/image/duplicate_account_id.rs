//! IM212: UIDs or GIDs shared by several accounts or groups.

use std::collections::BTreeMap;

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports UIDs shared by several `/etc/passwd` accounts and GIDs shared by several
    /// `/etc/group` groups. (UID 0 besides root is IM211's.)
    ///
    /// ## Why is this bad?
    /// The kernel only knows numbers: accounts sharing a UID share every file and process, so
    /// permissions meant for one apply to the other, and logs name the wrong account. It
    /// usually comes from `useradd --non-unique` or hand-edited account files.
    ///
    /// ## Example
    /// `/etc/passwd` with `app:x:1000:1000…` and `deploy:x:1000:1000…`.
    ///
    /// Use instead: one UID per account (`useradd --uid 10002 deploy`).
    ///
    /// ## References
    /// - Dockle DKL-LI-0002
    pub(crate) struct DuplicateAccountId {
        code: "IM212",
        name: "image-duplicate-account-id",
        summary: "UID or GID shared by several accounts or groups",
        severity: Low,
        target: Image,
        fix: None,
        aliases: ["DKL-LI-0002"],
    }
}

impl ImageRule for DuplicateAccountId {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let mut uids: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for a in cx.accounts.passwd.iter().filter(|a| a.uid != 0) {
            uids.entry(a.uid).or_default().push(a.name.clone());
        }
        let mut gids: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for g in &cx.accounts.groups {
            gids.entry(g.gid).or_default().push(g.name.clone());
        }
        for (file, what, ids) in [("/etc/passwd", "UID", uids), ("/etc/group", "GID", gids)] {
            for (id, names) in ids.into_iter().filter(|(_, n)| n.len() > 1) {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                cx.report_path(file, format!("{what} {id} is shared by {} in {file}", names.join(", ")))
                    .set_help(format!("give each entry its own {what}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_shared_ids() {
        let image = debian("13", "trixie").layer("RUN useradd -o", |l| {
            l.file(
                "/etc/passwd",
                "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\ndeploy:x:1000:1000::/d:/bin/sh\n",
            )
            .file("/etc/group", "root:x:0:\napp:x:1000:\nstaff:x:1000:\n")
        });
        let d = assert_fires(&DuplicateAccountId, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "GID 1000 is shared by `app`, `staff` in /etc/group",
                "UID 1000 is shared by `app`, `deploy` in /etc/passwd"
            ]
        );
    }

    #[test]
    fn quiet_on_unique_ids() {
        assert_passes(&DuplicateAccountId, &debian("13", "trixie"));
    }
}
