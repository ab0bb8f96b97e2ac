//! DF406: more than one HEALTHCHECK in a stage.

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
    pub(crate) struct MultipleHealthcheck {
        code: "DF406",
        name: "multiple-healthcheck",
        summary: "more than one HEALTHCHECK in a stage",
        severity: Low,
        fix: None,
        aliases: ["DL3012", "AVD-DS-0023"],
    }
}

impl DockerfileRule for MultipleHealthcheck {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
