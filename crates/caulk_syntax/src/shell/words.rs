//! Byte-level scanning of shell words shared by the brush walker and the tolerant tokenizer:
//! quote removal with an offset map, the extent of `$(…)`/`${…}`/backticks, and command
//! substitutions inside a word. Everything here is iterative and never panics on odd input.

use crate::OffsetMap;

/// What encloses the current position while looking for the end of an expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Paren,
    Brace,
    DQuote,
    Backtick,
}

/// Length in bytes of the char starting at `i` (1 past the end or on a continuation byte).
fn char_len_at(src: &str, i: usize) -> usize {
    src.get(i..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
}

/// Index just past the `'` closing a single-quoted string whose content starts at `from`,
/// or `limit` when it is unterminated.
fn single_quote_end(b: &[u8], from: usize, limit: usize) -> usize {
    b.get(from..limit).and_then(|s| memchr::memchr(b'\'', s)).map_or(limit, |j| from + j + 1)
}

/// Index just past the first unescaped `close` at or after `from` (backslash escapes the next
/// byte), or `limit` when there is none.
fn escaped_end(b: &[u8], from: usize, limit: usize, close: u8) -> usize {
    let mut i = from;
    while i < limit {
        match b.get(i) {
            Some(b'\\') => i += 2,
            Some(&c) if c == close => return i + 1,
            _ => i += 1,
        }
    }
    limit
}

/// Index just past the backtick closing a backquoted substitution whose content starts at
/// `from`, or `limit` when it is unterminated.
pub(super) fn backtick_end(b: &[u8], from: usize, limit: usize) -> usize {
    escaped_end(b, from, limit, b'`')
}

/// Index just past the end of an ANSI-C quoted string (`$'…'`) whose content starts at `from`.
fn ansi_c_end(b: &[u8], from: usize, limit: usize) -> usize {
    escaped_end(b, from, limit, b'\'')
}

/// The construct a `$(`, `${` or backtick at the current byte opens inside an expansion or a
/// double-quoted string, and how many bytes its opener takes.
fn opener(c: u8, next: Option<u8>) -> Option<(Ctx, usize)> {
    match (c, next) {
        (b'$', Some(b'(')) => Some((Ctx::Paren, 2)),
        (b'$', Some(b'{')) => Some((Ctx::Brace, 2)),
        (b'`', _) => Some((Ctx::Backtick, 1)),
        _ => None,
    }
}

/// Scans from `from` (just inside an opening `first` construct) to just past its closing
/// delimiter, following nested quotes and expansions. Returns `(end, closed)`; `end` is `limit`
/// when the construct is unterminated.
fn scan_to_close(b: &[u8], from: usize, limit: usize, first: Ctx) -> (usize, bool) {
    let mut stack = vec![first];
    let mut i = from;
    while i < limit {
        let Some(&top) = stack.last() else { break };
        let Some(&c) = b.get(i) else { break };
        let next = b.get(i + 1).copied();
        // `$(`, `${` and backticks nest everywhere but inside a backquoted substitution.
        if top != Ctx::Backtick
            && let Some((ctx, len)) = opener(c, next)
        {
            stack.push(ctx);
            i += len;
            continue;
        }
        match top {
            Ctx::DQuote => match c {
                b'\\' => i += 2,
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
            Ctx::Backtick => match c {
                b'\\' => i += 2,
                b'`' => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
            Ctx::Paren | Ctx::Brace => match c {
                b'\\' => i += 2,
                b'\'' => i = single_quote_end(b, i + 1, limit),
                b'"' => {
                    stack.push(Ctx::DQuote);
                    i += 1;
                }
                b'(' if top == Ctx::Paren => {
                    stack.push(Ctx::Paren);
                    i += 1;
                }
                b')' if top == Ctx::Paren => {
                    stack.pop();
                    i += 1;
                }
                b'}' if top == Ctx::Brace => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
        }
        if stack.is_empty() {
            return (i.min(limit), true);
        }
    }
    (limit, false)
}

/// If a `$` at `i` starts an expansion (`$X`, `$1`, `$?`, `${…}`, `$(…)`, `$((…))`, `$[…]`),
/// the index just past it. `$'…'` and `$"…"` are quotes, not expansions: `None`.
fn expansion_end(b: &[u8], i: usize, limit: usize) -> Option<usize> {
    let next = *b.get(i + 1).filter(|_| i + 1 < limit)?;
    match next {
        b'(' => Some(scan_to_close(b, i + 2, limit, Ctx::Paren).0),
        b'{' => Some(scan_to_close(b, i + 2, limit, Ctx::Brace).0),
        b'[' => Some(b.get(i + 2..limit).and_then(|s| memchr::memchr(b']', s)).map_or(limit, |j| i + 2 + j + 1)),
        b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-' | b'0'..=b'9' => Some(i + 2),
        c if c == b'_' || c.is_ascii_alphabetic() => {
            let mut j = i + 2;
            while j < limit && b.get(j).is_some_and(|&c| c == b'_' || c.is_ascii_alphanumeric()) {
                j += 1;
            }
            Some(j)
        }
        _ => None,
    }
}

/// Builds a word's value, optionally recording where each value byte came from.
struct ValueBuilder<'a> {
    src: &'a str,
    value: String,
    /// Offsets of `src` in the text the map targets; `None` when no map is wanted.
    map: Option<(OffsetMap, u32)>,
}

impl ValueBuilder<'_> {
    fn push_src(&mut self, start: usize, end: usize) {
        if end <= start {
            return;
        }
        if let Some(s) = self.src.get(start..end) {
            self.value.push_str(s);
            if let Some((map, base)) = &mut self.map {
                map.push(*base + start as u32, s.len());
            }
        }
    }

    fn push_char(&mut self, c: char, at: usize) {
        self.value.push(c);
        if let Some((map, base)) = &mut self.map {
            map.push(*base + at as u32, c.len_utf8());
        }
    }
}

/// Quote removal: the value of the word `src` (quotes removed, escapes resolved, expansions kept
/// as written), whether it has an expansion, and — when `map_base` is given — a map from value
/// offsets to `map_base + offset in src`. Lenient: an unterminated quote runs to the end.
pub(super) fn unquote(src: &str, map_base: Option<u32>) -> (String, bool, Option<OffsetMap>) {
    let b = src.as_bytes();
    let len = b.len();
    let mut out =
        ValueBuilder { src, value: String::with_capacity(len), map: map_base.map(|base| (OffsetMap::default(), base)) };
    let mut has_expansion = false;
    let mut run = 0; // start of the pending literal run
    let mut dq = false;
    let mut i = 0;
    while i < len {
        let Some(&c) = b.get(i) else { break };
        if dq {
            match c {
                b'"' => {
                    out.push_src(run, i);
                    dq = false;
                    i += 1;
                    run = i;
                }
                b'\\' => match b.get(i + 1) {
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        out.push_src(run, i);
                        run = i + 1; // the escaped char starts the next run
                        i += 2;
                    }
                    Some(b'\n') => {
                        out.push_src(run, i);
                        i += 2;
                        run = i;
                    }
                    _ => i += 1,
                },
                b'$' | b'`' => i = skip_expansion(b, i, len, &mut has_expansion),
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'\'' => {
                out.push_src(run, i);
                let end = single_quote_end(b, i + 1, len);
                let content_end = if b.get(end.wrapping_sub(1)) == Some(&b'\'') && end > i + 1 { end - 1 } else { end };
                out.push_src(i + 1, content_end);
                i = end;
                run = i;
            }
            b'"' => {
                out.push_src(run, i);
                dq = true;
                i += 1;
                run = i;
            }
            b'\\' => {
                if i + 1 >= len {
                    i += 1; // a trailing backslash stays literal
                } else if b.get(i + 1) == Some(&b'\n') {
                    out.push_src(run, i);
                    i += 2;
                    run = i;
                } else {
                    out.push_src(run, i);
                    run = i + 1;
                    i = i + 1 + char_len_at(src, i + 1);
                }
            }
            b'$' => match b.get(i + 1) {
                Some(b'\'') => {
                    out.push_src(run, i);
                    i = push_ansi_c(&mut out, b, i + 2, len);
                    run = i;
                }
                Some(b'"') => {
                    out.push_src(run, i);
                    dq = true;
                    i += 2;
                    run = i;
                }
                _ => i = skip_expansion(b, i, len, &mut has_expansion),
            },
            b'`' => i = skip_expansion(b, i, len, &mut has_expansion),
            _ => i += 1,
        }
    }
    out.push_src(run, len);
    (out.value, has_expansion, out.map.map(|(m, _)| m))
}

/// Steps over a `$…` expansion or a backquoted substitution at `i` (both stay in the value as
/// written), noting that the word has one; a lone `$` is one literal byte.
fn skip_expansion(b: &[u8], i: usize, len: usize, has_expansion: &mut bool) -> usize {
    let end = if b.get(i) == Some(&b'`') { Some(backtick_end(b, i + 1, len)) } else { expansion_end(b, i, len) };
    match end {
        Some(e) => {
            *has_expansion = true;
            e
        }
        None => i + 1,
    }
}

/// Appends the content of `$'…'` starting at `from` with common escapes resolved; returns the
/// index just past the closing quote.
fn push_ansi_c(out: &mut ValueBuilder<'_>, b: &[u8], from: usize, n: usize) -> usize {
    let end = ansi_c_end(b, from, n);
    let content_end = if end > from && b.get(end - 1) == Some(&b'\'') { end - 1 } else { end };
    let mut run = from;
    let mut i = from;
    while i < content_end {
        if b.get(i) == Some(&b'\\') && i + 1 < content_end {
            let resolved = match b.get(i + 1) {
                Some(b'n') => Some('\n'),
                Some(b't') => Some('\t'),
                Some(b'r') => Some('\r'),
                Some(b'a') => Some('\x07'),
                Some(b'e' | b'E') => Some('\x1b'),
                Some(b'\\') => Some('\\'),
                Some(b'\'') => Some('\''),
                Some(b'"') => Some('"'),
                _ => None,
            };
            if let Some(c) = resolved {
                out.push_src(run, i);
                out.push_char(c, i + 1);
                i += 2;
                run = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_src(run, content_end);
    end
}

/// A command substitution inside a word: the byte range of its inner text in the word's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Substitution {
    pub(super) start: usize,
    pub(super) end: usize,
    /// `` `…` `` rather than `$(…)`: backslash escapes inside must be resolved before parsing.
    pub(super) backquoted: bool,
}

/// The outermost command substitutions (`$(…)` and backticks, not `$((…))`) in word `src`,
/// outside single quotes, in source order.
pub(super) fn substitutions(src: &str, out: &mut Vec<Substitution>) {
    let b = src.as_bytes();
    let n = b.len();
    let mut dq = false;
    let mut i = 0;
    while i < n {
        let Some(&c) = b.get(i) else { break };
        match c {
            b'\\' => i += 2,
            b'\'' if !dq => i = single_quote_end(b, i + 1, n),
            b'"' => {
                dq = !dq;
                i += 1;
            }
            b'`' => {
                let end = backtick_end(b, i + 1, n);
                let inner_end = if end > i + 1 && b.get(end - 1) == Some(&b'`') { end - 1 } else { end };
                out.push(Substitution { start: i + 1, end: inner_end, backquoted: true });
                i = end;
            }
            b'$' => match b.get(i + 1) {
                Some(b'(') if b.get(i + 2) == Some(&b'(') => i = scan_to_close(b, i + 2, n, Ctx::Paren).0,
                Some(b'(') => {
                    let (end, closed) = scan_to_close(b, i + 2, n, Ctx::Paren);
                    out.push(Substitution { start: i + 2, end: if closed { end - 1 } else { end }, backquoted: false });
                    i = end;
                }
                Some(b'\'') if !dq => i = ansi_c_end(b, i + 2, n),
                // `${x:-$(cmd)}`: step inside so the substitution in the word part is found
                _ => i += 1,
            },
            _ => i += 1,
        }
    }
}

/// The inner text of a backquoted substitution with `\\`, `` \` `` and `\$` resolved, and a map
/// from its offsets to `base + offset in src`.
pub(super) fn unescape_backquoted(src: &str, base: u32) -> (String, OffsetMap) {
    let b = src.as_bytes();
    let mut out =
        ValueBuilder { src, value: String::with_capacity(src.len()), map: Some((OffsetMap::default(), base)) };
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        if b.get(i) == Some(&b'\\') && matches!(b.get(i + 1), Some(b'\\' | b'`' | b'$')) {
            out.push_src(run, i);
            run = i + 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    out.push_src(run, b.len());
    (out.value, out.map.map(|(m, _)| m).unwrap_or_default())
}

/// True for bytes that end an unquoted word.
pub(super) fn is_meta(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

/// Index just past the word starting at `start` (lenient: unterminated quotes run to `limit`).
pub(super) fn word_end(b: &[u8], start: usize, limit: usize) -> usize {
    let mut i = start;
    while i < limit {
        let Some(&c) = b.get(i) else { break };
        match c {
            b'\\' => i += 2,
            b'\'' => i = single_quote_end(b, i + 1, limit),
            b'"' => i = scan_to_close(b, i + 1, limit, Ctx::DQuote).0,
            b'`' => i = backtick_end(b, i + 1, limit),
            b'$' => match b.get(i + 1) {
                Some(b'\'') => i = ansi_c_end(b, i + 2, limit),
                Some(b'"') => i = scan_to_close(b, i + 2, limit, Ctx::DQuote).0,
                _ => i = expansion_end(b, i, limit).unwrap_or(i + 1),
            },
            c if is_meta(c) => break,
            _ => i += 1,
        }
    }
    i.min(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> (String, bool) {
        let (v, e, _) = unquote(s, None);
        (v, e)
    }

    #[test]
    fn removes_quotes_and_resolves_escapes() {
        assert_eq!(value("'a b'"), ("a b".into(), false));
        assert_eq!(value(r#""a \"b\" \$c \d""#), (r#"a "b" $c \d"#.into(), false));
        assert_eq!(value(r"a\ b\\c"), (r"a b\c".into(), false));
        assert_eq!(value("x\"y\"'z'"), ("xyz".into(), false));
        assert_eq!(value("$'a\\tb\\'c'"), ("a\tb'c".into(), false));
        assert_eq!(value("$\"hi\""), ("hi".into(), false));
        assert_eq!(value("a\\\nb"), ("ab".into(), false));
        assert_eq!(value("\"abc"), ("abc".into(), false));
        assert_eq!(value("'abc"), ("abc".into(), false));
        assert_eq!(value("abc\\"), ("abc\\".into(), false));
        assert_eq!(value("é\\ü"), ("éü".into(), false));
    }

    #[test]
    fn keeps_expansions_as_written() {
        assert_eq!(value("$X"), ("$X".into(), true));
        assert_eq!(value("\"${X:-'y z'}\""), ("${X:-'y z'}".into(), true));
        assert_eq!(value("\"$(echo \"a b\")\"x"), ("$(echo \"a b\")x".into(), true));
        assert_eq!(value("`id -u`"), ("`id -u`".into(), true));
        assert_eq!(value("$((1+2))"), ("$((1+2))".into(), true));
        assert_eq!(value("a$"), ("a$".into(), false));
        assert_eq!(value("'$X'"), ("$X".into(), false));
    }

    #[test]
    fn map_points_each_value_byte_at_its_source() {
        let src = r#""echo \"hi\" && x""#;
        let (v, _, map) = unquote(src, Some(10));
        assert_eq!(v, r#"echo "hi" && x"#);
        let map = map.unwrap_or_default();
        assert_eq!(map.text_len() as usize, v.len());
        for (i, c) in v.char_indices() {
            let at = map.to_file(i as u32) as usize - 10;
            assert_eq!(src.as_bytes()[at] as char, c, "value byte {i}");
        }
    }

    #[test]
    fn finds_outermost_substitutions() {
        let mut subs = Vec::new();
        let src = "a$(b \"$(c)\")'$(no)'`d`$((1+2))\"$(e\"";
        substitutions(src, &mut subs);
        let inner: Vec<&str> = subs.iter().map(|s| &src[s.start..s.end]).collect();
        assert_eq!(inner, ["b \"$(c)\"", "d", "e\""]);
        assert!(subs[1].backquoted);
    }

    #[test]
    fn word_end_follows_quotes_and_expansions() {
        let b = "a\"b c\"$(x y)d e".as_bytes();
        assert_eq!(word_end(b, 0, b.len()), 13);
        let b = b"x'unterminated y";
        assert_eq!(word_end(b, 0, b.len()), b.len());
        let b = b"ab;cd";
        assert_eq!(word_end(b, 0, b.len()), 2);
    }

    #[test]
    fn backquoted_escapes_are_resolved() {
        let (s, map) = unescape_backquoted(r"echo \`x\` \$y", 5);
        assert_eq!(s, "echo `x` $y");
        assert_eq!(map.to_file(5), 11);
    }
}
