//! IM204: sshd_config lets root log in.

use caulk_image::fs::MergedFs;

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reads `/etc/ssh/sshd_config` as sshd does — following `Include` (e.g. Debian's
    /// `Include /etc/ssh/sshd_config.d/*.conf`) in place, first value wins, keywords are
    /// case-insensitive — and reports when the effective global `PermitRootLogin` is `yes`.
    /// Settings inside `Match` blocks apply to some connections only and are not counted
    /// (a minimal reading: a `yes` at the top level fires). `prohibit-password`,
    /// `without-password`, `forced-commands-only` and `no` are fine, as is the default
    /// (`prohibit-password` since OpenSSH 7.0).
    ///
    /// ## Why is this bad?
    /// With `PermitRootLogin yes` anyone who guesses or sniffs the root password owns the
    /// container: root over SSH skips every unprivileged step an attacker would otherwise need.
    /// Combined with an exposed port 22 it is the most direct way into a container.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config
    /// ```
    /// Use instead: no SSH server in the image (IM203); if one is unavoidable,
    /// `PermitRootLogin no` and key-based login for an unprivileged user.
    ///
    /// ## References
    /// - [sshd_config(5): PermitRootLogin](https://man.openbsd.org/sshd_config#PermitRootLogin)
    /// - CIS Distribution Independent Linux 5.2.8; caulk DF205 for Dockerfiles
    pub(crate) struct SshdPermitRootLogin {
        code: "IM204",
        name: "image-sshd-permit-root-login",
        summary: "sshd_config lets root log in over SSH",
        severity: Critical,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for SshdPermitRootLogin {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let Some((path, value)) = effective(&cx.image.fs, "/etc/ssh/sshd_config", "permitrootlogin") else { return };
        if !value.eq_ignore_ascii_case("yes") {
            return;
        }
        cx.report_path(&path, format!("`PermitRootLogin yes` in {path} lets root log in over SSH with a password"))
            .set_help(
                "set `PermitRootLogin no` (or remove the SSH server) and log in as an unprivileged user with a key",
            );
    }
}

/// The first global value of `keyword` (lowercase) in an sshd configuration, with the file it
/// came from; `Include`d files are read in place, `Match` blocks are skipped.
pub(crate) fn effective(fs: &MergedFs, main: &str, keyword: &str) -> Option<(String, String)> {
    search(fs, main, keyword, 0, &mut Vec::new())
}

fn search(
    fs: &MergedFs,
    path: &str,
    keyword: &str,
    depth: usize,
    visited: &mut Vec<String>,
) -> Option<(String, String)> {
    if visited.iter().any(|v| v == path) || depth > 8 {
        return None;
    }
    visited.push(path.to_owned());
    let bytes = fs.read(path)?;
    let text = String::from_utf8_lossy(bytes);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(|c: char| c.is_whitespace() || c == '=').unwrap_or((line, ""));
        let value = value.trim_start_matches(|c: char| c.is_whitespace() || c == '=').trim().trim_matches('"');
        match key.to_ascii_lowercase().as_str() {
            // everything after the first Match belongs to a block
            "match" => return None,
            "include" => {
                for pattern in value.split_whitespace() {
                    let pattern =
                        if pattern.starts_with('/') { pattern.to_owned() } else { format!("/etc/ssh/{pattern}") };
                    for file in expand(fs, &pattern) {
                        let found = search(fs, &file, keyword, depth + 1, visited);
                        if found.is_some() {
                            return found;
                        }
                    }
                }
            }
            k if k == keyword => return Some((path.to_owned(), value.to_owned())),
            _ => {}
        }
    }
    None
}

/// Files matching an `Include` pattern whose only wildcards are in the last component, sorted.
fn expand(fs: &MergedFs, pattern: &str) -> Vec<String> {
    let (dir, name) = pattern.rsplit_once('/').unwrap_or(("", pattern));
    if !name.contains(['*', '?']) {
        return vec![pattern.to_owned()];
    }
    let (prefix, suffix) = name.split_once('*').unwrap_or((name, ""));
    let mut files: Vec<String> = fs
        .under(dir)
        .filter_map(|(p, _)| {
            let file = p.strip_prefix(dir)?.strip_prefix('/')?;
            (!file.contains('/')
                && file.starts_with(prefix)
                && file.ends_with(suffix)
                && file.len() >= prefix.len() + suffix.len())
            .then(|| p.to_owned())
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, debian};

    fn sshd(config: &str, dropin: Option<&str>) -> TestImage {
        debian("13", "trixie").layer("RUN configure sshd", |l| {
            let l = l.dir("/etc/ssh").file("/etc/ssh/sshd_config", config).dir("/etc/ssh/sshd_config.d");
            match dropin {
                Some(d) => l.file("/etc/ssh/sshd_config.d/10-root.conf", d),
                None => l,
            }
        })
    }

    #[test]
    fn fires_on_a_global_yes() {
        let d = assert_fires(
            &SshdPermitRootLogin,
            &sshd("#PermitRootLogin prohibit-password\nUsePAM yes\nPermitRootLogin yes\n", None),
        );
        assert_eq!(
            d[0].message,
            "`PermitRootLogin yes` in /etc/ssh/sshd_config lets root log in over SSH with a password"
        );
        // a drop-in read through Include comes first
        let d = assert_fires(
            &SshdPermitRootLogin,
            &sshd("Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n", Some("permitrootlogin=yes\n")),
        );
        assert_eq!(d[0].image.as_deref().and_then(|l| l.path.as_deref()), Some("/etc/ssh/sshd_config.d/10-root.conf"));
    }

    #[test]
    fn quiet_when_first_value_is_safe_or_in_a_match_block() {
        assert_passes(&SshdPermitRootLogin, &sshd("PermitRootLogin prohibit-password\nPermitRootLogin yes\n", None));
        assert_passes(
            &SshdPermitRootLogin,
            &sshd("UsePAM yes\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\n", None),
        );
        assert_passes(&SshdPermitRootLogin, &sshd("#PermitRootLogin yes\n", None));
        // a drop-in that is not included does nothing
        assert_passes(&SshdPermitRootLogin, &sshd("PermitRootLogin no\n", Some("PermitRootLogin yes\n")));
        assert_passes(&SshdPermitRootLogin, &debian("13", "trixie"));
    }
}
