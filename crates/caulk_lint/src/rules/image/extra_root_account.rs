//! IM211: accounts other than root with UID 0.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports `/etc/passwd` accounts other than `root` whose UID is 0.
    ///
    /// ## Why is this bad?
    /// UID 0 is root, whatever the name: a second UID 0 account is a root login that audits
    /// and `USER` checks looking for `root` miss, and a classic backdoor (`toor`, `admin`).
    ///
    /// ## Example
    /// `/etc/passwd` containing `admin:x:0:0::/home/admin:/bin/sh`.
    ///
    /// Use instead: give the account its own UID (`useradd --uid 10001 admin`).
    ///
    /// ## References
    /// - CIS Distribution Independent Linux 6.2.5: root is the only UID 0 account
    pub(crate) struct ExtraRootAccount {
        code: "IM211",
        name: "image-extra-root-account",
        summary: "account other than root with UID 0",
        severity: High,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for ExtraRootAccount {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let names: Vec<String> =
            cx.accounts.passwd.iter().filter(|a| a.uid == 0 && a.name != "root").map(|a| a.name.clone()).collect();
        for name in names {
            cx.report_path(
                "/etc/passwd",
                format!("account `{name}` has UID 0 in /etc/passwd: it is root under another name"),
            )
            .set_help(format!("give `{name}` an unprivileged UID, or remove it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_a_second_uid_0() {
        let image = debian("13", "trixie")
            .layer("RUN echo", |l| l.file("/etc/passwd", "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n"));
        assert_eq!(
            assert_fires(&ExtraRootAccount, &image)[0].message,
            "account `toor` has UID 0 in /etc/passwd: it is root under another name"
        );
    }

    #[test]
    fn quiet_with_root_only() {
        assert_passes(&ExtraRootAccount, &debian("13", "trixie"));
    }
}
