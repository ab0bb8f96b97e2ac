//! nginx configuration: a directive tree with spans, parsed the way nginx's own
//! `ngx_conf_read_token` splits words (quotes, backslash escapes, `${var}`, `#` comments), and
//! a loader that follows `include` with globs and cycle detection.

pub mod loader;

use caulk_core::TextRange;

use crate::{Parsed, SyntaxError};

/// Files larger than this are refused: no real configuration comes close.
pub const MAX_FILE_SIZE: usize = 16 * 1024 * 1024;
/// Deeper nesting than this is refused (nginx configs nest a handful of levels).
pub const MAX_DEPTH: usize = 64;

/// Which file of a loaded configuration a directive comes from (index into `Loaded::files`).
pub type FileId = u32;

/// One parsed file: its top-level directives and its comments.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub directives: Vec<Directive>,
    pub comments: Vec<Comment>,
}

/// A `# …` comment; `text` is without the `#` and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub range: TextRange,
}

/// One word of a directive: its value with quotes removed and escapes kept as nginx keeps
/// them (`\"` becomes `"`, other backslashes stay), and the range of the raw word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub value: String,
    pub range: TextRange,
    /// The quote character when the word was quoted.
    pub quote: Option<char>,
}

impl Arg {
    /// Whether the value mentions nginx variable `name` (`$name` or `${name}`), given without `$`.
    pub fn uses_var(&self, name: &str) -> bool {
        vars(&self.value).any(|v| v.eq_ignore_ascii_case(name))
    }
}

/// A directive: `name args… ;` or `name args… { children }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub name_range: TextRange,
    pub args: Vec<Arg>,
    /// `Some` for block directives (`server { … }`).
    pub block: Option<Vec<Directive>>,
    /// From the name to the `;` or closing `}`.
    pub range: TextRange,
    /// The file the directive is in (set by the loader; 0 for a single parsed file).
    pub file: FileId,
}

impl Directive {
    /// The value of argument `i`, or `""`.
    pub fn arg(&self, i: usize) -> &str {
        self.args.get(i).map_or("", |a| a.value.as_str())
    }

    /// The children of a block directive (empty for simple directives).
    pub fn children(&self) -> &[Directive] {
        self.block.as_deref().unwrap_or(&[])
    }

    /// The range of the arguments, or of the name when there are none.
    pub fn args_range(&self) -> TextRange {
        match (self.args.first(), self.args.last()) {
            (Some(a), Some(b)) => a.range.cover(b.range),
            _ => self.name_range,
        }
    }

    /// Whether the name is `name` (nginx directive names are case-sensitive but lowercased in practice).
    pub fn is(&self, name: &str) -> bool {
        self.name == name
    }
}

/// The variable names (without `$`) a value mentions, `$name` or `${name}`.
pub fn vars(value: &str) -> impl Iterator<Item = &str> {
    let bytes = value.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if bytes.get(i) == Some(&b'$') {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = if braced { i + 2 } else { i + 1 };
                let mut end = start;
                while bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                    end += 1;
                }
                i = end.max(i + 1);
                if end > start {
                    return value.get(start..end);
                }
            } else {
                i += 1;
            }
        }
        None
    })
}

/// Directives whose block is not nginx configuration (Lua, JavaScript) and is skipped raw.
fn is_raw_block(name: &str) -> bool {
    name.ends_with("_by_lua_block") || name == "lua_block" || name.ends_with("_lua_block")
}

/// Parses one nginx configuration file.
pub fn parse(text: &str) -> Parsed<Config> {
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0, errors: Vec::new(), comments: Vec::new() };
    if text.len() > MAX_FILE_SIZE {
        p.errors.push(SyntaxError::new(
            TextRange::empty(0),
            format!("file is {} bytes; files over {MAX_FILE_SIZE} bytes are not parsed", text.len()),
        ));
        return Parsed { ast: Config::default(), errors: p.errors };
    }
    let directives = p.block(0, None);
    Parsed { ast: Config { directives, comments: p.comments }, errors: p.errors }
}

enum Token {
    Word(Arg),
    Semi(u32),
    Open(u32),
    Close(u32),
    Eof,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    errors: Vec<SyntaxError>,
    comments: Vec<Comment>,
}

impl Parser<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError::new(range, message));
    }

    /// Parses directives until the closing `}` (when `open` is the range of the `{`) or EOF.
    fn block(&mut self, depth: usize, open: Option<u32>) -> Vec<Directive> {
        let mut out = Vec::new();
        loop {
            let start_tok = self.token();
            let name = match start_tok {
                Token::Eof => {
                    if let Some(o) = open {
                        self.error(TextRange::new(o, o + 1), "block is not closed: `}` missing before end of file");
                    }
                    return out;
                }
                Token::Close(at) => {
                    if open.is_some() {
                        return out;
                    }
                    self.error(TextRange::new(at, at + 1), "unexpected `}`");
                    continue;
                }
                Token::Semi(at) => {
                    self.error(TextRange::new(at, at + 1), "unexpected `;`");
                    continue;
                }
                Token::Open(at) => {
                    self.error(TextRange::new(at, at + 1), "unexpected `{`: a block needs a directive name");
                    if depth + 1 >= MAX_DEPTH {
                        self.skip_raw_block(at);
                    } else {
                        let _ = self.block(depth + 1, Some(at));
                    }
                    continue;
                }
                Token::Word(w) => w,
            };
            let mut args = Vec::new();
            loop {
                match self.token() {
                    Token::Word(w) => args.push(w),
                    Token::Semi(at) => {
                        out.push(Directive {
                            name: name.value.clone(),
                            name_range: name.range,
                            args,
                            block: None,
                            range: TextRange::new(name.range.start, at + 1),
                            file: 0,
                        });
                        break;
                    }
                    Token::Open(at) => {
                        let children = if is_raw_block(&name.value) {
                            self.skip_raw_block(at);
                            Vec::new()
                        } else if depth + 1 >= MAX_DEPTH {
                            self.error(
                                TextRange::new(at, at + 1),
                                format!("blocks nested deeper than {MAX_DEPTH} levels are not parsed"),
                            );
                            self.skip_raw_block(at);
                            Vec::new()
                        } else {
                            self.block(depth + 1, Some(at))
                        };
                        let end = u32::try_from(self.pos).unwrap_or(u32::MAX);
                        out.push(Directive {
                            name: name.value.clone(),
                            name_range: name.range,
                            args,
                            block: Some(children),
                            range: TextRange::new(name.range.start, end),
                            file: 0,
                        });
                        break;
                    }
                    Token::Close(at) => {
                        self.error(name.range, format!("`{}` is not terminated by `;`", name.value));
                        out.push(Directive {
                            name: name.value.clone(),
                            name_range: name.range,
                            range: name.range.cover(args.last().map_or(name.range, |a: &Arg| a.range)),
                            args,
                            block: None,
                            file: 0,
                        });
                        if open.is_some() {
                            return out;
                        }
                        self.error(TextRange::new(at, at + 1), "unexpected `}`");
                        break;
                    }
                    Token::Eof => {
                        self.error(name.range, format!("`{}` is not terminated by `;` before end of file", name.value));
                        out.push(Directive {
                            name: name.value.clone(),
                            name_range: name.range,
                            range: name.range.cover(args.last().map_or(name.range, |a: &Arg| a.range)),
                            args,
                            block: None,
                            file: 0,
                        });
                        if let Some(o) = open {
                            self.error(TextRange::new(o, o + 1), "block is not closed: `}` missing before end of file");
                        }
                        return out;
                    }
                }
            }
        }
    }

    /// Skips a block whose content is not nginx syntax (Lua), balancing braces and skipping strings.
    fn skip_raw_block(&mut self, open: u32) {
        let mut depth = 1usize;
        while let Some(b) = self.at(self.pos) {
            self.pos += 1;
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                b'"' | b'\'' => {
                    while let Some(c) = self.at(self.pos) {
                        self.pos += 1;
                        if c == b'\\' {
                            self.pos += 1;
                        } else if c == b || c == b'\n' {
                            break;
                        }
                    }
                }
                b'-' if self.at(self.pos) == Some(b'-') => {
                    while self.at(self.pos).is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => {}
            }
        }
        self.error(TextRange::new(open, open + 1), "block is not closed: `}` missing before end of file");
    }

    fn token(&mut self) -> Token {
        loop {
            let Some(b) = self.at(self.pos) else { return Token::Eof };
            let at = u32::try_from(self.pos).unwrap_or(u32::MAX);
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | 0x0c => self.pos += 1,
                b'#' => {
                    let end = memchr::memchr(b'\n', self.bytes.get(self.pos..).unwrap_or(&[]))
                        .map_or(self.bytes.len(), |i| self.pos + i);
                    let raw = self.text.get(self.pos + 1..end).unwrap_or("");
                    self.comments
                        .push(Comment { text: raw.trim().to_owned(), range: TextRange::at(self.pos, end - self.pos) });
                    self.pos = end;
                }
                b';' => {
                    self.pos += 1;
                    return Token::Semi(at);
                }
                b'{' => {
                    self.pos += 1;
                    return Token::Open(at);
                }
                b'}' => {
                    self.pos += 1;
                    return Token::Close(at);
                }
                b'"' | b'\'' => return Token::Word(self.quoted(b)),
                _ => return Token::Word(self.word()),
            }
        }
    }

    fn quoted(&mut self, q: u8) -> Arg {
        let start = self.pos;
        self.pos += 1;
        let mut value = Vec::new();
        loop {
            match self.at(self.pos) {
                None => {
                    self.error(TextRange::at(start, 1), "quoted string is not closed");
                    break;
                }
                Some(b'\\') => {
                    match self.at(self.pos + 1) {
                        Some(c) if c == q || c == b'\\' => value.push(c),
                        Some(b'n') => value.push(b'\n'),
                        Some(b'r') => value.push(b'\r'),
                        Some(b't') => value.push(b'\t'),
                        Some(c) => value.extend_from_slice(&[b'\\', c]),
                        None => value.push(b'\\'),
                    }
                    self.pos += 2;
                }
                Some(c) if c == q => {
                    self.pos += 1;
                    break;
                }
                Some(c) => {
                    value.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        // nginx needs a separator after a closing quote (`)` ends an `if` condition)
        if let Some(c) = self.at(self.pos)
            && !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}' | b')')
        {
            let ch = self.text.get(self.pos..).and_then(|t| t.chars().next()).unwrap_or(char::from(c));
            self.error(TextRange::at(self.pos, ch.len_utf8()), format!("unexpected `{ch}` after a quoted string"));
        }
        Arg {
            value: String::from_utf8_lossy(&value).into_owned(),
            range: TextRange::at(start, self.pos - start),
            quote: Some(char::from(q)),
        }
    }

    fn word(&mut self) -> Arg {
        let start = self.pos;
        let mut variable = false;
        let mut len = 0usize;
        while let Some(c) = self.at(self.pos) {
            if c == b'{' && variable {
                // `${name}`: the brace belongs to the word, up to its `}`
                while let Some(d) = self.at(self.pos) {
                    self.pos += 1;
                    len += 1;
                    if d == b'}' {
                        break;
                    }
                }
                variable = false;
                continue;
            }
            variable = false;
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' => break,
                // `}` ends a word only where nginx would see a block end: at a word boundary
                b'}' if len == 0 => break,
                // `foo}` is a word in nginx, but `return 200}` almost always lacks `;`: keep nginx's view
                b'\\' => {
                    let step = if self.at(self.pos + 1).is_some() { 2 } else { 1 };
                    self.pos = (self.pos + 2).min(self.bytes.len());
                    len += step;
                }
                b'$' => {
                    variable = true;
                    self.pos += 1;
                    len += 1;
                }
                _ => {
                    self.pos += 1;
                    len += 1;
                }
            }
        }
        // the word is its source text (escapes kept): one slice, one allocation
        let value = match self.text.get(start..self.pos) {
            Some(v) => v.to_owned(),
            None => String::from_utf8_lossy(self.bytes.get(start..self.pos).unwrap_or(&[])).into_owned(),
        };
        Arg { value, range: TextRange::at(start, self.pos - start), quote: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ds: &[Directive]) -> Vec<&str> {
        ds.iter().map(|d| d.name.as_str()).collect()
    }

    #[test]
    fn parses_blocks_args_and_spans() {
        let text = "http {\n  server {\n    listen 80;\n    location ~* \\.(js|css)$ { expires 1d; }\n  }\n}\n";
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let http = &p.ast.directives[0];
        assert_eq!(http.name, "http");
        let server = &http.children()[0];
        assert_eq!(names(server.children()), ["listen", "location"]);
        let loc = &server.children()[1];
        assert_eq!(loc.arg(0), "~*");
        assert_eq!(loc.arg(1), "\\.(js|css)$");
        assert_eq!(loc.args[1].range.slice(text), "\\.(js|css)$");
        assert_eq!(loc.children()[0].range.slice(text), "expires 1d;");
    }

    #[test]
    fn quotes_escapes_variables_and_comments() {
        let text = "add_header X-A \"a \\\"b\\\" c\" always; # trailing\nset $x '${host}x';\nreturn 200 ${VAR}/a;\n";
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let d = &p.ast.directives;
        assert_eq!(d[0].arg(1), "a \"b\" c");
        assert_eq!(d[0].args[1].quote, Some('"'));
        assert_eq!(d[1].arg(1), "${host}x");
        assert!(d[1].args[1].uses_var("host"));
        assert_eq!(d[2].arg(1), "${VAR}/a");
        assert_eq!(p.ast.comments[0].text, "trailing");
        assert_eq!(vars("$a ${b}c $1").collect::<Vec<_>>(), ["a", "b", "1"]);
    }

    #[test]
    fn recovers_from_errors() {
        let p = parse("server {\n listen 80\n}\n}\nfoo");
        assert_eq!(p.errors.len(), 3, "{:?}", p.errors);
        assert_eq!(p.ast.directives[0].children()[0].name, "listen");
        let p = parse("server { location / { ");
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
        let p = parse("add_header X \"unterminated;\n");
        assert!(!p.errors.is_empty());
    }

    #[test]
    fn lua_blocks_are_skipped() {
        let p = parse("location / { content_by_lua_block { ngx.say(\"}\") -- }\n } }\nserver_tokens off;");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(names(&p.ast.directives), ["location", "server_tokens"]);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "a {".repeat(10_000);
        let p = parse(&text);
        assert!(!p.errors.is_empty());
        let text = "{".repeat(100_000);
        let p = parse(&text);
        assert!(!p.errors.is_empty());
    }
}
