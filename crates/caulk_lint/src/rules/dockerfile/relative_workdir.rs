//! DF601: WORKDIR with a relative path.

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
    pub(crate) struct RelativeWorkdir {
        code: "DF601",
        name: "relative-workdir",
        summary: "WORKDIR with a relative path",
        severity: Low,
        fix: None,
        aliases: ["DL3000", "AVD-DS-0009", "CKV_DOCKER_10"],
    }
}

impl DockerfileRule for RelativeWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
