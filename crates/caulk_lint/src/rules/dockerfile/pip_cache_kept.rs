//! DF315: pip install without --no-cache-dir.

use caulk_core::{Fix, TextRange};
use caulk_syntax::dockerfile::Instruction;
use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::packages::{
    Install, Manager, configured_before, env_value, expansion_may_supply, insert_flag_after, installs, invocation,
    is_dir_or_parent, is_pip, mount_targets,
};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `pip install` (also `pip3`, `python -m pip`) in the stages that end up in the
    /// image for a way to keep pip's download cache out of the layer. Any of these counts:
    /// - `--no-cache-dir` on the command, or in a variable passed to it (`pip install $PIP_FLAGS`;
    ///   a variable whose value caulk cannot know counts too);
    /// - `PIP_NO_CACHE_DIR` set for it: `ENV`/`ARG` in the stage or a stage it is built `FROM`,
    ///   `export`, or a `PIP_NO_CACHE_DIR=1 pip …` prefix. pip disables the cache for *any*
    ///   boolean value here, even `0` or `false` (a historical quirk it keeps), so any of them
    ///   counts;
    /// - `no-cache-dir` set in pip's configuration earlier (`pip config set
    ///   global.no-cache-dir false`, a `pip.conf`);
    /// - a `--mount=type=cache` (or tmpfs) at `~/.cache/pip`, `~/.cache` or the `--cache-dir`;
    /// - `pip cache purge` or `rm -rf ~/.cache/pip` later in the same RUN.
    ///
    /// `pip install --upgrade pip` is reported like any other install: the downloaded wheel
    /// stays in the cache all the same. Build stages whose files are not shipped are not
    /// checked.
    ///
    /// ## Why is this bad?
    /// pip keeps every downloaded wheel and HTTP response in `~/.cache/pip`; in an image that
    /// cache is never reused, but it is shipped with every pull, often doubling the size of
    /// the installed packages.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install -r requirements.txt
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Fix
    /// Adds `--no-cache-dir` after `install`. The fix is safe: only the cache changes.
    ///
    /// ## References
    /// - hadolint DL3042
    /// - [pip caching](https://pip.pypa.io/en/stable/topics/caching/)
    pub(crate) struct PipCacheKept {
        code: "DF315",
        name: "pip-cache-kept",
        summary: "pip install without --no-cache-dir",
        severity: Low,
        fix: Always,
        aliases: ["DL3042"],
    }
}

/// Values pip's `strtobool` accepts: each of them disables the cache for `PIP_NO_CACHE_DIR`.
const BOOLS: &[&str] = &["1", "0", "y", "n", "t", "f", "yes", "no", "true", "false", "on", "off"];

impl DockerfileRule for PipCacheKept {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, inst, commands) in cx.runs() {
            if !cx.is_shipped(index) {
                continue;
            }
            let mounts = mount_targets(inst);
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Pip) {
                if install.has_flag(&["--no-cache-dir"])
                    || expansion_may_supply(cx, index, install.command, &["--no-cache-dir"])
                {
                    continue;
                }
                let no_cache_env = env_value(cx, index, commands, install.command, "PIP_NO_CACHE_DIR")
                    .is_some_and(|v| BOOLS.contains(&v.trim().to_ascii_lowercase().as_str()));
                if no_cache_env || configured_before(cx, index, install.command.range.start, "no-cache-dir", BOOLS) {
                    continue;
                }
                let cache_dir = install
                    .command
                    .flag_value(&["--cache-dir"])
                    .map(str::to_owned)
                    .or_else(|| env_value(cx, index, commands, install.command, "PIP_CACHE_DIR"));
                if mounts
                    .iter()
                    .any(|t| is_pip_cache(t) || cache_dir.as_deref().is_some_and(|d| is_dir_or_parent(t, d)))
                {
                    continue;
                }
                let start = install.command.range.start;
                if commands.iter().any(|c| c.range.start > start && purges_cache(c)) {
                    continue;
                }
                report(cx, inst, &install);
            }
        }
    }
}

fn report(cx: &mut Checker<'_>, inst: &Instruction, install: &Install<'_>) {
    let Some(program) = install.command.program_word() else { return };
    let shown = if is_pip(install.program) {
        format!("{} install", install.program)
    } else {
        format!("{} -m pip install", install.program)
    };
    let edit = insert_flag_after(cx, inst, install.subcommand, "--no-cache-dir");
    let d = cx
        .report(
            TextRange::cover(program.range, install.subcommand.range),
            format!("`{shown}` keeps its download cache in the layer"),
        )
        .set_help(format!("add `--no-cache-dir` (`{shown} --no-cache-dir …`), or set `ENV PIP_NO_CACHE_DIR=1`"));
    if let Some(edit) = edit {
        d.set_fix(Fix::safe("Add `--no-cache-dir`", vec![edit]));
    }
}

/// `~/.cache/pip`, `/root/.cache`, `/home/app/.cache/pip`…
fn is_pip_cache(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    p.ends_with("/.cache") || p.ends_with("/.cache/pip") || p == "~/.cache" || p == "~/.cache/pip"
}

/// `pip cache purge` / `pip cache remove '*'`, or `rm -rf ~/.cache/pip` (or `/root/.cache`).
fn purges_cache(cmd: &Command) -> bool {
    if invocation(cmd).is_some_and(|inv| {
        inv.manager == Manager::Pip
            && inv.is_sub(&["cache"])
            && inv.operands().first().is_some_and(|w| matches!(w.value.as_str(), "purge" | "remove" | "rm"))
    }) {
        return true;
    }
    cmd.is("rm") && cmd.operands(&[]).any(|w| is_pip_cache(w.value.strip_suffix('*').unwrap_or(&w.value)))
}

#[cfg(test)]
mod tests {
    use caulk_core::diagnostic::apply_edits;

    use crate::test::{assert_fires, assert_passes};

    use super::PipCacheKept;

    #[test]
    fn fires_and_fixes() {
        let text = "FROM python:3.12\nRUN pip install -r requirements.txt\n";
        let d = assert_fires(&PipCacheKept, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`pip install`"));
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(
            apply_edits(text, &fix.edits).as_deref(),
            Some("FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n")
        );
    }

    #[test]
    fn fires_on_python_m_pip_and_pip_self_upgrade() {
        let d = assert_fires(&PipCacheKept, "FROM python:3.12\nRUN python3 -m pip install --upgrade pip\n");
        assert!(d[0].message.contains("`python3 -m pip install`"));
    }

    #[test]
    fn env_in_a_parent_stage_counts_but_not_in_a_sibling() {
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install -r requirements.txt\n",
        );
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip install -r requirements.txt\n",
        );
        assert_fires(
            &PipCacheKept,
            "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install -r requirements.txt\n",
        );
    }

    #[test]
    fn passes_with_flag_env_config_mount_purge_or_build_stage() {
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN pip install --no-cache-dir flask==3.0.3 && PIP_NO_CACHE_DIR=1 pip install x==1 && pip install y==1\n",
        );
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=true && pip install flask==3.0.3\n",
        );
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12\nRUN pip config set global.no-cache-dir false\nRUN pip install flask==3.0.3\n",
        );
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
        );
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12\nRUN pip install -r requirements.txt && pip cache purge\nRUN pip install x==1 && rm -rf ~/.cache/pip\n",
        );
        assert_passes(
            &PipCacheKept,
            "FROM python:3.12 AS build\nRUN pip wheel -r r.txt && pip install -r r.txt\nFROM python:3.12-slim\nCOPY --from=build /w /w\n",
        );
    }
}
