//! The `.caulkignore` file: vulnerabilities a team has decided to accept, each with a reason and
//! optionally an expiry date and a package, so that accepted risks stay visible and come back
//! when their time is up.
//!
//! ```text
//! # comment lines and blank lines are ignored
//! CVE-2023-4911  until=2027-01-31  # the image never runs setuid binaries
//! GHSA-xxxx-yyyy-zzzz  # reason text after '#'
//! PYSEC-2021-19 pkg=flask until=2026-12-31 # only for this package
//! ```

use caulk_core::VulnFinding;
use caulk_core::package::normalize_python_name;

/// One accepted vulnerability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreEntry {
    /// Any id of the finding: its id, an alias or an advisory id (compared case-insensitively).
    pub id: String,
    /// The last day the entry applies (`YYYY-MM-DD`); it expires at the end of that day.
    pub until: Option<String>,
    /// Restricts the entry to the package of this name (installed or advisory name).
    pub pkg: Option<String>,
    /// Why the risk is accepted; `None` when the line gives none (reported as a problem).
    pub reason: Option<String>,
    /// 1-based line in the file.
    pub line: usize,
}

impl IgnoreEntry {
    /// Whether the entry is past its `until` day on `today` (`YYYY-MM-DD`).
    pub fn expired(&self, today: &str) -> bool {
        self.until.as_deref().is_some_and(|until| today > until)
    }

    /// Whether the entry names `finding`, ignoring its expiry.
    pub fn matches(&self, finding: &VulnFinding) -> bool {
        let id_matches = std::iter::once(&finding.id)
            .chain(&finding.aliases)
            .chain(&finding.advisories)
            .any(|id| id.eq_ignore_ascii_case(&self.id));
        id_matches && self.pkg.as_deref().is_none_or(|pkg| names_package(pkg, finding))
    }
}

/// Whether `pkg` is the finding's package name or advisory name (case-insensitively; PyPI
/// names also after PEP 503 normalisation).
fn names_package(pkg: &str, finding: &VulnFinding) -> bool {
    let p = &finding.package;
    if pkg.eq_ignore_ascii_case(&p.name) || pkg.eq_ignore_ascii_case(&p.advisory_name) {
        return true;
    }
    p.kind == caulk_core::PackageType::Python && normalize_python_name(pkg) == normalize_python_name(&p.name)
}

/// A line that is not a valid entry, or an entry without a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreProblem {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// The parsed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreFile {
    entries: Vec<IgnoreEntry>,
}

/// The findings after applying the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    pub kept: Vec<VulnFinding>,
    /// Each ignored finding with the index of the entry that ignored it (the first active one
    /// that matches).
    pub ignored: Vec<(VulnFinding, usize)>,
    /// Entries past their `until` date that named a finding; the finding is kept unless another
    /// entry ignores it. Sorted.
    pub expired_hits: Vec<usize>,
    /// Entries that ignored at least one finding. Sorted.
    pub used: Vec<usize>,
}

impl IgnoreFile {
    /// Parses the file. Lines with a bad date, an unknown key or no id give no entry (applying
    /// them would ignore more than was meant); an entry without a reason applies but is
    /// reported.
    pub fn parse(text: &str) -> (Self, Vec<IgnoreProblem>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let (body, reason) = match raw.split_once('#') {
                Some((body, reason)) => (body, Some(reason.trim()).filter(|r| !r.is_empty())),
                None => (raw, None),
            };
            let mut words = body.split_whitespace();
            let Some(first) = words.next() else { continue };
            let mut problem = |message: String| problems.push(IgnoreProblem { line, message });
            let id = if first.contains('=') {
                problem(format!("`{first}` comes where the vulnerability id should be; the line is not used"));
                continue;
            } else {
                first
            };
            let mut entry = IgnoreEntry { id: id.to_owned(), until: None, pkg: None, reason: None, line };
            let mut valid = true;
            for word in words {
                let Some((key, value)) = word.split_once('=') else {
                    problem(format!(
                        "`{word}` after `{id}` is not `until=YYYY-MM-DD` or `pkg=NAME`; the line is not used"
                    ));
                    valid = false;
                    continue;
                };
                let slot = match key {
                    "until" => {
                        if !is_date(value) {
                            problem(format!(
                                "`until={value}` for `{id}` is not a date (YYYY-MM-DD); the line is not used"
                            ));
                            valid = false;
                            continue;
                        }
                        &mut entry.until
                    }
                    "pkg" => &mut entry.pkg,
                    _ => {
                        problem(format!(
                            "unknown key `{key}` for `{id}` (expected `until` or `pkg`); the line is not used"
                        ));
                        valid = false;
                        continue;
                    }
                };
                if value.is_empty() || slot.is_some() {
                    let why = if value.is_empty() { "has no value" } else { "is given twice" };
                    problem(format!("`{key}` for `{id}` {why}; the line is not used"));
                    valid = false;
                    continue;
                }
                *slot = Some(value.to_owned());
            }
            if !valid {
                continue;
            }
            entry.reason = reason.map(str::to_owned);
            if entry.reason.is_none() {
                problem(format!("`{id}` is ignored without a reason: say why after `#`"));
            }
            entries.push(entry);
        }
        (Self { entries }, problems)
    }

    /// Every entry, in file order; indices are those of [`Applied`].
    pub fn entries(&self) -> &[IgnoreEntry] {
        &self.entries
    }

    /// Splits `findings` into kept and ignored as of `today` (`YYYY-MM-DD`), noting which entries
    /// were used and which had expired but still named a finding.
    pub fn apply(&self, findings: Vec<VulnFinding>, today: &str) -> Applied {
        let mut applied = Applied::default();
        let mut used = vec![false; self.entries.len()];
        let mut expired = vec![false; self.entries.len()];
        for finding in findings {
            let mut by = None;
            for (index, entry) in self.entries.iter().enumerate() {
                if !entry.matches(&finding) {
                    continue;
                }
                if entry.expired(today) {
                    if let Some(flag) = expired.get_mut(index) {
                        *flag = true;
                    }
                } else if by.is_none() {
                    by = Some(index);
                }
            }
            match by {
                Some(index) => {
                    if let Some(flag) = used.get_mut(index) {
                        *flag = true;
                    }
                    applied.ignored.push((finding, index));
                }
                None => applied.kept.push(finding),
            }
        }
        applied.used = (0..used.len()).filter(|i| used.get(*i) == Some(&true)).collect();
        applied.expired_hits = (0..expired.len()).filter(|i| expired.get(*i) == Some(&true)).collect();
        applied
    }
}

/// `YYYY-MM-DD` naming a real day.
fn is_date(text: &str) -> bool {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    shape && text.parse::<jiff::civil::Date>().is_ok()
}
