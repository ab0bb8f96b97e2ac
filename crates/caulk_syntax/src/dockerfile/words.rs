//! Word splitting and JSON-array detection the way BuildKit does them for instruction arguments.

use caulk_core::TextRange;
use caulk_core::text::to_u32;

/// A word of an argument text: its raw text (quotes and escapes kept) and its range in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawWord<'a> {
    pub text: &'a str,
    pub range: TextRange,
}

/// Splits on unquoted, unescaped whitespace, keeping quotes and escapes in the words
/// (BuildKit's `parseWords`).
pub(crate) fn split_words(text: &str, escape: char) -> Vec<RawWord<'_>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some(i);
        }
        if c == escape && quote != Some('\'') {
            escaped = true;
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(RawWord { text: text.get(s..i).unwrap_or(""), range: TextRange::at(s, i - s) });
                }
            }
            None => {}
        }
    }
    if let Some(s) = start {
        let end = text.trim_end().len().max(s);
        words.push(RawWord { text: text.get(s..end).unwrap_or(""), range: TextRange::at(s, end - s) });
    }
    words
}

/// A JSON string element with its range (including quotes) in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonString {
    pub value: String,
    pub range: TextRange,
}

/// Parses `text` as a JSON array of strings (BuildKit's exec form). `None` means "not JSON":
/// the caller falls back to shell form, exactly as BuildKit does.
pub(crate) fn parse_json_array(text: &str) -> Option<Vec<JsonString>> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    i = skip_ws(bytes, i + 1);
    let mut out = Vec::new();
    if bytes.get(i) == Some(&b']') {
        return (skip_ws(bytes, i + 1) == bytes.len()).then_some(out);
    }
    loop {
        let (value, end) = parse_json_string(text, i)?;
        out.push(JsonString { value, range: TextRange::at(i, end - i) });
        i = skip_ws(bytes, end);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b']') => {
                return (skip_ws(bytes, i + 1) == bytes.len()).then_some(out);
            }
            _ => return None,
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Parses a JSON string starting at `start` (which must be `"`); returns the value and the
/// offset just past the closing quote.
fn parse_json_string(text: &str, start: usize) -> Option<(String, usize)> {
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, start + i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    '"' => value.push('"'),
                    '\\' => value.push('\\'),
                    '/' => value.push('/'),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'n' => value.push('\n'),
                    'r' => value.push('\r'),
                    't' => value.push('\t'),
                    'u' => {
                        let mut code = 0u32;
                        for _ in 0..4 {
                            code = code * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        if (0xD800..0xDC00).contains(&code) {
                            // surrogate pair
                            if chars.next()?.1 != '\\' || chars.next()?.1 != 'u' {
                                return None;
                            }
                            let mut low = 0u32;
                            for _ in 0..4 {
                                low = low * 16 + chars.next()?.1.to_digit(16)?;
                            }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
                        }
                        value.push(char::from_u32(code)?);
                    }
                    _ => return None,
                }
            }
            c if (c as u32) < 0x20 => return None,
            c => value.push(c),
        }
    }
    None
}

/// Offset of the first non-whitespace byte, and the length of `text` without trailing whitespace.
pub(crate) fn trim_bounds(text: &str) -> (usize, usize) {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(start);
    (start, end)
}

/// Converts a byte index to u32 (texts are capped below 4 GiB).
pub(crate) fn u(n: usize) -> u32 {
    to_u32(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quotes_and_respect_escapes() {
        let w = split_words(r#"a "b c" d\ e 'f g'"#, '\\');
        let texts: Vec<&str> = w.iter().map(|w| w.text).collect();
        assert_eq!(texts, ["a", "\"b c\"", "d\\ e", "'f g'"]);
        assert_eq!(w[1].range, TextRange::new(2, 7));
    }

    #[test]
    fn json_arrays_and_fallbacks() {
        let v = parse_json_array(r#"["python3", "app.py"]"#).unwrap_or_default();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].value, "app.py");
        assert_eq!(v[1].range, TextRange::new(12, 20));
        assert!(parse_json_array("[ ]").is_some_and(|v| v.is_empty()));
        assert!(parse_json_array("['single']").is_none());
        assert!(parse_json_array(r#"["a", 1]"#).is_none());
        assert!(parse_json_array(r#"["a"] x"#).is_none());
        assert_eq!(parse_json_array(r#"["\u00e9\n"]"#).unwrap_or_default()[0].value, "é\n");
    }
}
