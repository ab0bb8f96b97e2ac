//! Published ordering vectors (rpm's `rpmvercmp.at`, apk-tools' `version.data`, Maven's
//! `ComparableVersionTest`, SemVer/Go/npm documentation), total-order checks over the real versions
//! in the shared feeds and images, npm range parsing over the nodejs-security-wg advisories, and the
//! error outcome for every ecosystem.
#![allow(clippy::print_stderr)] // the tests report their counts and skip reasons

mod common;

use std::cmp::Ordering;
use std::cmp::Ordering::{Equal, Greater, Less};
use std::path::Path;

use caulk_vuln::version::{Ecosystem, NpmRange, Version, compare, npm_satisfies, parse};
use common::{Rng, json_strings, shared_data, tar_gz_cat};

fn check_table(eco: Ecosystem, table: &[(&str, &str, Ordering)]) {
    let mut failures = Vec::new();
    for &(a, b, want) in table {
        match compare(eco, a, b) {
            Ok(got) if got == want => {}
            got => failures.push(format!("{a} vs {b}: want {want:?}, got {got:?}")),
        }
        // Every vector also holds reversed.
        match compare(eco, b, a) {
            Ok(got) if got == want.reverse() => {}
            got => failures.push(format!("{b} vs {a}: want {:?}, got {got:?}", want.reverse())),
        }
    }
    assert!(failures.is_empty(), "{eco} ordering failures:\n{}", failures.join("\n"));
}

/// A list that must be strictly increasing, checked over every pair.
fn check_increasing(eco: Ecosystem, list: &[&str]) {
    for (i, a) in list.iter().enumerate() {
        for (j, b) in list.iter().enumerate() {
            let got = compare(eco, a, b).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, i.cmp(&j), "{eco}: {a} vs {b}");
        }
    }
}

/// rpm's own `rpmvercmp` test vectors (tests/rpmvercmp.at), plus epoch and release cases.
#[test]
fn rpm_vectors() {
    let table = [
        ("1.0", "1.0", Equal),
        ("1.0", "2.0", Less),
        ("2.0.1", "2.0.1", Equal),
        ("2.0", "2.0.1", Less),
        ("2.0.1a", "2.0.1a", Equal),
        ("2.0.1a", "2.0.1", Greater),
        ("5.5p1", "5.5p1", Equal),
        ("5.5p1", "5.5p2", Less),
        ("5.5p10", "5.5p10", Equal),
        ("5.5p1", "5.5p10", Less),
        ("10xyz", "10.1xyz", Less),
        ("xyz10", "xyz10", Equal),
        ("xyz10", "xyz10.1", Less),
        ("xyz.4", "xyz.4", Equal),
        ("xyz.4", "8", Less),
        ("xyz.4", "2", Less),
        ("5.5p2", "5.6p1", Less),
        ("5.6p1", "6.5p1", Less),
        ("6.0.rc1", "6.0", Greater),
        ("10b2", "10a1", Greater),
        ("10a2", "10b2", Less),
        ("1.0aa", "1.0aa", Equal),
        ("1.0a", "1.0aa", Less),
        ("10.0001", "10.0001", Equal),
        ("10.0001", "10.1", Equal),
        ("10.0001", "10.0039", Less),
        ("4.999.9", "5.0", Less),
        ("20101121", "20101121", Equal),
        ("20101121", "20101122", Less),
        ("2_0", "2_0", Equal),
        ("2.0", "2_0", Equal),
        ("a", "a", Equal),
        ("a+", "a+", Equal),
        ("a+", "a_", Equal),
        ("+a", "+a", Equal),
        ("+a", "_a", Equal),
        ("+_", "+_", Equal),
        ("_+", "+_", Equal),
        ("_+", "_", Equal),
        ("+", "_", Equal),
        ("1.0~rc1", "1.0~rc1", Equal),
        ("1.0~rc1", "1.0", Less),
        ("1.0~rc1", "1.0~rc2", Less),
        ("1.0~rc1~git123", "1.0~rc1~git123", Equal),
        ("1.0~rc1~git123", "1.0~rc1", Less),
        ("1.0^", "1.0^", Equal),
        ("1.0^", "1.0", Greater),
        ("1.0^git1", "1.0^git1", Equal),
        ("1.0^git1", "1.0", Greater),
        ("1.0^git1", "1.0^git2", Less),
        ("1.0^git1", "1.01", Less),
        ("1.0^20160101", "1.0^20160101", Equal),
        ("1.0^20160101", "1.0.1", Less),
        ("1.0^20160101^git1", "1.0^20160101^git1", Equal),
        ("1.0^20160102", "1.0^20160101^git1", Greater),
        ("1.0~rc1^git1", "1.0~rc1^git1", Equal),
        ("1.0~rc1^git1", "1.0~rc1", Greater),
        ("1.0^git1~pre", "1.0^git1~pre", Equal),
        ("1.0^git1", "1.0^git1~pre", Greater),
        // Epoch, then version, then release.
        ("1:1.0-1", "2.0-1", Greater),
        ("0:1.0-1", "1.0-1", Equal),
        ("1.0-2", "1.0-10", Less),
        ("1.0-1.el9", "1.0-1.el9_0", Less),
        ("2.34-28.el9_0", "2.34-60.el9", Less),
        ("2.34-28.el9_0", "2.34-28.el9_0.2", Less),
        ("1.0", "1.0-1", Less),
        ("3:1.0-1", "2:9.0-1", Greater),
        ("0-0.30.20180415git.el8", "0-0.32.20180415git.el8", Less),
    ];
    assert!(table.len() >= 60);
    check_table(Ecosystem::Rpm, &table);
}

/// Vectors from apk-tools' test/version.data (only the lines with valid versions).
const APK_VECTORS: &str = "2.34 > 0.1.0_alpha
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha < 0.1.3_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
2.2.39-r1 > 1.0.4-r3
1.0.4-r3 < 1.0.4-r4
1.0.4-r4 < 1.6
1.0.2 > 0.7-r1
1.1 > 1.1_alpha1
1.2.1 > 1.2
1.2 < 1.3_alpha
1.3_alpha < 1.3_alpha2
0.7.0 < 0.8_beta1
0.8_beta1 < 0.8_beta2
0.8_beta4 < 4.8-r1
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
0.12.3 > 0.12
0.12 < 0.13_beta1
0.13_beta5 > 0.9.12
1.2.11 < 1.2.12.1
1.2.12.1 < 1.2.13
0.2.0-r1 < 3.1_p16
3.1_p16 < 3.1_p17
3.1_p17 > 1.06-r6
1.06-r6 < 006
006 > 1.0.0
1.2.2-r1 > 1.2.2
9.3.4-r2 > 9.3.4
2.59 < 20050718-r1
3.9.8-r5 > 2.01.01_alpha10
2.01.01_alpha10 > 0.94
1.0 > 0.99.3.20040818
1.39 > 1.00_beta2
7.15.1-r1 > 1.02
4.2.52_p2-r1 < 4.2.52_p4-r2
1.05-r18 < 1.05-r19
2.38 < 20050405
20060720 > 3.0.20060720
2.1.9.200602141850 > 1.6
2.5.1-r8 < 2.5.1a-r1
0.99.163 < 2.6.15.20060110
3.0.0-r2 < 021109-r3
0.9.16-r1 < 3.9_pre20060124
3.9_pre20060124 > 0.01
1.1.7 < 6b-r7
0.10.0 < 0.10.1_rc1
2.0.2 > 1.1a
1.1a < 1.3a
1.0-r1 > 0.15.1b
0.15.1b-r2 > 0.15.1b
22.7-r1 < 22.7.3-r1
22.7 > 2.1_pre20
2.1_pre20 < 2.1_pre26
2.10.1 > 02.08.01b
3.81 > 1.6d
1.6d > 1.2.07.8
1.2.07.8 < 1.2.12.04
0.1_pre20060810 < 0.1_pre20060817
3.3.17 > 0.59s-r11
0.20070118 < 0.20070207_rc1
2.3.30-r2 < 3.7_p1
4.5_p1-r1 > 4.5_p1
0.9.8c-r1 < 0.9.8d
1.7 < 1.7b
1.8.5 < 1.8.5_p2
1.6.8_p12-r1 > 1.6.8_p9-r2
2.25b-r5 < 2.25b-r6
1.4_p12-r2 < 1.4_p12-r5
0.9.28-r2 < 0.9.28.1
0.9.28.1 < 087-r1
104-r11 > 104-r9
5.52-r1 > 1.2.5_rc2
20040406-r1 > 2.12r-r4
2.12r-r4 < 2.12r-r5
1.1.1-r3 > 0.3.4_pre20061029
7.0.17 < 7.0.174
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0";

#[test]
fn apk_vectors() {
    let mut table = Vec::new();
    for line in APK_VECTORS.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let ord = match f[1] {
            "<" => Less,
            "=" => Equal,
            ">" => Greater,
            other => panic!("bad operator {other}"),
        };
        table.push((f[0], f[2], ord));
    }
    // The suffix order stated in apk-tools, and the leading-zero rule.
    let extra = [
        ("1.1_alpha", "1.1_beta", Less),
        ("1.1_beta", "1.1_pre", Less),
        ("1.1_pre", "1.1_rc", Less),
        ("1.1_rc", "1.1", Less),
        ("1.1", "1.1_cvs", Less),
        ("1.1_cvs", "1.1_svn", Less),
        ("1.1_svn", "1.1_git", Less),
        ("1.1_git", "1.1_hg", Less),
        ("1.1_hg", "1.1_p", Less),
        ("1.1_p1", "1.1_p1-r1", Less),
        // apk-tools quirks, kept because apk itself orders this way: an explicit `-r0` is newer than
        // none, and after a `.0` component a pre-release suffix no longer sorts before the end.
        ("1.1-r0", "1.1", Greater),
        ("1.0_rc1", "1.0", Greater),
        ("1.01", "1.1", Less),
        ("1.0", "1", Greater),
        ("1.0a", "1.0b", Less),
        ("1.0a", "1.0.1", Less),
        ("2.34-r1", "2.34-r10", Less),
    ];
    table.extend(extra);
    assert!(table.len() >= 40);
    check_table(Ecosystem::Apk, &table);
}

/// Maven's ComparableVersionTest orderings and equalities.
#[test]
fn maven_vectors() {
    check_increasing(
        Ecosystem::Maven,
        &[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ],
    );
    check_increasing(
        Ecosystem::Maven,
        &[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2",
            "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
        ],
    );
    let equal = [
        ("1", "1.0"),
        ("1", "1.0.0"),
        ("1", "1-0"),
        ("1", "1.0-0"),
        ("1a", "1-a"),
        ("1a", "1.0-a"),
        ("1a", "1.0.0-a"),
        ("1.0a", "1-a"),
        ("1x", "1.0.0-x"),
        ("1ga", "1"),
        ("1release", "1"),
        ("1final", "1"),
        ("1cr", "1rc"),
        ("1a1", "1-alpha-1"),
        ("1b2", "1-beta-2"),
        ("1m3", "1-milestone-3"),
        ("1X", "1x"),
        ("1A", "1a"),
        ("1M3", "1m3"),
        ("1cR", "1Rc"),
        ("1m3", "1MILESTONE3"),
        ("2.0.0.RELEASE", "2"),
        ("1.0.0-GA", "1.0.0.Final"),
    ];
    let table: Vec<_> = equal.iter().map(|&(a, b)| (a, b, Equal)).collect();
    check_table(Ecosystem::Maven, &table);
    check_table(
        Ecosystem::Maven,
        &[
            ("2.17.0", "2.17.1", Less),
            ("2.9.10.8", "2.10.0", Less),
            ("5.3.18", "5.3.2", Greater),
            ("1.0-SNAPSHOT", "1.0", Less),
            ("1.0-rc1", "1.0", Less),
            ("1.0.Final", "1.0.1", Less),
            ("9.4.43.v20210629", "9.4.44.v20210927", Less),
        ],
    );
}

#[test]
fn cargo_vectors() {
    // SemVer 2.0 §11's precedence example; build metadata does not take part.
    check_increasing(
        Ecosystem::Cargo,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ],
    );
    check_table(Ecosystem::Cargo, &[("1.0.0+build.1", "1.0.0+build.2", Equal), ("1.0.0+x", "1.0.0", Equal)]);
}

#[test]
fn go_vectors() {
    check_increasing(
        Ecosystem::Go,
        &[
            "v0.0.0-20190101000000-aaaaaaaaaaaa",
            "v0.0.0-20210101120000-abcdef123456",
            "v0.0.0-20210102000000-000000000000",
            "v0.0.1",
            "v1.2.3",
            "v1.2.4-0.20210101120000-abcdef123456",
            "v1.2.4-alpha",
            "v1.2.4-alpha.0.20210101120000-abcdef123456",
            "v1.2.4-beta",
            "v1.2.4",
            "v1.3",
            "v1.3.1",
            "v2",
            "v2.0.1+incompatible",
        ],
    );
    check_table(
        Ecosystem::Go,
        &[
            ("v2.0.0+incompatible", "v2.0.0", Equal),
            ("1.2.3", "v1.2.3", Equal),
            ("v1", "v1.0.0", Equal),
            ("v1.2", "v1.2.0", Equal),
            ("0.0.0-20130808000456-233bccbb1abe", "0.0.0-20140711154735-199f5f787806", Less),
        ],
    );
}

#[test]
fn npm_vectors() {
    check_increasing(
        Ecosystem::Npm,
        &["0.0.1", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0", "1.2.3", "1.10.0", "2.0.0-rc.1", "2.0.0"],
    );
    check_table(Ecosystem::Npm, &[("v1.2.3", "1.2.3", Equal), ("1.2.3+build", "1.2.3", Equal)]);
    let cases = [
        ("1.2.2", "<1.2.3 || >=2.0.0 <2.1.0", true),
        ("1.2.3", "<1.2.3 || >=2.0.0 <2.1.0", false),
        ("2.0.5", "<1.2.3 || >=2.0.0 <2.1.0", true),
        ("2.1.0", "<1.2.3 || >=2.0.0 <2.1.0", false),
        ("6.9.1", "^6.9.0", true),
        ("7.0.0", "^6.9.0", false),
        ("0.2.5", "^0.2.3", true),
        ("0.3.0", "^0.2.3", false),
        ("1.2.9", "~1.2.3", true),
        ("1.3.0", "~1.2.3", false),
        ("6.1.0", "6.x", true),
        ("7.0.0", "6.x", false),
        ("3.0.0", ">= 1.4.6 < 2.0.0 || >= 2.0.1", true),
        ("2.0.0", ">= 1.4.6 < 2.0.0 || >= 2.0.1", false),
        ("1.7.0", ">= 1.7.0-alpha3", true),
        ("1.7.0-beta", ">= 1.7.0-alpha3", true),
        ("1.8.0-beta", ">= 1.7.0-alpha3", false),
        ("99.0.0", "*", true),
        ("0.0.1", "<0.0.0", false),
        ("1.5.0", "1.2.3 - 2.3.4", true),
        ("2.3.5", "1.2.3 - 2.3.4", false),
    ];
    for (version, range, want) in cases {
        assert_eq!(npm_satisfies(version, range).unwrap_or_else(|e| panic!("{e}")), want, "{version} in {range}");
    }
    let range = NpmRange::parse("^1.0.0").unwrap_or_else(|e| panic!("{e}"));
    let v = parse(Ecosystem::Npm, "1.4.0").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(range.contains(&v), Some(true));
    let other = parse(Ecosystem::Cargo, "1.4.0").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(range.contains(&other), None);
}

#[test]
fn debian_vectors() {
    check_table(
        Ecosystem::Debian,
        &[
            ("1.0~rc1", "1.0", Less),
            ("1.0", "1.0-0", Equal),
            ("1:0.1", "2.0", Greater),
            ("1.0a", "1.0+", Less),
            ("1.0~~", "1.0~", Less),
            ("1.001", "1.1", Equal),
            ("2:1.20.11-1+deb11u6", "2:1.20.11-1+deb11u5", Greater),
            ("1.2.3-1~deb11u1", "1.2.3-1", Less),
            ("  1.0  ", "1.0", Equal),
        ],
    );
}

#[test]
fn unparsable_versions_are_errors_for_every_ecosystem() {
    let cases = [
        (Ecosystem::Debian, "1.0-"),
        (Ecosystem::Debian, "a:1.0"),
        (Ecosystem::Debian, "1:"),
        (Ecosystem::Debian, "1.0 2"),
        (Ecosystem::Debian, ""),
        (Ecosystem::Rpm, ""),
        (Ecosystem::Rpm, "1.0-"),
        (Ecosystem::Rpm, "1:"),
        (Ecosystem::Rpm, "1.0 beta"),
        (Ecosystem::Apk, "1.0bc"),
        (Ecosystem::Apk, "23_foo"),
        (Ecosystem::Apk, "1.0-x"),
        (Ecosystem::Apk, "abc"),
        (Ecosystem::Apk, ""),
        (Ecosystem::PyPI, "1.0.*"),
        (Ecosystem::PyPI, "not-a-version"),
        (Ecosystem::PyPI, ""),
        (Ecosystem::Cargo, "1.0"),
        (Ecosystem::Cargo, "v1.0.0"),
        (Ecosystem::Cargo, "1.0.0-01"),
        (Ecosystem::Go, "v1.2-pre"),
        (Ecosystem::Go, "latest"),
        (Ecosystem::Go, "vv1.0.0"),
        (Ecosystem::Npm, "1.2.x.y"),
        (Ecosystem::Npm, "latest"),
        (Ecosystem::Maven, ""),
        (Ecosystem::Maven, "[1.0,2.0)"),
        (Ecosystem::Maven, "1.0 final"),
    ];
    for (eco, text) in cases {
        let err = parse(eco, text).err().unwrap_or_else(|| panic!("{eco}: `{text}` parsed"));
        assert_eq!(err.ecosystem, eco);
        assert_eq!(err.text, text);
        assert!(err.to_string().contains(&format!("`{text}`")), "{err}");
        // `compare` reports the same error, whichever side it is on.
        assert_eq!(compare(eco, "1.0.0", text).err().map(|e| e.text), Some(text.to_owned()));
    }
    let err = npm_satisfies("1.0.0", ">=abc").err().unwrap_or_else(|| panic!("bad range parsed"));
    assert_eq!(err.text, ">=abc");
}

#[test]
fn osv_ecosystem_names() {
    let cases = [
        ("Debian:12", Some(Ecosystem::Debian)),
        ("Ubuntu:22.04:LTS", Some(Ecosystem::Debian)),
        ("Ubuntu:Pro:18.04:LTS", Some(Ecosystem::Debian)),
        ("Alpine:v3.19", Some(Ecosystem::Apk)),
        ("Wolfi", Some(Ecosystem::Apk)),
        ("Chainguard", Some(Ecosystem::Apk)),
        ("AlmaLinux:9", Some(Ecosystem::Rpm)),
        ("Rocky Linux:9", Some(Ecosystem::Rpm)),
        ("Red Hat:rhel_aus:8.4::appstream", Some(Ecosystem::Rpm)),
        ("Azure Linux:3", Some(Ecosystem::Rpm)),
        ("openSUSE:Tumbleweed", Some(Ecosystem::Rpm)),
        ("SUSE:Linux Enterprise Server 15 SP5", Some(Ecosystem::Rpm)),
        ("PyPI", Some(Ecosystem::PyPI)),
        ("npm", Some(Ecosystem::Npm)),
        ("crates.io", Some(Ecosystem::Cargo)),
        ("Go", Some(Ecosystem::Go)),
        ("Maven", Some(Ecosystem::Maven)),
        ("RubyGems", None),
        ("debian:12", None),
    ];
    for (name, want) in cases {
        assert_eq!(Ecosystem::from_osv(name), want, "{name}");
    }
}

/// Parses every real version (failures are returned) and checks the order is total and
/// consistent: after sorting, every adjacent pair and many random pairs `i < j` compare `<=`,
/// and every comparison is antisymmetric.
fn check_real_order(eco: Ecosystem, versions: &[String]) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut parsed: Vec<Version> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for v in versions {
        if !seen.insert(v.as_str()) {
            continue;
        }
        match parse(eco, v) {
            Ok(p) => parsed.push(p),
            Err(e) => failures.push(e.to_string()),
        }
    }
    parsed.sort();
    for w in parsed.windows(2) {
        assert_ne!(w[0].cmp(&w[1]), Greater, "{eco}: sorted neighbours out of order: {:?} {:?}", w[0], w[1]);
    }
    let mut rng = Rng::new(0x0bde_7a11);
    for _ in 0..20_000.min(parsed.len() * parsed.len()) {
        let (i, j) = (rng.below(parsed.len()), rng.below(parsed.len()));
        let (lo, hi) = (i.min(j), i.max(j));
        let (a, b) = (&parsed[lo], &parsed[hi]);
        assert_ne!(a.cmp(b), Greater, "{eco}: not transitive around {a:?} and {b:?}");
        assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{eco}: not antisymmetric: {a:?} {b:?}");
    }
    (parsed.len(), failures)
}

fn report(eco: Ecosystem, source: &str, (ok, failures): &(usize, Vec<String>), allowed: usize) {
    eprintln!("{eco} real versions from {source}: {ok} distinct parsed, {} rejected", failures.len());
    for f in failures {
        eprintln!("  rejected: {f}");
    }
    assert!(*ok > 0, "no {eco} versions found in {source}");
    assert!(failures.len() <= allowed, "{} {eco} versions rejected (allowed {allowed})", failures.len());
}

fn osv_event_versions(archive: &Path) -> Vec<String> {
    let text = tar_gz_cat(archive, "*.json");
    ["introduced", "fixed", "last_affected", "versions"]
        .iter()
        .flat_map(|k| json_strings(&text, k))
        .filter(|v| v != "0")
        .collect()
}

#[test]
fn almalinux_versions_are_totally_ordered() {
    let Some(data) = shared_data() else { return };
    let versions = osv_event_versions(&data.join("vuln/almalinux-osv/almalinux-osv.tar.gz"));
    report(Ecosystem::Rpm, "almalinux-osv", &check_real_order(Ecosystem::Rpm, &versions), 0);
}

#[test]
fn alpine_versions_are_totally_ordered() {
    let Some(data) = shared_data() else { return };
    let secdb = tar_gz_cat(&data.join("vuln/alpine-secdb/alpine-secdb-v3.3-v3.11.tar.gz"), "*.json");
    // secfixes keys are the fixed versions: `"1.2.3-r0": [` lines.
    let mut versions: Vec<String> = secdb
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\": [").map(str::to_owned))
        .filter(|k| k != "archs" && k != "packages")
        .collect();
    let from_secdb = versions.len();
    let dir = data.join("images/alpine-minirootfs");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let db = tar_gz_cat(&path, "*lib/apk/db/installed");
        versions.extend(db.lines().filter_map(|l| l.strip_prefix("V:")).map(str::to_owned));
    }
    eprintln!("apk: {from_secdb} secdb versions, {} installed versions", versions.len() - from_secdb);
    // The 2020 secdb holds a few keys that are not apk versions (typos in the feed).
    report(Ecosystem::Apk, "alpine-secdb + minirootfs", &check_real_order(Ecosystem::Apk, &versions), 5);
}

#[test]
fn go_and_cargo_versions_are_totally_ordered() {
    let Some(data) = shared_data() else { return };
    let go = osv_event_versions(&data.join("vuln/go-vulndb-osv/go-vulndb-osv.tar.gz"));
    // 13 events in the feed are not Go SemVer at all (Docker's `19.03.0`, MinIO's `RELEASE.2024-…`,
    // `9.6.0b1`); golang.org/x/mod/semver rejects them too.
    report(Ecosystem::Go, "go-vulndb-osv", &check_real_order(Ecosystem::Go, &go), 13);
    let cargo = osv_event_versions(&data.join("vuln/rustsec-osv/rustsec-osv.tar.gz"));
    report(Ecosystem::Cargo, "rustsec-osv", &check_real_order(Ecosystem::Cargo, &cargo), 0);
}

/// Every range in the nodejs-security-wg advisories parses; the few that node-semver itself
/// rejects are printed and bounded.
#[test]
fn nodejs_security_wg_ranges_parse() {
    let Some(data) = shared_data() else { return };
    let text = tar_gz_cat(&data.join("vuln/nodejs-security-wg/nodejs-security-wg-vuln.tar.gz"), "*.json");
    let ranges: Vec<String> = ["vulnerable_versions", "patched_versions", "vulnerable", "patched"]
        .iter()
        .flat_map(|k| json_strings(&text, k))
        .collect();
    let failures: Vec<String> = ranges.iter().filter_map(|r| NpmRange::parse(r).err()).map(|e| e.to_string()).collect();
    eprintln!("npm ranges: {} parsed, {} rejected", ranges.len() - failures.len(), failures.len());
    for f in &failures {
        eprintln!("  rejected: {f}");
    }
    assert!(ranges.len() > 1000, "expected the advisories' ranges, found {}", ranges.len());
    assert!(failures.len() <= 10, "{} npm ranges rejected", failures.len());
}
