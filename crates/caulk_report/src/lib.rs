//! One report model for every output format: caulk_lint decides what is wrong, this crate only
//! says it, in text, JSON, SARIF 2.1.0, Checkstyle, GitLab Code Quality or GitHub annotations.

pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod sbom;
pub mod text;

use caulk_core::{Diagnostic, RuleMeta, Severity, SourceFile, TargetKind};

/// What one run found, ready to render. Files are sorted by path; findings by position.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    /// Targets that could not be read at all.
    pub errors: Vec<TargetError>,
    /// Every rule known to this build (SARIF lists them as the driver's rules).
    pub rules: Vec<&'static RuleMeta>,
}

/// The findings of one file.
#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub kind: TargetKind,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings dropped by suppressions.
    pub suppressed: usize,
}

/// A target that could not be read.
#[derive(Debug, Clone)]
pub struct TargetError {
    pub path: String,
    pub message: String,
}

/// Counts of findings per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl Counts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

impl Report {
    /// Sorts files by path and findings by (range, code, message): the one sort every format shares.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.source.path().cmp(b.source.path()));
        for f in &mut self.files {
            f.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
        self.rules.sort_by_key(|r| r.code);
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.files.iter().flat_map(|f| &f.diagnostics) {
            c.add(d.severity);
        }
        c
    }

    /// The most severe finding, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.files.iter().flat_map(|f| &f.diagnostics).map(|d| d.severity).max()
    }

    pub fn suppressed(&self) -> usize {
        self.files.iter().map(|f| f.suppressed).sum()
    }
}
