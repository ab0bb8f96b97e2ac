//! Tests of the tier rewriters on small projects written to temporary directories: detection,
//! each tier per language, refusals with their reasons, and that every rewrite lints clean.

use caulk_core::Severity;
use caulk_syntax::dockerfile::{Body, CommandLine, Keyword, parse};

use super::detect::{Deps, Language, detect};
use super::{Tier, rewrite};
use crate::settings::LintSettings;

const TODAY: &str = "2026-11-22";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("write: {e}"));
    }
    dir
}

fn tier(files: &[(&str, &str)], t: Tier) -> Result<super::TierRewrite, super::NotPossible> {
    let dir = project(files);
    let df = files.iter().find(|(n, _)| *n == "Dockerfile").map_or("", |(_, t)| *t);
    rewrite(df, dir.path(), t, TODAY)
}

/// The rewrite, asserting it lints with nothing at medium or above.
fn clean(files: &[(&str, &str)], t: Tier) -> String {
    let r = tier(files, t).unwrap_or_else(|e| panic!("{t:?} not possible: {e}"));
    let settings = LintSettings { today: TODAY.to_owned(), ..LintSettings::default() };
    let bad: Vec<String> = crate::check_dockerfile(&r.text, &settings)
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Medium)
        .map(|d| format!("{} {}", d.rule.code, d.message))
        .collect();
    assert!(bad.is_empty(), "{t:?} rewrite has findings {bad:?}:\n{}", r.text);
    r.text
}

/// (keyword, args text) of every instruction.
fn instructions(text: &str) -> Vec<(Keyword, String)> {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}\n{text}", parsed.errors);
    parsed.ast.instructions.iter().map(|i| (i.keyword, i.args_text.trim().to_owned())).collect()
}

fn froms(text: &str) -> Vec<String> {
    instructions(text).into_iter().filter(|(k, _)| *k == Keyword::From).map(|(_, a)| a).collect()
}

/// The exec-form words of the last `keyword` instruction.
fn exec_of(text: &str, keyword: Keyword) -> Vec<String> {
    let parsed = parse(text);
    let inst = parsed.ast.instructions.iter().rev().find(|i| i.keyword == keyword);
    match inst.map(|i| &i.body) {
        Some(
            Body::Command(CommandLine::Exec { args, .. }) | Body::Healthcheck(Some(CommandLine::Exec { args, .. })),
        ) => args.iter().map(|a| a.value.clone()).collect(),
        other => panic!("no exec-form {keyword:?}: {other:?}\n{text}"),
    }
}

const ML_SERVICE: &str = "FROM ubuntu:18.04\nRUN apt-get update && apt-get install -y python3-pip curl openssh-server\nRUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip3 install flask requests\nCOPY app.py .\nENV API_TOKEN=s3cr3t-value MODE=prod\nEXPOSE 22 5000\nUSER root\nCMD [\"sh\", \"-c\", \"python3 app.py\"]\n";
const ML_APP: &str = "@app.get(\"/health\")\ndef health():\n    return 'ok'\n";

fn ml_files() -> Vec<(&'static str, &'static str)> {
    vec![("Dockerfile", ML_SERVICE), ("requirements.txt", "flask==3.1.0\nrequests\n"), ("app.py", ML_APP)]
}

#[test]
fn detects_the_program_behind_a_shell_wrapper_on_a_plain_os_image() {
    let dir = project(&ml_files());
    let app = detect(ML_SERVICE, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(app.language, Language::Python);
    assert_eq!(app.version, None);
    assert_eq!(app.argv, ["python3", "app.py"]);
    assert_eq!(app.ports, ["5000"]);
    assert_eq!(app.workdir, "/app");
    assert_eq!(app.deps, Deps::Requirements("requirements.txt".to_owned()));
    assert_eq!(app.health_path.as_deref(), Some("/health"));
    assert_eq!(app.env, [("MODE".to_owned(), "prod".to_owned())], "the token is dropped");
    let notes = app.notes.join("\n");
    for expected in
        ["EXPOSE 22", "PermitRootLogin", "`openssh-server`", "`requests` without a version pin", "API_TOKEN"]
    {
        assert!(notes.contains(expected), "missing {expected:?} in:\n{notes}");
    }
}

#[test]
fn hardened_python_is_slim_non_root_and_health_checked() {
    let text = clean(&ml_files(), Tier::Hardened);
    assert_eq!(froms(&text).len(), 1);
    assert!(froms(&text)[0].starts_with("python:3.") && froms(&text)[0].ends_with("-slim-trixie"), "{text}");
    let inst = instructions(&text);
    let last_run = inst.iter().rposition(|(k, _)| *k == Keyword::Run);
    let user = inst.iter().rposition(|(k, _)| *k == Keyword::User);
    assert!(user > last_run, "USER must follow the last RUN:\n{text}");
    assert!(inst.iter().any(|(k, a)| *k == Keyword::Run && a == "pip install --no-cache-dir -r requirements.txt"));
    assert!(text.contains("\nCOPY --chown=10001:10001 app.py .\n"), "{text}");
    assert!(!text.contains("ssh") && !text.contains("curl"), "{text}");
    assert_eq!(exec_of(&text, Keyword::Cmd), ["python3", "app.py"]);
    assert!(text.contains("http://127.0.0.1:5000/health"), "{text}");
    assert!(inst.iter().any(|(k, a)| *k == Keyword::Env && a.contains("MODE=prod")));
}

#[test]
fn distroless_python_installs_in_a_build_stage() {
    let text = clean(&ml_files(), Tier::Distroless);
    assert_eq!(froms(&text), ["python:3.13-slim-trixie AS build", "gcr.io/distroless/python3-debian13:nonroot"]);
    assert!(text.contains("COPY --from=build /opt/site-packages /opt/site-packages"));
    assert!(text.contains("USER 65532:65532"));
    assert_eq!(exec_of(&text, Keyword::Entrypoint), ["/usr/bin/python3"]);
    assert_eq!(exec_of(&text, Keyword::Cmd), ["app.py"]);
    // the probe runs without a shell
    assert_eq!(exec_of(&text, Keyword::Healthcheck).first().map(String::as_str), Some("/usr/bin/python3"));
}

#[test]
fn console_scripts_become_modules_on_distroless() {
    let files = [
        (
            "Dockerfile",
            "FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\nRUN pip install -r requirements.txt\nCMD gunicorn -b 0.0.0.0:8000 app:app\n",
        ),
        ("requirements.txt", "gunicorn==23.0.0\n"),
        ("app.py", "app = None\n"),
    ];
    let text = clean(&files, Tier::Distroless);
    assert_eq!(exec_of(&text, Keyword::Cmd), ["-m", "gunicorn", "-b", "0.0.0.0:8000", "app:app"]);
    let hardened = clean(&files, Tier::Hardened);
    assert!(froms(&hardened)[0].starts_with("python:3.12-"), "a supported version is kept: {hardened}");
    assert_eq!(exec_of(&hardened, Keyword::Cmd), ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]);
    // no port is exposed: the health check is a guess and says so
    assert!(hardened.contains("# caulk: no port is EXPOSEd"), "{hardened}");
}

const NODE_DF: &str = "FROM node:18\nWORKDIR /usr/src/app\nCOPY package*.json ./\nRUN npm install\nCOPY . .\nEXPOSE 3000\nCMD npm start\n";

fn node_files(start: &'static str, deps: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("Dockerfile", NODE_DF.to_owned()),
        ("package.json", format!("{{\"name\":\"x\",\"scripts\":{{\"start\":\"{start}\"}},\"dependencies\":{deps}}}")),
        ("package-lock.json", "{\"lockfileVersion\":3}".to_owned()),
        ("server.js", "app.get('/healthz', h)\n".to_owned()),
    ]
}

fn borrowed<'a>(files: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    files.iter().map(|(n, t)| (*n, t.as_str())).collect()
}

#[test]
fn node_runs_the_start_script_with_node() {
    let files = node_files("node server.js --quiet", "{\"express\":\"4.21.2\"}");
    let files = borrowed(&files);
    let hardened = clean(&files, Tier::Hardened);
    assert_eq!(froms(&hardened), ["node:22-alpine"], "18 is past end of life; 22 is the smallest supported move");
    assert!(hardened.contains("RUN npm ci --omit=dev"));
    assert_eq!(exec_of(&hardened, Keyword::Cmd), ["node", "server.js", "--quiet"]);
    assert!(hardened.contains("USER node"));
    let distroless = clean(&files, Tier::Distroless);
    assert_eq!(froms(&distroless), ["node:22-trixie-slim AS build", "gcr.io/distroless/nodejs22-debian13:nonroot"]);
    assert!(distroless.contains("COPY --from=build /usr/src/app/node_modules ./node_modules"));
    assert_eq!(exec_of(&distroless, Keyword::Entrypoint), ["/nodejs/bin/node"]);
    assert_eq!(exec_of(&distroless, Keyword::Cmd), ["server.js", "--quiet"]);
    assert!(distroless.contains("http://127.0.0.1:3000/healthz"));
}

#[test]
fn node_start_scripts_that_need_a_shell_are_refused_on_distroless() {
    let files = node_files("npm run build && node dist/server.js", "{}");
    let files = borrowed(&files);
    let err = tier(&files, Tier::Distroless).err().map(|e| e.reason).unwrap_or_default();
    assert!(err.contains("no npm or shell"), "{err}");
    let hardened = clean(&files, Tier::Hardened);
    assert_eq!(exec_of(&hardened, Keyword::Cmd), ["npm", "start"]);
    let err = tier(&files, Tier::Scratch).err().map(|e| e.reason).unwrap_or_default();
    assert!(err.contains("needs the node runtime"), "{err}");
}

const GO_DF: &str = "FROM golang:1.21\nWORKDIR /app\nCOPY . .\nRUN go build -o server ./cmd/server\nEXPOSE 8080\nCMD [\"./server\", \"-v\"]\n";

fn go_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Dockerfile", GO_DF),
        ("go.mod", "module example.com/svc\n\ngo 1.22\n"),
        ("cmd/server/main.go", "package main\n// serves \"/healthz\"\n"),
    ]
}

#[test]
fn go_builds_a_static_binary_for_every_tier() {
    for t in [Tier::Hardened, Tier::Distroless, Tier::Scratch] {
        let text = clean(&go_files(), t);
        let f = froms(&text);
        assert_eq!(f.len(), 2, "{text}");
        assert!(f[0].starts_with("golang:1.") && f[0].ends_with("-alpine AS build"), "{text}");
        assert!(text.contains("go build -trimpath -ldflags=\"-s -w\" -o /out/server ./cmd/server"), "{text}");
        assert!(text.contains("COPY --from=build /out/server /app/server"));
        assert_eq!(exec_of(&text, Keyword::Entrypoint), ["/app/server"]);
        assert_eq!(exec_of(&text, Keyword::Cmd), ["-v"]);
        match t {
            Tier::Hardened => {
                assert!(f[1].starts_with("alpine:3."), "{text}");
                assert!(text.contains("\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:8080/healthz\""), "{text}");
            }
            Tier::Distroless => assert_eq!(f[1], "gcr.io/distroless/static-debian13:nonroot"),
            Tier::Scratch => {
                assert_eq!(f[1], "scratch");
                assert!(text.contains("/etc/ssl/certs/ca-certificates.crt") && text.contains("/out/etc/passwd"));
                assert!(text.contains("HEALTHCHECK NONE") && text.contains("# caulk: scratch has no shell"));
            }
        }
    }
}

#[test]
fn java_and_rust_build_in_a_stage_and_scratch_refuses_the_jvm() {
    let java = [
        (
            "Dockerfile",
            "FROM maven:3.8-openjdk-17\nWORKDIR /app\nCOPY . .\nRUN mvn package\nEXPOSE 8080\nCMD java -Xmx256m -jar target/app-1.0.jar --verbose\n",
        ),
        ("pom.xml", "<project><artifactId>app</artifactId><version>1.0</version></project>"),
    ];
    let text = clean(&java, Tier::Hardened);
    assert_eq!(froms(&text), ["maven:3.9-eclipse-temurin-17 AS build", "eclipse-temurin:17-jre-alpine"]);
    assert!(text.contains("cp target/app-1.0.jar /out/app.jar"));
    assert_eq!(exec_of(&text, Keyword::Entrypoint), ["java", "-Xmx256m", "-jar", "/app/app.jar"]);
    assert_eq!(exec_of(&text, Keyword::Cmd), ["--verbose"]);
    let text = clean(&java, Tier::Distroless);
    assert_eq!(froms(&text)[1], "gcr.io/distroless/java21-debian13:nonroot", "17 has no debian13 image");
    assert!(text.contains("HEALTHCHECK NONE"));
    let err = tier(&java, Tier::Scratch).err().map(|e| e.reason).unwrap_or_default();
    assert!(err.contains("needs a JVM"), "{err}");

    let rust = [
        ("Dockerfile", "FROM rust:1.75\nWORKDIR /src\nCOPY . .\nRUN cargo install --path .\nCMD [\"svc\"]\n"),
        ("Cargo.toml", "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n"),
        ("Cargo.lock", "version = 4\n"),
    ];
    let text = clean(&rust, Tier::Distroless);
    assert_eq!(froms(&text), ["rust:1.91-slim-trixie AS build", "gcr.io/distroless/cc-debian13:nonroot"]);
    assert!(text.contains("cargo build --release --locked"));
    let text = clean(&rust, Tier::Scratch);
    assert_eq!(froms(&text), ["rust:1.91-alpine AS build", "scratch"]);
    assert_eq!(exec_of(&text, Keyword::Entrypoint), ["/src/svc"]);
}

#[test]
fn refuses_what_exec_form_cannot_express() {
    let mut files = ml_files();
    files[0] = ("Dockerfile", "FROM python:3.12\nCOPY app.py .\nCMD python app.py --port $PORT\n");
    let err = tier(&files, Tier::Hardened).err().map(|e| e.reason).unwrap_or_default();
    assert!(err.contains("expands `$PORT`"), "{err}");
    files[0] = ("Dockerfile", "FROM python:3.12\nCOPY app.py .\nCMD python migrate.py && python app.py\n");
    let err = tier(&files, Tier::Hardened).err().map(|e| e.reason).unwrap_or_default();
    assert!(err.contains("is a shell script"), "{err}");
    files[0] = ("Dockerfile", "FROM python:3.12\nCOPY app.py .\n");
    let err = tier(&files, Tier::Distroless).err().map(|e| e.reason).unwrap_or_default();
    assert!(err.contains("runs no program"), "{err}");
    let err = tier(&[("Dockerfile", "FROM debian:13\nCMD [\"/usr/bin/app\"]\n")], Tier::Hardened)
        .err()
        .map(|e| e.reason)
        .unwrap_or_default();
    assert!(err.contains("cannot tell which language"), "{err}");
    let err = tier(&ml_files(), Tier::Scratch).err().map(|e| e.reason).unwrap_or_default();
    assert_eq!(
        err,
        "a Python program needs the interpreter and its standard library at run time, which scratch does not have; use --tier distroless"
    );
}

#[test]
fn cd_before_the_program_becomes_the_workdir() {
    let mut files = ml_files();
    files[0] = ("Dockerfile", "FROM python:3.12\nCOPY app.py /srv/app/\nCMD cd /srv/app && exec python app.py\n");
    let text = clean(&files, Tier::Hardened);
    assert!(text.contains("WORKDIR /srv/app"), "{text}");
    assert_eq!(exec_of(&text, Keyword::Cmd), ["python", "app.py"]);
}

#[test]
fn entrypoint_and_cmd_combine_as_buildkit_does() {
    let dir = project(&ml_files());
    let app = |df: &str| detect(df, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let a = app("FROM python:3.12\nCMD [\"app.py\"]\nENTRYPOINT [\"python\"]\n");
    assert_eq!((a.argv.as_slice(), a.entrypoint_words), (["python", "app.py"].map(String::from).as_slice(), 1));
    let a = app("FROM python:3.12 AS base\nCMD [\"app.py\"]\nFROM base\nENTRYPOINT [\"python\", \"other.py\"]\n");
    assert_eq!(a.argv, ["python", "other.py"], "a parent stage's CMD is reset by ENTRYPOINT");
    let a = app("FROM python:3.12\nENTRYPOINT python app.py\nCMD [\"ignored\"]\n");
    assert_eq!(a.argv, ["python", "app.py"], "a shell-form ENTRYPOINT ignores CMD");
}

#[test]
fn named_pip_packages_stay_one_shell_word_each() {
    // A version range written quoted in the original must not become a shell redirection, and
    // pip's own tooling (even with a specifier) is not carried over as an app dependency.
    let df = "FROM python:3.12\nRUN pip install 'setuptools>=70' 'wheel<0.46' 'flask==3.0.3' \"gunicorn==22.0.0\"\n\
              COPY app.py /app/\nWORKDIR /app\nCMD [\"gunicorn\", \"app:app\"]\n";
    let r = tier(&[("Dockerfile", df), ("app.py", "app = None\n")], Tier::Hardened)
        .unwrap_or_else(|e| panic!("not possible: {e}"));
    let run = instructions(&r.text)
        .into_iter()
        .find(|(k, a)| *k == Keyword::Run && a.contains("pip install"))
        .map(|(_, a)| a)
        .unwrap_or_default();
    assert!(run.ends_with("flask==3.0.3 gunicorn==22.0.0"), "{run}");
    assert!(!run.contains("wheel") && !run.contains("setuptools"), "{run}");
    assert_eq!(super::out::shell_word("pkg<2"), "'pkg<2'");
    assert_eq!(super::out::shell_word("it's"), r"'it'\''s'");
    assert_eq!(super::out::shell_word("flask[async]==3.0"), "'flask[async]==3.0'");
}

const DOTNET_DF: &str = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/Shop.Api/Shop.Api.csproj src/Shop.Api/\nRUN dotnet restore src/Shop.Api/Shop.Api.csproj\nCOPY . .\nRUN dotnet publish src/Shop.Api/Shop.Api.csproj -c Release -o /app\n\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /app .\nEXPOSE 80\nENTRYPOINT [\"dotnet\", \"Shop.Api.dll\", \"--urls\", \"http://+:8080\"]\n";
const WEB_CSPROJ: &str = "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n    <AssemblyName>Shop</AssemblyName>\n  </PropertyGroup>\n</Project>\n";

fn dotnet_files(csproj: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Dockerfile", DOTNET_DF),
        ("src/Shop.Api/Shop.Api.csproj", csproj),
        // a second project the publish command does not name
        ("src/Shop.Tests/Shop.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n"),
        ("src/Shop.Api/Program.cs", "app.MapGet(\"/healthz\", () => \"ok\");\n"),
    ]
}

#[test]
fn detects_dotnet_from_the_project_the_publish_names() {
    let dir = project(&dotnet_files(WEB_CSPROJ));
    let app = detect(DOTNET_DF, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(app.language, Language::DotNet);
    assert_eq!(app.version.as_deref(), Some("10"), "the target framework wins over the image's 8.0");
    let p = app.dotnet.clone().unwrap_or_else(|| panic!("no project"));
    assert_eq!(p.project, "src/Shop.Api/Shop.Api.csproj");
    assert_eq!(p.assembly, "Shop", "<AssemblyName> names the dll");
    assert!(p.web);
    assert_eq!(app.ports, ["8080"], "EXPOSE 80 is where .NET 8+ does not listen");
    assert_eq!(app.health_path.as_deref(), Some("/healthz"));
    // the project file alone is a manifest: the tier restores it itself
    assert!(app.copies.iter().all(|c| c.sources != ["src/Shop.Api/Shop.Api.csproj"]), "{:?}", app.copies);

    // a console project: no AssemblyName means the file name; the image version when no framework is read
    let console = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>";
    let dir = project(&[("Worker.fsproj", console)]);
    let df = "FROM mcr.microsoft.com/dotnet/runtime:9.0\nCOPY . /app\nWORKDIR /app\nENTRYPOINT [\"dotnet\", \"Worker.dll\"]\n";
    let app = detect(df, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let p = app.dotnet.clone().unwrap_or_else(|| panic!("no project"));
    assert_eq!((p.project.as_str(), p.assembly.as_str(), p.web), ("Worker.fsproj", "Worker", false));
    assert_eq!(app.version.as_deref(), Some("9"));
    assert!(app.ports.is_empty(), "a console program gets no invented port");

    // two project files at the root and no publish naming one: caulk says it cannot tell
    let dir = project(&[("A.csproj", console), ("B.csproj", console)]);
    let err = detect("FROM mcr.microsoft.com/dotnet/runtime:9.0\nCOPY . .\n", dir.path()).err().unwrap_or_else(|| {
        panic!("two projects must not be guessed between");
    });
    assert!(err.reason.contains("no .csproj or .fsproj"), "{err}");
}

#[test]
fn hardened_dotnet_is_alpine_non_root_and_probed_with_busybox_wget() {
    let text = clean(&dotnet_files(WEB_CSPROJ), Tier::Hardened);
    assert_eq!(
        froms(&text),
        ["mcr.microsoft.com/dotnet/sdk:10.0-alpine AS build", "mcr.microsoft.com/dotnet/aspnet:10.0-alpine"]
    );
    let inst = instructions(&text);
    let restore =
        inst.iter().position(|(k, a)| *k == Keyword::Run && a == "dotnet restore src/Shop.Api/Shop.Api.csproj");
    let sources = inst.iter().position(|(k, a)| *k == Keyword::Copy && a == ". .");
    assert!(restore.is_some() && restore < sources, "restore before the sources are copied:\n{text}");
    assert!(text.contains("COPY src/Shop.Api/Shop.Api.csproj src/Shop.Api/\n"), "{text}");
    assert!(text.contains("RUN dotnet publish src/Shop.Api/Shop.Api.csproj -c Release -o /out --no-restore"), "{text}");
    assert!(text.contains("\nUSER 1654:1654\n") && text.contains("\nEXPOSE 8080\n"), "{text}");
    assert_eq!(exec_of(&text, Keyword::Healthcheck), ["wget", "-q", "--spider", "http://127.0.0.1:8080/healthz"]);
    assert_eq!(exec_of(&text, Keyword::Entrypoint), ["dotnet", "Shop.dll"]);
    assert_eq!(exec_of(&text, Keyword::Cmd), ["--urls", "http://+:8080"], "the program's arguments are kept");
}

#[test]
fn eol_dotnet_moves_to_a_supported_release_and_says_to_retarget() {
    let csproj = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>";
    let r = tier(&dotnet_files(csproj), Tier::Hardened).unwrap_or_else(|e| panic!("{e}"));
    // .NET 8 and 9 reached end of life on 2026-11-10; 10 is the only supported release on TODAY
    assert_eq!(froms(&r.text)[1], "mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "{}", r.text);
    assert_eq!(exec_of(&r.text, Keyword::Entrypoint), ["dotnet", "Shop.Api.dll"], "the file name names the dll");
    let notes = r.notes.join("\n");
    assert!(notes.contains(".NET 8 reached end of life on 2026-11-10"), "{notes}");
    assert!(notes.contains("<TargetFramework>net10.0</TargetFramework>"), "{notes}");
}

#[test]
fn console_dotnet_runs_on_the_runtime_image() {
    let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>";
    let mut files = dotnet_files(csproj);
    files[0] = (
        "Dockerfile",
        "FROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Shop.Api/Shop.Api.csproj -o /app\nWORKDIR /app\nCMD [\"dotnet\", \"Shop.Api.dll\"]\n",
    );
    let hardened = clean(&files, Tier::Hardened);
    assert_eq!(froms(&hardened)[1], "mcr.microsoft.com/dotnet/runtime:10.0-alpine");
    assert!(hardened.contains("HEALTHCHECK NONE") && !hardened.contains("EXPOSE"), "{hardened}");
    let distroless = clean(&files, Tier::Distroless);
    assert_eq!(froms(&distroless)[1], "mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled");
}

#[test]
fn distroless_dotnet_is_chiseled_and_scratch_is_refused() {
    let files = dotnet_files(WEB_CSPROJ);
    let text = clean(&files, Tier::Distroless);
    assert_eq!(
        froms(&text),
        ["mcr.microsoft.com/dotnet/sdk:10.0-noble AS build", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"]
    );
    assert!(text.contains("COPY --from=build /out/ /app/") && text.contains("\nUSER 1654:1654\n"), "{text}");
    assert!(text.contains("HEALTHCHECK NONE") && text.contains("http://127.0.0.1:8080/healthz"), "{text}");
    assert!(text.contains("# caulk: framework-dependent on the chiseled image"), "the choice is explained:\n{text}");
    assert_eq!(exec_of(&text, Keyword::Entrypoint), ["/usr/share/dotnet/dotnet", "Shop.dll"]);
    assert!(
        !instructions(&text)
            .iter()
            .skip_while(|(k, a)| !(*k == Keyword::From && a.contains("chiseled")))
            .any(|(k, _)| *k == Keyword::Run),
        "no RUN on a shell-less image:\n{text}"
    );
    let err = tier(&files, Tier::Scratch).err().map(|e| e.reason).unwrap_or_default();
    assert!(
        err.contains("needs the .NET runtime") && err.contains("NativeAOT") && err.contains("use --tier distroless"),
        "{err}"
    );
}
