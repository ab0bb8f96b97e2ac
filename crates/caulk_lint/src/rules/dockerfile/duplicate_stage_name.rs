//! DF608: two stages with the same name.

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
    pub(crate) struct DuplicateStageName {
        code: "DF608",
        name: "duplicate-stage-name",
        summary: "two stages with the same name",
        severity: High,
        fix: None,
        aliases: ["DL3024", "AVD-DS-0012", "CKV_DOCKER_11"],
    }
}

impl DockerfileRule for DuplicateStageName {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
