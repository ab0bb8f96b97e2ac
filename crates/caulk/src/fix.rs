//! `caulk fix`: applies fixes in place, or prints them as a unified diff with `--diff`.

use std::fmt::Write;

use anyhow::{Context, Result};
use caulk_lint::fixer::fix_dockerfile;
use similar::TextDiff;

use crate::cli::FixArgs;
use crate::discover;
use crate::output;
use crate::settings;

pub(crate) fn run(args: &FixArgs) -> Result<u8> {
    if let Some(tier) = args.tier {
        return crate::tier::run(args, tier);
    }
    let settings =
        settings::resolve(&args.lint.rules, args.lint.target.clone(), &args.lint.exclude, None, &args.paths[0])?;
    let excludes = discover::build_excludes(&settings.exclude)?;
    let (targets, unusable) = discover::discover(&args.paths, &excludes, args.lint.kind);
    let mut diff_out = String::new();
    let mut summary = String::new();
    let mut total = 0;
    // fixes exist for Dockerfiles only; compose files and nginx configurations are left as they are
    for t in targets.iter().filter(|t| t.kind == caulk_core::TargetKind::Dockerfile) {
        let text = std::fs::read_to_string(&t.path).with_context(|| format!("reading {}", t.display))?;
        let outcome = fix_dockerfile(&text, &settings.lint, args.unsafe_fixes);
        if !outcome.converged {
            output::warn(&format!("{}: fixes did not converge; the file was left as it was", t.display));
            continue;
        }
        if outcome.text == text {
            continue;
        }
        total += outcome.applied;
        if args.diff {
            let diff = TextDiff::from_lines(&text, &outcome.text);
            let _ = write!(
                diff_out,
                "{}",
                diff.unified_diff().context_radius(3).header(&format!("a/{}", t.display), &format!("b/{}", t.display))
            );
        } else {
            std::fs::write(&t.path, &outcome.text).with_context(|| format!("writing {}", t.display))?;
            let _ = writeln!(
                summary,
                "{}: {} fix(es) applied, {} finding(s) remain",
                t.display,
                outcome.applied,
                outcome.remaining.len()
            );
        }
    }
    for u in &unusable {
        output::error(&format!("{}: {}", u.display, u.message));
    }
    if args.diff {
        output::emit(&diff_out, None)?;
    } else {
        let _ = writeln!(summary, "{total} fix(es) applied.");
        output::emit(&summary, None)?;
    }
    Ok(if unusable.is_empty() { 0 } else { 2 })
}
