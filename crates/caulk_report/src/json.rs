//! caulk's own JSON output: a versioned, documented schema (`docs/json-output.md`) that scripts
//! can rely on. Field names are snake_case and never renamed silently.

use serde::Serialize;

use caulk_core::{Diagnostic, SourceFile};

use crate::{Counts, Report, VulnScan};

/// Bumped on any incompatible change to the JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    files: Vec<JsonFile<'a>>,
    images: Vec<JsonImage<'a>>,
    errors: Vec<JsonError<'a>>,
    advisory_data: Vec<JsonAdvisoryData<'a>>,
}

#[derive(Serialize)]
struct JsonAdvisoryData<'a> {
    location: &'a str,
    imported_at: &'a str,
    records: usize,
}

#[derive(Serialize)]
struct VulnSummary {
    total: usize,
    by_severity: Counts,
    unrated: usize,
    unfixed: usize,
}

#[derive(Serialize)]
struct JsonVulnScan<'a> {
    /// `done`, `skipped` or `not_run`.
    status: &'static str,
    reason: Option<&'a str>,
    packages_checked: usize,
    packages_unsupported: usize,
    ignored: usize,
    filtered: usize,
}

#[derive(Serialize)]
struct JsonVuln<'a> {
    id: &'a str,
    aliases: &'a [String],
    advisories: &'a [String],
    severity: Option<&'static str>,
    score: Option<f64>,
    vector: Option<&'a str>,
    summary: Option<&'a str>,
    fixed_version: Option<&'a str>,
    url: Option<&'a str>,
    ecosystem: &'a str,
    package: JsonVulnPackage<'a>,
}

#[derive(Serialize)]
struct JsonVulnPackage<'a> {
    name: &'a str,
    version: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    advisory_name: &'a str,
    purl: &'a str,
    path: &'a str,
    layer: Option<u32>,
    base_layer: bool,
}

#[derive(Serialize)]
struct JsonImage<'a> {
    reference: &'a str,
    source: &'static str,
    manifest_digest: Option<&'a str>,
    config_digest: Option<&'a str>,
    platform: Option<&'a str>,
    os: Option<&'a str>,
    tier: Option<&'a str>,
    size: JsonSize,
    layers: Vec<JsonLayer<'a>>,
    packages: std::collections::BTreeMap<&'a str, usize>,
    findings: Vec<ImageFinding<'a>>,
    vulnerability_scan: JsonVulnScan<'a>,
    vulnerabilities: Vec<JsonVuln<'a>>,
}

#[derive(Serialize)]
struct JsonSize {
    total: u64,
    visible: u64,
    wasted: u64,
}

#[derive(Serialize)]
struct JsonLayer<'a> {
    digest: Option<&'a str>,
    instruction: Option<&'a str>,
    size: u64,
    base: bool,
}

#[derive(Serialize)]
struct ImageFinding<'a> {
    code: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    location: ImageLoc<'a>,
}

#[derive(Serialize)]
struct ImageLoc<'a> {
    path: Option<&'a str>,
    layer: Option<u32>,
    layer_digest: Option<&'a str>,
    instruction: Option<&'a str>,
    base_layer: Option<bool>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    images: usize,
    findings: usize,
    suppressed: usize,
    by_severity: Counts,
    vulnerabilities: VulnSummary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    kind: &'static str,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    location: Location,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct Location {
    start: Position,
    end: Position,
    /// Byte offsets `[start, end)` into the file.
    byte_range: [u32; 2],
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    location: Location,
    content: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

fn location(source: &SourceFile, range: caulk_core::TextRange) -> Location {
    let s = source.line_col(range.start);
    let e = source.line_col(range.end);
    Location {
        start: Position { line: s.line, column: s.column },
        end: Position { line: e.line, column: e.column },
        byte_range: [range.start, range.end],
    }
}

fn finding<'a>(source: &SourceFile, d: &'a Diagnostic) -> Finding<'a> {
    Finding {
        code: d.rule.code,
        name: d.rule.name,
        aliases: d.rule.aliases,
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        location: location(source, d.range),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability.as_str(),
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit { location: location(source, e.range), content: &e.content })
                .collect(),
        }),
    }
}

fn image(i: &crate::ImageReport) -> JsonImage<'_> {
    let s = &i.summary;
    JsonImage {
        reference: &s.reference,
        source: s.source_kind,
        manifest_digest: s.manifest_digest.as_deref(),
        config_digest: s.config_digest.as_deref(),
        platform: s.platform.as_deref(),
        os: s.os.as_deref(),
        tier: s.tier.as_deref(),
        size: JsonSize { total: s.size_total, visible: s.size_visible, wasted: s.size_wasted },
        layers: s
            .layers
            .iter()
            .map(|l| JsonLayer {
                digest: l.digest.as_deref(),
                instruction: l.instruction.as_deref(),
                size: l.size,
                base: l.base,
            })
            .collect(),
        packages: s.packages.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
        findings: i
            .diagnostics
            .iter()
            .map(|d| {
                let loc = d.image.as_deref();
                ImageFinding {
                    code: d.rule.code,
                    name: d.rule.name,
                    aliases: d.rule.aliases,
                    severity: d.severity.as_str(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    location: ImageLoc {
                        path: loc.and_then(|l| l.path.as_deref()),
                        layer: loc.and_then(|l| l.layer),
                        layer_digest: loc.and_then(|l| l.layer_digest.as_deref()),
                        instruction: loc.and_then(|l| l.instruction.as_deref()),
                        base_layer: loc.and_then(|l| l.base_layer),
                    },
                }
            })
            .collect(),
        vulnerability_scan: vuln_scan(&i.vuln_scan),
        vulnerabilities: i
            .vulnerabilities
            .iter()
            .map(|v| JsonVuln {
                id: &v.id,
                aliases: &v.aliases,
                advisories: &v.advisories,
                severity: v.severity.map(caulk_core::Severity::as_str),
                score: v.score,
                vector: v.vector.as_deref(),
                summary: v.summary.as_deref(),
                fixed_version: v.fixed.as_deref(),
                url: v.url.as_deref(),
                ecosystem: &v.ecosystem,
                package: JsonVulnPackage {
                    name: &v.package.name,
                    version: &v.package.version,
                    kind: v.package.kind.as_str(),
                    advisory_name: &v.package.advisory_name,
                    purl: &v.package.purl,
                    path: &v.package.path,
                    layer: v.package.layer,
                    base_layer: v.package.base,
                },
            })
            .collect(),
    }
}

fn vuln_scan(scan: &VulnScan) -> JsonVulnScan<'_> {
    let mut out = JsonVulnScan {
        status: "not_run",
        reason: None,
        packages_checked: 0,
        packages_unsupported: 0,
        ignored: 0,
        filtered: 0,
    };
    match scan {
        VulnScan::NotRun => {}
        VulnScan::Skipped { reason } => {
            out.status = "skipped";
            out.reason = Some(reason);
        }
        VulnScan::Done { packages_checked, packages_unsupported, ignored, filtered } => {
            out.status = "done";
            out.packages_checked = *packages_checked;
            out.packages_unsupported = *packages_unsupported;
            out.ignored = *ignored;
            out.filtered = *filtered;
        }
    }
    out
}

fn vuln_summary(report: &Report) -> VulnSummary {
    let (by_severity, unrated) = report.vuln_counts();
    VulnSummary {
        total: by_severity.total() + unrated,
        by_severity,
        unrated,
        unfixed: report.all_vulnerabilities().filter(|v| v.fixed.is_none()).count(),
    }
}

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report, version: &'static str) -> String {
    let counts = report.counts();
    let out = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "caulk", version },
        summary: Summary {
            files: report.files.len(),
            images: report.images.len(),
            findings: counts.total(),
            suppressed: report.suppressed(),
            by_severity: counts,
            vulnerabilities: vuln_summary(report),
        },
        files: report
            .files
            .iter()
            .map(|f| JsonFile {
                path: f.source.path(),
                kind: f.kind.as_str(),
                findings: f.diagnostics.iter().map(|d| finding(&f.source, d)).collect(),
            })
            .collect(),
        images: report.images.iter().map(image).collect(),
        errors: report.errors.iter().map(|e| JsonError { path: &e.path, message: &e.message }).collect(),
        advisory_data: report
            .advisory_data
            .iter()
            .map(|d| JsonAdvisoryData { location: &d.location, imported_at: &d.imported_at, records: d.records })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
