//! Human output in rustc's style: `severity[CODE]: message`, the file position, the source
//! line with carets, the fix hint; colour only when asked.

use std::fmt::Write;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use caulk_core::{Diagnostic, Severity, SourceFile};

use crate::Report;

/// Renders the whole report. `color` adds ANSI styles.
pub fn render(report: &Report, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for file in &report.files {
        for d in &file.diagnostics {
            out.push_str(&render_diagnostic(&renderer, &file.source, d));
            out.push_str("\n\n");
        }
    }
    for e in &report.errors {
        let _ = writeln!(out, "error: {}: {}\n", e.path, e.message);
    }
    out.push_str(&summary(report));
    out
}

/// One finding as rustc would print it.
pub fn render_diagnostic(renderer: &Renderer, source: &SourceFile, d: &Diagnostic) -> String {
    let text = source.text();
    let range = clamp_to_text(d.range.as_usize(), text);
    let level = level(d.severity);
    let mut title_group = level
        .primary_title(d.message.as_str())
        .id(d.rule.code)
        .element(Snippet::source(text).path(source.path()).fold(true).annotation(AnnotationKind::Primary.span(range)));
    if let Some(help) = &d.help {
        title_group = title_group.element(Level::HELP.message(help.as_str()));
    }
    let mut groups: Vec<Group<'_>> = vec![title_group];
    if let Some(fix) = &d.fix {
        let note = format!("fix available ({}): {}", fix.applicability.as_str(), fix.title);
        groups.push(Group::with_title(Level::NOTE.secondary_title(note)));
    }
    renderer.render(&groups)
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Critical => Level::ERROR.with_name("critical"),
        Severity::High => Level::ERROR.with_name("high"),
        Severity::Medium => Level::WARNING.with_name("medium"),
        Severity::Low => Level::NOTE.with_name("low"),
        Severity::Info => Level::INFO.with_name("info"),
    }
}

/// Keeps a span inside the text and on char boundaries; an empty span at EOF points at the last char.
fn clamp_to_text(r: std::ops::Range<usize>, text: &str) -> std::ops::Range<usize> {
    let mut start = r.start.min(text.len());
    let mut end = r.end.min(text.len()).max(start);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// "Found 7 findings (1 critical, 3 high, 3 medium) in 2 files." or "No findings in 2 files."
pub fn summary(report: &Report) -> String {
    let c = report.counts();
    let files = report.files.len();
    let noun = if files == 1 { "file" } else { "files" };
    let mut out = if c.total() == 0 {
        format!("No findings in {files} {noun}.")
    } else {
        let parts: Vec<String> =
            [("critical", c.critical), ("high", c.high), ("medium", c.medium), ("low", c.low), ("info", c.info)]
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(name, n)| format!("{n} {name}"))
                .collect();
        let plural = if c.total() == 1 { "finding" } else { "findings" };
        format!("Found {} {plural} ({}) in {files} {noun}.", c.total(), parts.join(", "))
    };
    let suppressed = report.suppressed();
    if suppressed > 0 {
        let _ = write!(out, " {suppressed} suppressed.");
    }
    let fixable = report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == caulk_core::Applicability::Safe))
        .count();
    if fixable > 0 {
        let _ = write!(out, "\n{fixable} fixable with `caulk fix`.");
    }
    if !report.errors.is_empty() {
        let _ = write!(out, "\n{} target(s) could not be read.", report.errors.len());
    }
    out.push('\n');
    out
}
