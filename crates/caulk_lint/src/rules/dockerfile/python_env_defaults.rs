//! DF410: Python image without PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED.

use caulk_syntax::dockerfile::{Base, Body, Keyword};

use crate::checker::Checker;
use crate::packages::{Manager, is_python};
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::no_user::root_stage;
use crate::rules::dockerfile::unnecessary_tools::shipped_packages;

declare_rule! {
    /// ## What it does
    /// Checks that a Python image sets `PYTHONUNBUFFERED` and `PYTHONDONTWRITEBYTECODE` with
    /// `ENV` in the final stage or the stages it is built `FROM`, and reports the missing ones
    /// once, on the final stage's `FROM`. An image is a Python image when its base is a Python
    /// image (`python:*`, `*/python:*`, `pypy`, distroless `python3-*`) or the shipped stages
    /// install Python with an OS package manager (`python3`, `python3-pip`, `py3-pip`, …) and
    /// the image's CMD/ENTRYPOINT runs Python (`python3 app.py`, `gunicorn`, `uvicorn`, a
    /// `*.py` script, also inside `sh -c`).
    /// `python -u` in CMD/ENTRYPOINT counts as unbuffered, `python -B` as no bytecode. An
    /// `ARG` of the same name does not count: it is not in the running container's environment.
    ///
    /// ## Why is this bad?
    /// Without `PYTHONUNBUFFERED`, stdout and stderr are block-buffered when not attached to a
    /// terminal: log lines show up late in `docker logs` and are lost when the container
    /// crashes. Without `PYTHONDONTWRITEBYTECODE`, Python writes `.pyc` files next to the
    /// sources at run time, which fails or litters on read-only and non-root filesystems.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV PYTHONUNBUFFERED=1 \
    ///     PYTHONDONTWRITEBYTECODE=1
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## References
    /// - [Python docs: PYTHONUNBUFFERED](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONUNBUFFERED)
    /// - [Python docs: PYTHONDONTWRITEBYTECODE](https://docs.python.org/3/using/cmdline.html#envvar-PYTHONDONTWRITEBYTECODE)
    pub(crate) struct PythonEnvDefaults {
        code: "DF410",
        name: "python-env-defaults",
        summary: "Python image without PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED",
        severity: Info,
        fix: None,
        aliases: [],
    }
}

/// Whether an image name is a Python image.
fn is_python_image(name: &str) -> bool {
    matches!(name, "python" | "pypy") || name.starts_with("python3-") || name.starts_with("python-")
}

/// OS packages that install the Python interpreter.
fn installs_python(name: &str) -> bool {
    is_python(name)
        || matches!(
            name,
            "python3-pip" | "python-pip" | "py3-pip" | "python3-minimal" | "python3-venv" | "python3-full"
        )
}

/// Programs that are Python applications servers or runners.
const PYTHON_RUNNERS: &[&str] = &[
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "celery",
    "flask",
    "django-admin",
    "waitress-serve",
    "streamlit",
    "jupyter",
    "pytest",
];

/// Whether the final image's CMD or ENTRYPOINT runs a Python interpreter or a Python server.
fn runs_python(cx: &Checker<'_>) -> bool {
    let Some(fc) = cx.final_context() else { return false };
    [fc.cmd, fc.entrypoint].into_iter().flatten().flat_map(|i| cx.commands(i)).filter_map(|c| c.program()).any(|p| {
        is_python(p)
            || PYTHON_RUNNERS.contains(&p)
            || std::path::Path::new(p).extension().is_some_and(|e| e.eq_ignore_ascii_case("py"))
    })
}

impl DockerfileRule for PythonEnvDefaults {
    fn check(&self, cx: &mut Checker<'_>) {
        let (Some(fc), Some(fin)) = (cx.final_context(), cx.model.final_stage()) else { return };
        let root = root_stage(cx.model, fin);
        let python_base = matches!(&root.base, Base::Image(image) if is_python_image(image.name()));
        // Python installed from OS packages counts when the image runs it (Python may just be
        // a dependency of another application)
        let python_installed = || {
            runs_python(cx)
                && shipped_packages(cx).iter().any(|p| {
                    !p.removed
                        && matches!(p.manager, Manager::Apt | Manager::Apk | Manager::Yum | Manager::Zypper)
                        && installs_python(&p.name)
                })
        };
        if !python_base && !python_installed() {
            return;
        }
        let mut unbuffered = false;
        let mut no_bytecode = false;
        for (_, inst) in cx.shipped_instructions() {
            if let (Keyword::Env, Body::Pairs(pairs)) = (inst.keyword, &inst.body) {
                for kv in pairs {
                    match kv.key.value.as_str() {
                        "PYTHONUNBUFFERED" => unbuffered = true,
                        "PYTHONDONTWRITEBYTECODE" => no_bytecode = true,
                        _ => {}
                    }
                }
            }
        }
        // `python -u app.py`, `python3 -B -m app`
        for i in [fc.cmd, fc.entrypoint].into_iter().flatten() {
            for cmd in cx.commands(i) {
                if cmd.program().is_some_and(is_python) {
                    for a in
                        cmd.args().iter().take_while(|a| a.value.starts_with('-') && a.value != "-m" && a.value != "-c")
                    {
                        let cluster = a.value.get(1..).unwrap_or("");
                        if !cluster.is_empty() && cluster.chars().all(|c| "bBdEhiIOPqsSuvVx".contains(c)) {
                            unbuffered |= a.value.contains('u');
                            no_bytecode |= a.value.contains('B');
                        }
                    }
                }
            }
        }
        let missing: Vec<&str> = [(!unbuffered, "PYTHONUNBUFFERED"), (!no_bytecode, "PYTHONDONTWRITEBYTECODE")]
            .into_iter()
            .filter(|(m, _)| *m)
            .map(|(_, n)| n)
            .collect();
        if missing.is_empty() {
            return;
        }
        let names = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ");
        let assignments = missing.iter().map(|m| format!("{m}=1")).collect::<Vec<_>>().join(" ");
        let what = if missing.len() == 1 { "is" } else { "are" };
        cx.report(fin.base_range, format!("Python image: {names} {what} not set")).set_help(format!(
            "add `ENV {assignments}` so logs are not buffered and no `.pyc` files are written at run time"
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::PythonEnvDefaults;

    #[test]
    fn fires_on_python_images_naming_the_missing_variables() {
        let text = "FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n";
        let d = assert_fires(&PythonEnvDefaults, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "python:3.12-slim");
        assert!(d[0].message.contains("`PYTHONUNBUFFERED` and `PYTHONDONTWRITEBYTECODE` are not set"));
        let d = assert_fires(&PythonEnvDefaults, "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n");
        assert!(d[0].message.contains("`PYTHONDONTWRITEBYTECODE` is not set"));
        assert_fires(
            &PythonEnvDefaults,
            "FROM ubuntu:18.04\nRUN apt-get install -y python3-pip curl\nCMD [\"python3\", \"app.py\"]\n",
        );
        assert_fires(
            &PythonEnvDefaults,
            "FROM ubuntu:18.04\nRUN apt-get install -y python3-pip\nCMD [\"sh\", \"-c\", \"python3 app.py\"]\n",
        );
        assert_fires(
            &PythonEnvDefaults,
            "FROM python:3.12-slim\nARG PYTHONUNBUFFERED=1\nARG PYTHONDONTWRITEBYTECODE=1\n",
        );
    }

    #[test]
    fn passes_when_set_inherited_or_not_python() {
        assert_passes(
            &PythonEnvDefaults,
            "FROM python:3.9-slim\nENV PYTHONUNBUFFERED=1 \\\n    PYTHONDONTWRITEBYTECODE=1 \\\n    PIP_NO_CACHE_DIR=1\n",
        );
        assert_passes(
            &PythonEnvDefaults,
            "FROM python:3.12 AS base\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nFROM base\nCMD [\"python\"]\n",
        );
        assert_passes(&PythonEnvDefaults, "FROM python:3.12\nCMD [\"python3\", \"-uB\", \"app.py\"]\n");
        assert_passes(&PythonEnvDefaults, "FROM node:22\nCMD [\"node\", \"server.js\"]\n");
        assert_passes(
            &PythonEnvDefaults,
            "FROM node:22\nRUN apt-get install -y python3 make g++\nCMD [\"node\", \"server.js\"]\n",
        );
        assert_passes(
            &PythonEnvDefaults,
            "FROM python:3.12 AS build\nRUN pip wheel .\nFROM gcr.io/distroless/static-debian12\n",
        );
    }
}
