//! DF317: packages installed without signature checks.

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
    pub(crate) struct UnauthenticatedPackages {
        code: "DF317",
        name: "unauthenticated-packages",
        summary: "packages installed without signature checks",
        severity: High,
        fix: None,
        aliases: ["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
    }
}

impl DockerfileRule for UnauthenticatedPackages {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
