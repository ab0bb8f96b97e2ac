//! Human output in rustc's style: `severity[CODE]: message`, the file position, the source
//! line with carets, the fix hint; colour only when asked.

use std::fmt::Write;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use caulk_core::{Diagnostic, Severity, SourceFile};

use crate::{AdvisoryData, Counts, ImageReport, Report, VulnScan};

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
    for image in &report.images {
        out.push_str(&image_header(image));
        out.push('\n');
        for d in &image.diagnostics {
            out.push_str(&render_image_diagnostic(&renderer, &image.summary.reference, d));
            out.push_str("\n\n");
        }
        out.push_str(&vulnerabilities(image));
    }
    if !report.advisory_data.is_empty() {
        out.push_str(&advisory_data(&report.advisory_data));
    }
    for e in &report.errors {
        let _ = writeln!(out, "error: {}: {}\n", e.path, e.message);
    }
    out.push_str(&summary(report));
    out
}

/// The facts block printed before an image's findings.
pub fn image_header(image: &ImageReport) -> String {
    let s = &image.summary;
    let mut out = String::new();
    let _ = writeln!(out, "image: {}", s.reference);
    let digest = s.manifest_digest.as_deref().or(s.config_digest.as_deref()).unwrap_or("-");
    let _ = writeln!(out, "  source    {} {}", s.source_kind, digest);
    if let Some(p) = &s.platform {
        let _ = writeln!(out, "  platform  {p}");
    }
    let _ = writeln!(
        out,
        "  os        {}{}",
        s.os.as_deref().unwrap_or("none found"),
        s.tier.as_deref().map(|t| format!("  (tier: {t})")).unwrap_or_default()
    );
    let base = s.layers.iter().filter(|l| l.base).count();
    #[allow(clippy::cast_precision_loss)]
    let efficiency = if s.size_total == 0 { 100.0 } else { s.size_visible as f64 * 100.0 / s.size_total as f64 };
    let _ = writeln!(
        out,
        "  size      {} in {} layer{} ({} from the base image), {} wasted, {:.1}% efficient",
        human_bytes(s.size_visible),
        s.layers.len(),
        if s.layers.len() == 1 { "" } else { "s" },
        base,
        human_bytes(s.size_wasted),
        efficiency
    );
    let total: usize = s.packages.iter().map(|(_, n)| n).sum();
    let kinds: Vec<String> = s.packages.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(
        out,
        "  packages  {total}{}",
        if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) }
    );
    out
}

/// The vulnerability table of one image: a count line, then two lines per finding (what and how
/// to fix it; aliases, title and where the package is).
pub fn vulnerabilities(image: &ImageReport) -> String {
    let mut out = String::new();
    match &image.vuln_scan {
        VulnScan::NotRun | VulnScan::Skipped { .. } => return out,
        VulnScan::Done { packages_checked, ignored, filtered, .. } => {
            let (counts, unrated) = image.vuln_counts();
            let n = image.vulnerabilities.len();
            let unfixed = image.vulnerabilities.iter().filter(|v| v.fixed.is_none()).count();
            let mut line = format!(
                "vulnerabilities: {n}{} in {packages_checked} packages checked",
                breakdown(&counts, unrated).map(|b| format!(" ({b})")).unwrap_or_default()
            );
            if unfixed > 0 {
                let _ = write!(line, "; {unfixed} without a fix yet");
            }
            if *ignored > 0 {
                let _ = write!(line, "; {ignored} ignored by the ignore file");
            }
            if *filtered > 0 {
                let _ = write!(line, "; {filtered} hidden by --severity/--ignore-unfixed");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    let id_width = image.vulnerabilities.iter().map(|v| v.id.chars().count()).max().unwrap_or(0).min(24);
    for v in &image.vulnerabilities {
        let severity = v.severity.map_or("unrated", Severity::as_str);
        let fix = match &v.fixed {
            Some(f) => format!("fixed in {f}"),
            None => "no fix yet".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {severity:<8} {:<id_width$}  {} {} ({}), {fix}",
            v.id,
            v.package.name,
            v.package.version,
            v.package.kind.as_str()
        );
        let mut detail = Vec::new();
        if !v.aliases.is_empty() {
            detail.push(truncate(&v.aliases.join(", "), 80));
        }
        if let Some(summary) = &v.summary {
            detail.push(truncate(summary, 100));
        }
        let layer = match (v.package.layer, v.package.base) {
            (Some(l), true) => format!(", layer {l} (base image)"),
            (Some(l), false) => format!(", layer {l}"),
            (None, _) => String::new(),
        };
        detail.push(format!("{}{layer}", v.package.path));
        let _ = writeln!(out, "  {:<8} {}", "", detail.join(" · "));
    }
    out.push('\n');
    out
}

/// `2 high, 1 medium, 1 unrated`, or `None` when there is nothing.
fn breakdown(c: &Counts, unrated: usize) -> Option<String> {
    let parts: Vec<String> = [
        ("critical", c.critical),
        ("high", c.high),
        ("medium", c.medium),
        ("low", c.low),
        ("info", c.info),
        ("unrated", unrated),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(name, n)| format!("{n} {name}"))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Where the advisories came from: one line per import, so a report says what it was checked against.
fn advisory_data(data: &[AdvisoryData]) -> String {
    let mut out = String::from("advisory data:\n");
    for d in data {
        let _ = writeln!(out, "  {} ({} advisories, imported {})", d.location, d.records, d.imported_at);
    }
    out.push('\n');
    out
}

/// `1.5 MB`-style sizes (decimal units, as docker prints them).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    #[allow(clippy::cast_precision_loss)]
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[unit]) }
}

/// Where an image finding is, in words: `layer 3: RUN apt-get install …`, or
/// `layer 0 (base image): ADD file:… in /`.
pub fn image_where(d: &Diagnostic) -> Option<String> {
    let loc = d.image.as_deref()?;
    let layer = loc.layer?;
    let owner = match loc.base_layer {
        Some(true) => " (base image)",
        Some(false) | None => "",
    };
    Some(match &loc.instruction {
        Some(i) => format!("layer {layer}{owner}: {}", truncate(i, 160)),
        None => format!("layer {layer}{owner}"),
    })
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max).collect();
    t.push('…');
    t
}

/// One image finding: title, `--> image:/path`, the layer it comes from, the hint.
pub fn render_image_diagnostic(renderer: &Renderer, reference: &str, d: &Diagnostic) -> String {
    let path = d.image.as_deref().and_then(|l| l.path.as_deref());
    let origin = match path {
        Some(p) => format!("{reference}:{p}"),
        None => format!("{reference} (image configuration)"),
    };
    let mut group = level(d.severity).primary_title(d.message.as_str()).id(d.rule.code).element(Origin::path(origin));
    let place = image_where(d);
    if let Some(w) = &place {
        group = group.element(Level::NOTE.message(w.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
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
    let images = report.images.len();
    let noun = match (files, images) {
        (_, 0) if files == 1 => "1 file".to_owned(),
        (_, 0) => format!("{files} files"),
        (0, 1) => "1 image".to_owned(),
        (0, _) => format!("{images} images"),
        _ => format!("{files} files and {images} images"),
    };
    let mut out = if c.total() == 0 {
        format!("No findings in {noun}.")
    } else {
        let parts: Vec<String> =
            [("critical", c.critical), ("high", c.high), ("medium", c.medium), ("low", c.low), ("info", c.info)]
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(name, n)| format!("{n} {name}"))
                .collect();
        let plural = if c.total() == 1 { "finding" } else { "findings" };
        format!("Found {} {plural} ({}) in {noun}.", c.total(), parts.join(", "))
    };
    if report.images.iter().any(|i| matches!(i.vuln_scan, VulnScan::Done { .. })) {
        let (counts, unrated) = report.vuln_counts();
        let n = counts.total() + unrated;
        let noun = if n == 1 { "vulnerability" } else { "vulnerabilities" };
        let _ = write!(
            out,
            " {n} known {noun}{}.",
            breakdown(&counts, unrated).map(|b| format!(" ({b})")).unwrap_or_default()
        );
    }
    let suppressed = report.suppressed();
    if suppressed > 0 {
        let _ = write!(out, " {suppressed} suppressed.");
    }
    let (fixable, hidden) = fix_counts(report);
    match (fixable, hidden) {
        (0, 0) => {}
        (n, 0) => {
            let _ = write!(out, "\n{n} fixable with `caulk fix`.");
        }
        (0, h) => {
            let _ = write!(out, "\n{h} fixable with `caulk fix --unsafe-fixes`.");
        }
        (n, h) => {
            let _ = write!(out, "\n{n} fixable with `caulk fix` ({h} more with `--unsafe-fixes`).");
        }
    }
    if !report.errors.is_empty() {
        let _ = write!(out, "\n{} target(s) could not be read.", report.errors.len());
    }
    out.push('\n');
    out
}

/// Findings of files with a safe fix, and with an unsafe one (`--unsafe-fixes` applies those).
fn fix_counts(report: &Report) -> (usize, usize) {
    let mut safe = 0;
    let mut unsafe_only = 0;
    for f in report.files.iter().flat_map(|f| &f.diagnostics).filter_map(|d| d.fix.as_ref()) {
        if f.applicability == caulk_core::Applicability::Safe {
            safe += 1;
        } else if f.applicability == caulk_core::Applicability::Unsafe {
            unsafe_only += 1;
        }
    }
    (safe, unsafe_only)
}
