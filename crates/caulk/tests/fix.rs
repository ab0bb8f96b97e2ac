//! End-to-end tests of `caulk fix`: safe and unsafe fixes on the insecure example (on a copy),
//! `--diff` leaving the file alone, and `--image` pinning installs to the versions of a tiny
//! `docker save` archive built here (no network).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::root;

fn caulk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(root())
        .env("CAULK_TODAY", "2026-11-22")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.code() == Some(0),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A copy of the insecure example's Dockerfile in a temporary directory.
fn insecure_copy() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(root().join("examples/ml-service-insecure/Dockerfile")).expect("example");
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, &text).expect("write copy");
    (dir, path.display().to_string(), text)
}

#[test]
fn unsafe_diff_removes_ssh_and_root_and_leaves_the_file() {
    let (_dir, path, original) = insecure_copy();
    let diff = stdout(&caulk(&["fix", "--unsafe-fixes", "--diff", &path]));
    for line in [
        "-    openssh-server \\",
        "-    openssh-client",
        "-RUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config",
        "-EXPOSE 22 5000",
        "+EXPOSE 5000",
        "+RUN groupadd --system app && useradd --system --gid app --no-create-home app",
        "-USER root",
        "+USER app",
        "-CMD [\"sh\", \"-c\", \"python3 app.py\"]",
        "+CMD [\"python3\", \"app.py\"]",
    ] {
        assert!(diff.lines().any(|l| l == line), "missing `{line}` in:\n{diff}");
    }
    assert!(diff.lines().all(|l| !l.starts_with('+') || !l.contains("openssh")), "{diff}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), original, "--diff must not write");
}

#[test]
fn safe_fixes_keep_behaviour_and_the_result_has_no_new_high_finding() {
    let (_dir, path, _) = insecure_copy();
    let summary = stdout(&caulk(&["fix", &path]));
    assert!(summary.contains("fix(es) applied"), "{summary}");
    let safe = std::fs::read_to_string(&path).expect("read");
    assert!(safe.contains("CMD [\"python3\", \"app.py\"]"), "{safe}");
    assert!(safe.contains("--no-cache-dir"), "{safe}");
    assert!(safe.contains("openssh-server") && safe.contains("USER root") && safe.contains("EXPOSE 22"), "{safe}");

    stdout(&caulk(&["fix", "--unsafe-fixes", &path]));
    let fixed = std::fs::read_to_string(&path).expect("read");
    let out = caulk(&["check", "--format", "json", "--fail-on", "never", &path]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = report.to_string();
    assert!(text.contains("\"DF101\""), "the end-of-life base is still reported: {text}");
    for code in ["DF001", "DF201", "DF202", "DF204", "DF205", "DF207", "DF403"] {
        assert!(!text.contains(&format!("\"{code}\"")), "{code} still reported on:\n{fixed}\n{text}");
    }
    // a second run has nothing left to do
    let again = stdout(&caulk(&["fix", "--unsafe-fixes", "--diff", &path]));
    assert!(again.trim().is_empty(), "{again}");
}

// --- a tiny `docker save` archive, written by hand (ustar) ------------------------------------

/// Appends one regular file to a ustar archive.
fn tar_file(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn tar_end(out: &mut Vec<u8>) {
    out.extend_from_slice(&[0u8; 1024]);
}

/// An Ubuntu 18.04 image whose dpkg database lists `python3-pip` and `ca-certificates`.
fn write_image(path: &Path) {
    let status = "Package: python3-pip\nStatus: install ok installed\nArchitecture: all\nVersion: 9.0.1-2.3~ubuntu1.18.04.8\n\n\
                  Package: ca-certificates\nStatus: install ok installed\nArchitecture: all\nVersion: 20230311ubuntu0.18.04.1\n\n";
    let os_release = "NAME=\"Ubuntu\"\nVERSION_ID=\"18.04\"\nID=ubuntu\nVERSION_CODENAME=bionic\n";
    let mut layer = Vec::new();
    tar_file(&mut layer, "etc/os-release", os_release.as_bytes());
    tar_file(&mut layer, "var/lib/dpkg/status", status.as_bytes());
    tar_end(&mut layer);
    let hex = format!("{:064x}", 1);
    let config = serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [format!("sha256:{hex}")]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "RUN apt-get install"}],
    })
    .to_string();
    let config_name = format!("{:064x}.json", 0x00c0_ffee);
    let manifest = serde_json::json!([{"Config": config_name, "RepoTags": ["pins:latest"], "Layers": [format!("{hex}/layer.tar")]}])
        .to_string();
    let mut outer = Vec::new();
    tar_file(&mut outer, &format!("{hex}/layer.tar"), &layer);
    tar_file(&mut outer, &config_name, config.as_bytes());
    tar_file(&mut outer, "manifest.json", manifest.as_bytes());
    tar_end(&mut outer);
    std::fs::write(path, outer).expect("write image");
}

#[test]
fn image_pins_installs_to_its_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = dir.path().join("image.tar");
    write_image(&image);
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM ubuntu:18.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip ca-certificates jq \\\n && rm -rf /var/lib/apt/lists/*\nUSER 1000\nCMD [\"python3\", \"app.py\"]\n",
    )
    .expect("write Dockerfile");
    let df = dockerfile.display().to_string();
    let image = format!("docker-archive:{}", image.display());

    // without --unsafe-fixes the pins are only announced
    let out = caulk(&["fix", "--image", &image, "--diff", &df]);
    assert!(stdout(&out).trim().is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--unsafe-fixes"));

    let out = caulk(&["fix", "--unsafe-fixes", "--image", &image, &df]);
    let summary = stdout(&out);
    assert!(summary.contains("1 package(s) left unpinned"), "{summary}");
    let fixed = std::fs::read_to_string(&dockerfile).expect("read");
    assert!(
        fixed.contains(
            "apt-get install -y --no-install-recommends python3-pip=9.0.1-2.3~ubuntu1.18.04.8 ca-certificates=20230311ubuntu0.18.04.1 jq \\\n"
        ),
        "{fixed}"
    );
}

#[test]
fn an_unreadable_image_is_an_error() {
    let (dir, path, _) = insecure_copy();
    let missing = dir.path().join("missing.tar").display().to_string();
    let out = caulk(&["fix", "--unsafe-fixes", "--image", &format!("docker-archive:{missing}"), &path]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.tar"));
}
