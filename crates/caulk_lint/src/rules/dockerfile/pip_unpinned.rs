//! DF305: pip install without version pins.

use crate::checker::Checker;
use crate::packages::{Manager, env_value, installs};
use crate::pins::pin_fix;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `pip install` (also `pip3`, `python -m pip`) for packages named without a version
    /// specifier (`flask==3.0.3`, `flask~=3.0`, `'flask>=3,<4'`). Not bare names, so never
    /// reported: requirement and constraint files (`-r`, `-c`, and a `PIP_CONSTRAINT` variable,
    /// which constrain every package of the command), local paths (`.`, `./pkg`, `-e .`), wheels
    /// and sdists (`.whl`, `.tar.gz`), plain URLs, VCS URLs pinned to a ref (`git+https://…@v1.2`)
    /// and packages in variables.
    ///
    /// `pip install --upgrade pip setuptools wheel` is not reported: it refreshes the installer
    /// itself before the pinned installs that follow, and pinning it buys little. Any other
    /// package named next to them still is.
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever PyPI serves on the day of the build: builds stop
    /// being reproducible, a new major version can break the application, and a compromised
    /// release lands in the image unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask gunicorn
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    /// (with `flask==3.0.3` and `gunicorn==22.0.0` in `requirements.txt`), or
    /// `pip install flask==3.0.3 gunicorn==22.0.0`.
    ///
    /// ## Fix
    /// Only with `caulk fix --image IMAGE --unsafe-fixes`: the package is pinned to the version
    /// that image contains (for installs in the stages the image is built from; packages the
    /// image lacks stay as they are and are counted). Unsafe: the pinned version must remain
    /// available in the repositories the build uses.
    ///
    /// ## References
    /// - hadolint DL3013
    /// - [pip: repeatable installs](https://pip.pypa.io/en/stable/topics/repeatable-installs/)
    pub(crate) struct PipUnpinned {
        code: "DF305",
        name: "pip-unpinned",
        summary: "pip install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3013"],
    }
}

impl DockerfileRule for PipUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Pip) {
                let env_constraint = env_value(cx, index, commands, install.command, "PIP_CONSTRAINT")
                    .is_some_and(|v| !v.trim().is_empty());
                if env_constraint || install.has_flag(&["-c", "--constraint"]) {
                    continue;
                }
                let upgrade = install.has_flag(&["-U", "--upgrade"]);
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    if pkg.has_expansion || !is_unpinned(v) || (upgrade && is_installer_tool(v)) {
                        continue;
                    }
                    let help = if is_vcs(v) {
                        format!("pin a tag or commit: `{v}@<tag-or-commit>`")
                    } else {
                        format!("pin it: `{v}==<version>`, or install from a requirements file with pinned versions")
                    };
                    let name = v.split('[').next().unwrap_or(v);
                    let fix = (!is_vcs(v)).then(|| pin_fix(cx, index, Manager::Pip, pkg, name)).flatten();
                    let d = cx.report(pkg.range, format!("`{v}` is installed without a version pin")).set_help(help);
                    if let Some(fix) = fix {
                        d.set_fix(fix);
                    }
                }
            }
        }
    }
}

/// `pip`, `setuptools`, `wheel`: the installer's own tools, refreshed with `--upgrade`.
fn is_installer_tool(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "pip" | "setuptools" | "wheel")
}

fn is_vcs(v: &str) -> bool {
    ["git+", "hg+", "svn+", "bzr+", "git://"].iter().any(|p| v.starts_with(p))
}

/// A requirement naming a package without any version specifier.
fn is_unpinned(v: &str) -> bool {
    if is_vcs(v) {
        // pinned by `@ref` after the repository path
        return !v.rsplit('/').next().is_some_and(|last| last.contains('@'));
    }
    let lower = v.to_ascii_lowercase();
    let archive = [".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip"].iter().any(|s| lower.ends_with(s));
    let specifier = ["==", "~=", "!=", "<", ">"].iter().any(|s| v.contains(s));
    // `name @ https://…` direct references, paths and URLs are not bare names
    let reference = v.contains(['@', '/']) || v.starts_with(['.', '~']) || v.contains("://");
    !(v.is_empty() || archive || specifier || reference)
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::PipUnpinned;

    #[test]
    fn fires_on_bare_names() {
        let d = assert_fires(&PipUnpinned, "FROM python:3.12\nRUN pip install --no-cache-dir flask requests==2.32.3\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`flask`"));
    }

    #[test]
    fn fires_on_python_m_pip_extras_and_unpinned_vcs() {
        assert_fires(&PipUnpinned, "FROM python:3.12\nRUN python3 -m pip install 'uvicorn[standard]'\n");
        let d = assert_fires(&PipUnpinned, "FROM python:3.12\nRUN pip install git+https://github.com/org/repo.git\n");
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("@<tag-or-commit>")));
    }

    #[test]
    fn upgrading_the_installer_is_fine_but_not_other_packages() {
        assert_passes(
            &PipUnpinned,
            "FROM python:3.12\nRUN pip install --upgrade pip setuptools wheel && pip install -r requirements.txt\n",
        );
        let d = assert_fires(&PipUnpinned, "FROM python:3.12\nRUN pip install -U pip flask\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`flask`"));
    }

    #[test]
    fn passes_on_files_paths_constraints_and_variables() {
        assert_passes(
            &PipUnpinned,
            "FROM python:3.12\nARG PKG\nRUN pip install -r requirements.txt && pip install -e . && pip install . ./libs/x dist/app-1.0-py3-none-any.whl \\\n 'flask>=3,<4' 'django~=5.0' $PKG 'pkg @ https://example.com/pkg.zip' git+https://github.com/org/repo.git@v1.2.0\nRUN pip install -c constraints.txt flask gunicorn\nRUN PIP_CONSTRAINT=/c.txt pip install flask\nRUN export PIP_CONSTRAINT=/c.txt && pip install flask\n",
        );
        assert_passes(&PipUnpinned, "FROM python:3.12\nENV PIP_CONSTRAINT=/constraints.txt\nRUN pip install flask\n");
    }
}
