//! Configuration: `.caulk.toml` found upward from the target (or `--config`), and hadolint's
//! `.hadolint.yaml` read too, so teams migrating keep their ignores and trusted registries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// `.caulk.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct CaulkToml {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_on: Option<String>,
    #[serde(default)]
    pub trusted_registries: Vec<String>,
    /// Rule (code, name or alias) → severity.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub db: DbConfig,
}

/// `[db]`: where `caulk db update` downloads from.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct DbConfig {
    /// Base URL of the per-ecosystem `all.zip` exports (a mirror of osv.dev's bucket).
    pub base_url: Option<String>,
    /// Ecosystems `caulk db update` downloads when none are named.
    #[serde(default)]
    pub ecosystems: Vec<String>,
}

/// The parts of `.hadolint.yaml` caulk honours.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct HadolintYaml {
    #[serde(default)]
    pub ignored: Vec<String>,
    #[serde(default, rename = "trustedRegistries")]
    pub trusted_registries: Vec<String>,
    #[serde(default, rename = "override")]
    pub overrides: HadolintOverride,
    #[serde(rename = "failure-threshold")]
    pub failure_threshold: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct HadolintOverride {
    #[serde(default)]
    pub error: Vec<String>,
    #[serde(default)]
    pub warning: Vec<String>,
    #[serde(default)]
    pub info: Vec<String>,
    #[serde(default)]
    pub style: Vec<String>,
}

/// Configuration files found for a run.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub caulk: Option<(PathBuf, CaulkToml)>,
    pub hadolint: Option<(PathBuf, HadolintYaml)>,
}

/// Finds and reads configuration. `explicit` (`--config`) wins over discovery; `start` is where
/// the upward search begins.
pub(crate) fn load(explicit: Option<&Path>, start: &Path) -> Result<Loaded> {
    let mut loaded = Loaded::default();
    if let Some(path) = explicit {
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if is_yaml {
            loaded.hadolint = Some((path.to_owned(), read_hadolint(path)?));
        } else {
            loaded.caulk = Some((path.to_owned(), read_caulk(path)?));
        }
        return Ok(loaded);
    }
    let start = if start.is_file() { start.parent().unwrap_or(start) } else { start };
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_owned());
    for dir in start.ancestors() {
        if loaded.caulk.is_none() {
            let p = dir.join(".caulk.toml");
            if p.is_file() {
                loaded.caulk = Some((p.clone(), read_caulk(&p)?));
            }
        }
        if loaded.hadolint.is_none() {
            for name in [".hadolint.yaml", ".hadolint.yml"] {
                let p = dir.join(name);
                if p.is_file() {
                    loaded.hadolint = Some((p.clone(), read_hadolint(&p)?));
                    break;
                }
            }
        }
        if dir.join(".git").exists() {
            break; // the repository root bounds the search
        }
    }
    Ok(loaded)
}

fn read_caulk(path: &Path) -> Result<CaulkToml> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: invalid configuration: {e}", path.display()))
}

fn read_hadolint(path: &Path) -> Result<HadolintYaml> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    if text.trim().is_empty() {
        return Ok(HadolintYaml::default());
    }
    match serde_saphyr::from_str::<HadolintYaml>(&text) {
        Ok(v) => Ok(v),
        Err(e) => bail!("{}: invalid hadolint configuration: {e}", path.display()),
    }
}
