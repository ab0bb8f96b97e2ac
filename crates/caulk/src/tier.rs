//! `caulk fix --tier`: rewrites each Dockerfile into the hardened, distroless or scratch tier,
//! written beside it as `<dockerfile>.<tier>` (or shown as a diff), then checks the result.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use caulk_core::Severity;
use caulk_lint::tier::{self, rewrite};
use similar::TextDiff;

use crate::cli::{FixArgs, Tier};
use crate::discover;
use crate::output;
use crate::settings;

/// File name suffixes of rewrites, so walking a directory does not rewrite a rewrite.
const SUFFIXES: &[&str] = &[".hardened", ".distroless", ".scratch"];

pub(crate) fn run(args: &FixArgs, tier: Tier) -> Result<u8> {
    let tier = match tier {
        Tier::Hardened => tier::Tier::Hardened,
        Tier::Distroless => tier::Tier::Distroless,
        Tier::Scratch => tier::Tier::Scratch,
    };
    let settings =
        settings::resolve(&args.lint.rules, args.lint.target.clone(), &args.lint.exclude, None, &args.paths[0])?;
    let excludes = discover::build_excludes(&settings.exclude)?;
    let (targets, unusable) = discover::discover(&args.paths, &excludes, args.lint.kind);
    let mut failed = !unusable.is_empty();
    let mut diff_out = String::new();
    let mut summary = String::new();
    for t in targets.iter().filter(|t| t.kind == caulk_core::TargetKind::Dockerfile) {
        let name = t.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if SUFFIXES.iter().any(|s| name.ends_with(s)) {
            continue;
        }
        let text = match std::fs::read_to_string(&t.path) {
            Ok(text) => text,
            Err(e) => {
                output::error(&format!("{}: cannot read: {e}", t.display));
                failed = true;
                continue;
            }
        };
        let context = t.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let rewritten = match rewrite(&text, context, tier, &settings.lint.today) {
            Ok(r) => r,
            Err(not) => {
                output::error(&format!("{}: the {} tier is not possible: {}", t.display, tier.as_str(), not.reason));
                failed = true;
                continue;
            }
        };
        let out_display = format!("{}.{}", t.display, tier.as_str());
        for note in &rewritten.notes {
            output::info(&format!("{out_display}: note: {note}"));
        }
        let check = caulk_lint::check_dockerfile(&rewritten.text, &settings.lint);
        for d in check.diagnostics.iter().filter(|d| d.severity >= Severity::Medium) {
            output::warn(&format!(
                "{out_display}: the rewrite still has a {} finding: {} {}",
                d.severity.as_str(),
                d.rule.code,
                d.message
            ));
        }
        if args.diff {
            let diff = TextDiff::from_lines(&text, &rewritten.text);
            let _ = write!(
                diff_out,
                "{}",
                diff.unified_diff().context_radius(3).header(&format!("a/{}", t.display), &format!("b/{out_display}"))
            );
        } else {
            let mut path = t.path.clone().into_os_string();
            path.push(format!(".{}", tier.as_str()));
            if let Err(e) = std::fs::write(&path, &rewritten.text) {
                output::error(&format!("{out_display}: cannot write: {e}"));
                failed = true;
                continue;
            }
            let _ = writeln!(summary, "{}: wrote {out_display}", t.display);
        }
    }
    for u in &unusable {
        output::error(&format!("{}: {}", u.display, u.message));
    }
    output::emit(if args.diff { &diff_out } else { &summary }, None)?;
    Ok(if failed { 2 } else { 0 })
}
