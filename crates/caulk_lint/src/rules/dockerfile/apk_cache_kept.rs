//! DF313: apk add without --no-cache.

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
    pub(crate) struct ApkCacheKept {
        code: "DF313",
        name: "apk-cache-kept",
        summary: "apk add without --no-cache",
        severity: Low,
        fix: Always,
        aliases: ["DL3019", "AVD-DS-0025"],
    }
}

impl DockerfileRule for ApkCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
