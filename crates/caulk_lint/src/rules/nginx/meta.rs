//! Findings the nginx loader produces itself: syntax errors and includes it cannot follow.

use caulk_core::RuleMeta;

declare_rule! {
    /// ## What it does
    /// Reports nginx configuration syntax that nginx rejects: a directive not terminated by
    /// `;`, an unclosed block or quote, a stray `}`; and a configuration file that cannot be read.
    ///
    /// ## Why is this bad?
    /// `nginx -t` fails and the server does not start or reload. Every other rule still runs on
    /// what could be understood.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 80
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     listen 80;
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx: configuration file's structure](https://nginx.org/en/docs/beginners_guide.html#conf_structure)
    pub(crate) struct SyntaxError {
        code: "NX001",
        name: "nginx-syntax-error",
        summary: "nginx configuration syntax nginx rejects",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

declare_rule! {
    /// ## What it does
    /// Reports an `include` that cannot be followed: a file (not a glob) that does not exist
    /// relative to the including file's directory or the nginx prefix (`--nginx-prefix`), an
    /// include cycle, or a file over the size limits. Absolute paths that do not exist here
    /// (they name the server's or container's filesystem) and the files nginx ships in its own
    /// configuration directory (`mime.types`, `fastcgi_params`…) are not reported; rules that
    /// look for something missing stay quiet in scopes with such includes.
    ///
    /// ## Why is this bad?
    /// nginx refuses to start on a missing include or recurses on a cycle; and caulk cannot
    /// check what it cannot read, so findings about missing headers or limits in that scope
    /// are withheld.
    ///
    /// ## Example
    /// ```nginx
    /// http {
    ///     include conf.d/sevrer.conf;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// http {
    ///     include conf.d/*.conf;
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx core: include](https://nginx.org/en/docs/ngx_core_module.html#include)
    pub(crate) struct IncludeProblem {
        code: "NX002",
        name: "nginx-include-problem",
        summary: "`include` that cannot be followed",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a `# caulk ignore=…` (or `# caulk global ignore=…`) comment in an nginx
    /// configuration that no longer suppresses any finding of the rules it names.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next regression: when the directive changes again, the
    /// finding it once excused is silenced without anyone deciding so.
    ///
    /// ## Example
    /// ```nginx
    /// # caulk ignore=NX101
    /// server_tokens off;
    /// ```
    /// Use instead:
    /// ```nginx
    /// server_tokens off;
    /// ```
    ///
    /// ## References
    /// - ruff's `RUF100` (unused `noqa`), cargo-deny's unused advisories.
    pub(crate) struct UnusedSuppression {
        code: "NX003",
        name: "nginx-unused-suppression",
        summary: "suppression comment that matches no finding",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

/// NX001's metadata, for diagnostics the loader creates.
pub(crate) static SYNTAX_ERROR: RuleMeta = SyntaxError::META;
/// NX002's metadata, for diagnostics the loader creates.
pub(crate) static INCLUDE_PROBLEM: RuleMeta = IncludeProblem::META;

/// NX003's metadata, for diagnostics the suppression pass creates.
pub(crate) static UNUSED_SUPPRESSION: RuleMeta = UnusedSuppression::META;

/// Metadata of the loader's and the suppression pass's own findings.
pub(crate) static META_RULES: &[&RuleMeta] = &[&SYNTAX_ERROR, &INCLUDE_PROBLEM, &UNUSED_SUPPRESSION];
