//! Maps offsets in a text assembled from pieces of a file (a RUN line joined across continuations,
//! a heredoc body, a nested `sh -c` string) back to byte offsets in the file.

use caulk_core::TextRange;
use caulk_core::text::to_u32;

/// One contiguous piece: `len` bytes at `text_start` in the assembled text came from `file_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    text_start: u32,
    file_start: u32,
    len: u32,
}

/// Piecewise-linear map from assembled-text offsets to file offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
    text_len: u32,
}

impl OffsetMap {
    /// A map for a text copied verbatim from the file starting at `file_start`.
    pub fn contiguous(file_start: u32, len: usize) -> Self {
        let mut map = Self::default();
        map.push(file_start, len);
        map
    }

    /// Appends `len` bytes of assembled text that came from `file_start` in the file.
    pub fn push(&mut self, file_start: u32, len: usize) {
        let len = to_u32(len);
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut()
            && last.file_start + last.len == file_start
            && last.text_start + last.len == self.text_len
        {
            last.len += len;
        } else {
            self.pieces.push(Piece { text_start: self.text_len, file_start, len });
        }
        self.text_len += len;
    }

    /// Appends `len` bytes of assembled text that have no source of their own (e.g. a newline
    /// standing for a removed line continuation); they map to `file_offset`.
    pub fn push_synthetic(&mut self, file_offset: u32, len: usize) {
        let len = to_u32(len);
        if len == 0 {
            return;
        }
        self.pieces.push(Piece { text_start: self.text_len, file_start: file_offset, len: 0 });
        self.text_len += len;
    }

    /// Length of the assembled text this map covers.
    pub fn text_len(&self) -> u32 {
        self.text_len
    }

    /// The file offset of assembled-text `offset`. Offsets past the end map to the end of the last piece.
    pub fn to_file(&self, offset: u32) -> u32 {
        self.locate(offset).0
    }

    /// The file offset of `offset`, and whether it falls on synthetic text (no source bytes).
    fn locate(&self, offset: u32) -> (u32, bool) {
        let idx = match self.pieces.binary_search_by_key(&offset, |p| p.text_start) {
            // several pieces may start at the same offset (an empty synthetic one, then a real
            // one): the last of them is the one containing `offset`
            Ok(i) => {
                let mut i = i;
                while self.pieces.get(i + 1).is_some_and(|p| p.text_start == offset) {
                    i += 1;
                }
                i
            }
            Err(0) => return (self.pieces.first().map_or(offset, |p| p.file_start), false),
            Err(i) => i - 1,
        };
        let Some(piece) = self.pieces.get(idx) else { return (offset, false) };
        let delta = offset - piece.text_start;
        (piece.file_start + delta.min(piece.len), piece.len == 0)
    }

    /// Maps a range; the end is mapped as the end of the preceding byte, so a range never spans
    /// the gap left by a removed continuation unless the text itself did.
    pub fn range_to_file(&self, range: TextRange) -> TextRange {
        let start = self.to_file(range.start);
        let end = if range.end > range.start {
            match self.locate(range.end - 1) {
                // a synthetic byte (a newline standing for a line end) ends where it is anchored
                (file, true) => file,
                (file, false) => file + 1,
            }
        } else {
            start
        };
        TextRange::new(start, end.max(start))
    }

    /// Composes two maps: `inner` maps a sub-text (e.g. a `sh -c` argument starting at
    /// `inner_base` in this map's text) to this text; the result maps the sub-text to the file.
    pub fn compose(&self, inner: &OffsetMap) -> OffsetMap {
        let mut out = OffsetMap::default();
        for p in &inner.pieces {
            if p.len == 0 {
                out.pieces.push(Piece { text_start: p.text_start, file_start: self.to_file(p.file_start), len: 0 });
                continue;
            }
            for i in 0..p.len {
                let file = self.to_file(p.file_start + i);
                let text = p.text_start + i;
                match out.pieces.last_mut() {
                    Some(last)
                        if last.len > 0 && last.text_start + last.len == text && last.file_start + last.len == file =>
                    {
                        last.len += 1;
                    }
                    _ => out.pieces.push(Piece { text_start: text, file_start: file, len: 1 }),
                }
            }
        }
        out.text_len = inner.text_len;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_continuation_maps_each_piece() {
        // file: "RUN a \\\n  b" ; text "a   b" assembled from "a " (4..6) and "  b" (8..11)
        let mut map = OffsetMap::default();
        map.push(4, 2);
        map.push(8, 3);
        assert_eq!(map.to_file(0), 4);
        assert_eq!(map.to_file(1), 5);
        assert_eq!(map.to_file(2), 8);
        assert_eq!(map.to_file(4), 10);
        assert_eq!(map.range_to_file(TextRange::new(4, 5)), TextRange::new(10, 11));
        assert_eq!(map.range_to_file(TextRange::new(0, 5)), TextRange::new(4, 11));
    }

    #[test]
    fn compose_maps_through_two_levels() {
        let outer = OffsetMap::contiguous(100, 50);
        let inner = OffsetMap::contiguous(10, 5); // sub-text came from outer offsets 10..15
        let both = outer.compose(&inner);
        assert_eq!(both.to_file(0), 110);
        assert_eq!(both.to_file(4), 114);
    }

    #[test]
    fn synthetic_bytes_map_to_their_anchor() {
        let mut map = OffsetMap::default();
        map.push(0, 3);
        map.push_synthetic(3, 1);
        map.push(7, 2);
        assert_eq!(map.text_len(), 6);
        assert_eq!(map.to_file(3), 3);
        assert_eq!(map.to_file(4), 7);
    }
}
