//! DF205: sshd configured to accept root logins.
//!
//! Also home of [`sshd_settings`], which finds `Keyword value` lines written into sshd's
//! configuration, and of the fix that removes what wrote them (shared with DF206).

use caulk_core::{Edit, Fix, TextRange};
use caulk_syntax::dockerfile::{Body, Keyword};
use caulk_syntax::shell::{Command, Word};

use crate::checker::Checker;
use crate::edits::{Cut, remove_command, remove_instruction};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks the stages that end up in the built image for `PermitRootLogin yes` written into
    /// the SSH daemon's configuration (`sshd_config` or a file in `sshd_config.d/`):
    /// `echo`/`printf` redirected (`>`, `>>`) or piped to `tee`, `sed -i` replacements and
    /// `a`/`i`/`c` texts, `cat <<EOF >> …` and `COPY <<EOF /etc/ssh/sshd_config` heredocs, and
    /// `sshd -o PermitRootLogin=yes` on a command line. Commented lines (`#PermitRootLogin yes`),
    /// `sed` patterns that only *match* the setting, and `prohibit-password` /
    /// `without-password` (key-only root login) are not reported.
    ///
    /// ## Fix
    /// An unsafe fix removes what writes the setting: the `echo`/`printf`/`sed`/`tee` command
    /// from its RUN's `&&` chain (the whole RUN when it is the only command), or the
    /// `COPY <<EOF` heredoc written to the configuration. Commands in `if`/`||`/subshells or
    /// `sh -c` strings, and `sshd -o` options, are left for a human.
    ///
    /// ## Why is this bad?
    /// Root login over SSH hands full control of the container to anyone who guesses or steals
    /// the credential; combined with password authentication it is open to brute force from
    /// the network. Containers should not run an SSH server at all (see DF204).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y openssh-server
    /// RUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// # no SSH server: use `docker exec` to get a shell
    /// USER 10001
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7 (do not run sshd within containers); CIS distribution
    ///   benchmarks: "Ensure SSH root login is disabled"
    /// - [sshd_config(5): PermitRootLogin](https://man.openbsd.org/sshd_config#PermitRootLogin)
    pub(crate) struct SshdPermitRootLogin {
        code: "DF205",
        name: "sshd-permit-root-login",
        summary: "sshd configured to accept root logins",
        severity: Critical,
        fix: Sometimes,
        aliases: [],
    }
}

impl DockerfileRule for SshdPermitRootLogin {
    fn check(&self, cx: &mut Checker<'_>) {
        let found: Vec<_> = sshd_settings(cx, "PermitRootLogin", &["yes"])
            .into_iter()
            .map(|s| (s.range, writer_removal(cx, &s, "PermitRootLogin yes")))
            .collect();
        for (range, fix) in found {
            let d = cx.report(range, "`PermitRootLogin yes` lets root log in to the container over SSH")
                .set_help("drop the SSH server (use `docker exec`); if SSH is unavoidable, set `PermitRootLogin no` and log in as an unprivileged user with a key");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

/// A `key value` line written into sshd's configuration.
#[derive(Debug, Clone)]
pub(crate) struct SshdSetting {
    /// The setting's text.
    pub range: TextRange,
    /// Instruction index of the RUN or COPY that writes it.
    pub index: usize,
    /// The command that writes it (for a pipe into `tee`, the `tee`); `None` for a COPY
    /// heredoc and for options on sshd's command line.
    command: Option<TextRange>,
    /// Written by `COPY <<EOF` into the configuration.
    copy: bool,
}

/// The unsafe fix that removes what writes setting `s` (`shown` names it in the title): the
/// writing command's pipeline from its RUN, the RUN when that is all it does, or the COPY.
pub(crate) fn writer_removal(cx: &Checker<'_>, s: &SshdSetting, shown: &str) -> Option<Fix> {
    let outer = cx.df.instructions.get(s.index)?;
    if s.copy {
        return Some(Fix::unsafe_edit(
            format!("remove the COPY that writes `{shown}` into sshd's configuration"),
            vec![remove_instruction(cx.text, outer)],
        ));
    }
    let range = s.command?;
    let commands = cx.commands(s.index);
    let cmd = commands.iter().find(|c| c.range == range)?;
    let inst = outer.onbuild_inner().unwrap_or(outer);
    let edit: Edit = match remove_command(cx.text, inst, commands, cmd)? {
        Cut::Edit(e) => e,
        Cut::Instruction => remove_instruction(cx.text, outer),
    };
    Some(Fix::unsafe_edit(format!("remove the command that writes `{shown}` into sshd's configuration"), vec![edit]))
}

/// Every place a shipped stage writes `key value` (value one of `values`, compared without
/// case) into sshd's configuration.
pub(crate) fn sshd_settings(cx: &Checker<'_>, key: &str, values: &[&str]) -> Vec<SshdSetting> {
    let mut out: Vec<SshdSetting> = Vec::new();
    let mut found = Vec::new();
    let push = |out: &mut Vec<SshdSetting>, found: &mut Vec<(TextRange, String)>, index, command, copy| {
        for (range, _) in found.drain(..) {
            out.push(SshdSetting { range, index, command, copy });
        }
    };
    for (i, inst) in cx.shipped_instructions() {
        if let Body::Copy { dest: Some(dest), .. } = &inst.body
            && matches!(inst.keyword, Keyword::Copy | Keyword::Add)
            && is_sshd_config(&dest.value)
        {
            for h in &inst.heredocs {
                for (s, e, v) in find_setting(&h.body, key, values) {
                    found.push((h.body_map.range_to_file(TextRange::at(s, e - s)), v));
                }
            }
            push(&mut out, &mut found, i, None, true);
            continue;
        }
        let commands = cx.commands(i);
        let mut heredoc_target = None;
        for (n, cmd) in commands.iter().enumerate() {
            let program = cmd.program().unwrap_or("");
            let redirected = cmd
                .redirects
                .iter()
                .any(|r| r.op.contains('>') && !r.target.has_expansion && is_sshd_config(&r.target.value));
            let tee = program == "tee" && cmd.operands(&[]).any(|w| !w.has_expansion && is_sshd_config(&w.value));
            match program {
                "echo" | "printf" if redirected => scan_words(cx, echo_text(cmd), key, values, &mut found),
                "tee" if tee => {
                    heredoc_target = Some(cmd.range);
                    // `echo … | tee -a /etc/ssh/sshd_config`
                    for earlier in commands.get(..n).unwrap_or(&[]) {
                        if earlier.pipeline == cmd.pipeline
                            && earlier.pipeline_index < cmd.pipeline_index
                            && earlier.program().is_some_and(|p| p == "echo" || p == "printf")
                        {
                            scan_words(cx, echo_text(earlier), key, values, &mut found);
                        }
                    }
                }
                "cat" if redirected => heredoc_target = Some(cmd.range),
                "sed" => scan_sed(cx, cmd, key, values, &mut found),
                "sshd" => {
                    scan_sshd_options(cx, cmd, key, values, &mut found);
                    push(&mut out, &mut found, i, None, false);
                }
                _ => {}
            }
            push(&mut out, &mut found, i, Some(cmd.range), false);
        }
        if let Some(writer) = heredoc_target {
            for h in &inst.heredocs {
                for (s, e, v) in find_setting(&h.body, key, values) {
                    found.push((h.body_map.range_to_file(TextRange::at(s, e - s)), v));
                }
            }
            push(&mut out, &mut found, i, Some(writer), false);
        }
    }
    out.sort_by_key(|s| (s.range.start, s.range.end));
    out.dedup_by_key(|s| s.range);
    out
}

/// `/etc/ssh/sshd_config`, `/etc/ssh/sshd_config.d/10-x.conf`.
fn is_sshd_config(path: &str) -> bool {
    path.ends_with("sshd_config") || path.contains("sshd_config.d/")
}

/// The words `echo`/`printf` print (echo's leading options skipped).
fn echo_text(cmd: &Command) -> &[Word] {
    let args = cmd.args();
    let skip = if cmd.is("echo") {
        args.iter()
            .take_while(|w| {
                w.value.len() > 1
                    && w.value.starts_with('-')
                    && w.value.chars().skip(1).all(|c| matches!(c, 'e' | 'n' | 'E'))
            })
            .count()
    } else {
        0
    };
    args.get(skip..).unwrap_or(&[])
}

/// Scans words joined by spaces, as `echo` prints them.
fn scan_words(cx: &Checker<'_>, words: &[Word], key: &str, values: &[&str], out: &mut Vec<(TextRange, String)>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(words.len());
    for (n, w) in words.iter().enumerate() {
        if n > 0 {
            text.push(' ');
        }
        starts.push(text.len());
        text.push_str(&w.value);
    }
    for (s, e, v) in find_setting(&text, key, values) {
        let first = starts.iter().rposition(|&st| st <= s).unwrap_or(0);
        let last = starts.iter().rposition(|&st| st < e).unwrap_or(first);
        let (Some(fw), Some(lw)) = (words.get(first), words.get(last)) else { continue };
        let range = if first == last {
            let base = starts.get(first).copied().unwrap_or(0);
            word_sub_range(cx, fw, s - base, e - base)
        } else {
            fw.range.cover(lw.range)
        };
        out.push((range, v));
    }
}

/// `sed -i 's/…/PermitRootLogin yes/' /etc/ssh/sshd_config` and `a`/`i`/`c` texts.
fn scan_sed(cx: &Checker<'_>, cmd: &Command, key: &str, values: &[&str], out: &mut Vec<(TextRange, String)>) {
    let args = cmd.args();
    // (word index, offset of the script in the word's value)
    let mut scripts: Vec<(usize, usize)> = Vec::new();
    let mut files = Vec::new();
    let mut j = 0;
    while let Some(w) = args.get(j) {
        let v = w.value.as_str();
        j += 1;
        if let Some(long) = v.strip_prefix("--") {
            if let Some(rest) = long.strip_prefix("expression=") {
                scripts.push((j - 1, v.len() - rest.len()));
            } else if long == "expression" {
                scripts.push((j, 0));
                j += 1;
            } else if long == "file" {
                j += 1;
            }
            continue;
        }
        if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) {
            for (k, ch) in cluster.char_indices() {
                match ch {
                    // `-i[SUFFIX]`: the rest of the cluster is the suffix
                    'i' => break,
                    'e' | 'f' | 'l' => {
                        let rest = cluster.len() - k - 1;
                        if rest > 0 {
                            if ch == 'e' {
                                scripts.push((j - 1, v.len() - rest));
                            }
                        } else {
                            if ch == 'e' {
                                scripts.push((j, 0));
                            }
                            j += 1;
                        }
                        break;
                    }
                    _ => {}
                }
            }
            continue;
        }
        files.push(j - 1);
    }
    if scripts.is_empty() && !files.is_empty() {
        scripts.push((files.remove(0), 0));
    }
    if !files.iter().any(|&f| args.get(f).is_some_and(|w| !w.has_expansion && is_sshd_config(&w.value))) {
        return;
    }
    for (wi, offset) in scripts {
        let Some(w) = args.get(wi) else { continue };
        let Some(script) = w.value.get(offset..) else { continue };
        for (ss, se) in sed_outputs(script) {
            let Some(segment) = script.get(ss..se) else { continue };
            for (s, e, v) in find_setting(segment, key, values) {
                out.push((word_sub_range(cx, w, offset + ss + s, offset + ss + e), v));
            }
        }
    }
}

/// `sshd -D -o PermitRootLogin=yes` / `-oPermitRootLogin=yes` / `-o "PermitRootLogin yes"`.
fn scan_sshd_options(cx: &Checker<'_>, cmd: &Command, key: &str, values: &[&str], out: &mut Vec<(TextRange, String)>) {
    let args = cmd.args();
    for (j, w) in args.iter().enumerate() {
        let (word, offset) = if w.value == "-o" {
            match args.get(j + 1) {
                Some(next) => (next, 0),
                None => continue,
            }
        } else if w.value.starts_with("-o") {
            (w, 2)
        } else {
            continue;
        };
        let Some(text) = word.value.get(offset..) else { continue };
        for (s, e, v) in find_setting(text, key, values) {
            out.push((word_sub_range(cx, word, offset + s, offset + e), v));
        }
    }
}

/// The file range of `start..end` of a word's value: exact when the word is written plainly
/// or in one pair of quotes, else the whole word.
fn word_sub_range(cx: &Checker<'_>, w: &Word, start: usize, end: usize) -> TextRange {
    let raw = cx.slice(w.range);
    let offset = if raw == w.value {
        Some(0)
    } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(w.value.as_str()) {
        Some(1)
    } else {
        None
    };
    match offset {
        Some(o) => TextRange::at(w.range.start as usize + o + start, end.saturating_sub(start)),
        None => w.range,
    }
}

/// Byte ranges of the text a sed script writes: `s` replacements and `a`/`i`/`c` texts.
fn sed_outputs(script: &str) -> Vec<(usize, usize)> {
    let b = script.as_bytes();
    let len = b.len();
    let at = |i: usize| b.get(i).copied();
    let skip_blank = |mut i: usize| {
        while matches!(at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let to_end_of_command = |mut i: usize| {
        while !matches!(at(i), None | Some(b';' | b'\n' | b'}')) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < len {
        while matches!(at(i), Some(b' ' | b'\t' | b'\n' | b';' | b'{' | b'}')) {
            i += 1;
        }
        if i >= len {
            break;
        }
        i = skip_address(b, i);
        i = skip_blank(i);
        if at(i) == Some(b',') {
            i = skip_address(b, skip_blank(i + 1));
            i = skip_blank(i);
        }
        if at(i) == Some(b'!') {
            i = skip_blank(i + 1);
        }
        let Some(c) = at(i) else { break };
        i += 1;
        match c {
            b's' | b'y' => {
                let Some(d) = at(i).filter(|d| !matches!(d, b'\n' | b'\\')) else { break };
                let pattern_end = find_delim(b, i + 1, d);
                let rep_start = pattern_end + 1;
                let rep_end = find_delim(b, rep_start, d);
                if c == b's' && rep_start <= rep_end && rep_end <= len {
                    out.push((rep_start, rep_end));
                }
                i = to_end_of_command(rep_end.saturating_add(1));
            }
            b'a' | b'i' | b'c' => {
                i = skip_blank(i);
                if at(i) == Some(b'\\') {
                    i += 1;
                    if at(i) == Some(b'\n') {
                        i += 1;
                    }
                }
                let start = i;
                while let Some(ch) = at(i) {
                    if ch == b'\\' {
                        i += 2;
                        continue;
                    }
                    if ch == b'\n' {
                        break;
                    }
                    i += 1;
                }
                out.push((start, i.min(len)));
            }
            b'#' => {
                while !matches!(at(i), None | Some(b'\n')) {
                    i += 1;
                }
            }
            _ => i = to_end_of_command(i),
        }
    }
    out
}

/// Skips a sed address: a line number (`3`, `1~2`), `$`, `/regex/I` or `\cregexc`.
fn skip_address(b: &[u8], mut i: usize) -> usize {
    match b.get(i) {
        Some(c) if c.is_ascii_digit() => {
            while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'~') {
                i += 1;
            }
            i
        }
        Some(b'$') => i + 1,
        Some(b'/') => {
            i = find_delim(b, i + 1, b'/') + 1;
            while matches!(b.get(i), Some(b'I' | b'M')) {
                i += 1;
            }
            i
        }
        Some(b'\\') => match b.get(i + 1) {
            Some(&d) => find_delim(b, i + 2, d) + 1,
            None => i + 1,
        },
        _ => i,
    }
}

/// The index of the next unescaped `d` from `from` (or the end).
fn find_delim(b: &[u8], mut from: usize, d: u8) -> usize {
    while let Some(&c) = b.get(from) {
        if c == b'\\' {
            from += 2;
            continue;
        }
        if c == d {
            return from;
        }
        from += 1;
    }
    b.len()
}

/// `key value` settings in config text: the key starts a line (after blanks; a newline or a
/// literal `\n` of echo/printf/sed ends the previous one), is followed by blanks or `=`, and
/// the value is one of `values`. Returns (start, end, lowercased value) byte offsets.
fn find_setting(text: &str, key: &str, values: &[&str]) -> Vec<(usize, usize, String)> {
    let lower = text.to_ascii_lowercase();
    let key_lower = key.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|t| t.find(&key_lower)).map(|p| p + from) {
        from = p + key_lower.len();
        let before = lower.get(..p).unwrap_or("");
        let line_start = [before.rfind('\n').map(|n| n + 1), before.rfind("\\n").map(|n| n + 2)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0);
        if !before.get(line_start..).unwrap_or("").trim().is_empty() {
            continue;
        }
        let rest = lower.get(from..).unwrap_or("");
        let mut sep = 0;
        loop {
            let r = rest.get(sep..).unwrap_or("");
            if r.starts_with([' ', '\t', '=']) {
                sep += 1;
            } else if r.starts_with("\\t") {
                sep += 2;
            } else {
                break;
            }
        }
        if sep == 0 {
            continue;
        }
        let value_start = from + sep;
        let value: String = lower
            .get(value_start..)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if values.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
            out.push((p, value_start + value.len(), value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::SshdPermitRootLogin;

    #[test]
    fn fires_on_echo_append() {
        let text = "FROM ubuntu:18.04\nRUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config\n";
        let d = assert_fires(&SshdPermitRootLogin, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "PermitRootLogin yes");
        assert!(d[0].message.contains("`PermitRootLogin yes`"));
    }

    #[test]
    fn fires_on_sed_tee_printf_and_heredocs() {
        let text =
            "FROM debian:12\nRUN sed -ri 's/^#?PermitRootLogin\\s+.*/PermitRootLogin yes/' /etc/ssh/sshd_config\n";
        let d = assert_fires(&SshdPermitRootLogin, text);
        assert_eq!(d[0].range.slice(text), "PermitRootLogin yes");
        assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN sed -i -e '/PermitRootLogin/c PermitRootLogin yes' /etc/ssh/sshd_config\n",
        );
        assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN echo 'PermitRootLogin yes' | tee -a /etc/ssh/sshd_config\n",
        );
        assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN printf 'Port 22\\nPermitRootLogin yes\\n' > /etc/ssh/sshd_config.d/root.conf\n",
        );
        assert_fires(&SshdPermitRootLogin, "FROM debian:12\nRUN echo PermitRootLogin yes >> /etc/ssh/sshd_config\n");
        let text = "FROM debian:12\nCOPY <<EOF /etc/ssh/sshd_config\nPort 22\npermitrootlogin YES\nEOF\n";
        let d = assert_fires(&SshdPermitRootLogin, text);
        assert_eq!(d[0].range.slice(text), "permitrootlogin YES");
        assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN cat <<EOF >> /etc/ssh/sshd_config\nPermitRootLogin yes\nEOF\n",
        );
        assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN sh -c 'echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config'\n",
        );
        assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nCMD [\"/usr/sbin/sshd\", \"-D\", \"-o\", \"PermitRootLogin=yes\"]\n",
        );
    }

    #[test]
    fn passes_on_safe_values_comments_and_patterns() {
        assert_passes(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN echo \"PermitRootLogin prohibit-password\" >> /etc/ssh/sshd_config\n",
        );
        assert_passes(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN echo \"#PermitRootLogin yes\" >> /etc/ssh/sshd_config\n",
        );
        assert_passes(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN sed -i 's/PermitRootLogin yes/PermitRootLogin no/' /etc/ssh/sshd_config\n",
        );
        assert_passes(&SshdPermitRootLogin, "FROM debian:12\nRUN echo \"PermitRootLogin yes\" >> /tmp/notes.txt\n");
        assert_passes(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN echo \"PermitRootLogin yesterday\" >> /etc/ssh/sshd_config\n",
        );
    }

    #[test]
    fn passes_in_build_stages() {
        assert_passes(
            &SshdPermitRootLogin,
            "FROM debian:12 AS test\nRUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config\nFROM debian:12\nCMD [\"app\"]\n",
        );
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_removes_the_writing_command() {
        let text = "FROM ubuntu:18.04\n\nRUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config\n\nCMD [\"app\"]\n";
        let d = assert_fires(&SshdPermitRootLogin, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM ubuntu:18.04\n\nCMD [\"app\"]\n"));
        let text = "FROM debian:12\nRUN mkdir /run/sshd && sed -i 's/#PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config && echo ok\n";
        let d = assert_fires(&SshdPermitRootLogin, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM debian:12\nRUN mkdir /run/sshd && echo ok\n"));
    }

    #[test]
    fn no_fix_inside_conditions_or_sh_c() {
        let d = assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN test -f x || echo 'PermitRootLogin yes' >> /etc/ssh/sshd_config\n",
        );
        assert!(d[0].fix.is_none());
        let d = assert_fires(
            &SshdPermitRootLogin,
            "FROM debian:12\nRUN sh -c 'echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config'\n",
        );
        assert!(d[0].fix.is_none());
    }
}
