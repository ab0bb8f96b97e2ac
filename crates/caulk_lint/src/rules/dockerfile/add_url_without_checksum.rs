//! DF502: ADD of a remote URL without --checksum.

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
    pub(crate) struct AddUrlWithoutChecksum {
        code: "DF502",
        name: "add-url-without-checksum",
        summary: "ADD of a remote URL without --checksum",
        severity: Medium,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for AddUrlWithoutChecksum {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
