//! Checkstyle XML, the lowest common denominator of CI lint dashboards (Jenkins, reviewdog).

use std::fmt::Write;

use caulk_core::Severity;

use crate::Report;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One `<file>` per checked file with an `<error>` per finding.
pub fn render(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for f in &report.files {
        let _ = writeln!(out, "  <file name=\"{}\">", escape(f.source.path()));
        for d in &f.diagnostics {
            let pos = f.source.line_col(d.range.start);
            let severity = match d.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "info",
            };
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"caulk.{}\"/>",
                pos.line,
                pos.column,
                escape(&d.message),
                d.rule.code
            );
        }
        out.push_str("  </file>\n");
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "  <file name=\"{}\">\n    <error line=\"1\" column=\"1\" severity=\"error\" message=\"{}\" source=\"caulk.read-error\"/>\n  </file>",
            escape(&e.path),
            escape(&e.message)
        );
    }
    out.push_str("</checkstyle>\n");
    out
}
