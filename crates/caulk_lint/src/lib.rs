//! caulk's rules and everything that decides which findings a file gets: the rule framework,
//! the registry, selection by code/prefix/alias, inline suppressions and the fixer.

#[macro_use]
pub mod rule;
mod checker;
pub mod compose;
pub mod context;
mod edits;
mod eol;
pub mod fixer;
pub mod image;
pub mod nginx;
pub mod packages;
pub mod pins;
pub mod registry;
mod rules;
mod secrets;
pub mod selection;
pub mod settings;
pub mod suppression;
#[cfg(test)]
mod test;
pub mod tier;
pub mod vuln;

pub use checker::Checker;
pub use registry::{all_rules, find_rule};
pub use rule::DockerfileRule;
pub use selection::RuleSelector;
pub use settings::LintSettings;

use std::path::PathBuf;

use caulk_core::{Diagnostic, TargetKind, TextRange};
use caulk_syntax::dockerfile::{self, Model};

/// The outcome of linting one Dockerfile.
#[derive(Debug, Default)]
pub struct LintResult {
    /// Findings after selection and suppressions, sorted by position then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of findings suppressed by pragmas or configuration.
    pub suppressed: usize,
}

/// Findings for one file of a target that spans several files (a compose project with its
/// override files, an nginx configuration with its includes).
#[derive(Debug)]
pub struct FileFindings {
    pub path: PathBuf,
    pub text: String,
    pub kind: TargetKind,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: usize,
}

/// Lints a Dockerfile's text with `settings`.
pub fn check_dockerfile(text: &str, settings: &LintSettings) -> LintResult {
    let parsed = dockerfile::parse(text);
    let model = Model::new(&parsed.ast, settings.target.as_deref());
    let stages = context::StageContext::build(&parsed.ast, &model);
    let mut diagnostics = Vec::new();
    for e in &parsed.errors {
        diagnostics.push(Diagnostic::new(&rules::meta::SYNTAX_ERROR, e.range, e.message.clone()));
    }
    for (index, _) in parsed.ast.instructions.iter().enumerate() {
        if let Some(script) = model.script(index) {
            for note in &script.notes {
                diagnostics.push(Diagnostic::new(&rules::meta::SHELL_PARSE_NOTE, note.range, note.message.clone()));
            }
        }
    }
    if let Some(t) = &model.missing_target {
        diagnostics.push(Diagnostic::new(
            &rules::meta::SYNTAX_ERROR,
            TextRange::empty(0),
            format!("target stage `{t}` is not defined; the last stage is checked instead"),
        ));
    }
    for rule in registry::DOCKERFILE_RULES {
        let meta = rule.meta();
        if !settings.is_enabled(meta) {
            continue;
        }
        let mut cx = Checker::new(text, &parsed.ast, &model, &stages, settings, meta, &mut diagnostics);
        rule.check(&mut cx);
    }
    let mut diagnostics: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| settings.is_enabled(d.rule)).collect();
    for d in &mut diagnostics {
        if let Some(sev) = settings.severity_override(d.rule) {
            d.severity = sev;
        }
    }
    let suppressions = suppression::Suppressions::from_comments(&parsed.ast, text);
    let (mut kept, suppressed) = suppressions.apply(diagnostics, settings);
    kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    kept.dedup_by(|a, b| a.range == b.range && a.rule.code == b.rule.code && a.message == b.message);
    LintResult { diagnostics: kept, suppressed }
}
