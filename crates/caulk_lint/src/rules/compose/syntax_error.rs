//! DC001: a compose project that cannot be fully loaded.

declare_rule! {
    /// ## What it does
    /// Reports what stops a compose project from loading as Docker Compose would load it:
    /// invalid YAML, a file larger than caulk reads, aliases that expand without bound (alias
    /// bombs), `include` and `extends` cycles or missing targets, unreadable included files, and
    /// `${VAR:?message}` variables that are not set.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses such a project, or runs something other than what was
    /// written. caulk still checks every service it could understand.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ${IMAGE:?set IMAGE}
    ///     ports: [80:80
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ${IMAGE:-nginx:1.27}
    ///     ports: ["80:80"]
    /// ```
    ///
    /// ## References
    /// - [Compose file reference](https://docs.docker.com/reference/compose-file/)
    /// - [Interpolation](https://docs.docker.com/reference/compose-file/interpolation/)
    pub(crate) struct ComposeSyntaxError {
        code: "DC001",
        name: "compose-syntax-error",
        summary: "compose file that cannot be loaded as written",
        severity: High,
        target: Compose,
        fix: None,
        aliases: [],
    }
}
