//! IM210: login accounts without a password.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports accounts that can log in (their shell is not `nologin` or `false`) and have an
    /// empty password: an empty hash field in `/etc/shadow`, or an empty password field in
    /// `/etc/passwd` with no shadow entry. Locked accounts (`!`, `*`, `!!`, `!*` hashes) are fine.
    ///
    /// ## Why is this bad?
    /// An empty password lets anyone log in as the account, or `su` to it from any process in
    /// the container, without a password: with `root` that is a direct privilege escalation.
    /// Alpine's images shipped exactly this for years (CVE-2019-5021).
    ///
    /// ## Example
    /// `/etc/shadow` containing `root::18000:0:::::`.
    ///
    /// Use instead: lock the account (`passwd -l root`, or `usermod -p '*' root`) in the build.
    ///
    /// ## References
    /// - Dockle DKL-LI-0001
    /// - [CVE-2019-5021: Alpine images with an empty root password](https://nvd.nist.gov/vuln/detail/CVE-2019-5021)
    pub(crate) struct EmptyPassword {
        code: "IM210",
        name: "image-empty-password",
        summary: "login account with an empty password",
        severity: High,
        target: Image,
        fix: None,
        aliases: ["DKL-LI-0001"],
    }
}

impl ImageRule for EmptyPassword {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let mut found = Vec::new();
        for account in cx.accounts.passwd.iter().filter(|a| a.can_log_in()) {
            let (path, empty) = match cx.accounts.shadow_hash(&account.name) {
                Some(hash) => ("/etc/shadow", hash.is_empty()),
                None => ("/etc/passwd", account.password.is_empty()),
            };
            if empty {
                found.push((path, account.name.clone(), account.shell.clone()));
            }
        }
        for (path, name, shell) in found {
            let shell = if shell.is_empty() { "/bin/sh".to_owned() } else { shell };
            cx.report_path(
                path,
                format!("account `{name}` (shell {shell}) has an empty password in {path}: anyone can log in as it"),
            )
            .set_help(format!("lock the account in the build: `passwd -l {name}` (or `usermod -p '*' {name}`)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_on_empty_hashes_of_login_accounts() {
        let image = debian("13", "trixie").layer("RUN passwd -d root", |l| {
            l.file(
                "/etc/passwd",
                "root:x:0:0:root:/root:/bin/ash\ndaemon::1:1::/:/sbin/nologin\nold::100:100::/home/old:/bin/sh\n",
            )
            .file("/etc/shadow", "root::18000:0:::::\ndaemon::18000:0:::::\n")
        });
        let d = assert_fires(&EmptyPassword, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "account `old` (shell /bin/sh) has an empty password in /etc/passwd: anyone can log in as it",
                "account `root` (shell /bin/ash) has an empty password in /etc/shadow: anyone can log in as it",
            ]
        );
    }

    #[test]
    fn quiet_on_locked_accounts() {
        let image = debian("13", "trixie").layer("RUN useradd", |l| {
            l.file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:10001:10001::/app:/bin/sh\n")
                .file("/etc/shadow", "root:*:19000:0:99999:7:::\napp:!:19000::::::\n")
        });
        assert_passes(&EmptyPassword, &image);
    }
}
