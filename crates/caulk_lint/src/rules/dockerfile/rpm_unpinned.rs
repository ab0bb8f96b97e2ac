//! DF303: yum/dnf/microdnf install without version pins.

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
    pub(crate) struct RpmUnpinned {
        code: "DF303",
        name: "rpm-unpinned",
        summary: "yum/dnf/microdnf install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3033", "DL3041"],
    }
}

impl DockerfileRule for RpmUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
