//! The advisory model every importer produces, the store keeps and the matcher reads: OSV's
//! shape, trimmed to what matching and reports need, plus the one range form OSV lacks (npm
//! semver expressions from the Node.js security WG).

use caulk_core::Severity;
use serde::{Deserialize, Serialize};

/// One advisory record (an OSV entry, one CVE of an Alpine secdb, one Node.js security WG file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// The record's own id: `ALSA-2024:8793`, `PYSEC-2021-19`, `GHSA-…`, `CVE-…` (secdb),
    /// `NSWG-ECO-100` (Node.js security WG).
    pub id: String,
    /// Other ids of the same vulnerability: OSV `aliases`, the CVEs of `related` and `upstream`,
    /// the WG's `cves`. Sorted, deduplicated, never containing `id`.
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub severity: Option<Rating>,
    /// RFC 3339 as the source wrote it.
    pub published: Option<String>,
    pub modified: Option<String>,
    /// The record's own page (the first `ADVISORY` reference, else the first reference).
    pub url: Option<String>,
    pub affected: Vec<Affected>,
}

/// How severe an advisory is, and where that judgement comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub severity: Severity,
    /// CVSS base score computed from `vector`.
    pub score: Option<f64>,
    /// The CVSS vector (`CVSS:3.1/AV:N/…`), when the rating comes from one.
    pub vector: Option<String>,
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, or the distro's own scale (`Ubuntu`, `AlmaLinux`,
    /// `GHSA`, `Node.js`).
    pub origin: String,
}

/// One package an advisory affects, in one ecosystem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The OSV ecosystem with its release suffix: `Debian:12`, `Alpine:v3.19`, `PyPI`.
    pub ecosystem: String,
    /// The package name as the ecosystem spells it (PyPI names normalised per PEP 503).
    pub name: String,
    pub ranges: Vec<Range>,
    /// Explicitly affected versions (OSV `versions[]`).
    pub versions: Vec<String>,
    /// A rating for this package only (OSV `affected[].severity`), overriding the advisory's.
    pub severity: Option<Rating>,
}

/// A range of affected versions. Stored externally tagged (`{"ecosystem": {…}}`): serde reads that
/// without buffering, which an internal `type` tag would need on every lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Range {
    /// OSV `ECOSYSTEM`: events ordered by the ecosystem's own version ordering.
    Ecosystem { events: Vec<Event> },
    /// OSV `SEMVER`: events ordered by SemVer 2.0.
    Semver { events: Vec<Event> },
    /// OSV `GIT`: commit events, which need the repository graph; matching relies on the
    /// record's `versions[]` instead, as the schema says.
    Git { repo: Option<String>, events: Vec<Event> },
    /// node-semver expressions (Node.js security WG): affected when `vulnerable` is satisfied and
    /// `patched` (if given) is not.
    NpmExpr { vulnerable: String, patched: Option<String> },
}

/// One OSV range event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// `"0"` means before every version.
    Introduced(String),
    Fixed(String),
    /// Inclusive upper bound.
    LastAffected(String),
    /// Exclusive bound on the whole range; `"*"` is infinity.
    Limit(String),
}

impl Event {
    /// The version text the event carries.
    pub fn version(&self) -> &str {
        match self {
            Self::Introduced(v) | Self::Fixed(v) | Self::LastAffected(v) | Self::Limit(v) => v,
        }
    }
}
