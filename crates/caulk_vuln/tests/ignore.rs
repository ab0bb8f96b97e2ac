//! `.caulkignore`: parsing with its problems and line numbers, expiry at the end of the `until`
//! day, package restrictions, matching any id of a finding, and which entries were used.

use caulk_core::{AffectedPackage, PackageType, VulnFinding};
use caulk_vuln::ignore::{IgnoreEntry, IgnoreFile, IgnoreProblem};

fn finding(
    id: &str,
    aliases: &[&str],
    advisories: &[&str],
    kind: PackageType,
    name: &str,
    advisory_name: &str,
) -> VulnFinding {
    VulnFinding {
        id: id.into(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        advisories: advisories.iter().map(|a| (*a).to_owned()).collect(),
        severity: None,
        score: None,
        vector: None,
        summary: None,
        fixed: None,
        url: None,
        ecosystem: "test".into(),
        package: AffectedPackage {
            kind,
            name: name.into(),
            version: "1.0".into(),
            advisory_name: advisory_name.into(),
            purl: String::new(),
            path: "/x".into(),
            layer: None,
            base: false,
        },
    }
}

fn looney() -> VulnFinding {
    finding(
        "ALSA-2023:5453",
        &["CVE-2023-4527", "CVE-2023-4911"],
        &["ALSA-2023:5453"],
        PackageType::Rpm,
        "glibc-common",
        "glibc",
    )
}

fn flask() -> VulnFinding {
    finding(
        "CVE-2018-1000656",
        &["GHSA-562c-5r94-xh97", "PYSEC-2018-66"],
        &["PYSEC-2018-66"],
        PackageType::Python,
        "Flask",
        "flask",
    )
}

fn parse_ok(text: &str) -> IgnoreFile {
    let (file, problems) = IgnoreFile::parse(text);
    assert_eq!(problems, [], "{text}");
    file
}

#[test]
fn parses_entries_with_keys_and_reasons() {
    let text = "\
# comment lines and blank lines are ignored

CVE-2023-4911  until=2027-01-31  # the image never runs setuid binaries
GHSA-xxxx-yyyy-zzzz  # reason text after '#'
\tPYSEC-2021-19 pkg=flask until=2026-12-31 # optional package restriction\r
";
    let file = parse_ok(text);
    assert_eq!(
        file.entries(),
        [
            IgnoreEntry {
                id: "CVE-2023-4911".into(),
                until: Some("2027-01-31".into()),
                pkg: None,
                reason: Some("the image never runs setuid binaries".into()),
                line: 3,
            },
            IgnoreEntry {
                id: "GHSA-xxxx-yyyy-zzzz".into(),
                until: None,
                pkg: None,
                reason: Some("reason text after '#'".into()),
                line: 4,
            },
            IgnoreEntry {
                id: "PYSEC-2021-19".into(),
                until: Some("2026-12-31".into()),
                pkg: Some("flask".into()),
                reason: Some("optional package restriction".into()),
                line: 5,
            },
        ]
    );
    assert_eq!(IgnoreFile::parse("").0.entries(), []);
}

#[test]
fn problems_name_the_line() {
    let text = "\
CVE-2023-0001 until=2027-02-30 # no such day
CVE-2023-0002 until=31.01.2027 # not ISO
CVE-2023-0003 expires=2027-01-01 # unknown key
until=2027-01-01 # no id
CVE-2023-0005
CVE-2023-0006 #
CVE-2023-0007 pkg= # empty package
CVE-2023-0008 pkg=a pkg=b # twice
CVE-2023-0009 CVE-2023-0010 # two ids
";
    let (file, problems) = IgnoreFile::parse(text);
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7, 8, 9], "{problems:#?}");
    let message = |line: usize| problems.iter().find(|p| p.line == line).map(|p| p.message.as_str()).unwrap();
    assert!(message(1).contains("`until=2027-02-30`"), "{}", message(1));
    assert!(message(2).contains("not a date"), "{}", message(2));
    assert!(message(3).contains("unknown key `expires`"), "{}", message(3));
    assert!(message(4).contains("id"), "{}", message(4));
    assert!(message(5).contains("without a reason") && message(5).contains("CVE-2023-0005"), "{}", message(5));
    assert!(message(9).contains("`CVE-2023-0010`"), "{}", message(9));
    // Entries without a reason still apply; invalid lines give none.
    let ids: Vec<(&str, Option<&str>)> = file.entries().iter().map(|e| (e.id.as_str(), e.reason.as_deref())).collect();
    assert_eq!(ids, [("CVE-2023-0005", None), ("CVE-2023-0006", None)]);
    assert_eq!(problems[4], IgnoreProblem { line: 5, message: problems[4].message.clone() });
}

#[test]
fn entries_expire_at_the_end_of_their_day() {
    let file = parse_ok("CVE-2023-4911 until=2027-01-31 # setuid binaries are never run\n");
    for (today, ignored) in [("2026-12-31", true), ("2027-01-31", true), ("2027-02-01", false), ("2030-01-01", false)] {
        let applied = file.apply(vec![looney()], today);
        assert_eq!(applied.ignored.len(), usize::from(ignored), "{today}");
        assert_eq!(applied.kept.len(), usize::from(!ignored), "{today}");
        // An expired entry that still names a finding is reported, and the finding kept.
        assert_eq!(applied.expired_hits, if ignored { vec![] } else { vec![0] }, "{today}");
        assert_eq!(applied.used, if ignored { vec![0] } else { vec![] }, "{today}");
    }
    assert!(!file.entries()[0].expired("2027-01-31"));
    assert!(file.entries()[0].expired("2027-02-01"));
}

#[test]
fn any_id_of_the_finding_matches_case_insensitively() {
    for id in ["alsa-2023:5453", "CVE-2023-4527", "cve-2023-4911"] {
        let file = parse_ok(&format!("{id} # accepted\n"));
        let applied = file.apply(vec![looney(), flask()], "2026-01-01");
        assert_eq!(applied.ignored.len(), 1, "{id}");
        assert_eq!(applied.ignored[0].0.id, "ALSA-2023:5453");
        assert_eq!(applied.kept, [flask()]);
    }
    // An advisory id that is not an alias also matches.
    let f = finding("CVE-1", &[], &["DSA-1-1"], PackageType::Deb, "libc6", "glibc");
    assert!(parse_ok("DSA-1-1 # x\n").entries()[0].matches(&f));
    assert!(!parse_ok("DSA-2-1 # x\n").entries()[0].matches(&f));
}

#[test]
fn pkg_restricts_to_the_package_or_advisory_name() {
    let glibc = parse_ok("CVE-2023-4911 pkg=glibc # via the source package\n");
    let common = parse_ok("CVE-2023-4911 pkg=glibc-common # the binary package\n");
    let other = parse_ok("CVE-2023-4911 pkg=musl # another package\n");
    assert!(glibc.entries()[0].matches(&looney()));
    assert!(common.entries()[0].matches(&looney()));
    assert!(!other.entries()[0].matches(&looney()));
    // PyPI names as the user writes them.
    for pkg in ["flask", "Flask", "FLASK"] {
        let file = parse_ok(&format!("PYSEC-2018-66 pkg={pkg} # not exposed\n"));
        assert!(file.entries()[0].matches(&flask()), "{pkg}");
    }
    let dashed = finding("CVE-2", &[], &["PYSEC-2"], PackageType::Python, "Flask_Login", "flask-login");
    assert!(parse_ok("CVE-2 pkg=flask.login # x\n").entries()[0].matches(&dashed));
}

#[test]
fn used_and_unused_entries() {
    let text = "\
CVE-2023-4911 # glibc, first
CVE-2023-4527 # glibc again: the first entry already ignores it
CVE-2018-1000656 until=2020-01-01 # expired
GHSA-562c-5r94-xh97 # flask, active
CVE-2099-0001 # names nothing
";
    let file = parse_ok(text);
    let applied = file.apply(vec![looney(), flask()], "2026-06-01");
    assert!(applied.kept.is_empty());
    let by: Vec<(&str, usize)> = applied.ignored.iter().map(|(f, i)| (f.id.as_str(), *i)).collect();
    assert_eq!(by, [("ALSA-2023:5453", 0), ("CVE-2018-1000656", 3)]);
    assert_eq!(applied.used, [0, 3]);
    assert_eq!(applied.expired_hits, [2]);
    // Unused across images: entries no image used.
    let unused: Vec<usize> = (0..file.entries().len()).filter(|i| !applied.used.contains(i)).collect();
    assert_eq!(unused, [1, 2, 4]);
    assert_eq!(file.entries()[4].line, 5);
}
