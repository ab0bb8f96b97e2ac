//! DF207: EXPOSE of SSH (22) or telnet (23).

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
    pub(crate) struct ExposeRemoteShellPort {
        code: "DF207",
        name: "expose-remote-shell-port",
        summary: "EXPOSE of SSH (22) or telnet (23)",
        severity: High,
        fix: None,
        aliases: ["AVD-DS-0004", "CKV_DOCKER_1"],
    }
}

impl DockerfileRule for ExposeRemoteShellPort {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
