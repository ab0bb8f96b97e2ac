//! The hardened tier: the language's slim (Debian) or Alpine image at a supported release, an
//! unprivileged user, a health check that uses the runtime itself, pinned and cache-free installs,
//! and a separate build stage when the program is compiled.

use super::build::{self, java_args, node_args, pip_install};
use super::detect::{App, Language};
use super::dotnet::{self, DotNet};
use super::out::{self, Out, health_url, node_probe, python_probe, wget_probe};
use super::versions::{self, Choice};
use super::{NotPossible, TierRewrite};

/// Python releases with `-slim-trixie` images, newest first.
pub(crate) const PYTHON_RELEASES: &[&str] = &["3.14", "3.13", "3.12", "3.11", "3.10"];
/// Node.js releases with `-alpine` images, newest first.
pub(crate) const NODE_RELEASES: &[&str] = &["24", "22", "20"];
/// Java releases with `eclipse-temurin:<n>-jre-alpine` images, newest first.
const JAVA_RELEASES: &[&str] = &["25", "21", "17", "11", "8"];

/// The unprivileged user of Debian- and Alpine-based hardened images.
const UID: &str = "10001:10001";

pub(crate) fn rewrite(app: &App, today: &str) -> Result<TierRewrite, NotPossible> {
    let mut notes = Vec::new();
    let mut out = Out::default();
    out.line("# Hardened by `caulk fix --tier hardened`: supported slim or Alpine base, non-root user,");
    out.line("# health check, dependencies from the project's manifest without caches, no SSH or download tools.");
    match app.language {
        Language::Python => python(&mut out, app, today, &mut notes)?,
        Language::Node => node(&mut out, app, today, &mut notes)?,
        Language::Go | Language::Rust => native(&mut out, app, today, &mut notes)?,
        Language::Java => java(&mut out, app, today, &mut notes)?,
        Language::DotNet => dotnet(&mut out, app, today, &mut notes)?,
    }
    Ok(TierRewrite { text: out.finish(), notes })
}

fn chosen(choice: Option<Choice>, what: &str, notes: &mut Vec<String>) -> Result<String, NotPossible> {
    let c = choice
        .ok_or_else(|| NotPossible::new(format!("no supported {what} release is known to caulk's end-of-life data")))?;
    notes.extend(c.note);
    Ok(c.version)
}

fn python(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let (entrypoint, cmd) = build::python_hardened(app)?;
    let v =
        chosen(versions::choose("Python", "python", app.version.as_deref(), PYTHON_RELEASES, today), "Python", notes)?;
    out.line(format!("FROM python:{v}-slim-trixie"));
    out.blank();
    out.env(&python_env(app, &[]));
    out.metadata(app);
    out.blank();
    out.line("RUN groupadd --system --gid 10001 app \\\n    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app");
    out.blank();
    out.line(format!("WORKDIR {}", app.workdir));
    let project = matches!(app.deps, super::detect::Deps::PythonProject);
    if !project {
        pip_install(out, &app.deps, None);
    }
    for c in &app.copies {
        out.line(c.render(Some(UID)));
    }
    if project {
        pip_install(out, &app.deps, None);
    }
    out.blank();
    out.line(format!("USER {UID}"));
    out.expose(app);
    let (url, guess) = health_url(app, 8000);
    out.healthcheck(&python_probe("python", &url), guess.as_deref());
    out.command(&entrypoint, &cmd);
    Ok(())
}

/// PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED, then the user's variables and `extra`.
pub(crate) fn python_env(app: &App, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1")]
        .iter()
        .chain(extra)
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for (k, v) in &app.env {
        env.retain(|(key, _)| key != k);
        env.push((k.clone(), v.clone()));
    }
    env
}

/// NODE_ENV=production, then the user's variables.
pub(crate) fn node_env(app: &App) -> Vec<(String, String)> {
    let mut env = vec![("NODE_ENV".to_owned(), "production".to_owned())];
    for (k, v) in &app.env {
        env.retain(|(key, _)| key != k);
        env.push((k.clone(), v.clone()));
    }
    env
}

fn node(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let args = node_args(app, notes)?;
    let (entrypoint, cmd) = match args {
        Some(a) => (Vec::new(), std::iter::once("node".to_owned()).chain(a).collect()),
        None => {
            notes.push(format!(
                "`{}` is kept as it is: its script is more than `node <file>`, and npm as PID 1 does not pass signals on; prefer `CMD [\"node\", \"server.js\"]`",
                app.argv.join(" ")
            ));
            build::split(app)
        }
    };
    let v =
        chosen(versions::choose("Node.js", "nodejs", app.version.as_deref(), NODE_RELEASES, today), "Node.js", notes)?;
    out.line(format!("FROM node:{v}-alpine"));
    out.blank();
    out.env(&node_env(app));
    out.metadata(app);
    out.blank();
    out.line(format!("WORKDIR {}", app.workdir));
    if app.package_json.is_some() {
        build::npm_install(out, app);
    }
    for c in &app.copies {
        out.line(c.render(Some("node:node")));
    }
    out.blank();
    out.caulk("`node` (uid 1000) is the unprivileged user the official image provides");
    out.line("USER node");
    out.expose(app);
    let (url, guess) = health_url(app, 3000);
    out.healthcheck(&node_probe("node", &url), guess.as_deref());
    out.command(&entrypoint, &cmd);
    Ok(())
}

/// Go and Rust: compiled in a build stage, run on Alpine.
fn native(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    if app.language == Language::Go {
        let v = chosen(versions::go(app.version.as_deref(), today), "Go", notes)?;
        build::go_build(out, app, &v, false);
    } else {
        let c = versions::rust(app.version.as_deref());
        notes.extend(c.note);
        build::rust_build(out, app, &format!("rust:{}-alpine", c.version), false);
        notes.push("the Rust program is built for musl on Alpine; crates that link C libraries need their `-dev` packages (pinned) in the build stage".to_owned());
    }
    let args = build::binary_args(app, notes);
    let alpine = versions::alpine(today)
        .ok_or_else(|| NotPossible::new("no supported Alpine Linux release is known to caulk's end-of-life data"))?;
    out.blank();
    out.line(format!("FROM alpine:{alpine}"));
    alpine_runtime(out, app);
    let binary = format!("{}/{}", app.workdir.trim_end_matches('/'), app.binary);
    out.caulk("the program is owned by root so the running user cannot replace it");
    out.line(format!("COPY --from=build /out/{} {binary}", app.binary));
    out.blank();
    out.line(format!("USER {UID}"));
    out.expose(app);
    let (url, guess) = health_url(app, 8080);
    out.healthcheck(&wget_probe(&url), guess.as_deref());
    out.command(&[binary], &args);
    Ok(())
}

/// The user, environment, metadata and working directory of an Alpine runtime stage.
fn alpine_runtime(out: &mut Out, app: &App) {
    out.line("RUN addgroup -S -g 10001 app \\\n    && adduser -S -D -H -u 10001 -G app -s /sbin/nologin app");
    out.env(&app.env);
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
}

fn java(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let (jvm, args) = java_args(app, notes);
    let v = chosen(
        versions::choose("Java", "eclipse-temurin", app.version.as_deref(), JAVA_RELEASES, today),
        "Java",
        notes,
    )?;
    build::java_build(out, app, &v);
    out.blank();
    out.line(format!("FROM eclipse-temurin:{v}-jre-alpine"));
    alpine_runtime(out, app);
    let jar = format!("{}/app.jar", app.workdir.trim_end_matches('/'));
    out.caulk("the jar is owned by root so the running user cannot replace it");
    out.line(format!("COPY --from=build /out/app.jar {jar}"));
    out.blank();
    out.line(format!("USER {UID}"));
    out.expose(app);
    let (url, guess) = health_url(app, 8080);
    out.healthcheck(&wget_probe(&url), guess.as_deref());
    let mut entrypoint = vec!["java".to_owned()];
    entrypoint.extend(jvm);
    entrypoint.extend(out::words(&["-jar", &jar]));
    out.command(&entrypoint, &args);
    Ok(())
}

/// The .NET release to build and run on: the project's when supported and imaged, else the smallest
/// supported move, with a note to retarget the project when it changes.
pub(crate) fn dotnet_release(
    app: &App,
    project: &DotNet,
    today: &str,
    notes: &mut Vec<String>,
) -> Result<String, NotPossible> {
    let v = chosen(versions::choose(".NET", "dotnet", app.version.as_deref(), dotnet::RELEASES, today), ".NET", notes)?;
    if project.version.as_deref().is_some_and(|p| p != v) {
        notes.push(format!(
            "`{}` targets .NET {}: set `<TargetFramework>net{}</TargetFramework>` in it, or the program will not start on the .NET {v} runtime",
            project.project,
            project.version.as_deref().unwrap_or_default(),
            dotnet::tag(&v)
        ));
    }
    Ok(v)
}

/// The project of a .NET app (detection refuses .NET without one).
pub(crate) fn dotnet_project(app: &App) -> Result<&DotNet, NotPossible> {
    app.dotnet.as_ref().ok_or_else(|| NotPossible::new("the build context has no .NET project file"))
}

/// .NET: published on the Alpine SDK image, run on the Alpine ASP.NET Core (web SDK) or runtime image.
fn dotnet(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let project = dotnet_project(app)?;
    let v = dotnet_release(app, project, today, notes)?;
    let tag = dotnet::tag(&v);
    let args = dotnet::program_args(app, project, notes);
    dotnet::build(out, app, project, &format!("mcr.microsoft.com/dotnet/sdk:{tag}-alpine"), notes);
    out.blank();
    let runtime = if project.web { "aspnet" } else { "runtime" };
    out.line(format!("FROM mcr.microsoft.com/dotnet/{runtime}:{tag}-alpine"));
    out.env(&app.env);
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    out.caulk("the published files are owned by root so the running user cannot replace them");
    out.line(format!("COPY --from=build /out/ {}/", app.workdir.trim_end_matches('/')));
    out.blank();
    out.caulk("`app` (UID 1654, `$APP_UID`) is the unprivileged user the .NET images provide");
    out.line(format!("USER {}", dotnet::UID));
    out.expose(app);
    if project.web || app.port().is_some() {
        let (url, guess) = health_url(app, 8080);
        out.healthcheck(&wget_probe(&url), guess.as_deref());
    } else {
        out.no_healthcheck(
            "a console program (no web SDK, no port) serves nothing to probe, so the image declares no health check on purpose",
        );
    }
    let mut entrypoint = out::words(&["dotnet"]);
    entrypoint.push(format!("{}.dll", project.assembly));
    out.command(&entrypoint, &args);
    Ok(())
}
