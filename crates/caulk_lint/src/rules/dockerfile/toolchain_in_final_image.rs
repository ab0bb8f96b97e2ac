//! DF408: build toolchain installed in a single-stage image.

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
    pub(crate) struct ToolchainInFinalImage {
        code: "DF408",
        name: "toolchain-in-final-image",
        summary: "build toolchain installed in a single-stage image",
        severity: Medium,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for ToolchainInFinalImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
