//! The comparison model `caulk compare` fills and every format renders: one row per security
//! aspect, B judged against A, and a verdict weighed by impact; and its text, JSON and Markdown
//! renderings (HTML lives with the other HTML in `html`). Which facts make a side better is decided
//! by the caller: this module only says it.

use std::fmt::Write as _;

use serde::Serialize;

use crate::Counts;

/// Two targets compared aspect by aspect.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The baseline.
    pub a: ComparedTarget,
    /// The candidate, judged against A.
    pub b: ComparedTarget,
    /// In the order the seeds' table lists them, then what caulk knows beyond it.
    pub rows: Vec<ComparisonRow>,
    pub verdict: Verdict,
}

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedTarget {
    /// The path or image reference as the user gave it.
    pub label: String,
    /// `dockerfile` or `image`.
    pub kind: &'static str,
    /// Findings per severity.
    pub findings: Counts,
    /// Vulnerabilities per severity and the unrated ones (images with matching only).
    pub vulnerabilities: Option<(Counts, usize)>,
}

/// One aspect of both targets.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// What is compared (`Base image`, `Root SSH`, `User privilege`, …).
    pub aspect: String,
    /// A's value, short and human (`ubuntu:18.04`, `✗ enabled`, `root`).
    pub a: String,
    /// B's value.
    pub b: String,
    /// B against A.
    pub change: Change,
    /// How much the aspect matters, 1 to 3 (the seeds' stars).
    pub impact: u8,
    /// Why, in one sentence, when the values alone do not say it.
    pub note: Option<String>,
}

/// How B compares with A on one aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Better,
    Worse,
    Same,
    /// One side has no value for this aspect (a Dockerfile has no measured size).
    Unknown,
}

/// The overall judgement.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// B against A, weighing each row by its impact.
    pub change: Change,
    /// Sum of the impacts of the rows where B is better, and where it is worse.
    pub better_weight: u32,
    pub worse_weight: u32,
    /// One sentence for the end of the table.
    pub summary: String,
}

impl Change {
    /// The word reports print (`better`, `worse`, `same`, `unknown`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Better => "better",
            Self::Worse => "worse",
            Self::Same => "same",
            Self::Unknown => "unknown",
        }
    }

    /// The word with its marker: `✓ better`, `✗ worse`, `= same`, `? unknown`.
    pub const fn marked(self) -> &'static str {
        match self {
            Self::Better => "✓ better",
            Self::Worse => "✗ worse",
            Self::Same => "= same",
            Self::Unknown => "? unknown",
        }
    }

    /// The same judgement seen from the other side (A against B).
    pub const fn flipped(self) -> Self {
        match self {
            Self::Better => Self::Worse,
            Self::Worse => Self::Better,
            other => other,
        }
    }
}

/// Cells of the table, in column order, before alignment.
fn cells(c: &Comparison) -> Vec<[String; 5]> {
    let mut rows =
        vec![["Aspect".to_owned(), "A".to_owned(), "B".to_owned(), "B vs A".to_owned(), "Impact".to_owned()]];
    for r in &c.rows {
        rows.push([
            r.aspect.clone(),
            r.a.clone(),
            r.b.clone(),
            r.change.marked().to_owned(),
            stars(r.impact, '★', '☆'),
        ]);
    }
    rows
}

/// `★★☆` for impact 2 of 3.
fn stars(impact: u8, full: char, empty: char) -> String {
    let n = usize::from(impact.min(3));
    std::iter::repeat_n(full, n).chain(std::iter::repeat_n(empty, 3 - n)).collect()
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// Renders the comparison as an aligned table for a terminal; `color` adds ANSI styles to the
/// B-vs-A column and the verdict.
pub fn render_text(c: &Comparison, color: bool) -> String {
    let paint = |s: &str, code: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_owned() };
    let mut out = String::new();
    let _ = writeln!(out, "A: {} ({})", c.a.label, c.a.kind);
    let _ = writeln!(out, "B: {} ({})", c.b.label, c.b.kind);
    out.push('\n');
    let table = cells(c);
    let mut widths = [0usize; 5];
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    for (i, row) in table.iter().enumerate() {
        let mut line = String::new();
        for (j, cell) in row.iter().enumerate() {
            let last = j == row.len() - 1;
            let text = if last { cell.clone() } else { pad(cell, widths[j]) };
            let styled = match (i, j, c.rows.get(i.wrapping_sub(1)).map(|r| r.change)) {
                (0, _, _) => paint(&text, "1"),
                (_, 3, Some(Change::Better)) => paint(&text, "32"),
                (_, 3, Some(Change::Worse)) => paint(&text, "31"),
                (_, 3, Some(Change::Unknown)) => paint(&text, "2"),
                _ => text,
            };
            line.push_str(&styled);
            if !last {
                line.push_str("  ");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    let notes: Vec<&ComparisonRow> = c.rows.iter().filter(|r| r.note.is_some()).collect();
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for r in notes {
            let _ = writeln!(out, "  {}: {}", r.aspect, r.note.as_deref().unwrap_or(""));
        }
    }
    let code = match c.verdict.change {
        Change::Better => "1;32",
        Change::Worse => "1;31",
        Change::Same | Change::Unknown => "1",
    };
    let _ = writeln!(out, "\n{} {}", paint("Verdict:", "1"), paint(&c.verdict.summary, code));
    out
}

/// A Markdown table cell: pipes escaped, line breaks flattened.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Renders the comparison as the seeds' Markdown table (`| Aspect | A | B | Impact |` with ⭐
/// stars) plus a B-vs-A column, followed by the notes and the verdict.
pub fn render_markdown(c: &Comparison) -> String {
    let mut out = String::from("## Security Comparison Table\n\n");
    let _ = writeln!(out, "- **A**: `{}` ({})", md_cell(&c.a.label), c.a.kind);
    let _ = writeln!(out, "- **B**: `{}` ({})", md_cell(&c.b.label), c.b.kind);
    out.push('\n');
    out.push_str("| Aspect | A | B | Impact | B vs A |\n");
    out.push_str("|--------|---|---|--------|--------|\n");
    for r in &c.rows {
        let impact: String = std::iter::repeat_n('⭐', usize::from(r.impact.min(3))).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md_cell(&r.aspect),
            md_cell(&r.a),
            md_cell(&r.b),
            impact,
            r.change.marked()
        );
    }
    let notes: Vec<&ComparisonRow> = c.rows.iter().filter(|r| r.note.is_some()).collect();
    if !notes.is_empty() {
        out.push_str("\n### Notes\n\n");
        for r in notes {
            let _ = writeln!(out, "- **{}**: {}", md_cell(&r.aspect), md_cell(r.note.as_deref().unwrap_or("")));
        }
    }
    let _ = writeln!(out, "\n**Verdict:** {}", md_cell(&c.verdict.summary));
    out
}

#[derive(Serialize)]
struct JsonComparison<'a> {
    schema_version: u32,
    tool: JsonTool,
    comparison: JsonBody<'a>,
}

#[derive(Serialize)]
struct JsonTool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonBody<'a> {
    a: JsonTarget<'a>,
    b: JsonTarget<'a>,
    rows: &'a [ComparisonRow],
    verdict: &'a Verdict,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    label: &'a str,
    kind: &'static str,
    findings: Counts,
    /// `null` when vulnerability matching did not run for this side.
    vulnerabilities: Option<JsonVulns>,
}

#[derive(Serialize)]
struct JsonVulns {
    by_severity: Counts,
    unrated: usize,
}

impl<'a> JsonTarget<'a> {
    fn new(t: &'a ComparedTarget) -> Self {
        Self {
            label: &t.label,
            kind: t.kind,
            findings: t.findings,
            vulnerabilities: t.vulnerabilities.map(|(by_severity, unrated)| JsonVulns { by_severity, unrated }),
        }
    }
}

/// Renders the comparison as versioned JSON (`schema_version` as in [`crate::json`]):
/// `{"schema_version": 1, "tool": {…}, "comparison": {"a", "b", "rows", "verdict"}}`.
pub fn render_json(c: &Comparison, version: &'static str) -> String {
    let doc = JsonComparison {
        schema_version: crate::json::SCHEMA_VERSION,
        tool: JsonTool { name: "caulk", version },
        comparison: JsonBody { a: JsonTarget::new(&c.a), b: JsonTarget::new(&c.b), rows: &c.rows, verdict: &c.verdict },
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(aspect: &str, a: &str, b: &str, change: Change, impact: u8, note: Option<&str>) -> ComparisonRow {
        ComparisonRow {
            aspect: aspect.to_owned(),
            a: a.to_owned(),
            b: b.to_owned(),
            change,
            impact,
            note: note.map(str::to_owned),
        }
    }

    fn sample() -> Comparison {
        let target = |label: &str| ComparedTarget {
            label: label.to_owned(),
            kind: "dockerfile",
            findings: Counts { critical: 1, ..Counts::default() },
            vulnerabilities: None,
        };
        Comparison {
            a: target("old/Dockerfile"),
            b: target("new/Dockerfile"),
            rows: vec![
                row("Base image", "ubuntu:18.04 (full, EOL)", "python:3.12-slim (slim)", Change::Better, 3, None),
                row("Health check", "✓ included", "✗ none", Change::Worse, 1, None),
                row("Image size", "not built", "not built", Change::Unknown, 2, Some("Dockerfiles are not built")),
                row("Secrets", "a|b", "✓ none", Change::Same, 3, None),
            ],
            verdict: Verdict {
                change: Change::Better,
                better_weight: 3,
                worse_weight: 1,
                summary: "B is more secure than A".to_owned(),
            },
        }
    }

    #[test]
    fn text_aligns_columns_and_lists_notes() {
        let text = render_text(&sample(), false);
        insta::assert_snapshot!("compare_text", text);
        // the B-vs-A column starts at the same character position on the header and every row
        let char_pos = |l: &str, needle: &str| l.find(needle).map(|b| l[..b].chars().count());
        let line = |start: &str| text.lines().find(|l| l.starts_with(start)).unwrap_or_default();
        let column = char_pos(line("Aspect"), "B vs A");
        assert!(column.is_some(), "{text}");
        assert_eq!(char_pos(line("Base image"), "✓ better"), column, "{text}");
        assert_eq!(char_pos(line("Health check"), "✗ worse"), column, "{text}");
        assert_eq!(char_pos(line("Image size"), "? unknown"), column, "{text}");
        assert!(text.contains("Image size: Dockerfiles are not built"));
        assert!(!text.contains('\x1b'));
        assert!(render_text(&sample(), true).contains("\x1b[32m✓ better"));
    }

    #[test]
    fn markdown_has_the_seed_table_shape() {
        let md = render_markdown(&sample());
        assert!(md.contains("| Aspect | A | B | Impact | B vs A |"), "{md}");
        assert!(
            md.contains("| Base image | ubuntu:18.04 (full, EOL) | python:3.12-slim (slim) | ⭐⭐⭐ | ✓ better |"),
            "{md}"
        );
        assert!(md.contains("| Secrets | a\\|b | ✓ none | ⭐⭐⭐ | = same |"), "{md}");
        assert!(md.contains("**Verdict:** B is more secure than A"), "{md}");
    }

    #[test]
    fn json_is_versioned_and_keeps_every_row() {
        let v: serde_json::Value = serde_json::from_str(&render_json(&sample(), "9.9.9")).expect("valid JSON");
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["tool"]["version"], "9.9.9");
        let rows = v["comparison"]["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1]["change"], "worse");
        assert_eq!(rows[2]["note"], "Dockerfiles are not built");
        assert_eq!(v["comparison"]["a"]["findings"]["critical"], 1);
        assert!(v["comparison"]["b"]["vulnerabilities"].is_null());
        assert_eq!(v["comparison"]["verdict"]["better_weight"], 3);
    }

    #[test]
    fn flipping_swaps_better_and_worse_only() {
        assert_eq!(Change::Better.flipped(), Change::Worse);
        assert_eq!(Change::Worse.flipped(), Change::Better);
        assert_eq!(Change::Same.flipped(), Change::Same);
        assert_eq!(Change::Unknown.flipped(), Change::Unknown);
    }
}
