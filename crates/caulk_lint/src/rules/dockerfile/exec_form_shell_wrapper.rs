//! DF403: exec-form CMD or ENTRYPOINT that wraps `sh -c`.

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
    pub(crate) struct ExecFormShellWrapper {
        code: "DF403",
        name: "exec-form-shell-wrapper",
        summary: "exec-form CMD or ENTRYPOINT that wraps `sh -c`",
        severity: Medium,
        fix: Sometimes,
        aliases: [],
    }
}

impl DockerfileRule for ExecFormShellWrapper {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
