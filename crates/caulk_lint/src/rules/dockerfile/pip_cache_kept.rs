//! DF315: pip install without --no-cache-dir.

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
    pub(crate) struct PipCacheKept {
        code: "DF315",
        name: "pip-cache-kept",
        summary: "pip install without --no-cache-dir",
        severity: Low,
        fix: Always,
        aliases: ["DL3042"],
    }
}

impl DockerfileRule for PipCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
