//! DF306: npm install of packages without versions.

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
    pub(crate) struct NpmUnpinned {
        code: "DF306",
        name: "npm-unpinned",
        summary: "npm install of packages without versions",
        severity: Medium,
        fix: None,
        aliases: ["DL3016"],
    }
}

impl DockerfileRule for NpmUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
