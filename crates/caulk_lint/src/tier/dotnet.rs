//! .NET specifics of the tiers: finding the project file in the build context and reading its
//! target framework, assembly name and SDK, the ports ASP.NET Core listens on, and the publish
//! stage every .NET tier starts with.

use std::path::Path;

use caulk_syntax::dockerfile::ImageRef;
use caulk_syntax::shell::Command;

use super::detect::{App, CopyFiles};
use super::out::Out;

/// .NET releases (endoflife.date cycles) with `-alpine` and `-noble-chiseled` images, newest first.
pub(crate) const RELEASES: &[&str] = &["10", "9", "8"];

/// The unprivileged user every .NET 8+ image provides (`app`, `$APP_UID`).
pub(crate) const UID: &str = "1654:1654";

/// The project the tiers build, read from its `.csproj` or `.fsproj`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DotNet {
    /// The project file, relative to the build context (`backend/Backend.csproj`).
    pub(crate) project: String,
    /// The assembly the build writes (`Backend` for `Backend.dll`).
    pub(crate) assembly: String,
    /// The project uses the web SDK (`Microsoft.NET.Sdk.Web`), so it runs on the ASP.NET Core image.
    pub(crate) web: bool,
    /// The .NET release `<TargetFramework>` names, as an endoflife.date cycle (`net10.0` → `10`).
    pub(crate) version: Option<String>,
}

impl DotNet {
    /// The directory of the project file, with a trailing `/` (`./` at the context root).
    pub(crate) fn dir(&self) -> String {
        match self.project.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => "./".to_owned(),
        }
    }
}

/// Whether `image` is one of Microsoft's .NET images (`mcr.microsoft.com/dotnet/sdk`, `…/aspnet`,
/// `…/runtime`, `…/runtime-deps`, and the older `dotnet/core/…`).
pub(crate) fn is_image(image: &ImageRef) -> bool {
    image.registry_host() == "mcr.microsoft.com"
        && image.path.starts_with("dotnet/")
        && matches!(image.name(), "sdk" | "aspnet" | "runtime" | "runtime-deps")
}

/// The .NET release an image tag names, as an endoflife.date cycle (`10.0-alpine` → `10`,
/// `3.1-focal` → `3.1`).
pub(crate) fn image_version(image: &ImageRef) -> Option<String> {
    if !is_image(image) {
        return None;
    }
    cycle(image.tag.as_deref()?.split('-').next()?)
}

/// `10.0.1` → `10`, `3.1` → `3.1` (releases from 5 on are cycles by major version).
fn cycle(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    if major >= 5 {
        return Some(major.to_string());
    }
    let minor: u32 = parts.next()?.parse().ok()?;
    Some(format!("{major}.{minor}"))
}

/// The image tag of cycle `version` (`10` → `10.0`).
pub(crate) fn tag(version: &str) -> String {
    if version.contains('.') { version.to_owned() } else { format!("{version}.0") }
}

/// The release a `<TargetFramework>` names: `net10.0` → `10`, `netcoreapp3.1` → `3.1`; `None` for
/// .NET Framework (`net48`) and .NET Standard.
fn framework_version(tfm: &str) -> Option<String> {
    let tfm = tfm.trim().to_ascii_lowercase();
    let version = tfm.strip_prefix("netcoreapp").or_else(|| tfm.strip_prefix("net").filter(|v| v.contains('.')))?;
    // `net8.0-windows` names an OS after the version
    cycle(version.split('-').next()?)
}

/// Reads the project the original builds: the project file its `dotnet publish`/`build`/`restore`
/// names, else the only project file at the context root, else the only one a directory down.
pub(crate) fn find(context: &Path, runs: &[&Command]) -> Option<DotNet> {
    let named = runs
        .iter()
        .filter(|c| c.is("dotnet"))
        .filter(|c| matches!(c.subcommand(&[]), Some("publish" | "build" | "restore")))
        .flat_map(|c| c.args().iter().map(|w| w.value.clone()).collect::<Vec<_>>())
        .find(|w| is_project_file(w) && !w.contains('$'));
    let project = named
        .map(|n| n.trim_start_matches("./").to_owned())
        .filter(|n| !n.starts_with('/') && !n.split('/').any(|p| p == "..") && context.join(n).is_file())
        .or_else(|| single_project(context))?;
    let text = super::detect::read_small(context, &project)?;
    let stem = project.rsplit('/').next().unwrap_or(&project);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let assembly = xml_value(&text, "AssemblyName").filter(|a| !a.contains("$(")).unwrap_or_else(|| stem.to_owned());
    let framework = xml_value(&text, "TargetFramework")
        .or_else(|| xml_value(&text, "TargetFrameworks").and_then(|t| t.split(';').next().map(str::to_owned)));
    Some(DotNet {
        web: sdk_is_web(&text),
        version: framework.as_deref().and_then(framework_version),
        project,
        assembly,
    })
}

fn is_project_file(name: &str) -> bool {
    name.ends_with(".csproj") || name.ends_with(".fsproj")
}

/// The only project file at the root of `context`, else the only one a directory down (in name order).
fn single_project(context: &Path) -> Option<String> {
    let files = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_project_file(n))
            .collect();
        names.sort();
        names
    };
    let root = files(context);
    if let [one] = root.as_slice() {
        return Some(one.clone());
    }
    if !root.is_empty() {
        return None;
    }
    let mut dirs: Vec<String> = std::fs::read_dir(context)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !matches!(n.as_str(), "bin" | "obj" | "node_modules"))
        .collect();
    dirs.sort();
    let found: Vec<String> =
        dirs.iter().flat_map(|d| files(&context.join(d)).into_iter().map(move |f| format!("{d}/{f}"))).collect();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Whether the project's `Sdk` is the ASP.NET Core one (`Microsoft.NET.Sdk.Web`, also as `<Sdk Name=…>`).
fn sdk_is_web(project: &str) -> bool {
    project.contains("Microsoft.NET.Sdk.Web") || project.contains("Microsoft.AspNetCore.App")
}

fn xml_value(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml.get(start..)?.find(&format!("</{tag}>"))?;
    Some(xml.get(start..start + end)?.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The ports the environment tells ASP.NET Core to listen on (`ASPNETCORE_HTTP_PORTS=8080;8081`,
/// `ASPNETCORE_URLS=http://+:8080`), in order, without duplicates.
fn env_ports(env: &[(String, String)]) -> Vec<String> {
    let mut ports = Vec::new();
    for (key, value) in env {
        let found: Vec<String> = match key.as_str() {
            "ASPNETCORE_HTTP_PORTS" | "HTTP_PORTS" | "ASPNETCORE_HTTPS_PORTS" | "HTTPS_PORTS" => {
                value.split([';', ',']).map(|p| p.trim().to_owned()).collect()
            }
            "ASPNETCORE_URLS" | "URLS" => value
                .split(';')
                .filter_map(|u| u.trim().trim_end_matches('/').rsplit_once(':').map(|(_, p)| p.to_owned()))
                .collect(),
            _ => continue,
        };
        for p in found {
            if p.parse::<u16>().is_ok() && !ports.contains(&p) {
                ports.push(p);
            }
        }
    }
    ports
}

/// Settles the ports of an ASP.NET Core program: the original's EXPOSE, else the ones its
/// environment configures, else 8080, where the .NET 8+ images listen by default. A bare
/// `EXPOSE 80` without configuration becomes 8080: that is where the program listens on .NET 8+
/// images, and the non-root user cannot bind port 80.
pub(crate) fn settle_ports(ports: &mut Vec<String>, env: &[(String, String)], web: bool, notes: &mut Vec<String>) {
    let configured = env_ports(env);
    if ports.is_empty() && !configured.is_empty() {
        ports.clone_from(&configured);
        return;
    }
    if !web || !configured.is_empty() {
        return;
    }
    if ports.is_empty() {
        ports.push("8080".to_owned());
        notes.push("no port is EXPOSEd: the rewrite EXPOSEs 8080, where ASP.NET Core listens in the .NET 8+ images (`ASPNETCORE_HTTP_PORTS`)".to_owned());
    } else if ports.iter().any(|p| p == "80" || p == "80/tcp") {
        for p in ports.iter_mut().filter(|p| *p == "80" || *p == "80/tcp") {
            "8080".clone_into(p);
        }
        ports.dedup();
        notes.push("EXPOSE 80 becomes 8080: ASP.NET Core listens on 8080 in the .NET 8+ images and a non-root user cannot bind port 80; publish it as `-p 80:8080`".to_owned());
    }
}

/// The arguments the original passes to the program after `dotnet X.dll` (or after the apphost).
pub(crate) fn program_args(app: &App, project: &DotNet, notes: &mut Vec<String>) -> Vec<String> {
    let argv: Vec<&str> = app.argv.iter().map(String::as_str).collect();
    let dll = format!("{}.dll", project.assembly);
    match argv.as_slice() {
        [] => {
            notes.push(format!("the original set no command; the rewrite runs `dotnet {dll}`"));
            Vec::new()
        }
        [dotnet, first, rest @ ..] if caulk_syntax::shell::basename(dotnet) == "dotnet" && first.ends_with(".dll") => {
            if caulk_syntax::shell::basename(first) != dll {
                notes.push(format!(
                    "the original ran `{first}`; the rewrite runs `{dll}`, the assembly `{}` builds",
                    project.project
                ));
            }
            rest.iter().map(|s| (*s).to_owned()).collect()
        }
        [program, rest @ ..] if caulk_syntax::shell::basename(program) == project.assembly => {
            rest.iter().map(|s| (*s).to_owned()).collect()
        }
        _ => {
            notes.push(format!("the original ran `{}`; the rewrite runs `dotnet {dll}` instead", app.argv.join(" ")));
            Vec::new()
        }
    }
}

/// The publish stage on `sdk` (an SDK image): the project file alone first so `dotnet restore` is
/// cached, then the sources, then a framework-dependent publish to `/out`.
pub(crate) fn build(out: &mut Out, app: &App, project: &DotNet, sdk: &str, notes: &mut Vec<String>) {
    out.line(format!("FROM {sdk} AS build"));
    out.line("WORKDIR /src");
    out.line(format!("COPY {} {}", project.project, project.dir()));
    out.line(format!("RUN dotnet restore {}", project.project));
    // the original's copies land in the build stage's working directory, as they did in its own;
    // one with an absolute destination would leave the project elsewhere, so the project's
    // directory is copied instead
    if app.copies.iter().all(|c| !c.dest.starts_with('/')) {
        for c in &app.copies {
            out.line(c.render(None));
        }
    } else {
        let dir = project.dir();
        let source = if dir == "./" { ".".to_owned() } else { dir.clone() };
        notes.push(format!(
            "the original copied its sources to an absolute path; the build stage copies `{source}` next to the project file instead: add any other directory the project references"
        ));
        out.line(CopyFiles { flags: Vec::new(), sources: vec![source], dest: dir }.render(None));
    }
    out.line(format!("RUN dotnet publish {} -c Release -o /out --no-restore -p:UseAppHost=false", project.project));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_tags_and_frameworks() {
        let v = |r: &str| ImageRef::parse(r).and_then(|r| image_version(&r));
        assert_eq!(v("mcr.microsoft.com/dotnet/sdk:10.0-alpine").as_deref(), Some("10"));
        assert_eq!(v("mcr.microsoft.com/dotnet/aspnet:8.0.11-noble-chiseled").as_deref(), Some("8"));
        assert_eq!(v("mcr.microsoft.com/dotnet/core/runtime:3.1").as_deref(), Some("3.1"));
        assert_eq!(v("mcr.microsoft.com/mssql/server:2022-latest"), None);
        assert_eq!(framework_version("net10.0").as_deref(), Some("10"));
        assert_eq!(framework_version("net8.0-windows").as_deref(), Some("8"));
        assert_eq!(framework_version("netcoreapp3.1").as_deref(), Some("3.1"));
        assert_eq!(framework_version("net48"), None);
        assert_eq!(framework_version("netstandard2.0"), None);
        assert_eq!(tag("10"), "10.0");
    }

    #[test]
    fn ports_from_the_environment() {
        let env = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        assert_eq!(env_ports(&env("ASPNETCORE_URLS", "http://+:5000;https://*:5001/")), ["5000", "5001"]);
        assert_eq!(env_ports(&env("ASPNETCORE_HTTP_PORTS", "8080;8081")), ["8080", "8081"]);
        let mut notes = Vec::new();
        let mut ports = vec!["80".to_owned()];
        settle_ports(&mut ports, &[], true, &mut notes);
        assert_eq!(ports, ["8080"]);
        let mut ports = vec!["80".to_owned()];
        settle_ports(&mut ports, &env("ASPNETCORE_URLS", "http://+:80"), true, &mut notes);
        assert_eq!(ports, ["80"], "a configured port is kept");
        let mut ports = Vec::new();
        settle_ports(&mut ports, &[], false, &mut notes);
        assert!(ports.is_empty(), "a console program listens on nothing");
    }
}
