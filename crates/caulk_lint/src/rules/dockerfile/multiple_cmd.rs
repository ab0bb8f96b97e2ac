//! DF404: more than one CMD in a stage.

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
    pub(crate) struct MultipleCmd {
        code: "DF404",
        name: "multiple-cmd",
        summary: "more than one CMD in a stage",
        severity: Low,
        fix: None,
        aliases: ["DL4003", "AVD-DS-0016"],
    }
}

impl DockerfileRule for MultipleCmd {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
