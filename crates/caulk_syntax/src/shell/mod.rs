//! POSIX shell in RUN bodies: commands with their words, ranges mapped back into the Dockerfile.
//!
//! Parsed with `brush-parser`; text it cannot parse falls back to a tolerant tokenizer and a
//! note, so rules still see the commands of a broken RUN line.

use caulk_core::TextRange;

use crate::OffsetMap;

mod brush;
mod tolerant;
mod words;

/// The commands of one shell text, in source order, including those nested in `$(…)`,
/// backticks, subshells, `sh -c '…'` and `bash -c "…"` arguments.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Simple commands in source order; nested ones follow the command containing them.
    pub commands: Vec<Command>,
    /// Why (parts of) the text needed the tolerant tokenizer.
    pub notes: Vec<ShellNote>,
    /// True when the real parser failed and the tolerant tokenizer produced `commands`.
    pub recovered: bool,
}

/// A note about the shell text: why it could not be fully parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellNote {
    /// File range of the position the parser complained about (the whole text if unknown).
    pub range: TextRange,
    pub message: String,
}

/// A simple command: assignments, then words (program first), plus its redirections.
#[derive(Debug, Clone)]
pub struct Command {
    /// `FOO=bar` prefixes.
    pub assignments: Vec<Word>,
    /// argv as written: `words[0]` is the program (possibly a wrapper such as `sudo`).
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// File range of the whole simple command.
    pub range: TextRange,
    /// Commands of one pipeline share this id (unique within a `Script`).
    pub pipeline: u32,
    /// Position in the pipeline, 0 for the first command.
    pub pipeline_index: u32,
    /// 0 at top level; +1 inside each `$(…)`, backticks or `sh -c` string.
    pub depth: u32,
}

/// A redirection such as `>> /etc/ssh/sshd_config` or `2>/dev/null`.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The operator as written: `>`, `>>`, `<`, `2>`, `&>`, `<<`, …
    pub op: String,
    /// The target file or fd (`/dev/null`, `1` in `2>&1`); for here-documents the delimiter.
    pub target: Word,
}

/// A shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word with quotes removed and backslash escapes resolved; expansions (`$X`, `$(…)`)
    /// are kept as written.
    pub value: String,
    /// File range of the word as written (including its quotes).
    pub range: TextRange,
    /// Whether the word contains a parameter, command or arithmetic expansion.
    pub has_expansion: bool,
}

/// Wrappers that run the command that follows them.
const WRAPPERS: &[&str] =
    &["sudo", "env", "nohup", "exec", "time", "command", "nice", "stdbuf", "doas", "gosu", "su-exec", "chroot"];

impl Command {
    /// Index in `words` of the program actually run, after wrappers (`sudo -E`, `env X=1`, `nohup`…).
    /// `command -v foo` only looks `foo` up, so there the program is `command` itself.
    pub fn program_index(&self) -> Option<usize> {
        let mut i = 0;
        while let Some(w) = self.words.get(i) {
            let name = basename(&w.value);
            if !WRAPPERS.contains(&name) {
                return Some(i);
            }
            let wrapper = i;
            i += 1;
            // skip the wrapper's own options and assignments
            while let Some(next) = self.words.get(i) {
                let v = next.value.as_str();
                if v == "--" {
                    i += 1;
                    break;
                }
                if v.starts_with('-') {
                    if name == "command" && !v.starts_with("--") && v.contains(['v', 'V']) {
                        return Some(wrapper);
                    }
                    i += 1;
                    if wrapper_option_takes_value(name, v) {
                        i += 1;
                    }
                } else if matches!(name, "env" | "sudo") && is_assignment(v) {
                    i += 1;
                } else if matches!(name, "gosu" | "su-exec" | "chroot") {
                    // `gosu USER cmd`, `chroot DIR cmd`: one positional before the command
                    i += 1;
                    break;
                } else {
                    break;
                }
            }
        }
        None
    }

    /// The program run, as a basename (`/usr/bin/apt-get` → `apt-get`), after wrappers.
    pub fn program(&self) -> Option<&str> {
        self.program_index().and_then(|i| self.words.get(i)).map(|w| basename(&w.value))
    }

    /// The word naming the program, for ranges.
    pub fn program_word(&self) -> Option<&Word> {
        self.program_index().and_then(|i| self.words.get(i))
    }

    /// True when the program run is `name`.
    pub fn is(&self, name: &str) -> bool {
        self.program() == Some(name)
    }

    /// Arguments after the program.
    pub fn args(&self) -> &[Word] {
        match self.program_index() {
            Some(i) => self.words.get(i + 1..).unwrap_or(&[]),
            None => &[],
        }
    }

    /// True when any of `flags` is present: long (`--yes`, `--yes=x`) or short (`-y`, also
    /// inside a cluster like `-qy`). Give flags with their dashes: `["-y", "--yes"]`.
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args().iter().take_while(|w| w.value != "--").any(|w| flag_matches(&w.value, flags))
    }

    /// The value of a flag: `--opt=value`, `--opt value`, `-o value` or `-ovalue`.
    pub fn flag_value(&self, flags: &[&str]) -> Option<&str> {
        let args = self.args();
        for (i, w) in args.iter().enumerate() {
            let v = w.value.as_str();
            if v == "--" {
                break;
            }
            for f in flags {
                if v == *f {
                    return args.get(i + 1).map(|n| n.value.as_str());
                }
                if f.starts_with("--") {
                    if let Some(rest) = v.strip_prefix(*f).and_then(|r| r.strip_prefix('=')) {
                        return Some(rest);
                    }
                } else if f.len() == 2 && v.starts_with(*f) && !v.starts_with("--") && v.len() > 2 {
                    return v.get(2..);
                }
            }
        }
        None
    }

    /// Non-flag arguments, skipping the values of `flags_with_values` (e.g. `["-t", "--target-release"]`)
    /// and everything is an operand after `--`.
    pub fn operands<'a, 'f>(
        &'a self,
        flags_with_values: &'f [&'f str],
    ) -> impl Iterator<Item = &'a Word> + use<'a, 'f> {
        let mut skip_next = false;
        let mut after_dashdash = false;
        self.args().iter().filter(move |w| {
            let v = w.value.as_str();
            if skip_next {
                skip_next = false;
                return false;
            }
            if after_dashdash {
                return true;
            }
            if v == "--" {
                after_dashdash = true;
                return false;
            }
            if v.starts_with('-') && v.len() > 1 {
                if flags_with_values.contains(&v) {
                    skip_next = true;
                }
                return false;
            }
            true
        })
    }

    /// The first operand, e.g. `install` in `apt-get -q install curl`.
    pub fn subcommand(&self, flags_with_values: &[&str]) -> Option<&str> {
        self.operands(flags_with_values).next().map(|w| w.value.as_str())
    }
}

/// The last path component of a program name.
pub fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// Whether option `opt` of wrapper `name` consumes the following word (`sudo -u USER`, `nice -n 10`).
fn wrapper_option_takes_value(name: &str, opt: &str) -> bool {
    match name {
        "sudo" => matches!(
            opt,
            "-u" | "-g"
                | "-C"
                | "-h"
                | "-p"
                | "-U"
                | "-r"
                | "-t"
                | "-D"
                | "-R"
                | "-T"
                | "--user"
                | "--group"
                | "--close-from"
                | "--host"
                | "--prompt"
                | "--other-user"
                | "--role"
                | "--type"
                | "--chdir"
                | "--chroot"
                | "--command-timeout"
        ),
        "doas" => matches!(opt, "-u" | "-C"),
        "nice" => matches!(opt, "-n" | "--adjustment"),
        "stdbuf" => matches!(opt, "-i" | "-o" | "-e"),
        "env" => matches!(opt, "-u" | "--unset" | "-C" | "--chdir" | "-S" | "--split-string"),
        "time" => matches!(opt, "-f" | "-o" | "--format" | "--output"),
        "exec" => opt == "-a",
        _ => false,
    }
}

/// `NAME=value` (also `NAME+=value`) with a valid shell name.
pub(crate) fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else { return false };
    let name = name.strip_suffix('+').unwrap_or(name);
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn flag_matches(arg: &str, flags: &[&str]) -> bool {
    if arg.starts_with("--") {
        let name = arg.split_once('=').map_or(arg, |(n, _)| n);
        flags.contains(&name)
    } else if let Some(cluster) = arg.strip_prefix('-') {
        if cluster.is_empty() {
            return false;
        }
        flags
            .iter()
            .any(|f| f.len() == 2 && !f.starts_with("--") && f.chars().nth(1).is_some_and(|c| cluster.contains(c)))
            && cluster.chars().all(|c| c.is_ascii_alphanumeric())
    } else {
        false
    }
}

/// How many levels of `$(…)`, backticks and `sh -c` strings are followed.
const MAX_DEPTH: u32 = 8;

/// Shells whose `-c STRING` argument (or here-document on stdin) is parsed as a nested script.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh"];

/// Parses `text` (whose offsets `map` maps back to the file) into its commands.
///
/// Never fails: when `brush-parser` rejects the text, a tolerant tokenizer finds the commands,
/// `recovered` is set and a note says why.
pub fn parse(text: &str, map: &OffsetMap) -> Script {
    let mut st = State::default();
    parse_level(&mut st, Level { src: text, base: 0, map, depth: 0 });
    st.script
}

/// The output being built, shared by all nesting levels.
#[derive(Default)]
struct State {
    script: Script,
    next_pipeline: u32,
}

impl State {
    fn new_pipeline(&mut self) -> u32 {
        let id = self.next_pipeline;
        self.next_pipeline += 1;
        id
    }
}

/// One shell text being parsed: `src` starts at offset `base` of the text `map` maps to the file.
#[derive(Clone, Copy)]
struct Level<'a> {
    src: &'a str,
    base: u32,
    map: &'a OffsetMap,
    depth: u32,
}

/// A byte range in a `Level`'s `src`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// A redirection before its words are unquoted.
#[derive(Debug)]
struct RawRedirect {
    op: String,
    target: Span,
}

/// A simple command as spans in `src`, produced by either parser.
#[derive(Debug, Default)]
struct RawCommand {
    assignments: Vec<Span>,
    words: Vec<Span>,
    redirects: Vec<RawRedirect>,
    /// The body of a here-document on the command's stdin (parsed when the command is a shell).
    stdin_script: Option<Span>,
    /// Bodies of unquoted here-documents, whose `$(…)` the shell runs.
    expanding_bodies: Vec<Span>,
}

impl RawCommand {
    fn is_empty(&self) -> bool {
        self.assignments.is_empty() && self.words.is_empty() && self.redirects.is_empty()
    }

    fn clear(&mut self) {
        self.assignments.clear();
        self.words.clear();
        self.redirects.clear();
        self.stdin_script = None;
        self.expanding_bodies.clear();
    }
}

/// Parses one level with brush-parser, falling back to the tolerant tokenizer.
fn parse_level(st: &mut State, lv: Level<'_>) {
    match brush::parse(lv.src) {
        Ok(program) => brush::walk_program(st, lv, &program),
        Err(failure) => {
            st.script.recovered = true;
            let len = lv.src.len();
            let range = match failure.at {
                Some(at) if at < len => {
                    let char_len = lv.src.get(at..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
                    lv.file_range(at, at + char_len)
                }
                Some(at) => lv.file_range(at.min(len), len),
                None => lv.file_range(0, len),
            };
            st.script.notes.push(ShellNote {
                range,
                message: format!("shell parser: {}; commands were found by a tolerant fallback", failure.message),
            });
            tolerant::parse(st, lv);
        }
    }
}

/// What a shell command's arguments say about a nested script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ShellInput {
    /// `sh -c STRING`: the index of STRING in `words`.
    String(usize),
    /// `sh`, `bash -s`…: the script comes from stdin.
    Stdin,
}

/// Finds the script a shell (or `su -c`) command runs.
fn shell_input(cmd: &Command) -> Option<ShellInput> {
    let pi = cmd.program_index()?;
    let program = basename(&cmd.words.get(pi)?.value);
    if program == "su" {
        let j = cmd.words.iter().skip(pi + 1).position(|w| matches!(w.value.as_str(), "-c" | "--command"))?;
        let i = pi + 2 + j;
        return (i < cmd.words.len()).then_some(ShellInput::String(i));
    }
    if !SHELLS.contains(&program) {
        return None;
    }
    let mut has_c = false;
    let mut i = pi + 1;
    while let Some(w) = cmd.words.get(i) {
        let v = w.value.as_str();
        if v == "--" || v == "-" {
            i += 1;
            break;
        }
        if let Some(long) = v.strip_prefix("--") {
            i += if matches!(long, "rcfile" | "init-file") { 2 } else { 1 };
            continue;
        }
        let Some(cluster) = v.strip_prefix('-').or_else(|| v.strip_prefix('+')).filter(|c| !c.is_empty()) else {
            break;
        };
        i += 1;
        for ch in cluster.chars() {
            match ch {
                'c' if v.starts_with('-') => has_c = true,
                'o' | 'O' => i += 1, // `-o pipefail`, `-O extglob`
                _ => {}
            }
        }
    }
    if has_c {
        (i < cmd.words.len()).then_some(ShellInput::String(i))
    } else if i >= cmd.words.len() {
        Some(ShellInput::Stdin)
    } else {
        None // `sh script.sh`: the script is a file
    }
}

/// Where the operator of a redirection whose target starts at `target` begins, for ranges.
fn op_start(src: &str, target: usize, op: &str) -> usize {
    let before = src.get(..target).unwrap_or("").trim_end_matches([' ', '\t']);
    if before.ends_with(op) { before.len() - op.len() } else { target }
}

impl Level<'_> {
    /// The file range of `start..end` in `src`.
    fn file_range(&self, start: usize, end: usize) -> TextRange {
        self.map.range_to_file(TextRange::new(self.base + start as u32, self.base + end as u32))
    }

    fn word(&self, span: Span) -> Word {
        let raw = self.src.get(span.start..span.end).unwrap_or("");
        let (value, has_expansion, _) = words::unquote(raw, None);
        Word { value, range: self.file_range(span.start, span.end), has_expansion }
    }

    /// Pushes a simple command, then the commands nested in its words (substitutions, `sh -c`).
    fn emit(&self, st: &mut State, raw: &RawCommand, pipeline: u32, pipeline_index: u32) {
        let mut start = usize::MAX;
        let mut end = 0;
        for s in raw.assignments.iter().chain(&raw.words) {
            start = start.min(s.start);
            end = end.max(s.end);
        }
        let mut redirects = Vec::with_capacity(raw.redirects.len());
        for r in &raw.redirects {
            start = start.min(op_start(self.src, r.target.start, &r.op));
            end = end.max(r.target.end);
            redirects.push(Redirect { op: r.op.clone(), target: self.word(r.target) });
        }
        if start > end {
            return;
        }
        let cmd = Command {
            assignments: raw.assignments.iter().map(|&s| self.word(s)).collect(),
            words: raw.words.iter().map(|&s| self.word(s)).collect(),
            redirects,
            range: self.file_range(start, end),
            pipeline,
            pipeline_index,
            depth: self.depth,
        };
        let input = if self.depth < MAX_DEPTH { shell_input(&cmd) } else { None };
        st.script.commands.push(cmd);
        if self.depth >= MAX_DEPTH {
            return;
        }
        for &span in &raw.assignments {
            self.substitutions(st, span);
        }
        for (i, &span) in raw.words.iter().enumerate() {
            if input == Some(ShellInput::String(i)) {
                self.nested_shell(st, span);
            } else {
                self.substitutions(st, span);
            }
        }
        for r in &raw.redirects {
            self.substitutions(st, r.target);
        }
        let mut fed = None;
        if let (Some(ShellInput::Stdin), Some(body)) = (input, raw.stdin_script)
            && let Some(src) = self.src.get(body.start..body.end)
        {
            fed = Some(body);
            parse_level(st, Level { src, base: self.base + body.start as u32, depth: self.depth + 1, ..*self });
        }
        for &body in &raw.expanding_bodies {
            if fed != Some(body) {
                self.substitutions(st, body);
            }
        }
    }

    /// Parses the command substitutions in the word at `span`, one level deeper.
    fn substitutions(&self, st: &mut State, span: Span) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        let Some(raw) = self.src.get(span.start..span.end) else { return };
        if memchr::memchr2(b'$', b'`', raw.as_bytes()).is_none() {
            return;
        }
        let mut subs = Vec::new();
        words::substitutions(raw, &mut subs);
        for s in subs {
            let (start, end) = (span.start + s.start, span.start + s.end);
            let Some(inner) = self.src.get(start..end) else { continue };
            if s.backquoted && inner.contains('\\') {
                let (text, inner_map) = words::unescape_backquoted(inner, self.base + start as u32);
                let map = self.map.compose(&inner_map);
                parse_level(st, Level { src: &text, base: 0, map: &map, depth: self.depth + 1 });
            } else {
                parse_level(st, Level { src: inner, base: self.base + start as u32, depth: self.depth + 1, ..*self });
            }
        }
    }

    /// Parses the `sh -c` STRING at `span` as a script, one level deeper.
    fn nested_shell(&self, st: &mut State, span: Span) {
        let Some(raw) = self.src.get(span.start..span.end) else { return };
        let (value, _, _) = words::unquote(raw, None);
        // Common case: the value is a contiguous piece of the word ('…' or unquoted): no new map.
        let offset = if raw == value {
            Some(0)
        } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(value.as_str()) {
            Some(1)
        } else {
            None
        };
        if let Some(offset) = offset {
            let src = raw.get(offset..offset + value.len()).unwrap_or("");
            parse_level(
                st,
                Level { src, base: self.base + (span.start + offset) as u32, depth: self.depth + 1, ..*self },
            );
            return;
        }
        let (value, _, inner_map) = words::unquote(raw, Some(self.base + span.start as u32));
        let map = self.map.compose(&inner_map.unwrap_or_default());
        parse_level(st, Level { src: &value, base: 0, map: &map, depth: self.depth + 1 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `text` as if it sat verbatim at offset 4 of a file (`RUN text`).
    fn run(text: &str) -> (String, Script) {
        let file = format!("RUN {text}");
        let script = parse(text, &OffsetMap::contiguous(4, text.len()));
        (file, script)
    }

    fn values(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.value.as_str()).collect()
    }

    fn find<'s>(s: &'s Script, program: &str) -> &'s Command {
        s.commands
            .iter()
            .find(|c| c.words.first().is_some_and(|w| w.value == program))
            .unwrap_or_else(|| panic!("no {program} in {s:#?}"))
    }

    #[test]
    fn and_list_over_a_line_continuation_maps_to_file_bytes() {
        let file = "RUN apt-get update && \\\n    apt-get install -y curl=1.2 wget\n";
        // the Dockerfile parser joins "apt-get update && " (4..22) and "    apt-get install…" (24..)
        let first = "apt-get update && ";
        let second = "    apt-get install -y curl=1.2 wget";
        let text = format!("{first}{second}");
        let mut map = OffsetMap::default();
        map.push(4, first.len());
        map.push(24, second.len());
        let s = parse(&text, &map);
        assert!(!s.recovered);
        assert_eq!(s.commands.len(), 2);
        let (a, b) = (&s.commands[0], &s.commands[1]);
        assert_eq!(values(&a.words), ["apt-get", "update"]);
        assert_eq!(values(&b.words), ["apt-get", "install", "-y", "curl=1.2", "wget"]);
        assert_eq!(a.range.slice(file), "apt-get update");
        assert_eq!(b.range.slice(file), "apt-get install -y curl=1.2 wget");
        assert_eq!(b.range, TextRange::new(28, 60));
        let ranges: Vec<&str> = b.words.iter().map(|w| w.range.slice(file)).collect();
        assert_eq!(ranges, ["apt-get", "install", "-y", "curl=1.2", "wget"]);
        assert_ne!(a.pipeline, b.pipeline);
        assert_eq!((a.pipeline_index, b.pipeline_index, a.depth, b.depth), (0, 0, 0, 0));
        assert!(a.pipeline < b.pipeline);
        assert_eq!(b.program(), Some("apt-get"));
        assert_eq!(b.subcommand(&[]), Some("install"));
    }

    #[test]
    fn pipeline_shares_an_id() {
        let (file, s) = run("curl -fsSL https://x | sh; echo done");
        assert_eq!(s.commands.len(), 3);
        let (curl, sh, echo) = (&s.commands[0], &s.commands[1], &s.commands[2]);
        assert_eq!((curl.pipeline, curl.pipeline_index), (sh.pipeline, 0));
        assert_eq!(sh.pipeline_index, 1);
        assert_ne!(echo.pipeline, curl.pipeline);
        assert_eq!(echo.pipeline_index, 0);
        assert_eq!(sh.range.slice(&file), "sh");
        assert_eq!(curl.range.slice(&file), "curl -fsSL https://x");
    }

    #[test]
    fn command_substitutions_nest() {
        let (file, s) = run("cd \"$(dirname $(which python))\" && X=`id -u` true");
        let got: Vec<(&str, u32, &str)> = s
            .commands
            .iter()
            .map(|c| (c.words.first().map_or("", |w| w.value.as_str()), c.depth, c.range.slice(&file)))
            .collect();
        assert_eq!(
            got,
            [
                ("cd", 0, "cd \"$(dirname $(which python))\""),
                ("dirname", 1, "dirname $(which python)"),
                ("which", 2, "which python"),
                ("true", 0, "X=`id -u` true"),
                ("id", 1, "id -u"),
            ]
        );
        let cd = &s.commands[0];
        assert_eq!(cd.words[1].value, "$(dirname $(which python))");
        assert!(cd.words[1].has_expansion);
        assert!(!cd.words[0].has_expansion);
        assert_eq!(values(&s.commands[3].assignments), ["X=`id -u`"]);
    }

    #[test]
    fn backquoted_escapes_map_back() {
        let (file, s) = run(r"echo `echo \`id\``");
        let got: Vec<(&str, u32)> = s.commands.iter().map(|c| (c.range.slice(&file), c.depth)).collect();
        assert_eq!(got, [(r"echo `echo \`id\``", 0), (r"echo \`id\`", 1), ("id", 2)]);
    }

    #[test]
    fn sh_c_single_quoted_is_parsed_nested() {
        let (file, s) = run("sh -c 'apt-get install -y vim'");
        assert_eq!(s.commands.len(), 2);
        let apt = &s.commands[1];
        assert_eq!(apt.depth, 1);
        assert_eq!(apt.range.slice(&file), "apt-get install -y vim");
        assert_eq!(values(&apt.words), ["apt-get", "install", "-y", "vim"]);
        assert_eq!(apt.words[3].range.slice(&file), "vim");
        assert_ne!(apt.pipeline, s.commands[0].pipeline);
        assert_eq!(s.commands[0].words[2].value, "apt-get install -y vim");
    }

    #[test]
    fn bash_flags_and_double_quoted_string() {
        let (file, s) = run(r#"bash -euxo pipefail -c "echo \"hi\" && pip install flask""#);
        assert_eq!(s.commands.len(), 3, "{s:#?}");
        let (echo, pip) = (&s.commands[1], &s.commands[2]);
        assert_eq!((echo.depth, pip.depth), (1, 1));
        assert_eq!(values(&echo.words), ["echo", "hi"]);
        // escapes inside the string are mapped approximately, but never outside the word
        let hi = echo.words[1].range.slice(&file);
        assert!(hi.contains("hi") && r#"\"hi\""#.contains(hi), "{hi}");
        assert_eq!(values(&pip.words), ["pip", "install", "flask"]);
        assert_eq!(pip.range.slice(&file), "pip install flask");
        assert_eq!(pip.words[2].range.slice(&file), "flask");
    }

    #[test]
    fn nested_shells_through_wrappers_and_levels() {
        let (file, s) = run(r#"sudo -u app /bin/sh -ec "su postgres -c 'psql -c x'" && bash -lc 'sh -c "wget q"'"#);
        let got: Vec<(&str, u32)> = s.commands.iter().map(|c| (c.range.slice(&file), c.depth)).collect();
        assert_eq!(
            got,
            [
                (r#"sudo -u app /bin/sh -ec "su postgres -c 'psql -c x'""#, 0),
                ("su postgres -c 'psql -c x'", 1),
                ("psql -c x", 2),
                (r#"bash -lc 'sh -c "wget q"'"#, 0),
                (r#"sh -c "wget q""#, 1),
                ("wget q", 2),
            ]
        );
        // `sh script.sh` runs a file, `sh -c` without a string runs nothing
        let (_, s) = run("sh script.sh -c 'x'; bash -c");
        assert_eq!(s.commands.len(), 2);
    }

    #[test]
    fn shell_fed_a_heredoc_is_parsed_nested() {
        let (file, s) = run("bash <<EOF\napt-get install -y x $(id)\nEOF\n");
        let got: Vec<(&str, u32)> = s.commands.iter().map(|c| (c.range.slice(&file), c.depth)).collect();
        assert_eq!(got, [("bash <<EOF", 0), ("apt-get install -y x $(id)", 1), ("id", 2)]);
        // the shell runs substitutions in unquoted here-documents, not in quoted ones
        let (file, s) = run("cat <<EOF > /x && cat <<'E' > /y\n$(curl -s u)\nEOF\n$(not run)\nE\n");
        let got: Vec<(&str, u32)> = s.commands.iter().map(|c| (c.range.slice(&file), c.depth)).collect();
        assert_eq!(got, [("cat <<EOF > /x", 0), ("curl -s u", 1), ("cat <<'E' > /y", 0)]);
    }

    #[test]
    fn recursion_is_limited() {
        let mut text = "x".to_owned();
        for _ in 0..12 {
            text = format!("sh -c {}", shell_quote(&text));
        }
        let (_, s) = run(&text);
        assert_eq!(s.commands.iter().map(|c| c.depth).max(), Some(MAX_DEPTH));
        assert_eq!(s.commands.len(), MAX_DEPTH as usize + 1);
    }

    fn shell_quote(s: &str) -> String {
        format!("'{}'", s.replace('\'', r"'\''"))
    }

    #[test]
    fn quotes_are_removed_from_values() {
        let (file, s) = run(r#"echo 'a b' "c $D" e\ f "${X:-y}" $'t\tu'"#);
        let echo = &s.commands[0];
        assert_eq!(values(&echo.words), ["echo", "a b", "c $D", "e f", "${X:-y}", "t\tu"]);
        assert_eq!(echo.words[1].range.slice(&file), "'a b'");
        let expansions: Vec<bool> = echo.words.iter().map(|w| w.has_expansion).collect();
        assert_eq!(expansions, [false, false, true, false, true, false]);
    }

    #[test]
    fn prefix_assignments() {
        let (file, s) = run("FOO=1 BAR='2 3' make install PREFIX=/usr");
        let make = &s.commands[0];
        assert_eq!(values(&make.assignments), ["FOO=1", "BAR=2 3"]);
        assert_eq!(values(&make.words), ["make", "install", "PREFIX=/usr"]);
        assert_eq!(make.assignments[1].range.slice(&file), "BAR='2 3'");
        assert_eq!(make.range.slice(&file), "FOO=1 BAR='2 3' make install PREFIX=/usr");
        let (_, s) = run("X=$(curl -s y)");
        assert_eq!(s.commands.len(), 2);
        assert!(s.commands[0].words.is_empty());
        assert_eq!(s.commands[1].program(), Some("curl"));
    }

    #[test]
    fn redirects_keep_operator_and_target() {
        let (file, s) = run("echo 'PermitRootLogin yes' >> /etc/ssh/sshd_config");
        let echo = &s.commands[0];
        assert_eq!(values(&echo.words), ["echo", "PermitRootLogin yes"]);
        assert_eq!(echo.redirects.len(), 1);
        assert_eq!(echo.redirects[0].op, ">>");
        assert_eq!(echo.redirects[0].target.value, "/etc/ssh/sshd_config");
        assert_eq!(echo.redirects[0].target.range.slice(&file), "/etc/ssh/sshd_config");
        assert_eq!(echo.range.slice(&file), "echo 'PermitRootLogin yes' >> /etc/ssh/sshd_config");

        let (_, s) = run("make 2>/dev/null >&2 &>>log <in <<<'w' 3< x |& tee");
        let ops: Vec<(&str, &str)> =
            s.commands[0].redirects.iter().map(|r| (r.op.as_str(), r.target.value.as_str())).collect();
        assert_eq!(ops, [("2>", "/dev/null"), (">&", "2"), ("&>>", "log"), ("<", "in"), ("<<<", "w"), ("3<", "x")]);
        assert_eq!(s.commands[1].pipeline_index, 1);
    }

    #[test]
    fn heredoc_in_text_parses() {
        let (file, s) = run("cat <<EOF > /x\nhello\nEOF\necho done");
        assert!(!s.recovered, "{:?}", s.notes);
        assert_eq!(s.commands.len(), 2);
        let cat = &s.commands[0];
        let ops: Vec<(&str, &str)> = cat.redirects.iter().map(|r| (r.op.as_str(), r.target.value.as_str())).collect();
        assert_eq!(ops, [("<<", "EOF"), (">", "/x")]);
        assert_eq!(cat.redirects[1].target.range.slice(&file), "/x");
        assert_eq!(cat.range.slice(&file), "cat <<EOF > /x");
        assert_eq!(s.commands[1].range.slice(&file), "echo done");
        let (_, s) = run("cat <<-'E F' | sh\n\tnot run\n\tE F\n");
        assert_eq!(s.commands.len(), 2);
        assert_eq!(s.commands[0].redirects[0].op, "<<-");
        assert_eq!(s.commands[0].redirects[0].target.value, "E F");
    }

    #[test]
    fn unterminated_quote_recovers() {
        let (file, s) = run("echo \"abc && apt-get install x");
        assert!(s.recovered);
        assert_eq!(s.notes.len(), 1);
        assert!(s.notes[0].message.contains("unterminated double quote"), "{}", s.notes[0].message);
        assert_eq!(s.notes[0].range.slice(&file), "\"");
        assert_eq!(s.commands.len(), 1);
        assert_eq!(values(&s.commands[0].words), ["echo", "abc && apt-get install x"]);

        let (file, s) = run("apt-get update && apt-get install x; fi");
        assert!(s.recovered);
        assert_eq!(s.notes[0].range.slice(&file), "apt-get update && apt-get install x; fi");
        assert!(s.notes[0].message.contains("end of input"), "{}", s.notes[0].message);
        assert_eq!(s.commands.iter().filter(|c| c.is("apt-get")).count(), 2);
    }

    #[test]
    fn compound_bodies_yield_their_commands() {
        let (file, s) = run("if [ -f x ]; then rm -rf /var/lib/apt/lists/*; fi");
        assert!(!s.recovered);
        let rm = find(&s, "rm");
        assert_eq!(values(&rm.words), ["rm", "-rf", "/var/lib/apt/lists/*"]);
        assert_eq!(rm.range.slice(&file), "rm -rf /var/lib/apt/lists/*");
        assert_eq!(s.commands[0].words[0].value, "[");

        let text = "for p in $(ls /x); do (cd $p && make); done; while read l; do { echo $l; }; done < f; \
                    case $1 in a) one;; *) two;; esac; f() { inner; }; [[ -n $(pwd) ]] && diff <(a) <(b) 2>&1 | cat";
        let (_, s) = run(text);
        assert!(!s.recovered, "{:?}", s.notes);
        let names: Vec<&str> = s.commands.iter().map(|c| c.words.first().map_or("", |w| w.value.as_str())).collect();
        assert_eq!(names, ["ls", "cd", "make", "read", "echo", "one", "two", "inner", "pwd", "diff", "a", "b", "cat"]);
        let diff = find(&s, "diff");
        assert_eq!(values(&diff.words), ["diff", "<(a)", "<(b)"]);
        assert_eq!(find(&s, "a").depth, 1);
        assert_eq!(find(&s, "cat").pipeline, diff.pipeline);
    }

    #[test]
    fn syntax_error_note_points_at_the_token() {
        let (file, s) = run("apt-get update && && apt-get install x");
        assert!(s.recovered);
        assert_eq!(s.notes.len(), 1);
        assert_eq!(s.notes[0].range.slice(&file), "&");
        assert!(s.notes[0].message.contains("near `&&`"), "{}", s.notes[0].message);
        assert_eq!(s.commands.iter().filter(|c| c.is("apt-get")).count(), 2);
    }

    #[test]
    fn brush_quirks_are_worked_around() {
        // brush reads `( ( a ) )` as the arithmetic command `((a))`
        let (file, s) = run("( ( cd /x && make ) ) && ((i++))");
        let got: Vec<&str> = s.commands.iter().map(|c| c.range.slice(&file)).collect();
        assert_eq!(got, ["cd /x", "make"]);
        // CRLF line endings: the CR is not part of the last word
        let (_, s) = run("apt-get update\r\napt-get install -y x\r\n");
        assert_eq!(values(&s.commands[1].words), ["apt-get", "install", "-y", "x"]);
    }

    #[test]
    fn non_ascii_text_maps_bytes_not_chars() {
        let (file, s) = run("echo \"héllo wörld\" && sh -c 'printf ü' && echo ok");
        let got: Vec<&str> = s.commands.iter().map(|c| c.range.slice(&file)).collect();
        assert_eq!(got, ["echo \"héllo wörld\"", "sh -c 'printf ü'", "printf ü", "echo ok"]);
        assert_eq!(s.commands[0].words[1].value, "héllo wörld");
    }

    #[test]
    fn brush_trouble_is_caught() {
        let (_, s) = run("echo 99999999999>x");
        assert!(s.recovered);
        assert_eq!(s.commands.len(), 1);
        let deep = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        let (_, s) = run(&deep);
        assert!(s.recovered);
        assert_eq!(s.commands.len(), 1);
        let deep = format!("{}a{}", "if a; then ".repeat(300), "; fi".repeat(300));
        let (_, s) = run(&deep);
        assert!(s.recovered);
        assert_eq!(s.commands.len(), 301);
        let ok = format!("{}a{}", "if a; then while b; do ".repeat(10), "; done; fi".repeat(10));
        let (_, s) = run(&ok);
        assert!(!s.recovered);
        assert_eq!(s.commands.len(), 21);
    }

    fn cmd(words: &[&str]) -> Command {
        Command {
            assignments: vec![],
            words: words
                .iter()
                .map(|w| Word { value: (*w).to_owned(), range: TextRange::default(), has_expansion: false })
                .collect(),
            redirects: vec![],
            range: TextRange::default(),
            pipeline: 0,
            pipeline_index: 0,
            depth: 0,
        }
    }

    #[test]
    fn program_skips_wrappers() {
        assert_eq!(cmd(&["sudo", "-E", "apt-get", "install"]).program(), Some("apt-get"));
        assert_eq!(cmd(&["sudo", "-u", "app", "-i", "/usr/bin/pip", "x"]).program(), Some("pip"));
        assert_eq!(cmd(&["env", "X=1", "-u", "Y", "npm", "ci"]).program(), Some("npm"));
        assert_eq!(cmd(&["env", "-", "make"]).program(), Some("make"));
        assert_eq!(cmd(&["nice", "-n", "10", "nohup", "make"]).program(), Some("make"));
        assert_eq!(cmd(&["gosu", "app", "yarn"]).program(), Some("yarn"));
        assert_eq!(cmd(&["sudo", "--", "ls"]).program(), Some("ls"));
        assert_eq!(cmd(&["command", "-v", "curl"]).program(), Some("command"));
        assert_eq!(cmd(&["command", "curl", "x"]).program(), Some("curl"));
        assert_eq!(cmd(&["sudo"]).program(), None);
        assert_eq!(cmd(&["sudo", "-E", "apt-get", "install"]).args().len(), 1);
    }

    #[test]
    fn flags_and_operands() {
        let c = cmd(&[
            "apt-get",
            "-qy",
            "--no-install-recommends",
            "-o",
            "Dpkg::Options::=--force-confold",
            "install",
            "-t",
            "bookworm",
            "curl",
            "--",
            "-y",
        ]);
        assert!(c.has_flag(&["-y", "--yes"]));
        assert!(c.has_flag(&["-q"]));
        assert!(c.has_flag(&["--no-install-recommends"]));
        assert!(!c.has_flag(&["-f"]));
        assert!(cmd(&["apt-get", "install", "--yes"]).has_flag(&["-y", "--yes"]));
        assert!(cmd(&["apt-get", "install", "--yes=true"]).has_flag(&["--yes"]));
        assert!(!cmd(&["apt-get", "install", "-o=a-y"]).has_flag(&["-y"]));
        assert!(!cmd(&["rm", "--", "-y"]).has_flag(&["-y"]));
        assert_eq!(c.flag_value(&["-t", "--target-release"]), Some("bookworm"));
        assert_eq!(cmd(&["x", "--target-release=sid"]).flag_value(&["-t", "--target-release"]), Some("sid"));
        assert_eq!(cmd(&["x", "-tsid"]).flag_value(&["-t"]), Some("sid"));
        assert_eq!(cmd(&["x", "--", "-tsid"]).flag_value(&["-t"]), None);
        assert_eq!(cmd(&["x", "-t"]).flag_value(&["-t"]), None);
        let ops: Vec<&str> = c.operands(&["-o", "-t"]).map(|w| w.value.as_str()).collect();
        assert_eq!(ops, ["install", "curl", "-y"]);
        assert_eq!(c.subcommand(&["-o", "-t"]), Some("install"));
        assert_eq!(cmd(&["apt-get", "-q", "install", "curl"]).subcommand(&[]), Some("install"));
        assert_eq!(cmd(&["pip"]).subcommand(&[]), None);
        assert_eq!(basename("/usr/bin/apt-get"), "apt-get");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics_and_ranges_stay_in_the_map(text in "[a-z $'\"`\\\\;&|(){}<>=\n#\t0-9é-]{0,80}", gap in 0u32..5) {
            // text assembled from two pieces of a file, as across a line continuation
            let split = text.char_indices().map(|(i, _)| i).nth(text.chars().count() / 2).unwrap_or(0);
            let mut map = OffsetMap::default();
            map.push(10, split);
            map.push(10 + split as u32 + gap, text.len() - split);
            let lo = 10;
            let hi = 10 + text.len() as u32 + gap;
            let s = parse(&text, &map);
            let inside = |r: TextRange| r.start >= lo && r.end <= hi && r.start <= r.end;
            for c in &s.commands {
                proptest::prop_assert!(inside(c.range), "{:?} {:?}", c.range, text);
                for w in c.words.iter().chain(&c.assignments).chain(c.redirects.iter().map(|r| &r.target)) {
                    proptest::prop_assert!(inside(w.range), "{:?} {:?}", w.range, text);
                }
            }
            for n in &s.notes {
                proptest::prop_assert!(inside(n.range));
            }
            proptest::prop_assert_eq!(s.recovered, !s.notes.is_empty());
        }

        #[test]
        fn never_panics_on_any_string(text in "\\PC{0,60}") {
            let map = OffsetMap::contiguous(3, text.len());
            let _ = parse(&text, &map);
        }
    }
}

#[cfg(test)]
mod regression_tests {
    use super::*;

    /// brush-parser's tokenizer grew a buffer without bound on an unterminated here-document
    /// followed by a command substitution (found by the no-panic property test in CI).
    #[test]
    fn unterminated_heredoc_with_substitution_falls_back() {
        let text = ")ADD )COPY COPY NONE\u{e9}<<-'X'$( |;USER curl }COPY ADD #FROM AS =";
        let script = parse(text, &OffsetMap::contiguous(0, text.len()));
        assert!(script.recovered);
        assert!(script.notes.iter().any(|n| n.message.contains("is not terminated")), "{:?}", script.notes);
    }

    #[test]
    fn terminated_heredoc_with_substitution_still_parses() {
        let text = "cat <<EOF > /x\n$(date)\nEOF\necho done";
        let script = parse(text, &OffsetMap::contiguous(0, text.len()));
        assert!(!script.recovered, "{:?}", script.notes);
    }
}
