//! DF305: pip install without version pins.

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
    pub(crate) struct PipUnpinned {
        code: "DF305",
        name: "pip-unpinned",
        summary: "pip install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3013"],
    }
}

impl DockerfileRule for PipUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
