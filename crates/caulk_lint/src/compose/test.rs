//! Test helpers for compose rules: run one rule on a snippet and assert it fires or stays quiet.

use std::collections::BTreeMap;

use caulk_core::Diagnostic;
use caulk_syntax::compose;

use super::{BuiltImage, ComposeChecker, ComposeRule};
use crate::settings::LintSettings;

/// Runs `rule` alone on `text` (one in-memory file, empty environment); `built` stands for what
/// the services' Dockerfiles say, by service index.
pub(crate) fn run_rule_built(rule: &dyn ComposeRule, text: &str, built: &[Option<BuiltImage>]) -> Vec<Diagnostic> {
    let project = compose::parse_str(text, &BTreeMap::new());
    let mut built = built.to_vec();
    built.resize(project.services.len(), None);
    let settings = LintSettings::default();
    let mut out = Vec::new();
    let mut cx =
        ComposeChecker { project: &project, built: &built, settings: &settings, rule: rule.meta(), out: &mut out };
    rule.check(&mut cx);
    let mut out: Vec<Diagnostic> = out.into_iter().map(|(_, d)| d).collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

pub(crate) fn run_rule(rule: &dyn ComposeRule, text: &str) -> Vec<Diagnostic> {
    run_rule_built(rule, text, &[])
}

/// Asserts `rule` reports at least one finding on `text`; returns the findings.
#[track_caller]
pub(crate) fn assert_fires(rule: &dyn ComposeRule, text: &str) -> Vec<Diagnostic> {
    let d = run_rule(rule, text);
    assert!(!d.is_empty(), "{} did not fire on:\n{text}", rule.meta().code);
    d
}

/// Asserts `rule` reports nothing on `text`.
#[track_caller]
pub(crate) fn assert_passes(rule: &dyn ComposeRule, text: &str) {
    let d = run_rule(rule, text);
    assert!(
        d.is_empty(),
        "{} fired unexpectedly on:\n{text}\n{:#?}",
        rule.meta().code,
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
}
