//! DF101: base image whose OS is past end of life.

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
    pub(crate) struct EolBaseImage {
        code: "DF101",
        name: "eol-base-image",
        summary: "base image whose OS is past end of life",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for EolBaseImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
