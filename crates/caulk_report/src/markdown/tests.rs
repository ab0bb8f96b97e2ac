//! The Markdown analysis of a report built by hand: sections, order, escaping, determinism. The
//! sample is shared with the HTML tests.

use caulk_core::{
    AffectedPackage, Diagnostic, Fix, FixAvailability, ImageLocation, PackageType, RuleMeta, Severity, SourceFile,
    TargetKind, TextRange, VulnFinding,
};

use super::render;
use crate::{
    AdvisoryData, FileReport, FixPreview, ImageReport, ImageSummary, LayerSummary, Report, TargetError, VulnScan,
};

const ROOT_LOGIN_DOCS: &str = " ## What it does\n Reports `PermitRootLogin yes`.\n\n ## Why is this bad?\n Root can log in\n over SSH.\n\n ## Example\n ```dockerfile\n RUN x\n ```\n\n ## References\n - [sshd_config(5)](https://man.openbsd.org/sshd_config)\n";

static ROOT_LOGIN: RuleMeta = RuleMeta {
    code: "DF205",
    name: "sshd-permit-root-login",
    summary: "SSH server allows root login",
    severity: Severity::Critical,
    target: TargetKind::Dockerfile,
    since: "0.1.0",
    fix: FixAvailability::None,
    aliases: &[],
    docs: ROOT_LOGIN_DOCS,
};

static UNPINNED: RuleMeta = RuleMeta {
    code: "DF301",
    name: "apt-get-unpinned",
    summary: "`apt-get install` without version pins",
    severity: Severity::Medium,
    target: TargetKind::Dockerfile,
    since: "0.1.0",
    fix: FixAvailability::None,
    aliases: &[],
    docs: " ## Why is this bad?\n Builds drift.\n",
};

static ROOT_USER: RuleMeta = RuleMeta {
    code: "DF202",
    name: "root-user",
    summary: "final image runs as root",
    severity: Severity::High,
    target: TargetKind::Dockerfile,
    since: "0.1.0",
    fix: FixAvailability::Sometimes,
    aliases: &[],
    docs: " ## Why is this bad?\n Root in the container.\n",
};

static INFO_RULE: RuleMeta = RuleMeta {
    code: "DF409",
    name: "package-manager-in-final-image",
    summary: "package manager left in the final image",
    severity: Severity::Info,
    target: TargetKind::Dockerfile,
    since: "0.1.0",
    fix: FixAvailability::None,
    aliases: &[],
    docs: "",
};

static IMAGE_SECRET: RuleMeta = RuleMeta {
    code: "IM201",
    name: "secret-file",
    summary: "private key in the image",
    severity: Severity::Critical,
    target: TargetKind::Image,
    since: "0.1.0",
    fix: FixAvailability::None,
    aliases: &[],
    docs: " ## Why is this bad?\n Anyone who pulls the image has the key.\n",
};

/// The docs callback the binary passes (`caulk_lint::rule::docs`): the leading space removed.
pub(crate) fn docs(meta: &RuleMeta) -> String {
    meta.docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
}

pub(crate) const DOCKERFILE: &str = "FROM ubuntu:18.04\nRUN apt-get update && apt-get install -y \\\n    curl \\\n    wget\nRUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config\nUSER root # <script>alert(1)</script> | `tick`\n";

fn at(text: &str, needle: &str) -> TextRange {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle} not in the sample"));
    TextRange::at(start, needle.len())
}

fn vuln(id: &str, pkg: &str, severity: Option<Severity>, fixed: Option<&str>) -> VulnFinding {
    VulnFinding {
        id: id.to_owned(),
        aliases: Vec::new(),
        advisories: vec![id.to_owned()],
        severity,
        score: None,
        vector: None,
        summary: Some(format!("{pkg} | overflow <b>")),
        fixed: fixed.map(str::to_owned),
        url: Some(format!("https://osv.dev/{id}")),
        ecosystem: "Alpine:v3.10".to_owned(),
        package: AffectedPackage {
            kind: PackageType::Apk,
            name: pkg.to_owned(),
            version: "1.0-r0".to_owned(),
            advisory_name: pkg.to_owned(),
            purl: format!("pkg:apk/alpine/{pkg}@1.0-r0"),
            path: "/lib/apk/db/installed".to_owned(),
            layer: Some(0),
            base: true,
        },
    }
}

/// A report with one Dockerfile (critical, high, two medium of one rule, info; a hostile
/// comment), one image (a critical file finding, layers, vulnerabilities), an unreadable target
/// and a fix preview.
pub(crate) fn sample() -> Report {
    let text = DOCKERFILE;
    let mut root_user = Diagnostic::new(
        &ROOT_USER,
        TextRange::at(text.find("USER root").unwrap_or(0) + 5, 4),
        "the final image runs as USER `root`",
    );
    root_user.help = Some("switch to an unprivileged user, e.g. `USER 10001`".to_owned());
    root_user.fix = Some(Fix::unsafe_edit("Switch to `USER 10001`", Vec::new()));
    let mut curl = Diagnostic::new(&UNPINNED, at(text, "curl"), "`curl` is installed without a version pin");
    curl.help = Some("pin it: `curl=<version>`".to_owned());
    let mut wget = Diagnostic::new(&UNPINNED, at(text, "wget"), "`wget` is installed without a version pin");
    wget.help = Some("pin it: `wget=<version>`".to_owned());
    let mut login = Diagnostic::new(
        &ROOT_LOGIN,
        at(text, "PermitRootLogin yes"),
        "`PermitRootLogin yes` lets root log in to the container over SSH",
    );
    login.help = Some("drop the SSH server (use `docker exec`)".to_owned());
    let info = Diagnostic::new(&INFO_RULE, at(text, "ubuntu:18.04"), "the final image keeps `apt`");
    let mut diagnostics = vec![info, curl, wget, login, root_user];
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let file = FileReport {
        source: SourceFile::new("app/<script>alert(1)</script>/Dockerfile", text),
        kind: TargetKind::Dockerfile,
        diagnostics,
        suppressed: 1,
    };

    let mut key = Diagnostic::in_image(
        &IMAGE_SECRET,
        ImageLocation {
            path: Some("/root/<script>evil</script>|id_rsa".to_owned()),
            layer: Some(1),
            layer_digest: Some("sha256:bbb".to_owned()),
            instruction: Some("COPY id_rsa /root/ # <img src=x onerror=alert(1)>".to_owned()),
            base_layer: Some(false),
        },
        "private key `/root/id_rsa` is in the image",
    );
    key.help = Some("remove it and rotate the key".to_owned());
    let image = ImageReport {
        summary: ImageSummary {
            reference: "registry.example/app:1.0".to_owned(),
            source_kind: "docker-archive",
            manifest_digest: Some("sha256:aaa".to_owned()),
            config_digest: None,
            platform: Some("linux/amd64".to_owned()),
            os: Some("Alpine Linux v3.10".to_owned()),
            tier: Some("alpine".to_owned()),
            layers: vec![
                LayerSummary {
                    digest: Some("sha256:l0".to_owned()),
                    instruction: Some("ADD file:abc in /".to_owned()),
                    size: 5_800_000,
                    base: true,
                },
                LayerSummary {
                    digest: Some("sha256:l1".to_owned()),
                    instruction: Some("COPY id_rsa /root/ # a|b".to_owned()),
                    size: 1_700,
                    base: false,
                },
            ],
            size_total: 5_801_700,
            size_visible: 5_700_000,
            size_wasted: 101_700,
            packages: vec![("apk".to_owned(), 14)],
        },
        diagnostics: vec![key],
        vulnerabilities: vec![
            vuln("CVE-2019-0001", "musl", Some(Severity::High), Some("1.1-r0")),
            vuln("CVE-2019-0002", "musl", Some(Severity::Critical), Some("1.2-r0")),
            vuln("CVE-2019-0003", "zlib", None, None),
            vuln("CVE-2019-0004", "zlib", Some(Severity::Low), Some("1.3-r0")),
        ],
        vuln_scan: VulnScan::Done { packages_checked: 14, packages_unsupported: 0, ignored: 0, filtered: 0 },
    };
    let mut report = Report {
        files: vec![file],
        images: vec![image],
        errors: vec![TargetError { path: "missing/Dockerfile".to_owned(), message: "no such file".to_owned() }],
        advisory_data: vec![AdvisoryData {
            location: "alpine-secdb-v3.3-v3.11.tar.gz".to_owned(),
            imported_at: "2026-11-22T00:00:00Z".to_owned(),
            records: 1234,
        }],
        fix_previews: vec![FixPreview {
            path: "app/Dockerfile".to_owned(),
            before: text.to_owned(),
            after: text.replace("USER root", "USER 10001"),
            applied: 1,
        }],
        ..Report::default()
    };
    report.sort();
    report
}

fn position(doc: &str, needle: &str) -> usize {
    doc.find(needle).unwrap_or_else(|| panic!("{needle:?} missing from:\n{doc}"))
}

#[test]
fn has_every_section_in_order() {
    let doc = render(&sample(), "9.9.9", &docs);
    let order = [
        "# Security Analysis: ",
        "## Executive Summary",
        "**Top risks**",
        "**Verdict**: ❌ **Not fit for production**",
        "## Dockerfile: ",
        "## Image: `registry.example/app:1.0`",
        "### Base Details",
        "#### Layers",
        "### Known Vulnerabilities",
        "#### Top Vulnerabilities",
        "## Targets That Could Not Be Read",
        "## Vulnerability Remediation Steps",
        "### Specific Changes: `app/Dockerfile`",
        "## Data Provenance",
        "## References",
    ];
    let mut last = 0;
    for heading in order {
        let at = position(doc.get(last..).unwrap_or_default(), heading) + last;
        last = at;
    }
    assert!(doc.contains("caulk 9.9.9"), "{doc}");
}

#[test]
fn summary_counts_findings_and_vulnerabilities_by_severity() {
    let doc = render(&sample(), "0", &docs);
    assert!(doc.contains("caulk analysed 1 Dockerfile and 1 container image"), "{doc}");
    assert!(doc.contains("found **6 findings** (2 critical, 1 high, 2 medium, 1 info)"), "{doc}");
    assert!(doc.contains("**4 known vulnerabilities** (1 critical, 1 high, 1 low, 1 unrated)"), "{doc}");
    assert!(doc.contains("| 🔴 Critical | 2 | 1 |"), "{doc}");
    assert!(doc.contains("| Unrated | – | 1 |"), "{doc}");
    assert!(doc.contains("| **Total** | **6** | **4** |"), "{doc}");
    // the top risks name the culprits, most severe first, then the serious vulnerabilities
    let risks = doc.lines().find(|l| l.starts_with("**Top risks**")).unwrap_or_default();
    let login = position(risks, "`PermitRootLogin yes`");
    let root = position(risks, "USER `root`");
    assert!(login < root, "{risks}");
    assert!(risks.contains("2 known vulnerabilities rated critical or high in `musl`"), "{risks}");
}

#[test]
fn findings_are_grouped_by_severity_critical_first_and_by_rule() {
    let doc = render(&sample(), "0", &docs);
    let dockerfile = &doc[position(&doc, "## Dockerfile: ")..position(&doc, "## Image: ")];
    let critical = position(dockerfile, "### Critical Issues (1)");
    let high = position(dockerfile, "### High Issues (1)");
    let medium = position(dockerfile, "### Medium Issues (2)");
    let info = position(dockerfile, "### Info Issues (1)");
    assert!(critical < high && high < medium && medium < info, "{dockerfile}");
    assert!(!dockerfile.contains("### Low"), "{dockerfile}");
    // one entry for both unpinned packages, with both culprits and the whole RUN as evidence
    assert!(
        dockerfile.contains("#### 3. **`apt-get install` without version pins (2 findings)** 🟡 MEDIUM"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("`DF301` apt-get-unpinned · lines 3 and 4"), "{dockerfile}");
    assert!(
        dockerfile.contains("```dockerfile\nRUN apt-get update && apt-get install -y \\\n    curl \\\n    wget\n```"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("- **Fix**: pin it: `curl=<version>` (and likewise for the other 1 finding)"));
    // why it matters comes from the rule's docs, joined into one paragraph
    assert!(dockerfile.contains("- **Why it matters**: Root can log in over SSH."), "{dockerfile}");
    assert!(dockerfile.contains("- **Automatic fix**: Switch to `USER 10001` (`caulk fix --unsafe-fixes`)"));
    // numbering runs on into the image section
    assert!(doc.contains("#### 5. **Private key `/root/id_rsa` is in the image** 🔴 CRITICAL"), "{doc}");
}

#[test]
fn image_section_has_facts_place_and_vulnerabilities() {
    let doc = render(&sample(), "0", &docs);
    let image = &doc[position(&doc, "## Image: ")..position(&doc, "## Targets That Could Not Be Read")];
    assert!(image.contains("- **OS**: Alpine Linux v3.10"), "{image}");
    assert!(image.contains("- **Tier**: `alpine`"), "{image}");
    assert!(image.contains("- **Size**: 5.7 MB in 2 layers (1 from the base image); 101.7 kB wasted, 98.2% efficient"));
    assert!(image.contains("- **Packages**: 14 (14 apk)"), "{image}");
    // a `|` inside an instruction is escaped even in code, so the table keeps its columns
    assert!(image.contains("| 1 | 1.7 kB | this image | `COPY id_rsa /root/ # a\\|b` |"), "{image}");
    assert!(image.contains(", layer 1, created by `COPY id_rsa /root/ # <img src=x onerror=alert(1)>`"), "{image}");
    // vulnerabilities: most severe first, unrated last, summaries escaped
    let crit = position(image, "[CVE-2019-0002](https://osv.dev/CVE-2019-0002)");
    let high = position(image, "[CVE-2019-0001]");
    let unrated = position(image, "| unrated | [CVE-2019-0003]");
    assert!(crit < high && high < unrated, "{image}");
    assert!(image.contains("musl \\| overflow \\<b\\>"), "{image}");
    assert!(image.contains("1 without a fixed version yet"), "{image}");
}

#[test]
fn remediation_is_a_checklist_by_priority_deduplicated_by_rule() {
    let doc = render(&sample(), "0", &docs);
    let steps = &doc[position(&doc, "## Vulnerability Remediation Steps")..position(&doc, "### Specific Changes")];
    let immediate = position(steps, "1. **Immediate (Critical)**:");
    let high = position(steps, "2. **High Priority**:");
    let medium = position(steps, "3. **Medium Priority**:");
    assert!(immediate < high && high < medium, "{steps}");
    assert_eq!(steps.matches("(`DF301`").count(), 1, "one step per rule: {steps}");
    assert!(
        steps.contains(
            "   - [ ] SSH server allows root login: drop the SSH server (use `docker exec`) (`DF205`, line 5)"
        ),
        "{steps}"
    );
    // info findings are not remediation steps
    assert!(!steps.contains("DF409"), "{steps}");
    // the image: one upgrade per package, at its most severe vulnerability, to the highest fix
    assert!(
        steps.contains(
            "- [ ] Upgrade `musl` from `1.0-r0` to `1.2-r0` or later (fixes `CVE-2019-0002`, `CVE-2019-0001`)"
        ),
        "{steps}"
    );
    assert!(!steps.contains("Upgrade `zlib`"), "a low-only upgrade is not a step: {steps}");
    let image = &steps[position(steps, "### For image `registry.example/app:1.0`:")..];
    assert!(position(image, "Private key in the image") < position(image, "Upgrade `musl`"), "{image}");
}

#[test]
fn fix_preview_is_a_diff_and_the_whole_file() {
    let doc = render(&sample(), "0", &docs);
    let changes = &doc[position(&doc, "### Specific Changes")..position(&doc, "## Data Provenance")];
    assert!(changes.contains("applies 1 fix to this Dockerfile"), "{changes}");
    assert!(changes.contains("```diff\n"), "{changes}");
    assert!(changes.contains("\n-USER root # <script>"), "{changes}");
    assert!(changes.contains("\n+USER 10001 # <script>"), "{changes}");
    assert!(changes.contains("@@ 3 lines unchanged @@"), "{changes}");
    assert!(changes.contains("<details>") && changes.contains("```dockerfile\nFROM ubuntu:18.04\n"), "{changes}");
}

#[test]
fn user_strings_are_escaped_outside_code_and_verbatim_inside() {
    let doc = render(&sample(), "0", &docs);
    // the path is code: shown verbatim, so no live HTML reaches a Markdown renderer
    assert!(doc.contains("## Dockerfile: `app/<script>alert(1)</script>/Dockerfile`"), "{doc}");
    assert!(doc.contains("USER root # <script>alert(1)</script> | `tick`\n```"), "the excerpt is verbatim");
    // outside fenced blocks and code spans, no tag is left as written
    let mut fenced = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for span in super::analysis::spans(line, false) {
            if let super::analysis::Span::Text(t) = span {
                assert!(!t.contains("<script") && !t.contains("<img") && !t.contains("<b>"), "live markup: {line}");
            }
        }
    }
    // an excerpt holding backticks is fenced with more backticks than it holds
    assert!(crate::markdown::inline("a ``b`` `c").contains("\\`"), "an unpaired backtick is escaped");
    assert_eq!(crate::markdown::code("a`b"), "``a`b``");
    assert_eq!(crate::markdown::code("`x"), "`` `x ``");
    assert_eq!(crate::markdown::text("*a* <b> [c] | d_e"), "\\*a\\* \\<b\\> \\[c\\] \\| d\\_e");
}

#[test]
fn an_empty_report_is_a_short_clean_bill() {
    let doc = render(&Report::default(), "0", &docs);
    assert!(doc.contains("caulk analysed nothing and found **no findings**"), "{doc}");
    assert!(doc.contains("✅ **No significant risk found**"), "{doc}");
    assert!(!doc.contains("## Vulnerability Remediation Steps"), "{doc}");
}

#[test]
fn skipped_matching_says_so() {
    let mut report = sample();
    report.images[0].vuln_scan = VulnScan::Skipped { reason: "no advisory store".to_owned() };
    report.images[0].vulnerabilities.clear();
    let doc = render(&report, "0", &docs);
    assert!(doc.contains("> **Vulnerability matching was skipped**: no advisory store. Every other check ran."));
    assert!(!doc.contains("#### Top Vulnerabilities"), "{doc}");
}

#[test]
fn output_is_deterministic() {
    let a = render(&sample(), "1.0.0", &docs);
    let b = render(&sample(), "1.0.0", &docs);
    assert_eq!(a, b);
}

#[test]
fn line_diff_keeps_context_and_counts_what_it_skips() {
    use super::analysis::{DiffLine, diff};
    let before: String = (1..=20).map(|i| format!("line {i}")).collect::<Vec<_>>().join("\n") + "\n";
    let after = before.replace("line 3\n", "line three\n").replace("line 18\n", "");
    let d = diff(&before, &after, 1).unwrap_or_default();
    assert_eq!(
        d,
        [
            DiffLine::Skipped(1),
            DiffLine::Same("line 2"),
            DiffLine::Removed("line 3"),
            DiffLine::Added("line three"),
            DiffLine::Same("line 4"),
            DiffLine::Skipped(12),
            DiffLine::Same("line 17"),
            DiffLine::Removed("line 18"),
            DiffLine::Same("line 19"),
            DiffLine::Skipped(1),
        ]
    );
    let crlf = diff("a\r\nb\r\n", "a\r\nc\r\n", 3).unwrap_or_default();
    assert_eq!(crlf, [DiffLine::Same("a"), DiffLine::Removed("b"), DiffLine::Added("c")]);
    let huge = "x\n".repeat(5000);
    assert!(diff(&huge, "y\n", 3).is_none(), "too large to read as a diff");
}
