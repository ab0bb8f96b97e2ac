//! Lint settings resolved once by the binary (from flags, `.caulk.toml`, `.hadolint.yaml`) and
//! shared by reference with every rule.

use std::collections::BTreeMap;
use std::sync::Arc;

use caulk_core::{RuleMeta, Severity};

use crate::pins::PackagePins;
use crate::selection::RuleSelector;

/// Everything a lint run needs to know besides the file.
#[derive(Debug, Clone)]
pub struct LintSettings {
    /// When non-empty, only rules matching one of these run.
    pub select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
    /// Per-rule severity overrides.
    pub severity: BTreeMap<&'static str, Severity>,
    /// Registries base images may come from; empty means any.
    pub trusted_registries: Vec<String>,
    /// Today's date (`YYYY-MM-DD`) for end-of-life checks; injected so output is reproducible.
    pub today: String,
    /// `--target`: the stage that is built.
    pub target: Option<String>,
    /// `--profile`: compose profiles to check. Empty: `COMPOSE_PROFILES` (environment or `.env`)
    /// when set, else every service, whatever its profiles (a linter checks what could run).
    pub compose_profiles: Vec<String>,
    /// `caulk fix --image`: the image's package versions, which DF301–DF306 offer as pins.
    pub pins: Option<Arc<PackagePins>>,
}

impl Default for LintSettings {
    fn default() -> Self {
        Self {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            trusted_registries: Vec::new(),
            today: "2026-11-22".to_owned(),
            target: None,
            compose_profiles: Vec::new(),
            pins: None,
        }
    }
}

impl LintSettings {
    /// Whether `rule` runs: selected (or no selection), and not ignored. A more specific
    /// selector wins, as in ruff: `--select DF3 --ignore DF301` keeps DF302.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        let select = if self.select.is_empty() {
            Some(0)
        } else {
            self.select.iter().filter(|s| s.matches(rule)).map(RuleSelector::specificity).max()
        };
        let Some(select) = select else { return false };
        let ignore = self.ignore.iter().filter(|s| s.matches(rule)).map(RuleSelector::specificity).max();
        ignore.is_none_or(|i| i < select)
    }

    pub fn severity_override(&self, rule: &RuleMeta) -> Option<Severity> {
        self.severity.get(rule.code).copied()
    }
}
