//! Runs `brush-parser` on shell text and walks its AST into simple commands with byte spans.
//!
//! brush reports positions as char indices and its token starts sometimes include preceding
//! blanks, so spans are converted to bytes and trimmed here; redirection operators are rebuilt
//! from the AST because it keeps no location for them.

use std::panic::{AssertUnwindSafe, catch_unwind};

use brush_parser::ast;
use brush_parser::{ParseError, ParserImpl, ParserOptions, TokenizerError};

use super::{Level, MAX_DEPTH, RawCommand, RawRedirect, Span, State, words};

/// Why brush-parser rejected a text.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) message: String,
    /// Byte offset in the text the error points at, when known.
    pub(super) at: Option<usize>,
}

/// Plain bash syntax as `/bin/sh -c` scripts use it: bash extensions (`[[`, `&>`, `<<<`) parse,
/// extended globbing (which changes how `!(`, `@(` tokenize) stays off.
fn options() -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: false,
        posix_mode: false,
        sh_mode: false,
        tilde_expansion_at_word_start: false,
        tilde_expansion_after_colon: false,
        parser_impl: ParserImpl::Peg,
    }
}

/// Maps brush's char indices to byte offsets.
struct CharIndex {
    /// Byte offset of each char; `None` for ASCII text, where they are equal.
    bytes: Option<Vec<u32>>,
    len: usize,
}

impl CharIndex {
    fn new(src: &str) -> Self {
        let bytes = (!src.is_ascii()).then(|| src.char_indices().map(|(i, _)| i as u32).collect());
        Self { bytes, len: src.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(v) => v.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

/// How deeply brackets may nest before the text is left to the tolerant tokenizer: brush's PEG
/// parser recurses per level and must not exhaust the stack of a worker thread (2 MiB).
const MAX_BRACKETS: u32 = 64;
/// The same for `if`/`case`/`do`/`{` blocks, which cost brush far more stack per level.
const MAX_BLOCKS: u32 = 24;

/// Input brush-parser is known to panic or recurse too deeply on.
fn known_trouble(src: &str) -> Option<Failure> {
    let b = src.as_bytes();
    let mut digits = 0usize;
    let mut nesting = 0u32;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => digits += 1,
            b'<' | b'>' if digits >= 10 => {
                // brush unwraps the parse of an fd number into a u32
                return Some(Failure { message: "file descriptor number too large".into(), at: Some(i - digits) });
            }
            b'(' | b'{' => {
                nesting += 1;
                if nesting > MAX_BRACKETS {
                    return Some(Failure { message: "nesting too deep".into(), at: Some(i) });
                }
                digits = 0;
            }
            b')' | b'}' => {
                nesting = nesting.saturating_sub(1);
                digits = 0;
            }
            _ => digits = 0,
        }
    }
    if let Some((at, delimiter)) = unterminated_heredoc(src) {
        return Some(Failure { message: format!("here-document `{delimiter}` is not terminated"), at: Some(at) });
    }
    deep_blocks(b).map(|at| Failure { message: "compound commands nested too deeply".into(), at: Some(at) })
}

/// A `<<WORD` whose delimiter line never comes, in text with a command substitution: brush's
/// tokenizer then grows a buffer without bound instead of failing (found by the no-panic property
/// test). Without `$(`/backticks brush reports the error itself, so the check stays narrow.
fn unterminated_heredoc(src: &str) -> Option<(usize, String)> {
    if !src.contains("$(") && !src.contains('`') {
        return None;
    }
    let b = src.as_bytes();
    let mut from = 0;
    while let Some(rel) = src.get(from..).and_then(|s| s.find("<<")) {
        let at = from + rel;
        let mut i = at + 2;
        from = i;
        if b.get(i) == Some(&b'<') {
            from = i + 1;
            continue; // here-string
        }
        let strip_tabs = b.get(i) == Some(&b'-');
        if strip_tabs {
            i += 1;
        }
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let end = (i..b.len())
            .find(|&j| matches!(b.get(j), Some(b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>')))
            .unwrap_or(b.len());
        let delimiter: String =
            src.get(i..end).unwrap_or("").chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
        if delimiter.is_empty() {
            continue;
        }
        let rest = src.get(end..).unwrap_or("");
        let body = rest.split_once('\n').map_or("", |(_, body)| body);
        let terminated = body.lines().any(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
            line == delimiter
        });
        if !terminated {
            return Some((at, delimiter));
        }
    }
    None
}

/// Where compound commands (`if`, `case`, `do`, `{` in command position) first nest deeper than
/// `MAX_BLOCKS`.
fn deep_blocks(b: &[u8]) -> Option<usize> {
    let n = b.len();
    let mut depth = 0u32;
    let mut command_position = true;
    let mut i = 0;
    while i < n {
        let Some(&c) = b.get(i) else { break };
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' | b';' | b'&' | b'|' | b'(' | b')' => {
                command_position = true;
                i += 1;
            }
            _ => {
                let end = words::word_end(b, i, n).max(i + 1);
                let word = b.get(i..end).unwrap_or_default();
                if command_position {
                    match word {
                        b"if" | b"case" | b"do" | b"{" => {
                            depth += 1;
                            if depth > MAX_BLOCKS {
                                return Some(i);
                            }
                        }
                        b"fi" | b"esac" | b"done" | b"}" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                command_position = command_position
                    && matches!(
                        word,
                        b"if"
                            | b"then"
                            | b"else"
                            | b"elif"
                            | b"do"
                            | b"while"
                            | b"until"
                            | b"{"
                            | b"}"
                            | b"!"
                            | b"time"
                            | b"fi"
                            | b"done"
                            | b"esac"
                    );
                i = end;
            }
        }
    }
    None
}

/// Parses `src` into brush's AST.
pub(super) fn parse(src: &str) -> Result<ast::Program, Failure> {
    if let Some(failure) = known_trouble(src) {
        return Err(failure);
    }
    let options = options();
    let result = catch_unwind(AssertUnwindSafe(|| brush_parser::Parser::new(src.as_bytes(), &options).parse_program()));
    match result {
        Ok(Ok(program)) => Ok(program),
        Ok(Err(e)) => Err(describe(&e, src)),
        Err(_) => Err(Failure { message: "the parser crashed".into(), at: None }),
    }
}

/// A message without brush's line/column (they are relative to the shell text, not the file)
/// and the byte offset the error points at.
fn describe(e: &ParseError, src: &str) -> Failure {
    let chars = CharIndex::new(src);
    match e {
        ParseError::ParsingNear(pos) => {
            let mut at = chars.byte(pos.index);
            let rest = src.get(at..).unwrap_or("");
            at += rest.len() - rest.trim_start().len();
            let rest = rest.trim_start();
            let token: String = rest.chars().take_while(|c| !c.is_whitespace()).take(20).collect();
            let message =
                if token.is_empty() { "syntax error".to_owned() } else { format!("syntax error near `{token}`") };
            Failure { message, at: Some(at) }
        }
        ParseError::ParsingAtEndOfInput => {
            Failure { message: "syntax error: unexpected end of input".into(), at: None }
        }
        ParseError::Tokenizing { inner, position } => {
            let (message, at) = match inner {
                TokenizerError::UnterminatedSingleQuote(p) => ("unterminated single quote".to_owned(), Some(p.index)),
                TokenizerError::UnterminatedDoubleQuote(p) => ("unterminated double quote".to_owned(), Some(p.index)),
                TokenizerError::UnterminatedAnsiCQuote(p) => ("unterminated $'…' quote".to_owned(), Some(p.index)),
                TokenizerError::UnterminatedBackquote(p) => ("unterminated backquote".to_owned(), Some(p.index)),
                TokenizerError::UnterminatedExtendedGlob(p) => ("unterminated extended glob".to_owned(), Some(p.index)),
                TokenizerError::UnterminatedHereDocuments(tags, _) => {
                    (format!("here-document not terminated (missing `{tags}`)"), None)
                }
                other => (other.to_string(), position.as_ref().map(|p| p.index)),
            };
            Failure { message, at: at.map(|i| chars.byte(i)) }
        }
    }
}

/// Walks brush's AST and emits its simple commands.
pub(super) fn walk_program(st: &mut State, lv: Level<'_>, program: &ast::Program) {
    let mut w = Walker { st, lv, chars: CharIndex::new(lv.src) };
    for list in &program.complete_commands {
        w.list(list);
    }
}

struct Walker<'s, 'a> {
    st: &'s mut State,
    lv: Level<'a>,
    chars: CharIndex,
}

fn file_op(kind: &ast::IoFileRedirectKind) -> &'static str {
    match kind {
        ast::IoFileRedirectKind::Read => "<",
        ast::IoFileRedirectKind::Write => ">",
        ast::IoFileRedirectKind::Append => ">>",
        ast::IoFileRedirectKind::ReadAndWrite => "<>",
        ast::IoFileRedirectKind::Clobber => ">|",
        ast::IoFileRedirectKind::DuplicateInput => "<&",
        ast::IoFileRedirectKind::DuplicateOutput => ">&",
    }
}

fn with_fd(fd: Option<&ast::IoFd>, op: &str) -> String {
    match fd {
        Some(fd) => format!("{fd}{op}"),
        None => op.to_owned(),
    }
}

impl Walker<'_, '_> {
    /// The byte span of a word as written, from brush's char-indexed location.
    fn span(&self, word: &ast::Word) -> Option<Span> {
        word.loc.as_ref().map(|loc| self.loc_span(loc))
    }

    fn loc_span(&self, loc: &brush_parser::SourceSpan) -> Span {
        let b = self.lv.src.as_bytes();
        let mut start = self.chars.byte(loc.start.index);
        let mut end = self.chars.byte(loc.end.index);
        // a CR of a CRLF line ending is not part of the word
        while end > start && b.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        // token starts sometimes include the blanks (or a line continuation) before the token
        while start < end {
            match b.get(start) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => start += 1,
                Some(b'\\') if b.get(start + 1) == Some(&b'\n') => start += 2,
                _ => break,
            }
        }
        Span { start: start.min(end), end }
    }

    fn list(&mut self, list: &ast::CompoundList) {
        for item in &list.0 {
            self.and_or(&item.0);
        }
    }

    fn and_or(&mut self, list: &ast::AndOrList) {
        self.pipeline(&list.first);
        for next in &list.additional {
            match next {
                ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p),
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline) {
        let id = self.st.new_pipeline();
        for (i, cmd) in pipeline.seq.iter().enumerate() {
            self.command(cmd, id, i as u32);
        }
    }

    fn command(&mut self, cmd: &ast::Command, pipeline: u32, index: u32) {
        match cmd {
            ast::Command::Simple(simple) => self.simple(simple, pipeline, index),
            ast::Command::Compound(compound, redirects) => {
                self.compound(compound);
                self.redirect_list(redirects.as_ref());
            }
            ast::Command::Function(f) => {
                self.compound(&f.body.0);
                self.redirect_list(f.body.1.as_ref());
            }
            ast::Command::ExtendedTest(test, redirects) => {
                self.extended_test(&test.expr);
                self.redirect_list(redirects.as_ref());
            }
        }
    }

    fn compound(&mut self, cmd: &ast::CompoundCommand) {
        match cmd {
            ast::CompoundCommand::Arithmetic(a) => self.spaced_subshells(&a.loc),
            ast::CompoundCommand::ArithmeticForClause(c) => self.list(&c.body.list),
            ast::CompoundCommand::BraceGroup(c) => self.list(&c.list),
            ast::CompoundCommand::Subshell(c) => self.list(&c.list),
            ast::CompoundCommand::ForClause(c) => {
                for w in c.values.iter().flatten() {
                    self.word_substitutions(w);
                }
                self.list(&c.body.list);
            }
            ast::CompoundCommand::CaseClause(c) => {
                self.word_substitutions(&c.value);
                for item in &c.cases {
                    if let Some(body) = &item.cmd {
                        self.list(body);
                    }
                }
            }
            ast::CompoundCommand::IfClause(c) => {
                self.list(&c.condition);
                self.list(&c.then);
                for e in c.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        self.list(cond);
                    }
                    self.list(&e.body);
                }
            }
            ast::CompoundCommand::WhileClause(c) | ast::CompoundCommand::UntilClause(c) => {
                self.list(&c.0);
                self.list(&c.1.list);
            }
            ast::CompoundCommand::Coprocess(c) => {
                let id = self.st.new_pipeline();
                self.command(&c.body, id, 0);
            }
        }
    }

    /// brush parses `( ( a ) )` as the arithmetic command `((a))`; bash only does so when the
    /// parentheses touch, otherwise these are nested subshells, re-parsed here without the outer pair.
    fn spaced_subshells(&mut self, loc: &brush_parser::SourceSpan) {
        let span = self.loc_span(loc);
        let src = self.lv.src;
        if span.end < span.start + 2 || src.get(span.start..).is_some_and(|s| s.starts_with("((")) {
            return;
        }
        if let Some(inner) = src.get(span.start + 1..span.end - 1) {
            super::parse_level(self.st, Level { src: inner, base: self.lv.base + (span.start + 1) as u32, ..self.lv });
        }
    }

    fn extended_test(&mut self, expr: &ast::ExtendedTestExpr) {
        match expr {
            ast::ExtendedTestExpr::And(a, b) | ast::ExtendedTestExpr::Or(a, b) => {
                self.extended_test(a);
                self.extended_test(b);
            }
            ast::ExtendedTestExpr::Not(e) | ast::ExtendedTestExpr::Parenthesized(e) => self.extended_test(e),
            ast::ExtendedTestExpr::UnaryTest(_, w) => self.word_substitutions(w),
            ast::ExtendedTestExpr::BinaryTest(_, a, b) => {
                self.word_substitutions(a);
                self.word_substitutions(b);
            }
        }
    }

    /// Commands substituted in a word that belongs to no simple command (`for` list, `case`).
    fn word_substitutions(&mut self, word: &ast::Word) {
        if let Some(span) = self.span(word) {
            self.lv.substitutions(self.st, span);
        }
    }

    /// Redirections of a compound command: only their substitutions are of interest.
    fn redirect_list(&mut self, list: Option<&ast::RedirectList>) {
        let Some(list) = list else { return };
        let mut raw = RawCommand::default();
        let mut subshells = Vec::new();
        for r in &list.0 {
            self.redirect(r, &mut raw, &mut subshells);
        }
        for r in &raw.redirects {
            self.lv.substitutions(self.st, r.target);
        }
        self.subshells(&subshells);
    }

    /// Process substitutions `<(…)`: their commands run one level deeper.
    fn subshells(&mut self, subshells: &[&ast::SubshellCommand]) {
        if subshells.is_empty() || self.lv.depth >= MAX_DEPTH {
            return;
        }
        self.lv.depth += 1;
        for s in subshells {
            self.list(&s.list);
        }
        self.lv.depth -= 1;
    }

    fn simple<'c>(&mut self, cmd: &'c ast::SimpleCommand, pipeline: u32, index: u32) {
        let mut raw = RawCommand::default();
        let mut subshells: Vec<&'c ast::SubshellCommand> = Vec::new();
        for item in cmd.prefix.iter().flat_map(|p| &p.0) {
            self.item(item, true, &mut raw, &mut subshells);
        }
        if let Some(span) = cmd.word_or_name.as_ref().and_then(|w| self.span(w)) {
            raw.words.push(span);
        }
        for item in cmd.suffix.iter().flat_map(|s| &s.0) {
            self.item(item, false, &mut raw, &mut subshells);
        }
        if !raw.is_empty() {
            self.lv.emit(self.st, &raw, pipeline, index);
        }
        self.subshells(&subshells);
    }

    fn item<'c>(
        &self,
        item: &'c ast::CommandPrefixOrSuffixItem,
        prefix: bool,
        raw: &mut RawCommand,
        subshells: &mut Vec<&'c ast::SubshellCommand>,
    ) {
        match item {
            ast::CommandPrefixOrSuffixItem::IoRedirect(r) => self.redirect(r, raw, subshells),
            ast::CommandPrefixOrSuffixItem::Word(w) => raw.words.extend(self.span(w)),
            ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                // `make install PREFIX=/usr`: after the program an assignment is an argument
                if prefix {
                    raw.assignments.extend(self.span(w));
                } else {
                    raw.words.extend(self.span(w));
                }
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(_, sub) => {
                // keep `<(…)` as an argument so positions of later arguments stay right
                let mut span = self.loc_span(&sub.loc);
                if span.start > 0 && matches!(self.lv.src.as_bytes().get(span.start - 1), Some(b'<' | b'>')) {
                    span.start -= 1;
                }
                raw.words.push(span);
                subshells.push(sub);
            }
        }
    }

    fn redirect<'c>(
        &self,
        r: &'c ast::IoRedirect,
        raw: &mut RawCommand,
        subshells: &mut Vec<&'c ast::SubshellCommand>,
    ) {
        match r {
            ast::IoRedirect::File(fd, kind, target) => match target {
                ast::IoFileRedirectTarget::Filename(w) | ast::IoFileRedirectTarget::Duplicate(w) => {
                    if let Some(target) = self.span(w) {
                        raw.redirects.push(RawRedirect { op: with_fd(fd.as_ref(), file_op(kind)), target });
                    }
                }
                // only synthesized for `|&`, without a location
                ast::IoFileRedirectTarget::Fd(_) => {}
                ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => subshells.push(sub),
            },
            ast::IoRedirect::HereDocument(fd, doc) => {
                let op = if doc.remove_tabs { "<<-" } else { "<<" };
                if let Some(target) = self.span(&doc.here_end) {
                    raw.redirects.push(RawRedirect { op: with_fd(fd.as_ref(), op), target });
                }
                let body = self.heredoc_body(&doc.doc);
                if let Some(body) = body.filter(|_| doc.requires_expansion) {
                    raw.expanding_bodies.push(body);
                }
                if fd.as_ref().is_none_or(|&fd| fd == 0) {
                    raw.stdin_script = body;
                }
            }
            ast::IoRedirect::HereString(fd, w) => {
                if let Some(target) = self.span(w) {
                    raw.redirects.push(RawRedirect { op: with_fd(fd.as_ref(), "<<<"), target });
                }
            }
            ast::IoRedirect::OutputAndError(w, append) => {
                if let Some(target) = self.span(w) {
                    raw.redirects.push(RawRedirect { op: if *append { "&>>" } else { "&>" }.to_owned(), target });
                }
            }
        }
    }

    /// The span of a here-document body, when it is verbatim in the text (not for `<<-`, whose
    /// leading tabs brush removes).
    fn heredoc_body(&self, doc: &ast::Word) -> Option<Span> {
        let start = self.chars.byte(doc.loc.as_ref()?.start.index);
        let end = start + doc.value.len();
        (self.lv.src.get(start..end) == Some(doc.value.as_str())).then_some(Span { start, end })
    }
}
