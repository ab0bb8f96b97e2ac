//! Vulnerability matching for `scan` and `sbom`: opens the advisory store once, matches each
//! image's packages, applies `--severity`, `--ignore-unfixed` and `.caulkignore`, and hands the
//! report its findings plus the facts the `VU` policy rules turn into findings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use caulk_core::{Diagnostic, Severity, VulnFinding};
use caulk_image::Image;
use caulk_lint::LintSettings;
use caulk_lint::vuln::{IgnoreEntryRef, IgnoreProblemRef, NotComparable, VulnFacts, check_vulns};
use caulk_report::{AdvisoryData, VulnScan};
use caulk_vuln::ignore::IgnoreFile;
use caulk_vuln::{AdvisorySource, Store};

use crate::cli::VulnOpts;

/// The store location: `--db`, else the default cache path.
pub(crate) fn store_path(flag: Option<&Path>) -> Result<PathBuf> {
    match flag {
        Some(p) => Ok(p.to_owned()),
        None => Store::default_path()
            .context("no cache directory: set CAULK_CACHE_DIR or pass --db FILE to say where the advisory store is"),
    }
}

/// Which severities `--severity` keeps; `None` inside the set stands for unrated.
#[derive(Debug)]
struct SeverityFilter(Option<BTreeSet<Option<Severity>>>);

impl SeverityFilter {
    fn parse(values: &[String]) -> Result<Self> {
        if values.is_empty() {
            return Ok(Self(None));
        }
        let mut set = BTreeSet::new();
        for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            if v.eq_ignore_ascii_case("unknown") {
                set.insert(None);
                continue;
            }
            match Severity::parse(v) {
                Some(s) => set.insert(Some(s)),
                None => bail!("--severity: `{v}` is not a severity (critical, high, medium, low, info or unknown)"),
            };
        }
        Ok(Self(Some(set)))
    }

    fn keeps(&self, s: Option<Severity>) -> bool {
        self.0.as_ref().is_none_or(|set| set.contains(&s))
    }
}

/// The ignore file and what it said about itself.
#[derive(Debug)]
struct Ignores {
    /// As shown in messages (the path as given).
    file: String,
    entries: IgnoreFile,
    problems: Vec<IgnoreProblemRef>,
}

/// What matching produced for one image.
#[derive(Debug, Default)]
pub(crate) struct ImageVulns {
    pub findings: Vec<VulnFinding>,
    pub scan: VulnScan,
    pub diagnostics: Vec<Diagnostic>,
    /// Ignore entries that matched a finding of this image.
    pub used_ignores: BTreeSet<usize>,
}

/// Matches images against the advisory store; shared by the scan's worker threads.
#[derive(Debug)]
pub(crate) struct Matcher {
    /// `rusqlite` connections are not `Sync`; a lookup is microseconds, so one lock is enough.
    store: Option<Mutex<Store>>,
    skipped: Option<String>,
    data: Vec<AdvisoryData>,
    age_days: Option<u64>,
    severity: SeverityFilter,
    ignore_unfixed: bool,
    ignores: Option<Ignores>,
    today: String,
}

impl Matcher {
    /// Opens the store (read-only) and the ignore file. A missing or unreadable store is not an
    /// error: matching is skipped and every image says so (VU001). A bad `--severity` or a named
    /// ignore file that cannot be read is.
    pub(crate) fn open(opts: &VulnOpts, today: &str) -> Result<Self> {
        let severity = SeverityFilter::parse(&opts.severity)?;
        let ignores = load_ignores(opts.ignorefile.as_deref())?;
        let mut matcher = Self {
            store: None,
            skipped: None,
            data: Vec::new(),
            age_days: None,
            severity,
            ignore_unfixed: opts.ignore_unfixed,
            ignores,
            today: today.to_owned(),
        };
        let path = match store_path(opts.db.as_deref()) {
            Ok(p) => p,
            Err(e) => {
                matcher.skipped = Some(format!("{e:#}"));
                return Ok(matcher);
            }
        };
        match Store::open(&path) {
            Ok(Some(store)) => match store.sources() {
                Ok(sources) => {
                    matcher.data = sources
                        .iter()
                        .map(|s| AdvisoryData {
                            location: s.location.clone(),
                            imported_at: s.imported_at.clone(),
                            records: s.records,
                        })
                        .collect();
                    matcher.age_days = newest_age_days(sources.iter().map(|s| s.imported_at.as_str()));
                    if sources.iter().all(|s| s.records == 0) {
                        matcher.skipped = Some(format!("the advisory store {} is empty", path.display()));
                    } else {
                        matcher.store = Some(Mutex::new(store));
                    }
                }
                Err(e) => matcher.skipped = Some(format!("{e}")),
            },
            Ok(None) => {
                matcher.skipped = Some(format!("no advisory store at {}", path.display()));
            }
            Err(e) => matcher.skipped = Some(format!("{e}")),
        }
        Ok(matcher)
    }

    /// Where the advisories came from, for the report.
    pub(crate) fn advisory_data(&self) -> &[AdvisoryData] {
        if self.store.is_some() { &self.data } else { &[] }
    }

    /// Matches one image. Store errors become a skipped scan for that image, never an abort.
    pub(crate) fn match_image(&self, img: &Image, lint: &LintSettings) -> ImageVulns {
        let mut facts =
            VulnFacts { skipped: self.skipped.clone(), data_age_days: self.age_days, ..VulnFacts::default() };
        let mut out = ImageVulns::default();
        if let Some(store) = &self.store {
            let base: Vec<bool> = img.layers.iter().map(|l| l.base).collect();
            let distro = img.distro();
            let result = {
                let guard = store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                guard.lookup().and_then(|lookup| {
                    caulk_vuln::match_packages(&img.packages, distro.as_ref(), &base, &lookup as &dyn AdvisorySource)
                })
            };
            match result {
                Ok(outcome) => {
                    facts.not_comparable = outcome
                        .unparsable
                        .iter()
                        .map(|u| NotComparable {
                            package: u.package.clone(),
                            version: u.version.clone(),
                            ecosystem: u.ecosystem.clone(),
                            message: u.message.clone(),
                        })
                        .collect();
                    facts.ecosystems_without_data.clone_from(&outcome.ecosystems_without_data);
                    let (findings, ignored, filtered) =
                        self.filter(outcome.findings, &mut facts, &mut out.used_ignores);
                    out.findings = findings;
                    out.scan = VulnScan::Done {
                        packages_checked: outcome.packages_checked,
                        packages_unsupported: outcome.packages_unsupported,
                        ignored,
                        filtered,
                    };
                }
                Err(e) => {
                    facts.skipped = Some(e.to_string());
                    out.scan = VulnScan::Skipped { reason: e.to_string() };
                }
            }
        } else {
            out.scan = VulnScan::Skipped { reason: self.skipped.clone().unwrap_or_default() };
        }
        out.diagnostics = check_vulns(&facts, lint);
        out
    }

    /// Applies `.caulkignore`, then `--ignore-unfixed` and `--severity`; returns the kept
    /// findings and how many were ignored and filtered.
    fn filter(
        &self,
        findings: Vec<VulnFinding>,
        facts: &mut VulnFacts,
        used: &mut BTreeSet<usize>,
    ) -> (Vec<VulnFinding>, usize, usize) {
        let (kept, ignored) = match &self.ignores {
            Some(ig) => {
                let applied = ig.entries.apply(findings, &self.today);
                used.extend(applied.used.iter().copied());
                facts.expired_ignores = applied.expired_hits.iter().filter_map(|i| entry_ref(ig, *i)).collect();
                (applied.kept, applied.ignored.len())
            }
            None => (findings, 0),
        };
        let before = kept.len();
        let kept: Vec<VulnFinding> = kept
            .into_iter()
            .filter(|f| !(self.ignore_unfixed && f.fixed.is_none()))
            .filter(|f| self.severity.keeps(f.severity))
            .collect();
        let filtered = before - kept.len();
        (kept, ignored, filtered)
    }

    /// Run-wide ignore-file findings (invalid lines, entries no image used), for the first image.
    pub(crate) fn run_diagnostics(&self, used: &BTreeSet<usize>, lint: &LintSettings) -> Vec<Diagnostic> {
        let Some(ig) = &self.ignores else { return Vec::new() };
        let mut facts = VulnFacts { ignore_problems: ig.problems.clone(), ..VulnFacts::default() };
        if self.store.is_some() {
            facts.unused_ignores = (0..ig.entries.entries().len())
                .filter(|i| !used.contains(i))
                .filter_map(|i| entry_ref(ig, i))
                .collect();
        }
        check_vulns(&facts, lint)
    }
}

fn entry_ref(ig: &Ignores, index: usize) -> Option<IgnoreEntryRef> {
    let e = ig.entries.entries().get(index)?;
    Some(IgnoreEntryRef { file: ig.file.clone(), line: e.line, id: e.id.clone(), until: e.until.clone() })
}

/// Reads `--ignorefile` (which must exist) or `./.caulkignore` (if present).
fn load_ignores(explicit: Option<&Path>) -> Result<Option<Ignores>> {
    let path = match explicit {
        Some(p) => p.to_owned(),
        None => {
            let p = PathBuf::from(".caulkignore");
            if !p.is_file() {
                return Ok(None);
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading ignore file {}", path.display()))?;
    let file = path.display().to_string();
    let (entries, problems) = IgnoreFile::parse(&text);
    let problems = problems
        .into_iter()
        .map(|p| IgnoreProblemRef { file: file.clone(), line: p.line, message: p.message })
        .collect();
    Ok(Some(Ignores { file, entries, problems }))
}

/// Whole days since an RFC 3339 timestamp (`None` when it does not parse; 0 for the future).
pub(crate) fn age_days(stamp: &str) -> Option<u64> {
    let t = stamp.parse::<jiff::Timestamp>().ok()?;
    let secs = jiff::Timestamp::now().as_second() - t.as_second();
    Some(u64::try_from(secs.max(0)).unwrap_or(0) / 86_400)
}

/// Whole days since the newest of several RFC 3339 timestamps; `None` when none parses.
fn newest_age_days<'a>(stamps: impl Iterator<Item = &'a str>) -> Option<u64> {
    stamps.filter_map(age_days).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_filter_parses_names_and_unknown() {
        let f = SeverityFilter::parse(&["critical".into(), "HIGH".into(), "unknown".into()]).unwrap();
        assert!(f.keeps(Some(Severity::Critical)) && f.keeps(Some(Severity::High)) && f.keeps(None));
        assert!(!f.keeps(Some(Severity::Medium)));
        assert!(SeverityFilter::parse(&[]).unwrap().keeps(Some(Severity::Low)));
        assert!(SeverityFilter::parse(&["severe".into()]).is_err());
    }

    #[test]
    fn age_is_counted_from_the_newest_import() {
        let now = jiff::Timestamp::now();
        let ten_days = now.checked_sub(jiff::SignedDuration::from_hours(240)).unwrap().to_string();
        let two_days = now.checked_sub(jiff::SignedDuration::from_hours(49)).unwrap().to_string();
        assert_eq!(newest_age_days([ten_days.as_str(), two_days.as_str()].into_iter()), Some(2));
        assert_eq!(newest_age_days(std::iter::empty()), None);
    }
}
