//! SemVer 2.0 ordering for crates.io (and OSV `SEMVER` ranges) and for Go module versions.
//!
//! Build metadata is ignored, as SemVer 2.0 §10 and Go's `semver.Compare` require (the `semver`
//! crate would otherwise use it as a tiebreak). Go versions may carry the `v` prefix and Go's
//! shorthand `v1` / `v1.2` (= `v1.0.0` / `v1.2.0`); pseudo-versions such as
//! `v0.0.0-20210101120000-abcdef123456` are ordinary pre-releases and order as Go orders them.

use std::cmp::Ordering;

use super::{Ecosystem, VersionError};

/// A SemVer version compared without build metadata.
#[derive(Debug, Clone)]
pub(crate) struct SemVer(::semver::Version);

impl SemVer {
    /// Strict SemVer 2.0: `MAJOR.MINOR.PATCH[-pre][+build]`, no prefix.
    pub(crate) fn parse_cargo(text: &str) -> Result<Self, VersionError> {
        ::semver::Version::parse(text).map(Self).map_err(|e| VersionError::new(Ecosystem::Cargo, text, e.to_string()))
    }

    /// Go module version: optional `v`, shorthand `v1` and `v1.2` (no pre-release or build allowed
    /// with shorthand, as in `golang.org/x/mod/semver`).
    pub(crate) fn parse_go(text: &str) -> Result<Self, VersionError> {
        let err = |reason: String| VersionError::new(Ecosystem::Go, text, reason);
        let body = text.strip_prefix('v').unwrap_or(text);
        let core_len = body.find(['-', '+']).unwrap_or(body.len());
        let core = body.get(..core_len).unwrap_or(body);
        let dots = core.matches('.').count();
        let full = match dots {
            0 | 1 if core_len != body.len() => return Err(err("shorthand versions cannot have a suffix".into())),
            0 => format!("{core}.0.0"),
            1 => format!("{core}.0"),
            _ => body.to_owned(),
        };
        ::semver::Version::parse(&full).map(Self).map_err(|e| err(e.to_string()))
    }
}

impl PartialEq for SemVer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVer {}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.0, &other.0);
        (a.major, a.minor, a.patch).cmp(&(b.major, b.minor, b.patch)).then_with(|| a.pre.cmp(&b.pre))
    }
}
