//! DF602: cd in RUN to set the working directory.

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
    pub(crate) struct CdInsteadOfWorkdir {
        code: "DF602",
        name: "cd-instead-of-workdir",
        summary: "cd in RUN to set the working directory",
        severity: Low,
        fix: None,
        aliases: ["DL3003", "AVD-DS-0013"],
    }
}

impl DockerfileRule for CdInsteadOfWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
