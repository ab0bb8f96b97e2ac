//! Package-manager invocations found in shell commands: "every `apt-get install` in this RUN
//! with its flags and package operands", for apt, apk, yum/dnf/microdnf, zypper, pip, npm, gem, go.

use caulk_syntax::shell::{Command, Word, basename};

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
}

impl Install<'_> {
    /// Whether any of `flags` is among the arguments (also before the subcommand).
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.command.has_flag(flags)
    }
}

const APT_VALUE_FLAGS: &[&str] = &["-o", "--option", "-t", "--target-release", "-c", "--config-file", "-a", "--host-architecture"];
const APK_VALUE_FLAGS: &[&str] = &["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--keys-dir", "--cache-dir", "--repositories-file"];
const YUM_VALUE_FLAGS: &[&str] = &["-x", "--exclude", "--enablerepo", "--disablerepo", "--releasever", "--installroot", "--setopt", "-c", "--config", "--repo", "--repoid", "--nodocs-x"];
const ZYPPER_VALUE_FLAGS: &[&str] = &["-t", "--type", "-r", "--repo", "--from", "-n"];
const PIP_VALUE_FLAGS: &[&str] = &[
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "--trusted-host", "-f",
    "--find-links", "-t", "--target", "--prefix", "--root", "--platform", "--python-version", "--implementation", "--abi",
    "--cache-dir", "--src", "--upgrade-strategy", "--progress-bar", "--log", "--timeout", "--retries", "--proxy", "--cert",
    "--client-cert", "--exists-action", "--global-option", "--install-option", "--config-settings", "-C", "--python", "--report",
    "--only-binary", "--no-binary",
];
const NPM_VALUE_FLAGS: &[&str] = &["--prefix", "--registry", "--cache", "--tag", "--userconfig", "-w", "--workspace", "--omit", "--include", "--loglevel"];
const GEM_VALUE_FLAGS: &[&str] = &["-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "--platform", "--document"];

/// Every package install among `commands`.
pub fn installs(commands: &[Command]) -> Vec<Install<'_>> {
    commands.iter().filter_map(install).collect()
}

fn install(cmd: &Command) -> Option<Install<'_>> {
    let program = cmd.program()?;
    let args = cmd.args();
    let (manager, value_flags, subcommands): (Manager, &[&str], &[&str]) = match program {
        "apt-get" | "apt" | "aptitude" => (Manager::Apt, APT_VALUE_FLAGS, &["install"]),
        "apk" => (Manager::Apk, APK_VALUE_FLAGS, &["add"]),
        "yum" | "dnf" | "microdnf" | "tdnf" => (Manager::Yum, YUM_VALUE_FLAGS, &["install", "groupinstall", "reinstall"]),
        "zypper" => (Manager::Zypper, ZYPPER_VALUE_FLAGS, &["install", "in"]),
        p if is_pip(p) => (Manager::Pip, PIP_VALUE_FLAGS, &["install"]),
        p if is_python(p) => {
            // python -m pip install …
            let m = args.iter().position(|w| w.value == "-m")?;
            if !args.get(m + 1).is_some_and(|w| is_pip(&w.value)) {
                return None;
            }
            let rest = args.get(m + 2..)?;
            return finish(Manager::Pip, program, cmd, rest, PIP_VALUE_FLAGS, &["install"]);
        }
        "npm" | "pnpm" => (Manager::Npm, NPM_VALUE_FLAGS, &["install", "i", "add", "isntall", "in"]),
        "gem" => (Manager::Gem, GEM_VALUE_FLAGS, &["install", "i"]),
        "go" => (Manager::Go, &[], &["install", "get"]),
        _ => return None,
    };
    finish(manager, program, cmd, args, value_flags, subcommands)
}

fn finish<'a>(
    manager: Manager,
    program: &'a str,
    cmd: &'a Command,
    args: &'a [Word],
    value_flags: &[&str],
    subcommands: &[&str],
) -> Option<Install<'a>> {
    // the subcommand is the first operand
    let mut skip = false;
    let mut sub_at = None;
    for (i, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        if skip {
            skip = false;
            continue;
        }
        if v.starts_with('-') {
            skip = value_flags.contains(&v);
            continue;
        }
        sub_at = Some(i);
        break;
    }
    let sub_at = sub_at?;
    if !subcommands.contains(&args.get(sub_at)?.value.as_str()) {
        return None;
    }
    let rest = args.get(sub_at + 1..)?;
    let mut packages = Vec::new();
    let mut skip = false;
    let mut dashdash = false;
    for w in rest {
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
        packages.push(w);
    }
    Some(Install { manager, program, command: cmd, args: rest, packages })
}

/// `pip`, `pip3`, `pip3.11`.
pub fn is_pip(program: &str) -> bool {
    let p = basename(program);
    p == "pip" || p.strip_prefix("pip").is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.11`.
pub fn is_python(program: &str) -> bool {
    let p = basename(program);
    p == "python" || p.strip_prefix("python").is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}
