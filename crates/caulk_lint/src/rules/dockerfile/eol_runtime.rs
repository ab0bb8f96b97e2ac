//! DF102: base image whose language runtime is past end of life.

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
    pub(crate) struct EolRuntime {
        code: "DF102",
        name: "eol-runtime",
        summary: "base image whose language runtime is past end of life",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for EolRuntime {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
