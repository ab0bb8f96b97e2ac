//! DF610: COPY of several sources to a destination without a trailing slash.

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
    pub(crate) struct CopyDestinationNotDirectory {
        code: "DF610",
        name: "copy-destination-not-directory",
        summary: "COPY of several sources to a destination without a trailing slash",
        severity: High,
        fix: None,
        aliases: ["DL3021", "AVD-DS-0011"],
    }
}

impl DockerfileRule for CopyDestinationNotDirectory {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
