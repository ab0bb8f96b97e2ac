//! DF407: tools an attacker can use left in the shipped image.

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
    pub(crate) struct UnnecessaryTools {
        code: "DF407",
        name: "unnecessary-tools",
        summary: "tools an attacker can use left in the shipped image",
        severity: Medium,
        fix: None,
        aliases: ["DL3001"],
    }
}

impl DockerfileRule for UnnecessaryTools {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
