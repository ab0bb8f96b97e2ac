//! OSV records (osv.dev exports, AlmaLinux, Go, RustSec, PyPA, Ubuntu, Debian) into the model:
//! aliases from `aliases`, `upstream` and the CVEs of `related`, one rating chosen from the
//! several places feeds put severity, and ranges kept in file order.

use serde::Deserialize;
use serde_json::Value;

use super::{Collector, summary_line, tidy_aliases};
use crate::model::{Advisory, Affected, Event, Range, Rating};
use crate::severity;

pub(super) const FORMAT: &str = "OSV";

/// Distros whose advisories are Red Hat errata and so say their impact in the summary
/// (`Important: glibc security update`).
const RED_HAT_FAMILY: [&str; 5] = ["AlmaLinux", "Rocky Linux", "Red Hat", "CentOS", "Oracle Linux"];

/// Whether a JSON value is meant as an OSV record: an object with `affected`, `modified` or
/// `schema_version` (whether it has the `id` it needs is for [`read`] to say).
pub(super) fn is_record(value: &Value) -> bool {
    value.get("affected").is_some() || value.get("modified").is_some() || value.get("schema_version").is_some()
}

#[derive(Deserialize)]
struct Record {
    id: String,
    modified: Option<String>,
    published: Option<String>,
    aliases: Option<Vec<String>>,
    upstream: Option<Vec<String>>,
    related: Option<Vec<String>>,
    summary: Option<String>,
    details: Option<String>,
    severity: Option<Vec<SeverityEntry>>,
    affected: Option<Vec<AffectedEntry>>,
    references: Option<Vec<Reference>>,
    database_specific: Option<Value>,
}

#[derive(Deserialize)]
struct SeverityEntry {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct AffectedEntry {
    package: Option<Package>,
    ranges: Option<Vec<RangeEntry>>,
    versions: Option<Vec<String>>,
    severity: Option<Vec<SeverityEntry>>,
    database_specific: Option<Value>,
}

#[derive(Deserialize)]
struct Package {
    ecosystem: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct RangeEntry {
    #[serde(rename = "type")]
    kind: String,
    repo: Option<String>,
    events: Option<Vec<EventEntry>>,
}

#[derive(Deserialize)]
struct EventEntry {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
    limit: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
}

/// Converts one OSV record; `Ok(None)` for a withdrawn one (counted), `Err` with what is wrong
/// for a record that does not follow the schema.
pub(super) fn read(value: Value, collector: &mut Collector) -> Result<Option<Advisory>, String> {
    if value.get("withdrawn").is_some_and(|w| !w.is_null()) {
        collector.withdraw();
        return Ok(None);
    }
    let record: Record = serde_json::from_value(value).map_err(|e| format!("not an OSV record: {e}"))?;
    if record.id.trim().is_empty() {
        return Err("OSV record with an empty `id`".to_owned());
    }

    let mut affected = Vec::new();
    let mut package_cvss = None;
    for (i, entry) in record.affected.into_iter().flatten().enumerate() {
        if package_cvss.is_none() {
            // RustSec repeats its vector per package in `database_specific.cvss`.
            package_cvss = entry
                .database_specific
                .as_ref()
                .and_then(|d| d.get("cvss"))
                .and_then(Value::as_str)
                .and_then(severity::from_cvss);
        }
        match affected_entry(entry, collector).map_err(|e| format!("affected[{i}]: {e}"))? {
            Some(a) => affected.push(a),
            None => collector.skip(1),
        }
    }

    let severity = record
        .severity
        .as_deref()
        .and_then(rating)
        .or_else(|| database_word(&record.id, record.database_specific.as_ref()))
        .or_else(|| red_hat_summary(record.summary.as_deref(), &affected))
        .or(package_cvss);

    let cves_of_related = record.related.into_iter().flatten().filter(|r| r.starts_with("CVE-"));
    let aliases =
        record.aliases.into_iter().flatten().chain(record.upstream.into_iter().flatten()).chain(cves_of_related);
    let aliases = tidy_aliases(&record.id, aliases.collect());

    let references = record.references.unwrap_or_default();
    let url = references
        .iter()
        .find(|r| r.kind.as_deref() == Some("ADVISORY") && r.url.is_some())
        .or_else(|| references.iter().find(|r| r.url.is_some()))
        .and_then(|r| r.url.clone());

    Ok(Some(Advisory {
        summary: summary_line(record.summary.as_deref(), record.details.as_deref()),
        id: record.id,
        aliases,
        severity,
        published: record.published,
        modified: record.modified,
        url,
        affected,
    }))
}

/// One `affected[]` entry; `None` when it names no package (git-only entries).
fn affected_entry(entry: AffectedEntry, collector: &mut Collector) -> Result<Option<Affected>, String> {
    let Some(Package { ecosystem: Some(ecosystem), name: Some(name) }) = entry.package else {
        return Ok(None);
    };
    if ecosystem.is_empty() || name.is_empty() {
        return Ok(None);
    }
    let name = if ecosystem == "PyPI" { caulk_core::package::normalize_python_name(&name) } else { name };
    let mut ranges = Vec::new();
    for (j, range) in entry.ranges.into_iter().flatten().enumerate() {
        let events = range
            .events
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(k, e)| event(e).ok_or_else(|| format!("ranges[{j}].events[{k}]: expected exactly one of `introduced`, `fixed`, `last_affected`, `limit`")))
            .collect::<Result<Vec<_>, _>>()?;
        ranges.push(match range.kind.as_str() {
            "ECOSYSTEM" => Range::Ecosystem { events },
            "SEMVER" => Range::Semver { events },
            "GIT" => Range::Git { repo: range.repo, events },
            _ => {
                collector.skip(1);
                continue;
            }
        });
    }
    Ok(Some(Affected {
        ecosystem,
        name,
        ranges,
        versions: entry.versions.unwrap_or_default(),
        severity: entry.severity.as_deref().and_then(rating),
    }))
}

fn event(e: EventEntry) -> Option<Event> {
    match (e.introduced, e.fixed, e.last_affected, e.limit) {
        (Some(v), None, None, None) => Some(Event::Introduced(v)),
        (None, Some(v), None, None) => Some(Event::Fixed(v)),
        (None, None, Some(v), None) => Some(Event::LastAffected(v)),
        (None, None, None, Some(v)) => Some(Event::Limit(v)),
        _ => None,
    }
}

/// The rating of an OSV `severity[]` list: a CVSS v3 vector first, then v4, then v2 (the score
/// computed from the vector). Ubuntu's priority word, when given, is the distribution's own
/// judgement of the risk for its packages and wins the severity (as distro-aware scanners do);
/// the CVSS score and vector are kept beside it.
fn rating(entries: &[SeverityEntry]) -> Option<Rating> {
    let cvss = ["CVSS_V3", "CVSS_V4", "CVSS_V2"]
        .into_iter()
        .find_map(|kind| entries.iter().filter(|e| e.kind == kind).find_map(|e| severity::from_cvss(&e.score)));
    let distro = entries.iter().filter(|e| e.kind == "Ubuntu").find_map(|e| severity::from_word(&e.score, "Ubuntu"));
    match (distro, cvss) {
        (Some(mut word), Some(cvss)) => {
            word.score = cvss.score;
            word.vector = cvss.vector;
            Some(word)
        }
        (word, cvss) => word.or(cvss),
    }
}

/// GHSA's `database_specific.severity` (LOW, MODERATE, HIGH, CRITICAL), named after the
/// database the id comes from.
fn database_word(id: &str, database_specific: Option<&Value>) -> Option<Rating> {
    let word = database_specific?.get("severity")?.as_str()?;
    let origin = if id.starts_with("GHSA-") { "GHSA" } else { id.split('-').next().unwrap_or(id) };
    severity::from_word(word, origin)
}

/// An AlmaLinux/Rocky/Red Hat erratum's impact from its summary (`Moderate: …`), rated on the
/// distro's own scale.
fn red_hat_summary(summary: Option<&str>, affected: &[Affected]) -> Option<Rating> {
    let (word, _) = summary?.split_once(':')?;
    if !["low", "moderate", "important", "critical"].contains(&word.trim().to_ascii_lowercase().as_str()) {
        return None;
    }
    let distro = affected
        .iter()
        .map(|a| a.ecosystem.split(':').next().unwrap_or_default())
        .find(|d| RED_HAT_FAMILY.contains(d))?;
    severity::from_word(word, distro)
}

#[cfg(test)]
mod tests {
    use caulk_core::Severity;

    use super::*;

    fn one(json: &str) -> (Option<Advisory>, usize, usize) {
        let mut c = Collector::default();
        let value: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        let got = read(value, &mut c).unwrap_or_else(|e| panic!("{e}"));
        (got, c.skipped, c.withdrawn)
    }

    #[test]
    fn alma_summary_word_and_related_cves() {
        let (a, _, _) = one(r#"{"id":"ALSA-2023:5453","summary":"Important: glibc security update",
            "related":["CVE-2023-4911","CVE-2023-4527","RHSA-2023:5453"],"modified":"2023-10-06T10:29:58Z",
            "affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"glibc"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.34-60.el9_2.7"}]}]}],
            "references":[{"url":"https://access.redhat.com/errata/RHSA-2023:5453","type":"REPORT"},
                          {"url":"https://errata.almalinux.org/9/ALSA-2023-5453.html","type":"ADVISORY"}]}"#);
        let a = a.unwrap_or_else(|| panic!("not withdrawn"));
        assert_eq!(a.aliases, ["CVE-2023-4527", "CVE-2023-4911"]);
        let r = a.severity.unwrap_or_else(|| panic!("rated"));
        assert_eq!((r.severity, r.origin.as_str()), (Severity::High, "AlmaLinux"));
        assert_eq!(a.url.as_deref(), Some("https://errata.almalinux.org/9/ALSA-2023-5453.html"));
        assert_eq!(
            a.affected[0].ranges,
            [Range::Ecosystem { events: vec![Event::Introduced("0".into()), Event::Fixed("2.34-60.el9_2.7".into())] }]
        );
    }

    #[test]
    fn cvss_v3_beats_v4_and_v2_and_ubuntu_priority_sets_the_severity() {
        let (a, _, _) = one(r#"{"id":"X","modified":"x","severity":[
              {"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:N/A:N"},
              {"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
              {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]}"#);
        let r = a.and_then(|a| a.severity).unwrap_or_else(|| panic!("rated"));
        assert_eq!((r.origin.as_str(), r.score, r.severity), ("CVSS_V3", Some(7.5), Severity::High));
        let (a, _, _) = one(r#"{"id":"X","modified":"x","severity":[{"type":"Ubuntu","score":"negligible"},
              {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]}"#);
        let r = a.and_then(|a| a.severity).unwrap_or_else(|| panic!("rated"));
        assert_eq!((r.origin.as_str(), r.score, r.severity), ("Ubuntu", Some(7.5), Severity::Info));
        assert!(r.vector.as_deref().is_some_and(|v| v.starts_with("CVSS:3.1/")));
        let (a, _, _) = one(r#"{"id":"X","modified":"x","severity":[{"type":"Ubuntu","score":"negligible"}]}"#);
        let r = a.and_then(|a| a.severity).unwrap_or_else(|| panic!("rated"));
        assert_eq!((r.origin.as_str(), r.severity), ("Ubuntu", Severity::Info));
    }

    #[test]
    fn ghsa_word_and_package_level_rating() {
        let (a, _, _) = one(r#"{"id":"GHSA-aaaa-bbbb-cccc","modified":"x","database_specific":{"severity":"MODERATE"},
            "affected":[{"package":{"ecosystem":"npm","name":"x"},"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}]}"#);
        let a = a.unwrap_or_else(|| panic!("not withdrawn"));
        let r = a.severity.unwrap_or_else(|| panic!("rated"));
        assert_eq!((r.origin.as_str(), r.severity), ("GHSA", Severity::Medium));
        assert_eq!(a.affected[0].severity.as_ref().map(|r| r.severity), Some(Severity::Critical));
    }

    #[test]
    fn unknown_ranges_and_packageless_entries_are_skipped() {
        let (a, skipped, _) = one(r#"{"id":"PYSEC-1","modified":"x","affected":[
              {"ranges":[{"type":"GIT","repo":"https://x","events":[{"introduced":"0"}]}]},
              {"package":{"ecosystem":"PyPI","name":"Jw.Util_x"},"ranges":[
                 {"type":"WEIRD","events":[]},
                 {"type":"GIT","repo":"https://x","events":[{"introduced":"0"},{"fixed":"abc"}]},
                 {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"last_affected":"1.0"},{"limit":"*"}]}],
               "versions":["0.9"]}]}"#);
        let a = a.unwrap_or_else(|| panic!("not withdrawn"));
        assert_eq!(skipped, 2);
        assert_eq!(a.affected.len(), 1);
        assert_eq!(a.affected[0].name, "jw-util-x");
        assert_eq!(a.affected[0].versions, ["0.9"]);
        assert!(
            matches!(&a.affected[0].ranges[0], Range::Git { repo: Some(r), events } if r == "https://x" && events.len() == 2)
        );
        assert!(
            matches!(&a.affected[0].ranges[1], Range::Ecosystem { events } if events[1] == Event::LastAffected("1.0".into()))
        );
    }

    #[test]
    fn withdrawn_and_broken_records() {
        let (a, _, withdrawn) = one(r#"{"id":"GO-1","modified":"x","withdrawn":"2024-01-01T00:00:00Z"}"#);
        assert!(a.is_none());
        assert_eq!(withdrawn, 1);
        let mut c = Collector::default();
        for bad in [
            r#"{"id":5,"affected":[]}"#,
            r#"{"id":"X","affected":{"package":1}}"#,
            r#"{"modified":"2024-01-01T00:00:00Z","affected":[]}"#,
            r#"{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}"#,
        ] {
            let value: Value = serde_json::from_str(bad).unwrap_or_else(|e| panic!("{e}"));
            assert!(read(value, &mut c).is_err(), "{bad}");
        }
    }
}
