//! DF405: more than one ENTRYPOINT in a stage.

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
    pub(crate) struct MultipleEntrypoint {
        code: "DF405",
        name: "multiple-entrypoint",
        summary: "more than one ENTRYPOINT in a stage",
        severity: Low,
        fix: None,
        aliases: ["DL4004", "AVD-DS-0007"],
    }
}

impl DockerfileRule for MultipleEntrypoint {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
