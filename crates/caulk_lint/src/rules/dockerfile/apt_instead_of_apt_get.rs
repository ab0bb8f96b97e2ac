//! DF611: apt (interactive front end) used in RUN.

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
    pub(crate) struct AptInsteadOfAptGet {
        code: "DF611",
        name: "apt-instead-of-apt-get",
        summary: "apt (interactive front end) used in RUN",
        severity: Low,
        fix: None,
        aliases: ["DL3027", "CKV_DOCKER_9"],
    }
}

impl DockerfileRule for AptInsteadOfAptGet {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
