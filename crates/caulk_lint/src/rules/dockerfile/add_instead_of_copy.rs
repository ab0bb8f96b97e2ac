//! DF503: ADD of a local file that is not an archive.

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
    pub(crate) struct AddInsteadOfCopy {
        code: "DF503",
        name: "add-instead-of-copy",
        summary: "ADD of a local file that is not an archive",
        severity: Low,
        fix: Sometimes,
        aliases: ["DL3020", "AVD-DS-0005", "CKV_DOCKER_4"],
    }
}

impl DockerfileRule for AddInsteadOfCopy {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
