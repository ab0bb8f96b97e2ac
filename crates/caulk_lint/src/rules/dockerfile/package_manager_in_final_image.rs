//! DF409: package manager left usable in the shipped image.

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
    pub(crate) struct PackageManagerInFinalImage {
        code: "DF409",
        name: "package-manager-in-final-image",
        summary: "package manager left usable in the shipped image",
        severity: Info,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for PackageManagerInFinalImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
