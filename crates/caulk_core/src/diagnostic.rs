//! A finding: which rule, where, how bad, what is wrong, and optionally how to fix it.

use crate::rule::RuleMeta;
use crate::severity::Severity;
use crate::text::TextRange;

/// One finding in one file. Rendering (line/column, excerpts) happens later, in caulk_report.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    /// The rule's default severity, or an override from configuration.
    pub severity: Severity,
    /// Names the culprit: "`curl` is installed without a version pin".
    pub message: String,
    pub range: TextRange,
    /// A short, actionable hint shown under the excerpt.
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// For findings in a container image: the layer and path instead of a text range.
    pub image: Option<Box<ImageLocation>>,
}

/// Where in an image a finding is: the file, the layer that introduced it and the instruction
/// that made that layer. Every part is optional (a finding on the configuration has no path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageLocation {
    /// Absolute path inside the image.
    pub path: Option<String>,
    /// Layer index, 0 = the lowest.
    pub layer: Option<u32>,
    /// The layer's digest, when known.
    pub layer_digest: Option<String>,
    /// The instruction that made the layer (from the image history).
    pub instruction: Option<String>,
    /// True when the layer comes from the base image, false when it is the user's own.
    pub base_layer: Option<bool>,
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, range: TextRange, message: impl Into<String>) -> Self {
        Self { rule, severity: rule.severity, message: message.into(), range, help: None, fix: None, image: None }
    }

    /// A finding in an image, located by layer and path rather than by text range.
    pub fn in_image(rule: &'static RuleMeta, location: ImageLocation, message: impl Into<String>) -> Self {
        Self { image: Some(Box::new(location)), ..Self::new(rule, TextRange::empty(0), message) }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the hint in place, for rules that hold a `&mut Diagnostic` from the checker.
    pub fn set_help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the fix in place.
    pub fn set_fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    /// The sort key every report uses: position, then code, then message.
    pub fn sort_key(&self) -> (u32, u32, Option<&str>, &'static str, &str) {
        let path = self.image.as_ref().and_then(|l| l.path.as_deref());
        (self.range.start, self.range.end, path, self.rule.code, &self.message)
    }
}

/// How much a fix can be trusted to keep the file's behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Only shown, never applied (e.g. it needs a value caulk cannot know).
    DisplayOnly,
    /// Changes behaviour in ways the user must review; applied with `--unsafe-fixes`.
    Unsafe,
    /// Keeps the meaning of the file; applied by default.
    Safe,
}

impl Applicability {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::DisplayOnly => "display-only",
            Self::Unsafe => "unsafe",
            Self::Safe => "safe",
        }
    }
}

/// A set of non-overlapping edits that together fix one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self { title: title.into(), applicability: Applicability::Safe, edits }
    }

    pub fn unsafe_edit(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self { title: title.into(), applicability: Applicability::Unsafe, edits }
    }

    /// The range covering every edit, used to detect fixes that overlap.
    pub fn range(&self) -> Option<TextRange> {
        self.edits.iter().map(|e| e.range).reduce(TextRange::cover)
    }
}

/// Replace `range` with `content` (an empty range inserts, empty content deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Self { range, content: content.into() }
    }

    pub fn insert(offset: u32, content: impl Into<String>) -> Self {
        Self { range: TextRange::empty(offset), content: content.into() }
    }

    pub fn delete(range: TextRange) -> Self {
        Self { range, content: String::new() }
    }
}

/// Applies edits to `text`. Edits must not overlap; they are applied from the end backwards.
/// Returns `None` when two edits overlap or an edit falls outside the text or off a char boundary.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    for pair in sorted.windows(2) {
        if let [a, b] = pair
            && a.range.end > b.range.start
        {
            return None;
        }
    }
    let mut out = text.to_owned();
    for edit in sorted.iter().rev() {
        let r = edit.range.as_usize();
        if !out.is_char_boundary(r.start) || !out.is_char_boundary(r.end) || r.end > out.len() {
            return None;
        }
        out.replace_range(r, &edit.content);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_edits_back_to_front() {
        let text = "RUN apt-get install curl";
        let edits = [Edit::insert(19, " --no-install-recommends"), Edit::replace(TextRange::new(0, 3), "RUN")];
        assert_eq!(apply_edits(text, &edits).as_deref(), Some("RUN apt-get install --no-install-recommends curl"));
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let edits = [Edit::delete(TextRange::new(0, 4)), Edit::delete(TextRange::new(2, 6))];
        assert_eq!(apply_edits("abcdefgh", &edits), None);
    }
}
