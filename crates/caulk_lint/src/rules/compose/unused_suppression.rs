//! DC002: a suppression comment in a compose file that matches no finding.

declare_rule! {
    /// ## What it does
    /// Reports a `# caulk ignore=…` (or `# caulk global ignore=…`) comment in a compose file
    /// that no longer suppresses any finding of the rules it names.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next regression: when the service changes again, the
    /// finding it once excused is silenced without anyone deciding so.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     # caulk ignore=DC101
    ///     privileged: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     privileged: false
    /// ```
    ///
    /// ## References
    /// - ruff's `RUF100` (unused `noqa`), cargo-deny's unused advisories.
    pub(crate) struct ComposeUnusedSuppression {
        code: "DC002",
        name: "compose-unused-suppression",
        summary: "suppression comment that matches no finding",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: [],
    }
}
