//! Applies fixes to a fixpoint: lint, apply the non-overlapping fixes allowed by the chosen
//! honesty level, re-lint, until nothing changes (ruff's loop). A pass whose result parses
//! with more syntax errors than its input is not taken as a whole: only the fixes that keep
//! the file parsing are applied.

use std::sync::Arc;

use caulk_core::diagnostic::apply_edits;
use caulk_core::{Applicability, Diagnostic, Edit, Fix, TextRange};

use crate::pins::PackagePins;
use crate::settings::LintSettings;

/// The most passes before giving up on convergence.
const MAX_PASSES: usize = 10;

/// The fixed text and what happened on the way.
#[derive(Debug)]
pub struct FixOutcome {
    pub text: String,
    /// Number of fixes applied over all passes.
    pub applied: usize,
    /// Findings left after fixing.
    pub remaining: Vec<Diagnostic>,
    /// False when fixes kept producing new fixes for `MAX_PASSES` passes.
    pub converged: bool,
}

/// Fixes `text`: safe fixes always, unsafe ones when `unsafe_fixes` is set.
pub fn fix_dockerfile(text: &str, settings: &LintSettings, unsafe_fixes: bool) -> FixOutcome {
    let min = if unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    let mut current = text.to_owned();
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let result = crate::check_dockerfile(&current, settings);
        let chosen = non_overlapping(&result.diagnostics, min);
        if chosen.is_empty() {
            return FixOutcome { text: current, applied, remaining: result.diagnostics, converged: true };
        }
        match apply_keeping_syntax(&current, &chosen) {
            Some((next, count)) if next != current => {
                current = next;
                applied += count;
            }
            _ => return FixOutcome { text: current, applied, remaining: result.diagnostics, converged: true },
        }
    }
    let remaining = crate::check_dockerfile(&current, settings).diagnostics;
    FixOutcome { text: current, applied, remaining, converged: false }
}

/// [`fix_dockerfile`] with the package versions of an image: DF301–DF306 then also offer to
/// pin unpinned installs to those versions (unsafe fixes, applied with `unsafe_fixes`).
pub fn fix_dockerfile_with_pins(
    text: &str,
    settings: &LintSettings,
    unsafe_fixes: bool,
    pins: Arc<PackagePins>,
) -> FixOutcome {
    let settings = LintSettings { pins: Some(pins), ..settings.clone() };
    fix_dockerfile(text, &settings, unsafe_fixes)
}

/// The fixes of `diagnostics` at or above `min`, in position order, leaving out any fix with an
/// edit that overlaps an edit of a fix taken before it (inserts at the same offset count as
/// overlapping: their order would be arbitrary). The next pass gets the ones left out.
fn non_overlapping(diagnostics: &[Diagnostic], min: Applicability) -> Vec<&Fix> {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability >= min && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.range().map(|r| (r.start, r.end)));
    let mut taken: Vec<TextRange> = Vec::new();
    let mut out = Vec::new();
    for f in fixes {
        let clashes = f.edits.iter().any(|e| taken.iter().any(|t| overlaps(*t, e.range)));
        let own_clash =
            f.edits.iter().enumerate().any(|(i, a)| f.edits.iter().skip(i + 1).any(|b| overlaps(a.range, b.range)));
        if clashes || own_clash {
            continue;
        }
        taken.extend(f.edits.iter().map(|e| e.range));
        out.push(f);
    }
    out
}

/// Whether two edit ranges conflict: they share bytes, or both insert at the same offset, or
/// one inserts strictly inside the other.
fn overlaps(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
}

/// Applies `fixes` to `text`; when the result has more syntax errors than `text`, applies only
/// the fixes that do not add any on their own. Returns the new text and the number of fixes in it.
fn apply_keeping_syntax(text: &str, fixes: &[&Fix]) -> Option<(String, usize)> {
    let errors = |t: &str| caulk_syntax::dockerfile::parse(t).errors.len();
    let before = errors(text);
    let all: Vec<Edit> = fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect();
    let next = apply_edits(text, &all)?;
    if errors(&next) <= before {
        return Some((next, fixes.len()));
    }
    let good: Vec<&&Fix> =
        fixes.iter().filter(|f| apply_edits(text, &f.edits).is_some_and(|t| errors(&t) <= before)).collect();
    let edits: Vec<Edit> = good.iter().flat_map(|f| f.edits.iter().cloned()).collect();
    let next = apply_edits(text, &edits)?;
    (errors(&next) <= before).then_some((next, good.len()))
}

#[cfg(test)]
mod tests {
    use caulk_core::TextRange;

    use super::overlaps;

    #[test]
    fn overlap_rules() {
        assert!(!overlaps(TextRange::new(0, 4), TextRange::new(4, 6)));
        assert!(overlaps(TextRange::new(0, 5), TextRange::new(4, 6)));
        assert!(overlaps(TextRange::empty(3), TextRange::empty(3)));
        assert!(!overlaps(TextRange::empty(4), TextRange::new(0, 4)));
        assert!(overlaps(TextRange::empty(2), TextRange::new(0, 4)));
    }
}
