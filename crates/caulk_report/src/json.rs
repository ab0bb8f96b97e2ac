//! caulk's own JSON output: a versioned, documented schema (`docs/json-output.md`) that scripts
//! can rely on. Field names are snake_case and never renamed silently.

use serde::Serialize;

use caulk_core::{Diagnostic, SourceFile};

use crate::{Counts, Report};

/// Bumped on any incompatible change to the JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    files: Vec<JsonFile<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    suppressed: usize,
    by_severity: Counts,
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

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report, version: &'static str) -> String {
    let counts = report.counts();
    let out = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "caulk", version },
        summary: Summary {
            files: report.files.len(),
            findings: counts.total(),
            suppressed: report.suppressed(),
            by_severity: counts,
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
        errors: report.errors.iter().map(|e| JsonError { path: &e.path, message: &e.message }).collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
