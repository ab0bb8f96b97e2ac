//! DF310: package install that may wait for a confirmation.

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
    pub(crate) struct InstallWithoutYes {
        code: "DF310",
        name: "install-without-yes",
        summary: "package install that may wait for a confirmation",
        severity: Medium,
        fix: Sometimes,
        aliases: ["DL3014", "DL3030", "DL3034", "DL3038", "AVD-DS-0021"],
    }
}

impl DockerfileRule for InstallWithoutYes {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
