//! DF312: apt lists left in the layer.

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
    pub(crate) struct AptListsNotRemoved {
        code: "DF312",
        name: "apt-lists-not-removed",
        summary: "apt lists left in the layer",
        severity: Low,
        fix: Sometimes,
        aliases: ["DL3009"],
    }
}

impl DockerfileRule for AptListsNotRemoved {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
