//! DF308: go install without an explicit version.

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
    pub(crate) struct GoInstallUnpinned {
        code: "DF308",
        name: "go-install-unpinned",
        summary: "go install without an explicit version",
        severity: Medium,
        fix: None,
        aliases: ["DL3062"],
    }
}

impl DockerfileRule for GoInstallUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
