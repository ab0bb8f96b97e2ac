//! The Node.js security WG's own JSON (nodejs/security-wg `vuln/`): npm module records become
//! `NSWG-ECO-<id>` advisories for `npm`, Node.js core records `NSWG-CORE-<n>` for `node` itself,
//! both as node-semver expressions.
//!
//! `vuln/deps/*.json` records are the WG's assessments that a CVE in a bundled dependency (V8,
//! OpenSSL, zlib) does *not* affect Node.js (`reason: vulnerable_code_not_present`); they name no
//! package or version to match, so they are counted as skipped. The `index.json` beside each
//! directory repeats the per-file records and is skipped too.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Collector, summary_line, tidy_aliases};
use crate::model::{Advisory, Affected, Range, Rating};
use crate::severity;

pub(super) const FORMAT: &str = "Node.js security WG";

const REPOSITORY: &str = "https://github.com/nodejs/security-wg/blob/main/vuln";

/// Which WG document a JSON object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `vuln/npm/<id>.json`
    Npm,
    /// `vuln/core/<n>.json`
    Core,
    /// `vuln/deps/<n>.json`: a not-affected assessment.
    Deps,
    /// `vuln/*/index.json`: every record of the directory again, keyed by number.
    Index,
}

pub(super) fn kind(object: &Map<String, Value>) -> Option<Kind> {
    if object.contains_key("module_name") && object.contains_key("vulnerable_versions") {
        Some(Kind::Npm)
    } else if object.contains_key("cve") && object.contains_key("vulnerable") {
        Some(Kind::Core)
    } else if object.contains_key("cve") && object.contains_key("reason") {
        Some(Kind::Deps)
    } else if !object.is_empty() && object.iter().all(|(k, v)| k.bytes().all(|b| b.is_ascii_digit()) && v.is_object()) {
        Some(Kind::Index)
    } else {
        None
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Number(u64),
    Text(String),
}

#[derive(Deserialize)]
struct NpmRecord {
    id: Id,
    module_name: String,
    vulnerable_versions: String,
    patched_versions: Option<String>,
    cves: Option<Vec<String>>,
    title: Option<String>,
    overview: Option<String>,
    cvss_vector: Option<String>,
    cvss_score: Option<f64>,
    publish_date: Option<String>,
    updated_at: Option<String>,
}

#[derive(Deserialize)]
struct CoreRecord {
    cve: Option<Vec<String>>,
    vulnerable: String,
    patched: Option<String>,
    severity: Option<String>,
    description: Option<String>,
    overview: Option<String>,
    cvss: Option<String>,
    cvss_score: Option<f64>,
    publish_date: Option<String>,
}

pub(super) fn read(kind: Kind, file: &str, value: Value, collector: &mut Collector) -> Result<(), String> {
    match kind {
        Kind::Npm => {
            let r: NpmRecord =
                serde_json::from_value(value).map_err(|e| format!("not a Node.js security WG npm record: {e}"))?;
            let number = match r.id {
                Id::Number(n) => n.to_string(),
                Id::Text(s) if !s.trim().is_empty() => s.trim().to_owned(),
                Id::Text(_) => return Err("Node.js security WG npm record with an empty `id`".to_owned()),
            };
            let id = format!("NSWG-ECO-{number}");
            let severity = r
                .cvss_vector
                .as_deref()
                .and_then(severity::from_cvss)
                .or_else(|| r.cvss_score.and_then(|s| severity::from_score(s, "Node.js")));
            collector.push(Advisory {
                aliases: tidy_aliases(&id, r.cves.unwrap_or_default()),
                summary: summary_line(r.title.as_deref(), r.overview.as_deref()),
                severity,
                published: r.publish_date,
                modified: r.updated_at,
                url: Some(format!("{REPOSITORY}/npm/{number}.json")),
                affected: vec![affected("npm", &r.module_name, r.vulnerable_versions, r.patched_versions.as_deref())?],
                id,
            });
        }
        Kind::Core => {
            let r: CoreRecord =
                serde_json::from_value(value).map_err(|e| format!("not a Node.js security WG core record: {e}"))?;
            let number = file_stem(file).ok_or("Node.js security WG core record without a file name for its id")?;
            let id = format!("NSWG-CORE-{number}");
            let severity = r
                .severity
                .as_deref()
                .and_then(|w| severity::from_word(w, "Node.js"))
                .or_else(|| core_cvss(r.cvss.as_deref()))
                .or_else(|| r.cvss_score.and_then(|s| severity::from_score(s, "Node.js")));
            collector.push(Advisory {
                aliases: tidy_aliases(&id, r.cve.unwrap_or_default()),
                summary: summary_line(r.description.as_deref(), r.overview.as_deref()),
                severity,
                published: r.publish_date,
                modified: None,
                url: Some(format!("{REPOSITORY}/core/{number}.json")),
                affected: vec![affected("Node.js", "node", r.vulnerable, r.patched.as_deref())?],
                id,
            });
        }
        Kind::Deps | Kind::Index => collector.skip(1),
    }
    Ok(())
}

fn affected(ecosystem: &str, name: &str, vulnerable: String, patched: Option<&str>) -> Result<Affected, String> {
    if vulnerable.trim().is_empty() {
        return Err(format!("`{name}`: empty vulnerable version range"));
    }
    Ok(Affected {
        ecosystem: ecosystem.to_owned(),
        name: name.to_owned(),
        ranges: vec![Range::NpmExpr { vulnerable, patched: patched.and_then(patched_range) }],
        versions: Vec::new(),
        severity: None,
    })
}

/// The patched expression, or `None` when there is no fix: empty, or a range nothing satisfies
/// (the WG writes `<0.0.0` for "no patched version").
fn patched_range(patched: &str) -> Option<String> {
    let patched = patched.trim();
    if patched.is_empty() {
        return None;
    }
    if nodejs_semver::Range::parse(patched).is_ok_and(|range| range.min_version().is_none()) {
        return None;
    }
    Some(patched.to_owned())
}

/// Two core records write the vector without its `CVSS:` prefix (`3.0/AV:N/…`).
fn core_cvss(vector: Option<&str>) -> Option<Rating> {
    let vector = vector?.trim();
    severity::from_cvss(vector).or_else(|| severity::from_cvss(&format!("CVSS:{vector}")))
}

/// `12` for `…/vuln/core/12.json` or `archive.tar.gz!vuln/core/12.json`.
fn file_stem(file: &str) -> Option<&str> {
    let name = file.rsplit(['/', '\\', '!']).next()?;
    let split = name.len().checked_sub(".json".len())?;
    let (stem, extension) = (name.get(..split)?, name.get(split..)?);
    (extension.eq_ignore_ascii_case(".json") && !stem.is_empty()).then_some(stem)
}

#[cfg(test)]
mod tests {
    use caulk_core::Severity;

    use super::*;

    fn collect(file: &str, json: &str) -> Collector {
        let mut c = Collector::default();
        c.document(file, json.as_bytes());
        assert!(c.malformed.is_empty(), "{:?}", c.malformed);
        c
    }

    #[test]
    fn npm_record() {
        let c = collect(
            "vuln/npm/1.json",
            r#"{"id":1,"updated_at":"2016-04-28","title":"Arbitrary JavaScript Execution","module_name":"bassmaster",
            "publish_date":"2014-09-27","cves":["CVE-2014-7205"],"vulnerable_versions":"<=1.5.1","patched_versions":">=1.5.2",
            "cvss_vector":"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N","cvss_score":6.5}"#,
        );
        let a = &c.advisories["NSWG-ECO-1"];
        assert_eq!(a.aliases, ["CVE-2014-7205"]);
        assert_eq!(a.url.as_deref(), Some("https://github.com/nodejs/security-wg/blob/main/vuln/npm/1.json"));
        assert_eq!((a.published.as_deref(), a.modified.as_deref()), (Some("2014-09-27"), Some("2016-04-28")));
        assert_eq!(a.severity.as_ref().map(|r| (r.severity, r.score)), Some((Severity::Medium, Some(6.5))));
        assert_eq!(
            a.affected[0].ranges,
            [Range::NpmExpr { vulnerable: "<=1.5.1".into(), patched: Some(">=1.5.2".into()) }]
        );
    }

    #[test]
    fn npm_without_fix_or_vector() {
        let c = collect(
            "x.json",
            r#"{"id":"7","module_name":"m","vulnerable_versions":"*","patched_versions":"<0.0.0","cvss_vector":null,"cvss_score":9.1}"#,
        );
        let a = &c.advisories["NSWG-ECO-7"];
        assert_eq!(a.affected[0].ranges, [Range::NpmExpr { vulnerable: "*".into(), patched: None }]);
        let r = a.severity.as_ref().unwrap_or_else(|| panic!("rated"));
        assert_eq!((r.severity, r.origin.as_str(), r.vector.as_deref()), (Severity::Critical, "Node.js", None));
        assert_eq!(patched_range(""), None);
        assert_eq!(patched_range("<0.0.0-0"), None);
        assert_eq!(patched_range(">=1.0.0 || ^0.9.3").as_deref(), Some(">=1.0.0 || ^0.9.3"));
    }

    #[test]
    fn core_record_named_by_file() {
        let c = collect(
            "feed.tar.gz!vuln/core/40.json",
            r#"{"cve":["CVE-2017-1000381"],"vulnerable":"8.x || 7.x","patched":"^8.1.4 || ^7.10.1",
            "overview":"The c-ares function ares_parse_naptr_reply()\nmore","severity":"unknown","cvss":"3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H"}"#,
        );
        let a = &c.advisories["NSWG-CORE-40"];
        assert_eq!(a.summary.as_deref(), Some("The c-ares function ares_parse_naptr_reply()"));
        assert_eq!(a.severity.as_ref().map(|r| (r.severity, r.score)), Some((Severity::Medium, Some(5.9))));
        assert_eq!((a.affected[0].ecosystem.as_str(), a.affected[0].name.as_str()), ("Node.js", "node"));
    }

    #[test]
    fn deps_and_index_are_skipped() {
        let c = collect("vuln/deps/1.json", r#"{"cve":["CVE-2023-45853"],"reason":"vulnerable_code_not_present"}"#);
        assert_eq!((c.skipped, c.advisories.len()), (1, 0));
        let c = collect("vuln/npm/index.json", r#"{"1":{"id":1},"2":{"id":2}}"#);
        assert_eq!((c.skipped, c.advisories.len()), (1, 0));
        assert_eq!(file_stem("a!b/12.JSON"), Some("12"));
        assert_eq!(file_stem(".json"), None);
    }
}
