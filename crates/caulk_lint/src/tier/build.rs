//! What the tiers share: build stages that install dependencies or compile the program, and the
//! program's command line translated for each language's runtime image.

use caulk_syntax::shell::basename;

use super::NotPossible;
use super::detect::{App, Deps};
use super::out::Out;
use crate::packages;

/// Console scripts of Python servers, and the module `python -m` runs them as.
const PYTHON_MODULES: &[(&str, &str)] = &[
    ("gunicorn", "gunicorn"),
    ("uvicorn", "uvicorn"),
    ("flask", "flask"),
    ("hypercorn", "hypercorn"),
    ("waitress-serve", "waitress"),
    ("celery", "celery"),
    ("streamlit", "streamlit"),
    ("fastapi", "fastapi"),
];

/// Where a distroless Python image finds the dependencies the build stage installed.
pub(crate) const PYTHON_SITE: &str = "/opt/site-packages";

fn no_command(app: &App) -> NotPossible {
    NotPossible::new(format!(
        "the Dockerfile runs no program (no CMD or ENTRYPOINT), so caulk cannot tell how to start this {} program; add `CMD [\"program\", \"arg\"]` and run caulk again",
        app.language.name()
    ))
}

/// The Python command, split as the user split it (ENTRYPOINT words, CMD words).
pub(crate) fn python_hardened(app: &App) -> Result<(Vec<String>, Vec<String>), NotPossible> {
    if app.argv.is_empty() {
        return Err(no_command(app));
    }
    Ok(split(app))
}

/// The arguments for a distroless image whose entrypoint is the interpreter: the script and its
/// arguments, or `-m <module>` for a server's console script.
pub(crate) fn python_distroless(app: &App, notes: &mut Vec<String>) -> Result<Vec<String>, NotPossible> {
    let program = app.program().ok_or_else(|| no_command(app))?;
    let rest = app.argv.get(1..).unwrap_or(&[]).to_vec();
    if packages::is_python(program) {
        return Ok(rest);
    }
    if program.ends_with(".sh") || matches!(program, "sh" | "bash") {
        return Err(NotPossible::new(format!(
            "the program is started by the shell script `{program}`, and a distroless image has no shell; start Python directly (`CMD [\"python\", \"app.py\"]`) or use --tier hardened"
        )));
    }
    let module = match PYTHON_MODULES.iter().find(|(script, _)| *script == program) {
        Some((_, m)) => (*m).to_owned(),
        None => {
            notes.push(format!(
                "`{program}` is run as `python3 -m {program}` (distroless has no console-script launchers): check the module name"
            ));
            program.replace('-', "_")
        }
    };
    let mut args = vec!["-m".to_owned(), module];
    args.extend(rest);
    Ok(args)
}

/// ENTRYPOINT and CMD words as the original split them.
pub(crate) fn split(app: &App) -> (Vec<String>, Vec<String>) {
    let n = app.entrypoint_words.min(app.argv.len());
    (app.argv.get(..n).unwrap_or(&[]).to_vec(), app.argv.get(n..).unwrap_or(&[]).to_vec())
}

/// The Node.js command as `node` arguments (script first). `npm start` and friends are resolved
/// through package.json; `None` when the start script is more than `node <file> …`.
pub(crate) fn node_args(app: &App, notes: &mut Vec<String>) -> Result<Option<Vec<String>>, NotPossible> {
    let script_of = |name: &str| {
        app.package_json
            .as_ref()
            .and_then(|p| p.get("scripts"))
            .and_then(|s| s.get(name))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let argv: Vec<&str> = app.argv.iter().map(String::as_str).collect();
    let script = match argv.as_slice() {
        [] => {
            let main = app.package_json.as_ref().and_then(|p| p.get("main")).and_then(serde_json::Value::as_str);
            match (script_of("start"), main) {
                (Some(s), _) => Some(("start".to_owned(), s)),
                (None, Some(m)) => {
                    notes.push(format!("the original set no command; the rewrite runs package.json's main, `{m}`"));
                    return Ok(Some(vec![m.to_owned()]));
                }
                (None, None) => return Err(no_command(app)),
            }
        }
        [p, rest @ ..] if matches!(basename(p), "node" | "nodejs") => {
            return Ok(Some(rest.iter().map(|s| (*s).to_owned()).collect()));
        }
        [p, "start"] if matches!(basename(p), "npm" | "yarn" | "pnpm") => {
            script_of("start").map(|s| ("start".to_owned(), s))
        }
        [p, "run" | "run-script", name] if matches!(basename(p), "npm" | "yarn" | "pnpm") => {
            script_of(name).map(|s| ((*name).to_owned(), s))
        }
        [p, name] if basename(p) == "yarn" => script_of(name).map(|s| ((*name).to_owned(), s)),
        _ => return Ok(None),
    };
    let Some((name, text)) = script else { return Ok(None) };
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain = words.iter().all(|w| !w.contains(['&', '|', ';', '$', '>', '<', '`', '"', '\'']));
    match words.as_slice() {
        [node, rest @ ..] if plain && matches!(*node, "node" | "nodejs") && !rest.is_empty() => {
            notes.push(format!(
                "the `{name}` script (`{text}`) is run with node directly: npm as PID 1 does not pass signals on"
            ));
            Ok(Some(rest.iter().map(|s| (*s).to_owned()).collect()))
        }
        _ => Ok(None),
    }
}

/// Whether package.json declares production dependencies.
pub(crate) fn node_has_dependencies(app: &App) -> bool {
    app.package_json
        .as_ref()
        .and_then(|p| p.get("dependencies"))
        .and_then(serde_json::Value::as_object)
        .is_some_and(|d| !d.is_empty())
}

/// The npm install step (manifests copied, production dependencies installed, cache cleaned).
pub(crate) fn npm_install(out: &mut Out, app: &App) {
    let lockfile = matches!(app.deps, Deps::Npm { lockfile: true });
    if lockfile {
        out.line("COPY package.json package-lock.json ./");
        out.line("RUN npm ci --omit=dev \\\n    && npm cache clean --force");
    } else {
        out.line("COPY package.json ./");
        out.line("RUN npm install --omit=dev \\\n    && npm cache clean --force");
    }
}

/// The pip install step for `deps`; `target` installs into a directory (for distroless).
/// Returns false when the step needs the application copied first (a project install).
pub(crate) fn pip_install(out: &mut Out, deps: &Deps, target: Option<&str>) {
    let into = target.map(|t| format!("--target={t} ")).unwrap_or_default();
    match deps {
        Deps::Requirements(file) => {
            let dest = if file.contains('/') { file.clone() } else { "./".to_owned() };
            out.line(format!("COPY {file} {dest}"));
            out.line(format!("RUN pip install --no-cache-dir {into}-r {file}"));
        }
        Deps::PipPackages(pkgs) => {
            let words: Vec<String> = pkgs.iter().map(|p| super::out::shell_word(p)).collect();
            out.line(format!("RUN pip install --no-cache-dir {into}{}", words.join(" ")));
        }
        Deps::PythonProject => out.line(format!("RUN pip install --no-cache-dir {into}.")),
        _ => {}
    }
}

/// The program's arguments after the binary, for Go and Rust.
pub(crate) fn binary_args(app: &App, notes: &mut Vec<String>) -> Vec<String> {
    let Some(program) = app.program() else { return Vec::new() };
    if program == app.binary {
        return app.argv.get(1..).unwrap_or(&[]).to_vec();
    }
    notes.push(format!(
        "the original ran `{}`; the rewrite runs the built binary `{}` instead",
        app.argv.join(" "),
        app.binary
    ));
    Vec::new()
}

/// Go: the build stage; the binary ends up at `/out/<binary>`. `scratch_files` also writes the
/// passwd and group entries for the non-root user of a scratch image.
pub(crate) fn go_build(out: &mut Out, app: &App, version: &str, scratch_files: bool) {
    out.line(format!("FROM golang:{version}-alpine AS build"));
    out.line("ENV CGO_ENABLED=0");
    out.line(format!("WORKDIR {}", app.workdir));
    let sum = matches!(app.deps, super::detect::Deps::GoModules { sum: true });
    out.line(if sum { "COPY go.mod go.sum ./" } else { "COPY go.mod ./" });
    out.line("RUN go mod download");
    for c in &app.copies {
        out.line(c.render(None));
    }
    out.line(format!("RUN go build -trimpath -ldflags=\"-s -w\" -o /out/{} {}", app.binary, app.go_package));
    if scratch_files {
        user_files(out);
    }
}

/// Rust: the build stage on `image`; the binary ends up at `/out/<binary>`.
pub(crate) fn rust_build(out: &mut Out, app: &App, image: &str, scratch_files: bool) {
    out.line(format!("FROM {image} AS build"));
    out.line(format!("WORKDIR {}", app.workdir));
    for c in &app.copies {
        out.line(c.render(None));
    }
    let locked = if matches!(app.deps, Deps::Cargo { lockfile: true }) { " --locked" } else { "" };
    out.line(format!(
        "RUN cargo build --release{locked} \\\n    && mkdir -p /out \\\n    && cp target/release/{bin} /out/{bin}",
        bin = app.binary
    ));
    if scratch_files {
        user_files(out);
    }
}

/// Java: the build stage for JDK `version`; the jar ends up at `/out/app.jar`.
pub(crate) fn java_build(out: &mut Out, app: &App, version: &str) {
    let (image, build, jar) = match app.deps {
        Deps::Gradle { wrapper } => (
            format!("gradle:8-jdk{version}"),
            format!("{} --no-daemon build", if wrapper { "./gradlew" } else { "gradle" }),
            None,
        ),
        _ => (format!("maven:3.9-eclipse-temurin-{version}"), "mvn -B -ntp package".to_owned(), app.jar.clone()),
    };
    out.line(format!("FROM {image} AS build"));
    out.line(format!("WORKDIR {}", app.workdir));
    for c in &app.copies {
        out.line(c.render(None));
    }
    let copy = match jar {
        Some(j) => format!("cp {j} /out/app.jar"),
        None => {
            let dir = if matches!(app.deps, Deps::Gradle { .. }) { "build/libs" } else { "target" };
            format!(
                "cp \"$(ls {dir}/*.jar | grep -v -e '-plain.jar$' -e '-sources.jar$' -e '-javadoc.jar$' -e '/original-' | head -n 1)\" /out/app.jar"
            )
        }
    };
    out.line(format!("RUN {build} \\\n    && mkdir -p /out \\\n    && {copy}"));
}

/// The JVM options and the program arguments around `-jar` in the original command.
pub(crate) fn java_args(app: &App, notes: &mut Vec<String>) -> (Vec<String>, Vec<String>) {
    if app.program() != Some("java") {
        if !app.argv.is_empty() {
            notes.push(format!(
                "the original ran `{}`; the rewrite runs the packaged jar with `java -jar`",
                app.argv.join(" ")
            ));
        }
        return (Vec::new(), Vec::new());
    }
    let rest = app.argv.get(1..).unwrap_or(&[]);
    match rest.iter().position(|a| a == "-jar") {
        Some(j) => (rest.get(..j).unwrap_or(&[]).to_vec(), rest.get(j + 2..).unwrap_or(&[]).to_vec()),
        None => {
            notes.push(format!(
                "the original ran `{}` without `-jar`; the rewrite runs the packaged jar with `java -jar`, so its manifest needs a Main-Class",
                app.argv.join(" ")
            ));
            (Vec::new(), Vec::new())
        }
    }
}

/// passwd and group files with the unprivileged user 65532, for a scratch image to copy.
fn user_files(out: &mut Out) {
    out.line(
        "RUN mkdir -p /out/etc \\\n    && echo 'nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin' > /out/etc/passwd \\\n    && echo 'nonroot:x:65532:' > /out/etc/group",
    );
}
