//! Alpine secdb documents (`distroversion`, `packages[].pkg.secfixes`) into one advisory per
//! vulnerability id, each fixed package an `Alpine:v3.x` affected entry from `0` to the fix.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Collector, tidy_aliases};
use crate::model::{Advisory, Affected, Event, Range};

pub(super) const FORMAT: &str = "Alpine secdb";

pub(super) fn is_document(object: &Map<String, Value>) -> bool {
    object.contains_key("distroversion") && object.contains_key("packages")
}

#[derive(Deserialize)]
struct Document {
    distroversion: String,
    packages: Option<Vec<Package>>,
}

#[derive(Deserialize)]
struct Package {
    pkg: Pkg,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    /// fixed version → the ids it fixes; any level may be null in the real files.
    secfixes: Option<BTreeMap<String, Option<Vec<Option<String>>>>>,
}

/// Reads one secdb document. A fix of `0` (never affected in this release), an empty list and a
/// line with no id in it are counted as skipped.
pub(super) fn read(value: Value, collector: &mut Collector) -> Result<(), String> {
    let doc: Document = serde_json::from_value(value).map_err(|e| format!("not an Alpine secdb document: {e}"))?;
    let release = doc.distroversion.trim();
    let ecosystem = if release.starts_with('v') { format!("Alpine:{release}") } else { format!("Alpine:v{release}") };
    for package in doc.packages.into_iter().flatten() {
        for (fixed, lines) in package.pkg.secfixes.into_iter().flatten() {
            let Some(lines) = lines else {
                collector.skip(1);
                continue;
            };
            for line in lines {
                let ids = line.as_deref().map(ids_in).unwrap_or_default();
                let Some((id, aliases)) = ids.split_first() else {
                    collector.skip(1);
                    continue;
                };
                if fixed.trim() == "0" {
                    collector.skip(1);
                    continue;
                }
                let url = id.starts_with("CVE-").then(|| format!("https://security.alpinelinux.org/vuln/{id}"));
                collector.push(Advisory {
                    aliases: tidy_aliases(id, aliases.to_vec()),
                    id: id.clone(),
                    summary: None,
                    severity: None,
                    published: None,
                    modified: None,
                    url,
                    affected: vec![Affected {
                        ecosystem: ecosystem.clone(),
                        name: package.pkg.name.clone(),
                        ranges: vec![Range::Ecosystem {
                            events: vec![Event::Introduced("0".to_owned()), Event::Fixed(fixed.clone())],
                        }],
                        versions: Vec::new(),
                        severity: None,
                    }],
                });
            }
        }
    }
    Ok(())
}

/// The vulnerability ids in one secfixes line, first one first. Lines hold an id, several
/// (`CVE-2016-9932 XSA-200`), or an id followed by prose (`CVE-2018-16881 (was fixed in …)`);
/// sloppy CVE spellings (`CVE_2019-2426`, `CVE 2018-16859`, `CVE-2017-17434-1`,
/// `CVE-2017-8073.patch`) become the plain CVE id, placeholders (`CVE-????-?????`) nothing.
fn ids_in(line: &str) -> Vec<String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i].trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';' | ':' | '[' | ']'));
        i += 1;
        let id = if token.eq_ignore_ascii_case("CVE") {
            let joined = tokens.get(i).and_then(|next| cve(&format!("CVE-{next}")));
            if joined.is_some() {
                i += 1;
            }
            joined
        } else if token.len() > 3 && token.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("CVE")) {
            cve(token)
        } else {
            other_id(token).then(|| token.to_owned())
        };
        if let Some(id) = id.filter(|id| !ids.contains(id)) {
            ids.push(id);
        }
    }
    ids
}

/// `CVE-YYYY-NNNN…` at the start of `token` (after `CVE-` or `CVE_`), whatever follows.
fn cve(token: &str) -> Option<String> {
    let rest = token.get(3..)?.strip_prefix(['-', '_'])?;
    let year: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let number: String = rest.get(year.len()..)?.strip_prefix('-')?.chars().take_while(char::is_ascii_digit).collect();
    (year.len() == 4 && number.len() >= 4).then(|| format!("CVE-{year}-{number}"))
}

/// Another database's id: letters, then dash-separated alphanumeric parts with a digit
/// somewhere (`XSA-200`, `TALOS-2017-0488`, `ZBX-11023`, `wnpa-sec-2017-18`, `GHSA-…`).
fn other_id(token: &str) -> bool {
    let mut parts = token.split('-');
    let first_ok = parts.next().is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && token.contains('-')
        && token.split('-').skip(1).all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && token.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_real_secfixes_lines() {
        let cases: [(&str, &[&str]); 12] = [
            ("CVE-2019-10206", &["CVE-2019-10206"]),
            ("CVE-2016-9932 XSA-200", &["CVE-2016-9932", "XSA-200"]),
            ("XSA-207", &["XSA-207"]),
            ("CVE-2017-12122 TALOS-2017-0488", &["CVE-2017-12122", "TALOS-2017-0488"]),
            ("CVE-2017-17434-1", &["CVE-2017-17434"]),
            ("CVE_2019-2426", &["CVE-2019-2426"]),
            ("CVE 2018-16859", &["CVE-2018-16859"]),
            ("CVE-2017-8073.patch", &["CVE-2017-8073"]),
            ("CVE-????-?????", &[]),
            ("CVE-2018-14462 (ICMP)", &["CVE-2018-14462"]),
            ("ZBX-11023", &["ZBX-11023"]),
            ("wnpa-sec-2017-18", &["wnpa-sec-2017-18"]),
        ];
        for (line, want) in cases {
            assert_eq!(ids_in(line), want, "{line}");
        }
        assert_eq!(ids_in("CVE-2018-16881 partially fixed, but - (tcpdump -V)"), ["CVE-2018-16881"]);
    }

    #[test]
    fn one_advisory_per_id_across_packages_and_zero_fixes_skipped() {
        let mut c = Collector::default();
        c.document(
            "v3.10/main.json",
            br#"{"distroversion":"v3.10","reponame":"main","packages":[
              {"pkg":{"name":"libx","secfixes":{"1.2-r0":["CVE-2019-1000 XSA-9"],"0":["CVE-2019-2000"]}}},
              {"pkg":{"name":"liby","secfixes":{"2.0-r1":["CVE-2019-1000"],"2.0-r0":null}}},
              {"pkg":{"name":"libz","secfixes":null}}]}"#,
        );
        assert!(c.malformed.is_empty(), "{:?}", c.malformed);
        assert_eq!(c.skipped, 2);
        assert_eq!(c.advisories.len(), 1);
        let a = &c.advisories["CVE-2019-1000"];
        assert_eq!(a.aliases, ["XSA-9"]);
        assert_eq!(a.url.as_deref(), Some("https://security.alpinelinux.org/vuln/CVE-2019-1000"));
        let got: Vec<(&str, &str)> = a.affected.iter().map(|f| (f.ecosystem.as_str(), f.name.as_str())).collect();
        assert_eq!(got, [("Alpine:v3.10", "libx"), ("Alpine:v3.10", "liby")]);
        assert_eq!(
            a.affected[1].ranges,
            [Range::Ecosystem { events: vec![Event::Introduced("0".into()), Event::Fixed("2.0-r1".into())] }]
        );
    }
}
