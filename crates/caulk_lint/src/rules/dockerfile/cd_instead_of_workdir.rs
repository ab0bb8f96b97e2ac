//! DF602: cd in RUN to set the working directory.

use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `RUN` instructions for a top-level `cd` that sets the working directory of the
    /// commands after it, where `WORKDIR` would say the same once for all later instructions:
    /// `RUN cd /app && npm ci`. A `cd` that ends a `RUN` (`RUN cd /app`) is reported too: it has
    /// no effect on the next instruction, which is a common misunderstanding.
    ///
    /// To stay quiet where `cd` is the right tool, it is not reported when:
    /// - it runs in a subshell (`(cd sub && make)`), a command substitution (`$(cd x && pwd)`)
    ///   or an `sh -c` string;
    /// - its target is temporary (`/tmp/build`), or is `/`, `-`, `..` or a variable;
    /// - other commands than shell settings (`set -eux`, `export X=1`) run before it in the `RUN`:
    ///   a `cd` in the middle of a build script (`curl … | tar x && cd pkg-1.0 && make`,
    ///   `git clone … /src && cd /src`) moves into a directory the script creates or throws away.
    ///
    /// ## Why is this bad?
    /// The directory change lasts only for the `RUN` it is in, so every later `RUN`, `COPY`,
    /// `CMD` has to repeat it, and readers must track where each command runs. `WORKDIR`
    /// states it once, creates the directory if needed, and applies to everything after it.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY . /app
    /// RUN cd /app && npm ci
    /// CMD ["node", "/app/server.js"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL3003, Trivy AVD-DS-0013 (they report every `cd`)
    /// - [Docker best practices: WORKDIR](https://docs.docker.com/build/building/best-practices/#workdir)
    pub(crate) struct CdInsteadOfWorkdir {
        code: "DF602",
        name: "cd-instead-of-workdir",
        summary: "cd in RUN to set the working directory",
        severity: Low,
        fix: None,
        aliases: ["DL3003", "AVD-DS-0013"],
    }
}

impl DockerfileRule for CdInsteadOfWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, _, commands) in cx.runs() {
            let start = cx.df.instructions.get(i).map_or(0, |inst| inst.range.start);
            for (n, cmd) in commands.iter().enumerate() {
                if cmd.depth != 0 || !cmd.is("cd") {
                    continue;
                }
                let Some(target) = cmd.args().iter().find(|w| !w.value.starts_with('-') || w.value == "-") else {
                    continue;
                };
                let t = target.value.as_str();
                if target.has_expansion || matches!(t, "-" | "/" | "." | "~") || t.split('/').any(|c| c == "..") {
                    continue;
                }
                let prefix = cx.text.get(start as usize..cmd.range.start as usize).unwrap_or("");
                if in_subshell(prefix) {
                    continue;
                }
                let earlier = commands.get(..n).unwrap_or(&[]);
                let last = commands.get(n + 1..).is_none_or(<[Command]>::is_empty);
                let message = if last {
                    format!(
                        "`cd {t}` is the last command of this RUN: it has no effect on the instructions that follow"
                    )
                } else if is_temporary(t) || !earlier.iter().all(is_trivial) {
                    // a cd in the middle of a build script (download, extract, configure, make)
                    // moves into a directory the build creates and throws away
                    continue;
                } else {
                    format!("`cd {t}` only lasts for this RUN: use `WORKDIR {t}`")
                };
                cx.report(cmd.range, message)
                    .set_help(format!("set the directory once with `WORKDIR {t}`; for a temporary directory, use a subshell: `(cd {t} && …)`"));
            }
        }
    }
}

/// Whether the shell text before a command leaves a subshell `(` open (command and process
/// substitutions are tracked so their parentheses do not count).
fn in_subshell(prefix: &str) -> bool {
    let mut stack: Vec<bool> = Vec::new(); // true: a subshell
    let mut chars = prefix.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
                prev = ' ';
                continue;
            }
            '\'' => {
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                }
            }
            '"' => {
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '#' if prev.is_whitespace() || prev == ';' => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
            }
            '(' => stack.push(!matches!(prev, '$' | '<' | '>' | '(')),
            ')' => {
                stack.pop();
            }
            _ => {}
        }
        prev = c;
    }
    stack.contains(&true)
}

/// Commands that only set up the shell, and may come before a `cd` that sets the directory.
fn is_trivial(cmd: &Command) -> bool {
    cmd.words.is_empty()
        || matches!(
            cmd.words.first().map(|w| w.value.as_str()),
            Some("set" | "export" | "true" | ":" | "shopt" | "umask" | "echo")
        )
}

/// Directories meant to be thrown away.
fn is_temporary(path: &str) -> bool {
    ["/tmp", "/var/tmp", "/dev/shm"]
        .iter()
        .any(|t| path == *t || path.strip_prefix(t).is_some_and(|r| r.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{CdInsteadOfWorkdir, in_subshell};

    #[test]
    fn fires_on_cd_that_sets_the_directory() {
        let text = "FROM node:22\nCOPY . /app\nRUN cd /app && npm ci\n";
        let d = assert_fires(&CdInsteadOfWorkdir, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`cd /app` only lasts for this RUN: use `WORKDIR /app`"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "cd /app");
        assert_fires(&CdInsteadOfWorkdir, "FROM node:22\nRUN cd src && make\n");
        assert_fires(&CdInsteadOfWorkdir, "FROM node:22\nRUN set -eux; export CI=1; cd /app; npm ci\n");
        assert_fires(&CdInsteadOfWorkdir, "FROM node:22\nRUN { cd /srv/app; make; }\n");
    }

    #[test]
    fn fires_on_cd_with_no_effect() {
        let d = assert_fires(&CdInsteadOfWorkdir, "FROM node:22\nRUN mkdir -p /app && cd /app\nRUN npm ci\n");
        assert!(d[0].message.contains("no effect"), "{}", d[0].message);
    }

    #[test]
    fn passes_on_subshells_substitutions_and_temporary_dirs() {
        assert_passes(&CdInsteadOfWorkdir, "FROM node:22\nRUN (cd /app && npm ci) && ( cd /srv; make )\n");
        assert_passes(
            &CdInsteadOfWorkdir,
            "FROM node:22\nRUN X=\"$(cd /opt && pwd)\" && echo $X\nRUN sh -c 'cd /app && make'\n",
        );
        assert_passes(
            &CdInsteadOfWorkdir,
            "FROM node:22\nRUN git clone https://x/repo.git /src/repo && cd /src/repo && make\n",
        );
        assert_passes(
            &CdInsteadOfWorkdir,
            "FROM node:22\nRUN curl -L https://x/pkg-1.0.tar.gz | tar xz && cd pkg-1.0 && make install\n",
        );
        assert_passes(&CdInsteadOfWorkdir, "FROM node:22\nRUN cd /tmp/build && make && cd / && rm -rf /tmp/build\n");
        assert_passes(
            &CdInsteadOfWorkdir,
            "FROM node:22\nRUN mkdir -p /opt/x && cd /opt/x && make\nRUN cd $HOME && ls\nRUN make && cd ..\n",
        );
        assert_passes(
            &CdInsteadOfWorkdir,
            "FROM node:22\nRUN tar -xzf x.tgz -C /usr/src && cd /usr/src/x-1.0 && make\n",
        );
        assert_passes(&CdInsteadOfWorkdir, "FROM node:22\nCMD cd /app && node server.js\n");
        assert_passes(
            &CdInsteadOfWorkdir,
            "FROM php:8\nRUN set -eux; docker-php-source extract; cd /usr/src/php; ./configure; make\n",
        );
    }

    #[test]
    fn subshell_detection() {
        assert!(in_subshell("RUN ( "));
        assert!(in_subshell("RUN make && ( echo ')' && "));
        assert!(!in_subshell("RUN x=$(pwd) && "));
        assert!(!in_subshell("RUN (a) && "));
        assert!(!in_subshell("RUN case $x in a) "));
    }
}
