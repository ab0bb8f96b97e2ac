//! DF104: base image pinned to the moving `latest` tag.

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
    pub(crate) struct BaseImageLatest {
        code: "DF104",
        name: "base-image-latest",
        summary: "base image pinned to the moving `latest` tag",
        severity: Medium,
        fix: None,
        aliases: ["DL3007", "AVD-DS-0001", "CKV_DOCKER_7"],
    }
}

impl DockerfileRule for BaseImageLatest {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
