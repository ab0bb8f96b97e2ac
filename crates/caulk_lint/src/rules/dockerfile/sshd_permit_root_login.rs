//! DF205: sshd configured to accept root logins.

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// TODO
    ///
    /// ## Why is this bad?
    /// TODO
    ///
    /// ## Example
    /// ```dockerfile
    /// TODO
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// TODO
    /// ```
    ///
    /// ## References
    /// - TODO
    pub(crate) struct SshdPermitRootLogin {
        code: "DF205",
        name: "sshd-permit-root-login",
        summary: "sshd configured to accept root logins",
        severity: Critical,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for SshdPermitRootLogin {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
