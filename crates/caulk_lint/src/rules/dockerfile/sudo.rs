//! DF203: sudo used in RUN.

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
    pub(crate) struct Sudo {
        code: "DF203",
        name: "sudo",
        summary: "sudo used in RUN",
        severity: Medium,
        fix: None,
        aliases: ["DL3004", "AVD-DS-0010", "CKV2_DOCKER_1"],
    }
}

impl DockerfileRule for Sudo {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
