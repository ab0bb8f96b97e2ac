//! Package-manager invocations found in shell commands: "every `apt-get install` in this RUN
//! with its flags and package operands", for apt, apk, yum/dnf/microdnf, zypper, pip, npm, gem, go;
//! plus the helpers the package rules share: cache mounts, `rm` of cache directories, earlier
//! configuration (`apt.conf`, `dnf.conf`) and the edit that adds a flag to a command.

use caulk_core::Edit;
use caulk_syntax::dockerfile::{Base, Body, CommandLine, Instruction};
use caulk_syntax::shell::{Command, Word, basename};

use crate::checker::Checker;

/// A package manager caulk understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Apt,
    Apk,
    Yum,
    Zypper,
    Pip,
    Npm,
    Gem,
    Go,
}

impl Manager {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Apt => "apt-get",
            Self::Apk => "apk",
            Self::Yum => "yum/dnf",
            Self::Zypper => "zypper",
            Self::Pip => "pip",
            Self::Npm => "npm",
            Self::Gem => "gem",
            Self::Go => "go",
        }
    }

    /// The manager a program name belongs to (`pip3.11` → pip; `python` is not pip by itself).
    pub fn of_program(program: &str) -> Option<Self> {
        Some(match basename(program) {
            "apt-get" | "apt" | "aptitude" => Self::Apt,
            "apk" => Self::Apk,
            "yum" | "dnf" | "microdnf" | "tdnf" => Self::Yum,
            "zypper" => Self::Zypper,
            "npm" | "pnpm" => Self::Npm,
            "gem" => Self::Gem,
            "go" => Self::Go,
            p if is_pip(p) => Self::Pip,
            _ => return None,
        })
    }

    /// Options of this manager that consume the following word, before the subcommand.
    fn global_value_flags(self) -> &'static [&'static str] {
        match self {
            Self::Zypper => ZYPPER_GLOBAL_VALUE_FLAGS,
            _ => self.value_flags(),
        }
    }

    /// Options of this manager that consume the following word, after the subcommand.
    fn value_flags(self) -> &'static [&'static str] {
        match self {
            Self::Apt => APT_VALUE_FLAGS,
            Self::Apk => APK_VALUE_FLAGS,
            Self::Yum => YUM_VALUE_FLAGS,
            Self::Zypper => ZYPPER_VALUE_FLAGS,
            Self::Pip => PIP_VALUE_FLAGS,
            Self::Npm => NPM_VALUE_FLAGS,
            Self::Gem => GEM_VALUE_FLAGS,
            Self::Go => GO_VALUE_FLAGS,
        }
    }

    /// The subcommands that install packages given as operands.
    fn install_subcommands(self) -> &'static [&'static str] {
        match self {
            Self::Apt => &["install"],
            Self::Apk => &["add"],
            Self::Yum => &["install", "groupinstall", "reinstall"],
            Self::Zypper => &["install", "in"],
            Self::Pip => &["install"],
            Self::Npm => &["install", "i", "add", "isntall", "in"],
            Self::Gem => &["install", "i"],
            Self::Go => &["install", "get"],
        }
    }
}

/// One install command: the manager, the command, the arguments after the subcommand, and the
/// package operands.
#[derive(Debug)]
pub struct Install<'a> {
    pub manager: Manager,
    /// The program as invoked (`apt-get`, `apt`, `dnf`, `pip3`, `python3`…).
    pub program: &'a str,
    pub command: &'a Command,
    /// Arguments after the subcommand (flags and operands).
    pub args: &'a [Word],
    pub packages: Vec<&'a Word>,
    /// The subcommand word (`install`, `add`, `i`…), e.g. to insert a flag after it.
    pub subcommand: &'a Word,
}

impl Install<'_> {
    /// Whether any of `flags` is among the arguments (also before the subcommand).
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.command.has_flag(flags)
    }
}

/// A package-manager command with whatever subcommand it runs (`apt-get update`, `dnf clean all`,
/// `python3 -m pip install`…).
#[derive(Debug)]
pub struct Invocation<'a> {
    pub manager: Manager,
    /// The program as invoked (`apt-get`, `dnf`, `pip3`, `python3`…).
    pub program: &'a str,
    /// The word naming the program (for `python -m pip`, the `python` word).
    pub program_word: &'a Word,
    pub command: &'a Command,
    /// Options before the subcommand (for `python -m pip`, those after `-m pip`).
    pub global_args: &'a [Word],
    /// The first operand: `install`, `update`, `clean`…; `None` for `apt-get -y` and the like.
    pub subcommand: Option<&'a Word>,
    /// Arguments after the subcommand.
    pub args: &'a [Word],
}

impl<'a> Invocation<'a> {
    /// The subcommand text, or `""`.
    pub fn sub(&self) -> &'a str {
        self.subcommand.map_or("", |w| w.value.as_str())
    }

    /// Whether the subcommand is one of `subs`.
    pub fn is_sub(&self, subs: &[&str]) -> bool {
        self.subcommand.is_some_and(|w| subs.contains(&w.value.as_str()))
    }

    /// Operands after the subcommand (flags and their values skipped; everything after `--`).
    pub fn operands(&self) -> Vec<&'a Word> {
        operands(self.args, self.manager.value_flags())
    }

    /// Whether any of `flags` is given, before or after the subcommand.
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.command.has_flag(flags)
    }
}

/// yum/dnf/microdnf/tdnf subcommands that install, upgrade or downgrade packages (shared by the
/// rules that ask whether a command prompts or fills the package cache).
pub const YUM_INSTALLING: &[&str] = &[
    "install",
    "in",
    "groupinstall",
    "localinstall",
    "reinstall",
    "upgrade",
    "up",
    "update",
    "update-minimal",
    "upgrade-minimal",
    "downgrade",
    "distro-sync",
    "distrosync",
    "dsync",
    "swap",
    "groupupdate",
    "groupupgrade",
];

const APT_VALUE_FLAGS: &[&str] =
    &["-o", "--option", "-t", "--target-release", "-c", "--config-file", "-a", "--host-architecture"];
const APK_VALUE_FLAGS: &[&str] = &[
    "-X",
    "--repository",
    "-t",
    "--virtual",
    "-p",
    "--root",
    "--arch",
    "--keys-dir",
    "--cache-dir",
    "--repositories-file",
];
const YUM_VALUE_FLAGS: &[&str] = &[
    "-x",
    "--exclude",
    "--enablerepo",
    "--disablerepo",
    "--releasever",
    "--installroot",
    "--setopt",
    "-c",
    "--config",
    "--repo",
    "--repoid",
    "--nodocs-x",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--rpmverbosity",
    "--forcearch",
    "--disableplugin",
    "--enableplugin",
    "--destdir",
    "--downloaddir",
    "--advisory",
    "--advisories",
    "--bz",
    "--bzs",
    "--cve",
    "--cves",
    "--sec-severity",
    "--secseverity",
    "--comment",
];
/// zypper's global options: `-n` is `--non-interactive` and takes no value.
const ZYPPER_GLOBAL_VALUE_FLAGS: &[&str] = &[
    "-R",
    "--root",
    "-c",
    "--config",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "-p",
    "--plus-repo",
    "--plus-content",
    "--userdata",
    "--installroot",
];
const ZYPPER_VALUE_FLAGS: &[&str] = &[
    "-t",
    "--type",
    "-r",
    "--repo",
    "--from",
    "--download",
    "--category",
    "--severity",
    "--date",
    "--cve",
    "--bugzilla",
    "-b",
    "--issues",
];
const PIP_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--trusted-host",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--cache-dir",
    "--src",
    "--upgrade-strategy",
    "--progress-bar",
    "--log",
    "--timeout",
    "--retries",
    "--proxy",
    "--cert",
    "--client-cert",
    "--exists-action",
    "--global-option",
    "--install-option",
    "--config-settings",
    "-C",
    "--python",
    "--report",
    "--only-binary",
    "--no-binary",
];
const NPM_VALUE_FLAGS: &[&str] = &[
    "--prefix",
    "--registry",
    "--cache",
    "--tag",
    "--userconfig",
    "-w",
    "--workspace",
    "--omit",
    "--include",
    "--loglevel",
];
const GEM_VALUE_FLAGS: &[&str] = &[
    "-v",
    "--version",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "--platform",
    "--document",
    "-P",
    "--trust-policy",
    "-g",
    "--file",
    "--build-root",
];
const GO_VALUE_FLAGS: &[&str] = &[
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-tags",
    "-mod",
    "-modfile",
    "-p",
    "-pkgdir",
    "-toolexec",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-overlay",
    "-pgo",
    "-C",
    "-o",
    "-covermode",
    "-coverpkg",
    "-buildvcs",
    "--ldflags",
    "--gcflags",
    "--tags",
];

/// Every package install among `commands`.
pub fn installs(commands: &[Command]) -> Vec<Install<'_>> {
    commands.iter().filter_map(install).collect()
}

fn install(cmd: &Command) -> Option<Install<'_>> {
    let inv = invocation(cmd)?;
    let subcommand = inv.subcommand?;
    if !inv.manager.install_subcommands().contains(&subcommand.value.as_str()) {
        return None;
    }
    let packages = inv.operands();
    Some(Install { manager: inv.manager, program: inv.program, command: cmd, args: inv.args, packages, subcommand })
}

/// Every package-manager command among `commands`, whatever its subcommand.
pub fn invocations(commands: &[Command]) -> impl Iterator<Item = Invocation<'_>> {
    commands.iter().filter_map(invocation)
}

/// The package-manager command `cmd` runs, if it runs one (`python -m pip …` included).
pub fn invocation(cmd: &Command) -> Option<Invocation<'_>> {
    let program_word = cmd.program_word()?;
    let program = basename(&program_word.value);
    let args = cmd.args();
    let (manager, rest) = match Manager::of_program(program) {
        Some(m) => (m, args),
        None if is_python(program) => {
            // python -m pip …
            let m = args.iter().position(|w| w.value == "-m")?;
            if !args.get(m + 1).is_some_and(|w| is_pip(&w.value)) {
                return None;
            }
            (Manager::Pip, args.get(m + 2..)?)
        }
        None => return None,
    };
    let global = manager.global_value_flags();
    let mut skip = false;
    let mut sub_at = None;
    for (i, w) in rest.iter().enumerate() {
        let v = w.value.as_str();
        if skip {
            skip = false;
            continue;
        }
        if v.starts_with('-') {
            skip = global.contains(&v);
            continue;
        }
        sub_at = Some(i);
        break;
    }
    let (global_args, subcommand, after) = match sub_at {
        Some(i) => (rest.get(..i).unwrap_or(&[]), rest.get(i), rest.get(i + 1..).unwrap_or(&[])),
        None => (rest, None, &[][..]),
    };
    Some(Invocation { manager, program, program_word, command: cmd, global_args, subcommand, args: after })
}

/// Operands among `args`: flags, the values of `value_flags`, skipped; everything after `--` kept.
fn operands<'a>(args: &'a [Word], value_flags: &[&str]) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut skip = false;
    let mut dashdash = false;
    for w in args {
        let v = w.value.as_str();
        if skip {
            skip = false;
            continue;
        }
        if !dashdash && v == "--" {
            dashdash = true;
            continue;
        }
        if !dashdash && v.starts_with('-') && v.len() > 1 {
            skip = value_flags.contains(&v);
            continue;
        }
        out.push(w);
    }
    out
}

/// `pip`, `pip3`, `pip3.11`.
pub fn is_pip(program: &str) -> bool {
    let p = basename(program);
    p == "pip"
        || p.strip_prefix("pip").is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.11`.
pub fn is_python(program: &str) -> bool {
    let p = basename(program);
    p == "python"
        || p.strip_prefix("python").is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

// ---------------------------------------------------------------------------------------------
// Caches: mounts, removal, configuration
// ---------------------------------------------------------------------------------------------

/// `/var/lib/apt/lists/` → `/var/lib/apt/lists`; `/` stays `/`.
fn trim_dir(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() { "/" } else { t }
}

/// Whether `dir` is `path` or one of its parent directories.
pub fn is_dir_or_parent(dir: &str, path: &str) -> bool {
    let dir = trim_dir(dir);
    let path = trim_dir(path);
    dir == path || (dir != "/" && path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/')))
}

/// Whether the RUN `inst` mounts a cache or tmpfs at `path` or at one of its parents, so what is
/// written there never reaches the layer.
pub fn mounts_cache_at(inst: &Instruction, path: &str) -> bool {
    mount_targets(inst).iter().any(|t| is_dir_or_parent(t, path))
}

/// Targets of the RUN's `--mount=type=cache|tmpfs` flags.
pub fn mount_targets(inst: &Instruction) -> Vec<String> {
    inst.flags_named("mount")
        .filter_map(|m| {
            let opts = m.options();
            let kind = opts.iter().find(|(k, _)| k == "type").map_or("bind", |(_, v)| v.as_str());
            if !matches!(kind, "cache" | "tmpfs") {
                return None;
            }
            opts.iter().find(|(k, _)| matches!(k.as_str(), "target" | "dst" | "destination")).map(|(_, v)| v.clone())
        })
        .collect()
}

/// Whether `cmd` is an `rm` that deletes `dir`, its contents (`dir/*`) or a parent of it.
pub fn removes_dir(cmd: &Command, dir: &str) -> bool {
    cmd.is("rm")
        && cmd.operands(&[]).any(|w| {
            let v = w.value.as_str();
            let base = v.strip_suffix('*').unwrap_or(v);
            !w.has_expansion && base.starts_with('/') && is_dir_or_parent(base, dir)
        })
}

/// The instruction indices whose effects are visible at instruction `index`: the bodies of the
/// stages it is built `FROM`, then its own stage up to `index` (included).
pub fn stage_chain_before(cx: &Checker<'_>, index: usize) -> Vec<usize> {
    let Some(stage) = cx.stage_of(index) else { return Vec::new() };
    let mut chain = vec![stage];
    let mut cur = stage;
    while let Base::Stage(p) = cur.base {
        match cx.model.stages.get(p) {
            Some(s) if chain.len() <= cx.model.stages.len() => {
                chain.push(s);
                cur = s;
            }
            _ => break,
        }
    }
    let mut out = Vec::new();
    for (n, s) in chain.iter().rev().enumerate() {
        let end = if n + 1 == chain.len() { index + 1 } else { s.end };
        out.extend(s.from + 1..end.min(cx.df.instructions.len()));
    }
    out
}

/// Instruction indices that run after `index` on top of its filesystem: the rest of its stage
/// and every later stage built `FROM` it (directly or through other stages).
pub fn later_in_descendants(cx: &Checker<'_>, index: usize) -> Vec<usize> {
    let Some(stage) = cx.stage_of(index) else { return Vec::new() };
    let mut out: Vec<usize> = (index + 1..stage.end).collect();
    for s in cx.model.stages.iter().filter(|s| s.index > stage.index) {
        let mut cur = s;
        let mut hops = 0;
        let descends = loop {
            match cur.base {
                Base::Stage(p) if p == stage.index => break true,
                Base::Stage(p) if hops < cx.model.stages.len() => match cx.model.stages.get(p) {
                    Some(next) => cur = next,
                    None => break false,
                },
                _ => break false,
            }
            hops += 1;
        };
        if descends {
            out.extend(s.body());
        }
    }
    out
}

/// Whether configuration text before `offset` (earlier instructions of the stage chain of
/// instruction `index`, and the part of instruction `index` before `offset`) sets `key` to one
/// of `values` (case-insensitive), e.g. `APT::Install-Recommends "0";` written to `apt.conf.d`.
/// Per-command options (`-o KEY=…`, `--setopt=KEY=…`) do not persist and are not counted.
pub fn configured_before(cx: &Checker<'_>, index: usize, offset: u32, key: &str, values: &[&str]) -> bool {
    let key = key.to_ascii_lowercase();
    stage_chain_before(cx, index).into_iter().any(|i| {
        let Some(inst) = cx.df.instructions.get(i) else { return false };
        let end = inst.range.end.min(offset.max(inst.range.start));
        let Some(text) = cx.text.get(inst.range.start as usize..end as usize) else { return false };
        sets_key(&text.to_ascii_lowercase(), &key, values)
    })
}

/// Whether lowercase `text` sets the lowercase `key` to one of `values` (`key=v`, `key "v"`,
/// `key: v`), ignoring per-command `-o key=…` / `--setopt=key=…` and keys inside longer names.
pub fn sets_key(text: &str, key: &str, values: &[&str]) -> bool {
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find(key)) {
        let start = from + at;
        from = start + key.len();
        // a whole key: not the tail of `--key`, `PIP_KEY` or `other-key`
        if text
            .get(..start)
            .and_then(|b| b.chars().next_back())
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        {
            continue;
        }
        let before = text.get(..start).unwrap_or("").trim_end_matches(['"', '\'']).trim_end();
        if before.ends_with("-o")
            || before.ends_with("--option")
            || before.ends_with("--option=")
            || before.ends_with("setopt=")
        {
            continue;
        }
        let after = text
            .get(from..)
            .unwrap_or("")
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ':' | '\\'));
        if values.iter().any(|v| {
            after.strip_prefix(v).is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        }) {
            return true;
        }
    }
    false
}

/// The value the environment variable `name` has when `cmd` (one of `commands`, the shell of
/// instruction `index`) runs: a `NAME=v` prefix or `env NAME=v`, else an earlier `export NAME=v`
/// in the same RUN, else an ENV or ARG visible at the instruction.
pub fn env_value(cx: &Checker<'_>, index: usize, commands: &[Command], cmd: &Command, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    let program_at = cmd.program_index().unwrap_or(cmd.words.len());
    let own = cmd
        .assignments
        .iter()
        .chain(cmd.words.iter().take(program_at))
        .rev()
        .find_map(|w| w.value.strip_prefix(&prefix));
    if let Some(v) = own {
        return Some(v.to_owned());
    }
    let exported = commands
        .iter()
        .filter(|c| c.range.end <= cmd.range.start && c.is("export"))
        .flat_map(|c| c.args().iter())
        .filter_map(|w| w.value.strip_prefix(&prefix))
        .next_back();
    if let Some(v) = exported {
        return Some(v.to_owned());
    }
    cx.model.vars_before(cx.df, index).remove(name)
}

/// Whether an argument of `cmd` (in instruction `index`) built from a variable may supply one
/// of `flags`: `apt-get install $APT_FLAGS curl` with `ARG APT_FLAGS="-y"`. True when the
/// variable's value contains the flag, or is not known (a shell variable, `$(…)`).
pub fn expansion_may_supply(cx: &Checker<'_>, index: usize, cmd: &Command, flags: &[&str]) -> bool {
    cmd.args().iter().filter(|w| w.has_expansion).any(|w| {
        if w.value.contains("$(") || w.value.contains('`') {
            return true;
        }
        let e = cx.model.expand(cx.df, index, &w.value);
        !e.is_resolved()
            || e.value.split_whitespace().any(|t| {
                flags.iter().any(|f| {
                    t == *f
                        || t.strip_prefix(f).is_some_and(|r| r.starts_with('='))
                        || (f.len() == 2
                            && !f.starts_with("--")
                            && t.starts_with('-')
                            && !t.starts_with("--")
                            && f.get(1..).is_some_and(|c| t.contains(c)))
                })
            })
    })
}

/// Whether `name` ends in `.ext` (case-insensitive): `pkg.RPM`, `x.apk`.
pub fn has_extension(name: &str, ext: &str) -> bool {
    std::path::Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Values apt, dnf and zypper read as true / false.
pub const TRUTHY: &[&str] = &["1", "true", "yes", "on"];
pub const FALSY: &[&str] = &["0", "false", "no", "off"];

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

/// The edit that adds the option `flag` right after `word` (a subcommand or program word) of a
/// command of the RUN `inst`: ` flag` in shell text, `, "flag"` after an exec-form element.
/// `None` when the word's range cannot be trusted to map back to its text.
pub fn insert_flag_after(cx: &Checker<'_>, inst: &Instruction, word: &Word, flag: &str) -> Option<Edit> {
    if let Body::Command(CommandLine::Exec { args, .. }) = &inst.body
        && args.iter().any(|a| a.range == word.range)
    {
        return Some(Edit::insert(word.range.end, format!(", \"{flag}\"")));
    }
    let raw = cx.slice(word.range);
    let unquoted: String = raw.chars().filter(|c| !matches!(c, '"' | '\'' | '\\' | '\n' | '\r')).collect();
    (!word.range.is_empty() && unquoted.ends_with(word.value.as_str()) && !word.value.is_empty())
        .then(|| Edit::insert(word.range.end, format!(" {flag}")))
}

#[cfg(test)]
mod tests {
    use caulk_syntax::dockerfile::{self, Model};

    use super::*;

    fn commands(text: &str) -> Model {
        let parsed = dockerfile::parse(text);
        Model::new(&parsed.ast, None)
    }

    #[test]
    fn zypper_global_n_is_not_a_value_flag() {
        let model = commands("FROM opensuse/leap\nRUN zypper -n install -y curl\n");
        let found = installs(model.commands(1));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].packages.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["curl"]);
        assert_eq!(found[0].subcommand.value, "install");
    }

    #[test]
    fn invocation_finds_any_subcommand() {
        let model = commands(
            "FROM x\nRUN apt-get -q update && python3 -m pip --quiet install flask && go install -tags netgo ./cmd\n",
        );
        let inv: Vec<_> = invocations(model.commands(1)).collect();
        assert_eq!(inv.iter().map(Invocation::sub).collect::<Vec<_>>(), ["update", "install", "install"]);
        assert_eq!(inv[2].operands().iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["./cmd"]);
    }

    #[test]
    fn dirs_and_parents() {
        assert!(is_dir_or_parent("/var/lib/apt", "/var/lib/apt/lists"));
        assert!(is_dir_or_parent("/var/lib/apt/lists/", "/var/lib/apt/lists"));
        assert!(!is_dir_or_parent("/var/lib/ap", "/var/lib/apt/lists"));
        assert!(!is_dir_or_parent("/var/lib/apt/lists/partial", "/var/lib/apt/lists"));
        assert!(!is_dir_or_parent("/", "/var"));
    }

    #[test]
    fn config_keys() {
        assert!(sets_key(
            "echo 'apt::install-recommends \"0\";' > /etc/apt/apt.conf.d/x",
            "apt::install-recommends",
            FALSY
        ));
        assert!(!sets_key("apt-get -o apt::install-recommends=false install", "apt::install-recommends", FALSY));
        assert!(!sets_key("apt::install-recommends \"1\";", "apt::install-recommends", FALSY));
        assert!(!sets_key("apt::install-recommends \"0x\";", "apt::install-recommends", FALSY));
        assert!(!sets_key("dnf --assumeyes install", "assumeyes", TRUTHY));
        assert!(sets_key("pip config set global.no-cache-dir false", "no-cache-dir", FALSY));
        assert!(!sets_key("pip_no_cache_dir=1 pip install", "no-cache-dir", TRUTHY));
    }
}
