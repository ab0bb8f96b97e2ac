//! DF206: sshd configured to accept passwords.

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::sshd_permit_root_login::{sshd_settings, writer_removal};

declare_rule! {
    /// ## What it does
    /// Checks the stages that end up in the built image for `PasswordAuthentication yes` or
    /// `PermitEmptyPasswords yes` written into the SSH daemon's configuration, the same ways
    /// DF205 looks for `PermitRootLogin yes`: `echo`/`printf` redirected or piped to `tee`,
    /// `sed -i` replacements, heredocs written to `sshd_config` or `sshd_config.d/*`, and
    /// `sshd -o …` options. Commented lines and `sed` patterns that only match the setting are
    /// not reported.
    ///
    /// ## Fix
    /// An unsafe fix removes what writes the setting, as DF205's fix does.
    ///
    /// ## Why is this bad?
    /// Password logins can be brute-forced from the network, and passwords baked into an image
    /// (`chpasswd` in a RUN) are shared by every container started from it and readable in its
    /// history. `PermitEmptyPasswords yes` lets accounts without any password log in.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y openssh-server \
    ///  && sed -i 's/^#\?PasswordAuthentication .*/PasswordAuthentication yes/' /etc/ssh/sshd_config
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// # no SSH server: use `docker exec`; if SSH is unavoidable, allow keys only:
    /// # PasswordAuthentication no
    /// ```
    ///
    /// ## References
    /// - CIS distribution benchmarks: "Ensure SSH PermitEmptyPasswords is disabled"
    /// - [sshd_config(5): PasswordAuthentication](https://man.openbsd.org/sshd_config#PasswordAuthentication)
    pub(crate) struct SshdPasswordAuthentication {
        code: "DF206",
        name: "sshd-password-authentication",
        summary: "sshd configured to accept passwords",
        severity: High,
        fix: Sometimes,
        aliases: [],
    }
}

impl DockerfileRule for SshdPasswordAuthentication {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found: Vec<_> = sshd_settings(cx, "PasswordAuthentication", &["yes"])
            .into_iter()
            .map(|s| {
                let fix = writer_removal(cx, &s, "PasswordAuthentication yes");
                (s.range, "`PasswordAuthentication yes` lets sshd accept passwords, which can be brute-forced", fix)
            })
            .collect();
        found.extend(sshd_settings(cx, "PermitEmptyPasswords", &["yes"]).into_iter().map(|s| {
            let fix = writer_removal(cx, &s, "PermitEmptyPasswords yes");
            (s.range, "`PermitEmptyPasswords yes` lets accounts without a password log in over SSH", fix)
        }));
        found.sort_by_key(|(r, _, _)| (r.start, r.end));
        for (range, message, fix) in found {
            let d = cx.report(range, message)
                .set_help("drop the SSH server (use `docker exec`); if SSH is unavoidable, set `PasswordAuthentication no` and `PermitEmptyPasswords no` and use keys");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::SshdPasswordAuthentication;

    #[test]
    fn fires_on_password_settings() {
        let text = "FROM debian:12\nRUN sed -i 's/^#\\?PasswordAuthentication .*/PasswordAuthentication yes/' /etc/ssh/sshd_config\n";
        let d = assert_fires(&SshdPasswordAuthentication, text);
        assert_eq!(d[0].range.slice(text), "PasswordAuthentication yes");
        let d = assert_fires(
            &SshdPasswordAuthentication,
            "FROM debian:12\nRUN printf 'PasswordAuthentication yes\\nPermitEmptyPasswords yes\\n' >> /etc/ssh/sshd_config\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d[1].message.contains("`PermitEmptyPasswords yes`"));
    }

    #[test]
    fn passes_on_key_only_and_unrelated_files() {
        assert_passes(
            &SshdPasswordAuthentication,
            "FROM debian:12\nRUN echo 'PasswordAuthentication no' >> /etc/ssh/sshd_config\n",
        );
        assert_passes(
            &SshdPasswordAuthentication,
            "FROM debian:12\nRUN echo 'PasswordAuthentication yes' >> /etc/ssh/ssh_config\n",
        );
        assert_passes(
            &SshdPasswordAuthentication,
            "FROM debian:12\nRUN sed -i 's/PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config\n",
        );
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_removes_the_copy_or_the_command() {
        let text = "FROM debian:12\nCOPY <<EOF /etc/ssh/sshd_config.d/pw.conf\nPasswordAuthentication yes\nEOF\nCMD [\"app\"]\n";
        let d = assert_fires(&SshdPasswordAuthentication, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM debian:12\nCMD [\"app\"]\n"));
        let text = "FROM debian:12\nRUN a && printf 'PasswordAuthentication yes\\n' >> /etc/ssh/sshd_config\n";
        let d = assert_fires(&SshdPasswordAuthentication, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM debian:12\nRUN a\n"));
        let d = assert_fires(
            &SshdPasswordAuthentication,
            "FROM debian:12\nRUN if true; then echo 'PasswordAuthentication yes' >> /etc/ssh/sshd_config; fi\n",
        );
        assert!(d[0].fix.is_none());
    }
}
