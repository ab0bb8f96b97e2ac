//! Edits the removal and insertion fixes share: drop a package from an install list, a command
//! from a RUN's `&&` chain or a whole instruction, and insert lines before an instruction, all
//! without leaving dangling separators or continuation lines behind.

use caulk_core::{Edit, TextRange};
use caulk_syntax::dockerfile::{Body, CommandLine, Dockerfile, Instruction};
use caulk_syntax::shell::{Command, Word};

/// Offset of the start of the line containing `offset`.
fn line_start(text: &str, offset: u32) -> u32 {
    let before = text.get(..offset as usize).unwrap_or("");
    before.rfind('\n').map_or(0, |n| u32::try_from(n + 1).unwrap_or(offset))
}

/// Where to insert lines that must run before instruction `index`: the start of its line, or
/// of the comment lines right above it (they describe it). The end of the text when `index` is
/// past the last instruction.
pub(crate) fn before_instruction(text: &str, df: &Dockerfile, index: usize) -> u32 {
    let Some(inst) = df.instructions.get(index) else {
        return u32::try_from(text.len()).unwrap_or(u32::MAX);
    };
    let mut at = line_start(text, inst.range.start);
    while at > 0 {
        let prev = line_start(text, at - 1);
        let line = text.get(prev as usize..at as usize).unwrap_or("").trim();
        if !line.starts_with('#') || line.starts_with("# syntax") || line.starts_with("# escape") {
            break;
        }
        at = prev;
    }
    at
}

/// Where to insert lines that must run right after instruction `index`: the start of the line
/// after it (the end of the text when it is the last line).
pub(crate) fn after_instruction(text: &str, df: &Dockerfile, index: usize) -> u32 {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let Some(inst) = df.instructions.get(index) else { return len };
    let rest = text.get(inst.range.end as usize..).unwrap_or("");
    rest.find('\n').map_or(len, |n| inst.range.end + u32::try_from(n + 1).unwrap_or(0))
}

/// Text to insert as whole lines at `at`: a newline first when `at` is the end of a text that
/// does not end with one.
pub(crate) fn lines_at(text: &str, at: u32, lines: &str) -> Edit {
    let needs_newline = at as usize >= text.len() && !text.is_empty() && !text.ends_with('\n');
    let content = if needs_newline { format!("\n{lines}") } else { lines.to_owned() };
    Edit::insert(at, content)
}

/// Deletes instruction `inst` with its line (and one of the blank lines around it, so removing
/// a paragraph's only instruction does not leave two blank lines).
pub(crate) fn remove_instruction(text: &str, inst: &Instruction) -> Edit {
    let ls = line_start(text, inst.range.start);
    let start = if text.get(ls as usize..inst.range.start as usize).is_some_and(|s| s.trim().is_empty()) {
        ls
    } else {
        inst.range.start
    };
    let rest = text.get(inst.range.end as usize..).unwrap_or("");
    let mut end = inst.range.end as usize;
    let eol = rest.find('\n').filter(|&n| rest.get(..n).is_some_and(|s| s.trim().is_empty()));
    if let Some(n) = eol {
        end += n + 1;
        let blank_before = start == 0 || text.get(..start as usize).is_some_and(|b| b.ends_with("\n\n"));
        let after = text.get(end..).unwrap_or("");
        if blank_before && (after.starts_with('\n') || after.starts_with("\r\n")) {
            end += if after.starts_with('\n') { 1 } else { 2 };
        }
    }
    Edit::delete(TextRange::new(start, u32::try_from(end).unwrap_or(inst.range.end)))
}

/// Whitespace and line continuations between shell tokens.
fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\\')
}

/// Moves left from `pos` over blanks and continuations, not past `floor`.
fn skip_back(text: &str, mut pos: usize, floor: usize) -> usize {
    while pos > floor {
        match text.get(..pos).and_then(|b| b.chars().next_back()) {
            Some(c) if is_gap(c) => pos -= c.len_utf8(),
            _ => break,
        }
    }
    pos
}

/// Moves right from `pos` over blanks and continuations, not past `ceil`.
fn skip_fwd(text: &str, mut pos: usize, ceil: usize) -> usize {
    while pos < ceil {
        match text.get(pos..).and_then(|a| a.chars().next()) {
            Some(c) if is_gap(c) => pos += c.len_utf8(),
            _ => break,
        }
    }
    pos
}

/// The length of a `&&` or `;` separator at the start of `s` (not `&&&`, `;;`).
fn separator_len(s: &str) -> Option<usize> {
    if s.starts_with("&&") && !s.starts_with("&&&") {
        Some(2)
    } else if s.starts_with(';') && !s.starts_with(";;") {
        Some(1)
    } else {
        None
    }
}

/// What removing a command from a RUN takes.
#[derive(Debug)]
pub(crate) enum Cut {
    /// Delete this range (the command and one separator next to it).
    Edit(Edit),
    /// The command is the RUN's only one: remove the instruction.
    Instruction,
}

/// Removes the pipeline of `cmd` (a top-level command of the shell-form RUN `inst`, whose
/// commands are `commands`) from its `&&`/`;` list. `None` when the command sits anywhere else
/// (`||`, `if`, a subshell, a heredoc script, a nested `sh -c`), where cutting it out could
/// change what the rest does.
pub(crate) fn remove_command(text: &str, inst: &Instruction, commands: &[Command], cmd: &Command) -> Option<Cut> {
    let Body::Command(CommandLine::Shell { range: body, .. }) = &inst.body else { return None };
    if cmd.depth != 0 {
        return None;
    }
    let unit = commands
        .iter()
        .filter(|c| c.depth == 0 && c.pipeline == cmd.pipeline)
        .map(|c| c.range)
        .reduce(TextRange::cover)?;
    let (floor, ceil) = (body.start as usize, (body.end as usize).min(text.len()));
    let (start, end) = (unit.start as usize, unit.end as usize);
    if start < floor || end > ceil {
        return None;
    }
    let before = skip_back(text, start, floor);
    let prev_sep = if before == floor {
        None
    } else {
        let b = text.get(..before)?;
        let len = if b.ends_with("&&") && !b.ends_with("&&&") && !b.ends_with("|&&") {
            2
        } else if b.ends_with(';') && !b.ends_with(";;") {
            1
        } else {
            return None;
        };
        Some(before - len)
    };
    let after = skip_fwd(text, end, ceil);
    let next_sep = if after >= ceil { None } else { Some(separator_len(text.get(after..)?)?) };
    if !inst.heredocs.is_empty() {
        // the heredoc bodies belong to the commands: only the whole RUN can go
        return (prev_sep.is_none() && next_sep.is_none()).then_some(Cut::Instruction);
    }
    let range = match (prev_sep, next_sep) {
        // `a SEP cmd SEP2 b` → `a SEP b`; `cmd SEP b` → `b`
        (_, Some(len)) => TextRange::new(unit.start, u32::try_from(skip_fwd(text, after + len, ceil)).ok()?),
        // `a SEP cmd` → `a`
        (Some(sep), None) => TextRange::new(u32::try_from(skip_back(text, sep, floor)).ok()?, unit.end),
        (None, None) => return Some(Cut::Instruction),
    };
    Some(Cut::Edit(Edit::delete(range)))
}

/// Removes the package operand `word` from its command with the blank (or continuation) in
/// front of it: `install -y \` / `curl \` / `git` loses the `curl` line. `None` for words in
/// an exec-form RUN or without a blank before them.
pub(crate) fn remove_word(text: &str, inst: &Instruction, word: &Word) -> Option<Edit> {
    if matches!(&inst.body, Body::Command(CommandLine::Exec { .. })) {
        return None;
    }
    let start = word.range.start as usize;
    let before = skip_back(text, start, 0);
    if before == start {
        return None;
    }
    Some(Edit::delete(TextRange::new(u32::try_from(before).ok()?, word.range.end)))
}

/// Appends `suffix` to the package word `word` (`curl` → `curl=7.88.1-10`), inside its quotes
/// when it is quoted. `None` when the word's text is not the word itself (escapes, mixed quotes).
pub(crate) fn append_to_word(text: &str, word: &Word, suffix: &str) -> Option<Edit> {
    let raw = word.range.slice(text);
    if raw == word.value {
        return Some(Edit::insert(word.range.end, suffix));
    }
    let quoted = raw.len() >= 2
        && ((raw.starts_with('\'') && raw.ends_with('\'')) || (raw.starts_with('"') && raw.ends_with('"')))
        && raw.get(1..raw.len() - 1) == Some(word.value.as_str());
    quoted.then(|| Edit::insert(word.range.end - 1, suffix))
}

#[cfg(test)]
mod tests {
    use caulk_core::diagnostic::apply_edits;
    use caulk_syntax::dockerfile::{self, Model};

    use super::*;

    fn cut(text: &str, program: &str) -> Option<String> {
        let parsed = dockerfile::parse(text);
        let model = Model::new(&parsed.ast, None);
        let inst = parsed.ast.instructions.get(1)?;
        let commands = model.commands(1);
        let cmd = commands.iter().find(|c| c.program() == Some(program))?;
        match remove_command(text, inst, commands, cmd)? {
            Cut::Edit(e) => apply_edits(text, &[e]),
            Cut::Instruction => apply_edits(text, &[remove_instruction(text, inst)]),
        }
    }

    #[test]
    fn commands_leave_with_one_separator() {
        let t = "FROM x\nRUN a && echo hi >> /f && b\n";
        assert_eq!(cut(t, "echo").as_deref(), Some("FROM x\nRUN a && b\n"));
        let t = "FROM x\nRUN echo hi >> /f && \\\n    b\n";
        assert_eq!(cut(t, "echo").as_deref(), Some("FROM x\nRUN b\n"));
        let t = "FROM x\nRUN a; \\\n  echo hi | tee -a /f\nCMD y\n";
        assert_eq!(cut(t, "tee").as_deref(), Some("FROM x\nRUN a\nCMD y\n"));
        let t = "FROM x\nRUN a; echo hi >> /f && b\n";
        assert_eq!(cut(t, "echo").as_deref(), Some("FROM x\nRUN a; b\n"));
        let t = "FROM x\n\nRUN echo hi >> /f\n\nCMD y\n";
        assert_eq!(cut(t, "echo").as_deref(), Some("FROM x\n\nCMD y\n"));
    }

    #[test]
    fn commands_in_other_places_stay() {
        assert_eq!(cut("FROM x\nRUN a || echo hi >> /f\n", "echo"), None);
        assert_eq!(cut("FROM x\nRUN if a; then echo hi >> /f; fi\n", "echo"), None);
        assert_eq!(cut("FROM x\nRUN (echo hi >> /f)\n", "echo"), None);
        assert_eq!(cut("FROM x\nRUN sh -c 'echo hi >> /f'\n", "echo"), None);
    }

    #[test]
    fn words_leave_with_their_line() {
        let text = "FROM x\nRUN apt-get install -y \\\n    a \\\n    curl \\\n    b\n";
        let parsed = dockerfile::parse(text);
        let model = Model::new(&parsed.ast, None);
        let inst = &parsed.ast.instructions[1];
        let word = model.commands(1)[0].words.iter().find(|w| w.value == "curl").expect("curl");
        let e = remove_word(text, inst, word).expect("edit");
        assert_eq!(apply_edits(text, &[e]).as_deref(), Some("FROM x\nRUN apt-get install -y \\\n    a \\\n    b\n"));
        let word = model.commands(1)[0].words.iter().find(|w| w.value == "b").expect("b");
        let e = remove_word(text, inst, word).expect("edit");
        assert_eq!(apply_edits(text, &[e]).as_deref(), Some("FROM x\nRUN apt-get install -y \\\n    a \\\n    curl\n"));
    }

    #[test]
    fn suffixes_go_inside_quotes() {
        let text = "FROM x\nRUN pip install 'flask' gunicorn\n";
        let parsed = dockerfile::parse(text);
        let model = Model::new(&parsed.ast, None);
        let words = &model.commands(1)[0].words;
        let edits: Vec<_> = words.iter().skip(2).filter_map(|w| append_to_word(text, w, "==1")).collect();
        assert_eq!(apply_edits(text, &edits).as_deref(), Some("FROM x\nRUN pip install 'flask==1' gunicorn==1\n"));
    }
}
