//! Source files and the line index that turns byte offsets into 1-based line/column at render time.

use std::sync::OnceLock;

use crate::text::{TextRange, to_u32};

/// A text file as caulk read it: its display path and its contents.
///
/// The line index is built lazily, once, the first time a position is rendered.
#[derive(Debug)]
pub struct SourceFile {
    path: String,
    text: String,
    index: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self { path: path.into(), text: text.into(), index: OnceLock::new() }
    }

    /// The path as given on the command line or found by discovery (relative where possible).
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index().line_col(&self.text, offset)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values, as editors and SARIF do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text).map(|i| to_u32(i + 1)));
        Self { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line number containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of the 0-based line `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.starts.get(line).copied().unwrap_or(to_u32(text.len()));
        let end = self.starts.get(line + 1).map_or(to_u32(text.len()), |next| next.saturating_sub(1));
        let mut range = TextRange::new(start, end.max(start));
        if range.slice(text).ends_with('\r') {
            range.end -= 1;
        }
        range
    }

    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(to_u32(text.len()));
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let prefix = text.get(start as usize..offset as usize).unwrap_or("");
        LineCol { line: to_u32(line + 1), column: to_u32(prefix.chars().count() + 1) }
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let f = SourceFile::new("Dockerfile", "FROM a\nRUN é x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 1 });
        // "x" is after a two-byte char
        let x = f.text().find('x').map(to_u32).unwrap_or_default();
        assert_eq!(f.line_col(x), LineCol { line: 2, column: 7 });
    }

    #[test]
    fn line_range_strips_crlf() {
        let text = "a\r\nbc\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_range(text, 0).slice(text), "a");
        assert_eq!(idx.line_range(text, 1).slice(text), "bc");
        assert_eq!(idx.line_range(text, 2).slice(text), "");
    }
}
