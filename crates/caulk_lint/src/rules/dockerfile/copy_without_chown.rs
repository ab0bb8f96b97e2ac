//! DF605: files copied for a non-root user without --chown.

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
    pub(crate) struct CopyWithoutChown {
        code: "DF605",
        name: "copy-without-chown",
        summary: "files copied for a non-root user without --chown",
        severity: Info,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for CopyWithoutChown {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
