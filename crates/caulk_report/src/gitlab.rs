//! GitLab Code Quality report (a JSON array of issues with stable fingerprints), shown in merge requests.

use serde::Serialize;

use caulk_core::Severity;

use crate::Report;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// FNV-1a, 64 bits: a fingerprint that is stable across runs, platforms and Rust versions.
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

pub fn render(report: &Report) -> String {
    let mut issues = Vec::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let line = f.source.line_col(d.range.start).line;
            // the fingerprint ignores the line so that moving code does not reopen an issue
            let snippet = d.range.slice(f.source.text());
            issues.push(Issue {
                description: format!("{}: {}", d.rule.code, d.message),
                check_name: d.rule.code,
                fingerprint: fnv1a(&[f.source.path(), d.rule.code, &d.message, snippet]),
                severity: match d.severity {
                    Severity::Critical => "blocker",
                    Severity::High => "critical",
                    Severity::Medium => "major",
                    Severity::Low => "minor",
                    Severity::Info => "info",
                },
                location: Location { path: f.source.path(), lines: Lines { begin: line } },
            });
        }
    }
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}
