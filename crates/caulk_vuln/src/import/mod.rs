//! Reads advisory feeds into the model before anything touches the store: every document is
//! recognised by its content (OSV, Alpine secdb, Node.js security WG), records with the same id
//! merge, and what cannot be used is counted or reported per file instead of failing the import.

mod inputs;
mod nodejs;
mod osv;
mod secdb;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::model::Advisory;
use crate::store::{ImportReport, Malformed, StoreError};

/// The largest JSON document read; a bigger one is reported as malformed instead of buffered.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// Everything one input gave, ready for the store: advisories merged by id and sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub advisories: Vec<Advisory>,
    /// Counts and problems; `location` is the path as given (the store records its own).
    pub report: ImportReport,
}

/// Reads one input — a `.json` file, a directory of them, a `.zip`, `.tar.gz`/`.tgz` or `.tar` —
/// without writing anything, so a store can replace an earlier import only once all of it parsed.
pub fn read_path(path: &Path) -> Result<Batch, StoreError> {
    let mut collector = Collector::default();
    inputs::read(path, &mut collector)?;
    Ok(collector.finish(path.display().to_string()))
}

/// Accumulates the advisories and counts of one input.
#[derive(Default)]
pub(crate) struct Collector {
    advisories: BTreeMap<String, Advisory>,
    formats: BTreeSet<&'static str>,
    withdrawn: usize,
    skipped: usize,
    malformed: Vec<Malformed>,
}

impl Collector {
    /// Parses one JSON document named `file` (a path, or `archive!member`) and takes its records.
    pub(crate) fn document(&mut self, file: &str, bytes: &[u8]) {
        let value: Value = match serde_json::from_slice(bytes) {
            Ok(value) => value,
            Err(e) => return self.malformed(file, format!("not valid JSON: {e}")),
        };
        if let Err(message) = self.value(file, value) {
            self.malformed(file, message);
        }
    }

    pub(crate) fn malformed(&mut self, file: &str, message: String) {
        self.malformed.push(Malformed { file: file.to_owned(), message });
    }

    /// Recognises the document by its keys and hands it to its format's reader.
    fn value(&mut self, file: &str, value: Value) -> Result<(), String> {
        match value {
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    if !osv::is_record(&item) {
                        self.malformed(
                            file,
                            format!("record {i}: not an OSV record (no `affected`, `modified` or `schema_version`)"),
                        );
                    } else if let Err(message) = self.osv(item) {
                        self.malformed(file, format!("record {i}: {message}"));
                    }
                }
                Ok(())
            }
            Value::Object(ref object) => {
                if osv::is_record(&value) {
                    self.osv(value)
                } else if secdb::is_document(object) {
                    self.formats.insert(secdb::FORMAT);
                    secdb::read(value, self)
                } else if let Some(kind) = nodejs::kind(object) {
                    self.formats.insert(nodejs::FORMAT);
                    nodejs::read(kind, file, value, self)
                } else {
                    Err("not a recognised advisory document (OSV record, Alpine secdb, Node.js security WG)".to_owned())
                }
            }
            _ => Err("not a recognised advisory document: expected a JSON object or array".to_owned()),
        }
    }

    fn osv(&mut self, value: Value) -> Result<(), String> {
        self.formats.insert(osv::FORMAT);
        if let Some(advisory) = osv::read(value, self)? {
            self.push(advisory);
        }
        Ok(())
    }

    /// Adds an advisory, merging it into an earlier record with the same id: affected lists
    /// concatenated, aliases united, everything else kept from the first.
    pub(crate) fn push(&mut self, advisory: Advisory) {
        match self.advisories.get_mut(&advisory.id) {
            Some(first) => {
                first.affected.extend(advisory.affected);
                if !advisory.aliases.is_empty() {
                    first.aliases.extend(advisory.aliases);
                    first.aliases.sort();
                    first.aliases.dedup();
                }
            }
            None => {
                self.advisories.insert(advisory.id.clone(), advisory);
            }
        }
    }

    pub(crate) fn skip(&mut self, n: usize) {
        self.skipped += n;
    }

    pub(crate) fn withdraw(&mut self) {
        self.withdrawn += 1;
    }

    fn finish(self, location: String) -> Batch {
        let advisories: Vec<Advisory> = self.advisories.into_values().collect();
        let mut ecosystems = BTreeMap::new();
        for affected in advisories.iter().flat_map(|a| &a.affected) {
            *ecosystems.entry(affected.ecosystem.clone()).or_insert(0) += 1;
        }
        let report = ImportReport {
            location,
            formats: self.formats.iter().map(|f| (*f).to_owned()).collect(),
            records: advisories.len(),
            withdrawn: self.withdrawn,
            skipped: self.skipped,
            malformed: self.malformed,
            ecosystems,
        };
        Batch { advisories, report }
    }
}

/// Sorts and deduplicates aliases and drops the record's own id from them.
fn tidy_aliases(id: &str, mut aliases: Vec<String>) -> Vec<String> {
    aliases.retain(|a| a != id && !a.trim().is_empty());
    aliases.sort();
    aliases.dedup();
    aliases
}

/// The summary line a report shows: `summary` when given, else the first non-empty line of the
/// longer text, trimmed and cut at about 200 characters.
fn summary_line(summary: Option<&str>, details: Option<&str>) -> Option<String> {
    const MAX_CHARS: usize = 200;
    if let Some(s) = summary.map(str::trim).filter(|s| !s.is_empty()) {
        return Some(s.to_owned());
    }
    let line = details?.lines().map(str::trim).find(|l| !l.is_empty())?;
    match line.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => Some(format!("{}…", line[..cut].trim_end())),
        None => Some(line.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_falls_back_to_first_line_of_details() {
        assert_eq!(summary_line(Some("  Title "), Some("x")).as_deref(), Some("Title"));
        assert_eq!(summary_line(Some(" "), Some("\n\n  First line.  \nSecond")).as_deref(), Some("First line."));
        assert_eq!(summary_line(None, None), None);
        assert_eq!(summary_line(None, Some("\n \n")), None);
        let long = "é".repeat(300);
        let cut = summary_line(None, Some(&long)).unwrap_or_default();
        assert_eq!(cut.chars().count(), 201);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn aliases_are_sorted_unique_and_never_the_id() {
        let got =
            tidy_aliases("X-1", vec!["CVE-2".into(), "X-1".into(), "CVE-1".into(), "CVE-2".into(), String::new()]);
        assert_eq!(got, ["CVE-1", "CVE-2"]);
    }

    #[test]
    fn same_id_merges_affected_and_aliases() {
        let mut c = Collector::default();
        c.document(
            "a.json",
            br#"[{"id":"X-1","aliases":["CVE-1"],"summary":"first","affected":[{"package":{"ecosystem":"npm","name":"a"}}]},
                 {"id":"X-1","aliases":["CVE-2"],"summary":"second","affected":[{"package":{"ecosystem":"npm","name":"b"}}]}]"#,
        );
        let batch = c.finish("a.json".into());
        assert_eq!(batch.report.records, 1);
        let a = &batch.advisories[0];
        assert_eq!(a.summary.as_deref(), Some("first"));
        assert_eq!(a.aliases, ["CVE-1", "CVE-2"]);
        let names: Vec<&str> = a.affected.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(batch.report.ecosystems.get("npm"), Some(&2));
    }

    #[test]
    fn unrecognised_documents_are_malformed() {
        let mut c = Collector::default();
        c.document("x.json", b"{\"prototypejs\": {}}");
        c.document("y.json", b"42");
        c.document("z.json", b"[{\"name\": 1}]");
        c.document("w.json", b"{ broken");
        let batch = c.finish(String::new());
        let files: Vec<&str> = batch.report.malformed.iter().map(|m| m.file.as_str()).collect();
        assert_eq!(files, ["x.json", "y.json", "z.json", "w.json"]);
        assert!(batch.report.malformed[3].message.starts_with("not valid JSON"), "{:?}", batch.report.malformed[3]);
        assert!(batch.report.malformed[2].message.starts_with("record 0:"), "{:?}", batch.report.malformed[2]);
        assert_eq!(batch.report.records, 0);
    }
}
