//! DF607: COPY --from names its own stage.

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
    pub(crate) struct CopyFromOwnStage {
        code: "DF607",
        name: "copy-from-own-stage",
        summary: "COPY --from names its own stage",
        severity: High,
        fix: None,
        aliases: ["DL3023", "AVD-DS-0006"],
    }
}

impl DockerfileRule for CopyFromOwnStage {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
