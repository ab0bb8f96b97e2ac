//! DF314: yum/dnf caches left in the layer.

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
    pub(crate) struct RpmCacheKept {
        code: "DF314",
        name: "rpm-cache-kept",
        summary: "yum/dnf caches left in the layer",
        severity: Low,
        fix: None,
        aliases: ["DL3032", "DL3040", "AVD-DS-0015", "AVD-DS-0019"],
    }
}

impl DockerfileRule for RpmCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
