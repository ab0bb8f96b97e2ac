//! End-to-end tests of the built binary: the seed analyses, output formats against their
//! schemas, exit codes, configuration, suppressions and determinism.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{root, shared};
use serde_json::Value;

fn caulk(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(cwd)
        .env("CAULK_TODAY", "2026-11-22")
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

fn json(args: &[&str], cwd: &Path) -> (Value, i32) {
    let out = caulk(args, cwd);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap_or(-1))
}

/// (code, severity) of every finding of the first file.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String)], code: &str, severity: &str, needle: &str) -> bool {
    found.iter().any(|(c, s, m)| c == code && s == severity && m.contains(needle))
}

#[test]
fn insecure_ml_service_gets_every_seed_finding() {
    let (report, code) = json(&["check", "--format", "json", "examples/ml-service-insecure/Dockerfile"], &root());
    let found = findings(&report);
    let expect = [
        ("DF101", "high", "ubuntu"),              // outdated base image
        ("DF205", "critical", "PermitRootLogin"), // root SSH login enabled
        ("DF204", "high", "openssh-server"),      // SSH server installed
        ("DF207", "high", "22"),                  // SSH port exposed
        ("DF202", "high", "root"),                // running as root
        ("DF301", "medium", "curl"),              // no package version pinning
        ("DF305", "medium", "flask"),             // pip packages unpinned
        ("DF407", "medium", "wget"),              // unnecessary packages
        ("DF407", "medium", "git"),
        ("DF401", "medium", ""),      // no health check
        ("DF403", "medium", "sh -c"), // shell-wrapped CMD
    ];
    for (c, s, n) in expect {
        assert!(has(&found, c, s, n), "missing {c} ({s}) mentioning `{n}`; found:\n{found:#?}");
    }
    assert_eq!(code, 1, "critical findings must fail the run");
}

#[test]
fn secure_ml_service_has_none_of_the_seed_problems() {
    let (report, code) = json(&["check", "--format", "json", "examples/ml-service-secure/Dockerfile"], &root());
    let found = findings(&report);
    for c in [
        "DF101", "DF102", "DF201", "DF202", "DF204", "DF205", "DF207", "DF301", "DF305", "DF401", "DF402", "DF403",
        "DF407",
    ] {
        assert!(!found.iter().any(|(code, _, _)| code == c), "{c} fired on the secure example: {found:#?}");
    }
    assert!(found.iter().all(|(_, s, _)| s != "critical" && s != "high" && s != "medium"), "{found:#?}");
    assert_eq!(code, 0);
}

#[test]
fn text_output_is_rustc_style_and_snapshotted() {
    let out = caulk(&["check", "--color", "never", "examples/ml-service-insecure/Dockerfile"], &root());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--> examples/ml-service-insecure/Dockerfile:"));
    insta::assert_snapshot!("insecure_text", text);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(shared) = shared() else { return };
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("data/schemas/sarif-schema-2.1.0.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    let out = caulk(&["check", "--format", "sarif", "examples"], &root());
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert!(results > 10, "expected the insecure example's results");
    assert!(sarif["runs"][0]["tool"]["driver"]["rules"].as_array().is_some_and(|r| r.len() > 40));
}

#[test]
fn json_validates_against_the_documented_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/json-output.schema.json")).unwrap_or_default())
            .unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    let (report, _) = json(&["check", "--format", "json", "examples"], &root());
    let errors: Vec<String> =
        validator.iter_errors(&report).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["schema_version"], 1);
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let Some(shared) = shared() else { return };
    // corpus files are named `owner__repo__path__Dockerfile`: pass them explicitly, as a user would
    let mut files: Vec<String> = std::fs::read_dir(shared.join("corpus/dockerfiles"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let run = |jobs: &str| {
        let mut args = vec!["check", "--format", "json", "--fail-on", "never", "-j", jobs];
        args.extend(files.iter().map(String::as_str));
        caulk(&args, &root())
    };
    let one = run("1");
    let two = run("2");
    let again = run("2");
    let report: Value = serde_json::from_slice(&one.stdout).unwrap_or_default();
    assert_eq!(report["files"].as_array().map(Vec::len), Some(files.len()), "every corpus file is checked");
    assert_eq!(one.status.code(), Some(0));
    assert!(one.stdout.len() > 100_000);
    assert!(one.stdout == two.stdout, "-j 1 and -j 2 differ");
    assert!(two.stdout == again.stdout, "two runs differ");
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.22\nRUN apk add --no-cache curl\nUSER 10001\n")
        .unwrap_or_default();
    let medium_only = caulk(&["check", "Dockerfile"], dir.path());
    assert_eq!(medium_only.status.code(), Some(0), "default threshold is high");
    let strict = caulk(&["check", "--fail-on", "medium", "Dockerfile"], dir.path());
    assert_eq!(strict.status.code(), Some(1));
    let missing = caulk(&["check", "nope/Dockerfile"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    let bad_flag = caulk(&["check", "--select", "XX999", "Dockerfile"], dir.path());
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_flag.stderr).contains("XX999"));
}

#[test]
fn hadolint_pragmas_and_config_are_honoured() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path();
    std::fs::write(p.join("Dockerfile"), "FROM debian:13\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n# caulk ignore=DF301\nRUN echo nothing to suppress here\n").unwrap_or_default();
    let (report, _) = json(&["check", "--format", "json", "Dockerfile"], p);
    let found = findings(&report);
    assert!(!found.iter().any(|(c, _, _)| c == "DF301"), "pragma ignored: {found:#?}");
    assert!(has(&found, "DF003", "low", "DF301"), "unused suppression not reported: {found:#?}");
    assert_eq!(report["summary"]["suppressed"], 1);

    std::fs::write(p.join("Dockerfile"), "FROM debian:13\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001\n").unwrap_or_default();
    std::fs::write(p.join(".hadolint.yaml"), "ignored:\n  - DL3008\nfailure-threshold: error\n").unwrap_or_default();
    let (report, _) = json(&["check", "--format", "json", "Dockerfile"], p);
    assert!(!findings(&report).iter().any(|(c, _, _)| c == "DF301"), ".hadolint.yaml ignore not applied");

    std::fs::remove_file(p.join(".hadolint.yaml")).unwrap_or_default();
    std::fs::write(p.join(".caulk.toml"), "fail-on = \"medium\"\n[severity]\nDL3008 = \"high\"\n").unwrap_or_default();
    let (report, code) = json(&["check", "--format", "json", "Dockerfile"], p);
    assert!(has(&findings(&report), "DF301", "high", "curl"), "severity override not applied");
    assert_eq!(code, 1);
    let (_, code) = json(&["check", "--format", "json", "--isolated", "Dockerfile"], p);
    assert_eq!(code, 0, "--isolated must ignore .caulk.toml");
}

#[test]
fn directories_are_walked_and_files_classified() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path();
    for (name, body) in [
        ("Dockerfile", "FROM alpine:3.22\n"),
        ("api.Dockerfile", "FROM alpine:3.22\n"),
        ("sub/Containerfile", "FROM alpine:3.22\n"),
        ("ignored/Dockerfile", "FROM alpine:3.22\n"),
        ("notes.txt", "FROM alpine:3.22\n"),
        ("build.docker", "# not named like one\nFROM alpine:3.22\n"),
    ] {
        let path = p.join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(p)).unwrap_or_default();
        std::fs::write(path, body).unwrap_or_default();
    }
    std::fs::write(p.join(".gitignore"), "ignored/\n").unwrap_or_default();
    let (report, _) = json(&["check", "--format", "json", "."], p);
    let paths: Vec<&str> =
        report["files"].as_array().into_iter().flatten().filter_map(|f| f["path"].as_str()).collect();
    assert_eq!(paths, ["Dockerfile", "api.Dockerfile", "sub/Containerfile"]);
    let (report, _) = json(&["check", "--format", "json", "build.docker"], p);
    assert_eq!(report["files"].as_array().map(Vec::len), Some(1), "sniffed by content");
    let (report, code) = json(&["check", "--format", "json", "--fail-on", "critical", "--exclude", "sub", "."], p);
    assert_eq!(report["files"].as_array().map(Vec::len), Some(2));
    assert_eq!(code, 0);
}

#[test]
fn rules_and_explain() {
    let out = caulk(&["rules", "--format", "json"], &root());
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let list = rules.as_array().cloned().unwrap_or_default();
    assert!(list.len() > 50);
    assert!(
        list.iter().any(
            |r| r["code"] == "DF301" && r["aliases"].as_array().is_some_and(|a| a.contains(&Value::from("DL3008")))
        )
    );
    let out = caulk(&["explain", "DL3008"], &root());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# DF301 apt-get-unpinned"));
    assert!(text.contains("## Why is this bad?"));
    assert_eq!(caulk(&["explain", "nope"], &root()).status.code(), Some(2));
}

#[test]
fn fix_diff_and_in_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path();
    let original = "FROM debian:13\nMAINTAINER Jane Doe <jane@example.com>\nRUN apt-get update && apt-get install -y python3=3.11.2-1+b1 && rm -rf /var/lib/apt/lists/*\nCMD python3 app.py\n";
    std::fs::write(p.join("Dockerfile"), original).unwrap_or_default();
    let diff = caulk(&["fix", "--diff", "Dockerfile"], p);
    let diff_text = String::from_utf8_lossy(&diff.stdout);
    assert!(diff_text.contains("+CMD [\"python3\", \"app.py\"]"), "{diff_text}");
    assert!(!diff_text.contains("--no-install-recommends"), "dropping recommends is an unsafe fix: {diff_text}");
    let unsafe_diff = caulk(&["fix", "--diff", "--unsafe-fixes", "Dockerfile"], p);
    assert!(String::from_utf8_lossy(&unsafe_diff.stdout).contains("install --no-install-recommends -y python3"));
    assert_eq!(std::fs::read_to_string(p.join("Dockerfile")).unwrap_or_default(), original, "--diff must not write");
    let out = caulk(&["fix", "Dockerfile"], p);
    assert_eq!(out.status.code(), Some(0));
    let fixed = std::fs::read_to_string(p.join("Dockerfile")).unwrap_or_default();
    assert!(fixed.contains("LABEL org.opencontainers.image.authors="), "{fixed}");
    assert!(fixed.contains("CMD [\"python3\", \"app.py\"]"));
    let again = caulk(&["fix", "--diff", "Dockerfile"], p);
    assert!(again.stdout.is_empty(), "fix is not idempotent: {}", String::from_utf8_lossy(&again.stdout));
}

#[test]
fn seed_session_multiapp_is_checked_in_one_run() {
    let (report, code) = json(&["check", "--format", "json", "examples/session-multiapp"], &root());
    let files: Vec<(&str, &str)> = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| Some((f["path"].as_str()?, f["kind"].as_str()?)))
        .collect();
    assert_eq!(
        files,
        [
            ("examples/session-multiapp/Dockerfile", "dockerfile"),
            ("examples/session-multiapp/docker-compose.yml", "compose"),
            ("examples/session-multiapp/nginx/nginx.conf", "nginx"),
        ]
    );
    let found = findings(&report);
    assert!(found.iter().all(|(_, s, _)| s == "info"), "the hardened project has only advice: {found:#?}");
    assert_eq!(code, 0);
}

/// The seed's compose and nginx hardening, absent: each concern is reported.
#[test]
fn unhardened_compose_and_nginx_get_the_seed_findings() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path();
    std::fs::create_dir_all(p.join("nginx")).unwrap_or_default();
    std::fs::write(
        p.join("docker-compose.yml"),
        "services:\n  api:\n    image: registry.example.com/api:1.0\n    user: \"1001\"\n  web:\n    image: nginx:1.27\n    user: \"101\"\n    ports:\n      - \"8080:80\"\n    volumes:\n      - ./nginx/nginx.conf:/etc/nginx/nginx.conf:ro\n",
    )
    .unwrap_or_default();
    std::fs::write(
        p.join("nginx/nginx.conf"),
        "events {}\nhttp {\n  server {\n    listen 80;\n    location / {\n      proxy_pass http://api:8080;\n    }\n  }\n}\n",
    )
    .unwrap_or_default();
    let (report, _) = json(&["check", "--format", "json", "."], p);
    let found = findings(&report);
    for code in [
        "DC102", // no-new-privileges:true
        "DC203", // read-only root filesystem
        "DC303", // network isolation
        "DC401", // resource limits
        "DC404", // restart policy
        "NX101", // server tokens
        "NX102", // security headers
        "NX201", // rate limiting
        "NX301", // gzip
    ] {
        assert!(found.iter().any(|(c, _, _)| c == code), "missing {code}: {found:#?}");
    }
}

#[test]
fn nginx_fragments_are_judged_inside_the_file_that_includes_them() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path();
    std::fs::create_dir_all(p.join("conf.d")).unwrap_or_default();
    std::fs::write(p.join("nginx.conf"), "events {}\nhttp {\n  server_tokens off;\n  include conf.d/*.conf;\n}\n")
        .unwrap_or_default();
    std::fs::write(p.join("conf.d/site.conf"), "server {\n  listen 80;\n  autoindex on;\n  root /srv;\n}\n")
        .unwrap_or_default();
    let (report, _) = json(&["check", "--format", "json", "."], p);
    let found = findings(&report);
    assert!(has(&found, "NX801", "medium", ""), "the fragment's own problem is reported: {found:#?}");
    assert!(!found.iter().any(|(c, _, _)| c == "NX101"), "server_tokens is set by the including file: {found:#?}");
    let paths: Vec<&str> =
        report["files"].as_array().into_iter().flatten().filter_map(|f| f["path"].as_str()).collect();
    assert!(paths.contains(&"conf.d/site.conf"), "{paths:?}");
}

#[test]
fn compose_files_given_with_compose_file_merge_in_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.yml"),
        "services:\n  app:\n    image: registry.example.com/app:1.4\n    privileged: true\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("prod.yml"),
        "services:\n  app:\n    privileged: false\n    security_opt: [\"no-new-privileges:true\"]\n",
    )
    .unwrap();
    let codes = |report: &Value| -> Vec<String> { findings(report).into_iter().map(|(c, _, _)| c).collect() };
    // Alone, base.yml is privileged and lacks no-new-privileges.
    let (alone, _) = json(&["check", "--format", "json", "--fail-on", "never", "base.yml"], dir.path());
    assert!(codes(&alone).contains(&"DC101".to_owned()) && codes(&alone).contains(&"DC102".to_owned()));
    // Merged like `docker compose -f base.yml -f prod.yml`, the later file wins.
    let args =
        ["check", "--format", "json", "--fail-on", "never", "--compose-file", "base.yml", "--compose-file", "prod.yml"];
    let (merged, code) = json(&args, dir.path());
    assert_eq!(code, 0);
    let c = codes(&merged);
    assert!(!c.contains(&"DC101".to_owned()) && !c.contains(&"DC102".to_owned()), "{c:?}");
    assert!(c.contains(&"DC401".to_owned()), "the merged project is still checked: {c:?}");
    // Given with a directory, the files are checked only as that project, not alone again.
    let with_dir = [&args[..], &["."]].concat();
    let (both, _) = json(&with_dir, dir.path());
    assert!(!codes(&both).contains(&"DC101".to_owned()), "{:?}", codes(&both));
    // A compose file that does not exist is an unreadable target.
    let out = caulk(&["check", "--compose-file", "missing.yml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing.yml"));
}

#[test]
fn compose_profiles_and_compose_file_select_like_docker_compose() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    image: registry.example.com/web:1.4\n  \
         debug:\n    image: registry.example.com/debug:1.0\n    privileged: true\n    profiles: [debug]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("prod.yml"), "services:\n  web:\n    privileged: true\n").unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| -> Vec<String> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_caulk"));
        cmd.args(args).current_dir(dir.path()).env("CAULK_TODAY", "2026-11-22");
        for k in ["COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_PATH_SEPARATOR"] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        findings(&report).into_iter().filter(|(c, _, _)| c == "DC101").map(|(_, _, m)| m).collect()
    };
    let base = ["check", "--format", "json", "--fail-on", "never"];
    // No profile chosen: every service is checked, whatever its profiles.
    let all = run(&base, &[]);
    assert_eq!(all.len(), 1, "{all:?}");
    // A profile that does not enable `debug` leaves it out, from the flag or from COMPOSE_PROFILES.
    assert!(run(&[&base[..], &["--profile", "web"]].concat(), &[]).is_empty());
    assert!(run(&base, &[("COMPOSE_PROFILES", "other")]).is_empty());
    assert_eq!(run(&base, &[("COMPOSE_PROFILES", "debug")]).len(), 1);
    assert_eq!(run(&[&base[..], &["--profile", "*"]].concat(), &[("COMPOSE_PROFILES", "other")]).len(), 1);
    // COMPOSE_FILE makes compose.yaml + prod.yml one project: `web` becomes privileged too.
    let merged = run(&base, &[("COMPOSE_FILE", "compose.yaml:prod.yml"), ("COMPOSE_PROFILES", "other")]);
    assert_eq!(merged.len(), 1, "{merged:?}");
    assert!(merged[0].contains("web"), "{merged:?}");
    // An explicit path wins over COMPOSE_FILE, as `-f` does.
    assert!(
        run(
            &[&base[..], &["compose.yaml"]].concat(),
            &[("COMPOSE_FILE", "compose.yaml:prod.yml"), ("COMPOSE_PROFILES", "other")]
        )
        .is_empty()
    );
}
