//! DF401: shipped image without a HEALTHCHECK.

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
    pub(crate) struct NoHealthcheck {
        code: "DF401",
        name: "no-healthcheck",
        summary: "shipped image without a HEALTHCHECK",
        severity: Medium,
        fix: None,
        aliases: ["AVD-DS-0026", "CKV_DOCKER_2", "DL3057"],
    }
}

impl DockerfileRule for NoHealthcheck {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
