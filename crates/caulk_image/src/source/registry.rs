//! Images in a registry, through the OCI distribution API.

use crate::error::SourceError;
use crate::manifest::{Plan, Platform};
use crate::source::LayerOpener;

/// How to reach registries.
#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    /// Registries (`host:port`) reached over plain HTTP; loopback only.
    pub insecure: Vec<String>,
}

/// Resolves `reference` in its registry.
pub fn open(
    reference: &str,
    _platform: &Platform,
    _explicit: bool,
    _options: &RegistryOptions,
) -> Result<(Plan, Box<dyn LayerOpener>), SourceError> {
    Err(SourceError::Registry(format!("cannot pull `{reference}`: registry access is not built yet")))
}
