//! DF604: deprecated MAINTAINER instruction.

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
    pub(crate) struct MaintainerDeprecated {
        code: "DF604",
        name: "maintainer-deprecated",
        summary: "deprecated MAINTAINER instruction",
        severity: Info,
        fix: Always,
        aliases: ["DL4000", "AVD-DS-0022", "CKV_DOCKER_6"],
    }
}

impl DockerfileRule for MaintainerDeprecated {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
