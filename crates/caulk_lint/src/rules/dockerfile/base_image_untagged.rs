//! DF103: base image without a tag or digest.

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
    pub(crate) struct BaseImageUntagged {
        code: "DF103",
        name: "base-image-untagged",
        summary: "base image without a tag or digest",
        severity: Medium,
        fix: None,
        aliases: ["DL3006"],
    }
}

impl DockerfileRule for BaseImageUntagged {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
