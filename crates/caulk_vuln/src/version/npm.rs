//! npm version ordering and range matching (node-semver semantics via `nodejs-semver`), for npm
//! packages and the nodejs-security-wg advisories, which state ranges like `<1.2.3 || >=2.0.0 <2.1.0`.

use super::{Ecosystem, VersionError};

/// Parses an npm version (node-semver accepts a leading `v`).
pub(crate) fn parse(text: &str) -> Result<nodejs_semver::Version, VersionError> {
    nodejs_semver::Version::parse(text)
        .map_err(|e| VersionError::new(Ecosystem::Npm, text, format!("not a node-semver version ({e})")))
}

/// A parsed node-semver range; parse once when matching many versions against one advisory.
#[derive(Debug, Clone)]
pub struct NpmRange(nodejs_semver::Range);

impl NpmRange {
    /// Parses a node-semver range (`^1.2`, `1.x`, `>=1 <2 || 3.0.0`, `*`, …).
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        nodejs_semver::Range::parse(text)
            .map(Self)
            .map_err(|e| VersionError::new(Ecosystem::Npm, text, format!("not a node-semver range ({e})")))
    }

    /// Whether `version` is in the range; like npm, pre-releases only match ranges that name a
    /// pre-release of the same `major.minor.patch`.
    pub fn contains(&self, version: &super::Version) -> Option<bool> {
        match &version.0 {
            super::Repr::Npm(v) => Some(self.0.satisfies(v)),
            _ => None,
        }
    }
}

/// Whether npm `version` satisfies node-semver `range`; errors name whichever does not parse.
pub fn npm_satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    let v = parse(version)?;
    Ok(NpmRange::parse(range)?.0.satisfies(&v))
}
