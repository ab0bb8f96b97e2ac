//! Every renderer on one small report: positions, escaping, determinism.

use caulk_core::{AffectedPackage, PackageType, VulnFinding};
use caulk_core::{Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity, SourceFile, TargetKind, TextRange};
use caulk_report::{AdvisoryData, FileReport, ImageReport, ImageSummary, Report, TargetError, VulnScan};

static RULE: RuleMeta = RuleMeta {
    code: "DF301",
    name: "apt-get-unpinned",
    summary: "apt-get install without version pins",
    severity: Severity::Medium,
    target: TargetKind::Dockerfile,
    since: "0.1.0",
    fix: FixAvailability::Sometimes,
    aliases: &["DL3008"],
    docs: "## What it does\nx\n",
};

fn report() -> Report {
    let text = "FROM debian:13\nRUN apt-get install -y curl <&>\"é\n";
    let at = u32::try_from(text.find("curl").unwrap_or(0)).unwrap_or(0);
    let d = Diagnostic::new(&RULE, TextRange::new(at, at + 4), "`curl` is installed without a version pin <&>\"")
        .with_help("pin it")
        .with_fix(Fix::safe("pin curl", vec![Edit::insert(at + 4, "=1.0")]));
    let mut r = Report {
        files: vec![FileReport {
            source: SourceFile::new("app/Dockerfile", text),
            kind: TargetKind::Dockerfile,
            diagnostics: vec![d],
            suppressed: 2,
        }],
        errors: vec![TargetError { path: "gone/Dockerfile".to_owned(), message: "no such file".to_owned() }],
        rules: vec![&RULE],
        images: vec![],
        advisory_data: vec![],
        fix_previews: vec![],
    };
    r.sort();
    r
}

#[test]
fn text_has_position_excerpt_help_and_summary() {
    let out = caulk_report::text::render(&report(), false);
    assert!(out.contains("medium[DF301]: `curl` is installed without a version pin"), "{out}");
    assert!(out.contains("--> app/Dockerfile:2:24"), "{out}");
    assert!(out.contains("^^^^"), "{out}");
    assert!(out.contains("help: pin it"), "{out}");
    assert!(out.contains("fix available (safe): pin curl"), "{out}");
    assert!(out.contains("Found 1 finding (1 medium) in 1 file. 2 suppressed."), "{out}");
    assert!(out.contains("error: gone/Dockerfile: no such file"), "{out}");
    assert!(!out.contains('\u{1b}'), "plain output has no ANSI codes");
    assert!(caulk_report::text::render(&report(), true).contains('\u{1b}'));
}

#[test]
fn json_positions_and_fix() {
    let v: serde_json::Value =
        serde_json::from_str(&caulk_report::json::render(&report(), "0.1.0")).unwrap_or_default();
    let f = &v["files"][0]["findings"][0];
    assert_eq!(f["location"]["start"]["line"], 2);
    assert_eq!(f["location"]["start"]["column"], 24);
    assert_eq!(f["aliases"][0], "DL3008");
    assert_eq!(f["fix"]["applicability"], "safe");
    assert_eq!(v["summary"]["suppressed"], 2);
    assert_eq!(v["errors"][0]["path"], "gone/Dockerfile");
}

#[test]
fn checkstyle_escapes_xml() {
    let out = caulk_report::checkstyle::render(&report());
    assert!(out.contains("<file name=\"app/Dockerfile\">"));
    assert!(out.contains("message=\"`curl` is installed without a version pin &lt;&amp;&gt;&quot;\""), "{out}");
    assert!(out.contains("line=\"2\" column=\"24\" severity=\"warning\""));
}

#[test]
fn gitlab_fingerprints_are_stable_and_severity_mapped() {
    let a = caulk_report::gitlab::render(&report());
    assert_eq!(a, caulk_report::gitlab::render(&report()));
    let v: serde_json::Value = serde_json::from_str(&a).unwrap_or_default();
    assert_eq!(v[0]["severity"], "major");
    assert_eq!(v[0]["location"]["lines"]["begin"], 2);
    assert_eq!(v[0]["fingerprint"].as_str().map(str::len), Some(16));
}

#[test]
fn github_annotations_escape_properties() {
    let out = caulk_report::github::render(&report());
    assert!(
        out.starts_with(
            "::warning file=app/Dockerfile,line=2,col=24,endLine=2,endColumn=28,title=DF301 apt-get-unpinned (medium)::"
        ),
        "{out}"
    );
}

#[test]
fn sarif_regions_and_fixes() {
    let out = caulk_report::sarif::render(&report(), "0.1.0", &|m| m.docs.to_owned());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "DF301");
    assert_eq!(r["ruleIndex"], 0);
    assert_eq!(r["level"], "warning");
    assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startColumn"], 24);
    assert_eq!(r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "=1.0");
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], false);
}

fn finding(id: &str, severity: Option<Severity>, fixed: Option<&str>) -> VulnFinding {
    VulnFinding {
        id: id.to_owned(),
        aliases: vec!["PYSEC-2018-66".to_owned()],
        advisories: vec!["PYSEC-2018-66".to_owned()],
        severity,
        score: severity.map(|_| 7.5),
        vector: severity.map(|_| "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".to_owned()),
        summary: Some("Flask denial of service via crafted JSON".to_owned()),
        fixed: fixed.map(str::to_owned),
        url: Some("https://osv.dev/PYSEC-2018-66".to_owned()),
        ecosystem: "PyPI".to_owned(),
        package: AffectedPackage {
            kind: PackageType::Python,
            name: "Flask".to_owned(),
            version: "0.12.2".to_owned(),
            advisory_name: "flask".to_owned(),
            purl: "pkg:pypi/flask@0.12.2".to_owned(),
            path: "/usr/lib/python3/site-packages/Flask-0.12.2.dist-info/METADATA".to_owned(),
            layer: Some(1),
            base: false,
        },
    }
}

fn vuln_report() -> Report {
    let mut r = Report {
        images: vec![ImageReport {
            summary: ImageSummary {
                reference: "app.tar".to_owned(),
                source_kind: "docker-archive",
                ..ImageSummary::default()
            },
            diagnostics: vec![],
            vulnerabilities: vec![
                finding("CVE-2019-1010083", None, None),
                finding("CVE-2018-1000656", Some(Severity::High), Some("0.12.3")),
            ],
            vuln_scan: VulnScan::Done { packages_checked: 4, packages_unsupported: 0, ignored: 1, filtered: 0 },
        }],
        advisory_data: vec![AdvisoryData {
            location: "pypa-osv.tar.gz".to_owned(),
            imported_at: "2026-11-23T10:00:00Z".to_owned(),
            records: 2651,
        }],
        ..Report::default()
    };
    r.sort();
    r
}

#[test]
fn vulnerabilities_in_text() {
    let out = caulk_report::text::render(&vuln_report(), false);
    assert!(
        out.contains("vulnerabilities: 2 (1 high, 1 unrated) in 4 packages checked; 1 without a fix yet; 1 ignored"),
        "{out}"
    );
    assert!(out.contains("high     CVE-2018-1000656  Flask 0.12.2 (python), fixed in 0.12.3"), "{out}");
    assert!(out.contains("unrated  CVE-2019-1010083  Flask 0.12.2 (python), no fix yet"), "{out}");
    assert!(out.contains("PYSEC-2018-66 · Flask denial of service via crafted JSON · /usr/lib/python3/site-packages/Flask-0.12.2.dist-info/METADATA, layer 1"), "{out}");
    assert!(out.contains("pypa-osv.tar.gz (2651 advisories, imported 2026-11-23T10:00:00Z)"), "{out}");
    assert!(out.contains("2 known vulnerabilities (1 high, 1 unrated)."), "{out}");
}

#[test]
fn vulnerabilities_in_json_and_sarif() {
    let r = vuln_report();
    let json: serde_json::Value = serde_json::from_str(&caulk_report::json::render(&r, "0.1.0")).unwrap();
    let v = &json["images"][0]["vulnerabilities"];
    assert_eq!(v[0]["id"], "CVE-2018-1000656");
    assert_eq!(v[0]["fixed_version"], "0.12.3");
    assert_eq!(v[0]["package"]["purl"], "pkg:pypi/flask@0.12.2");
    assert_eq!(v[1]["severity"], serde_json::Value::Null);
    assert_eq!(json["summary"]["vulnerabilities"]["unfixed"], 1);
    assert_eq!(json["summary"]["vulnerabilities"]["by_severity"]["high"], 1);
    assert_eq!(json["images"][0]["vulnerability_scan"]["ignored"], 1);
    assert_eq!(json["advisory_data"][0]["records"], 2651);
    // An unrated vulnerability still fails `--fail-on info`.
    assert_eq!(r.max_severity(), Some(Severity::High));

    let sarif: serde_json::Value =
        serde_json::from_str(&caulk_report::sarif::render(&r, "0.1.0", &|_| String::new())).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
    }
    let high = results.iter().find(|x| x["ruleId"] == "CVE-2018-1000656").unwrap();
    assert_eq!(high["level"], "error");
    assert_eq!(high["properties"]["fixedVersion"], "0.12.3");
    let rule = rules.iter().find(|x| x["id"] == "CVE-2018-1000656").unwrap();
    assert_eq!(rule["properties"]["security-severity"], "7.5");
}
