//! DF402: CMD or ENTRYPOINT in shell form.

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
    pub(crate) struct ShellFormCommand {
        code: "DF402",
        name: "shell-form-command",
        summary: "CMD or ENTRYPOINT in shell form",
        severity: Medium,
        fix: Sometimes,
        aliases: ["DL3025"],
    }
}

impl DockerfileRule for ShellFormCommand {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
