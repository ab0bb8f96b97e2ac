//! DF304: zypper install without version pins.

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
    pub(crate) struct ZypperUnpinned {
        code: "DF304",
        name: "zypper-unpinned",
        summary: "zypper install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3037"],
    }
}

impl DockerfileRule for ZypperUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
