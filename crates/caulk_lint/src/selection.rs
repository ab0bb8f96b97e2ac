//! Rule selectors: a code (`DF301`), a prefix (`DF3`, `DF`), a name (`apt-get-unpinned`),
//! an alias from another tool (`DL3008`, `CKV_DOCKER_2`) or `ALL`.

use caulk_core::RuleMeta;

use crate::registry;

/// A parsed `--select`/`--ignore` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Prefix(String),
    /// A rule's exact code (resolved from a code, name or alias).
    Rule(&'static str),
}

impl RuleSelector {
    /// Parses a selector; `None` when it matches no rule (the caller reports it).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Some(Self::All);
        }
        if let Some(rule) = registry::find_rule(s) {
            return Some(Self::Rule(rule.code));
        }
        let upper = s.to_ascii_uppercase();
        if upper.len() >= 2 && registry::all_rules().any(|r| r.code.starts_with(&upper)) {
            return Some(Self::Prefix(upper));
        }
        None
    }

    pub fn matches(&self, rule: &RuleMeta) -> bool {
        match self {
            Self::All => true,
            Self::Prefix(p) => rule.code.starts_with(p.as_str()),
            Self::Rule(code) => rule.code == *code,
        }
    }

    /// Longer selectors win over shorter ones.
    pub fn specificity(&self) -> usize {
        match self {
            Self::All => 1,
            Self::Prefix(p) => p.len(),
            Self::Rule(_) => usize::MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::LintSettings;

    fn meta(code: &str) -> &'static RuleMeta {
        registry::find_rule(code).unwrap_or_else(|| panic!("no rule {code}"))
    }

    #[test]
    fn parses_codes_prefixes_names_and_aliases() {
        assert_eq!(RuleSelector::parse("DF301"), Some(RuleSelector::Rule("DF301")));
        assert_eq!(RuleSelector::parse("apt-get-unpinned"), Some(RuleSelector::Rule("DF301")));
        assert_eq!(RuleSelector::parse("DL3008"), Some(RuleSelector::Rule("DF301")));
        assert_eq!(RuleSelector::parse("df3"), Some(RuleSelector::Prefix("DF3".to_owned())));
        assert_eq!(RuleSelector::parse("ALL"), Some(RuleSelector::All));
        assert_eq!(RuleSelector::parse("XX1"), None);
        assert_eq!(RuleSelector::parse("D"), None);
    }

    #[test]
    fn the_more_specific_selector_wins() {
        let s = LintSettings {
            select: vec![RuleSelector::Prefix("DF3".to_owned())],
            ignore: vec![RuleSelector::Rule("DF301")],
            ..LintSettings::default()
        };
        assert!(!s.is_enabled(meta("DF301")));
        assert!(s.is_enabled(meta("DF302")));
        assert!(!s.is_enabled(meta("DF101")));
        let s = LintSettings {
            select: vec![RuleSelector::Rule("DF301")],
            ignore: vec![RuleSelector::Prefix("DF".to_owned())],
            ..LintSettings::default()
        };
        assert!(s.is_enabled(meta("DF301")));
        assert!(!s.is_enabled(meta("DF302")));
        assert!(LintSettings::default().is_enabled(meta("DF301")));
    }
}
