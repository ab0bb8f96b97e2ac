//! Inline suppressions: `# caulk ignore=CODE[,CODE] reason: …` for the next instruction,
//! `# caulk global ignore=…` for the file, and hadolint's own `# hadolint ignore=…` pragmas
//! through aliases. A suppression that matches nothing is itself reported.

use caulk_core::{Diagnostic, RuleMeta, TextRange};
use caulk_syntax::dockerfile::Dockerfile;

use crate::registry;
use crate::rules::meta::{INVALID_SUPPRESSION, UNUSED_SUPPRESSION};
use crate::settings::LintSettings;

/// One code named in a pragma.
#[derive(Debug)]
struct Entry {
    /// The code as written (`DL3008`).
    written: String,
    rules: Vec<&'static RuleMeta>,
    range: TextRange,
    used: bool,
}

#[derive(Debug)]
struct Pragma {
    /// `None` for a global pragma; else the range of the instruction it covers.
    scope: Option<TextRange>,
    entries: Vec<Entry>,
}

/// The suppressions of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    pragmas: Vec<Pragma>,
    invalid: Vec<Diagnostic>,
}

impl Suppressions {
    pub fn from_comments(df: &Dockerfile, text: &str) -> Self {
        let mut out = Self::default();
        for c in &df.comments {
            let Some((global, list, list_offset)) = parse_pragma(&c.text) else { continue };
            let line = c.range;
            // where the trimmed comment text starts in the file
            let raw = line.slice(text);
            let text_start =
                raw.find(c.text.as_str()).map_or(line.start, |i| line.start + u32::try_from(i).unwrap_or(0));
            let scope = if global {
                None
            } else {
                match df.instructions.iter().find(|i| i.range.start >= line.end) {
                    Some(inst) => Some(inst.range),
                    None => continue,
                }
            };
            let mut entries = Vec::new();
            let mut offset = list_offset;
            for code in list.split(',') {
                let trimmed = code.trim();
                let lead = code.len() - code.trim_start().len();
                let start = text_start + u32::try_from(offset + lead).unwrap_or(0);
                let range = TextRange::new(start, start + u32::try_from(trimmed.len()).unwrap_or(0));
                offset += code.len() + 1;
                if trimmed.is_empty() {
                    continue;
                }
                let rules = registry::rules_known_as(trimmed);
                if rules.is_empty() {
                    // codes of other tools that caulk does not implement are ignored only if they
                    // look like hadolint/shellcheck codes; anything else is a typo worth reporting
                    if !(trimmed.starts_with("SC") || trimmed.starts_with("DL")) {
                        out.invalid.push(Diagnostic::new(
                            &INVALID_SUPPRESSION,
                            range,
                            format!("`{trimmed}` is not a caulk rule code, name or alias"),
                        ));
                    }
                    continue;
                }
                entries.push(Entry { written: trimmed.to_owned(), rules, range, used: false });
            }
            out.pragmas.push(Pragma { scope, entries });
        }
        out
    }

    /// Drops suppressed diagnostics; returns what is kept (plus suppression findings) and the count dropped.
    pub fn apply(mut self, diagnostics: Vec<Diagnostic>, settings: &LintSettings) -> (Vec<Diagnostic>, usize) {
        let mut kept = Vec::with_capacity(diagnostics.len());
        let mut dropped = 0;
        for d in diagnostics {
            let mut suppressed = false;
            for p in &mut self.pragmas {
                // a scoped pragma covers findings that start within its instruction
                if p.scope.is_some_and(|s| !s.contains_range(TextRange::empty(d.range.start))) {
                    continue;
                }
                for e in &mut p.entries {
                    if e.rules.iter().any(|r| r.code == d.rule.code) {
                        e.used = true;
                        suppressed = true;
                    }
                }
            }
            if suppressed {
                dropped += 1;
            } else {
                kept.push(d);
            }
        }
        if settings.is_enabled(&UNUSED_SUPPRESSION) {
            for p in &self.pragmas {
                for e in p.entries.iter().filter(|e| !e.used) {
                    // only report when the named rule actually ran: otherwise we cannot know
                    if e.rules.iter().any(|r| settings.is_enabled(r)) {
                        kept.push(Diagnostic::new(
                            &UNUSED_SUPPRESSION,
                            e.range,
                            format!("suppression of `{}` matches no finding; remove it", e.written),
                        ));
                    }
                }
            }
        }
        if settings.is_enabled(&INVALID_SUPPRESSION) {
            kept.append(&mut self.invalid);
        }
        (kept, dropped)
    }
}

/// Recognises `caulk ignore=…`, `caulk global ignore=…`, `hadolint ignore=…`, `hadolint global ignore=…`.
/// Returns (global, the code list, the list's offset in `text`).
fn parse_pragma(text: &str) -> Option<(bool, &str, usize)> {
    let lower = text.to_ascii_lowercase();
    let rest_at = if lower.starts_with("caulk") {
        5
    } else if lower.starts_with("hadolint") {
        8
    } else {
        return None;
    };
    let after = lower.get(rest_at..)?;
    let trimmed = after.trim_start();
    let mut at = rest_at + (after.len() - trimmed.len());
    let global = trimmed.starts_with("global");
    if global {
        let t = lower.get(at + 6..)?;
        at += 6 + (t.len() - t.trim_start().len());
    }
    let t = lower.get(at..)?;
    if !t.starts_with("ignore") {
        return None;
    }
    let t2 = lower.get(at + 6..)?;
    at += 6 + (t2.len() - t2.trim_start().len());
    if lower.as_bytes().get(at) != Some(&b'=') {
        return None;
    }
    at += 1;
    let list_full = text.get(at..)?;
    let lead = list_full.len() - list_full.trim_start().len();
    let list_full = list_full.trim_start();
    let end = list_full.find(char::is_whitespace).unwrap_or(list_full.len());
    Some((global, list_full.get(..end)?, at + lead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_forms() {
        assert_eq!(
            parse_pragma("caulk ignore=DF301,DL3015 reason: pinned by lockfile").map(|p| (p.0, p.1)),
            Some((false, "DF301,DL3015"))
        );
        assert_eq!(parse_pragma("hadolint global ignore=DL3008").map(|p| (p.0, p.1)), Some((true, "DL3008")));
        assert_eq!(parse_pragma("hadolint ignore = DL3008").map(|p| p.1), Some("DL3008"));
        assert_eq!(parse_pragma("just a comment about caulk"), None);
        assert_eq!(parse_pragma("caulk: ignore=x"), None);
    }
}
