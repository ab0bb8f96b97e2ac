//! Rule metadata: the stable identity of a check, shared by the linter, the docs and every report.

use crate::severity::Severity;

/// Which kind of file or artefact a rule inspects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    Dockerfile,
    Compose,
    Nginx,
    Image,
}

impl TargetKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Dockerfile => "dockerfile",
            Self::Compose => "compose",
            Self::Nginx => "nginx",
            Self::Image => "image",
        }
    }
}

/// Whether a rule can offer a fix, and how far it can be trusted (ruff's honesty levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Sometimes => "sometimes",
            Self::Always => "always",
        }
    }
}

/// Everything about a rule that is known without running it. Codes are API: never reused.
#[derive(Debug)]
pub struct RuleMeta {
    /// `DF301`: two-letter domain and three digits.
    pub code: &'static str,
    /// Kebab-case name, e.g. `apt-get-unpinned`.
    pub name: &'static str,
    /// One line, used in listings and SARIF `shortDescription`.
    pub summary: &'static str,
    pub severity: Severity,
    pub target: TargetKind,
    pub since: &'static str,
    pub fix: FixAvailability,
    /// IDs of the same check in hadolint, Trivy, Checkov, Dockle, KICS, gixy.
    pub aliases: &'static [&'static str],
    /// Markdown documentation taken from the rule's doc comment.
    pub docs: &'static str,
}

impl RuleMeta {
    /// True when `id` is this rule's code, name or one of its aliases (case-insensitive).
    pub fn is_known_as(&self, id: &str) -> bool {
        self.code.eq_ignore_ascii_case(id)
            || self.name.eq_ignore_ascii_case(id)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }
}
