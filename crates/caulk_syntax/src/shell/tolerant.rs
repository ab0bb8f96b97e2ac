//! Tolerant tokenizer for shell text brush-parser rejects (an unterminated quote, stray `fi`…):
//! splits commands on control operators and keywords so rules still see every command of a
//! broken RUN line. Best effort by design: no grammar, unterminated quotes run to the end.

use super::words::{is_meta, unquote, word_end};
use super::{Level, RawCommand, RawRedirect, Span, State, is_assignment};

/// What the next words mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Words of a command.
    Command,
    /// After `for`/`select`: skip the name and word list until `do`.
    ForHeader,
    /// After `case`: skip the subject until `in`.
    CaseHeader,
    /// Inside `case … in`: skip pattern words until `)`.
    CasePattern,
    /// After `function`: skip the name.
    FunctionName,
}

/// Words that are shell syntax, not programs, at the start of a command.
const KEYWORDS: &[&str] =
    &["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!", "esac", "time", "in"];

/// Redirection operators, longest first.
const REDIRECT_OPS: &[&str] = &["&>>", "&>", "<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"];

struct Tolerant<'s, 'a> {
    st: &'s mut State,
    lv: Level<'a>,
    cur: RawCommand,
    pipeline: Option<u32>,
    index: u32,
    mode: Mode,
    /// Here-document delimiters whose bodies start after the next newline (`true`: `<<-`).
    heredocs: Vec<(String, bool)>,
}

/// Splits `lv.src` into commands without a grammar and emits them.
pub(super) fn parse(st: &mut State, lv: Level<'_>) {
    let src = lv.src;
    let b = src.as_bytes();
    let len = b.len();
    let mut tol = Tolerant {
        st,
        lv,
        cur: RawCommand::default(),
        pipeline: None,
        index: 0,
        mode: Mode::Command,
        heredocs: Vec::new(),
    };
    let mut i = 0;
    while i < len {
        let Some(&c) = b.get(i) else { break };
        let next = b.get(i + 1).copied();
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if next == Some(b'\n') => i += 2,
            b'\n' => {
                tol.end_pipeline();
                i = tol.skip_heredoc_bodies(i + 1);
            }
            b'#' => i = b.get(i..).and_then(|s| memchr::memchr(b'\n', s)).map_or(len, |j| i + j),
            b';' => {
                tol.end_pipeline();
                if next == Some(b';') || next == Some(b'&') {
                    // `;;`, `;&`, `;;&`: end of a case item, patterns follow
                    tol.mode = Mode::CasePattern;
                    i += 2;
                    if b.get(i) == Some(&b'&') {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            b'&' if next == Some(b'&') => {
                tol.end_pipeline();
                i += 2;
            }
            b'|' if next == Some(b'|') => {
                tol.end_pipeline();
                i += 2;
            }
            b'|' => {
                tol.pipe();
                i += if next == Some(b'&') { 2 } else { 1 };
            }
            b'(' => {
                i += 1;
                // `name() { … }`: a function definition, not a command `name`
                let after = skip_blanks(b, i);
                if tol.cur.words.len() == 1 && tol.cur.assignments.is_empty() && b.get(after) == Some(&b')') {
                    tol.cur.clear();
                    i = after + 1;
                }
                tol.end_pipeline();
            }
            b')' => {
                tol.end_pipeline();
                if tol.mode == Mode::CasePattern {
                    tol.mode = Mode::Command;
                }
                i += 1;
            }
            _ => {
                if let Some(op_end) = redirect_op(b, i) {
                    i = tol.redirect(i, op_end);
                } else if c == b'&' {
                    tol.end_pipeline();
                    i += 1;
                } else {
                    let mut end = word_end(b, i, len);
                    if end <= i {
                        end = i + src.get(i..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
                    }
                    tol.word(Span { start: i, end });
                    i = end;
                }
            }
        }
    }
    tol.end_pipeline();
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// If a redirection operator (with an optional fd number) starts at `i`, the index past it.
fn redirect_op(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while b.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    let rest = b.get(j..)?;
    REDIRECT_OPS
        .iter()
        .find(|op| rest.starts_with(op.as_bytes()))
        .filter(|op| j == i || !op.starts_with('&'))
        .map(|op| j + op.len())
}

impl Tolerant<'_, '_> {
    fn finish_command(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        let id = self.pipeline.unwrap_or_else(|| self.st.new_pipeline());
        self.pipeline = Some(id);
        self.lv.emit(self.st, &self.cur, id, self.index);
        self.cur.clear();
    }

    fn end_pipeline(&mut self) {
        self.finish_command();
        self.pipeline = None;
        self.index = 0;
    }

    fn pipe(&mut self) {
        self.finish_command();
        if self.pipeline.is_some() {
            self.index += 1;
        }
    }

    fn word(&mut self, span: Span) {
        let text = self.lv.src.get(span.start..span.end).unwrap_or("");
        match self.mode {
            Mode::CasePattern => {
                if text == "esac" {
                    self.mode = Mode::Command;
                }
                return;
            }
            Mode::CaseHeader => {
                if text == "in" {
                    self.mode = Mode::CasePattern;
                }
                return;
            }
            Mode::ForHeader => {
                if text == "do" {
                    self.mode = Mode::Command;
                }
                return;
            }
            Mode::FunctionName => {
                self.mode = Mode::Command;
                return;
            }
            Mode::Command => {}
        }
        if self.cur.is_empty() {
            match text {
                "for" | "select" => {
                    self.mode = Mode::ForHeader;
                    return;
                }
                "case" => {
                    self.mode = Mode::CaseHeader;
                    return;
                }
                "function" => {
                    self.mode = Mode::FunctionName;
                    return;
                }
                _ if KEYWORDS.contains(&text) => return,
                _ => {}
            }
        }
        if self.cur.words.is_empty() && is_assignment(text) {
            self.cur.assignments.push(span);
        } else {
            self.cur.words.push(span);
        }
    }

    /// A redirection operator at `start..op_end` and its target word; returns where to go on.
    fn redirect(&mut self, start: usize, op_end: usize) -> usize {
        let src = self.lv.src;
        let b = src.as_bytes();
        let op = src.get(start..op_end).unwrap_or("");
        let t = skip_blanks(b, op_end);
        match b.get(t) {
            Some(&c) if !is_meta(c) => {
                let end = word_end(b, t, b.len()).max(t + 1).min(b.len());
                let bare = op.trim_start_matches(|c: char| c.is_ascii_digit());
                if matches!(bare, "<<" | "<<-") {
                    let delimiter = unquote(src.get(t..end).unwrap_or(""), None).0;
                    self.heredocs.push((delimiter, bare == "<<-"));
                }
                if self.mode == Mode::Command {
                    self.cur.redirects.push(RawRedirect { op: op.to_owned(), target: Span { start: t, end } });
                }
                end
            }
            _ => op_end,
        }
    }

    /// Skips the bodies of pending here-documents starting at `i`; returns the index after them.
    fn skip_heredoc_bodies(&mut self, mut i: usize) -> usize {
        let src = self.lv.src;
        let n = src.len();
        for (delimiter, strip_tabs) in self.heredocs.drain(..) {
            while i < n {
                let line_end = src.as_bytes().get(i..).and_then(|s| memchr::memchr(b'\n', s)).map_or(n, |j| i + j);
                let line = src.get(i..line_end).unwrap_or("");
                i = (line_end + 1).min(n);
                let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
                if line.trim_end_matches('\r') == delimiter {
                    break;
                }
            }
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use crate::OffsetMap;
    use crate::shell::{Script, State};

    fn tolerant(text: &str) -> Script {
        let map = OffsetMap::contiguous(0, text.len());
        let mut st = State::default();
        super::parse(&mut st, super::Level { src: text, base: 0, map: &map, depth: 0 });
        st.script
    }

    fn programs(s: &Script) -> Vec<(String, u32, u32)> {
        s.commands
            .iter()
            .map(|c| (c.words.first().map(|w| w.value.clone()).unwrap_or_default(), c.pipeline, c.pipeline_index))
            .collect()
    }

    #[test]
    fn splits_on_operators_and_skips_keywords() {
        let s = tolerant("if [ -f x ]; then a && b || c; fi; x | y |& z & w\nfor i in 1 2; do e $i; done");
        let names: Vec<String> = programs(&s).into_iter().map(|p| p.0).collect();
        assert_eq!(names, ["[", "a", "b", "c", "x", "y", "z", "w", "e"]);
        let p = programs(&s);
        assert_eq!((p[5].1, p[5].2), (p[4].1, 1));
        assert_eq!((p[6].1, p[6].2), (p[4].1, 2));
        assert_ne!(p[7].1, p[4].1);
    }

    #[test]
    fn assignments_redirects_and_heredocs() {
        let s = tolerant(
            "FOO=1 BAR=\"a b\" make 2>/dev/null >> log; cat <<-'EOF' > /x\n\tnot a command\n\tEOF\nnext 'unterminated",
        );
        assert_eq!(s.commands.len(), 3);
        let make = &s.commands[0];
        assert_eq!(make.assignments.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["FOO=1", "BAR=a b"]);
        assert_eq!(make.words.len(), 1);
        assert_eq!(
            make.redirects.iter().map(|r| (r.op.as_str(), r.target.value.as_str())).collect::<Vec<_>>(),
            [("2>", "/dev/null"), (">>", "log")]
        );
        let cat = &s.commands[1];
        assert_eq!(cat.redirects[0].op, "<<-");
        assert_eq!(cat.redirects[0].target.value, "EOF");
        assert_eq!(s.commands[2].words[1].value, "unterminated");
    }

    #[test]
    fn case_items_and_functions() {
        let s = tolerant("case $x in a|b) one;; *) two;; esac; f() { three; }; function g { four; }");
        let names: Vec<String> = programs(&s).into_iter().map(|p| p.0).collect();
        assert_eq!(names, ["one", "two", "three", "four"]);
    }

    #[test]
    fn substitutions_are_nested_one_level_deeper() {
        let s = tolerant("echo $(id -u) `whoami` 'unterminated");
        let got: Vec<(String, u32)> = s.commands.iter().map(|c| (c.words[0].value.clone(), c.depth)).collect();
        assert_eq!(got, [("echo".to_owned(), 0), ("id".to_owned(), 1), ("whoami".to_owned(), 1)]);
    }
}
