//! DF609: EXPOSE of a port outside 0-65535.

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
    pub(crate) struct InvalidPort {
        code: "DF609",
        name: "invalid-port",
        summary: "EXPOSE of a port outside 0-65535",
        severity: High,
        fix: None,
        aliases: ["DL3011", "AVD-DS-0008"],
    }
}

impl DockerfileRule for InvalidPort {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
