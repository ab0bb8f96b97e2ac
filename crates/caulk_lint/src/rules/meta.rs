//! Findings the framework produces itself: syntax errors, shell it could not parse, and
//! suppression pragmas that are wrong or stale.

declare_rule! {
    /// ## What it does
    /// Reports Dockerfile syntax BuildKit would reject or misread: unknown instructions, unknown
    /// flags, missing arguments, unterminated heredocs, invalid parser directives.
    ///
    /// ## Why is this bad?
    /// The build fails, or silently does something other than what was written. Every other
    /// rule still runs on what could be understood.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY --chwon=app:app . /app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// COPY --chown=app:app . /app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference](https://docs.docker.com/reference/dockerfile/)
    pub(crate) struct SyntaxError {
        code: "DF001",
        name: "syntax-error",
        summary: "Dockerfile syntax the builder rejects",
        severity: High,
        fix: None,
        aliases: ["DL1000"],
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a suppression pragma naming a code that is not a caulk rule, rule name or alias.
    ///
    /// ## Why is this bad?
    /// A typo in a pragma suppresses nothing, so the finding it was meant to silence stays, or
    /// worse, the author believes a check is off when it is not.
    ///
    /// ## Example
    /// ```dockerfile
    /// # caulk ignore=DF3O1
    /// RUN apt-get install -y curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// # caulk ignore=DF301 reason: pinned through the base image snapshot
    /// RUN apt-get install -y curl
    /// ```
    ///
    /// ## References
    /// - `caulk rules` lists every code, name and alias.
    pub(crate) struct InvalidSuppression {
        code: "DF002",
        name: "invalid-suppression",
        summary: "suppression pragma names an unknown rule",
        severity: Low,
        fix: None,
        aliases: [],
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a suppression pragma (`# caulk ignore=…`, `# hadolint ignore=…`) that no longer
    /// matches any finding.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide future regressions: when the line changes again, the finding it
    /// once excused is silenced without anyone deciding so.
    ///
    /// ## Example
    /// ```dockerfile
    /// # caulk ignore=DF301
    /// RUN apt-get install -y curl=7.88.1-10+deb12u8
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get install -y curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## References
    /// - cargo-deny's `advisory-not-detected`, ruff's `RUF100`.
    pub(crate) struct UnusedSuppression {
        code: "DF003",
        name: "unused-suppression",
        summary: "suppression pragma matches no finding",
        severity: Low,
        fix: None,
        aliases: [],
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a RUN body the POSIX shell parser could not parse; its commands were recovered
    /// by a tolerant reader so the other rules still see them.
    ///
    /// ## Why is this bad?
    /// Shell that does not parse usually fails at build time (an unterminated quote, a stray
    /// `fi`); where it does not, it may not run what it seems to.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN echo "unterminated && apt-get install -y curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN echo "terminated" && apt-get install -y curl
    /// ```
    ///
    /// ## References
    /// - [POSIX Shell Command Language](https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html)
    pub(crate) struct ShellParseNote {
        code: "DF004",
        name: "shell-parse-error",
        summary: "RUN shell that does not parse",
        severity: Low,
        fix: None,
        aliases: ["SC1009"],
    }
}

pub(crate) const SYNTAX_ERROR: caulk_core::RuleMeta = SyntaxError::META;
pub(crate) const INVALID_SUPPRESSION: caulk_core::RuleMeta = InvalidSuppression::META;
pub(crate) const UNUSED_SUPPRESSION: caulk_core::RuleMeta = UnusedSuppression::META;
pub(crate) const SHELL_PARSE_NOTE: caulk_core::RuleMeta = ShellParseNote::META;
