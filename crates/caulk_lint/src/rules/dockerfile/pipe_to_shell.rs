//! DF501: downloaded script piped straight into a shell.

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
    pub(crate) struct PipeToShell {
        code: "DF501",
        name: "pipe-to-shell",
        summary: "downloaded script piped straight into a shell",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for PipeToShell {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
