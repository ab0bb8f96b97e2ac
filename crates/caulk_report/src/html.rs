//! The security analysis as one self-contained HTML5 page (inline CSS and SVG, no script, nothing
//! fetched), for people who would rather open a file than read Markdown; same content as
//! [`crate::markdown`], with charts where a picture says it faster.

mod chart;

use std::fmt::Write;

use caulk_core::{Diagnostic, RuleMeta, Severity, SourceFile};

use self::chart::{Bar, Group, Row};
use crate::compare::{Change, Comparison};
use crate::markdown::analysis::{self, DiffLine, Docs, Issue, Span, Verdict};
use crate::markdown::{efficiency, safe_url};
use crate::text::human_bytes;
use crate::{Counts, FileReport, FixPreview, ImageReport, Report, VulnScan};

/// Escapes the five characters that matter in HTML text and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A message, hint or doc text: backtick spans become `<code>`; with `markup` (trusted rule
/// docs), links and emphasis too. Everything else is escaped.
fn inline(s: &str, markup: bool) -> String {
    analysis::spans(s, markup)
        .into_iter()
        .map(|span| match span {
            Span::Text(t) => esc(t),
            Span::Code(c) => format!("<code>{}</code>", esc(c)),
            Span::Emphasis(t) => format!("<em>{}</em>", esc(t)),
            Span::Link(label, url) if safe_url(url) => {
                format!(r#"<a href="{}" rel="noopener noreferrer">{}</a>"#, esc(url), esc(label))
            }
            Span::Link(label, _) => esc(label),
        })
        .collect()
}

fn msg(s: &str) -> String {
    inline(s, false)
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", esc(s))
}

const fn color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#b42318",
        Severity::High => "#e8590c",
        Severity::Medium => "#d69e00",
        Severity::Low => "#1c7ed6",
        Severity::Info => "#868e96",
    }
}

const UNRATED: &str = "#c3c7cd";
const BASE_LAYER: &str = "#9aa5b1";
const OWN_LAYER: &str = "#3b5bdb";

fn badge(s: Severity) -> String {
    format!(r#"<span class="badge sev-{s}">{s}</span>"#)
}

const STYLE: &str = r"
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#ffffff;--soft:#f6f8fa;--critical:#b42318;--high:#e8590c;--medium:#d69e00;--low:#1c7ed6;--info:#868e96}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px 32px 48px;background:var(--bg);min-height:100vh}
h1{font-size:1.9rem;margin:.2em 0 .1em}h2{font-size:1.45rem;margin:1.6em 0 .5em;padding-bottom:.25em;border-bottom:1px solid var(--line)}
h3{font-size:1.15rem;margin:1.3em 0 .4em}h4{font-size:1rem;margin:0 0 .3em}
code{font:.88em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;background:#eff1f3;border-radius:4px;padding:.08em .35em;overflow-wrap:anywhere}
pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace}
pre code{background:none;padding:0;font:inherit}
.meta{color:var(--muted);margin:0 0 1em}
nav.toc{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:16px 0}
nav.toc ol{margin:.3em 0;padding-left:1.4em}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{flex:1 1 120px;border:1px solid var(--line);border-left:6px solid var(--c);border-radius:6px;padding:8px 12px}
.card .n{font-size:1.6rem;font-weight:700;line-height:1.1}.card .l{color:var(--muted);font-size:.85rem;text-transform:uppercase;letter-spacing:.04em}
.card .v{color:var(--muted);font-size:.85rem}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure{margin:8px 0;max-width:100%;overflow-x:auto}figcaption{color:var(--muted);font-size:.85rem}
svg.chart{display:block;max-width:100%;height:auto;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}
.verdict{border-radius:6px;padding:10px 14px;margin:12px 0;border:1px solid var(--line);background:var(--soft)}
.verdict.blocked{border-color:#f1aeb5;background:#fff1f0}.verdict.needs-work{border-color:#ffc9a8;background:#fff4e6}
.verdict.caveats{border-color:#ffe08a;background:#fffbe6}.verdict.good{border-color:#b2e2c0;background:#ebfbee}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.75rem;font-weight:700;text-transform:uppercase;color:#fff;vertical-align:middle;letter-spacing:.03em}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium);color:#1f2328}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.issue{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:6px;padding:10px 14px;margin:10px 0}
.issue .rule{color:var(--muted);font-size:.88rem;margin:0 0 .4em}
.issue ul{margin:.2em 0 .5em;padding-left:1.3em}
dl.why{margin:.4em 0 0}dl.why dt{font-weight:600;float:left;clear:left;width:9.5em}dl.why dd{margin:0 0 .35em 9.5em}
.ln{display:inline-block;width:3em;color:#8c959f;user-select:none}.hit{background:#fff5b1;display:inline-block;min-width:100%}
table{border-collapse:collapse;margin:8px 0 12px;font-size:.92rem;width:100%}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
ul.checklist{list-style:none;padding-left:.4em}ul.checklist li{margin:.25em 0}
ol.priorities>li{margin:.4em 0}
.diff .add{background:#e6ffec;display:inline-block;min-width:100%}.diff .del{background:#ffebe9;display:inline-block;min-width:100%}.diff .skip{color:#8c959f}
.better{color:#1a7f37;font-weight:600}.worse{color:#b42318;font-weight:600}.same{color:var(--muted)}.unknown{color:var(--muted)}
.stars{color:#bf8700;letter-spacing:1px}
td.better,td.worse,td.same,td.unknown,td.stars{white-space:nowrap}
.note{color:var(--muted)}
footer{color:var(--muted);font-size:.85rem;margin-top:2.5em;border-top:1px solid var(--line);padding-top:.8em}
@media print{body{background:#fff}main{padding:0}nav.toc{display:none}}
";

fn page(title: &str, version: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"caulk {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(version),
        esc(title)
    )
}

/// Renders the report as one self-contained HTML page. `docs` gives a rule's Markdown
/// documentation (`caulk_lint::rule::docs`), where the "why" and the references come from.
pub fn render(report: &Report, version: &str, docs: &dyn Fn(&RuleMeta) -> String) -> String {
    let subject = subject(report);
    let mut b = String::new();
    let _ = writeln!(b, "<header><h1>Security Analysis: {}</h1>", subject.1);
    let _ = writeln!(b, "<p class=\"meta\">Generated by caulk {}.</p></header>", esc(version));
    toc(&mut b, report);
    summary(&mut b, report);
    let mut number = 0;
    for (k, file) in report.files.iter().enumerate() {
        file_section(&mut b, k, file, docs, &mut number);
    }
    for (k, image) in report.images.iter().enumerate() {
        image_section(&mut b, k, image, docs, &mut number);
    }
    if !report.errors.is_empty() {
        b.push_str("<section id=\"errors\"><h2>Targets That Could Not Be Read</h2><ul>");
        for e in &report.errors {
            let _ = write!(b, "<li>{}: {}</li>", code(&e.path), msg(&e.message));
        }
        b.push_str("</ul></section>\n");
    }
    remediation(&mut b, report);
    provenance(&mut b, report);
    references(&mut b, report, docs);
    let _ = writeln!(
        b,
        "<footer>caulk {}: findings sorted by severity, then by position. Severity scale: critical (direct compromise), high, medium, low, info.</footer>",
        esc(version)
    );
    page(&format!("Security Analysis: {}", subject.0), version, &b)
}

/// The title's subject as plain text and as HTML.
fn subject(report: &Report) -> (String, String) {
    match (report.files.as_slice(), report.images.as_slice()) {
        ([f], []) => (f.source.path().to_owned(), code(f.source.path())),
        ([], [i]) => (i.summary.reference.clone(), code(&i.summary.reference)),
        _ => {
            let s = analysis::capitalize(&analysis::analysed(report));
            (s.clone(), esc(&s))
        }
    }
}

fn toc(b: &mut String, report: &Report) {
    b.push_str("<nav class=\"toc\"><strong>Contents</strong><ol><li><a href=\"#summary\">Executive Summary</a></li>");
    for (k, f) in report.files.iter().enumerate() {
        let _ =
            write!(b, "<li><a href=\"#file-{k}\">{}: {}</a></li>", analysis::kind_title(f.kind), esc(f.source.path()));
    }
    for (k, i) in report.images.iter().enumerate() {
        let _ = write!(b, "<li><a href=\"#image-{k}\">Image: {}</a></li>", esc(&i.summary.reference));
    }
    if !analysis::checklists(report).is_empty() || !report.fix_previews.is_empty() {
        b.push_str("<li><a href=\"#remediation\">Remediation Steps</a></li>");
    }
    if !report.images.is_empty() {
        b.push_str("<li><a href=\"#provenance\">Data Provenance</a></li>");
    }
    b.push_str("</ol></nav>\n");
}

fn severity_bars(counts: &Counts) -> Vec<Bar> {
    Severity::ALL
        .iter()
        .map(|s| Bar {
            label: analysis::severity_title(*s).to_owned(),
            value: analysis::count(counts, *s) as u64,
            color: color(*s),
        })
        .collect()
}

fn severity_legend(unrated: bool) -> Vec<(&'static str, &'static str)> {
    let mut l: Vec<(&str, &str)> = Severity::ALL.iter().map(|s| (analysis::severity_title(*s), color(*s))).collect();
    if unrated {
        l.push(("Unrated", UNRATED));
    }
    l
}

fn summary(b: &mut String, report: &Report) {
    b.push_str("<section id=\"summary\"><h2>Executive Summary</h2>\n");
    let counts = report.counts();
    let vulns_ran = report.images.iter().any(|i| matches!(i.vuln_scan, VulnScan::Done { .. }));
    let (vcounts, unrated) = report.vuln_counts();
    let targets: Vec<String> = report
        .files
        .iter()
        .map(|f| code(f.source.path()))
        .chain(report.images.iter().map(|i| code(&i.summary.reference)))
        .collect();
    let listed = if (1..=6).contains(&targets.len()) { format!(" ({})", targets.join(", ")) } else { String::new() };
    let _ = write!(b, "<p>caulk analysed {}{listed}", esc(&analysis::analysed(report)));
    if counts.total() == 0 {
        b.push_str(" and found <strong>no findings</strong>");
    } else {
        let _ = write!(
            b,
            " and found <strong>{}</strong> ({})",
            analysis::plural(counts.total(), "finding", "findings"),
            analysis::breakdown(&counts, 0).unwrap_or_default()
        );
    }
    if vulns_ran {
        let _ = write!(
            b,
            ", plus <strong>{}</strong>{}",
            analysis::plural(vcounts.total() + unrated, "known vulnerability", "known vulnerabilities"),
            analysis::breakdown(&vcounts, unrated).map(|x| format!(" ({x})")).unwrap_or_default()
        );
    }
    b.push_str(".</p>\n<div class=\"cards\">");
    for s in Severity::ALL {
        let _ = write!(
            b,
            "<div class=\"card\" style=\"--c:{}\"><div class=\"n\">{}</div><div class=\"l\">{}</div>",
            color(s),
            analysis::count(&counts, s),
            s
        );
        if vulns_ran {
            let _ = write!(b, "<div class=\"v\">+ {} vulnerabilities</div>", analysis::count(&vcounts, s));
        }
        b.push_str("</div>");
    }
    b.push_str("</div>\n<div class=\"charts\">");
    let _ = write!(
        b,
        "<figure>{}<figcaption>Findings by severity</figcaption></figure>",
        chart::bars("Findings by severity", &severity_bars(&counts))
    );
    let scanned: Vec<&ImageReport> =
        report.images.iter().filter(|i| matches!(i.vuln_scan, VulnScan::Done { .. })).collect();
    if !scanned.is_empty() {
        let any_unrated = scanned.iter().any(|i| i.vuln_counts().1 > 0);
        let groups: Vec<Group> =
            scanned.iter().map(|i| vuln_group(short(&i.summary.reference), i, any_unrated)).collect();
        let _ = write!(
            b,
            "<figure>{}<figcaption>Known vulnerabilities by severity, per image</figcaption></figure>",
            chart::grouped("Vulnerabilities by severity per image", &groups, &severity_legend(any_unrated))
        );
    }
    b.push_str("</div>\n");
    let risks = analysis::risk_sentences(report);
    if !risks.is_empty() {
        let risks: Vec<String> = risks.iter().map(|r| msg(r)).collect();
        let _ = writeln!(b, "<p><strong>Top risks</strong>: {}.</p>", risks.join("; "));
    }
    let verdict = Verdict::of(report);
    let class = match verdict {
        Verdict::Blocked => "blocked",
        Verdict::NeedsWork => "needs-work",
        Verdict::Caveats => "caveats",
        Verdict::Good => "good",
    };
    let _ = writeln!(
        b,
        "<p class=\"verdict {class}\"><strong>Verdict</strong>: <strong>{}</strong>: {}</p>",
        verdict.headline(),
        verdict.advice()
    );
    let (safe, unsafe_) = crate::markdown::fixable(report);
    if safe + unsafe_ > 0 {
        let _ = writeln!(
            b,
            "<p>caulk can fix {} automatically: <code>caulk fix</code> applies the safe fixes ({safe}); <code>caulk fix --unsafe-fixes</code> also applies those that change what gets installed ({unsafe_}).</p>",
            analysis::plural(safe + unsafe_, "finding", "findings")
        );
    }
    b.push_str("</section>\n");
}

/// An image reference short enough for a chart axis: its last path component.
fn short(reference: &str) -> &str {
    reference.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty()).unwrap_or(reference)
}

fn vuln_group(label: &str, image: &ImageReport, with_unrated: bool) -> Group {
    let (c, unrated) = image.vuln_counts();
    let mut bars = severity_bars(&c);
    if with_unrated {
        bars.push(Bar { label: "Unrated".to_owned(), value: unrated as u64, color: UNRATED });
    }
    Group { label: label.to_owned(), bars }
}

fn file_section(b: &mut String, k: usize, file: &FileReport, docs: Docs<'_>, number: &mut usize) {
    let _ = writeln!(
        b,
        "<section class=\"target\" id=\"file-{k}\"><h2>{}: {}</h2>",
        analysis::kind_title(file.kind),
        code(file.source.path())
    );
    let counts = analysis::counts_of(&file.diagnostics);
    b.push_str("<p>");
    match analysis::breakdown(&counts, 0) {
        Some(x) => {
            let _ = write!(b, "{} ({x})", analysis::plural(counts.total(), "finding", "findings"));
        }
        None => b.push_str("No findings"),
    }
    if file.suppressed > 0 {
        let _ = write!(b, "; {} suppressed in the file", file.suppressed);
    }
    b.push_str(".</p>\n");
    if !file.diagnostics.is_empty() {
        for_each_severity(b, &analysis::issues(&file.diagnostics), |b, issue| {
            *number += 1;
            open_issue(b, *number, issue);
            let _ = writeln!(
                b,
                "<p class=\"rule\">{} {} · {}</p>",
                code(issue.rule.code),
                esc(issue.rule.name),
                analysis::lines_of(&file.source, &issue.findings)
            );
            if issue.findings.len() > 1 {
                b.push_str("<ul>");
                for d in &issue.findings {
                    let _ = write!(b, "<li>{}</li>", msg(&d.message));
                }
                b.push_str("</ul>\n");
            }
            excerpts(b, &file.source, &issue.findings);
            why_and_fix(b, issue, docs);
            b.push_str("</article>\n");
        });
    }
    b.push_str("</section>\n");
}

fn open_issue(b: &mut String, number: usize, issue: &Issue<'_>) {
    let _ = writeln!(
        b,
        "<article class=\"issue\" style=\"--c:{}\"><h4>{number}. {} {}</h4>",
        color(issue.severity),
        msg(&issue.title()),
        badge(issue.severity)
    );
}

fn for_each_severity<'a>(b: &mut String, issues: &[Issue<'a>], mut each: impl FnMut(&mut String, &Issue<'a>)) {
    for s in Severity::ALL {
        let of: Vec<&Issue<'a>> = issues.iter().filter(|i| i.severity == s).collect();
        if of.is_empty() {
            continue;
        }
        let n: usize = of.iter().map(|i| i.findings.len()).sum();
        let _ = writeln!(b, "<h3 class=\"severity\">{} Issues ({n})</h3>", analysis::severity_title(s));
        for issue in of {
            each(b, issue);
        }
    }
}

/// Source excerpts with line numbers; the lines the findings are on are highlighted.
fn excerpts(b: &mut String, source: &SourceFile, findings: &[&Diagnostic]) {
    let hit: Vec<usize> = findings.iter().map(|d| source.line_col(d.range.start).line as usize).collect();
    for e in analysis::excerpts(source, findings) {
        b.push_str("<pre class=\"excerpt\"><code>");
        for (k, line) in e.lines.iter().enumerate() {
            let no = e.first_line + k;
            let body = format!("<span class=\"ln\">{no}</span>{}", esc(line));
            if hit.contains(&no) {
                let _ = writeln!(b, "<span class=\"hit\">{body}</span>");
            } else {
                let _ = writeln!(b, "{body}");
            }
        }
        if e.omitted > 0 {
            let _ = writeln!(b, "<span class=\"ln\"></span>… {} more lines", e.omitted);
        }
        b.push_str("</code></pre>\n");
    }
}

fn why_and_fix(b: &mut String, issue: &Issue<'_>, docs: Docs<'_>) {
    b.push_str("<dl class=\"why\">");
    if let Some(why) = analysis::why(&docs(issue.rule)) {
        let _ = write!(b, "<dt>Why it matters</dt><dd>{}</dd>", inline(&why, true));
    }
    match issue.helps().as_slice() {
        [] => {}
        [one] => {
            let _ = write!(b, "<dt>Fix</dt><dd>{}</dd>", msg(one));
        }
        [first, rest @ ..] => {
            let _ = write!(
                b,
                "<dt>Fix</dt><dd>{} (and likewise for the other {})</dd>",
                msg(first),
                analysis::plural(rest.len(), "finding", "findings")
            );
        }
    }
    if let Some((safe, title)) = issue.fix() {
        let command = if safe { "caulk fix" } else { "caulk fix --unsafe-fixes" };
        let _ = write!(b, "<dt>Automatic fix</dt><dd>{} ({})</dd>", msg(title), code(command));
    }
    b.push_str("</dl>\n");
}

fn image_section(b: &mut String, k: usize, image: &ImageReport, docs: Docs<'_>, number: &mut usize) {
    let s = &image.summary;
    let _ = writeln!(b, "<section class=\"target\" id=\"image-{k}\"><h2>Image: {}</h2>", code(&s.reference));
    b.push_str("<h3>Base Details</h3><dl class=\"facts\">");
    let digest = s.manifest_digest.as_deref().or(s.config_digest.as_deref());
    let _ = write!(
        b,
        "<dt>Source</dt><dd>{}{}</dd>",
        esc(s.source_kind),
        digest.map(|d| format!(", {}", code(d))).unwrap_or_default()
    );
    if let Some(p) = &s.platform {
        let _ = write!(b, "<dt>Platform</dt><dd>{}</dd>", code(p));
    }
    let _ = write!(b, "<dt>OS</dt><dd>{}</dd>", esc(s.os.as_deref().unwrap_or("none found")));
    if let Some(t) = &s.tier {
        let _ = write!(b, "<dt>Tier</dt><dd>{}</dd>", code(t));
    }
    let base = s.layers.iter().filter(|l| l.base).count();
    let _ = write!(
        b,
        "<dt>Size</dt><dd>{} in {} ({base} from the base image); {} wasted, {:.1}% efficient</dd>",
        human_bytes(s.size_visible),
        analysis::plural(s.layers.len(), "layer", "layers"),
        human_bytes(s.size_wasted),
        efficiency(s.size_visible, s.size_total)
    );
    let total: usize = s.packages.iter().map(|(_, n)| n).sum();
    let kinds: Vec<String> = s.packages.iter().map(|(k, n)| format!("{n} {}", esc(k))).collect();
    let _ = writeln!(
        b,
        "<dt>Packages</dt><dd>{total}{}</dd></dl>",
        if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) }
    );
    if !s.layers.is_empty() {
        let rows: Vec<Row> = s
            .layers
            .iter()
            .enumerate()
            .map(|(k, l)| Row {
                label: format!("#{k}"),
                value: l.size,
                value_label: human_bytes(l.size),
                color: if l.base { BASE_LAYER } else { OWN_LAYER },
                tooltip: format!(
                    "layer {k}{}: {}",
                    if l.base { " (base image)" } else { "" },
                    l.instruction.as_deref().unwrap_or("no history")
                ),
            })
            .collect();
        let _ = write!(
            b,
            "<h3>Layers</h3><figure>{}<figcaption>Layer sizes (bytes of each layer's tar stream); base-image layers in grey</figcaption></figure>",
            chart::hbars(
                &format!("Layer sizes of {}", s.reference),
                &rows,
                &[("base image", BASE_LAYER), ("this image", OWN_LAYER)]
            )
        );
        b.push_str("<table><thead><tr><th class=\"num\">#</th><th class=\"num\">Size</th><th>From</th><th>Created by</th></tr></thead><tbody>");
        for (k, l) in s.layers.iter().enumerate() {
            let _ = write!(
                b,
                "<tr><td class=\"num\">{k}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                human_bytes(l.size),
                if l.base { "base image" } else { "this image" },
                l.instruction.as_deref().map_or_else(|| "–".to_owned(), code)
            );
        }
        b.push_str("</tbody></table>\n");
    }
    if image.diagnostics.is_empty() {
        b.push_str("<h3>Security Issues</h3><p>No findings.</p>\n");
    }
    for_each_severity(b, &analysis::issues(&image.diagnostics), |b, issue| {
        *number += 1;
        open_issue(b, *number, issue);
        let _ = writeln!(b, "<p class=\"rule\">{} {}</p><ul>", code(issue.rule.code), esc(issue.rule.name));
        for d in &issue.findings {
            b.push_str("<li>");
            if issue.findings.len() > 1 {
                let _ = write!(b, "{}<br>", msg(&d.message));
            }
            let _ = write!(b, "{}</li>", image_place(d));
        }
        b.push_str("</ul>\n");
        why_and_fix(b, issue, docs);
        b.push_str("</article>\n");
    });
    vulnerabilities(b, image);
    b.push_str("</section>\n");
}

fn image_place(d: &Diagnostic) -> String {
    let loc = d.image.as_deref();
    let path = loc.and_then(|l| l.path.as_deref()).map_or_else(|| "image configuration".to_owned(), code);
    let mut s = format!("<strong>Where</strong>: {path}");
    if let Some(l) = loc.and_then(|l| l.layer) {
        let owner = if loc.and_then(|l| l.base_layer) == Some(true) { " (base image)" } else { "" };
        let _ = write!(s, ", layer {l}{owner}");
    }
    if let Some(i) = loc.and_then(|l| l.instruction.as_deref()) {
        let _ = write!(s, ", created by {}", code(i));
    }
    s
}

fn vulnerabilities(b: &mut String, image: &ImageReport) {
    b.push_str("<h3>Known Vulnerabilities</h3>\n");
    match &image.vuln_scan {
        VulnScan::NotRun => {
            b.push_str("<p>Vulnerability matching did not run for this image.</p>\n");
            return;
        }
        VulnScan::Skipped { reason } => {
            let _ = writeln!(
                b,
                "<p class=\"verdict caveats\"><strong>Vulnerability matching was skipped</strong>: {}. Every other check ran.</p>",
                msg(reason)
            );
            return;
        }
        VulnScan::Done { packages_checked, packages_unsupported, ignored, filtered } => {
            let (counts, unrated) = image.vuln_counts();
            let n = image.vulnerabilities.len();
            let unfixed = image.vulnerabilities.iter().filter(|v| v.fixed.is_none()).count();
            let _ = write!(
                b,
                "<p>{} checked against the advisory data listed under <a href=\"#provenance\">Data Provenance</a>: <strong>{}</strong>",
                analysis::plural(*packages_checked, "package", "packages"),
                analysis::plural(n, "known vulnerability", "known vulnerabilities")
            );
            if let Some(x) = analysis::breakdown(&counts, unrated) {
                let _ = write!(b, " ({x})");
            }
            if unfixed > 0 {
                let _ = write!(b, "; {unfixed} without a fixed version yet");
            }
            b.push('.');
            if *packages_unsupported > 0 {
                let _ = write!(
                    b,
                    " {} of ecosystems caulk cannot match were not checked.",
                    analysis::plural(*packages_unsupported, "package", "packages")
                );
            }
            if *ignored > 0 {
                let _ = write!(b, " {ignored} ignored by the ignore file.");
            }
            if *filtered > 0 {
                let _ = write!(b, " {filtered} hidden by <code>--severity</code>/<code>--ignore-unfixed</code>.");
            }
            b.push_str("</p>\n");
            if n == 0 {
                return;
            }
            let _ = write!(
                b,
                "<figure>{}<figcaption>Vulnerabilities by severity</figcaption></figure>",
                chart::grouped(
                    &format!("Vulnerabilities by severity in {}", image.summary.reference),
                    &[vuln_group(short(&image.summary.reference), image, unrated > 0)],
                    &severity_legend(unrated > 0)
                )
            );
        }
    }
    let top = analysis::top_vulns(image);
    b.push_str("<h4>Top Vulnerabilities</h4><table><thead><tr><th>Severity</th><th>ID</th><th>Package</th><th>Installed</th><th>Fixed in</th><th>Summary</th></tr></thead><tbody>");
    for v in &top {
        let severity = v.severity.map_or_else(
            || "<span class=\"badge\" style=\"background:#c3c7cd;color:#1f2328\">unrated</span>".to_owned(),
            badge,
        );
        let score = v.score.map(|s| format!(" {s:.1}")).unwrap_or_default();
        let id = match &v.url {
            Some(url) if safe_url(url) => {
                format!(r#"<a href="{}" rel="noopener noreferrer">{}</a>"#, esc(url), esc(&v.id))
            }
            _ => esc(&v.id),
        };
        let _ = write!(
            b,
            "<tr><td>{severity}{score}</td><td>{id}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            code(&v.package.name),
            code(&v.package.version),
            v.fixed.as_deref().map_or_else(|| "no fix yet".to_owned(), code),
            v.summary.as_deref().map_or_else(|| "–".to_owned(), esc)
        );
    }
    b.push_str("</tbody></table>\n");
    if image.vulnerabilities.len() > top.len() {
        let _ = writeln!(
            b,
            "<p>{} more in the JSON and SARIF reports (<code>--format json</code>).</p>",
            image.vulnerabilities.len() - top.len()
        );
    }
}

fn remediation(b: &mut String, report: &Report) {
    let lists = analysis::checklists(report);
    if lists.is_empty() && report.fix_previews.is_empty() {
        return;
    }
    b.push_str("<section id=\"remediation\"><h2>Vulnerability Remediation Steps</h2>\n");
    for list in &lists {
        let _ = writeln!(b, "<h3>For {}:</h3><ol class=\"priorities\">", msg(&list.target));
        for (title, steps) in list.by_priority() {
            let _ = write!(b, "<li><strong>{title}</strong>:<ul class=\"checklist\">");
            for s in steps {
                let _ = write!(b, "<li><label><input type=\"checkbox\"> {}</label></li>", msg(s));
            }
            b.push_str("</ul></li>");
        }
        b.push_str("</ol>\n");
    }
    for p in &report.fix_previews {
        fix_preview(b, p);
    }
    b.push_str("</section>\n");
}

fn fix_preview(b: &mut String, p: &FixPreview) {
    let _ = writeln!(
        b,
        "<h3>Specific Changes: {}</h3><p><code>caulk fix --unsafe-fixes</code> applies {} to this Dockerfile; review the unsafe ones (they change what gets installed) before committing:</p>",
        code(&p.path),
        analysis::plural(p.applied, "fix", "fixes")
    );
    match analysis::diff(&p.before, &p.after, 2) {
        Some(lines) => {
            b.push_str("<pre class=\"diff\"><code>");
            for l in lines {
                match l {
                    DiffLine::Same(s) => {
                        let _ = writeln!(b, " {}", esc(s));
                    }
                    DiffLine::Removed(s) => {
                        let _ = writeln!(b, "<span class=\"del\">-{}</span>", esc(s));
                    }
                    DiffLine::Added(s) => {
                        let _ = writeln!(b, "<span class=\"add\">+{}</span>", esc(s));
                    }
                    DiffLine::Skipped(n) => {
                        let _ = writeln!(
                            b,
                            "<span class=\"skip\">@@ {} unchanged @@</span>",
                            analysis::plural(n, "line", "lines")
                        );
                    }
                }
            }
            b.push_str("</code></pre>\n");
        }
        None => {
            let _ = writeln!(b, "<p><strong>Before</strong></p><pre><code>{}</code></pre>", esc(&p.before));
        }
    }
    let _ = writeln!(
        b,
        "<details><summary>The whole Dockerfile after the fixes</summary><pre class=\"after\"><code>{}</code></pre></details>",
        esc(&p.after)
    );
}

fn provenance(b: &mut String, report: &Report) {
    if report.images.is_empty() {
        return;
    }
    b.push_str("<section id=\"provenance\"><h2>Data Provenance</h2>\n");
    if report.advisory_data.is_empty() {
        b.push_str("<p>No advisory data was used: vulnerability matching needs <code>caulk db update</code> or <code>caulk db import</code>.</p>\n");
    } else {
        b.push_str("<p>Vulnerabilities were matched against these imports of advisory data:</p><table><thead><tr><th>Source</th><th class=\"num\">Advisories</th><th>Imported</th></tr></thead><tbody>");
        for d in &report.advisory_data {
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                code(&d.location),
                d.records,
                esc(&d.imported_at)
            );
        }
        b.push_str("</tbody></table>\n");
    }
    b.push_str("</section>\n");
}

fn references(b: &mut String, report: &Report, docs: Docs<'_>) {
    let with_refs = analysis::rule_references(report, docs);
    if with_refs.is_empty() {
        return;
    }
    b.push_str("<section id=\"references\"><h2>References</h2><ul>");
    for (rule, refs) in with_refs {
        let refs: Vec<String> = refs.iter().map(|r| inline(r, true)).collect();
        let _ = write!(b, "<li>{} {}: {}</li>", code(rule.code), esc(rule.name), refs.join("; "));
    }
    b.push_str("</ul></section>\n");
}

fn change_mark(c: Change) -> (&'static str, &'static str) {
    match c {
        Change::Better => ("better", "✓ better"),
        Change::Worse => ("worse", "✗ worse"),
        Change::Same => ("same", "= same"),
        Change::Unknown => ("unknown", "? unknown"),
    }
}

/// Renders `caulk compare` as one self-contained HTML page: the aspect table with coloured
/// better/worse/same markers and impact stars, the verdict, and findings and vulnerabilities by
/// severity for A and B side by side.
pub fn render_comparison(c: &Comparison, version: &str) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<header><h1>Security Comparison: {} vs {}</h1><p class=\"meta\">Generated by caulk {}. A is the baseline; B is judged against it.</p></header>",
        code(&c.a.label),
        code(&c.b.label),
        esc(version)
    );
    let (class, mark) = change_mark(c.verdict.change);
    let box_class = match c.verdict.change {
        Change::Better => "good",
        Change::Worse => "blocked",
        Change::Same | Change::Unknown => "caveats",
    };
    let _ = writeln!(
        b,
        "<p class=\"verdict {box_class}\"><strong>Verdict</strong>: <span class=\"{class}\">{}</span> — {}{}</p>",
        esc(mark),
        msg(&c.verdict.summary),
        if c.verdict.summary.contains("weight") {
            String::new()
        } else {
            format!(
                " <span class=\"note\">(impact weight better {} / worse {})</span>",
                c.verdict.better_weight, c.verdict.worse_weight
            )
        }
    );
    let _ = write!(
        b,
        "<h2>Security Comparison Table</h2><table><thead><tr><th>Aspect</th><th>A: {}</th><th>B: {}</th><th>B vs A</th><th>Impact</th><th>Note</th></tr></thead><tbody>",
        esc(&c.a.label),
        esc(&c.b.label)
    );
    for r in &c.rows {
        let (class, mark) = change_mark(r.change);
        let stars = "★".repeat(usize::from(r.impact.min(3)));
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{mark}</td><td class=\"stars\" title=\"impact {}\">{stars}</td><td>{}</td></tr>",
            esc(&r.aspect),
            msg(&r.a),
            msg(&r.b),
            r.impact,
            r.note.as_deref().map(msg).unwrap_or_default()
        );
    }
    b.push_str("</tbody></table>\n<h2>Findings and Vulnerabilities</h2><div class=\"charts\">");
    let legend = [("A", "#9aa5b1"), ("B", "#3b5bdb")];
    let ab = |a: &Counts, bc: &Counts| -> Vec<Group> {
        Severity::ALL
            .iter()
            .map(|s| Group {
                label: analysis::severity_title(*s).to_owned(),
                bars: vec![
                    Bar { label: format!("A: {}", c.a.label), value: analysis::count(a, *s) as u64, color: "#9aa5b1" },
                    Bar { label: format!("B: {}", c.b.label), value: analysis::count(bc, *s) as u64, color: "#3b5bdb" },
                ],
            })
            .collect()
    };
    let _ = write!(
        b,
        "<figure>{}<figcaption>Findings by severity: A {} total, B {} total</figcaption></figure>",
        chart::grouped("Findings by severity, A vs B", &ab(&c.a.findings, &c.b.findings), &legend),
        c.a.findings.total(),
        c.b.findings.total()
    );
    if c.a.vulnerabilities.is_some() || c.b.vulnerabilities.is_some() {
        let zero = (Counts::default(), 0);
        let va = c.a.vulnerabilities.unwrap_or(zero);
        let vb = c.b.vulnerabilities.unwrap_or(zero);
        let _ = write!(
            b,
            "<figure>{}<figcaption>Known vulnerabilities by severity: A {} total, B {} total</figcaption></figure>",
            chart::grouped("Vulnerabilities by severity, A vs B", &ab(&va.0, &vb.0), &legend),
            va.0.total() + va.1,
            vb.0.total() + vb.1
        );
    }
    b.push_str("</div>\n");
    let _ = writeln!(b, "<footer>caulk {}: impact ★ to ★★★ weighs each aspect in the verdict.</footer>", esc(version));
    page(&format!("Security Comparison: {} vs {}", c.a.label, c.b.label), version, &b)
}

#[cfg(test)]
mod tests;
