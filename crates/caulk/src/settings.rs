//! Resolves flags and configuration files into one `Settings` value, once, before any work.

use std::path::Path;

use anyhow::{Result, bail};
use caulk_core::Severity;
use caulk_lint::{LintSettings, RuleSelector, find_rule};

use crate::cli::{FailOn, RuleOpts};
use crate::config;

/// Everything a run needs, resolved.
#[derive(Debug)]
pub(crate) struct Settings {
    pub lint: LintSettings,
    /// `None` means never fail on findings.
    pub fail_on: Option<Severity>,
    pub exclude: Vec<String>,
}

fn selectors(values: &[String], origin: &str) -> Result<Vec<RuleSelector>> {
    values
        .iter()
        .filter(|v| !v.trim().is_empty())
        .map(|v| match RuleSelector::parse(v) {
            Some(s) => Ok(s),
            None => bail!("{origin}: `{v}` is not a rule code, prefix, name or alias (see `caulk rules`)"),
        })
        .collect()
}

/// hadolint codes caulk does not implement are accepted in hadolint's own config and ignored.
fn hadolint_selectors(values: &[String]) -> Vec<RuleSelector> {
    values.iter().filter_map(|v| RuleSelector::parse(v)).collect()
}

fn fail_on_from(s: &str, origin: &str) -> Result<Option<Severity>> {
    match s.trim().to_ascii_lowercase().as_str() {
        "never" | "none" | "ignore" => Ok(None),
        other => match Severity::parse(other) {
            Some(sev) => Ok(Some(sev)),
            None => bail!("{origin}: invalid severity `{s}` (critical, high, medium, low, info or never)"),
        },
    }
}

/// Today's date as `YYYY-MM-DD` (UTC), for end-of-life checks. `CAULK_TODAY` overrides it.
pub(crate) fn today() -> String {
    if let Ok(t) = std::env::var("CAULK_TODAY")
        && t.len() == 10
    {
        return t;
    }
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Resolves settings: hadolint config, then `.caulk.toml`, then flags (later wins). `target` and
/// `exclude` are the Dockerfile-only flags (`--target`, `--exclude`).
pub(crate) fn resolve(
    opts: &RuleOpts,
    target: Option<String>,
    exclude: &[String],
    fail_on: Option<FailOn>,
    first_path: &Path,
) -> Result<Settings> {
    let loaded =
        if opts.isolated { config::Loaded::default() } else { config::load(opts.config.as_deref(), first_path)? };
    let mut lint = LintSettings { today: today(), target, ..LintSettings::default() };
    let mut fail = Some(Severity::High);
    let mut exclude = exclude.to_vec();

    if let Some((path, h)) = &loaded.hadolint {
        lint.ignore.extend(hadolint_selectors(&h.ignored));
        lint.trusted_registries.extend(h.trusted_registries.iter().cloned());
        for (codes, sev) in [
            (&h.overrides.error, Severity::High),
            (&h.overrides.warning, Severity::Medium),
            (&h.overrides.info, Severity::Info),
            (&h.overrides.style, Severity::Info),
        ] {
            for code in codes {
                for rule in caulk_lint::registry::rules_known_as(code) {
                    lint.severity.insert(rule.code, sev);
                }
            }
        }
        if let Some(t) = &h.failure_threshold {
            fail = fail_on_from(t, &path.display().to_string())?;
        }
    }
    if let Some((path, c)) = &loaded.caulk {
        let origin = path.display().to_string();
        lint.select.extend(selectors(&c.select, &origin)?);
        lint.ignore.extend(selectors(&c.ignore, &origin)?);
        lint.trusted_registries.extend(c.trusted_registries.iter().cloned());
        for (rule, sev) in &c.severity {
            let Some(meta) = find_rule(rule) else { bail!("{origin}: [severity] names unknown rule `{rule}`") };
            let Some(sev) = Severity::parse(sev) else { bail!("{origin}: invalid severity `{sev}` for `{rule}`") };
            lint.severity.insert(meta.code, sev);
        }
        if let Some(f) = &c.fail_on {
            fail = fail_on_from(f, &origin)?;
        }
        exclude.extend(c.exclude.iter().cloned());
    }
    if !opts.select.is_empty() {
        // flags replace the configured selection
        lint.select = selectors(&opts.select, "--select")?;
    }
    lint.ignore.extend(selectors(&opts.ignore, "--ignore")?);
    if let Some(f) = fail_on {
        fail = match f {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        };
    }
    lint.trusted_registries.sort();
    lint.trusted_registries.dedup();
    Ok(Settings { lint, fail_on: fail, exclude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date() {
        let t = today();
        assert_eq!(t.len(), 10);
        assert_eq!(t.as_bytes()[4], b'-');
        assert!(t.as_str() >= "2024-01-01");
    }
}
