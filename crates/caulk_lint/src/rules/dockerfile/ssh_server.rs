//! DF204: SSH server installed in the image.

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
    pub(crate) struct SshServer {
        code: "DF204",
        name: "ssh-server",
        summary: "SSH server installed in the image",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for SshServer {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
