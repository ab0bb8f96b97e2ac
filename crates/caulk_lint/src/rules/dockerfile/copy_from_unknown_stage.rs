//! DF606: COPY --from names no earlier stage.

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
    pub(crate) struct CopyFromUnknownStage {
        code: "DF606",
        name: "copy-from-unknown-stage",
        summary: "COPY --from names no earlier stage",
        severity: Medium,
        fix: None,
        aliases: ["DL3022"],
    }
}

impl DockerfileRule for CopyFromUnknownStage {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
