//! SARIF 2.1.0, the format GitHub code scanning and DefectDojo ingest. Every rule is listed in
//! the driver; results carry exact regions (line/column and byte offsets) and fixes.

use serde_json::{Value, json};

use caulk_core::{Applicability, Diagnostic, RuleMeta, Severity, SourceFile, TextRange, VulnFinding};

use crate::Report;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score) so alerts sort as the severity says.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn rule(meta: &RuleMeta, docs: &str) -> Value {
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": meta.summary },
        "help": { "text": docs, "markdown": docs },
        "helpUri": format!("https://caulk.invalid/rules/{}", meta.code),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": {
            "tags": ["security", meta.target.as_str()],
            "aliases": meta.aliases,
            "security-severity": security_severity(meta.severity),
            "precision": "high",
        },
    })
}

fn region(source: &SourceFile, range: TextRange) -> Value {
    let s = source.line_col(range.start);
    let e = source.line_col(range.end);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
        "charOffset": range.start,
        "charLength": range.len(),
    })
}

/// What every result has: the rule, its level, the message (with where in an image and the hint),
/// `locations`, the severity and rule name plus `properties`, and the rule's index in the driver.
fn base_result(d: &Diagnostic, locations: &Value, properties: Value, rule_index: Option<usize>) -> Value {
    let mut message = d.message.clone();
    if let Some(w) = crate::text::image_where(d) {
        message.push_str("\nIn ");
        message.push_str(&w);
    }
    if let Some(help) = &d.help {
        message.push_str("\nHelp: ");
        message.push_str(help);
    }
    let mut props = json!({ "severity": d.severity.as_str(), "name": d.rule.name });
    if let (Some(all), Value::Object(extra)) = (props.as_object_mut(), properties) {
        all.extend(extra);
    }
    let mut r = json!({
        "ruleId": d.rule.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": locations,
        "properties": props,
    });
    if let (Some(i), Some(obj)) = (rule_index, r.as_object_mut()) {
        obj.insert("ruleIndex".to_owned(), json!(i));
    }
    r
}

fn result(source: &SourceFile, d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let locations = json!([{
        "physicalLocation": {
            "artifactLocation": { "uri": uri(source.path()) },
            "region": region(source, d.range),
        }
    }]);
    let mut r = base_result(d, &locations, json!({}), rule_index);
    if let Some(fix) = d.fix.as_ref().filter(|f| f.applicability != Applicability::DisplayOnly)
        && let Some(obj) = r.as_object_mut()
    {
        obj.insert(
            "fixes".to_owned(),
            json!([{
                "description": { "text": fix.title },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri(source.path()) },
                    "replacements": fix.edits.iter().map(|e| json!({
                        "deletedRegion": region(source, e.range),
                        "insertedContent": { "text": e.content },
                    })).collect::<Vec<_>>(),
                }],
            }]),
        );
    }
    r
}

/// An image finding: the image is the artifact (line 1, as GitHub code scanning requires a
/// region), the path inside it a logical location; layer and instruction go in properties.
fn image_result(reference: &str, d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let loc = d.image.as_deref();
    let path = loc.and_then(|l| l.path.as_deref());
    let locations = json!([{
        "physicalLocation": {
            "artifactLocation": { "uri": uri(reference) },
            "region": { "startLine": 1 },
        },
        "logicalLocations": [{
            "fullyQualifiedName": path.unwrap_or("(image configuration)"),
            "kind": "resource",
        }],
    }]);
    let properties = json!({
        "image": reference,
        "path": path,
        "layer": loc.and_then(|l| l.layer),
        "layerDigest": loc.and_then(|l| l.layer_digest.as_deref()),
        "instruction": loc.and_then(|l| l.instruction.as_deref()),
        "baseLayer": loc.and_then(|l| l.base_layer),
    });
    base_result(d, &locations, properties, rule_index)
}

/// A vulnerability as a SARIF rule, one per id (Trivy and Grype do the same, so GitHub groups
/// alerts by CVE); `security-severity` is the CVSS score when known.
fn vuln_rule(v: &VulnFinding) -> Value {
    let severity = v.severity.unwrap_or(Severity::Info);
    let title = v.summary.clone().unwrap_or_else(|| format!("{} in {}", v.id, v.package.advisory_name));
    let mut help =
        format!("{title}\n\nAliases: {}", if v.aliases.is_empty() { "-".to_owned() } else { v.aliases.join(", ") });
    if let Some(url) = &v.url {
        help.push_str("\nMore: ");
        help.push_str(url);
    }
    let mut r = json!({
        "id": v.id,
        "name": "known-vulnerability",
        "shortDescription": { "text": title },
        "fullDescription": { "text": title },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(severity) },
        "properties": {
            "tags": ["security", "vulnerability", v.ecosystem],
            "aliases": v.aliases,
            "security-severity": v.score.map_or_else(|| security_severity(severity).to_owned(), |s| format!("{s:.1}")),
            "precision": "very-high",
        },
    });
    if let (Some(url), Some(obj)) = (&v.url, r.as_object_mut()) {
        obj.insert("helpUri".to_owned(), json!(url));
    }
    r
}

/// A vulnerability result: the image is the artifact, the package's record the logical location.
fn vuln_result(reference: &str, v: &VulnFinding, rule_index: usize) -> Value {
    let severity = v.severity.unwrap_or(Severity::Info);
    let fix = v.fixed.as_deref().map_or_else(|| "no fixed version yet".to_owned(), |f| format!("fixed in {f}"));
    let message = format!(
        "{} {} ({}) is affected by {}: {}; {fix}",
        v.package.name,
        v.package.version,
        v.package.kind.as_str(),
        v.id,
        v.summary.as_deref().unwrap_or("known vulnerability")
    );
    json!({
        "ruleId": v.id,
        "ruleIndex": rule_index,
        "level": level(severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(reference) },
                "region": { "startLine": 1 },
            },
            "logicalLocations": [{ "fullyQualifiedName": v.package.path, "kind": "resource" }],
        }],
        "properties": {
            "severity": v.severity.map_or("unrated", Severity::as_str),
            "image": reference,
            "package": v.package.name,
            "version": v.package.version,
            "purl": v.package.purl,
            "fixedVersion": v.fixed,
            "ecosystem": v.ecosystem,
            "advisories": v.advisories,
            "aliases": v.aliases,
            "path": v.package.path,
            "layer": v.package.layer,
            "baseLayer": v.package.base,
        },
    })
}

/// A relative path as a URI reference: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.trim_start_matches("./").chars() {
        match c {
            '\\' => out.push('/'),
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as a SARIF 2.1.0 log. `docs` gives a rule's Markdown documentation.
pub fn render(report: &Report, version: &str, docs: &dyn Fn(&RuleMeta) -> String) -> String {
    let mut rules: Vec<Value> = report.rules.iter().map(|r| rule(r, &docs(r))).collect();
    let index_of = |code: &str| report.rules.iter().position(|r| r.code == code);
    let mut results: Vec<Value> =
        report
            .files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(|d| result(&f.source, d, index_of(d.rule.code))))
            .chain(report.images.iter().flat_map(|i| {
                i.diagnostics.iter().map(|d| image_result(&i.summary.reference, d, index_of(d.rule.code)))
            }))
            .collect();
    // Vulnerability ids become rules after caulk's own, in first-seen (sorted report) order.
    let mut vuln_index: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for image in &report.images {
        for v in &image.vulnerabilities {
            let index = *vuln_index.entry(v.id.as_str()).or_insert_with(|| {
                rules.push(vuln_rule(v));
                rules.len() - 1
            });
            results.push(vuln_result(&image.summary.reference, v, index));
        }
    }
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({ "level": "error", "message": { "text": format!("{}: {}", e.path, e.message) }, "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&e.path) } } }] }))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "caulk",
                "version": version,
                "semanticVersion": version,
                "informationUri": "https://caulk.invalid",
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
