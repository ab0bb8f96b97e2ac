//! DF302: apk add without version pins.

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
    pub(crate) struct ApkUnpinned {
        code: "DF302",
        name: "apk-unpinned",
        summary: "apk add without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3018"],
    }
}

impl DockerfileRule for ApkUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
