//! DF202: shipped stage switches to the root user last.

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
    pub(crate) struct RootUser {
        code: "DF202",
        name: "root-user",
        summary: "shipped stage switches to the root user last",
        severity: High,
        fix: None,
        aliases: ["DL3002", "AVD-DS-0002", "CKV_DOCKER_8"],
    }
}

impl DockerfileRule for RootUser {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
