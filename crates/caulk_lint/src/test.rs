//! Test helpers for rules: run one rule on a snippet and assert it fires or stays quiet.

use caulk_core::Diagnostic;
use caulk_syntax::dockerfile::{self, Model};

use crate::checker::Checker;
use crate::context::StageContext;
use crate::rule::DockerfileRule;
use crate::settings::LintSettings;

/// Runs `rule` alone on `text` with default settings.
pub(crate) fn run_rule(rule: &dyn DockerfileRule, text: &str, settings: &LintSettings) -> Vec<Diagnostic> {
    let parsed = dockerfile::parse(text);
    let model = Model::new(&parsed.ast, settings.target.as_deref());
    let stages = StageContext::build(&parsed.ast, &model);
    let mut out = Vec::new();
    let mut cx = Checker::new(text, &parsed.ast, &model, &stages, settings, rule.meta(), &mut out);
    rule.check(&mut cx);
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// Asserts `rule` reports at least one finding on `text`; returns the findings.
#[track_caller]
pub(crate) fn assert_fires(rule: &dyn DockerfileRule, text: &str) -> Vec<Diagnostic> {
    let d = run_rule(rule, text, &LintSettings::default());
    assert!(!d.is_empty(), "{} did not fire on:\n{text}", rule.meta().code);
    d
}

/// Asserts `rule` reports nothing on `text`.
#[track_caller]
pub(crate) fn assert_passes(rule: &dyn DockerfileRule, text: &str) {
    let d = run_rule(rule, text, &LintSettings::default());
    assert!(
        d.is_empty(),
        "{} fired unexpectedly on:\n{text}\n{:#?}",
        rule.meta().code,
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
}
