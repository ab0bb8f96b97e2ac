//! DF201: shipped stage never sets USER, so it runs as root.

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
    pub(crate) struct NoUser {
        code: "DF201",
        name: "no-user",
        summary: "shipped stage never sets USER, so it runs as root",
        severity: High,
        fix: None,
        aliases: ["CKV_DOCKER_3", "CIS-DI-0001"],
    }
}

impl DockerfileRule for NoUser {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
