//! DF506: files made world-writable.

use caulk_syntax::dockerfile::Keyword;
use caulk_syntax::shell::{Command, Word};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

/// chmod options that take no value (GNU, BusyBox and BSD); a word made of these is not a mode.
const CHMOD_OPTION_LETTERS: &str = "RfvchHLP";

const HELP: &str = "give write access only to the user that needs it (`chown app:app /data` and `chmod 755`, or `775` with a \
shared group); a shared scratch directory needs the sticky bit (`1777`, as `/tmp` has)";

declare_rule! {
    /// ## What it does
    /// Checks, in the stages that make up the image, for files and directories made writable
    /// by every user: `chmod` with a mode whose "others" part has the write bit (`777`,
    /// `0666`, `-R 777`, `o+w`, `a=rwx`), `mkdir -m`/`install -m` with such a mode, and
    /// `COPY --chmod`/`ADD --chmod` with one.
    ///
    /// Modes with the sticky bit (`1777`, `+t`) are not reported: that is how shared scratch
    /// directories such as `/tmp` are meant to be set up. Symbolic modes without a "who"
    /// (`chmod +w`) are not reported either: the umask keeps them from reaching "others".
    /// Build stages that are not shipped are not checked.
    ///
    /// ## Why is this bad?
    /// Any process in the container, whatever its user, can then modify those files: a
    /// compromised worker running as `nobody` can rewrite the application code, its
    /// configuration or the scripts root runs at start-up, and a world-writable directory
    /// without the sticky bit lets users delete or replace each other's files.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN mkdir -p /app/data && chmod -R 777 /app
    /// USER app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN mkdir -p /app/data && chown -R app:app /app/data
    /// USER app
    /// ```
    ///
    /// ## References
    /// - [chmod(1): symbolic and numeric modes](https://man7.org/linux/man-pages/man1/chmod.1.html)
    /// - [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
    pub(crate) struct WorldWritable {
        code: "DF506",
        name: "world-writable",
        summary: "files made world-writable",
        severity: Medium,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for WorldWritable {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.instructions() {
            if !cx.is_shipped(i) {
                continue;
            }
            if matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
                if let Some(flag) = inst.flag("chmod")
                    && let Some(mode) = &flag.value
                    && world_writable(&mode.value)
                {
                    let kw = inst.keyword.as_str();
                    cx.report(
                        flag.range,
                        format!("`{kw} --chmod={}` makes the copied files writable by every user", mode.value),
                    )
                    .set_help(HELP);
                }
                continue;
            }
            for cmd in cx.commands(i) {
                let Some((mode, targets)) = mode_of(cmd) else { continue };
                if mode.has_expansion || !world_writable(&mode.value) {
                    continue;
                }
                let program = cmd.program().unwrap_or("chmod");
                let what = match targets.first() {
                    Some(t) if targets.len() > 1 => format!("`{}` and {} more", t.value, targets.len() - 1),
                    Some(t) => format!("`{}`", t.value),
                    None => "its target".to_owned(),
                };
                let (verb, shown) = match program {
                    "chmod" => ("makes", format!("chmod {}", mode.value)),
                    p if mode.value.starts_with("--mode=") => ("creates", format!("{p} {}", mode.value)),
                    p => ("creates", format!("{p} -m {}", mode.value)),
                };
                cx.report(mode.range, format!("`{shown}` {verb} {what} writable by every user")).set_help(HELP);
            }
        }
    }
}

/// The mode word of `chmod MODE FILE…`, `mkdir -m MODE DIR…` or `install -m MODE …`, and the
/// paths it applies to.
fn mode_of(cmd: &Command) -> Option<(&Word, Vec<&Word>)> {
    let args = cmd.args();
    match cmd.program()? {
        "chmod" => {
            let mut it = args.iter().enumerate();
            for (n, w) in it.by_ref() {
                let v = w.value.as_str();
                if v.starts_with("--") {
                    if v.starts_with("--reference") {
                        return None;
                    }
                    continue;
                }
                let is_option = v
                    .strip_prefix('-')
                    .is_some_and(|c| !c.is_empty() && c.chars().all(|ch| CHMOD_OPTION_LETTERS.contains(ch)));
                if !is_option {
                    let targets =
                        args.get(n + 1..).unwrap_or(&[]).iter().filter(|t| !t.value.starts_with('-')).collect();
                    return Some((w, targets));
                }
            }
            None
        }
        "mkdir" | "install" => {
            let mut mode = None;
            let mut targets = Vec::new();
            let mut take_next = false;
            for w in args {
                let v = w.value.as_str();
                if std::mem::take(&mut take_next) {
                    mode = Some(w);
                } else if v == "-m"
                    || v == "--mode"
                    || (v.starts_with('-') && !v.starts_with("--") && v.ends_with('m') && v.len() > 2)
                {
                    take_next = true;
                } else if v.starts_with("--mode=") {
                    mode = Some(w);
                } else if !v.starts_with('-') {
                    targets.push(w);
                }
            }
            mode.map(|m| (m, targets))
        }
        _ => None,
    }
}

/// Whether a chmod mode (octal or symbolic, or `--mode=` form) grants write to "others"
/// without the sticky bit.
pub(crate) fn world_writable(mode: &str) -> bool {
    let mode = mode.strip_prefix("--mode=").unwrap_or(mode).trim();
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits: Vec<u8> = mode.bytes().map(|b| b - b'0').collect();
        let others = digits.last().copied().unwrap_or(0);
        let special = if digits.len() >= 4 { digits.get(digits.len() - 4).copied().unwrap_or(0) } else { 0 };
        return others & 2 != 0 && special & 1 == 0;
    }
    let mut writable = false;
    let mut sticky = false;
    for clause in mode.split(',') {
        let who: String = clause.chars().take_while(|c| matches!(c, 'u' | 'g' | 'o' | 'a')).collect();
        let rest = clause.get(who.len()..).unwrap_or("");
        if rest.is_empty() || !rest.starts_with(['+', '-', '=']) {
            return false; // not a symbolic mode
        }
        let others = who.contains(['o', 'a']);
        let mut op = '+';
        for c in rest.chars() {
            match c {
                '+' | '-' | '=' => op = c,
                'w' if op != '-' && others => writable = true,
                't' if op != '-' => sticky = true,
                'r' | 'w' | 'x' | 'X' | 's' | 't' | 'u' | 'g' | 'o' => {}
                _ => return false,
            }
        }
    }
    writable && !sticky
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{WorldWritable, world_writable};

    #[test]
    fn fires_on_chmod_777_and_symbolic() {
        let text = "FROM debian:12\nRUN mkdir -p /app/data && chmod -R 777 /app && chmod o+w,u+x /etc/app.conf\n";
        let d = assert_fires(&WorldWritable, text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`chmod 777` makes `/app` writable by every user"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "777");
        assert!(d[1].message.contains("`/etc/app.conf`"), "{}", d[1].message);
    }

    #[test]
    fn fires_on_mkdir_mode_and_copy_chmod() {
        let d = assert_fires(
            &WorldWritable,
            "FROM debian:12\nRUN mkdir -m 0777 /data /cache\nCOPY --chmod=666 app.conf /etc/\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`mkdir -m 0777` creates `/data` and 1 more"), "{}", d[0].message);
        assert!(d[1].message.contains("`COPY --chmod=666`"), "{}", d[1].message);
    }

    #[test]
    fn passes_on_sticky_private_modes_and_build_stages() {
        assert_passes(
            &WorldWritable,
            "FROM debian:12\nRUN chmod 1777 /tmp/x && chmod 755 /app && chmod -R go-w /app && chmod +w f && chmod a+rwxt /shared\n",
        );
        assert_passes(
            &WorldWritable,
            "FROM debian:12\nRUN chmod $MODE /x && chmod --reference=/a /b && chmod 775 /srv && chmod -w /x\nCOPY --chmod=755 a /b\n",
        );
        assert_passes(
            &WorldWritable,
            "FROM debian:12 AS build\nRUN chmod -R 777 /src\nFROM debian:12\nCOPY --from=build /src/app /app\n",
        );
    }

    #[test]
    fn modes() {
        for m in ["777", "0777", "666", "2", "0002", "a+w", "o=rwx", "ugo+rw", "a=rwX", "--mode=777", "4777"] {
            assert!(world_writable(m), "{m}");
        }
        for m in ["755", "1777", "01777", "644", "o-w", "+w", "u+w,g+w", "a+rwxt", "abc", "", "o+", "9"] {
            assert!(!world_writable(m), "{m}");
        }
    }
}
