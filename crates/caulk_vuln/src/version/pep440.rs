//! PEP 440 version ordering for PyPI, delegated to `pep440_rs` (the parser uv uses).

use std::str::FromStr;

use super::{Ecosystem, VersionError};

/// Parses a PEP 440 version; wildcards (`1.0.*`) and specifiers are errors.
pub(crate) fn parse(text: &str) -> Result<pep440_rs::Version, VersionError> {
    pep440_rs::Version::from_str(text).map_err(|e| VersionError::new(Ecosystem::PyPI, text, e.to_string()))
}
