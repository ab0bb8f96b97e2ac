//! Applies fixes to a fixpoint: lint, apply the non-overlapping fixes allowed by the chosen
//! honesty level, re-lint, until nothing changes (ruff's loop).

use caulk_core::diagnostic::apply_edits;
use caulk_core::{Applicability, Diagnostic};

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
        let mut fixes: Vec<&caulk_core::Fix> = result
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability >= min && !f.edits.is_empty())
            .collect();
        fixes.sort_by_key(|f| f.range().map(|r| (r.start, r.end)));
        let mut edits = Vec::new();
        let mut last_end = None;
        let mut count = 0;
        for f in fixes {
            let Some(r) = f.range() else { continue };
            if last_end.is_some_and(|e| r.start < e) {
                continue; // overlaps an earlier fix: the next pass gets it
            }
            last_end = Some(r.end.max(r.start + 1));
            edits.extend(f.edits.iter().cloned());
            count += 1;
        }
        if count == 0 {
            return FixOutcome { text: current, applied, remaining: result.diagnostics, converged: true };
        }
        match apply_edits(&current, &edits) {
            Some(next) if next != current => {
                current = next;
                applied += count;
            }
            _ => return FixOutcome { text: current, applied, remaining: result.diagnostics, converged: true },
        }
    }
    let remaining = crate::check_dockerfile(&current, settings).diagnostics;
    FixOutcome { text: current, applied, remaining, converged: false }
}
