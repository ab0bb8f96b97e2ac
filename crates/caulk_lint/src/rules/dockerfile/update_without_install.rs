//! DF319: package index updated in a RUN that installs nothing.

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
    pub(crate) struct UpdateWithoutInstall {
        code: "DF319",
        name: "update-without-install",
        summary: "package index updated in a RUN that installs nothing",
        severity: Medium,
        fix: None,
        aliases: ["AVD-DS-0017", "CKV_DOCKER_5"],
    }
}

impl DockerfileRule for UpdateWithoutInstall {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
