//! DF506: files made world-writable.

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
    pub(crate) struct WorldWritable {
        code: "DF506",
        name: "world-writable",
        summary: "files made world-writable",
        severity: Medium,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for WorldWritable {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
