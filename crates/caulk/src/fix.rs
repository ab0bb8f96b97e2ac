//! `caulk fix`: applies fixes in place, or prints them as a unified diff with `--diff`; with
//! `--image`, also pins installs to the package versions that image contains.

use std::fmt::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use caulk_lint::fixer::{fix_dockerfile, fix_dockerfile_with_pins};
use caulk_lint::pins::PackagePins;
use similar::TextDiff;

use crate::cli::FixArgs;
use crate::discover;
use crate::image;
use crate::output;
use crate::settings;

/// The rules whose findings `--image` pins: what is left of them after fixing was not pinned.
const PIN_RULES: &[&str] = &["DF301", "DF302", "DF303", "DF304", "DF305", "DF306"];

/// The package versions of `--image`, read like `caulk scan` reads images.
fn read_pins(args: &FixArgs) -> Result<Option<Arc<PackagePins>>> {
    let Some(reference) = &args.image else { return Ok(None) };
    let image =
        image::Reader::new(&args.image_opts).read(reference).with_context(|| format!("reading image {reference}"))?;
    let pins = PackagePins::from_packages(&image.packages);
    if !args.unsafe_fixes {
        output::warn("pinning to the image's versions is an unsafe fix: add --unsafe-fixes to apply it");
    }
    output::info(&format!("{reference}: {} package version(s) to pin to", pins.len()));
    Ok(Some(Arc::new(pins)))
}

pub(crate) fn run(args: &FixArgs) -> Result<u8> {
    if let Some(tier) = args.tier {
        return crate::tier::run(args, tier);
    }
    let settings =
        settings::resolve(&args.lint.rules, args.lint.target.clone(), &args.lint.exclude, None, &args.paths[0])?;
    let excludes = discover::build_excludes(&settings.exclude)?;
    let (targets, unusable) = discover::discover(&args.paths, &excludes, args.lint.kind);
    let pins = read_pins(args)?;
    let mut diff_out = String::new();
    let mut summary = String::new();
    let mut total = 0;
    let mut unpinned = 0;
    // fixes exist for Dockerfiles only; compose files and nginx configurations are left as they are
    for t in targets.iter().filter(|t| t.kind == caulk_core::TargetKind::Dockerfile) {
        let text = std::fs::read_to_string(&t.path).with_context(|| format!("reading {}", t.display))?;
        let outcome = match &pins {
            Some(p) => fix_dockerfile_with_pins(&text, &settings.lint, args.unsafe_fixes, Arc::clone(p)),
            None => fix_dockerfile(&text, &settings.lint, args.unsafe_fixes),
        };
        if !outcome.converged {
            output::warn(&format!("{}: fixes did not converge; the file was left as it was", t.display));
            continue;
        }
        if pins.is_some() && args.unsafe_fixes {
            unpinned += outcome.remaining.iter().filter(|d| PIN_RULES.contains(&d.rule.code)).count();
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
    let unpinned_note = format!(
        "{unpinned} package(s) left unpinned: the image does not contain them, or they are installed in a build stage"
    );
    if args.diff {
        output::emit(&diff_out, None)?;
        if unpinned > 0 {
            output::info(&unpinned_note);
        }
    } else {
        let _ = writeln!(summary, "{total} fix(es) applied.");
        if unpinned > 0 {
            let _ = writeln!(summary, "{unpinned_note}.");
        }
        output::emit(&summary, None)?;
    }
    Ok(if unusable.is_empty() { 0 } else { 2 })
}
