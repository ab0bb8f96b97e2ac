//! End-to-end tests of `caulk fix --tier`: every example project × every tier, run on a copy in a
//! temporary directory. A rewrite must re-parse, have the tier's structure, and pass
//! `caulk check --fail-on medium`; scratch must be refused with its reason where it cannot work.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use caulk_syntax::dockerfile::{Body, CommandLine, Keyword, parse};
use common::root;

fn caulk(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(cwd)
        .env("CAULK_TODAY", "2026-11-22")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("mkdir {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())).flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("copy: {e}"));
        }
    }
}

/// A copy of `examples/<name>` in a fresh temporary directory.
fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    copy_dir(&root().join("examples").join(name), dir.path());
    dir
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Python,
    Node,
    Go,
    Java,
    Rust,
    DotNet,
}

const EXAMPLES: &[(&str, Lang)] = &[
    ("python-flask", Lang::Python),
    ("ml-service-insecure", Lang::Python),
    ("node-http", Lang::Node),
    ("go-http", Lang::Go),
    ("java-http", Lang::Java),
    ("rust-http", Lang::Rust),
    ("session-multiapp", Lang::DotNet),
];

/// Examples whose original already passes `caulk check --fail-on medium`: session-multiapp is the
/// seed's "practical production" Alpine build, hardened by hand.
const ALREADY_CLEAN: &[&str] = &["session-multiapp"];

/// The instructions of one stage: (keyword, arguments as written, body).
struct Stage {
    from: String,
    instructions: Vec<(Keyword, String, Body)>,
}

fn stages(text: &str) -> Vec<Stage> {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "the rewrite does not parse: {:?}\n{text}", parsed.errors);
    let mut out: Vec<Stage> = Vec::new();
    for inst in &parsed.ast.instructions {
        let written = inst.range.slice(text).to_owned();
        if let Body::From { image, .. } = &inst.body {
            out.push(Stage { from: image.value.clone(), instructions: Vec::new() });
        } else if let Some(stage) = out.last_mut() {
            stage.instructions.push((inst.keyword, written, inst.body.clone()));
        }
    }
    out
}

fn is_exec(body: &Body) -> bool {
    matches!(body, Body::Command(CommandLine::Exec { .. }))
}

fn check_structure(name: &str, lang: Lang, tier: &str, text: &str) {
    let all = stages(text);
    let Some(last) = all.last() else { panic!("{name} {tier}: no stage\n{text}") };
    let compiled = matches!(lang, Lang::Go | Lang::Java | Lang::Rust | Lang::DotNet);
    // Python and Node get a build stage on distroless only when there are dependencies to install
    let expected_stages = match (lang, tier) {
        (Lang::Python, "distroless") => 2,
        (Lang::Python | Lang::Node, _) => 1,
        _ => 2,
    };
    assert_eq!(all.len(), expected_stages, "{name} {tier}: stage count\n{text}");
    let family_ok = match (tier, lang) {
        ("hardened", Lang::Python) => last.from.starts_with("python:") && last.from.contains("-slim"),
        ("hardened", Lang::Node) => last.from.starts_with("node:") && last.from.ends_with("-alpine"),
        ("hardened", Lang::Java) => last.from.starts_with("eclipse-temurin:") && last.from.ends_with("-jre-alpine"),
        ("hardened", Lang::DotNet) => {
            last.from.starts_with("mcr.microsoft.com/dotnet/aspnet:") && last.from.ends_with("-alpine")
        }
        ("hardened", _) => last.from.starts_with("alpine:3."),
        ("distroless", Lang::Python) => last.from == "gcr.io/distroless/python3-debian13:nonroot",
        ("distroless", Lang::Node) => last.from.starts_with("gcr.io/distroless/nodejs"),
        ("distroless", Lang::Go) => last.from == "gcr.io/distroless/static-debian13:nonroot",
        ("distroless", Lang::Java) => last.from.starts_with("gcr.io/distroless/java"),
        ("distroless", Lang::Rust) => last.from == "gcr.io/distroless/cc-debian13:nonroot",
        ("distroless", Lang::DotNet) => {
            last.from.starts_with("mcr.microsoft.com/dotnet/aspnet:") && last.from.ends_with("-noble-chiseled")
        }
        ("scratch", _) => last.from == "scratch",
        _ => false,
    };
    assert!(family_ok, "{name} {tier}: final base `{}`\n{text}", last.from);
    assert!(!last.from.contains("latest"), "{name} {tier}: a moving tag\n{text}");

    let kw = |k: Keyword| last.instructions.iter().rposition(|(kk, _, _)| *kk == k);
    let user = kw(Keyword::User).unwrap_or_else(|| panic!("{name} {tier}: no USER\n{text}"));
    assert!(kw(Keyword::Run).is_none_or(|r| r < user), "{name} {tier}: USER before the last RUN\n{text}");
    let user_text = last.instructions.get(user).map_or("", |(_, w, _)| w.as_str());
    let user_value = user_text.trim_start_matches("USER").trim();
    assert!(!matches!(user_value.split(':').next(), Some("root" | "0")), "{name} {tier}: {user_text}");
    if lang == Lang::DotNet {
        // `app`, the unprivileged user every .NET 8+ image (Alpine and chiseled) provides
        assert_eq!(user_value, "1654:1654", "{name} {tier}: numeric user\n{text}");
    } else if tier != "hardened" {
        assert_eq!(user_value, "65532:65532", "{name} {tier}: numeric user\n{text}");
    }
    let health = kw(Keyword::Healthcheck).unwrap_or_else(|| panic!("{name} {tier}: no HEALTHCHECK\n{text}"));
    match last.instructions.get(health).map(|(_, _, b)| b) {
        Some(Body::Healthcheck(Some(CommandLine::Exec { .. }))) => {}
        Some(Body::Healthcheck(None)) => {
            assert!(text.contains("# caulk:"), "{name} {tier}: HEALTHCHECK NONE without an explanation\n{text}");
            assert!(tier != "hardened", "{name}: the hardened tier has a real health check\n{text}");
        }
        other => panic!("{name} {tier}: HEALTHCHECK not in exec form: {other:?}\n{text}"),
    }
    for k in [Keyword::Cmd, Keyword::Entrypoint] {
        for (_, w, b) in last.instructions.iter().filter(|(kk, _, _)| *kk == k) {
            assert!(is_exec(b), "{name} {tier}: `{w}` is not in exec form");
        }
    }
    assert!(kw(Keyword::Cmd).or(kw(Keyword::Entrypoint)).is_some(), "{name} {tier}: runs nothing\n{text}");
    for (_, w, _) in &last.instructions {
        for banned in ["openssh", "curl", "sshd", "wget http", "git "] {
            assert!(!w.contains(banned), "{name} {tier}: `{banned}` in the runtime stage: {w}");
        }
    }
    if all.len() > 1 {
        assert!(
            last.instructions.iter().any(|(k, w, _)| *k == Keyword::Copy && w.contains("--from=build")),
            "{name} {tier}: multi-stage without COPY --from\n{text}"
        );
    }
    if compiled {
        assert!(
            all.first().is_some_and(|s| s.from.ends_with(" AS build") || s.from.contains(':')),
            "{name} {tier}: the build stage\n{text}"
        );
    }
}

#[test]
fn every_example_in_every_tier() {
    for &(name, lang) in EXAMPLES {
        for tier in ["hardened", "distroless", "scratch"] {
            let dir = example(name);
            let out = caulk(&["fix", "--tier", tier, "Dockerfile"], dir.path());
            let stderr = String::from_utf8_lossy(&out.stderr);
            let written = dir.path().join(format!("Dockerfile.{tier}"));
            if tier == "scratch" && matches!(lang, Lang::Python | Lang::Node | Lang::Java | Lang::DotNet) {
                assert_eq!(out.status.code(), Some(2), "{name} scratch must be refused: {stderr}");
                let why = match lang {
                    Lang::Python => "a Python program needs the interpreter and its standard library at run time",
                    Lang::Node => "a Node.js program needs the node runtime at run time",
                    Lang::DotNet => "a .NET program needs the .NET runtime at run time",
                    _ => "a Java program needs a JVM at run time",
                };
                assert!(stderr.contains(why) && stderr.contains("use --tier distroless"), "{name}: {stderr}");
                assert!(!written.exists(), "{name}: nothing is written when the tier is refused");
                continue;
            }
            assert_eq!(out.status.code(), Some(0), "{name} {tier}: {stderr}");
            assert!(!stderr.contains("warning"), "{name} {tier}: the rewrite has findings: {stderr}");
            let text = std::fs::read_to_string(&written).unwrap_or_else(|e| panic!("{name} {tier}: {e}"));
            check_structure(name, lang, tier, &text);
            let check = caulk(&["check", &format!("Dockerfile.{tier}"), "--fail-on", "medium"], dir.path());
            assert_eq!(
                check.status.code(),
                Some(0),
                "{name} {tier}: caulk check finds something at medium or above:\n{}\n{text}",
                String::from_utf8_lossy(&check.stdout)
            );
            let original = std::fs::read_to_string(root().join("examples").join(name).join("Dockerfile"));
            assert_eq!(
                std::fs::read_to_string(dir.path().join("Dockerfile")).ok(),
                original.ok(),
                "{name}: the original is left alone"
            );
        }
    }
}

#[test]
fn the_originals_fail_the_check_the_rewrites_pass() {
    for &(name, _) in EXAMPLES {
        let dir = example(name);
        let out = caulk(&["check", "Dockerfile", "--fail-on", "medium"], dir.path());
        let expected = i32::from(!ALREADY_CLEAN.contains(&name));
        assert_eq!(out.status.code(), Some(expected), "{name}: the example should have findings to fix, or none");
    }
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = example("go-http");
    let out = caulk(&["fix", "--tier", "distroless", "--diff", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("--- a/Dockerfile\n+++ b/Dockerfile.distroless\n"), "{diff}");
    assert!(diff.contains("+FROM gcr.io/distroless/static-debian13:nonroot"), "{diff}");
    assert!(diff.contains("-FROM golang:1.21"), "{diff}");
    assert!(!dir.path().join("Dockerfile.distroless").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: Go 1.21 is replaced by Go"), "notes go to stderr: {stderr}");
    // deterministic
    let again = caulk(&["fix", "--tier", "distroless", "--diff", "Dockerfile"], dir.path());
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn directories_are_walked_and_rewrites_are_not_rewritten() {
    let dir = example("python-flask");
    for _ in 0..2 {
        let out = caulk(&["fix", "--tier", "hardened", "."], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "Dockerfile: wrote Dockerfile.hardened\n");
    }
    assert!(dir.path().join("Dockerfile.hardened").is_file());
    assert!(!dir.path().join("Dockerfile.hardened.hardened").exists());
}

#[test]
fn unreadable_and_unknown_programs_exit_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    std::fs::write(dir.path().join("Dockerfile"), "FROM debian:13\nCMD [\"/usr/local/bin/tool\"]\n")
        .unwrap_or_else(|e| panic!("write: {e}"));
    let out = caulk(&["fix", "--tier", "hardened", "Dockerfile", "missing/Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot tell which language"), "{stderr}");
    assert!(stderr.contains("missing/Dockerfile: no such file or directory"), "{stderr}");
}

#[test]
fn dotnet_diff_keeps_the_project_and_moves_to_chiseled() {
    let dir = example("session-multiapp");
    let out = caulk(&["fix", "--tier", "distroless", "--diff", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("+FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\n"), "{diff}");
    assert!(diff.contains("\n-USER 1001:1001\n") && diff.contains("\n+USER 1654:1654\n"), "{diff}");
    assert!(diff.contains(" RUN dotnet restore backend/Backend.csproj\n"), "the restore step is kept: {diff}");
    assert!(diff.contains("+ENTRYPOINT [\"/usr/share/dotnet/dotnet\", \"Backend.dll\"]"), "{diff}");
    assert!(!dir.path().join("Dockerfile.distroless").exists());
}
