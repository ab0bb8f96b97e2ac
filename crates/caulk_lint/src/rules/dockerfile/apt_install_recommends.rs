//! DF311: apt-get install without --no-install-recommends.

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
    pub(crate) struct AptInstallRecommends {
        code: "DF311",
        name: "apt-install-recommends",
        summary: "apt-get install without --no-install-recommends",
        severity: Low,
        fix: Always,
        aliases: ["DL3015", "AVD-DS-0029"],
    }
}

impl DockerfileRule for AptInstallRecommends {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
