//! nginx checks: the checker nginx rules read, the rule trait, and the entry point that loads a
//! configuration with its includes and lints the effective server/location blocks.

pub mod model;

use std::path::Path;

use caulk_core::{Diagnostic, RuleMeta, TargetKind, TextRange};
use caulk_syntax::nginx::loader::{self, IncludeProblem, Loaded};
use caulk_syntax::nginx::{Comment, Directive, FileId};

use crate::FileFindings;
use crate::rule::HasMeta;
use crate::rules::nginx::{RULES, meta};
use crate::settings::LintSettings;

pub use model::{Ctx, Headers, Model, Node};

/// An nginx rule: reads the shared model through the checker and reports findings.
pub trait NginxRule: HasMeta + Sync + Send {
    fn check(&self, cx: &mut NginxChecker<'_>);
}

/// Metadata of every nginx rule, for the registry.
pub(crate) fn rule_metas() -> impl Iterator<Item = &'static RuleMeta> {
    meta::META_RULES.iter().copied().chain(RULES.iter().map(|r| r.meta()))
}

/// A finding of an nginx rule, in the file it concerns.
#[derive(Debug)]
pub struct Finding {
    pub file: FileId,
    pub diagnostic: Diagnostic,
}

/// The shared view every nginx rule reads; built once per configuration.
pub struct NginxChecker<'a> {
    pub model: &'a Model<'a>,
    pub settings: &'a LintSettings,
    rule: &'static RuleMeta,
    out: &'a mut Vec<Finding>,
}

impl<'a> NginxChecker<'a> {
    pub(crate) fn new(
        model: &'a Model<'a>,
        settings: &'a LintSettings,
        rule: &'static RuleMeta,
        out: &'a mut Vec<Finding>,
    ) -> Self {
        Self { model, settings, rule, out }
    }

    /// Reports a finding of the running rule at `range` in the file of `at`.
    pub fn report(&mut self, at: &Directive, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Finding { file: at.file, diagnostic: Diagnostic::new(self.rule, range, message) });
        let last = self.out.len() - 1;
        &mut self.out[last].diagnostic
    }

    /// Every directive with its node index.
    pub fn nodes(&self) -> impl Iterator<Item = (usize, &'a Node<'a>)> + 'a {
        self.model.nodes.iter().enumerate()
    }

    /// Directives named `name` with their node index.
    pub fn named(&self, name: &'a str) -> impl Iterator<Item = (usize, &'a Node<'a>)> + 'a {
        self.nodes().filter(move |(_, n)| n.d.is(name))
    }
}

/// Lints the nginx configuration whose main file is `path`; `prefix` is nginx's `-p` prefix
/// for relative includes (default: the main file's directory).
pub fn check_nginx(path: &Path, prefix: Option<&Path>, settings: &LintSettings) -> Vec<FileFindings> {
    match loader::load(path, prefix) {
        Ok(loaded) => check_loaded(&loaded, settings),
        Err(e) => vec![FileFindings {
            path: path.to_path_buf(),
            text: String::new(),
            kind: TargetKind::Nginx,
            diagnostics: vec![Diagnostic::new(
                &meta::SYNTAX_ERROR,
                TextRange::empty(0),
                format!("cannot read nginx configuration: {e}"),
            )],
            suppressed: 0,
        }],
    }
}

/// Lints an already loaded configuration.
pub fn check_loaded(loaded: &Loaded, settings: &LintSettings) -> Vec<FileFindings> {
    let mut findings = Vec::new();
    for (i, f) in loaded.files.iter().enumerate() {
        let file = FileId::try_from(i).unwrap_or(FileId::MAX);
        for e in &f.errors {
            findings
                .push(Finding { file, diagnostic: Diagnostic::new(&meta::SYNTAX_ERROR, e.range, e.message.clone()) });
        }
    }
    for e in &loaded.errors {
        let d = Diagnostic::new(&meta::INCLUDE_PROBLEM, e.range, e.message.clone());
        let d = match e.problem {
            IncludeProblem::Missing => d.with_help(
                "check the path; relative includes are resolved from the including file's directory and the nginx prefix (`--nginx-prefix`)",
            ),
            IncludeProblem::Cycle => d.with_help("remove the include that leads back to an including file"),
            IncludeProblem::Limit => d,
        };
        findings.push(Finding { file: e.file, diagnostic: d });
    }
    let model = Model::new(&loaded.tree);
    run_rules(&model, settings, RULES, &mut findings);
    let mut out = Vec::new();
    for (i, f) in loaded.files.iter().enumerate() {
        let file = FileId::try_from(i).unwrap_or(FileId::MAX);
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let mut rest = Vec::with_capacity(findings.len());
        for x in findings {
            if x.file == file {
                diagnostics.push(x.diagnostic);
            } else {
                rest.push(x);
            }
        }
        findings = rest;
        let diagnostics: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| settings.is_enabled(d.rule))
            .map(|mut d| {
                if let Some(sev) = settings.severity_override(d.rule) {
                    d.severity = sev;
                }
                d
            })
            .collect();
        let (mut kept, suppressed) = suppress(diagnostics, &f.config.comments, &f.config.directives, settings);
        if kept.is_empty() && suppressed == 0 {
            continue;
        }
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        kept.dedup_by(|a, b| a.range == b.range && a.rule.code == b.rule.code && a.message == b.message);
        out.push(FileFindings {
            path: f.path.clone(),
            text: f.text.clone(),
            kind: TargetKind::Nginx,
            diagnostics: kept,
            suppressed,
        });
    }
    out
}

fn run_rules(model: &Model<'_>, settings: &LintSettings, rules: &[&dyn NginxRule], out: &mut Vec<Finding>) {
    for rule in rules {
        let meta = rule.meta();
        if !settings.is_enabled(meta) {
            continue;
        }
        let mut cx = NginxChecker::new(model, settings, meta, out);
        rule.check(&mut cx);
    }
}

/// Applies `# caulk ignore=CODE[,CODE]` (the next directive, with its block) and
/// `# caulk global ignore=CODE` (the whole file) comments. Aliases (gixy plugin names) work too.
/// A pragma that suppressed nothing although a rule it names ran is reported (NX003).
fn suppress(
    diagnostics: Vec<Diagnostic>,
    comments: &[Comment],
    directives: &[Directive],
    settings: &LintSettings,
) -> (Vec<Diagnostic>, usize) {
    struct Pragma<'a> {
        comment: &'a Comment,
        scope: Option<TextRange>,
        rules: Vec<&'static RuleMeta>,
        used: bool,
    }
    let mut pragmas: Vec<Pragma<'_>> = Vec::new();
    for c in comments {
        let lower = c.text.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("caulk") else { continue };
        let rest = rest.trim_start();
        let (global, rest) = match rest.strip_prefix("global") {
            Some(r) => (true, r.trim_start()),
            None => (false, rest),
        };
        let Some(list) = rest.strip_prefix("ignore=") else { continue };
        let list = list.split_whitespace().next().unwrap_or("");
        let rules: Vec<&'static RuleMeta> = list.split(',').flat_map(crate::registry::rules_known_as).collect();
        let scope = if global { None } else { next_directive(directives, c.range.end) };
        if !global && scope.is_none() {
            continue;
        }
        pragmas.push(Pragma { comment: c, scope, rules, used: false });
    }
    if pragmas.is_empty() {
        return (diagnostics, 0);
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut dropped = 0;
    for d in diagnostics {
        let mut hit = false;
        for p in &mut pragmas {
            if p.scope.is_none_or(|s| s.contains(d.range.start) || s.start == d.range.start)
                && p.rules.iter().any(|r| r.code == d.rule.code)
            {
                p.used = true;
                hit = true;
            }
        }
        if hit {
            dropped += 1;
        } else {
            kept.push(d);
        }
    }
    if settings.is_enabled(&meta::UNUSED_SUPPRESSION) {
        // Only when a named rule actually ran: otherwise nobody knows whether it would match.
        for p in pragmas.iter().filter(|p| !p.used && p.rules.iter().any(|r| settings.is_enabled(r))) {
            let names: Vec<&str> = p.rules.iter().map(|r| r.code).collect();
            kept.push(
                Diagnostic::new(
                    &meta::UNUSED_SUPPRESSION,
                    p.comment.range,
                    format!("suppression of {} matches no finding", names.join(", ")),
                )
                .with_help("remove the comment, so it cannot hide a future finding"),
            );
        }
    }
    (kept, dropped)
}

/// The range of the first directive (at any depth) starting at or after `offset`.
fn next_directive(ds: &[Directive], offset: u32) -> Option<TextRange> {
    for d in ds {
        if d.range.start >= offset {
            return Some(d.range);
        }
        if d.range.end > offset
            && let Some(r) = next_directive(d.children(), offset)
        {
            return Some(r);
        }
    }
    None
}

/// Test helpers: run one rule on a configuration text.
#[cfg(test)]
pub(crate) mod test {
    use std::path::Path;

    use caulk_core::Diagnostic;
    use caulk_syntax::nginx::loader;

    use super::{Model, NginxRule, run_rules};
    use crate::settings::LintSettings;

    /// Runs `rule` alone on `text` (a main file with no includes).
    pub(crate) fn run_nginx_rule(rule: &dyn NginxRule, text: &str) -> Vec<Diagnostic> {
        let loaded = loader::load_text(Path::new("/nonexistent/nginx.conf"), text.to_owned(), None);
        let model = Model::new(&loaded.tree);
        let mut out = Vec::new();
        run_rules(&model, &LintSettings::default(), &[rule], &mut out);
        let mut d: Vec<Diagnostic> = out.into_iter().map(|f| f.diagnostic).collect();
        d.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        d
    }

    /// Asserts `rule` reports at least one finding on `text`; returns the findings.
    #[track_caller]
    pub(crate) fn assert_fires(rule: &dyn NginxRule, text: &str) -> Vec<Diagnostic> {
        let d = run_nginx_rule(rule, text);
        assert!(!d.is_empty(), "{} did not fire on:\n{text}", rule.meta().code);
        d
    }

    /// Asserts `rule` reports nothing on `text`.
    #[track_caller]
    pub(crate) fn assert_passes(rule: &dyn NginxRule, text: &str) {
        let d = run_nginx_rule(rule, text);
        assert!(
            d.is_empty(),
            "{} fired unexpectedly on:\n{text}\n{:#?}",
            rule.meta().code,
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use caulk_core::SourceFile;

    use super::test::run_nginx_rule;
    use super::*;

    fn fixture(name: &str) -> Option<String> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/test/nginx").join(name);
        std::fs::read_to_string(path).ok()
    }

    /// Every nginx rule fires on its fixture and stays quiet on the good one; the rendered
    /// findings are snapshotted.
    #[test]
    fn every_nginx_rule_has_a_hit_a_miss_and_a_snapshot() {
        let mut codes = BTreeSet::new();
        for rule in RULES {
            let meta = rule.meta();
            let code = meta.code;
            assert!(codes.insert(code), "duplicate {code}");
            assert_eq!(meta.target, TargetKind::Nginx, "{code}");
            assert!(code.starts_with("NX"), "{code}");
            let bad = fixture(&format!("{code}.conf")).unwrap_or_else(|| panic!("missing fixture {code}.conf"));
            let good = fixture(&format!("{code}_ok.conf")).unwrap_or_else(|| panic!("missing fixture {code}_ok.conf"));
            let hits = run_nginx_rule(*rule, &bad);
            assert!(!hits.is_empty(), "{code} does not fire on {code}.conf");
            let misses = run_nginx_rule(*rule, &good);
            assert!(
                misses.is_empty(),
                "{code} fires on {code}_ok.conf: {:?}",
                misses.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
            assert!(hits.iter().all(|d| d.fix.is_none()), "{code} declares no fix but emits one");
            let report = caulk_report::Report {
                files: vec![caulk_report::FileReport {
                    source: SourceFile::new(format!("{code}.conf"), bad.clone()),
                    kind: TargetKind::Nginx,
                    diagnostics: hits,
                    suppressed: 0,
                }],
                ..caulk_report::Report::default()
            };
            insta::assert_snapshot!(code, caulk_report::text::render(&report, false));
        }
    }

    #[test]
    fn unused_suppressions_are_reported_only_when_their_rule_ran() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("nginx.conf");
        std::fs::write(
            &conf,
            "events {}\nhttp {\n  server {\n    listen 80;\n    # caulk ignore=NX101\n    server_tokens off;\n    \
             # caulk ignore=version_disclosure\n    server_tokens on;\n  }\n}\n",
        )
        .unwrap();
        let out = check_nginx(&conf, None, &LintSettings::default());
        let f = out.iter().find(|f| f.path.ends_with("nginx.conf")).unwrap();
        let unused: Vec<&str> =
            f.diagnostics.iter().filter(|d| d.rule.code == "NX003").map(|d| d.range.slice(&f.text)).collect();
        // The first pragma guards a directive with nothing to report; the second (a gixy alias) is used.
        assert_eq!(unused, ["# caulk ignore=NX101"], "{:?}", f.diagnostics);
        assert!(!f.diagnostics.iter().any(|d| d.rule.code == "NX101"));
        // With the named rule switched off nothing can be said about the pragma.
        let mut settings = LintSettings::default();
        settings.ignore.push(crate::RuleSelector::parse("NX101").unwrap());
        let out = check_nginx(&conf, None, &settings);
        assert!(out.iter().flat_map(|f| &f.diagnostics).all(|d| d.rule.code != "NX003"));
    }

    #[test]
    fn findings_land_in_their_own_file_and_suppressions_apply() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("nginx.conf"),
            "events {}\nhttp {\n  include conf.d/*.conf;\n  include nope.conf;\n}\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("conf.d")).unwrap();
        std::fs::write(
            dir.path().join("conf.d/app.conf"),
            "server {\n  listen 80;\n  # caulk ignore=NX101\n  server_tokens on;\n  autoindex on\n}\n",
        )
        .unwrap();
        let out = check_nginx(&dir.path().join("nginx.conf"), None, &LintSettings::default());
        let main = out.iter().find(|f| f.path.ends_with("nginx.conf")).unwrap();
        assert!(main.diagnostics.iter().any(|d| d.rule.code == "NX002" && d.range.slice(&main.text) == "nope.conf"));
        let app = out.iter().find(|f| f.path.ends_with("app.conf")).unwrap();
        assert!(app.diagnostics.iter().any(|d| d.rule.code == "NX001"), "{:?}", app.diagnostics);
        assert!(!app.diagnostics.iter().any(|d| d.rule.code == "NX101"));
        assert!(app.suppressed >= 1);
        for f in &out {
            assert_eq!(f.kind, TargetKind::Nginx);
            for d in &f.diagnostics {
                assert!(d.range.end as usize <= f.text.len());
            }
        }
    }

    /// The seed's nginx concerns (security headers, rate limiting, server tokens, gzip, health
    /// endpoint, CORS) are all reported when absent and none is when configured as the seed
    /// recommends.
    #[test]
    fn seed_concerns_are_reported_when_absent_only() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/test/nginx");
        let settings = LintSettings::default();
        let codes = |name: &str| -> BTreeSet<&'static str> {
            check_nginx(&dir.join(name), None, &settings)
                .iter()
                .flat_map(|f| f.diagnostics.iter().map(|d| d.rule.code))
                .collect()
        };
        let bad = codes("seed_bad.conf");
        for code in ["NX101", "NX102", "NX201", "NX301", "NX402", "NX502"] {
            assert!(bad.contains(code), "{code} not reported on seed_bad.conf: {bad:?}");
        }
        let good = codes("seed_ok.conf");
        assert!(good.is_empty(), "seed_ok.conf has findings: {good:?}");
    }

    #[test]
    fn include_cycles_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.conf"), "include b.conf;\n").unwrap();
        std::fs::write(dir.path().join("b.conf"), "include a.conf;\n").unwrap();
        let out = check_nginx(&dir.path().join("a.conf"), None, &LintSettings::default());
        let b = out.iter().find(|f| f.path.ends_with("b.conf")).unwrap();
        assert!(b.diagnostics.iter().any(|d| d.rule.code == "NX002" && d.message.contains("includes itself")));
    }

    #[test]
    fn unreadable_main_file_is_a_diagnostic() {
        let out = check_nginx(Path::new("/nonexistent/caulk/nginx.conf"), None, &LintSettings::default());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].diagnostics[0].rule.code, "NX001");
    }
}
