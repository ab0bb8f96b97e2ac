//! Exporting images from a real Docker daemon: Debian's `dockerd`, started here with its own
//! socket, data and exec roots (no iptables, no bridge), loaded with `docker load`, read back
//! through the Engine API's chunked `GET /images/{name}/get`.
// Skip notes go to stderr, as in the shared test helper.
#![allow(clippy::print_stderr)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use caulk_core::PackageType;
use caulk_image::source::daemon::DaemonOptions;
use caulk_image::{ReadOptions, read_image};

/// True when `dockerd` and `docker` are installed and we are root; otherwise fails in CI and
/// skips (with a note) elsewhere.
fn can_run_dockerd() -> bool {
    let missing: Vec<&str> = ["dockerd", "docker"].into_iter().filter(|t| which(t).is_none()).collect();
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false);
    if missing.is_empty() && root {
        return true;
    }
    let why = if missing.is_empty() {
        "dockerd needs root".to_owned()
    } else {
        format!("{} not installed", missing.join(", "))
    };
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{why}: CI must install docker.io and run as root");
    eprintln!("skipping: {why}");
    false
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(tool)).find(|p| p.is_file())
}

/// A private dockerd; stopped (SIGTERM, then SIGKILL) and cleaned up on drop.
struct Dockerd {
    child: Child,
    dir: tempfile::TempDir,
}

impl Dockerd {
    fn start() -> Self {
        // Unix socket paths are limited to 108 bytes: keep the directory short.
        let dir = tempfile::Builder::new().prefix("caulk-dockerd").tempdir_in("/tmp").unwrap();
        let d = dir.path();
        let log = std::fs::File::create(d.join("dockerd.log")).unwrap();
        let child = Command::new("dockerd")
            .arg("--host")
            .arg(format!("unix://{}", d.join("d.sock").display()))
            .arg("--data-root")
            .arg(d.join("data"))
            .arg("--exec-root")
            .arg(d.join("exec"))
            .arg("--pidfile")
            .arg(d.join("dockerd.pid"))
            .args(["--iptables=false", "--ip6tables=false", "--bridge=none"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start dockerd");
        let mut daemon = Self { child, dir };
        daemon.wait_ready();
        daemon
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("d.sock")
    }

    fn host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("dockerd exited ({status}):\n{}", self.log());
            }
            if ping(&self.socket()) {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        panic!("dockerd did not answer /_ping within 60 s:\n{}", self.log());
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dockerd.log")).unwrap_or_default()
    }

    /// The docker CLI against this daemon only (DOCKER_HOST set for the child, not for us).
    fn docker(&self, args: &[&str]) -> String {
        let out = Command::new("docker").env("DOCKER_HOST", self.host()).args(args).output().unwrap();
        assert!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ping(socket: &Path) -> bool {
    let Ok(mut s) = UnixStream::connect(socket) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n").is_err() {
        return false;
    }
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).is_ok() && line.starts_with("HTTP/1.1 200")
}

#[test]
fn images_are_exported_from_the_daemon() {
    let Some(images) = common::images() else { return };
    if !can_run_dockerd() {
        return;
    }
    let started = Instant::now();
    let daemon = Dockerd::start();
    let up = started.elapsed();
    let alpine = images.join("trivy-alpine-310.docker-save.tar.gz");
    let debian = images.join("debian-pkgdb/debian-12-bookworm-pkgdb.docker-archive.tar.gz");
    for archive in [&alpine, &debian] {
        daemon.docker(&["load", "-q", "-i", archive.to_str().unwrap()]);
    }
    let options = ReadOptions { daemon: DaemonOptions { host: Some(daemon.host()) }, ..ReadOptions::default() };

    for (name, archive, kind, count) in
        [("alpine:3.10", &alpine, PackageType::Apk, 14), ("localtest/debian-pkgdb:12", &debian, PackageType::Deb, 88)]
    {
        let exported = read_image(&format!("docker-daemon:{name}"), &options).unwrap();
        let archived = read_image(archive.to_str().unwrap(), &ReadOptions::default()).unwrap();
        assert_eq!(exported.source_kind, "docker-daemon");
        assert_eq!(exported.os, archived.os, "{name}");
        assert_eq!(exported.packages.iter().filter(|p| p.kind == kind).count(), count, "{name}");
        assert_eq!(exported.packages, archived.packages, "{name}");
        assert_eq!(exported.config_digest, archived.config_digest, "{name}: the image ID survives load and save");
        assert!(exported.issues.is_empty(), "{name}: {:?}", exported.issues);
    }
    // By image ID too, which the Engine accepts wherever it takes a name.
    let id = daemon.docker(&["image", "inspect", "--format", "{{.Id}}", "alpine:3.10"]);
    let by_id = read_image(&format!("docker-daemon:{}", id.trim()), &options).unwrap();
    assert_eq!(by_id.os.as_ref().map(|o| o.version_id.as_str()), Some("3.10.4"));

    let err = read_image("docker-daemon:caulk/absent:1", &options).unwrap_err().to_string();
    assert!(err.contains("no such image in the daemon: `caulk/absent:1`"), "{err}");
    eprintln!("dockerd up in {up:?}; whole test {:?}", started.elapsed());
}
