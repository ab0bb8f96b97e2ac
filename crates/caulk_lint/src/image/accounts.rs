//! The image's accounts from `/etc/passwd`, `/etc/shadow` and `/etc/group`, read once for the
//! rules about the runtime user, passwords and duplicate ids.

use caulk_image::fs::MergedFs;

/// One `/etc/passwd` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    pub(crate) name: String,
    /// The password field of `/etc/passwd` (`x` when the hash is in `/etc/shadow`).
    pub(crate) password: String,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) shell: String,
}

impl Account {
    /// Whether someone can log in as this account: its shell is not `nologin` or `false` (an
    /// empty shell means `/bin/sh`).
    pub(crate) fn can_log_in(&self) -> bool {
        let shell = self.shell.trim();
        let name = shell.rsplit('/').next().unwrap_or(shell);
        !matches!(name, "nologin" | "false" | "sync" | "shutdown" | "halt")
    }
}

/// One `/etc/group` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) name: String,
    pub(crate) gid: u32,
}

/// Everything the account files say.
#[derive(Debug, Default)]
pub(crate) struct Accounts {
    pub(crate) passwd: Vec<Account>,
    /// (name, hash) from `/etc/shadow`.
    pub(crate) shadow: Vec<(String, String)>,
    pub(crate) groups: Vec<Group>,
}

impl Accounts {
    pub(crate) fn read(fs: &MergedFs) -> Self {
        let text = |p: &str| fs.read(p).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        Self::parse(&text("/etc/passwd"), &text("/etc/shadow"), &text("/etc/group"))
    }

    pub(crate) fn parse(passwd: &str, shadow: &str, group: &str) -> Self {
        let lines = |t: &str| -> Vec<Vec<String>> {
            t.lines()
                .map(str::trim_end)
                // NIS `+`/`-` entries and comments are not accounts
                .filter(|l| !l.is_empty() && !l.starts_with(['#', '+', '-']))
                .map(|l| l.split(':').map(str::to_owned).collect())
                .collect()
        };
        let passwd = lines(passwd)
            .into_iter()
            .filter_map(|f| {
                Some(Account {
                    name: f.first()?.clone(),
                    password: f.get(1)?.clone(),
                    uid: f.get(2)?.parse().ok()?,
                    gid: f.get(3)?.parse().ok()?,
                    shell: f.get(6).cloned().unwrap_or_default(),
                })
            })
            .collect();
        let shadow = lines(shadow).into_iter().filter_map(|f| Some((f.first()?.clone(), f.get(1)?.clone()))).collect();
        let groups = lines(group)
            .into_iter()
            .filter_map(|f| Some(Group { name: f.first()?.clone(), gid: f.get(2)?.parse().ok()? }))
            .collect();
        Self { passwd, shadow, groups }
    }

    pub(crate) fn user(&self, name: &str) -> Option<&Account> {
        self.passwd.iter().find(|a| a.name == name)
    }

    pub(crate) fn shadow_hash(&self, name: &str) -> Option<&str> {
        self.shadow.iter().find(|(n, _)| n == name).map(|(_, h)| h.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_files() {
        let a = Accounts::parse(
            "root:x:0:0:root:/root:/bin/bash\n+::::::\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\nbad:x:y:0::/:/bin/sh\napp:x:10001:10001::/app:\n",
            "root:*:19000:0:99999:7:::\napp::19000::::::\n",
            "root:x:0:\napp:x:10001:\n",
        );
        assert_eq!(a.passwd.len(), 3);
        assert!(a.user("root").is_some_and(Account::can_log_in));
        assert!(!a.user("nobody").is_some_and(Account::can_log_in));
        // an empty shell is /bin/sh
        assert!(a.user("app").is_some_and(Account::can_log_in));
        assert_eq!(a.shadow_hash("app"), Some(""));
        assert_eq!(a.groups.iter().map(|g| g.gid).collect::<Vec<_>>(), [0, 10001]);
    }
}
