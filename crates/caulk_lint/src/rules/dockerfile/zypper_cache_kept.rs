//! DF318: zypper caches left in the layer.

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
    pub(crate) struct ZypperCacheKept {
        code: "DF318",
        name: "zypper-cache-kept",
        summary: "zypper caches left in the layer",
        severity: Low,
        fix: None,
        aliases: ["DL3036", "AVD-DS-0020"],
    }
}

impl DockerfileRule for ZypperCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
