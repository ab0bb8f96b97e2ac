//! The HTML page of the hand-built sample report: self-contained, escaped, charted, same content
//! as the Markdown; and the comparison page.

use super::{esc, render, render_comparison};
use crate::compare::{Change, ComparedTarget, Comparison, ComparisonRow, Verdict};
use crate::markdown::tests::{docs, sample};
use crate::{Counts, Report};

fn position(doc: &str, needle: &str) -> usize {
    doc.find(needle).unwrap_or_else(|| panic!("{needle:?} missing"))
}

/// Every tag of the page, as written (`<a href="…">`, `<rect …/>`).
fn tags(doc: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        out.push(&rest[start..=start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// Nothing on the page can make a browser fetch anything: no `src`, no stylesheet links, no
/// `url()`/`@import` in CSS, no script, and any `://` only in an `<a href>` a reader clicks.
pub(crate) fn assert_self_contained(doc: &str) {
    for tag in tags(doc) {
        let lower = tag.to_ascii_lowercase();
        for forbidden in
            ["<script", "<link", "<iframe", "<img", "<object", "<embed", "<base", " src=", "xmlns", "@import"]
        {
            assert!(!lower.contains(forbidden), "{forbidden} in {tag}");
        }
        if tag.contains("://") {
            assert!(tag.starts_with("<a href=\"http"), "external URL outside a link: {tag}");
        }
    }
    let style = &doc[doc.find("<style>").unwrap_or(0)..doc.find("</style>").unwrap_or(0)];
    assert!(!style.contains("url(") && !style.contains("@import") && !style.contains("://"), "{style}");
}

#[test]
fn page_is_self_contained_html5() {
    let doc = render(&sample(), "9.9.9", &docs);
    assert!(doc.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{doc}");
    assert!(doc.contains("<meta charset=\"utf-8\">") && doc.contains("<style>"), "{doc}");
    assert!(doc.trim_end().ends_with("</html>"));
    assert_self_contained(&doc);
}

#[test]
fn user_controlled_strings_are_escaped() {
    let doc = render(&sample(), "0", &docs);
    // a Dockerfile comment, a file path, an image path and an image instruction all carry markup
    assert!(!doc.contains("<script>alert(1)</script>"), "a script tag survived");
    assert!(!doc.contains("<script>evil"), "a script tag from an image path survived");
    assert!(!doc.contains("<img src=x"), "an img tag from an instruction survived");
    assert!(!doc.contains("<b>"), "a tag from a vulnerability summary survived");
    assert!(
        doc.contains("<span class=\"ln\">6</span>USER root # &lt;script&gt;alert(1)&lt;/script&gt; | `tick`</span>"),
        "excerpt"
    );
    assert!(doc.contains("<span class=\"add\">+USER 10001 # &lt;script&gt;"), "diff");
    assert!(doc.contains("<code>app/&lt;script&gt;alert(1)&lt;/script&gt;/Dockerfile</code>"), "path");
    assert!(doc.contains("<code>/root/&lt;script&gt;evil&lt;/script&gt;|id_rsa</code>"), "image path");
    assert!(doc.contains("&lt;img src=x onerror=alert(1)&gt;"), "instruction");
    assert_eq!(esc(r#"<a href="x" onclick='y'>&"#), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;");
}

#[test]
fn has_the_same_sections_as_the_markdown_in_order() {
    let doc = render(&sample(), "0", &docs);
    let order = [
        "<h2>Executive Summary</h2>",
        "Top risks",
        "<strong>Not fit for production</strong>",
        "<h2>Dockerfile: ",
        "<h3 class=\"severity\">Critical Issues (1)</h3>",
        "<h3 class=\"severity\">High Issues (1)</h3>",
        "<h3 class=\"severity\">Medium Issues (2)</h3>",
        "<h3 class=\"severity\">Info Issues (1)</h3>",
        "<h2>Image: <code>registry.example/app:1.0</code></h2>",
        "<h3>Base Details</h3>",
        "<h3>Layers</h3>",
        "<h3>Known Vulnerabilities</h3>",
        "<h4>Top Vulnerabilities</h4>",
        "<h2>Targets That Could Not Be Read</h2>",
        "<h2>Vulnerability Remediation Steps</h2>",
        "<strong>Immediate (Critical)</strong>",
        "<strong>High Priority</strong>",
        "<strong>Medium Priority</strong>",
        "<h3>Specific Changes: <code>app/Dockerfile</code></h3>",
        "<h2>Data Provenance</h2>",
        "<h2>References</h2>",
    ];
    let mut last = 0;
    for needle in order {
        last += position(&doc[last..], needle);
    }
    assert!(doc.contains("<dt>Why it matters</dt><dd>Root can log in over SSH.</dd>"), "why from docs");
    assert!(
        doc.contains(
            "<input type=\"checkbox\"> SSH server allows root login: drop the SSH server (use <code>docker exec</code>)"
        ),
        "steps"
    );
    assert!(doc.contains("<span class=\"del\">-USER root # "), "diff");
    assert!(doc.contains("<td><code>alpine-secdb-v3.3-v3.11.tar.gz</code></td><td class=\"num\">1234</td>"));
    // references keep their links (clicked, never fetched)
    assert!(
        doc.contains(r#"<a href="https://man.openbsd.org/sshd_config" rel="noopener noreferrer">sshd_config(5)</a>"#)
    );
}

#[test]
fn charts_show_findings_vulnerabilities_and_layers() {
    let doc = render(&sample(), "0", &docs);
    assert_eq!(doc.matches("<svg class=\"chart\"").count(), 4, "findings, vulns per image, layers, image vulns");
    assert!(doc.contains("aria-label=\"Findings by severity\""));
    assert!(doc.contains("aria-label=\"Vulnerabilities by severity per image\""));
    assert!(doc.contains("aria-label=\"Layer sizes of registry.example/app:1.0\""));
    // base and own layers in different colours, the legend says which is which
    assert!(doc.contains("<title>layer 0 (base image): ADD file:abc in /</title>"), "layer tooltip");
    assert!(doc.contains("fill=\"#9aa5b1\"") && doc.contains("fill=\"#3b5bdb\""));
    assert!(doc.contains(">base image</text>") && doc.contains(">this image</text>"));
    // findings: 2 critical is the tallest bar
    assert!(doc.contains("<title>Critical: 2</title><rect x=\"30\" y=\"24\" width=\"56\" height=\"150\""), "{doc}");
}

#[test]
fn empty_report_renders() {
    let doc = render(&Report::default(), "0", &docs);
    assert!(doc.contains("No significant risk found"));
    assert_self_contained(&doc);
}

#[test]
fn output_is_deterministic() {
    assert_eq!(render(&sample(), "1", &docs), render(&sample(), "1", &docs));
}

fn comparison() -> Comparison {
    let target = |label: &str, findings: Counts, vulns| ComparedTarget {
        label: label.to_owned(),
        kind: "image",
        findings,
        vulnerabilities: vulns,
    };
    let row = |aspect: &str, a: &str, b: &str, change, impact| ComparisonRow {
        aspect: aspect.to_owned(),
        a: a.to_owned(),
        b: b.to_owned(),
        change,
        impact,
        note: None,
    };
    Comparison {
        a: target(
            "ml-service:<insecure>",
            Counts { critical: 1, high: 4, medium: 14, low: 3, info: 2 },
            Some((Counts { critical: 2, high: 9, ..Counts::default() }, 1)),
        ),
        b: target("ml-service:secure", Counts { medium: 2, info: 1, ..Counts::default() }, None),
        rows: vec![
            row("Base image", "`ubuntu:18.04`", "`python:3.9-slim`", Change::Better, 3),
            row("Root SSH", "✗ enabled", "✓ disabled", Change::Better, 3),
            row("Image size", "800 MB", "–", Change::Unknown, 2),
            row("Health check", "none", "none", Change::Same, 1),
            row("Packages", "12", "<script>x</script>", Change::Worse, 2),
        ],
        verdict: Verdict {
            change: Change::Better,
            better_weight: 6,
            worse_weight: 2,
            summary: "B is more secure than A.".to_owned(),
        },
    }
}

#[test]
fn comparison_page_marks_changes_and_charts_both_sides() {
    let doc = render_comparison(&comparison(), "1.2.3");
    assert_self_contained(&doc);
    assert!(doc.contains(
        "<h1>Security Comparison: <code>ml-service:&lt;insecure&gt;</code> vs <code>ml-service:secure</code></h1>"
    ));
    assert!(doc.contains("<td class=\"better\">✓ better</td><td class=\"stars\" title=\"impact 3\">★★★</td>"));
    assert!(doc.contains("<td class=\"worse\">✗ worse</td><td class=\"stars\" title=\"impact 2\">★★</td>"));
    assert!(doc.contains("<td class=\"same\">= same</td>") && doc.contains("<td class=\"unknown\">? unknown</td>"));
    assert!(doc.contains("<td><code>ubuntu:18.04</code></td>"), "backticks become code");
    assert!(!doc.contains("<script>x"), "row values are escaped");
    assert!(doc.contains("<p class=\"verdict good\"><strong>Verdict</strong>: <span class=\"better\">✓ better</span> — B is more secure than A."));
    assert!(doc.contains("<span class=\"note\">(impact weight better 6 / worse 2)</span>"));
    assert_eq!(doc.matches("<svg class=\"chart\"").count(), 2, "findings and vulnerabilities");
    assert!(doc.contains("A 24 total, B 3 total"));
    assert!(doc.contains("A 12 total, B 0 total"));
    assert_eq!(doc, render_comparison(&comparison(), "1.2.3"));
}
