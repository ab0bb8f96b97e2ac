//! Byte ranges into a source text; every diagnostic, fix and AST node carries one.

use serde::Serialize;

/// A half-open byte range `start..end` into a source text.
///
/// Offsets are `u32` to keep AST nodes small; sources larger than 4 GiB are refused upstream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    /// A range from `start` to `end`; a reversed pair is normalised so the range is never negative.
    pub const fn new(start: u32, end: u32) -> Self {
        if start <= end { Self { start, end } } else { Self { start: end, end: start } }
    }

    /// An empty range at `offset`, for insertions and end-of-file positions.
    pub const fn empty(offset: u32) -> Self {
        Self { start: offset, end: offset }
    }

    /// A range of `len` bytes starting at `start`.
    pub fn at(start: usize, len: usize) -> Self {
        Self::new(to_u32(start), to_u32(start.saturating_add(len)))
    }

    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest range that covers both.
    #[must_use]
    pub fn cover(self, other: Self) -> Self {
        Self::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub const fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    pub const fn contains_range(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Shift the range right by `delta` bytes (used to map sub-parser offsets into the file).
    #[must_use]
    pub const fn shifted(self, delta: u32) -> Self {
        Self { start: self.start + delta, end: self.end + delta }
    }

    /// The range as `usize` bounds, for slicing.
    pub const fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text the range covers, or `""` when it does not fall on char boundaries of `text`.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.as_usize()).unwrap_or("")
    }
}

/// Converts a `usize` offset to `u32`, saturating; sources are capped well below 4 GiB.
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_normalises_reversed_bounds() {
        assert_eq!(TextRange::new(5, 2), TextRange::new(2, 5));
    }

    #[test]
    fn cover_and_contains() {
        let a = TextRange::new(2, 4);
        let b = TextRange::new(6, 9);
        assert_eq!(a.cover(b), TextRange::new(2, 9));
        assert!(a.contains(3));
        assert!(!a.contains(4));
        assert!(a.cover(b).contains_range(b));
    }

    #[test]
    fn slice_is_safe_on_bad_boundaries() {
        assert_eq!(TextRange::new(0, 2).slice("é"), "é");
        assert_eq!(TextRange::new(0, 1).slice("é"), "");
        assert_eq!(TextRange::new(0, 9).slice("ab"), "");
    }
}
