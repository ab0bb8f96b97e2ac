//! DF501: downloaded script piped straight into a shell.

use caulk_syntax::shell::{Command, Word};

use crate::checker::Checker;
use crate::packages::is_python;
use crate::rule::DockerfileRule;

/// Shells that run a script read from stdin.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];

/// curl's short options that take a value.
const CURL_SHORT_VALUE: &str = "dHXuAebcCEFmorTwxyYzKDUQPt";
/// wget's (and fetch's) short options that take a value.
const WGET_SHORT_VALUE: &str = "OoaitTwePUBQlARDIX";

const HELP: &str = "download the script to a file, check it against a published checksum or signature \
(`echo \"<sha256>  install.sh\" | sha256sum -c -`), then run it; better, install a pinned package or `COPY` a reviewed copy";

declare_rule! {
    /// ## What it does
    /// Checks for scripts downloaded and run in one step, without being saved and verified:
    /// - a pipeline where `curl`, `wget -O-` or `fetch -o-` feeds a shell or an interpreter
    ///   (`sh`, `bash`, `sudo -E bash -`, `python3`, `perl`, `ruby`, `node`, `php`), also
    ///   through filters (`curl … | tee log | sh`);
    /// - `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget -qO- …)"`, `source <(curl …)`.
    ///
    /// An interpreter that runs its own code and only reads the download as data is not
    /// reported: `curl … | python3 -c 'import json,sys; …'`, `curl … | sh -c 'cat > f'`,
    /// `curl … | bash script.sh`. A `curl -o file` or a `wget` without `-O-` does not write the
    /// download to the pipe, and is not reported either.
    ///
    /// ## Why is this bad?
    /// Whatever the server returns runs with the build's privileges (usually root): a
    /// compromised download site, a hijacked domain, a truncated transfer (a partial line such
    /// as `rm -rf /usr/local/x` cut to `rm -rf /usr`) or an upstream change all land in the image
    /// unnoticed. The script is not kept, so nobody can review what ran.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSLo /tmp/setup.sh https://deb.nodesource.com/setup_22.x \
    ///  && echo "<sha256 of the reviewed script>  /tmp/setup.sh" | sha256sum -c - \
    ///  && bash /tmp/setup.sh && rm /tmp/setup.sh
    /// ```
    ///
    /// ## References
    /// - [CWE-494: Download of Code Without Integrity Check](https://cwe.mitre.org/data/definitions/494.html)
    /// - [Docker best practices: RUN, using pipes](https://docs.docker.com/build/building/best-practices/#using-pipes)
    pub(crate) struct PipeToShell {
        code: "DF501",
        name: "pipe-to-shell",
        summary: "downloaded script piped straight into a shell",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for PipeToShell {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, _) in cx.instructions() {
            let commands = cx.commands(i);
            for runner in commands {
                let Some(program) = runner.program() else { continue };
                let Some(kind) = interpreter(runner) else { continue };
                // `downloader | … | runner`
                if runner.pipeline_index > 0 && reads_script_from_stdin(runner, kind) {
                    let source = commands.iter().find(|d| {
                        d.pipeline == runner.pipeline
                            && d.pipeline_index < runner.pipeline_index
                            && downloader(d).is_some()
                    });
                    if let Some(d) = source {
                        let tool = downloader(d).unwrap_or("curl");
                        cx.report(d.range.cover(runner.range), format!("`{tool}` output is piped into `{program}`: the downloaded script runs without verification"))
                            .set_help(HELP);
                        continue;
                    }
                }
                // `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(curl …)"`
                let Some(script) = script_word(runner, kind) else { continue };
                let inner = commands.iter().find(|d| {
                    d.depth > runner.depth && script.range.contains_range(d.range) && downloader(d).is_some()
                });
                if let Some(d) = inner {
                    let tool = downloader(d).unwrap_or("curl");
                    cx.report(
                        runner.range,
                        format!("`{program}` runs a script downloaded by `{tool}` without verification"),
                    )
                    .set_help(HELP);
                }
            }
        }
    }
}

/// What kind of program runs code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interpreter {
    Shell,
    /// python, perl, ruby, node, php: the inline-code flags differ.
    Language(&'static [&'static str]),
    /// `eval`, `source`, `.`: run their arguments.
    Builtin,
}

fn interpreter(cmd: &Command) -> Option<Interpreter> {
    let p = cmd.program()?;
    Some(match p {
        p if SHELLS.contains(&p) => Interpreter::Shell,
        p if is_python(p) || p == "pypy" || p == "pypy3" => Interpreter::Language(&["-c", "-m"]),
        "perl" => Interpreter::Language(&["-e", "-E"]),
        "ruby" => Interpreter::Language(&["-e"]),
        "node" | "nodejs" => Interpreter::Language(&["-e", "-p", "--eval", "--print"]),
        "php" => Interpreter::Language(&["-r", "-f", "-R", "-F", "-B", "-E"]),
        "eval" | "source" | "." => Interpreter::Builtin,
        _ => return None,
    })
}

/// Whether a short option cluster (`-ec`, `-lne`) or long option is one of `flags`.
fn is_flag(word: &str, flags: &[&str]) -> bool {
    if word.starts_with("--") {
        return flags.contains(&word.split('=').next().unwrap_or(word));
    }
    let Some(cluster) =
        word.strip_prefix('-').filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
    else {
        return false;
    };
    flags.iter().filter_map(|f| f.strip_prefix('-').filter(|f| f.len() == 1)).any(|f| cluster.contains(f))
}

/// The index (in `args`) of the first operand, skipping options and the values of `-o`/`-O`
/// (shells) or `-W`/`-X` (python); `None` when there is none.
fn first_operand(args: &[Word], kind: Interpreter) -> Option<usize> {
    let mut skip = false;
    for (n, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        if std::mem::take(&mut skip) {
            continue;
        }
        if v == "--" {
            return args.get(n + 1).map(|_| n + 1);
        }
        if v == "-" || !(v.starts_with('-') || (kind == Interpreter::Shell && v.starts_with('+'))) {
            return Some(n);
        }
        skip = match kind {
            Interpreter::Shell => !v.starts_with("--") && v.len() > 1 && (v.ends_with('o') || v.ends_with('O')),
            Interpreter::Language(_) => matches!(v, "-W" | "-X" | "-r" | "--require" | "-I" | "-d"),
            Interpreter::Builtin => false,
        };
    }
    None
}

/// Whether the runner executes what arrives on stdin (rather than inline code or a file).
fn reads_script_from_stdin(cmd: &Command, kind: Interpreter) -> bool {
    let args = cmd.args();
    let options = args.iter().take_while(|w| w.value != "--");
    match kind {
        Interpreter::Builtin => false,
        Interpreter::Shell => {
            if options.clone().any(|w| is_flag(&w.value, &["-c"])) {
                return false;
            }
            if options.clone().any(|w| is_flag(&w.value, &["-s"])) {
                return true;
            }
            first_operand(args, kind)
                .and_then(|n| args.get(n))
                .is_none_or(|w| matches!(w.value.as_str(), "-" | "/dev/stdin"))
        }
        Interpreter::Language(inline) => {
            if options.clone().any(|w| is_flag(&w.value, inline)) {
                return false;
            }
            // `php -- --install-dir=…` runs stdin with arguments
            if cmd.program() == Some("php") && args.iter().any(|w| w.value == "--") {
                return true;
            }
            first_operand(args, kind)
                .and_then(|n| args.get(n))
                .is_none_or(|w| matches!(w.value.as_str(), "-" | "/dev/stdin"))
        }
    }
}

/// The word holding the code the runner executes, when it is a substitution or a process
/// substitution (`"$(curl …)"`, `<(curl …)`).
fn script_word(cmd: &Command, kind: Interpreter) -> Option<&Word> {
    let args = cmd.args();
    let substituted = |w: &&Word| w.value.starts_with("$(") || w.value.starts_with('`') || w.value.starts_with("<(");
    match kind {
        Interpreter::Builtin => {
            if cmd.program() == Some("eval") {
                args.iter().find(substituted)
            } else {
                args.first().filter(substituted)
            }
        }
        Interpreter::Shell | Interpreter::Language(_) => {
            let inline: &[&str] = match kind {
                Interpreter::Language(flags) => flags,
                _ => &["-c"],
            };
            // the word after the inline-code flag, else the script file operand
            let after_flag =
                args.windows(2).find(|p| p.first().is_some_and(|f| is_flag(&f.value, inline))).and_then(|p| p.get(1));
            let word = match after_flag {
                Some(w) => Some(w),
                None => first_operand(args, kind).and_then(|n| args.get(n)),
            };
            word.filter(substituted)
        }
    }
}

/// The downloader's name when `cmd` writes a download to stdout.
fn downloader(cmd: &Command) -> Option<&'static str> {
    let args = cmd.args();
    match cmd.program()? {
        "curl" => curl_to_stdout(args).then_some("curl"),
        "wget" => (output_value(args, WGET_SHORT_VALUE, 'O', "--output-document") == Some("-")).then_some("wget"),
        "fetch" => (output_value(args, WGET_SHORT_VALUE, 'o', "--output") == Some("-")).then_some("fetch"),
        _ => None,
    }
}

/// curl writes to stdout unless `-o FILE`, `-O` or `--remote-name[-all]` says otherwise.
fn curl_to_stdout(args: &[Word]) -> bool {
    if args.iter().any(|w| matches!(w.value.as_str(), "--remote-name" | "--remote-name-all")) {
        return false;
    }
    let remote_name = args.iter().any(|w| {
        w.value
            .strip_prefix('-')
            .filter(|c| !c.starts_with('-'))
            .is_some_and(|c| c.chars().take_while(|ch| !CURL_SHORT_VALUE.contains(*ch)).any(|ch| ch == 'O'))
    });
    !remote_name && output_value(args, CURL_SHORT_VALUE, 'o', "--output").is_none_or(|v| v == "-")
}

/// The value of an output option given as `-o X`, `-oX`, `-qo X` (in a cluster, after flags
/// that take no value) or `--long=X`/`--long X`.
fn output_value<'a>(args: &'a [Word], value_letters: &str, letter: char, long: &str) -> Option<&'a str> {
    let mut found = None;
    for (n, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        if v == "--" {
            break;
        }
        if let Some(rest) = v.strip_prefix(long) {
            if let Some(value) = rest.strip_prefix('=') {
                found = Some(value);
            } else if rest.is_empty() {
                found = args.get(n + 1).map(|x| x.value.as_str());
            }
            continue;
        }
        let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty() && !c.starts_with('-')) else { continue };
        let Some((at, first)) = cluster.char_indices().find(|(_, c)| value_letters.contains(*c)) else { continue };
        if first != letter {
            continue;
        }
        let rest = cluster.get(at + first.len_utf8()..).unwrap_or("");
        found = if rest.is_empty() { args.get(n + 1).map(|x| x.value.as_str()) } else { Some(rest) };
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::PipeToShell;

    #[test]
    fn fires_on_pipelines() {
        let text = "FROM debian:12\nRUN curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash - && apt-get install -y nodejs\n";
        let d = assert_fires(&PipeToShell, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`curl` output is piped into `bash`"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash -");
        assert_fires(&PipeToShell, "FROM alpine\nRUN wget -qO- https://x/install.sh | sh\n");
        assert_fires(
            &PipeToShell,
            "FROM alpine\nRUN wget -q -O - https://x/install.sh | tee /tmp/log | sh -s -- --yes\n",
        );
        assert_fires(
            &PipeToShell,
            "FROM php:8\nRUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin\n",
        );
        assert_fires(&PipeToShell, "FROM python:3\nRUN curl -sSL https://install.python-poetry.org | python3 -\n");
        assert_fires(&PipeToShell, "FROM alpine\nONBUILD RUN curl https://x | sh\n");
    }

    #[test]
    fn fires_on_substitutions() {
        let d = assert_fires(
            &PipeToShell,
            "FROM debian:12\nRUN sh -c \"$(curl -fsSL https://raw.githubusercontent.com/x/install.sh)\"\n",
        );
        assert!(d[0].message.contains("`sh` runs a script downloaded by `curl`"), "{}", d[0].message);
        assert_fires(&PipeToShell, "FROM debian:12\nRUN bash <(curl -s https://x/install.sh)\n");
        assert_fires(&PipeToShell, "FROM debian:12\nRUN eval \"$(wget -qO- https://x/env)\"\n");
    }

    #[test]
    fn passes_when_the_download_is_data_or_saved() {
        assert_passes(
            &PipeToShell,
            "FROM python:3\nRUN curl -s https://api/x | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n",
        );
        assert_passes(
            &PipeToShell,
            "FROM alpine\nRUN curl -fsSLo /tmp/i.sh https://x && sh /tmp/i.sh\nRUN curl -O https://x/i.sh | sh\n",
        );
        assert_passes(
            &PipeToShell,
            "FROM alpine\nRUN wget https://x/i.sh | sh\nRUN curl https://x | tar xz && sh ./configure\n",
        );
        assert_passes(
            &PipeToShell,
            "FROM alpine\nRUN curl https://x | sh -c 'cat > /x'\nRUN curl https://x | bash install.sh\n",
        );
        assert_passes(
            &PipeToShell,
            "FROM alpine\nRUN sh -c \"echo $(curl -s https://x/version)\"\nRUN bash script.sh \"$(curl -s https://x)\"\n",
        );
        assert_passes(
            &PipeToShell,
            "FROM alpine\nRUN curl https://x | perl -ne 'print if /v/'\nRUN curl https://x | node -e 'x'\n",
        );
    }
}
