//! The comparison model `caulk compare` fills and every format renders: one row per security
//! aspect, B judged against A, and a verdict weighed by impact.

use serde::Serialize;

use crate::Counts;

/// Two targets compared aspect by aspect.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The baseline.
    pub a: ComparedTarget,
    /// The candidate, judged against A.
    pub b: ComparedTarget,
    /// In the order the seeds' table lists them, then what caulk knows beyond it.
    pub rows: Vec<ComparisonRow>,
    pub verdict: Verdict,
}

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedTarget {
    /// The path or image reference as the user gave it.
    pub label: String,
    /// `dockerfile` or `image`.
    pub kind: &'static str,
    /// Findings per severity.
    pub findings: Counts,
    /// Vulnerabilities per severity and the unrated ones (images with matching only).
    pub vulnerabilities: Option<(Counts, usize)>,
}

/// One aspect of both targets.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// What is compared (`Base image`, `Root SSH`, `User privilege`, …).
    pub aspect: String,
    /// A's value, short and human (`ubuntu:18.04`, `✗ enabled`, `root`).
    pub a: String,
    /// B's value.
    pub b: String,
    /// B against A.
    pub change: Change,
    /// How much the aspect matters, 1 to 3 (the seeds' stars).
    pub impact: u8,
    /// Why, in one sentence, when the values alone do not say it.
    pub note: Option<String>,
}

/// How B compares with A on one aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Better,
    Worse,
    Same,
    /// One side has no value for this aspect (a Dockerfile has no measured size).
    Unknown,
}

/// The overall judgement.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// B against A, weighing each row by its impact.
    pub change: Change,
    /// Sum of the impacts of the rows where B is better, and where it is worse.
    pub better_weight: u32,
    pub worse_weight: u32,
    /// One sentence for the end of the table.
    pub summary: String,
}
