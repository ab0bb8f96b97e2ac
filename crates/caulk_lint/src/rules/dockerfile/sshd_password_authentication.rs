//! DF206: sshd configured to accept passwords.

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
    pub(crate) struct SshdPasswordAuthentication {
        code: "DF206",
        name: "sshd-password-authentication",
        summary: "sshd configured to accept passwords",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for SshdPasswordAuthentication {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
