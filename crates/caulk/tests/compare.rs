//! End-to-end tests of `caulk compare`: the seed's ml-service Dockerfiles and two images built
//! like them (written as `docker save` archives here, no network), every format, symmetry when
//! A and B swap, a file against itself, and exit codes.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::root;
use serde_json::{Value, json};

const INSECURE: &str = "examples/ml-service-insecure/Dockerfile";
const SECURE: &str = "examples/ml-service-secure/Dockerfile";

/// Every row, in order: the seed's table, then what caulk knows beyond it.
const ASPECTS: &[&str] = &[
    "Base image",
    "Root SSH",
    "User privilege",
    "Package versions",
    "Image size",
    "Installed packages",
    "Health check",
    "CMD form",
    "EOL status",
    "Tier",
    "setuid/setgid files",
    "Secrets",
    "Package managers",
    "Vulnerabilities",
    "Wasted bytes",
    "Findings",
];

/// Where the seed says the secure build is better.
const SEED_BETTER: &[&str] =
    &["Base image", "Root SSH", "User privilege", "Package versions", "Installed packages", "Health check", "CMD form"];

fn caulk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(root())
        .env("CAULK_TODAY", "2026-11-22")
        .env("NO_COLOR", "1")
        // an empty cache: no advisory store, so results never depend on the developer's data
        .env("CAULK_CACHE_DIR", root().join("target/caulk-test-empty-cache"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

fn stdout(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The comparison as JSON, validated against docs/compare-output.schema.json.
fn compare_json(a: &str, b: &str) -> Value {
    let text = stdout(&caulk(&["compare", "--format", "json", a, b]));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("invalid JSON ({e}): {text}"));
    let schema_text = std::fs::read_to_string(root().join("docs/compare-output.schema.json")).unwrap_or_default();
    let schema: Value = serde_json::from_str(&schema_text).unwrap_or_else(|e| panic!("schema is not JSON: {e}"));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"));
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    v
}

fn rows(v: &Value) -> Vec<Value> {
    v["comparison"]["rows"].as_array().cloned().unwrap_or_default()
}

fn change<'a>(v: &'a Value, aspect: &str) -> &'a str {
    v["comparison"]["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["aspect"] == aspect))
        .and_then(|r| r["change"].as_str())
        .unwrap_or_else(|| panic!("no row `{aspect}` in {v:#}"))
}

fn flipped(change: &str) -> &str {
    match change {
        "better" => "worse",
        "worse" => "better",
        other => other,
    }
}

/// Checks the shape every comparison has, and that A and B are what was asked.
fn assert_shape(v: &Value, a: &str, b: &str, kind: &str) {
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"]["name"], "caulk");
    assert_eq!(v["comparison"]["a"]["label"], a);
    assert_eq!(v["comparison"]["b"]["label"], b);
    assert_eq!(v["comparison"]["a"]["kind"], kind);
    let rows = rows(v);
    let aspects: Vec<&str> = rows.iter().filter_map(|r| r["aspect"].as_str()).collect();
    assert_eq!(aspects, ASPECTS);
    for r in &rows {
        let impact = r["impact"].as_u64().unwrap_or(0);
        assert!((1..=3).contains(&impact), "{r}");
        assert!(["better", "worse", "same", "unknown"].contains(&r["change"].as_str().unwrap_or("")), "{r}");
    }
}

#[test]
fn seed_dockerfiles_b_is_better_on_every_seed_aspect() {
    let v = compare_json(INSECURE, SECURE);
    assert_shape(&v, INSECURE, SECURE, "dockerfile");
    for aspect in SEED_BETTER {
        assert_eq!(change(&v, aspect), "better", "{aspect}: {v:#}");
    }
    // a Dockerfile is not built: its size is not guessed
    assert_eq!(change(&v, "Image size"), "unknown");
    assert_eq!(change(&v, "EOL status"), "better");
    assert_eq!(change(&v, "Tier"), "better");
    assert_eq!(change(&v, "Findings"), "better");
    // neither has secrets; both keep apt/dpkg (DF409)
    assert_eq!(change(&v, "Secrets"), "same");
    assert_eq!(change(&v, "Package managers"), "same");
    let verdict = &v["comparison"]["verdict"];
    assert_eq!(verdict["change"], "better");
    assert_eq!(verdict["worse_weight"], 0);
    assert!(verdict["summary"].as_str().is_some_and(|s| s.starts_with("B is more secure")), "{verdict}");
    assert_eq!(v["comparison"]["a"]["findings"]["critical"], 1);
}

#[test]
fn seed_dockerfiles_text_table() {
    let text = stdout(&caulk(&["compare", INSECURE, SECURE]));
    for aspect in ASPECTS {
        assert!(text.lines().any(|l| l.starts_with(aspect)), "no `{aspect}` row:\n{text}");
    }
    assert!(text.contains("B is more secure than A"), "{text}");
    assert!(!text.contains('\x1b'), "NO_COLOR output has escapes");
    insta::assert_snapshot!("seed_dockerfiles_text", text);
}

#[test]
fn seed_dockerfiles_markdown_has_the_seed_rows() {
    let md = stdout(&caulk(&["compare", "--format", "markdown", INSECURE, SECURE]));
    assert!(md.contains("| Aspect | A | B | Impact | B vs A |"), "{md}");
    for needle in [
        "| Base image | ubuntu:18.04 (full, EOL) | python:3.12-slim (slim) | ⭐⭐⭐ | ✓ better |",
        "| Root SSH | ✗ enabled (root login, SSH server, port exposed) | ✓ disabled | ⭐⭐⭐ | ✓ better |",
        "| User privilege | ✗ root (USER root) | ✓ appuser (non-root) | ⭐⭐⭐ | ✓ better |",
        "| Package versions | ✗ 8 unpinned | ✓ pinned | ⭐⭐ | ✓ better |",
        "| Image size | not built | not built | ⭐⭐ | ? unknown |",
        "| Health check | ✗ none | ✓ included | ⭐ | ✓ better |",
        "| CMD form | ✗ sh -c wrapper | ✓ exec form | ⭐ | ✓ better |",
    ] {
        assert!(md.contains(needle), "missing `{needle}` in:\n{md}");
    }
    assert!(
        md.lines().any(|l| l.starts_with("| Installed packages | ✗ 8 (apt-get 6, pip 2), 5 unnecessary |")),
        "{md}"
    );
    assert!(md.contains("**Verdict:** B is more secure than A"), "{md}");
}

#[test]
fn swapping_a_and_b_flips_every_judgement() {
    let ab = compare_json(INSECURE, SECURE);
    let ba = compare_json(SECURE, INSECURE);
    for (x, y) in rows(&ab).iter().zip(rows(&ba)) {
        assert_eq!(x["aspect"], y["aspect"]);
        assert_eq!(flipped(x["change"].as_str().unwrap_or("")), y["change"], "{x} vs {y}");
        assert_eq!((&x["a"], &x["b"]), (&y["b"], &y["a"]), "values swap too");
    }
    let verdict = &ba["comparison"]["verdict"];
    assert_eq!(verdict["change"], "worse");
    assert_eq!(verdict["better_weight"], ab["comparison"]["verdict"]["worse_weight"]);
    assert_eq!(verdict["worse_weight"], ab["comparison"]["verdict"]["better_weight"]);
    assert!(verdict["summary"].as_str().is_some_and(|s| s.starts_with("B is less secure")), "{verdict}");
}

#[test]
fn a_file_against_itself_is_the_same_everywhere() {
    for file in [INSECURE, SECURE] {
        let v = compare_json(file, file);
        for r in rows(&v) {
            let expected = if r["a"] == "not built" || r["a"] == "not matched" { "unknown" } else { "same" };
            assert_eq!(r["change"], expected, "{file}: {r}");
            assert_eq!(r["a"], r["b"]);
        }
        assert_eq!(v["comparison"]["verdict"]["change"], "same");
        assert_eq!(v["comparison"]["verdict"]["better_weight"], 0);
        assert_eq!(v["comparison"]["verdict"]["worse_weight"], 0);
    }
}

#[test]
fn output_file_and_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cmp.md");
    let run = caulk(&["compare", "--format", "markdown", "-o", &out.display().to_string(), INSECURE, SECURE]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(written.contains("| Root SSH |"));

    // a side that cannot be read: exit 2, and the error names the side and the path
    let missing = caulk(&["compare", INSECURE, "examples/nope/Dockerfile"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("B:") && err.contains("examples/nope/Dockerfile"), "{err}");
    let missing = caulk(&["compare", "./nope.tar", SECURE]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("A:") && err.contains("nope.tar"), "{err}");
    // the worse side is no failure: comparing is not checking
    assert_eq!(caulk(&["compare", SECURE, INSECURE]).status.code(), Some(0));
}

// ---- images -----------------------------------------------------------------------------------

/// One entry of a test layer.
enum Entry {
    File { path: &'static str, mode: u32, data: Vec<u8> },
    Symlink { path: &'static str, target: &'static str },
}

fn file(path: &'static str, data: impl Into<Vec<u8>>) -> Entry {
    Entry::File { path, mode: 0o644, data: data.into() }
}

fn exec(path: &'static str) -> Entry {
    Entry::File { path, mode: 0o755, data: b"\x7fELF".to_vec() }
}

fn setuid(path: &'static str) -> Entry {
    Entry::File { path, mode: 0o4755, data: b"\x7fELF".to_vec() }
}

fn link(path: &'static str, target: &'static str) -> Entry {
    Entry::Symlink { path, target }
}

fn layer_tar(entries: &[Entry]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(0);
        match e {
            Entry::File { path, mode, data } => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(*mode);
                h.set_size(data.len() as u64);
                b.append_data(&mut h, path.trim_start_matches('/'), data.as_slice()).expect("tar file");
            }
            Entry::Symlink { path, target } => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, path.trim_start_matches('/'), target).expect("tar link");
            }
        }
    }
    b.into_inner().expect("tar")
}

fn append(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, name, data).expect("outer entry");
}

/// Writes a `docker save` archive: `steps` are (created_by, layer entries or `None` for a
/// configuration-only step), `config` the runtime configuration.
fn docker_save(path: &Path, steps: &[(&str, Option<Vec<Entry>>)], config: &Value) {
    let mut outer = tar::Builder::new(Vec::new());
    let (mut layers, mut diff_ids, mut history) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (created_by, entries)) in steps.iter().enumerate() {
        match entries {
            Some(entries) => {
                let hex = format!("{:064x}", i + 1);
                let name = format!("{hex}/layer.tar");
                append(&mut outer, &name, &layer_tar(entries));
                layers.push(name);
                diff_ids.push(format!("sha256:{hex}"));
                history.push(json!({"created": "2024-01-01T00:00:00Z", "created_by": created_by}));
            }
            None => {
                history.push(json!({"created": "2024-01-01T00:00:00Z", "created_by": created_by, "empty_layer": true}));
            }
        }
    }
    let cfg = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    });
    let cfg_name = format!("{:064x}.json", 0x00c0_ffee);
    append(&mut outer, &cfg_name, cfg.to_string().as_bytes());
    let manifest = json!([{"Config": cfg_name, "RepoTags": ["ml-service:test"], "Layers": layers}]);
    append(&mut outer, "manifest.json", manifest.to_string().as_bytes());
    let mut f = std::fs::File::create(path).expect("create archive");
    f.write_all(&outer.into_inner().expect("outer tar")).expect("write archive");
}

fn dpkg_status(packages: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (n, v) in packages {
        out.push_str(
            &["Package: ", n, "\nStatus: install ok installed\nArchitecture: amd64\nVersion: ", v, "\n\n"].concat(),
        );
    }
    out
}

const UBUNTU_BASE: &[(&str, &str)] =
    &[("base-files", "10.1ubuntu2.12"), ("bash", "4.4.18-2ubuntu1.3"), ("dpkg", "1.19.0.5ubuntu2.4")];

/// The seed's insecure ml-service as an image: Ubuntu 18.04, openssh-server with
/// `PermitRootLogin yes`, curl/wget/git, `USER root`, `sh -c` command, port 22, no health check.
fn insecure_image(path: &Path) {
    let mut all: Vec<(&str, &str)> = UBUNTU_BASE.to_vec();
    all.extend([
        ("curl", "7.58.0-2ubuntu3.24"),
        ("git", "1:2.17.1-1ubuntu0.18"),
        ("openssh-client", "1:7.6p1-4ubuntu0.7"),
        ("openssh-server", "1:7.6p1-4ubuntu0.7"),
        ("python3-pip", "9.0.1-2.3~ubuntu1.18.04.8"),
        ("wget", "1.19.4-1ubuntu2.2"),
    ]);
    let sshd = "#PermitRootLogin prohibit-password\nUsePAM yes\n";
    docker_save(
        path,
        &[
            (
                "/bin/sh -c #(nop) ADD file:7f1a5c4e8f6d in / ",
                Some(vec![
                    file(
                        "/etc/os-release",
                        "PRETTY_NAME=\"Ubuntu 18.04.6 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"18.04\"\nVERSION=\"18.04.6 LTS (Bionic Beaver)\"\nVERSION_CODENAME=bionic\nID=ubuntu\nID_LIKE=debian\n",
                    ),
                    file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
                    file("/etc/group", "root:x:0:\n"),
                    exec("/bin/bash"),
                    exec("/bin/dash"),
                    link("/bin/sh", "dash"),
                    setuid("/bin/su"),
                    exec("/usr/bin/apt-get"),
                    exec("/usr/bin/dpkg"),
                    file("/usr/share/man/man1/bash.1.gz", "man page"),
                    file("/var/lib/dpkg/status", dpkg_status(UBUNTU_BASE)),
                ]),
            ),
            ("/bin/sh -c #(nop)  CMD [\"/bin/bash\"]", None),
            (
                "RUN /bin/sh -c apt-get update && apt-get install -y python3-pip curl wget git openssh-server openssh-client # buildkit",
                Some(vec![
                    exec("/usr/bin/curl"),
                    exec("/usr/bin/wget"),
                    exec("/usr/bin/git"),
                    exec("/usr/bin/ssh"),
                    exec("/usr/sbin/sshd"),
                    file("/etc/ssh/sshd_config", sshd),
                    file("/var/lib/apt/lists/bionic_main_Packages", vec![0u8; 1 << 20]),
                    file("/var/lib/dpkg/status", dpkg_status(&all)),
                ]),
            ),
            (
                "RUN /bin/sh -c echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config # buildkit",
                Some(vec![file("/etc/ssh/sshd_config", format!("{sshd}PermitRootLogin yes\n"))]),
            ),
            (
                "RUN /bin/sh -c pip3 install flask requests # buildkit",
                Some(vec![file("/usr/local/lib/python3.6/dist-packages/flask/__init__.py", "")]),
            ),
            ("COPY app.py /app/ # buildkit", Some(vec![file("/app/app.py", "print('hi')\n")])),
            ("USER root", None),
            ("CMD [\"sh\" \"-c\" \"python3 app.py\"]", None),
        ],
        &json!({
            "User": "root",
            "Cmd": ["sh", "-c", "python3 app.py"],
            "WorkingDir": "/app",
            "ExposedPorts": {"22/tcp": {}, "5000/tcp": {}},
        }),
    );
}

const DEBIAN_BASE: &[(&str, &str)] = &[("base-files", "13.8"), ("dpkg", "1.22.21")];

/// The seed's secure ml-service as an image: a slim Debian Python, a pinned install, user
/// 10001, a health check, exec-form command.
fn hardened_image(path: &Path) {
    let mut all: Vec<(&str, &str)> = DEBIAN_BASE.to_vec();
    all.push(("ca-certificates", "20250419"));
    docker_save(
        path,
        &[
            (
                "/bin/sh -c #(nop) ADD file:0123 in / ",
                Some(vec![
                    file(
                        "/etc/os-release",
                        "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\nID=debian\n",
                    ),
                    file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
                    file("/etc/group", "root:x:0:\n"),
                    exec("/usr/bin/dash"),
                    link("/bin", "usr/bin"),
                    link("/usr/bin/sh", "dash"),
                    exec("/usr/bin/dpkg"),
                    file("/var/lib/dpkg/status", dpkg_status(DEBIAN_BASE)),
                    exec("/usr/local/bin/python3.13"),
                    link("/usr/local/bin/python", "python3.13"),
                ]),
            ),
            ("CMD [\"python3\"]", None),
            (
                "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates=20250419 && rm -rf /var/lib/apt/lists/* # buildkit",
                Some(vec![file("/var/lib/dpkg/status", dpkg_status(&all))]),
            ),
            (
                "RUN /bin/sh -c groupadd -r -g 10001 app && useradd -r -u 10001 -g app app # buildkit",
                Some(vec![
                    file(
                        "/etc/passwd",
                        "root:x:0:0:root:/root:/bin/bash\napp:x:10001:10001::/home/app:/usr/sbin/nologin\n",
                    ),
                    file("/etc/group", "root:x:0:\napp:x:10001:\n"),
                ]),
            ),
            ("COPY app.py /app/ # buildkit", Some(vec![file("/app/app.py", "print('hi')\n")])),
            ("USER 10001", None),
            ("ENTRYPOINT [\"python\"]", None),
            ("CMD [\"app.py\"]", None),
        ],
        &json!({
            "User": "10001",
            "Env": ["PATH=/usr/local/bin:/usr/bin", "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"],
            "Entrypoint": ["python"],
            "Cmd": ["app.py"],
            "WorkingDir": "/app",
            "ExposedPorts": {"5000/tcp": {}},
            "Healthcheck": {"Test": ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:5000/health')"]},
        }),
    );
}

struct Images {
    _dir: tempfile::TempDir,
    insecure: PathBuf,
    hardened: PathBuf,
}

fn images() -> Images {
    let dir = tempfile::tempdir().expect("tempdir");
    let insecure = dir.path().join("insecure.tar");
    let hardened = dir.path().join("hardened.tar");
    insecure_image(&insecure);
    hardened_image(&hardened);
    Images { _dir: dir, insecure, hardened }
}

#[test]
fn seed_images_b_is_better_on_every_seed_aspect() {
    let imgs = images();
    let (a, b) = (imgs.insecure.display().to_string(), imgs.hardened.display().to_string());
    let v = compare_json(&a, &b);
    assert_shape(&v, &a, &b, "image");
    for aspect in SEED_BETTER {
        assert_eq!(change(&v, aspect), "better", "{aspect}: {v:#}");
    }
    for aspect in ["Image size", "EOL status", "Tier", "setuid/setgid files", "Package managers", "Wasted bytes"] {
        assert_eq!(change(&v, aspect), "better", "{aspect}: {v:#}");
    }
    // no advisory store in the test cache: matching did not run, and the row says so
    assert_eq!(change(&v, "Vulnerabilities"), "unknown");
    let row = |aspect: &str| rows(&v).into_iter().find(|r| r["aspect"] == aspect).expect("row");
    assert_eq!(row("Vulnerabilities")["a"], "not matched");
    assert_eq!(row("Base image")["a"], "Ubuntu 18.04.6 LTS (full, EOL)");
    assert_eq!(row("Base image")["b"], "Debian GNU/Linux 13 (trixie) (slim)");
    assert_eq!(row("User privilege")["a"], "✗ root (USER root)");
    assert_eq!(row("User privilege")["b"], "✓ 10001 (non-root)");
    assert_eq!(row("Package versions")["a"], "✗ 8 unpinned");
    assert_eq!(row("Package versions")["b"], "✓ pinned");
    assert_eq!(row("Package managers")["a"], "✗ apt-get, dpkg");
    assert_eq!(row("Root SSH")["a"], "✗ enabled (root login, SSH server, port exposed)");
    assert_eq!(v["comparison"]["verdict"]["change"], "better");
    assert!(v["comparison"]["verdict"]["summary"].as_str().is_some_and(|s| s.starts_with("B is more secure")));

    // swapped: every judgement flips
    let ba = compare_json(&b, &a);
    for (x, y) in rows(&v).iter().zip(rows(&ba)) {
        assert_eq!(flipped(x["change"].as_str().unwrap_or("")), y["change"], "{x} vs {y}");
    }
    assert_eq!(ba["comparison"]["verdict"]["change"], "worse");
    // an image against itself: nothing better or worse
    let same = compare_json(&a, &a);
    assert!(rows(&same).iter().all(|r| r["change"] == "same" || r["change"] == "unknown"), "{same:#}");
    assert_eq!(same["comparison"]["verdict"]["change"], "same");
}

#[test]
fn seed_images_text_and_markdown() {
    let imgs = images();
    let (a, b) = (imgs.insecure.display().to_string(), imgs.hardened.display().to_string());
    let text = stdout(&caulk(&["compare", &a, &b]));
    for aspect in ASPECTS {
        assert!(text.lines().any(|l| l.starts_with(aspect)), "no `{aspect}` row:\n{text}");
    }
    assert!(text.contains("B is more secure than A"), "{text}");
    // the temporary paths differ per run: snapshot the table without the two header lines
    let table = text.lines().skip(2).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!("seed_images_text", table);
    let md = stdout(&caulk(&["compare", "--format", "markdown", &a, &b]));
    assert!(
        md.contains("| Root SSH | ✗ enabled (root login, SSH server, port exposed) | ✓ disabled | ⭐⭐⭐ | ✓ better |"),
        "{md}"
    );
    assert!(md.contains("| Health check | ✗ none | ✓ included | ⭐ | ✓ better |"), "{md}");
}

#[test]
fn a_dockerfile_against_an_image() {
    let imgs = images();
    let b = imgs.hardened.display().to_string();
    let v = compare_json(INSECURE, &b);
    assert_eq!(v["comparison"]["a"]["kind"], "dockerfile");
    assert_eq!(v["comparison"]["b"]["kind"], "image");
    assert_eq!(change(&v, "User privilege"), "better");
    assert_eq!(change(&v, "Root SSH"), "better");
    // only the image has a size
    assert_eq!(change(&v, "Image size"), "unknown");
    assert_eq!(v["comparison"]["verdict"]["change"], "better");
}
