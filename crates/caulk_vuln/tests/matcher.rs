//! The matcher against an in-memory advisory source: every OSV range shape, the fix reported,
//! OS source packages and epochs, alias grouping, and what cannot be compared; then real
//! AlmaLinux and PyPA records, converted here with a small OSV reader of the test's own.

mod common;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;

use caulk_core::{Distro, Evidence, Package, PackageType, Severity, VulnFinding};
use caulk_vuln::matcher::{MatchOutcome, Unparsable, match_packages};
use caulk_vuln::{Advisory, AdvisorySource, Affected, Candidate, Event, Range, Rating, StoreError};

/// Advisories in memory; records every query so tests can check each is asked once.
#[derive(Default)]
struct Memory {
    advisories: Vec<Advisory>,
    queries: RefCell<Vec<(String, String)>>,
}

impl Memory {
    fn new(advisories: Vec<Advisory>) -> Self {
        Self { advisories, queries: RefCell::default() }
    }
}

impl AdvisorySource for Memory {
    fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Candidate>, StoreError> {
        self.queries.borrow_mut().push((ecosystem.to_owned(), name.to_owned()));
        let mut out = Vec::new();
        for advisory in &self.advisories {
            for affected in advisory.affected.iter().filter(|a| a.ecosystem == ecosystem && a.name == name) {
                out.push(Candidate {
                    advisory: std::sync::Arc::new(Advisory { affected: Vec::new(), ..advisory.clone() }),
                    affected: affected.clone(),
                });
            }
        }
        // The store's order is not the matcher's concern: hand them over reversed.
        out.reverse();
        Ok(out)
    }

    fn ecosystems(&self) -> Result<Vec<String>, StoreError> {
        let set: BTreeSet<String> =
            self.advisories.iter().flat_map(|a| &a.affected).map(|a| a.ecosystem.clone()).collect();
        Ok(set.into_iter().collect())
    }
}

fn advisory(id: &str, aliases: &[&str], affected: Vec<Affected>) -> Advisory {
    Advisory {
        id: id.into(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        summary: None,
        severity: None,
        published: None,
        modified: None,
        url: None,
        affected,
    }
}

fn affected(ecosystem: &str, name: &str, ranges: Vec<Range>) -> Affected {
    Affected { ecosystem: ecosystem.into(), name: name.into(), ranges, versions: Vec::new(), severity: None }
}

fn introduced(v: &str) -> Event {
    Event::Introduced(v.into())
}
fn fixed(v: &str) -> Event {
    Event::Fixed(v.into())
}
fn last_affected(v: &str) -> Event {
    Event::LastAffected(v.into())
}
fn limit(v: &str) -> Event {
    Event::Limit(v.into())
}
fn eco(events: Vec<Event>) -> Range {
    Range::Ecosystem { events }
}
fn semver(events: Vec<Event>) -> Range {
    Range::Semver { events }
}

fn package(kind: PackageType, name: &str, version: &str) -> Package {
    Package::new(kind, name, version, Evidence { path: "/pkgdb".into(), layer: Some(0), analyzer: "test" })
}

fn os_package(kind: PackageType, name: &str, version: &str, source: Option<&str>, distro: &Distro) -> Package {
    Package { source_name: source.map(str::to_owned), distro: Some(distro.clone()), ..package(kind, name, version) }
}

fn distro(id: &str, version: &str) -> Distro {
    Distro { id: id.into(), version_id: version.into() }
}

fn run(advisories: Vec<Advisory>, packages: &[Package]) -> MatchOutcome {
    match_packages(packages, None, &[], &Memory::new(advisories)).expect("memory source never fails")
}

/// What one affected entry says about one installed version.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    NotAffected,
    Unfixed,
    Fixed(String),
}
use Verdict::{NotAffected, Unfixed};

fn verdict(kind: PackageType, name: &str, version: &str, entry: &Affected) -> Verdict {
    let out = run(vec![advisory("TEST-1", &[], vec![entry.clone()])], &[package(kind, name, version)]);
    assert!(out.unparsable.is_empty(), "{version}: {:?}", out.unparsable);
    assert!(out.findings.len() <= 1);
    match out.findings.into_iter().next() {
        None => NotAffected,
        Some(f) => f.fixed.map_or(Unfixed, Verdict::Fixed),
    }
}

fn fix(v: &str) -> Verdict {
    Verdict::Fixed(v.to_owned())
}

#[test]
fn introduced_zero_then_fixed() {
    let a = affected("crates.io", "foo", vec![semver(vec![introduced("0"), fixed("1.2.3")])]);
    assert_eq!(verdict(PackageType::Cargo, "foo", "0.0.1", &a), fix("1.2.3"));
    assert_eq!(verdict(PackageType::Cargo, "foo", "1.2.2", &a), fix("1.2.3"));
    assert_eq!(verdict(PackageType::Cargo, "foo", "1.2.3-rc.1", &a), fix("1.2.3"));
    // The fixed version itself and everything after it are not affected.
    assert_eq!(verdict(PackageType::Cargo, "foo", "1.2.3", &a), NotAffected);
    assert_eq!(verdict(PackageType::Cargo, "foo", "2.0.0", &a), NotAffected);
}

#[test]
fn several_intervals_in_one_range_report_the_fix_of_their_own_interval() {
    // Events deliberately out of order: the matcher sorts them.
    let events = vec![fixed("2.3.0"), introduced("2.0.0"), introduced("1.0.0"), fixed("1.5.0")];
    let a = affected("PyPI", "demo", vec![eco(events)]);
    let v = |version| verdict(PackageType::Python, "demo", version, &a);
    assert_eq!(v("0.9"), NotAffected);
    assert_eq!(v("1.0"), fix("1.5.0"));
    assert_eq!(v("1.4.9"), fix("1.5.0"));
    assert_eq!(v("1.5.0"), NotAffected);
    assert_eq!(v("1.9"), NotAffected);
    assert_eq!(v("2.0.0rc1"), NotAffected);
    assert_eq!(v("2.0"), fix("2.3.0"));
    assert_eq!(v("2.2.99"), fix("2.3.0"));
    assert_eq!(v("2.3"), NotAffected);
}

#[test]
fn events_whose_versions_maven_orders_in_a_cycle_do_not_panic() {
    // Maven's ComparableVersion orders 5-a < 5-0-snapshot < 5 < 5-a; a range built from such
    // versions (a hostile or broken advisory) must be evaluated, never crash the scan.
    // Long enough that the standard library's sorts go past their small-slice insertion sort.
    let cycle: Vec<Event> = ["5-a", "5-0-snapshot", "5", "5-b", "5-0-rc", "5.0"]
        .iter()
        .cycle()
        .take(60)
        .enumerate()
        .map(|(i, v)| if i % 2 == 0 { introduced(v) } else { fixed(v) })
        .collect();
    for rotation in 0..cycle.len() {
        let mut events = cycle.clone();
        events.rotate_left(rotation);
        let a = affected("Maven", "org.example:demo", vec![eco(events)]);
        let out = run(vec![advisory("TEST-1", &[], vec![a])], &[package(PackageType::Maven, "org.example:demo", "5")]);
        assert!(out.findings.len() <= 1);
    }
}

#[test]
fn last_affected_is_inclusive_and_names_no_fix() {
    let a = affected("PyPI", "demo", vec![eco(vec![introduced("0"), last_affected("2.0")])]);
    let v = |version| verdict(PackageType::Python, "demo", version, &a);
    assert_eq!(v("1.0"), Unfixed);
    assert_eq!(v("2.0"), Unfixed);
    assert_eq!(v("2.0.0"), Unfixed, "PEP 440: 2.0.0 == 2.0");
    assert_eq!(v("2.0.post1"), NotAffected);
    assert_eq!(v("2.1"), NotAffected);
}

#[test]
fn limit_bounds_the_range() {
    let a = affected("crates.io", "foo", vec![semver(vec![introduced("1.0.0"), limit("2.0.0")])]);
    assert_eq!(verdict(PackageType::Cargo, "foo", "0.9.0", &a), NotAffected);
    assert_eq!(verdict(PackageType::Cargo, "foo", "1.5.0", &a), Unfixed);
    assert_eq!(verdict(PackageType::Cargo, "foo", "2.0.0", &a), NotAffected);
    assert_eq!(verdict(PackageType::Cargo, "foo", "3.0.0", &a), NotAffected);
    let star = affected("crates.io", "foo", vec![semver(vec![introduced("1.0.0"), limit("*")])]);
    assert_eq!(verdict(PackageType::Cargo, "foo", "99.0.0", &star), Unfixed);
    // An interval closed by `fixed` above the limit still ends at the limit.
    let both = affected("crates.io", "foo", vec![semver(vec![introduced("0"), fixed("3.0.0"), limit("2.0.0")])]);
    assert_eq!(verdict(PackageType::Cargo, "foo", "1.0.0", &both), fix("3.0.0"));
    assert_eq!(verdict(PackageType::Cargo, "foo", "2.5.0", &both), NotAffected);
}

#[test]
fn versions_list_alone_and_with_git_ranges() {
    let listed = Affected { versions: vec!["1.0.0".into(), "1.0.1".into()], ..affected("PyPI", "demo", Vec::new()) };
    assert_eq!(verdict(PackageType::Python, "demo", "1.0.1", &listed), Unfixed);
    assert_eq!(verdict(PackageType::Python, "demo", "1.0.2", &listed), NotAffected);

    // GIT events are commits: only `versions[]` (here Git tags) decides.
    let git = Range::Git {
        repo: Some("https://github.com/example/demo".into()),
        events: vec![introduced("0"), fixed("70f906c51ce49c485f1d355703e9cc3386b1cc2b")],
    };
    let tagged =
        Affected { versions: vec!["v2.0.0".into(), "v2.0.1".into()], ..affected("Go", "example.com/demo", vec![git]) };
    assert_eq!(verdict(PackageType::Go, "example.com/demo", "v2.0.1", &tagged), Unfixed);
    assert_eq!(verdict(PackageType::Go, "example.com/demo", "v2.0.2", &tagged), NotAffected);
}

#[test]
fn semver_ranges_accept_the_lowest_prerelease_and_go_prefixes() {
    let a = affected("Go", "golang.org/x/net", vec![semver(vec![introduced("0.0.0-0"), fixed("0.17.0")])]);
    let v = |version| verdict(PackageType::Go, "golang.org/x/net", version, &a);
    assert_eq!(v("v0.0.0-20210226172049-e18ecbb05110"), fix("0.17.0"), "pseudo-version");
    assert_eq!(v("v0.16.0"), fix("0.17.0"));
    assert_eq!(v("v0.17.0"), NotAffected);
    // The standard library as the Go analyzer reports it, against Go vulndb's `stdlib` ranges.
    let std = affected(
        "Go",
        "stdlib",
        vec![semver(vec![introduced("0"), fixed("1.21.5"), introduced("1.22.0-0"), fixed("1.22.7")])],
    );
    assert_eq!(verdict(PackageType::Go, "stdlib", "v1.21.4", &std), fix("1.21.5"));
    assert_eq!(verdict(PackageType::Go, "stdlib", "v1.22.5", &std), fix("1.22.7"));
    assert_eq!(verdict(PackageType::Go, "stdlib", "v1.22.0-rc.1", &std), fix("1.22.7"));
    assert_eq!(verdict(PackageType::Go, "stdlib", "v1.21.9", &std), NotAffected);
}

#[test]
fn npm_expressions() {
    let expr = Range::NpmExpr {
        vulnerable: "<1.2.3 || >=2.0.0 <2.1.0".into(),
        patched: Some(">=1.2.3 <2.0.0 || >=2.1.0".into()),
    };
    let a = affected("npm", "left-pad", vec![expr]);
    let v = |version| verdict(PackageType::Npm, "left-pad", version, &a);
    assert_eq!(v("1.0.0"), fix(">=1.2.3 <2.0.0 || >=2.1.0"));
    assert_eq!(v("2.0.5"), fix(">=1.2.3 <2.0.0 || >=2.1.0"));
    assert_eq!(v("1.5.0"), NotAffected);
    assert_eq!(v("2.1.0"), NotAffected);
    let unpatched = affected("npm", "left-pad", vec![Range::NpmExpr { vulnerable: "*".into(), patched: None }]);
    assert_eq!(verdict(PackageType::Npm, "left-pad", "9.9.9", &unpatched), Unfixed);
    // `patched` wins over an overlapping `vulnerable`.
    let overlap = affected(
        "npm",
        "left-pad",
        vec![Range::NpmExpr { vulnerable: "<=2.0.0".into(), patched: Some("2.0.0".into()) }],
    );
    assert_eq!(verdict(PackageType::Npm, "left-pad", "2.0.0", &overlap), NotAffected);
}

#[test]
fn debian_epochs_tildes_and_source_packages() {
    let deb12 = distro("debian", "12");
    let advisories = vec![
        advisory(
            "DEBIAN-CVE-2024-0001",
            &[],
            vec![affected("Debian:12", "glibc", vec![eco(vec![introduced("0"), fixed("2.36-9+deb12u7")])])],
        ),
        advisory(
            "DSA-0002-1",
            &["CVE-2024-0002"],
            vec![affected("Debian:12", "openssl", vec![eco(vec![introduced("0"), fixed("3.0.11-1~deb12u2")])])],
        ),
        advisory(
            "DSA-0003-1",
            &["CVE-2024-0003"],
            vec![affected("Debian:12", "perl", vec![eco(vec![introduced("0"), fixed("1:5.36.0-7+deb12u1")])])],
        ),
    ];
    let mut libc6 = os_package(PackageType::Deb, "libc6", "2.36-9+deb12u4+b1", Some("glibc"), &deb12);
    libc6.source_version = Some("2.36-9+deb12u4".into());
    let libc_bin = os_package(PackageType::Deb, "libc-bin", "2.36-9+deb12u4", Some("glibc"), &deb12);
    let packages = vec![
        libc6,
        libc_bin,
        os_package(PackageType::Deb, "libssl3", "3.0.11-1~deb12u1", Some("openssl"), &deb12),
        os_package(PackageType::Deb, "openssl", "3.0.11-1~deb12u2", None, &deb12),
        os_package(PackageType::Deb, "libssl-dev", "3.0.11-1", Some("openssl"), &deb12),
        // perl's epoch: 5.38 without epoch is older than 1:5.36.
        os_package(PackageType::Deb, "perl-base", "5.38.0-1", Some("perl"), &deb12),
        os_package(PackageType::Deb, "perl", "1:5.36.0-7+deb12u1", None, &deb12),
    ];
    let source = Memory::new(advisories);
    let out = match_packages(&packages, Some(&deb12), &[], &source).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> =
        out.findings.iter().map(|f| (f.package.name.as_str(), f.id.as_str(), f.fixed.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("libc-bin", "DEBIAN-CVE-2024-0001", Some("2.36-9+deb12u7")),
            ("libc6", "DEBIAN-CVE-2024-0001", Some("2.36-9+deb12u7")),
            ("libssl3", "CVE-2024-0002", Some("3.0.11-1~deb12u2")),
            ("perl-base", "CVE-2024-0003", Some("1:5.36.0-7+deb12u1")),
        ]
    );
    let libc6 = out.findings.iter().find(|f| f.package.name == "libc6").unwrap();
    assert_eq!(libc6.package.advisory_name, "glibc");
    assert_eq!(libc6.package.version, "2.36-9+deb12u4+b1");
    assert_eq!(libc6.ecosystem, "Debian:12");
    assert_eq!(out.packages_checked, 7);
    // One query per source package, whatever the number of binaries.
    let queries = source.queries.borrow();
    assert_eq!(queries.len(), 3, "{queries:?}");
    assert!(queries.contains(&("Debian:12".to_owned(), "glibc".to_owned())));
}

#[test]
fn rpm_epochs_and_patched_versions() {
    let alma9 = distro("almalinux", "9.0");
    let advisories = vec![
        advisory(
            "ALSA-2022:0001",
            &["CVE-2022-0001"],
            vec![affected("AlmaLinux:9", "glibc", vec![eco(vec![introduced("0"), fixed("2.34-40.el9")])])],
        ),
        advisory(
            "ALSA-2022:0002",
            &["CVE-2022-0002"],
            vec![affected("AlmaLinux:9", "openssl-libs", vec![eco(vec![introduced("0"), fixed("1:3.0.1-43.el9_0")])])],
        ),
    ];
    let packages = vec![
        os_package(PackageType::Rpm, "glibc", "2.34-28.el9_0", Some("glibc"), &alma9),
        os_package(PackageType::Rpm, "openssl-libs", "1:3.0.1-41.el9_0", Some("openssl"), &alma9),
    ];
    let out = run(advisories.clone(), &packages);
    let ids: Vec<(&str, Option<&str>)> = out.findings.iter().map(|f| (f.id.as_str(), f.fixed.as_deref())).collect();
    assert_eq!(ids, [("CVE-2022-0001", Some("2.34-40.el9")), ("CVE-2022-0002", Some("1:3.0.1-43.el9_0"))]);

    // At exactly the fixed version, or later, nothing is reported.
    let patched = vec![
        os_package(PackageType::Rpm, "glibc", "2.34-40.el9", Some("glibc"), &alma9),
        os_package(PackageType::Rpm, "openssl-libs", "1:3.0.1-43.el9_0", Some("openssl"), &alma9),
        os_package(PackageType::Rpm, "glibc-common", "2.34-60.el9", Some("glibc"), &alma9),
    ];
    let out = run(advisories.clone(), &patched);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    assert_eq!(out.packages_checked, 3);
    // An epoch-less build is older than any epoch-1 one.
    let out = run(advisories, &[os_package(PackageType::Rpm, "openssl-libs", "3.0.7-1.el9", Some("openssl"), &alma9)]);
    assert_eq!(out.findings.len(), 1);
}

#[test]
fn pypi_names_are_normalised() {
    let a = advisory(
        "PYSEC-2018-66",
        &["CVE-2018-1000656"],
        vec![affected("PyPI", "flask", vec![eco(vec![introduced("0"), fixed("0.12.3")])])],
    );
    let out = run(vec![a], &[package(PackageType::Python, "Flask", "0.12.2")]);
    assert_eq!(out.findings.len(), 1);
    let f = &out.findings[0];
    assert_eq!(
        (f.id.as_str(), f.package.name.as_str(), f.package.purl.as_str()),
        ("CVE-2018-1000656", "Flask", "pkg:pypi/flask@0.12.2")
    );
}

fn rated(severity: Severity, score: f64) -> Rating {
    Rating { severity, score: Some(score), vector: Some(format!("score {score}")), origin: "CVSS_V3".into() }
}

#[test]
fn one_finding_per_vulnerability_across_databases() {
    let range = || vec![eco(vec![introduced("0"), fixed("2.2.5")])];
    let pysec = Advisory {
        summary: None,
        url: Some("https://osv.dev/PYSEC-2023-62".into()),
        severity: Some(rated(Severity::Medium, 5.0)),
        ..advisory(
            "PYSEC-2023-62",
            &["CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"],
            vec![affected("PyPI", "flask", range())],
        )
    };
    let ghsa = Advisory {
        summary: Some("Flask vulnerable to possible disclosure of permanent session cookie".into()),
        url: Some("https://github.com/advisories/GHSA-m2qf-hxjv-5gpq".into()),
        severity: Some(rated(Severity::Medium, 5.5)),
        ..advisory(
            "GHSA-m2qf-hxjv-5gpq",
            &["CVE-2023-30861"],
            vec![Affected {
                // The package-level rating wins over the record's own.
                severity: Some(rated(Severity::High, 7.5)),
                ..affected("PyPI", "flask", vec![eco(vec![introduced("0"), fixed("2.2.6")])])
            }],
        )
    };
    let other = advisory("PYSEC-2019-179", &["CVE-2019-1010083"], vec![affected("PyPI", "flask", range())]);
    let out = run(vec![pysec, ghsa, other], &[package(PackageType::Python, "flask", "2.2.4")]);
    assert_eq!(out.findings.len(), 2, "{:#?}", out.findings);
    let f = out.findings.iter().find(|f| f.id == "CVE-2023-30861").unwrap();
    assert_eq!(f.aliases, ["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"]);
    assert_eq!(f.advisories, ["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"]);
    assert_eq!((f.severity, f.score, f.vector.as_deref()), (Some(Severity::High), Some(7.5), Some("score 7.5")));
    assert_eq!(f.fixed.as_deref(), Some("2.2.6"), "the highest fix of the group");
    assert_eq!(f.summary.as_deref(), Some("Flask vulnerable to possible disclosure of permanent session cookie"));
    assert_eq!(f.url.as_deref(), Some("https://github.com/advisories/GHSA-m2qf-hxjv-5gpq"));
    assert_eq!(f.ecosystem, "PyPI");
    let g = out.findings.iter().find(|f| f.id == "CVE-2019-1010083").unwrap();
    assert_eq!((g.aliases.as_slice(), g.severity), (&["PYSEC-2019-179".to_owned()][..], None));
}

#[test]
fn an_advisory_naming_two_cves_stays_under_its_own_id() {
    let alma9 = distro("almalinux", "9.0");
    let range = || vec![eco(vec![introduced("0"), fixed("2.34-60.el9_2.7")])];
    let alsa = Advisory {
        summary: Some("Important: glibc security update".into()),
        ..advisory(
            "ALSA-2023:5453",
            &["CVE-2023-4527", "CVE-2023-4911"],
            vec![affected("AlmaLinux:9", "glibc", range())],
        )
    };
    let single = advisory("ALSA-2024:1111", &["CVE-2024-1111"], vec![affected("AlmaLinux:9", "glibc", range())]);
    let glibc = [os_package(PackageType::Rpm, "glibc", "2.34-28.el9_0", Some("glibc"), &alma9)];

    let out = run(vec![alsa.clone(), single.clone()], &glibc);
    let ids: Vec<(&str, &[String])> = out.findings.iter().map(|f| (f.id.as_str(), f.aliases.as_slice())).collect();
    assert_eq!(
        ids,
        [
            ("ALSA-2023:5453", &["CVE-2023-4527".to_owned(), "CVE-2023-4911".to_owned()][..]),
            ("CVE-2024-1111", &["ALSA-2024:1111".to_owned()][..]),
        ]
    );

    // A record of one of its CVEs joins the ALSA's group; the group still names two CVEs, so the
    // smallest record id leads.
    let cve = Advisory {
        summary: Some("glibc: buffer overflow in ld.so".into()),
        ..advisory("CVE-2023-4911", &[], vec![affected("AlmaLinux:9", "glibc", range())])
    };
    let out = run(vec![alsa, single, cve], &glibc);
    assert_eq!(out.findings.len(), 2);
    let f = &out.findings[0];
    assert_eq!(f.id, "ALSA-2023:5453");
    assert_eq!(f.advisories, ["ALSA-2023:5453", "CVE-2023-4911"]);
    assert_eq!(f.aliases, ["CVE-2023-4527", "CVE-2023-4911"]);
    assert_eq!(f.summary.as_deref(), Some("Important: glibc security update"));
}

#[test]
fn alias_groups_are_transitive() {
    // A ↔ B share CVE-1, B ↔ C share GHSA-x: one group; D stands alone.
    let range = || vec![eco(vec![introduced("0"), fixed("9")])];
    let advisories = vec![
        advisory("PYSEC-1", &["CVE-1"], vec![affected("PyPI", "demo", range())]),
        advisory("OSV-2", &["CVE-1", "GHSA-x"], vec![affected("PyPI", "demo", range())]),
        advisory("GHSA-x", &[], vec![affected("PyPI", "demo", range())]),
        advisory("PYSEC-4", &["CVE-4"], vec![affected("PyPI", "demo", range())]),
    ];
    let out = run(advisories, &[package(PackageType::Python, "demo", "1.0")]);
    let got: Vec<(&str, &[String])> = out.findings.iter().map(|f| (f.id.as_str(), f.advisories.as_slice())).collect();
    assert_eq!(
        got,
        [
            ("CVE-1", &["GHSA-x".to_owned(), "OSV-2".to_owned(), "PYSEC-1".to_owned()][..]),
            ("CVE-4", &["PYSEC-4".to_owned()][..]),
        ]
    );
}

#[test]
fn an_advisory_listing_the_package_twice_gives_one_finding() {
    // rpm packages are looked up by binary and source name; both entries of one ALSA match.
    let alma9 = distro("almalinux", "9.0");
    let range = |v: &str| vec![eco(vec![introduced("0"), fixed(v)])];
    let alsa = advisory(
        "ALSA-2023:5453",
        &["CVE-2023-4911"],
        vec![
            affected("AlmaLinux:9", "glibc", range("2.34-60.el9_2.7")),
            affected("AlmaLinux:9", "glibc-common", range("2.34-60.el9_2.7")),
        ],
    );
    let out = run(vec![alsa], &[os_package(PackageType::Rpm, "glibc-common", "2.34-28.el9_0", Some("glibc"), &alma9)]);
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].advisories, ["ALSA-2023:5453"]);
}

#[test]
fn versions_that_do_not_parse_are_reported() {
    let a = advisory("PYSEC-1", &[], vec![affected("PyPI", "demo", vec![eco(vec![introduced("0"), fixed("1.0")])])]);
    let bad_event = advisory(
        "PYSEC-2",
        &[],
        vec![affected("PyPI", "demo", vec![eco(vec![introduced("0"), fixed("not a version")])])],
    );
    let out = run(
        vec![a, bad_event],
        &[
            package(PackageType::Python, "demo", "0.5"),
            package(PackageType::Python, "Demo", "garbage!"),
            // No advisory names it: its version never needs parsing.
            package(PackageType::Python, "quiet", "garbage!"),
        ],
    );
    let got: Vec<(&str, &str, &str)> =
        out.unparsable.iter().map(|u| (u.package.as_str(), u.version.as_str(), u.ecosystem.as_str())).collect();
    assert_eq!(got, [("Demo", "garbage!", "PyPI"), ("demo", "not a version", "PyPI")]);
    let event = &out.unparsable[1];
    assert!(event.message.contains("PYSEC-2"), "{}", event.message);
    let installed = &out.unparsable[0];
    assert!(installed.message.contains("installed version"), "{}", installed.message);
    // The good version is still matched by the good advisory.
    assert_eq!(
        out.findings.iter().map(|f| (f.package.name.as_str(), f.id.as_str())).collect::<Vec<_>>(),
        [("demo", "PYSEC-1")]
    );
    assert_eq!(out.packages_checked, 2, "Demo garbage! was not checked");
}

#[test]
fn ecosystems_without_data_and_unsupported_packages() {
    let deb12 = distro("debian", "12");
    let a = advisory("PYSEC-1", &[], vec![affected("PyPI", "demo", vec![eco(vec![introduced("0"), fixed("1.0")])])]);
    let packages = vec![
        os_package(PackageType::Deb, "bash", "5.2.15-2+b2", Some("bash"), &deb12),
        os_package(PackageType::Deb, "libc6", "2.36-9", Some("glibc"), &deb12),
        package(PackageType::Python, "demo", "0.5"),
        package(PackageType::Npm, "left-pad", "1.0.0"),
        // No distribution: cannot be looked up.
        package(PackageType::Apk, "musl", "1.2.4-r2"),
        os_package(PackageType::Rpm, "bash", "5.1-1", None, &distro("centos", "7")),
        package(PackageType::Maven, "log4j-core", "2.14.1"),
    ];
    let out = match_packages(&packages, Some(&deb12), &[], &Memory::new(vec![a])).unwrap();
    assert_eq!(out.ecosystems_without_data, [("Debian:12".to_owned(), 2), ("npm".to_owned(), 1)]);
    assert_eq!(out.packages_unsupported, 3);
    assert_eq!(out.packages_checked, 1);
    assert_eq!(out.findings.len(), 1);
}

#[test]
fn findings_carry_the_package_and_its_layer() {
    let deb12 = distro("debian", "12");
    let a = advisory(
        "DSA-1-1",
        &["CVE-2024-1"],
        vec![affected("Debian:12", "zlib", vec![eco(vec![introduced("0"), fixed("1:1.2.13.dfsg-1+deb12u1")])])],
    );
    let mut base = os_package(PackageType::Deb, "zlib1g", "1:1.2.13.dfsg-1", Some("zlib"), &deb12);
    base.arch = Some("amd64".into());
    let mut app = base.clone();
    app.evidence = Evidence { path: "/var/lib/dpkg/status".into(), layer: Some(2), analyzer: "dpkg" };
    let mut unknown_layer = base.clone();
    unknown_layer.evidence.layer = Some(9);
    let out = match_packages(&[app, base, unknown_layer], None, &[true, true, false], &Memory::new(vec![a])).unwrap();
    let got: Vec<(&str, Option<u32>, bool)> =
        out.findings.iter().map(|f| (f.package.path.as_str(), f.package.layer, f.package.base)).collect();
    assert_eq!(got, [("/pkgdb", Some(0), true), ("/pkgdb", Some(9), false), ("/var/lib/dpkg/status", Some(2), false)]);
    assert_eq!(
        out.findings[0].package.purl,
        "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib"
    );
}

#[test]
fn output_does_not_depend_on_input_order() {
    let range = |v: &str| vec![eco(vec![introduced("0"), fixed(v)])];
    let advisories = vec![
        advisory("PYSEC-2", &["CVE-2"], vec![affected("PyPI", "a", range("2.0"))]),
        advisory("PYSEC-1", &["CVE-1"], vec![affected("PyPI", "b", range("2.0")), affected("PyPI", "a", range("3.0"))]),
        advisory("GHSA-1", &["CVE-1"], vec![affected("PyPI", "a", range("2.5"))]),
    ];
    let packages = vec![package(PackageType::Python, "b", "1.0"), package(PackageType::Python, "a", "1.0")];
    let one = run(advisories.clone(), &packages);
    let mut reversed_adv = advisories;
    reversed_adv.reverse();
    let mut reversed_pkgs = packages;
    reversed_pkgs.reverse();
    let two = run(reversed_adv, &reversed_pkgs);
    assert_eq!(one, two);
    let ids: Vec<(&str, &str)> = one.findings.iter().map(|f| (f.package.name.as_str(), f.id.as_str())).collect();
    assert_eq!(ids, [("a", "CVE-1"), ("a", "CVE-2"), ("b", "CVE-1")]);
}

// ---- real records ----------------------------------------------------------------------------

/// The OSV JSON members of `archive` whose path satisfies `keep`, as advisories.
fn load_osv(archive: &Path, keep: impl Fn(&str) -> bool) -> Vec<Advisory> {
    let file = std::fs::File::open(archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        if !path.ends_with(".json") || !keep(&path) {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.extend(osv_advisory(&value));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// A minimal OSV reader (the importer is not this test's subject): withdrawn records are dropped.
fn osv_advisory(v: &serde_json::Value) -> Option<Advisory> {
    if v.get("withdrawn").is_some() {
        return None;
    }
    let strings = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let id = v.get("id")?.as_str()?.to_owned();
    // Every `upstream` id (a USN names its UBUNTU-CVE there), and the CVEs of `related` (where
    // AlmaLinux puts them).
    let mut aliases: Vec<String> = strings("aliases");
    aliases.extend(strings("upstream"));
    aliases.extend(strings("related").into_iter().filter(|a| a.starts_with("CVE-")));
    aliases.retain(|a| *a != id);
    aliases.sort();
    aliases.dedup();
    let mut affected = Vec::new();
    for a in v.get("affected")?.as_array()? {
        let ecosystem = a.pointer("/package/ecosystem")?.as_str()?.to_owned();
        let mut name = a.pointer("/package/name")?.as_str()?.to_owned();
        if ecosystem == "PyPI" {
            name = caulk_core::package::normalize_python_name(&name);
        }
        let mut ranges = Vec::new();
        for r in a.get("ranges").and_then(|r| r.as_array()).into_iter().flatten() {
            let events: Vec<Event> = r
                .get("events")?
                .as_array()?
                .iter()
                .filter_map(|e| {
                    let (k, v) = e.as_object()?.iter().next()?;
                    let v = v.as_str()?.to_owned();
                    Some(match k.as_str() {
                        "introduced" => Event::Introduced(v),
                        "fixed" => Event::Fixed(v),
                        "last_affected" => Event::LastAffected(v),
                        "limit" => Event::Limit(v),
                        _ => return None,
                    })
                })
                .collect();
            ranges.push(match r.get("type")?.as_str()? {
                "SEMVER" => Range::Semver { events },
                "ECOSYSTEM" => Range::Ecosystem { events },
                _ => Range::Git { repo: r.get("repo").and_then(|s| s.as_str()).map(str::to_owned), events },
            });
        }
        let versions = a.get("versions").and_then(|x| x.as_array()).into_iter().flatten();
        let versions = versions.filter_map(|s| s.as_str().map(str::to_owned)).collect();
        affected.push(Affected { ecosystem, name, ranges, versions, severity: None });
    }
    let references = v.get("references").and_then(|r| r.as_array()).cloned().unwrap_or_default();
    let url = references
        .iter()
        .find(|r| r.get("type").and_then(|t| t.as_str()) == Some("ADVISORY"))
        .or(references.first())
        .and_then(|r| r.get("url")?.as_str().map(str::to_owned));
    Some(Advisory {
        id,
        aliases,
        summary: v.get("summary").and_then(|s| s.as_str()).map(str::to_owned),
        severity: None,
        published: None,
        modified: None,
        url,
        affected,
    })
}

#[test]
fn almalinux_9_beta_glibc_against_the_real_alsas() {
    let Some(data) = common::shared_data() else { return };
    let advisories = load_osv(&data.join("vuln/almalinux-osv/almalinux-osv.tar.gz"), |p| p.contains("almalinux9/"));
    assert!(advisories.len() > 1000, "{} AlmaLinux 9 records", advisories.len());
    let alma9 = distro("almalinux", "9.0");
    // glibc as the AlmaLinux 9.0-beta root filesystem has it.
    let packages = vec![
        os_package(PackageType::Rpm, "glibc", "2.34-28.el9_0", Some("glibc"), &alma9),
        os_package(PackageType::Rpm, "glibc-common", "2.34-28.el9_0", Some("glibc"), &alma9),
    ];
    let source = Memory::new(advisories.clone());
    let out = match_packages(&packages, Some(&alma9), &[], &source).unwrap();
    assert!(out.unparsable.is_empty(), "{:?}", out.unparsable);
    assert!(out.ecosystems_without_data.is_empty());
    let glibc: Vec<&VulnFinding> = out.findings.iter().filter(|f| f.package.name == "glibc").collect();
    let alsa = |id: &str| glibc.iter().find(|f| f.advisories.iter().any(|a| a == id));

    let looney = alsa("ALSA-2023:5453").expect("CVE-2023-4911 (Looney Tunables) is reported");
    assert_eq!(looney.id, "ALSA-2023:5453", "the ALSA names four CVEs");
    assert!(looney.aliases.contains(&"CVE-2023-4911".to_owned()));
    assert_eq!(looney.fixed.as_deref(), Some("2.34-60.el9_2.7"));
    assert_eq!(looney.ecosystem, "AlmaLinux:9");
    assert_eq!(looney.summary.as_deref(), Some("Important: glibc security update"));
    let single = alsa("ALSA-2025:4244").expect("ALSA-2025:4244 is reported");
    assert_eq!((single.id.as_str(), single.aliases.as_slice()), ("CVE-2025-0395", &["ALSA-2025:4244".to_owned()][..]));
    assert_eq!(single.fixed.as_deref(), Some("2.34-125.el9_5.8.alma.1"));
    // Every glibc ALSA for AlmaLinux 9 fixes a later build than the beta's.
    let expected: BTreeSet<&str> = advisories
        .iter()
        .filter(|a| a.affected.iter().any(|x| x.ecosystem == "AlmaLinux:9" && x.name == "glibc"))
        .map(|a| a.id.as_str())
        .collect();
    let found: BTreeSet<&str> = glibc.iter().flat_map(|f| f.advisories.iter().map(String::as_str)).collect();
    assert_eq!(found, expected);
    assert!(expected.len() >= 9);
    // glibc-common is listed by the same ALSAs: the same findings.
    let common_ids: Vec<&str> =
        out.findings.iter().filter(|f| f.package.name == "glibc-common").map(|f| f.id.as_str()).collect();
    assert_eq!(common_ids, glibc.iter().map(|f| f.id.as_str()).collect::<Vec<_>>());

    // Updated to the Looney Tunables fix: that ALSA and the older ones are gone.
    let patched = [os_package(PackageType::Rpm, "glibc", "2.34-60.el9_2.7", Some("glibc"), &alma9)];
    let out = match_packages(&patched, Some(&alma9), &[], &source).unwrap();
    let ids: BTreeSet<&str> = out.findings.iter().flat_map(|f| f.advisories.iter().map(String::as_str)).collect();
    assert!(!ids.contains("ALSA-2023:5453"), "{ids:?}");
    assert!(ids.contains("ALSA-2024:3339"), "{ids:?}");
}

#[test]
fn old_flask_against_the_real_pypa_records() {
    let Some(data) = common::shared_data() else { return };
    let advisories = load_osv(&data.join("vuln/pypa-advisory-db/pypa-osv.tar.gz"), |p| p.contains("/flask/"));
    let mut ghsa = advisory(
        "GHSA-m2qf-hxjv-5gpq",
        &["CVE-2023-30861"],
        vec![affected(
            "PyPI",
            "flask",
            vec![eco(vec![introduced("0"), fixed("2.2.5"), introduced("2.3.0"), fixed("2.3.2")])],
        )],
    );
    ghsa.summary = Some(
        "Flask vulnerable to possible disclosure of permanent session cookie due to missing Vary: Cookie header".into(),
    );
    let mut all = advisories;
    all.push(ghsa);
    let source = Memory::new(all);
    let check = |version: &str| -> Vec<(String, Option<String>)> {
        let out = match_packages(&[package(PackageType::Python, "Flask", version)], None, &[], &source).unwrap();
        assert!(out.unparsable.is_empty(), "{:?}", out.unparsable);
        out.findings.into_iter().map(|f| (f.id, f.fixed)).collect()
    };
    let s = |id: &str, fix: &str| (id.to_owned(), Some(fix.to_owned()));
    assert_eq!(
        check("0.12.2"),
        [s("CVE-2018-1000656", "0.12.3"), s("CVE-2019-1010083", "1.0"), s("CVE-2023-30861", "2.2.5")]
    );
    assert_eq!(check("2.3.1"), [s("CVE-2023-30861", "2.3.2")], "second interval of PYSEC-2023-62");
    assert_eq!(check("2.2.5"), []);
    assert_eq!(check("2.3.2"), []);
    let out = match_packages(&[package(PackageType::Python, "Flask", "2.0.0")], None, &[], &source).unwrap();
    let f = &out.findings[0];
    assert_eq!(f.advisories, ["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"]);
    assert_eq!(f.aliases, ["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"]);
}

#[test]
fn every_real_pypa_record_prepares_without_surprises() {
    // All of PyPA's ranges against one version per package: nothing panics, and every version
    // that does not parse is reported with its advisory.
    let Some(data) = common::shared_data() else { return };
    let advisories = load_osv(&data.join("vuln/pypa-advisory-db/pypa-osv.tar.gz"), |_| true);
    let names: BTreeSet<String> =
        advisories.iter().flat_map(|a| &a.affected).filter(|a| a.ecosystem == "PyPI").map(|a| a.name.clone()).collect();
    let packages: Vec<Package> = names.iter().map(|n| package(PackageType::Python, n, "0.0.1")).collect();
    let source = Memory::new(advisories);
    let out = match_packages(&packages, None, &[], &source).unwrap();
    assert_eq!(out.packages_checked, packages.len());
    assert!(out.findings.len() > packages.len() / 2, "{} findings", out.findings.len());
    for Unparsable { message, .. } in &out.unparsable {
        assert!(message.contains("PYSEC-"), "{message}");
    }
    assert_eq!(source.queries.borrow().len(), packages.len());
}

fn load_json(path: &Path) -> Advisory {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    osv_advisory(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn real_debian_and_ubuntu_records() {
    let Some(data) = common::shared_data() else { return };
    let samples = data.join("vuln/osv-samples");
    let advisories = vec![
        load_json(&samples.join("osv.dev/DSA-3029-1.json")),
        load_json(&samples.join("vunnel/UBUNTU-CVE-2021-3782.json")),
        load_json(&samples.join("vunnel/USN-5614-1.json")),
    ];
    let source = Memory::new(advisories);

    let wheezy = distro("debian", "7");
    let nginx = |v: &str| os_package(PackageType::Deb, "nginx-common", v, Some("nginx"), &wheezy);
    let out = match_packages(&[nginx("1.2.1-2.2+wheezy2"), nginx("1.2.1-2.2+wheezy3")], None, &[], &source).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> =
        out.findings.iter().map(|f| (f.package.version.as_str(), f.id.as_str(), f.fixed.as_deref())).collect();
    assert_eq!(got, [("1.2.1-2.2+wheezy2", "CVE-2014-3616", Some("1.2.1-2.2+wheezy3"))]);
    assert_eq!(out.findings[0].ecosystem, "Debian:7");

    // Jammy's original wayland, before USN-5614-1; the USN and the UBUNTU-CVE record are one
    // finding, under the CVE.
    let jammy = distro("ubuntu", "22.04");
    let client = os_package(PackageType::Deb, "libwayland-client0", "1.20.0-1", Some("wayland"), &jammy);
    let out = match_packages(&[client], None, &[], &source).unwrap();
    assert_eq!(out.findings.len(), 1, "{:#?}", out.findings);
    let f = &out.findings[0];
    assert_eq!((f.id.as_str(), f.ecosystem.as_str()), ("CVE-2021-3782", "Ubuntu:22.04:LTS"));
    assert_eq!(f.advisories, ["UBUNTU-CVE-2021-3782", "USN-5614-1"]);
    assert_eq!(f.fixed.as_deref(), Some("1.20.0-1ubuntu0.1"));
    let patched = os_package(PackageType::Deb, "libwayland-client0", "1.20.0-1ubuntu0.1", Some("wayland"), &jammy);
    assert!(match_packages(&[patched], None, &[], &source).unwrap().findings.is_empty());
}
