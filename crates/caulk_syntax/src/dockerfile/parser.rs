//! Turns Dockerfile text into instructions: directives, continuations with the active escape
//! character, comments inside continued lines, heredocs, flags and per-instruction arguments.

use caulk_core::TextRange;

use super::ast::{
    Body, CommandLine, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, Keyword, Spanned,
};
use super::words::{parse_json_array, split_words, trim_bounds, u};
use crate::{OffsetMap, Parsed, SyntaxError};

/// Parses a Dockerfile. Never fails: problems are returned as errors beside what was understood.
pub fn parse(text: &str) -> Parsed<Dockerfile> {
    let mut p = Parser {
        lines: Lines::new(text),
        errors: Vec::new(),
        df: Dockerfile { escape: '\\', ..Dockerfile::default() },
    };
    p.directives();
    p.instructions();
    Parsed { ast: p.df, errors: p.errors }
}

/// A physical line: `start..end` is its content without the line terminator.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        // a UTF-8 byte order mark is not part of the first instruction
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self { text, pos }
    }

    fn peek(&self) -> Option<Line> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = self.text.get(self.pos..).unwrap_or("");
        let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let mut end = self.pos + len;
        if end > self.pos && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(Line { start: self.pos, end })
    }

    fn next(&mut self) -> Option<Line> {
        let line = self.peek()?;
        let rest = self.text.get(self.pos..).unwrap_or("");
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        self.pos += len;
        Some(line)
    }

    fn content(&self, line: Line) -> &'a str {
        self.text.get(line.start..line.end).unwrap_or("")
    }
}

struct Parser<'a> {
    lines: Lines<'a>,
    errors: Vec<SyntaxError>,
    df: Dockerfile,
}

impl Parser<'_> {
    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError::new(range, message));
    }

    /// Parser directives: only at the very top, before any other line.
    fn directives(&mut self) {
        while let Some(line) = self.lines.peek() {
            let content = self.lines.content(line);
            let Some((name, value)) = directive(content) else { break };
            let range = TextRange::at(line.start, line.end - line.start);
            let name = name.to_ascii_lowercase();
            if !matches!(name.as_str(), "syntax" | "escape" | "check") {
                break;
            }
            if self.df.directives.iter().any(|d| d.name == name) {
                self.error(range, format!("only one `{name}` parser directive can be used"));
            } else if name == "escape" {
                match value {
                    "\\" => self.df.escape = '\\',
                    "`" => self.df.escape = '`',
                    _ => self.error(range, format!("invalid escape token `{value}`: it must be `\\` or `` ` ``")),
                }
            }
            self.df
                .comments
                .push(Comment { text: content.trim_start().trim_start_matches('#').trim().to_owned(), range });
            self.df.directives.push(Directive { name, value: value.to_owned(), range });
            self.lines.next();
        }
    }

    fn instructions(&mut self) {
        while let Some(line) = self.lines.next() {
            let content = self.lines.content(line);
            let trimmed = content.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            let lead = content.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.push_comment(line, lead);
                continue;
            }
            let logical = self.logical_line(Line { start: line.start + lead, end: line.end });
            if let Some(inst) = self.instruction(&logical, true) {
                self.df.instructions.push(inst);
            }
        }
    }

    fn push_comment(&mut self, line: Line, lead: usize) {
        let content = self.lines.content(line);
        self.df.comments.push(Comment {
            text: content.trim_start().trim_start_matches('#').trim().to_owned(),
            range: TextRange::at(line.start + lead, line.end - line.start - lead),
        });
    }

    /// Joins a line with its continuation lines; comment and blank lines inside are skipped.
    fn logical_line(&mut self, first: Line) -> Logical {
        let mut text = String::new();
        let mut map = OffsetMap::default();
        let mut line = first;
        let mut last_end = first.end;
        loop {
            let content = self.lines.content(line);
            let (piece, continues) = strip_continuation(content, self.df.escape);
            text.push_str(piece);
            map.push(u(line.start), piece.len());
            last_end = last_end.max(line.end);
            if !continues {
                break;
            }
            // find the next line that carries content
            let mut next = None;
            while let Some(l) = self.lines.next() {
                let c = self.lines.content(l);
                let t = c.trim_start();
                if t.is_empty() {
                    continue;
                }
                if t.starts_with('#') {
                    let lead = c.len() - t.len();
                    self.push_comment(l, lead);
                    continue;
                }
                next = Some(l);
                break;
            }
            match next {
                Some(l) => line = l,
                None => break,
            }
        }
        Logical { text, map, end: last_end }
    }

    /// Parses one logical line into an instruction; `top` is false for an `ONBUILD` trigger.
    fn instruction(&mut self, logical: &Logical, top: bool) -> Option<Instruction> {
        let text = logical.text.as_str();
        let kw_len = text.find(char::is_whitespace).unwrap_or(text.len());
        let kw_text = text.get(..kw_len).unwrap_or("");
        let keyword_range = logical.map.range_to_file(TextRange::at(0, kw_len));
        let Some(keyword) = Keyword::parse(kw_text) else {
            self.error(keyword_range, format!("unknown instruction `{kw_text}`"));
            return None;
        };
        let rest_start = kw_len;
        let rest = text.get(rest_start..).unwrap_or("");
        let (flags, args_offset) = self.flags(rest, rest_start, &logical.map, keyword);
        let args_raw = text.get(args_offset..).unwrap_or("");
        let (ts, te) = trim_bounds(args_raw);
        let args_text = args_raw.get(ts..te).unwrap_or("").to_owned();
        let args_start = args_offset + ts;
        let args_map = slice_map(&logical.map, args_start, args_text.len());
        let args_range = if args_text.is_empty() {
            TextRange::empty(keyword_range.end)
        } else {
            args_map.range_to_file(TextRange::at(0, args_text.len()))
        };

        let mut inst = Instruction {
            range: TextRange::new(keyword_range.start, u(logical.end)),
            keyword,
            keyword_range,
            flags,
            args_text,
            args_map,
            args_range,
            body: Body::Missing,
            heredocs: Vec::new(),
        };
        if top && matches!(keyword, Keyword::Run | Keyword::Copy | Keyword::Add) {
            self.heredocs(&mut inst);
        }
        inst.body = self.body(&inst, top);
        Some(inst)
    }

    /// Extracts leading `--flag[=value]` words; returns them and the offset where arguments start.
    fn flags(&mut self, rest: &str, base: usize, map: &OffsetMap, keyword: Keyword) -> (Vec<Flag>, usize) {
        let mut flags = Vec::new();
        let mut offset = base + rest.len();
        for w in split_words(rest, self.df.escape) {
            let start = base + w.range.start as usize;
            if !w.text.starts_with("--") {
                offset = start;
                break;
            }
            if w.text == "--" {
                offset = start + 2;
                break;
            }
            let body = w.text.get(2..).unwrap_or("");
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let range = map.range_to_file(TextRange::at(start, w.text.len()));
            let name_range = map.range_to_file(TextRange::at(start + 2, name.len()));
            let value = value.map(|v| {
                let vs = start + 2 + name.len() + 1;
                Spanned::new(unquote(v), map.range_to_file(TextRange::at(vs, v.len())))
            });
            let allowed = keyword.allowed_flags();
            if keyword != Keyword::Onbuild && !allowed.contains(&name) {
                let msg = if allowed.is_empty() {
                    format!("{} takes no flags, but `--{name}` was given", keyword.as_str())
                } else {
                    format!("unknown flag `--{name}` for {}; known flags: --{}", keyword.as_str(), allowed.join(", --"))
                };
                self.error(range, msg);
            }
            flags.push(Flag { name: Spanned::new(name.to_owned(), name_range), value, range });
        }
        if keyword == Keyword::Onbuild {
            // ONBUILD's "flags" belong to its trigger; re-parse them there
            return (Vec::new(), base);
        }
        (flags, offset)
    }

    /// Reads heredoc bodies announced in the instruction line.
    fn heredocs(&mut self, inst: &mut Instruction) {
        let markers = heredoc_markers(&inst.args_text, self.df.escape);
        for m in markers {
            let marker_range = inst.args_map.range_to_file(m.range);
            let mut body = String::new();
            let mut body_map = OffsetMap::default();
            let mut terminated = false;
            let mut first_start = None;
            let mut last_end = u(inst.range.end as usize);
            while let Some(line) = self.lines.next() {
                let content = self.lines.content(line);
                first_start.get_or_insert(line.start);
                last_end = u(line.end);
                let cmp = if m.strip_tabs { content.trim_start_matches('\t') } else { content };
                if cmp == m.delimiter {
                    terminated = true;
                    break;
                }
                let stripped = if m.strip_tabs { content.trim_start_matches('\t') } else { content };
                let lead = content.len() - stripped.len();
                body.push_str(stripped);
                body_map.push(u(line.start + lead), stripped.len());
                body.push('\n');
                body_map.push_synthetic(u(line.end), 1);
            }
            let range = TextRange::new(first_start.map_or(last_end, u), last_end);
            if !terminated {
                self.error(
                    marker_range,
                    format!("heredoc `{}` is never terminated: no line `{}` follows", m.delimiter, m.delimiter),
                );
            }
            inst.range = inst.range.cover(range);
            inst.heredocs.push(Heredoc {
                delimiter: m.delimiter,
                strip_tabs: m.strip_tabs,
                quoted: m.quoted,
                marker_range,
                body,
                body_map,
                range,
                terminated,
            });
        }
    }

    fn body(&mut self, inst: &Instruction, top: bool) -> Body {
        let text = inst.args_text.as_str();
        let kw = inst.keyword;
        if text.is_empty() {
            let msg = match kw {
                Keyword::From => "FROM requires an image name".to_owned(),
                _ => format!("{} requires at least one argument", kw.as_str()),
            };
            self.error(TextRange::new(inst.keyword_range.start, inst.args_range.end.max(inst.keyword_range.end)), msg);
            return Body::Missing;
        }
        let escape = self.df.escape;
        let words = || -> Vec<Spanned<String>> {
            split_words(text, escape)
                .into_iter()
                .map(|w| Spanned::new(w.text.to_owned(), inst.args_map.range_to_file(w.range)))
                .collect()
        };
        match kw {
            Keyword::From => {
                let w = words();
                match w.as_slice() {
                    [image] => Body::From { image: image.clone(), alias: None },
                    [image, as_kw, alias] if as_kw.value.eq_ignore_ascii_case("as") => {
                        Body::From { image: image.clone(), alias: Some(alias.clone()) }
                    }
                    [image, ..] => {
                        self.error(inst.args_range, "FROM takes an image and optionally `AS name`");
                        Body::From { image: image.clone(), alias: None }
                    }
                    [] => Body::Missing,
                }
            }
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => Body::Command(command_line(inst, text, 0)),
            Keyword::Healthcheck => {
                let w = split_words(text, self.df.escape);
                match w.first() {
                    Some(first) if first.text.eq_ignore_ascii_case("none") => {
                        if w.len() > 1 {
                            self.error(inst.args_range, "HEALTHCHECK NONE takes no arguments");
                        }
                        if !inst.flags.is_empty() {
                            self.error(inst.args_range, "HEALTHCHECK NONE takes no flags");
                        }
                        Body::Healthcheck(None)
                    }
                    Some(first) if first.text.eq_ignore_ascii_case("cmd") => {
                        let after = first.range.end as usize;
                        let (s, _) = trim_bounds(text.get(after..).unwrap_or(""));
                        if text.get(after + s..).is_none_or(str::is_empty) {
                            self.error(inst.args_range, "HEALTHCHECK CMD requires a command");
                            return Body::Missing;
                        }
                        Body::Healthcheck(Some(command_line(inst, text.get(after + s..).unwrap_or(""), after + s)))
                    }
                    _ => {
                        self.error(inst.args_range, "HEALTHCHECK must be followed by `CMD` or `NONE`");
                        Body::Missing
                    }
                }
            }
            Keyword::Copy | Keyword::Add => {
                let (items, json) = match parse_json_array(text) {
                    Some(items) => (
                        items
                            .into_iter()
                            .map(|j| Spanned::new(j.value, inst.args_map.range_to_file(j.range)))
                            .collect(),
                        true,
                    ),
                    None => (words(), false),
                };
                if items.len() < 2 {
                    self.error(
                        inst.args_range,
                        format!("{} requires at least a source and a destination", kw.as_str()),
                    );
                    return Body::Copy { sources: items, dest: None, json };
                }
                let mut sources = items;
                let dest = sources.pop();
                Body::Copy { sources, dest, json }
            }
            Keyword::Env | Keyword::Label => Body::Pairs(self.pairs(inst, kw)),
            Keyword::Arg => {
                let mut pairs = Vec::new();
                for w in split_words(text, self.df.escape) {
                    let range = inst.args_map.range_to_file(w.range);
                    let (key, value) = match w.text.split_once('=') {
                        Some((k, v)) => {
                            let vr = TextRange::at(w.range.start as usize + k.len() + 1, v.len());
                            (k, Some(Spanned::new(v.to_owned(), inst.args_map.range_to_file(vr))))
                        }
                        None => (w.text, None),
                    };
                    if key.is_empty() {
                        self.error(range, "ARG names can not be blank");
                        continue;
                    }
                    let key_range = inst.args_map.range_to_file(TextRange::at(w.range.start as usize, key.len()));
                    pairs.push(KeyValue { key: Spanned::new(key.to_owned(), key_range), value, range });
                }
                Body::Pairs(pairs)
            }
            Keyword::Expose => Body::List { items: words(), json: false },
            Keyword::Volume | Keyword::Shell => match parse_json_array(text) {
                Some(items) => Body::List {
                    items: items
                        .into_iter()
                        .map(|j| Spanned::new(j.value, inst.args_map.range_to_file(j.range)))
                        .collect(),
                    json: true,
                },
                None => {
                    if kw == Keyword::Shell {
                        self.error(
                            inst.args_range,
                            "SHELL requires the arguments to be in JSON form, e.g. [\"/bin/sh\", \"-c\"]",
                        );
                    }
                    Body::List { items: words(), json: false }
                }
            },
            Keyword::User | Keyword::Workdir | Keyword::Stopsignal | Keyword::Maintainer => {
                if matches!(kw, Keyword::User | Keyword::Workdir | Keyword::Stopsignal)
                    && split_words(text, self.df.escape).len() > 1
                {
                    self.error(inst.args_range, format!("{} requires exactly one argument", kw.as_str()));
                }
                Body::Text(Spanned::new(text.to_owned(), inst.args_range))
            }
            Keyword::Onbuild => {
                if !top {
                    self.error(inst.keyword_range, "ONBUILD ONBUILD is not allowed");
                    return Body::Missing;
                }
                let logical =
                    Logical { text: text.to_owned(), map: inst.args_map.clone(), end: inst.range.end as usize };
                match self.instruction(&logical, false) {
                    Some(inner) => {
                        if matches!(inner.keyword, Keyword::From | Keyword::Maintainer) {
                            self.error(
                                inner.keyword_range,
                                format!("{} is not allowed as an ONBUILD trigger", inner.keyword.as_str()),
                            );
                        }
                        Body::Onbuild(Box::new(inner))
                    }
                    None => Body::Missing,
                }
            }
        }
    }

    /// ENV and LABEL: `k=v k2="v 2"` or the legacy `KEY value with spaces`.
    fn pairs(&mut self, inst: &Instruction, kw: Keyword) -> Vec<KeyValue> {
        let text = inst.args_text.as_str();
        let words = split_words(text, self.df.escape);
        let map = &inst.args_map;
        let Some(first) = words.first() else { return Vec::new() };
        if !first.text.contains('=') {
            // legacy form: the first word is the key, the rest of the line the value
            let key = Spanned::new(first.text.to_owned(), map.range_to_file(first.range));
            let after = first.range.end as usize;
            let rest = text.get(after..).unwrap_or("");
            let (s, e) = trim_bounds(rest);
            if e <= s {
                self.error(inst.args_range, format!("{} `{}` has no value", kw.as_str(), first.text));
                return vec![KeyValue { key, value: None, range: inst.args_range }];
            }
            let vr = TextRange::at(after + s, e - s);
            let value = Spanned::new(rest.get(s..e).unwrap_or("").to_owned(), map.range_to_file(vr));
            return vec![KeyValue { key, value: Some(value), range: inst.args_range }];
        }
        let mut out = Vec::new();
        for w in words {
            let range = map.range_to_file(w.range);
            let Some((k, v)) = w.text.split_once('=') else {
                self.error(range, format!("{} expects `key=value`, found `{}`", kw.as_str(), w.text));
                continue;
            };
            if k.is_empty() {
                self.error(range, format!("{} names can not be blank", kw.as_str()));
                continue;
            }
            let kr = map.range_to_file(TextRange::at(w.range.start as usize, k.len()));
            let vr = map.range_to_file(TextRange::at(w.range.start as usize + k.len() + 1, v.len()));
            out.push(KeyValue {
                key: Spanned::new(k.to_owned(), kr),
                value: Some(Spanned::new(v.to_owned(), vr)),
                range,
            });
        }
        out
    }
}

/// A logical line: the text after joining continuations, its map, and the file offset of its end.
struct Logical {
    text: String,
    map: OffsetMap,
    end: usize,
}

/// Builds the map of `text[start..start+len]` of an assembled text.
fn slice_map(map: &OffsetMap, start: usize, len: usize) -> OffsetMap {
    let inner = OffsetMap::contiguous(u(start), len);
    map.compose(&inner)
}

/// Exec form when the text is a JSON array of strings, shell form otherwise (BuildKit's rule).
fn command_line(inst: &Instruction, text: &str, offset: usize) -> CommandLine {
    let map = slice_map(&inst.args_map, offset, text.len());
    let range = map.range_to_file(TextRange::at(0, text.len()));
    if text.trim_start().starts_with('[')
        && let Some(items) = parse_json_array(text)
    {
        let args = items.into_iter().map(|j| Spanned::new(j.value, map.range_to_file(j.range))).collect();
        return CommandLine::Exec { args, range };
    }
    CommandLine::Shell { text: text.to_owned(), map, range }
}

/// Removes a trailing escape character (and whitespace after it); says whether the line continues.
fn strip_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(escape) {
        Some(piece) => (piece, true),
        None => (line, false),
    }
}

/// `# name = value` at the top of the file.
fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let value = rest.get(name_len..)?.trim_start().strip_prefix('=')?.trim();
    Some((name, value))
}

fn unquote(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        s.get(1..s.len() - 1).unwrap_or(s).to_owned()
    } else {
        s.to_owned()
    }
}

struct Marker {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
    range: TextRange,
}

/// Finds `<<EOF`, `<<-EOF`, `<<"EOF"` words (BuildKit: a whole word matching `\d*<<-?NAME`).
fn heredoc_markers(text: &str, escape: char) -> Vec<Marker> {
    let mut out = Vec::new();
    for w in split_words(text, escape) {
        let t = w.text.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(rest) = t.strip_prefix("<<") else { continue };
        if rest.starts_with('<') {
            continue; // here-string
        }
        let (strip_tabs, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        // a redirect may follow without a space in shell text: `<<EOF>file` is not a BuildKit heredoc word
        let name = rest.split(['>', '|', ';', '&', ')']).next().unwrap_or(rest);
        if name.is_empty() {
            continue;
        }
        let quoted = name.contains(['"', '\'']);
        let delimiter: String = name.chars().filter(|c| *c != '"' && *c != '\'' && *c != escape).collect();
        if delimiter.is_empty() {
            continue;
        }
        out.push(Marker { delimiter, strip_tabs, quoted, range: w.range });
    }
    out
}

#[cfg(test)]
mod tests;
