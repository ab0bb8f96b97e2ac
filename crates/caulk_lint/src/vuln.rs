//! Vulnerability-policy findings (`VU`): what matching could not do, what the advisory data lacks,
//! and what `.caulkignore` says. The matching itself lives in caulk_vuln; this module only turns
//! its facts into findings, so `--select`, `--ignore`, severity overrides and every report
//! format treat them like any other rule.

use caulk_core::{Diagnostic, ImageLocation, RuleMeta};

use crate::rule::HasMeta;
use crate::rules::vuln::RULES;
use crate::settings::LintSettings;

/// Advisory data older than this many days is stale (VU004; `caulk db status` warns too).
pub const STALE_AFTER_DAYS: u64 = 7;

/// A version the matcher could not compare (installed, or in an advisory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotComparable {
    pub package: String,
    pub version: String,
    pub ecosystem: String,
    pub message: String,
}

/// A `.caulkignore` entry, named by its file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreEntryRef {
    pub file: String,
    pub line: usize,
    pub id: String,
    pub until: Option<String>,
}

/// A line of `.caulkignore` that is not a valid entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreProblemRef {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Everything vulnerability matching learned about one image that a policy rule may report.
#[derive(Debug, Clone, Default)]
pub struct VulnFacts {
    /// Why matching did not run (no advisory store, unreadable store); `None` when it ran.
    pub skipped: Option<String>,
    /// Days since the newest import in the store.
    pub data_age_days: Option<u64>,
    pub not_comparable: Vec<NotComparable>,
    /// Ecosystems the image's packages need that the store has no advisories for, with how many
    /// packages each left unchecked (`Debian:12`, 88).
    pub ecosystems_without_data: Vec<(String, usize)>,
    /// Entries past their `until` date that named a finding of this image (reported again).
    pub expired_ignores: Vec<IgnoreEntryRef>,
    /// Entries that matched nothing in the whole run (attached to one image).
    pub unused_ignores: Vec<IgnoreEntryRef>,
    pub ignore_problems: Vec<IgnoreProblemRef>,
}

/// One VU finding before it becomes a diagnostic: the message and the hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VulnNote {
    pub message: String,
    pub help: String,
}

impl VulnNote {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Self { message: message.into(), help: help.into() }
    }
}

/// A vulnerability-policy rule: reads the facts, reports findings on the image as a whole.
pub trait VulnRule: HasMeta + Sync + Send {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>);
}

/// Metadata of every VU rule, for the registry.
pub(crate) fn rule_metas() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta())
}

/// Runs every enabled VU rule; findings sit on the image as a whole (no layer or path); those
/// about `.caulkignore` name its file and line in the message.
pub fn check_vulns(facts: &VulnFacts, settings: &LintSettings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if !settings.is_enabled(meta) {
            continue;
        }
        let mut found = Vec::new();
        rule.check(facts, &mut found);
        for note in found {
            let mut d = Diagnostic::in_image(meta, ImageLocation::default(), note.message).with_help(note.help);
            if let Some(sev) = settings.severity_override(meta) {
                d.severity = sev;
            }
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}
