//! The advisory store and its importers against the real feeds in `../shared/data/vuln`: record
//! counts per feed, what a lookup returns for known true positives, and how bad inputs, archives,
//! re-imports and foreign store files are handled.

#[path = "common/vuln_data.rs"]
mod vuln_data;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use caulk_core::Severity;
use caulk_vuln::version::{Ecosystem, compare};
use caulk_vuln::{AdvisorySource, Event, ImportReport, Range, Store, StoreError};

const AT: &str = "2026-01-02T03:04:05Z";

/// A fresh writable store in a temporary directory (kept alive by the returned guard).
fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let store = Store::create(&dir.path().join("cache/advisories.db")).unwrap_or_else(|e| panic!("create: {e}"));
    (dir, store)
}

fn import(store: &mut Store, path: &Path) -> ImportReport {
    store.import_path_at(path, None, AT).unwrap_or_else(|e| panic!("import {}: {e}", path.display()))
}

/// Imports one real feed into a fresh store; `None` when the data is missing outside CI.
fn feed(relative: &str) -> Option<(tempfile::TempDir, Store, ImportReport, PathBuf)> {
    let path = vuln_data::dir()?.join(relative);
    let (dir, mut store) = temp_store();
    let report = import(&mut store, &path);
    Some((dir, store, report, path))
}

/// OSV members of a feed archive, how many of them are withdrawn, and how many distinct ids the
/// others have (records with the same id merge), counted from the JSON.
fn osv_counts(archive: &Path) -> (usize, usize, usize) {
    let members = vuln_data::json_members(archive);
    let mut withdrawn = 0;
    let mut ids = std::collections::BTreeSet::new();
    for (name, bytes) in &members {
        let record = vuln_data::parse(name, bytes);
        if record.get("withdrawn").is_some() {
            withdrawn += 1;
        } else {
            ids.insert(record["id"].as_str().unwrap_or_else(|| panic!("{name}: no id")).to_owned());
        }
    }
    (members.len(), withdrawn, ids.len())
}

#[test]
fn osv_feeds_import_with_their_record_counts() {
    // (feed, records in PROVENANCE.md, withdrawn in PROVENANCE.md, records that share their id
    // with another file, ecosystem). AlmaLinux files 37 ALSAs under two or three of its
    // releases (43 extra files); each merges into one advisory with the packages of all of them.
    let feeds = [
        ("almalinux-osv/almalinux-osv.tar.gz", 5_680, 0, 43, "AlmaLinux:9"),
        ("go-vulndb-osv/go-vulndb-osv.tar.gz", 4_291, 17, 0, "Go"),
        ("rustsec-osv/rustsec-osv.tar.gz", 1_206, 13, 0, "crates.io"),
        ("pypa-advisory-db/pypa-osv.tar.gz", 2_661, 10, 0, "PyPI"),
    ];
    for (relative, total, withdrawn, merged, ecosystem) in feeds {
        let Some((_dir, store, report, path)) = feed(relative) else { return };
        let (files, withdrawn_files, ids) = osv_counts(&path);
        assert_eq!((files, withdrawn_files), (total, withdrawn), "{relative}: PROVENANCE.md and the archive disagree");
        assert_eq!(ids, total - withdrawn - merged, "{relative}: records sharing an id");
        assert!(report.malformed.is_empty(), "{relative}: {:?}", &report.malformed[..report.malformed.len().min(3)]);
        assert_eq!((report.records, report.withdrawn), (ids, withdrawn), "{relative}");
        assert_eq!(report.formats, ["OSV"], "{relative}");
        assert!(report.ecosystems.contains_key(ecosystem), "{relative}: {:?}", report.ecosystems);
        let status = store.status().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.advisories, ids, "{relative}");
        assert_eq!(status.affected, report.ecosystems.values().sum::<usize>(), "{relative}");
        assert_eq!(status.sources.len(), 1);
        assert_eq!(status.sources[0].records, ids);
        assert_eq!(status.sources[0].withdrawn, withdrawn);
        assert_eq!(status.sources[0].imported_at, AT);
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.sources[0].location, canonical.display().to_string());
    }
}

#[test]
fn nodejs_security_wg_imports_npm_and_core_and_skips_deps() {
    let Some((_dir, store, report, path)) = feed("nodejs-security-wg/nodejs-security-wg-vuln.tar.gz") else { return };
    let members = vuln_data::json_members(&path);
    let in_dir = |d: &str| members.iter().filter(|(n, _)| n.starts_with(d)).count();
    // PROVENANCE.md counts files: 468 npm + 172 core + 7 deps, each directory with an index.json.
    assert_eq!((in_dir("vuln/npm/"), in_dir("vuln/core/"), in_dir("vuln/deps/")), (468, 172, 7));
    assert!(report.malformed.is_empty(), "{:?}", report.malformed);
    assert_eq!(report.records, (468 - 1) + (172 - 1));
    // Six not-affected assessments in deps, three index files.
    assert_eq!(report.skipped, 6 + 3);
    assert_eq!(report.ecosystems.get("npm"), Some(&467));
    assert_eq!(report.ecosystems.get("Node.js"), Some(&171));
    assert_eq!(report.formats, ["Node.js security WG"]);

    let hits = store.candidates("npm", "bassmaster").unwrap_or_else(|e| panic!("{e}"));
    let a = hits.iter().find(|c| c.advisory.id == "NSWG-ECO-1").unwrap_or_else(|| panic!("{hits:?}"));
    assert_eq!(a.advisory.aliases, ["CVE-2014-7205"]);
    assert_eq!(a.affected.ranges, [Range::NpmExpr { vulnerable: "<=1.5.1".into(), patched: Some(">=1.5.2".into()) }]);
    let r = a.advisory.severity.as_ref().unwrap_or_else(|| panic!("rated"));
    assert_eq!((r.severity, r.score, r.origin.as_str()), (Severity::Medium, Some(6.5), "CVSS_V3"));

    let core = store.candidates("Node.js", "node").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(core.len(), 171);
    let first = core.iter().find(|c| c.advisory.id == "NSWG-CORE-1").unwrap_or_else(|| panic!("NSWG-CORE-1"));
    assert_eq!(first.advisory.aliases, ["CVE-2017-1000381"]);
    assert_eq!(
        first.advisory.severity.as_ref().map(|r| (r.severity, r.origin.as_str())),
        Some((Severity::High, "Node.js"))
    );
    // Records the WG published without a fix keep no `patched`.
    let npm = store.candidates("npm", "igniteui").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(npm.len(), 1);
    assert!(matches!(&npm[0].affected.ranges[0], Range::NpmExpr { patched: None, .. }), "{npm:?}");
}

#[test]
fn alpine_secdb_imports_one_advisory_per_id() {
    let Some((_dir, store, report, path)) = feed("alpine-secdb/alpine-secdb-v3.3-v3.11.tar.gz") else { return };
    // Count fix lines per release straight from the JSON: every line with a fixed version other
    // than `0` is one affected entry.
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    let mut zero_fixes = 0;
    let members = vuln_data::json_members(&path);
    assert_eq!(members.len(), 18);
    for (name, bytes) in &members {
        let doc = vuln_data::parse(name, bytes);
        let release = doc["distroversion"].as_str().unwrap_or_default().to_owned();
        for package in doc["packages"].as_array().into_iter().flatten() {
            for (fixed, ids) in package["pkg"]["secfixes"].as_object().into_iter().flatten() {
                let n = ids.as_array().map_or(0, Vec::len);
                if fixed == "0" {
                    zero_fixes += n;
                } else {
                    *lines.entry(format!("Alpine:{release}")).or_default() += n;
                }
            }
        }
    }
    assert_eq!(zero_fixes, 5);
    assert_eq!(lines.get("Alpine:v3.10"), Some(&(1_182 + 720)));
    assert_eq!(report.ecosystems, lines);
    assert!(report.malformed.is_empty(), "{:?}", report.malformed);
    // The five fixes of `0` and heimdal's null list in v3.6.
    assert_eq!(report.skipped, 5 + 1);
    // Distinct ids (the first id of each line), counted with a separate script over the JSON.
    assert_eq!(report.records, 2_469);

    // CVE-2019-9517 is fixed in apache2 and nodejs in v3.10: one advisory, both packages.
    let found = store.advisory("CVE-2019-9517").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1);
    let v310: Vec<&str> =
        found[0].affected.iter().filter(|f| f.ecosystem == "Alpine:v3.10").map(|f| f.name.as_str()).collect();
    assert_eq!(v310, ["apache2", "nodejs"]);
    assert_eq!(found[0].url.as_deref(), Some("https://security.alpinelinux.org/vuln/CVE-2019-9517"));
    let apache = store.candidates("Alpine:v3.10", "apache2").unwrap_or_else(|e| panic!("{e}"));
    let hit = apache.iter().find(|c| c.advisory.id == "CVE-2019-9517").unwrap_or_else(|| panic!("{apache:?}"));
    assert_eq!(
        hit.affected.ranges,
        [Range::Ecosystem { events: vec![Event::Introduced("0".into()), Event::Fixed("2.4.41-r0".into())] }]
    );
    // db's fixes of `0` in v3.8 ("never affected") give it nothing to match there.
    assert!(store.candidates("Alpine:v3.8", "db").unwrap_or_else(|e| panic!("{e}")).is_empty());
    // A line naming a Xen advisory too keeps it as an alias.
    let xen = store.advisory("CVE-2016-9932").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(xen.first().map(|a| a.aliases.clone()), Some(vec!["XSA-200".to_owned()]));
}

#[test]
fn almalinux_9_glibc_has_fixes_newer_than_the_beta_rootfs() {
    let Some((_dir, store, _report, _)) = feed("almalinux-osv/almalinux-osv.tar.gz") else { return };
    let hits = store.candidates("AlmaLinux:9", "glibc").unwrap_or_else(|e| panic!("{e}"));
    let newer: Vec<&str> = hits
        .iter()
        .filter(|c| {
            c.affected.ranges.iter().any(|r| {
                match r {
                Range::Ecosystem { events } => events.iter().any(|e| {
                    matches!(e, Event::Fixed(v) if compare(Ecosystem::Rpm, v, "2.34-28.el9_0") == Ok(Ordering::Greater))
                }),
                _ => false,
            }
            })
        })
        .map(|c| c.advisory.id.as_str())
        .collect();
    assert!(newer.len() >= 3, "{newer:?}");
    assert!(newer.contains(&"ALSA-2023:5453"), "{newer:?}");
    // Ordered by advisory id, every one about glibc in AlmaLinux 9.
    let ids: Vec<&str> = hits.iter().map(|c| c.advisory.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert!(hits.iter().all(|c| c.affected.ecosystem == "AlmaLinux:9" && c.affected.name == "glibc"));
    assert!(hits.iter().all(|c| c.advisory.affected.is_empty()));

    let looney = hits.iter().find(|c| c.advisory.id == "ALSA-2023:5453").unwrap_or_else(|| panic!("{ids:?}"));
    let r = looney.advisory.severity.as_ref().unwrap_or_else(|| panic!("rated"));
    assert_eq!((r.severity, r.origin.as_str(), r.score), (Severity::High, "AlmaLinux", None));
    // AlmaLinux lists its CVEs only in `related`.
    for cve in ["CVE-2023-4527", "CVE-2023-4806", "CVE-2023-4813", "CVE-2023-4911"] {
        assert!(looney.advisory.aliases.iter().any(|a| a == cve), "{:?}", looney.advisory.aliases);
    }
    assert_eq!(looney.advisory.summary.as_deref(), Some("Important: glibc security update"));
    assert_eq!(looney.advisory.url.as_deref(), Some("https://access.redhat.com/errata/RHSA-2023:5453"));
    assert_eq!(
        looney.affected.ranges,
        [Range::Ecosystem { events: vec![Event::Introduced("0".into()), Event::Fixed("2.34-60.el9_2.7".into())] }]
    );
    let ecosystems = store.ecosystems().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ecosystems, ["AlmaLinux:10", "AlmaLinux:8", "AlmaLinux:9"]);
}

#[test]
fn rustsec_cvss_scores() {
    let Some((_dir, store, _report, _)) = feed("rustsec-osv/rustsec-osv.tar.gz") else { return };
    let v3 = store.advisory("RUSTSEC-2016-0001").unwrap_or_else(|e| panic!("{e}"));
    let r = v3.first().and_then(|a| a.severity.clone()).unwrap_or_else(|| panic!("{v3:?}"));
    assert_eq!((r.score, r.severity, r.origin.as_str()), (Some(8.1), Severity::High, "CVSS_V3"));
    assert_eq!(r.vector.as_deref(), Some("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert_eq!(v3[0].url.as_deref(), Some("https://rustsec.org/advisories/RUSTSEC-2016-0001.html"));
    assert_eq!(v3[0].aliases, ["CVE-2016-10931", "GHSA-34p9-f4q3-c4r7"]);
    let hits = store.candidates("crates.io", "openssl").unwrap_or_else(|e| panic!("{e}"));
    assert!(hits.iter().any(|c| c.advisory.id == "RUSTSEC-2016-0001"));

    let v4 = store.candidates("crates.io", "cap-primitives").unwrap_or_else(|e| panic!("{e}"));
    let hit = v4.iter().find(|c| c.advisory.id == "RUSTSEC-2024-0445").unwrap_or_else(|| panic!("{v4:?}"));
    let r = hit.advisory.severity.as_ref().unwrap_or_else(|| panic!("rated"));
    // The record's only rating is a CVSS v4 vector; the stored rating is that vector's.
    let vector = "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N";
    assert_eq!(Some(r), caulk_vuln::severity::from_cvss(vector).as_ref());
    assert_eq!((r.origin.as_str(), r.vector.as_deref()), ("CVSS_V4", Some(vector)));
    assert!(matches!(&hit.affected.ranges[0], Range::Semver { .. }));
}

#[test]
fn pypa_names_are_pep503_normalised() {
    let Some((_dir, store, _report, _)) = feed("pypa-advisory-db/pypa-osv.tar.gz") else { return };
    // The feed spells it `jw.util`.
    let hits = store.candidates("PyPI", "jw-util").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hits.iter().map(|c| c.advisory.id.as_str()).collect::<Vec<_>>(), ["PYSEC-2020-341"]);
    assert!(store.candidates("PyPI", "jw.util").unwrap_or_else(|e| panic!("{e}")).is_empty());
    // PYSEC records give GIT ranges beside ECOSYSTEM ones, and explicit versions.
    let hit = &hits[0];
    assert!(!hit.affected.versions.is_empty() || !hit.affected.ranges.is_empty(), "{hit:?}");
}

#[test]
fn ubuntu_and_debian_samples() {
    let Some(vuln) = vuln_data::dir() else { return };
    let (_dir, mut store) = temp_store();
    let vunnel = import(&mut store, &vuln.join("osv-samples/vunnel"));
    let osv_dev = import(&mut store, &vuln.join("osv-samples/osv.dev"));
    assert_eq!((vunnel.records, osv_dev.records), (4, 2));
    // The Debian security-tracker JSON beside the Ubuntu records is not an advisory format.
    assert_eq!(vunnel.malformed.len(), 1, "{:?}", vunnel.malformed);
    assert!(vunnel.malformed[0].file.ends_with("debian-security-tracker-sample.json"));
    assert!(osv_dev.malformed.is_empty(), "{:?}", osv_dev.malformed);

    // Only a Ubuntu priority: that is the rating.
    let medium = store.advisory("UBUNTU-CVE-2025-38094").unwrap_or_else(|e| panic!("{e}"));
    let r = medium.first().and_then(|a| a.severity.clone()).unwrap_or_else(|| panic!("{medium:?}"));
    assert_eq!((r.severity, r.origin.as_str()), (Severity::Medium, "Ubuntu"));
    assert_eq!(medium[0].aliases, ["CVE-2025-38094"]);
    // Ubuntu's own priority sets the severity for its packages; the CVSS v3 score is kept beside it.
    let negligible = store.advisory("UBUNTU-CVE-2016-20013").unwrap_or_else(|e| panic!("{e}"));
    let r = negligible.first().and_then(|a| a.severity.clone()).unwrap_or_else(|| panic!("{negligible:?}"));
    assert_eq!((r.severity, r.origin.as_str(), r.score), (Severity::Info, "Ubuntu", Some(7.5)));

    // The USN and the UBUNTU-CVE both name wayland in 22.04; `upstream` becomes an alias, the
    // USNs in `related` do not.
    let wayland = store.candidates("Ubuntu:22.04:LTS", "wayland").unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = wayland.iter().map(|c| c.advisory.id.as_str()).collect();
    assert_eq!(ids, ["UBUNTU-CVE-2021-3782", "USN-5614-1"]);
    assert_eq!(wayland[0].advisory.aliases, ["CVE-2021-3782"]);
    assert_eq!(wayland[1].advisory.aliases, ["UBUNTU-CVE-2021-3782"]);
    assert!(wayland[0].affected.ranges.iter().any(|r| matches!(r, Range::Ecosystem { .. })));

    let dsa = store.candidates("Debian:7", "nginx").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dsa.len(), 1);
    let a = &dsa[0].advisory;
    assert_eq!(a.id, "DSA-3029-1");
    assert_eq!(a.aliases, ["CVE-2014-3616"]);
    assert_eq!(a.summary.as_deref(), Some("nginx - security update"));
    assert_eq!(a.url.as_deref(), Some("https://www.debian.org/security/2014/dsa-3029"));
    assert_eq!((a.published.as_deref(), a.severity.as_ref()), (Some("2014-09-20T00:00:00Z"), None));
    assert_eq!(
        dsa[0].affected.ranges,
        [Range::Ecosystem { events: vec![Event::Introduced("0".into()), Event::Fixed("1.2.1-2.2+wheezy3".into())] }]
    );
    let status = store.status().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.advisories, 6);
    assert_eq!(status.sources.len(), 2);
}

#[test]
fn malformed_files_are_reported_and_the_rest_imported() {
    let (dir, mut store) = temp_store();
    let input = dir.path().join("feed");
    std::fs::create_dir_all(input.join("sub")).unwrap_or_else(|e| panic!("{e}"));
    let valid = r#"{"id":"DSA-1-1","modified":"2014-09-20T08:18:07Z","aliases":["CVE-2014-1"],
        "affected":[{"package":{"ecosystem":"Debian:7","name":"nginx"},
        "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]}]}"#;
    let write = |name: &str, text: &str| std::fs::write(input.join(name), text).unwrap_or_else(|e| panic!("{e}"));
    write("sub/valid.json", valid);
    write("broken.json", "{\"id\": \"X\", ");
    write("wrong.json", r#"{"id": 42, "affected": "nginx"}"#);
    write("README.md", "not JSON, not read");
    let report = import(&mut store, &input);
    assert_eq!(report.records, 1);
    let files: Vec<&str> = report.malformed.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(files.len(), 2, "{:?}", report.malformed);
    assert!(files[0].ends_with("broken.json") && files[1].ends_with("wrong.json"), "{files:?}");
    assert!(report.malformed[0].message.contains("JSON"), "{:?}", report.malformed[0]);
    assert!(report.malformed[1].message.contains("invalid type"), "{:?}", report.malformed[1]);
    assert_eq!(store.candidates("Debian:7", "nginx").unwrap_or_else(|e| panic!("{e}")).len(), 1);
    let before = store.status().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(before.sources[0].malformed, 2);

    let missing = dir.path().join("no/such/feed.json");
    match store.import_path_at(&missing, None, AT) {
        Err(StoreError::Input { path, message }) => {
            assert_eq!(path, missing.display().to_string());
            assert!(message.contains("cannot read"), "{message}");
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    let unsupported = dir.path().join("notes.txt");
    std::fs::write(&unsupported, "hello").unwrap_or_else(|e| panic!("{e}"));
    let err = store.import_path_at(&unsupported, None, AT).map(|r| r.records);
    assert!(
        matches!(&err, Err(StoreError::Input { message, .. }) if message.contains("not a supported input")),
        "{err:?}"
    );
    let after = store.status().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((after.advisories, after.affected, after.sources.len()), (before.advisories, before.affected, 1));
}

#[test]
fn zip_members_are_imported_and_named() {
    let Some(vuln) = vuln_data::dir() else { return };
    let members = vuln_data::json_members(&vuln.join("rustsec-osv/rustsec-osv.tar.gz"));
    let picked: Vec<&(String, Vec<u8>)> = members
        .iter()
        .filter(|(n, _)| n.ends_with("RUSTSEC-2016-0001.json") || n.ends_with("RUSTSEC-2024-0445.json"))
        .collect();
    assert_eq!(picked.len(), 2);

    let (dir, mut store) = temp_store();
    let zip_path = dir.path().join("all.zip");
    {
        let file = std::fs::File::create(&zip_path).unwrap_or_else(|e| panic!("{e}"));
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in &picked {
            let short = Path::new(name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            zip.start_file(short, options).unwrap_or_else(|e| panic!("{e}"));
            zip.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        zip.start_file("bad/broken.json", options).unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(b"[{\"id\": ").unwrap_or_else(|e| panic!("{e}"));
        zip.start_file("README.md", options).unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(b"# not read").unwrap_or_else(|e| panic!("{e}"));
        zip.finish().unwrap_or_else(|e| panic!("{e}"));
    }
    let report = store
        .import_path_at(&zip_path, Some("https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip"), AT)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.records, 2);
    assert_eq!(report.malformed.len(), 1, "{:?}", report.malformed);
    assert_eq!(report.malformed[0].file, format!("{}!bad/broken.json", zip_path.display()));
    assert_eq!(report.location, "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip");
    assert_eq!(store.candidates("crates.io", "openssl").unwrap_or_else(|e| panic!("{e}")).len(), 1);

    // The same bytes under a name that says nothing are recognised by their content.
    let download = dir.path().join("download-123");
    std::fs::copy(&zip_path, &download).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.import_path_at(&download, Some("other"), AT).map(|r| r.records).ok(), Some(2));
    // A file called .zip that is not one cannot be read at all.
    let fake = dir.path().join("fake.zip");
    std::fs::write(&fake, "not a zip").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(store.import_path_at(&fake, None, AT), Err(StoreError::Input { .. })));
}

#[test]
fn reimporting_a_location_replaces_it_and_locations_add_up() {
    let Some(vuln) = vuln_data::dir() else { return };
    let rustsec = vuln.join("rustsec-osv/rustsec-osv.tar.gz");
    let (_dir, mut store) = temp_store();
    let first = import(&mut store, &rustsec);
    let once = store.status().unwrap_or_else(|e| panic!("{e}"));
    let again = store.import_path_at(&rustsec, None, "2026-02-03T00:00:00Z").unwrap_or_else(|e| panic!("{e}"));
    let twice = store.status().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.records, again.records);
    assert_eq!((twice.advisories, twice.affected, twice.sources.len()), (once.advisories, once.affected, 1));
    assert_eq!(twice.sources[0].imported_at, "2026-02-03T00:00:00Z");
    // No advisory twice for a package after the replacement.
    let hits = store.candidates("crates.io", "openssl").unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<&str> = hits.iter().map(|c| c.advisory.id.as_str()).collect();
    assert!(ids.len() > 1, "{ids:?}");
    ids.dedup();
    assert_eq!(ids.len(), hits.len());

    // The same file recorded under a URL is another source.
    let url = "https://example.invalid/crates.io/all.zip";
    store.import_path_at(&rustsec, Some(url), AT).unwrap_or_else(|e| panic!("{e}"));
    let both = store.status().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(both.advisories, 2 * once.advisories);
    let locations: Vec<&str> = both.sources.iter().map(|s| s.location.as_str()).collect();
    assert_eq!(locations, [rustsec.canonicalize().map(|p| p.display().to_string()).unwrap_or_default().as_str(), url]);
    assert!(both.sources.iter().all(|s| s.records == first.records && s.formats == ["OSV"]));
    assert!(both.sources.iter().all(|s| s.ecosystems.get("crates.io") == first.ecosystems.get("crates.io")));
    assert!(both.size_bytes > 0);
    let hits = store.candidates("crates.io", "openssl").unwrap_or_else(|e| panic!("{e}"));
    let pair: Vec<&str> =
        hits.iter().filter(|c| c.advisory.id == "RUSTSEC-2016-0001").map(|c| c.advisory.id.as_str()).collect();
    assert_eq!(pair.len(), 2);
    assert_eq!(store.advisory("RUSTSEC-2016-0001").map(|v| v.len()).ok(), Some(2));
}

#[test]
fn opening_missing_foreign_and_outdated_stores() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(Store::open(&dir.path().join("absent.db")), Ok(None)));
    assert!(!dir.path().join("absent.db").exists(), "open must not create the file");

    // A store of another schema version: `open` says how to fix it, `create` rebuilds it.
    let path = dir.path().join("old.db");
    {
        let mut store = Store::create(&path).unwrap_or_else(|e| panic!("{e}"));
        let json = dir.path().join("one.json");
        std::fs::write(&json, r#"{"id":"X-1","modified":"m","affected":[{"package":{"ecosystem":"npm","name":"a"}}]}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.import_path_at(&json, None, AT).map(|r| r.records).ok(), Some(1));
    }
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    conn.pragma_update(None, "user_version", 7).unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    match Store::open(&path) {
        Err(e @ StoreError::Open { .. }) => {
            let message = e.to_string();
            assert!(message.contains("schema version 7") && message.contains("caulk db update"), "{message}");
        }
        other => panic!("expected an open error, got {other:?}"),
    }
    let rebuilt = Store::create(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rebuilt.status().map(|s| (s.advisories, s.sources.len())).ok(), Some((0, 0)));
    drop(rebuilt);
    assert!(Store::open(&path).is_ok_and(|s| s.is_some()));

    // Some other SQLite database is neither read nor overwritten.
    let foreign = dir.path().join("foreign.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    assert!(matches!(Store::open(&foreign), Err(StoreError::Open { message, .. }) if message.contains("not a caulk")));
    assert!(matches!(Store::create(&foreign), Err(StoreError::Open { .. })));
    let not_sqlite = dir.path().join("text.db");
    std::fs::write(&not_sqlite, "hello, this is not a database at all, just text padding it out")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(Store::open(&not_sqlite), Err(StoreError::Open { .. })));
}

#[test]
fn read_only_stores_never_write() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("nested/dirs/advisories.db");
    let json = dir.path().join("one.json");
    std::fs::write(&json, r#"{"id":"X-1","modified":"m","affected":[{"package":{"ecosystem":"npm","name":"a"}}]}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    {
        let mut store = Store::create(&path).unwrap_or_else(|e| panic!("{e}"));
        store.import_path_at(&json, None, AT).unwrap_or_else(|e| panic!("{e}"));
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::open(&path).ok().flatten().unwrap_or_else(|| panic!("store exists"));
    assert_eq!(store.path(), path);
    assert_eq!(store.candidates("npm", "a").map(|c| c.len()).ok(), Some(1));
    assert_eq!(store.candidates("npm", "b").map(|c| c.len()).ok(), Some(0));
    assert_eq!(store.ecosystems().ok(), Some(vec!["npm".to_owned()]));
    assert!(matches!(store.import_path_at(&json, None, AT), Err(StoreError::Open { .. })));
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap_or_else(|e| panic!("{e}")), bytes);
    let entries: Vec<_> = std::fs::read_dir(path.parent().unwrap_or(dir.path()))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(entries.len(), 1, "no journal or log left beside the store: {entries:?}");
}

#[test]
fn oversized_members_are_malformed_not_buffered() {
    let (dir, mut store) = temp_store();
    let archive = dir.path().join("feed.tar.gz");
    {
        let file = std::fs::File::create(&archive).unwrap_or_else(|e| panic!("{e}"));
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
        let mut add = |name: &str, size: u64, data: &mut dyn std::io::Read| {
            let mut header = tar::Header::new_gnu();
            header.set_size(size);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, data).unwrap_or_else(|e| panic!("{e}"));
        };
        let valid = br#"{"id":"GO-1","modified":"m","affected":[{"package":{"ecosystem":"Go","name":"x"}}]}"#;
        add("a/GO-1.json", valid.len() as u64, &mut &valid[..]);
        // 64 MiB and one byte of spaces: compresses to almost nothing, must not be read.
        let huge = caulk_vuln::import::MAX_DOCUMENT_BYTES + 1;
        add("a/huge.json", huge, &mut std::io::Read::take(std::io::repeat(b' '), huge));
        add(
            "a/GO-2.json",
            valid.len() as u64,
            &mut &br#"{"id":"GO-2","modified":"m","affected":[{"package":{"ecosystem":"Go","name":"x"}}]}"#[..],
        );
        tar.into_inner().and_then(flate2::write::GzEncoder::finish).unwrap_or_else(|e| panic!("{e}"));
    }
    let report = import(&mut store, &archive);
    assert_eq!(report.records, 2);
    assert_eq!(report.malformed.len(), 1, "{:?}", report.malformed);
    assert_eq!(report.malformed[0].file, format!("{}!a/huge.json", archive.display()));
    assert!(report.malformed[0].message.contains("larger than 64 MiB"), "{:?}", report.malformed[0]);

    // A truncated archive keeps what came before the break and says where it broke.
    let bytes = std::fs::read(&archive).unwrap_or_else(|e| panic!("{e}"));
    let cut = dir.path().join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
    let report = import(&mut store, &cut);
    assert_eq!(report.records, 1);
    assert!(report.malformed.iter().any(|m| m.message.contains("cut short")), "{:?}", report.malformed);
}

#[test]
fn prepared_lookups_answer_like_the_store() {
    let Some(vuln) = vuln_data::dir() else { return };
    let (_dir, mut store) = temp_store();
    import(&mut store, &vuln.join("alpine-secdb/alpine-secdb-v3.3-v3.11.tar.gz"));
    import(&mut store, &vuln.join("nodejs-security-wg/nodejs-security-wg-vuln.tar.gz"));
    let lookup = store.lookup().unwrap_or_else(|e| panic!("{e}"));
    for (ecosystem, name) in
        [("Alpine:v3.10", "apache2"), ("Alpine:v3.9", "openssl"), ("npm", "lodash"), ("npm", "none")]
    {
        let direct = store.candidates(ecosystem, name).unwrap_or_else(|e| panic!("{e}"));
        let prepared = lookup.candidates(ecosystem, name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(direct.len(), prepared.len(), "{ecosystem} {name}");
        for (a, b) in direct.iter().zip(&prepared) {
            assert_eq!((&a.advisory, &a.affected), (&b.advisory, &b.affected));
        }
    }
    assert!(!lookup.candidates("Alpine:v3.10", "apache2").unwrap_or_default().is_empty());
    let ecosystems = lookup.ecosystems().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ecosystems.first().map(String::as_str), Some("Alpine:v3.10"));
    assert!(ecosystems.iter().any(|e| e == "Node.js") && ecosystems.iter().any(|e| e == "npm"));
    assert_eq!(ecosystems.len(), 9 + 2);
}
