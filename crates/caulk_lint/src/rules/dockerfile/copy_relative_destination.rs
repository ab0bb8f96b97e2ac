//! DF603: COPY to a relative path with no WORKDIR set.

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
    pub(crate) struct CopyRelativeDestination {
        code: "DF603",
        name: "copy-relative-destination",
        summary: "COPY to a relative path with no WORKDIR set",
        severity: Low,
        fix: None,
        aliases: ["DL3045"],
    }
}

impl DockerfileRule for CopyRelativeDestination {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
