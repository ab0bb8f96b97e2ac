//! GitHub Actions workflow commands, so findings show up as annotations on pull requests.

use std::fmt::Write;

use caulk_core::Severity;

use crate::Report;

/// Escapes data per the workflow-command rules (`%`, CR, LF; also `:` and `,` in properties).
fn escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// One `::error file=…,line=…::message` line per finding.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let kind = match d.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "notice",
            };
            let s = f.source.line_col(d.range.start);
            let e = f.source.line_col(d.range.end);
            let _ = writeln!(
                out,
                "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape(f.source.path(), true),
                s.line,
                s.column,
                e.line,
                e.column,
                escape(&format!("{} {} ({})", d.rule.code, d.rule.name, d.severity), true),
                escape(&d.message, false),
            );
        }
    }
    out
}
