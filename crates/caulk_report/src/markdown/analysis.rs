//! What the Markdown and HTML analyses say, worked out once so both formats say the same: findings
//! grouped by rule and severity, excerpts, remediation steps, package upgrades, a verdict, a diff.

use std::collections::BTreeMap;

use caulk_core::{Diagnostic, RuleMeta, Severity, SourceFile, TargetKind, VulnFinding};

use crate::{Counts, ImageReport, Report};

/// A rule's Markdown documentation, as `caulk_lint::rule::docs` gives it.
pub(crate) type Docs<'a> = &'a dyn Fn(&RuleMeta) -> String;

/// Most excerpt lines shown for one cluster of findings.
const MAX_EXCERPT_LINES: usize = 16;
/// Rows of the top-vulnerabilities table.
pub(crate) const TOP_VULNS: usize = 15;
/// Risks named in the executive summary.
const TOP_RISKS: usize = 5;

/// The findings of one rule at one severity in one target: the unit a reader acts on.
pub(crate) struct Issue<'a> {
    pub(crate) severity: Severity,
    pub(crate) rule: &'static RuleMeta,
    /// In report order (by position).
    pub(crate) findings: Vec<&'a Diagnostic>,
}

impl Issue<'_> {
    /// The entry's title: the message when alone, the rule's summary when several share it.
    pub(crate) fn title(&self) -> String {
        match self.findings.as_slice() {
            [one] => capitalize(&one.message),
            _ => format!("{} ({} findings)", capitalize(self.rule.summary), self.findings.len()),
        }
    }

    /// The distinct help texts, in order.
    pub(crate) fn helps(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for h in self.findings.iter().filter_map(|d| d.help.as_deref()) {
            if !out.contains(&h) {
                out.push(h);
            }
        }
        out
    }

    /// The strongest fix caulk offers for these findings: `Some(true)` safe, `Some(false)` only
    /// with `--unsafe-fixes`, `None` none applicable.
    pub(crate) fn fix(&self) -> Option<(bool, &str)> {
        use caulk_core::Applicability;
        let fixes = self.findings.iter().filter_map(|d| d.fix.as_ref());
        let mut best: Option<(bool, &str)> = None;
        for f in fixes {
            match f.applicability {
                Applicability::Safe => return Some((true, f.title.as_str())),
                Applicability::Unsafe if best.is_none() => best = Some((false, f.title.as_str())),
                _ => {}
            }
        }
        best
    }
}

/// Groups findings by (severity, rule): most severe first; within a severity, by first position.
pub(crate) fn issues(diagnostics: &[Diagnostic]) -> Vec<Issue<'_>> {
    let mut out: Vec<Issue<'_>> = Vec::new();
    for d in diagnostics {
        match out.iter_mut().find(|i| i.severity == d.severity && i.rule.code == d.rule.code) {
            Some(i) => i.findings.push(d),
            None => out.push(Issue { severity: d.severity, rule: d.rule, findings: vec![d] }),
        }
    }
    // stable: report order is kept inside a severity
    out.sort_by_key(|i| std::cmp::Reverse(i.severity));
    out
}

/// `Severity` names as headings use them.
pub(crate) const fn severity_title(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// Findings per severity.
pub(crate) fn counts_of(diagnostics: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for d in diagnostics {
        c.add(d.severity);
    }
    c
}

pub(crate) fn count(c: &Counts, s: Severity) -> usize {
    match s {
        Severity::Critical => c.critical,
        Severity::High => c.high,
        Severity::Medium => c.medium,
        Severity::Low => c.low,
        Severity::Info => c.info,
    }
}

/// `1 critical, 4 high, 14 medium` (zero counts left out), or `None` when all are zero.
pub(crate) fn breakdown(c: &Counts, unrated: usize) -> Option<String> {
    let mut parts: Vec<String> =
        Severity::ALL.iter().filter(|s| count(c, **s) > 0).map(|s| format!("{} {s}", count(c, *s))).collect();
    if unrated > 0 {
        parts.push(format!("{unrated} unrated"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Upper-cases the first letter when the first word is a plain word (`the` → `The`), never a
/// command or identifier (`apt-get`, `sshd_config`) or code.
pub(crate) fn capitalize(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or_default();
    if !first_word.chars().all(char::is_alphabetic) {
        return s.to_owned();
    }
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The body of a `## Name` section of a rule's docs, without the heading, trimmed.
pub(crate) fn doc_section(docs: &str, name: &str) -> Option<String> {
    let mut body = Vec::new();
    let mut inside = false;
    let mut fenced = false;
    for line in docs.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with("## ") {
            if inside {
                break;
            }
            inside = line.trim_start_matches('#').trim() == name;
            continue;
        }
        if inside {
            body.push(line);
        }
    }
    let text = body.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// "Why is this bad?" as one paragraph (line breaks of the doc comment joined).
pub(crate) fn why(docs: &str) -> Option<String> {
    let section = doc_section(docs, "Why is this bad?")?;
    let first = section.split("\n\n").next().unwrap_or_default();
    Some(first.lines().map(str::trim).collect::<Vec<_>>().join(" "))
}

/// Every rule with findings in the report, by code, with the references its docs list (rules
/// without any left out).
pub(crate) fn rule_references(report: &Report, docs: Docs<'_>) -> Vec<(&'static RuleMeta, Vec<String>)> {
    let mut rules: Vec<&'static RuleMeta> = report.all_diagnostics().map(|d| d.rule).collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    rules.into_iter().map(|r| (r, references(&docs(r)))).filter(|(_, refs)| !refs.is_empty()).collect()
}

/// The References section's items, continuation lines joined.
pub(crate) fn references(docs: &str) -> Vec<String> {
    let Some(section) = doc_section(docs, "References") else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for line in section.lines() {
        if let Some(item) = line.strip_prefix("- ") {
            out.push(item.trim().to_owned());
        } else if let Some(last) = out.last_mut()
            && !line.trim().is_empty()
        {
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    out
}

/// A run of source lines to show for a set of findings.
pub(crate) struct Excerpt {
    /// 1-based number of the first line.
    pub(crate) first_line: usize,
    pub(crate) lines: Vec<String>,
    /// Lines left out after the last one shown.
    pub(crate) omitted: usize,
}

/// The lines the findings are on, widened to whole instructions (backslash continuations), in
/// clusters: findings within two lines of each other share one excerpt.
pub(crate) fn excerpts(source: &SourceFile, findings: &[&Diagnostic]) -> Vec<Excerpt> {
    let text = source.text();
    let index = source.line_index();
    let n = index.line_count();
    let line = |i: usize| index.line_range(text, i).slice(text).to_owned();
    let continues = |i: usize| line(i).trim_end().ends_with('\\');
    let mut spans: Vec<(usize, usize)> = findings
        .iter()
        .map(|d| {
            let start = index.line_of(d.range.start.min(u32::try_from(text.len()).unwrap_or(u32::MAX)));
            let end_offset = if d.range.is_empty() { d.range.start } else { d.range.end.saturating_sub(1) };
            let end = index.line_of(end_offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX))).max(start);
            let mut s = start;
            while s > 0 && continues(s - 1) {
                s -= 1;
            }
            let mut e = end;
            while e + 1 < n && continues(e) {
                e += 1;
            }
            (s, e)
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 + 2 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
        .into_iter()
        .map(|(s, e)| {
            let shown = (e - s + 1).min(MAX_EXCERPT_LINES);
            Excerpt { first_line: s + 1, lines: (s..s + shown).map(line).collect(), omitted: e - s + 1 - shown }
        })
        .collect()
}

/// `line 5`, `lines 5, 6 and 9`: where in a file an issue is.
pub(crate) fn lines_of(source: &SourceFile, findings: &[&Diagnostic]) -> String {
    let mut lines: Vec<u32> = findings.iter().map(|d| source.line_col(d.range.start).line).collect();
    lines.dedup();
    let list: Vec<String> = lines.iter().map(u32::to_string).collect();
    match list.as_slice() {
        [one] => format!("line {one}"),
        [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
        [] => String::new(),
    }
}

/// The language tag of a fenced block for a file of this kind.
pub(crate) const fn code_language(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Dockerfile => "dockerfile",
        TargetKind::Compose => "yaml",
        TargetKind::Nginx => "nginx",
        TargetKind::Image => "text",
    }
}

/// What a file is, in words.
pub(crate) const fn kind_title(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Dockerfile => "Dockerfile",
        TargetKind::Compose => "Compose file",
        TargetKind::Nginx => "nginx configuration",
        TargetKind::Image => "Image",
    }
}

/// "1 Dockerfile, 1 compose file and 2 images": what a run analysed.
pub(crate) fn analysed(report: &Report) -> String {
    let mut by_kind: BTreeMap<TargetKind, usize> = BTreeMap::new();
    for f in &report.files {
        *by_kind.entry(f.kind).or_default() += 1;
    }
    let mut parts: Vec<String> = by_kind
        .iter()
        .map(|(k, n)| match k {
            TargetKind::Dockerfile => plural(*n, "Dockerfile", "Dockerfiles"),
            TargetKind::Compose => plural(*n, "compose file", "compose files"),
            TargetKind::Nginx => plural(*n, "nginx configuration file", "nginx configuration files"),
            TargetKind::Image => plural(*n, "image file", "image files"),
        })
        .collect();
    if !report.images.is_empty() {
        parts.push(plural(report.images.len(), "container image", "container images"));
    }
    match parts.as_slice() {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The most serious distinct problems: the first finding of each rule, most severe first, medium
/// and above, then the most severe vulnerabilities when they outrank what is left.
pub(crate) fn top_risks(report: &Report) -> Vec<&Diagnostic> {
    let mut seen: Vec<&str> = Vec::new();
    let mut all: Vec<&Diagnostic> = report.all_diagnostics().filter(|d| d.severity >= Severity::Medium).collect();
    all.sort_by_key(|d| std::cmp::Reverse(d.severity)); // stable: report order within a severity
    let mut out = Vec::new();
    for d in all {
        if !seen.contains(&d.rule.code) {
            seen.push(d.rule.code);
            out.push(d);
        }
        if out.len() == TOP_RISKS {
            break;
        }
    }
    out
}

/// How ready the analysed targets are, from the most severe finding or vulnerability.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Verdict {
    /// Critical: a direct path to compromise.
    Blocked,
    /// High.
    NeedsWork,
    /// Medium.
    Caveats,
    /// Low, info or nothing.
    Good,
}

impl Verdict {
    pub(crate) fn of(report: &Report) -> Self {
        match report.max_severity() {
            Some(Severity::Critical) => Self::Blocked,
            Some(Severity::High) => Self::NeedsWork,
            Some(Severity::Medium) => Self::Caveats,
            _ => Self::Good,
        }
    }

    pub(crate) const fn headline(self) -> &'static str {
        match self {
            Self::Blocked => "Not fit for production",
            Self::NeedsWork => "Needs work before production",
            Self::Caveats => "Acceptable with caveats",
            Self::Good => "No significant risk found",
        }
    }

    pub(crate) const fn mark(self) -> &'static str {
        match self {
            Self::Blocked => "❌",
            Self::NeedsWork => "⚠️",
            Self::Caveats => "🟡",
            Self::Good => "✅",
        }
    }

    /// One sentence saying why and what to do first.
    pub(crate) const fn advice(self) -> &'static str {
        match self {
            Self::Blocked => {
                "critical findings give an attacker a direct way in; fix them before this ships, then the high ones."
            }
            Self::NeedsWork => "high-severity findings widen what an attacker gains from any foothold; fix them first.",
            Self::Caveats => "nothing critical or high; the medium findings are worth fixing in the normal course.",
            Self::Good => "only low-severity hygiene remains, if anything.",
        }
    }
}

/// One package upgrade that clears known vulnerabilities.
pub(crate) struct Upgrade<'a> {
    pub(crate) package: &'a str,
    pub(crate) version: &'a str,
    /// The highest fixed version among its vulnerabilities (by [`natural_cmp`]: a display choice;
    /// the matcher, not this, decides what is affected).
    pub(crate) to: &'a str,
    /// The most severe of the vulnerabilities it fixes (`None`: all unrated).
    pub(crate) severity: Option<Severity>,
    pub(crate) ids: Vec<&'a str>,
}

/// Upgrades per package that fix at least one vulnerability, most severe first, then by name.
pub(crate) fn upgrades(image: &ImageReport) -> Vec<Upgrade<'_>> {
    let mut by_pkg: BTreeMap<(&str, &str), Upgrade<'_>> = BTreeMap::new();
    for v in &image.vulnerabilities {
        let Some(fixed) = v.fixed.as_deref() else { continue };
        let u = by_pkg.entry((v.package.name.as_str(), v.package.version.as_str())).or_insert_with(|| Upgrade {
            package: &v.package.name,
            version: &v.package.version,
            to: fixed,
            severity: v.severity,
            ids: Vec::new(),
        });
        u.severity = u.severity.max(v.severity);
        if natural_cmp(fixed, u.to).is_gt() {
            u.to = fixed;
        }
        if !u.ids.contains(&v.id.as_str()) {
            u.ids.push(&v.id);
        }
    }
    let mut out: Vec<Upgrade<'_>> = by_pkg.into_values().collect();
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.package.cmp(b.package)));
    out
}

/// Orders version strings with digit runs compared as numbers (`2.34-270` after `2.34-60`): right
/// for the deb, rpm and apk versions a fix names, and only used to pick which fix to print.
pub(crate) fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut digit = None;
        for (i, c) in s.char_indices() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|x| x != d) {
                out.push((digit == Some(true), &s[start..i]));
                start = i;
            }
            digit = Some(d);
        }
        if start < s.len() {
            out.push((digit == Some(true), &s[start..]));
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for ((da, xa), (db, xb)) in pa.iter().zip(&pb) {
        let o = match (da, db) {
            (true, true) => {
                let (ta, tb) = (xa.trim_start_matches('0'), xb.trim_start_matches('0'));
                ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb))
            }
            _ => xa.cmp(xb),
        };
        if o.is_ne() {
            return o;
        }
    }
    pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
}

/// The vulnerabilities worth a table row: most severe first (unrated last), then by score, id, package.
pub(crate) fn top_vulns(image: &ImageReport) -> Vec<&VulnFinding> {
    let mut all: Vec<&VulnFinding> = image.vulnerabilities.iter().collect();
    all.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.package.name.cmp(&b.package.name))
    });
    all.truncate(TOP_VULNS);
    all
}

/// A code span that shows `s` verbatim whatever backticks it holds (line breaks become spaces);
/// the one way values are quoted in messages both renderers read.
pub(crate) fn tick(s: &str) -> String {
    let s: String = s.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

pub(crate) fn longest_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == ch {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// The executive summary's top risks, as messages (backticks mark code).
pub(crate) fn risk_sentences(report: &Report) -> Vec<String> {
    let mut out: Vec<String> =
        top_risks(report).iter().map(|d| format!("{} ({}, {})", d.message, d.severity, tick(d.rule.code))).collect();
    let (vcounts, _) = report.vuln_counts();
    let serious = vcounts.critical + vcounts.high;
    if serious > 0 {
        let mut pkgs: Vec<&str> = report
            .all_vulnerabilities()
            .filter(|v| v.severity >= Some(Severity::High))
            .map(|v| v.package.name.as_str())
            .collect();
        pkgs.sort_unstable();
        pkgs.dedup();
        let shown: Vec<String> = pkgs.iter().take(4).map(|p| tick(p)).collect();
        let more = if pkgs.len() > shown.len() {
            format!(" and {} more packages", pkgs.len() - shown.len())
        } else {
            String::new()
        };
        out.push(format!(
            "{} rated critical or high in {}{more}",
            plural(serious, "known vulnerability", "known vulnerabilities"),
            shown.join(", "),
        ));
    }
    out
}

/// The remediation steps of one target, most urgent first (messages: backticks mark code).
pub(crate) struct Checklist {
    /// `` `path` `` or ``image `ref` ``.
    pub(crate) target: String,
    pub(crate) steps: Vec<(Severity, String)>,
}

/// The headings remediation steps are grouped under, as in the hand-written analyses.
const PRIORITIES: [(Severity, &str); 3] = [
    (Severity::Critical, "Immediate (Critical)"),
    (Severity::High, "High Priority"),
    (Severity::Medium, "Medium Priority"),
];

impl Checklist {
    /// The steps under their priority headings, empty priorities left out.
    pub(crate) fn by_priority(&self) -> Vec<(&'static str, Vec<&str>)> {
        PRIORITIES
            .iter()
            .map(|(s, title)| (*title, self.steps.iter().filter(|(x, _)| x == s).map(|(_, t)| t.as_str()).collect()))
            .filter(|(_, steps): &(&str, Vec<&str>)| !steps.is_empty())
            .collect()
    }
}

/// One checklist per target with something at medium or above: one step per rule (its fix,
/// where, the code), and for images one step per package upgrade that clears vulnerabilities.
pub(crate) fn checklists(report: &Report) -> Vec<Checklist> {
    let mut out = Vec::new();
    for file in &report.files {
        let steps: Vec<(Severity, String)> = issues(&file.diagnostics)
            .iter()
            .filter(|i| i.severity >= Severity::Medium)
            .map(|i| (i.severity, step(i, &lines_of(&file.source, &i.findings))))
            .collect();
        if !steps.is_empty() {
            out.push(Checklist { target: tick(file.source.path()), steps });
        }
    }
    for image in &report.images {
        let mut steps: Vec<(Severity, String)> = issues(&image.diagnostics)
            .iter()
            .filter(|i| i.severity >= Severity::Medium)
            .map(|i| (i.severity, step(i, "")))
            .collect();
        for u in upgrades(image) {
            let Some(s) = u.severity.filter(|s| *s >= Severity::Medium) else { continue };
            let ids: Vec<String> = u.ids.iter().take(3).map(|i| tick(i)).collect();
            let more = if u.ids.len() > 3 { format!(" and {} more", u.ids.len() - 3) } else { String::new() };
            steps.push((
                s,
                format!(
                    "Upgrade {} from {} to {} or later (fixes {}{more})",
                    tick(u.package),
                    tick(u.version),
                    tick(u.to),
                    ids.join(", ")
                ),
            ));
        }
        steps.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
        if !steps.is_empty() {
            out.push(Checklist { target: format!("image {}", tick(&image.summary.reference)), steps });
        }
    }
    out
}

/// One step for an issue, as the seeds write them: what, then how (its fix), the rule and where.
fn step(issue: &Issue<'_>, place: &str) -> String {
    let place = if place.is_empty() { String::new() } else { format!(", {place}") };
    let what = capitalize(issue.rule.summary);
    let code = tick(issue.rule.code);
    match issue.helps().as_slice() {
        [] => format!("{what} ({code}{place})"),
        [one] => format!("{what}: {one} ({code}{place})"),
        [first, ..] => format!("{what}: {first}, and likewise for the others ({code}{place})"),
    }
}

/// One line of a line diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiffLine<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
    /// Unchanged lines left out between hunks.
    Skipped(usize),
}

/// Largest file (lines on either side) diffed line by line; longer ones are shown whole.
const MAX_DIFF_LINES: usize = 4000;

/// A line diff of `before` and `after` (the `similar` crate's Myers diff), unchanged runs
/// cut down to `context` lines around each change. `None` when too large to be worth reading.
pub(crate) fn diff<'a>(before: &'a str, after: &'a str, context: usize) -> Option<Vec<DiffLine<'a>>> {
    use similar::{DiffTag, TextDiff};
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a.len() > MAX_DIFF_LINES || b.len() > MAX_DIFF_LINES {
        return None;
    }
    // the diff's line indexes are those of `lines()`: both split at each `\n`
    let d = TextDiff::from_lines(before, after);
    let old_len = d.old_len();
    let mut out = Vec::new();
    let mut shown_until = 0;
    for group in d.grouped_ops(context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let start = first.old_range().start;
        if start > shown_until {
            out.push(DiffLine::Skipped(start - shown_until));
        }
        for op in &group {
            let (tag, old, new) = op.as_tag_tuple();
            let removed = a.get(old).unwrap_or_default();
            let added = b.get(new).unwrap_or_default();
            match tag {
                DiffTag::Equal => out.extend(removed.iter().map(|l| DiffLine::Same(l))),
                DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                    out.extend(removed.iter().map(|l| DiffLine::Removed(l)));
                    out.extend(added.iter().map(|l| DiffLine::Added(l)));
                }
            }
        }
        shown_until = last.old_range().end;
    }
    if old_len > shown_until {
        out.push(DiffLine::Skipped(old_len - shown_until));
    }
    Some(out)
}

/// A piece of one-line Markdown-ish text: what messages, help and docs are made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Span<'a> {
    Text(&'a str),
    /// Between backticks.
    Code(&'a str),
    /// `[label](url)`.
    Link(&'a str, &'a str),
    /// `*x*` or `**x**`.
    Emphasis(&'a str),
}

/// Splits text into spans. Backticks pair up as code; an unpaired one stays text. Links and
/// emphasis are recognised only in trusted text (rule docs): `markup` false keeps them text.
pub(crate) fn spans(text: &str, markup: bool) -> Vec<Span<'_>> {
    let mut out = Vec::new();
    let mut plain_start = 0usize;
    let bytes = text.as_bytes();
    let mut k = 0usize;
    while k < bytes.len() {
        let c = bytes[k];
        let found: Option<(Span<'_>, usize)> = match c {
            b'`' => {
                let run = bytes[k..].iter().take_while(|b| **b == b'`').count();
                let fence = &text[k..k + run];
                text[k + run..].find(fence).and_then(|end| {
                    let close = k + run + end;
                    // the closing run must be exactly as long
                    let longer = bytes.get(close + run) == Some(&b'`');
                    (!longer).then(|| {
                        let inner = &text[k + run..close];
                        let inner = if inner.len() >= 2 && inner.starts_with(' ') && inner.ends_with(' ') {
                            &inner[1..inner.len() - 1]
                        } else {
                            inner
                        };
                        (Span::Code(inner), close + run)
                    })
                })
            }
            b'[' if markup => text[k..].find("](").and_then(|mid| {
                let label = &text[k + 1..k + mid];
                let url_start = k + mid + 2;
                text[url_start..]
                    .find(')')
                    .map(|end| (Span::Link(label, &text[url_start..url_start + end]), url_start + end + 1))
            }),
            b'*' if markup => {
                let run = if bytes.get(k + 1) == Some(&b'*') { 2 } else { 1 };
                let marker = &text[k..k + run];
                text[k + run..]
                    .find(marker)
                    .filter(|e| *e > 0)
                    .map(|e| (Span::Emphasis(&text[k + run..k + run + e]), k + run + e + run))
            }
            _ => None,
        };
        match found {
            Some((span, next)) => {
                if plain_start < k {
                    out.push(Span::Text(&text[plain_start..k]));
                }
                out.push(span);
                k = next;
                plain_start = next;
            }
            None => k += 1,
        }
    }
    if plain_start < text.len() {
        out.push(Span::Text(&text[plain_start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_pair_backticks_and_leave_unpaired_ones() {
        assert_eq!(spans("`curl` is unpinned", false), vec![Span::Code("curl"), Span::Text(" is unpinned")]);
        assert_eq!(spans("a ` b", false), vec![Span::Text("a ` b")]);
        assert_eq!(spans("x ``a`b`` y", false), vec![Span::Text("x "), Span::Code("a`b"), Span::Text(" y")]);
        assert_eq!(spans("[a](b) *c*", false), vec![Span::Text("[a](b) *c*")]);
        assert_eq!(
            spans("see [a](https://x) and *c*", true),
            vec![Span::Text("see "), Span::Link("a", "https://x"), Span::Text(" and "), Span::Emphasis("c")]
        );
    }

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        use std::cmp::Ordering::{Greater, Less};
        assert_eq!(natural_cmp("2.34-270.el9_8", "2.34-60.el9_2.7"), Greater);
        assert_eq!(natural_cmp("1.2.9", "1.2.10"), Less);
        assert_eq!(natural_cmp("1.0-r0", "1.0-r1"), Less);
        assert_eq!(natural_cmp("1.0", "1.0.1"), Less);
    }

    #[test]
    fn diff_keeps_context_and_counts_skipped_lines() {
        let before = "a\nb\nc\nd\ne\nf\ng\n";
        let after = "a\nb\nc\nD\ne\nf\ng\n";
        let d = diff(before, after, 1).unwrap_or_default();
        assert_eq!(
            d,
            vec![
                DiffLine::Skipped(2),
                DiffLine::Same("c"),
                DiffLine::Removed("d"),
                DiffLine::Added("D"),
                DiffLine::Same("e"),
                DiffLine::Skipped(2),
            ]
        );
    }

    #[test]
    fn doc_sections_are_found_outside_fences() {
        let docs = "## What it does\nX.\n\n## Why is this bad?\nBecause\nit is.\n\nMore.\n## Example\n```\n## not a heading\n```\n## References\n- one\n  two\n- three\n";
        assert_eq!(why(docs).as_deref(), Some("Because it is."));
        assert_eq!(references(docs), vec!["one two".to_owned(), "three".to_owned()]);
    }
}
