//! DF105: base image from a registry not in the trusted list.

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
    pub(crate) struct UntrustedRegistry {
        code: "DF105",
        name: "untrusted-registry",
        summary: "base image from a registry not in the trusted list",
        severity: Medium,
        fix: None,
        aliases: ["DL3026"],
    }
}

impl DockerfileRule for UntrustedRegistry {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
