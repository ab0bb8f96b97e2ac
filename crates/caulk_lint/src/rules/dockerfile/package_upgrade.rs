//! DF316: full distribution upgrade in the build.

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
    pub(crate) struct PackageUpgrade {
        code: "DF316",
        name: "package-upgrade",
        summary: "full distribution upgrade in the build",
        severity: Low,
        fix: None,
        aliases: ["AVD-DS-0024", "DL3005"],
    }
}

impl DockerfileRule for PackageUpgrade {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
