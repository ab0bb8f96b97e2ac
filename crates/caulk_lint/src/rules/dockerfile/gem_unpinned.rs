//! DF307: gem install without versions.

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
    pub(crate) struct GemUnpinned {
        code: "DF307",
        name: "gem-unpinned",
        summary: "gem install without versions",
        severity: Medium,
        fix: None,
        aliases: ["DL3028"],
    }
}

impl DockerfileRule for GemUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
