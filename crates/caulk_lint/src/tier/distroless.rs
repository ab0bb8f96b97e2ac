//! The distroless tier: dependencies installed or the program compiled in a build stage on the
//! language's image, and a runtime stage on the distroless image that fits the language (no shell,
//! no package manager), running as the numeric non-root user 65532.

use super::build::{self, PYTHON_SITE, java_args, node_args, pip_install};
use super::detect::{App, Deps, Language};
use super::dotnet;
use super::hardened::{dotnet_project, dotnet_release, node_env, python_env};
use super::out::{Out, health_url, node_probe, python_probe, words};
use super::versions;
use super::{NotPossible, TierRewrite};

/// The Python release `gcr.io/distroless/python3-debian13` provides.
const PYTHON: &str = "3.13";
/// Node.js releases with `gcr.io/distroless/nodejs<n>-debian13` images, newest first.
const NODE_RELEASES: &[&str] = &["24", "22", "20"];
/// Java releases with `gcr.io/distroless/java<n>-debian13` images, newest first.
const JAVA_RELEASES: &[&str] = &["25", "21"];

const UID: &str = "65532:65532";

const NO_SHELL_PROBE: &str = "the distroless image has no shell or HTTP client to run a probe with, so the image declares no health check on purpose; probe the service from the orchestrator (a Kubernetes httpGet probe";

pub(crate) fn rewrite(app: &App, today: &str) -> Result<TierRewrite, NotPossible> {
    let mut notes = Vec::new();
    let mut out = Out::default();
    out.line("# Distroless by `caulk fix --tier distroless`: built in a full image, run on a distroless");
    if app.language == Language::DotNet {
        out.line("# (chiseled Ubuntu) image (no shell, no package manager) as the numeric non-root user 1654.");
    } else {
        out.line("# image (no shell, no package manager) as the numeric non-root user 65532.");
    }
    match app.language {
        Language::Python => python(&mut out, app, today, &mut notes)?,
        Language::Node => node(&mut out, app, today, &mut notes)?,
        Language::Go => go(&mut out, app, today, &mut notes)?,
        Language::Rust => rust(&mut out, app, &mut notes),
        Language::Java => java(&mut out, app, today, &mut notes)?,
        Language::DotNet => dotnet(&mut out, app, today, &mut notes)?,
    }
    Ok(TierRewrite { text: out.finish(), notes })
}

/// USER, EXPOSE of a distroless runtime stage.
fn user_and_ports(out: &mut Out, app: &App) {
    out.blank();
    out.line(format!("USER {UID}"));
    out.expose(app);
}

fn python(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    if !versions::supported("python", PYTHON, today) {
        return Err(NotPossible::new(format!(
            "Python {PYTHON}, which gcr.io/distroless/python3-debian13 provides, no longer gets security fixes; use --tier hardened"
        )));
    }
    let args = build::python_distroless(app, notes)?;
    if let Some(v) = app.version.as_deref().filter(|v| *v != PYTHON) {
        notes.push(format!(
            "the distroless Python image provides Python {PYTHON} (the original used {v}); dependencies are installed for {PYTHON}: test the program on it"
        ));
    }
    let has_deps = !matches!(app.deps, Deps::None);
    if has_deps {
        out.line(format!("FROM python:{PYTHON}-slim-trixie AS build"));
        out.line(format!("WORKDIR {}", app.workdir));
        if matches!(app.deps, Deps::PythonProject) {
            for c in &app.copies {
                out.line(c.render(None));
            }
        }
        pip_install(out, &app.deps, Some(PYTHON_SITE));
        out.blank();
    }
    out.line("FROM gcr.io/distroless/python3-debian13:nonroot");
    out.blank();
    let extra: &[(&str, &str)] = if has_deps { &[("PYTHONPATH", PYTHON_SITE)] } else { &[] };
    out.env(&python_env(app, extra));
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    if has_deps {
        out.line(format!("COPY --from=build {PYTHON_SITE} {PYTHON_SITE}"));
    }
    for c in &app.copies {
        out.line(c.render(Some(UID)));
    }
    user_and_ports(out, app);
    let (url, guess) = health_url(app, 8000);
    out.healthcheck(&python_probe("/usr/bin/python3", &url), guess.as_deref());
    out.command(&words(&["/usr/bin/python3"]), &args);
    Ok(())
}

fn node(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let args = node_args(app, notes)?.ok_or_else(|| {
        NotPossible::new(format!(
            "`{}` runs a package.json script that is more than `node <file>`, and a distroless image has no npm or shell; start node directly (`CMD [\"node\", \"server.js\"]`) or use --tier hardened",
            app.argv.join(" ")
        ))
    })?;
    let c = versions::choose("Node.js", "nodejs", app.version.as_deref(), NODE_RELEASES, today)
        .ok_or_else(|| NotPossible::new("no distroless Node.js release is supported any more; use --tier hardened"))?;
    notes.extend(c.note);
    let v = c.version;
    let has_deps = build::node_has_dependencies(app);
    if has_deps {
        out.line(format!("FROM node:{v}-trixie-slim AS build"));
        out.line(format!("WORKDIR {}", app.workdir));
        build::npm_install(out, app);
        out.blank();
    } else if app.package_json.is_some() {
        notes.push(
            "package.json declares no dependencies, so there is nothing to install and no build stage".to_owned(),
        );
    }
    out.line(format!("FROM gcr.io/distroless/nodejs{v}-debian13:nonroot"));
    out.blank();
    out.env(&node_env(app));
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    if has_deps {
        out.line(format!("COPY --from=build {}/node_modules ./node_modules", app.workdir.trim_end_matches('/')));
    }
    for c in &app.copies {
        out.line(c.render(Some(UID)));
    }
    user_and_ports(out, app);
    let (url, guess) = health_url(app, 3000);
    out.healthcheck(&node_probe("/nodejs/bin/node", &url), guess.as_deref());
    out.command(&words(&["/nodejs/bin/node"]), &args);
    Ok(())
}

fn go(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let c = versions::go(app.version.as_deref(), today)
        .ok_or_else(|| NotPossible::new("no supported Go release is known to caulk's end-of-life data"))?;
    notes.extend(c.note);
    build::go_build(out, app, &c.version, false);
    let args = build::binary_args(app, notes);
    out.blank();
    out.caulk("static-debian13 has CA certificates, tzdata and /etc/passwd, and no libc: the binary is built with CGO_ENABLED=0");
    out.line("FROM gcr.io/distroless/static-debian13:nonroot");
    binary_runtime(out, app, &args);
    Ok(())
}

fn rust(out: &mut Out, app: &App, notes: &mut Vec<String>) {
    let c = versions::rust(app.version.as_deref());
    notes.extend(c.note);
    build::rust_build(out, app, &format!("rust:{}-slim-trixie", c.version), false);
    let args = build::binary_args(app, notes);
    out.blank();
    out.caulk("cc-debian13 has glibc and libgcc for a Rust binary built on Debian 13, and nothing else");
    out.line("FROM gcr.io/distroless/cc-debian13:nonroot");
    binary_runtime(out, app, &args);
}

/// The runtime stage of a compiled program: the binary from the build stage and its command.
fn binary_runtime(out: &mut Out, app: &App, args: &[String]) {
    out.blank();
    out.env(&app.env);
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    let binary = format!("{}/{}", app.workdir.trim_end_matches('/'), app.binary);
    out.line(format!("COPY --from=build /out/{} {binary}", app.binary));
    user_and_ports(out, app);
    out.no_healthcheck(&no_shell_note(app, 8080));
    out.command(&[binary], args);
}

fn no_shell_note(app: &App, default_port: u16) -> String {
    let (url, _) = health_url(app, default_port);
    format!(
        "{NO_SHELL_PROBE} on {url}), or give the program a health-check mode and use `HEALTHCHECK CMD [\"<program>\", \"<health flag>\"]`"
    )
}

fn java(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let (jvm, args) = java_args(app, notes);
    let c = versions::choose("Java", "eclipse-temurin", app.version.as_deref(), JAVA_RELEASES, today)
        .ok_or_else(|| NotPossible::new("no distroless Java release is supported any more; use --tier hardened"))?;
    notes.extend(c.note);
    build::java_build(out, app, &c.version);
    out.blank();
    out.line(format!("FROM gcr.io/distroless/java{}-debian13:nonroot", c.version));
    out.blank();
    out.env(&app.env);
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    let jar = format!("{}/app.jar", app.workdir.trim_end_matches('/'));
    out.line(format!("COPY --from=build /out/app.jar {jar}"));
    user_and_ports(out, app);
    out.no_healthcheck(&no_shell_note(app, 8080));
    let mut entrypoint = vec!["/usr/bin/java".to_owned()];
    entrypoint.extend(jvm);
    entrypoint.extend(words(&["-jar", &jar]));
    out.command(&entrypoint, &args);
    Ok(())
}

/// .NET: published on the Ubuntu SDK image, run framework-dependent on Microsoft's chiseled Ubuntu
/// image (ASP.NET Core for the web SDK, else the runtime), the distroless images for .NET.
fn dotnet(out: &mut Out, app: &App, today: &str, notes: &mut Vec<String>) -> Result<(), NotPossible> {
    let project = dotnet_project(app)?;
    let v = dotnet_release(app, project, today, notes)?;
    let tag = dotnet::tag(&v);
    let args = dotnet::program_args(app, project, notes);
    dotnet::build(out, app, project, &format!("mcr.microsoft.com/dotnet/sdk:{tag}-noble"), notes);
    out.blank();
    out.caulk(
        "framework-dependent on the chiseled image rather than self-contained on runtime-deps: the .NET runtime comes from Microsoft's image, so its security fixes arrive by rebuilding on the patched tag, without a new publish, and the same build runs on amd64 and arm64. Chiseled images have no ICU or time zone data (invariant globalization): use the `-noble-chiseled-extra` tag if the program needs cultures or time zones",
    );
    let runtime = if project.web { "aspnet" } else { "runtime" };
    out.line(format!("FROM mcr.microsoft.com/dotnet/{runtime}:{tag}-noble-chiseled"));
    out.blank();
    out.env(&app.env);
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    out.line(format!("COPY --from=build /out/ {}/", app.workdir.trim_end_matches('/')));
    out.blank();
    out.caulk("the chiseled image already runs as `app` (UID 1654); USER says so where the image is built");
    out.line(format!("USER {}", dotnet::UID));
    out.expose(app);
    if project.web || app.port().is_some() {
        out.no_healthcheck(&no_shell_note(app, 8080));
    } else {
        out.no_healthcheck(
            "a console program (no web SDK, no port) serves nothing to probe, and the image has no shell to probe with, so it declares no health check on purpose",
        );
    }
    let mut entrypoint = words(&["/usr/share/dotnet/dotnet"]);
    entrypoint.push(format!("{}.dll", project.assembly));
    out.command(&entrypoint, &args);
    Ok(())
}
