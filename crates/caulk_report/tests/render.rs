//! Every renderer on one small report: positions, escaping, determinism.

use caulk_core::{Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity, SourceFile, TargetKind, TextRange};
use caulk_report::{FileReport, Report, TargetError};

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
