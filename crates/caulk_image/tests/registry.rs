//! Pulling from registries for real: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1,
//! filled with `skopeo`, plus small in-test HTTP servers for what a stock registry will not do
//! on demand (bearer tokens, redirects to storage, corrupted blobs). Loopback only.
// Skip notes go to stderr, as in the shared test helper.
#![allow(clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine;
use caulk_core::PackageType;
use caulk_image::source::registry::RegistryOptions;
use caulk_image::{Image, IssueKind, Platform, ReadOptions, SourceError, read_image};
use sha2::{Digest, Sha256};

const ALPINE_OCI: &str = "alpine-3.19.4-umoci.oci-archive.tar";
const ALPINE_310: &str = "trivy-alpine-310.docker-save.tar.gz";
const BUSYBOX: &str = "busybox-1.38.0-musl.oci-layout.tar";
/// `htpasswd -nbB -C 4 caulk s3cret-test`: bcrypt, computed once so tests need no htpasswd.
const HTPASSWD: &str = "caulk:$2y$04$sjyxRhBnA0Ljv4zs3v5DleBrwBTXULJG64JBXI4LGZWuFlfgqlHwy\n";
const USER: &str = "caulk";
const PASSWORD: &str = "s3cret-test";

// ---------------------------------------------------------------------------------------------
// Helpers

/// True when every binary is on PATH; otherwise fails in CI and skips (with a note) elsewhere.
fn have(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| which(t).is_none()).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} required in CI (Debian packages docker-registry and skopeo)",
        missing.join(", ")
    );
    eprintln!("skipping: {} not installed", missing.join(", "));
    false
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(tool)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// A `docker-registry serve` on 127.0.0.1 with its own storage; killed on drop.
struct Registry {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Registry {
    /// Starts a registry on a free port, trying again if another process took the port first.
    fn start(htpasswd: Option<&str>) -> Self {
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(htpasswd) {
                Ok(r) => return r,
                Err(log) => last = log,
            }
        }
        panic!("docker-registry would not start:\n{last}");
    }

    fn try_start(htpasswd: Option<&str>) -> Result<Self, String> {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let root = dir.path();
        let mut config = format!(
            "version: 0.1\nlog: {{level: warn}}\nstorage: {{filesystem: {{rootdirectory: {}}}}}\n\
             http: {{addr: 127.0.0.1:{port}, secret: caulk-test}}\n",
            root.join("data").display()
        );
        if let Some(line) = htpasswd {
            std::fs::write(root.join("htpasswd"), line).unwrap();
            let _ = writeln!(
                config,
                "auth: {{htpasswd: {{realm: caulk-test, path: {}}}}}",
                root.join("htpasswd").display()
            );
        }
        std::fs::write(root.join("config.yml"), config).unwrap();
        let log = std::fs::File::create(root.join("registry.log")).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(root.join("config.yml"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start docker-registry");
        let mut registry = Self { child, port, dir };
        registry.wait_ready()?;
        Ok(registry)
    }

    /// Waits until `/v2/` answers; the registry's log if it exits first.
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                let log = std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default();
                return Err(format!("exited ({status}):\n{log}"));
            }
            if http_status(self.port, "/v2/").is_some_and(|s| s == 200 || s == 401) {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!("docker-registry did not answer /v2/ within 20 s");
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn options(&self) -> ReadOptions<'static> {
        // An empty DOCKER_CONFIG of the test's own, so the machine's credentials never leak in.
        let config = self.dir.path().join("docker-config");
        std::fs::create_dir_all(&config).unwrap();
        ReadOptions {
            registry: RegistryOptions { insecure: vec![self.host()], docker_config: Some(config) },
            ..ReadOptions::default()
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status of a plain HTTP GET on 127.0.0.1, or `None` when nothing answers.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).ok()?;
    line.split(' ').nth(1)?.parse().ok()
}

/// `skopeo copy` into the registry (policy checks off, no TLS: loopback only).
fn skopeo_copy(src: &str, dest: &str, extra: &[&str]) {
    let out = Command::new("skopeo")
        .args(["--insecure-policy", "copy", "-q", "--dest-tls-verify=false"])
        .args(extra)
        .arg(src)
        .arg(format!("docker://{dest}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "skopeo copy {src} {dest}: {}", String::from_utf8_lossy(&out.stderr));
}

/// `skopeo inspect --raw … | sha256sum`.
fn raw_digest(reference: &str, extra: &[&str]) -> String {
    let out = Command::new("skopeo")
        .args(["--insecure-policy", "inspect", "--raw", "--tls-verify=false"])
        .args(extra)
        .arg(format!("docker://{reference}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "skopeo inspect {reference}: {}", String::from_utf8_lossy(&out.stderr));
    sha256(&out.stdout)
}

fn local(arg: &str) -> Image {
    read_image(arg, &ReadOptions::default()).unwrap()
}

fn assert_same_contents(pulled: &Image, local: &Image) {
    assert_eq!(pulled.source_kind, "registry");
    assert_eq!(pulled.os, local.os);
    assert!(!local.packages.is_empty());
    assert_eq!(pulled.packages, local.packages);
    assert_eq!(pulled.layers.len(), local.layers.len());
    assert_eq!(pulled.fs.iter().count(), local.fs.iter().count());
    assert!(pulled.issues.is_empty(), "{:?}", pulled.issues);
}

// ---------------------------------------------------------------------------------------------
// docker-registry

#[test]
fn oci_image_pulled_by_tag_and_by_digest() {
    let Some(images) = common::images() else { return };
    if !have(&["docker-registry", "skopeo"]) {
        return;
    }
    let archive = images.join(ALPINE_OCI);
    let reg = Registry::start(None);
    let name = format!("{}/caulk/alpine", reg.host());
    skopeo_copy(&format!("oci-archive:{}", archive.display()), &format!("{name}:3.19"), &[]);
    let expected = raw_digest(&format!("{name}:3.19"), &[]);

    let options = reg.options();
    let pulled = read_image(&format!("{name}:3.19"), &options).unwrap();
    let archived = local(&format!("oci-archive:{}", archive.display()));
    assert_same_contents(&pulled, &archived);
    let os = pulled.os.as_ref().unwrap();
    assert_eq!((os.id.as_str(), os.version_id.as_str()), ("alpine", "3.19.4"));
    assert_eq!(pulled.manifest_digest.as_deref(), Some(expected.as_str()));
    assert_eq!(pulled.config_digest, archived.config_digest);
    assert_eq!(pulled.tags, vec![format!("{name}:3.19")]);
    let layer = &pulled.layers[0];
    assert_eq!(layer.media_type.as_deref(), Some("application/vnd.oci.image.layer.v1.tar+gzip"));
    assert_eq!(layer.digest, archived.layers[0].digest);

    // By digest, alone and with a tag (the digest wins); `docker://` is accepted too.
    for arg in [format!("{name}@{expected}"), format!("docker://{name}:ignored@{expected}")] {
        let by_digest = read_image(&arg, &options).unwrap();
        assert_eq!(by_digest.manifest_digest.as_deref(), Some(expected.as_str()), "{arg}");
        assert_eq!(by_digest.packages, pulled.packages);
    }

    // What is not there says so.
    let err = read_image(&format!("{name}:nope"), &options).unwrap_err().to_string();
    assert!(err.contains("manifest unknown") && err.contains(&format!("{name}:nope")), "{err}");
    let absent = format!("sha256:{}", "0".repeat(64));
    let err = read_image(&format!("{name}@{absent}"), &options).unwrap_err().to_string();
    assert!(err.contains("manifest unknown") && err.contains(&absent), "{err}");
    let err = read_image(&format!("{}/caulk/missing:1", reg.host()), &options).unwrap_err().to_string();
    assert!(err.contains("manifest unknown") && err.contains("caulk/missing:1"), "{err}");
}

#[test]
fn docker_v2s2_image_matches_the_docker_save_archive() {
    let Some(images) = common::images() else { return };
    if !have(&["docker-registry", "skopeo"]) {
        return;
    }
    // skopeo reads only uncompressed docker-archive tars.
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("alpine310.tar");
    let mut gz = flate2::read::GzDecoder::new(std::fs::File::open(images.join(ALPINE_310)).unwrap());
    std::io::copy(&mut gz, &mut std::fs::File::create(&plain).unwrap()).unwrap();
    let reg = Registry::start(None);
    let reference = format!("{}/caulk/alpine:3.10", reg.host());
    skopeo_copy(&format!("docker-archive:{}", plain.display()), &reference, &[]);

    let pulled = read_image(&reference, &reg.options()).unwrap();
    let archived = local(images.join(ALPINE_310).to_str().unwrap());
    assert_same_contents(&pulled, &archived);
    assert_eq!(pulled.os.as_ref().map(|o| o.version_id.as_str()), Some("3.10.4"));
    assert_eq!(pulled.packages.iter().filter(|p| p.kind == PackageType::Apk).count(), 14);
    assert_eq!(pulled.manifest_digest, Some(raw_digest(&reference, &[])));
    assert_eq!(pulled.config_digest, archived.config_digest, "the image ID survives the push");
    assert_eq!(pulled.layers[0].media_type.as_deref(), Some("application/vnd.docker.image.rootfs.diff.tar.gzip"));
}

/// Builds an OCI layout holding a two-platform index of the busybox image (the arm64 entry is
/// the same layer under an arm64 configuration) and returns (layout, amd64 digest, arm64 digest, index digest).
fn two_platform_layout(images: &Path, dir: &Path) -> (PathBuf, String, String, String) {
    let layout = dir.join("layout");
    std::fs::create_dir_all(&layout).unwrap();
    tar::Archive::new(std::fs::File::open(images.join(BUSYBOX)).unwrap()).unpack(&layout).unwrap();
    let blob = |d: &str| layout.join("blobs/sha256").join(d.trim_start_matches("sha256:"));
    let put = |bytes: &[u8]| {
        let d = sha256(bytes);
        std::fs::write(blob(&d), bytes).unwrap();
        d
    };
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let amd64 = index["manifests"][0]["digest"].as_str().unwrap().to_owned();
    let manifest_bytes = std::fs::read(blob(&amd64)).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_slice(&manifest_bytes).unwrap();
    let config_digest = manifest["config"]["digest"].as_str().unwrap().to_owned();
    let mut config: serde_json::Value = serde_json::from_slice(&std::fs::read(blob(&config_digest)).unwrap()).unwrap();
    config["architecture"] = "arm64".into();
    config["variant"] = "v8".into();
    let config_bytes = serde_json::to_vec(&config).unwrap();
    manifest["config"]["digest"] = put(&config_bytes).into();
    manifest["config"]["size"] = config_bytes.len().into();
    let arm_bytes = serde_json::to_vec(&manifest).unwrap();
    let arm64 = put(&arm_bytes);
    let image_index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": amd64, "size": manifest_bytes.len(),
             "platform": {"architecture": "amd64", "os": "linux"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": arm64, "size": arm_bytes.len(),
             "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
        ]
    });
    let index_bytes = serde_json::to_vec(&image_index).unwrap();
    let index_digest = put(&index_bytes);
    index["manifests"].as_array_mut().unwrap().push(serde_json::json!({
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": index_digest, "size": index_bytes.len(),
        "annotations": {"org.opencontainers.image.ref.name": "multi"}
    }));
    std::fs::write(layout.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    (layout, amd64, arm64, index_digest)
}

#[test]
fn multi_platform_index_picks_the_platform_and_lists_the_others() {
    let Some(images) = common::images() else { return };
    if !have(&["docker-registry", "skopeo"]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (layout, amd64, arm64, index_digest) = two_platform_layout(&images, tmp.path());
    let reg = Registry::start(None);
    let name = format!("{}/caulk/busybox", reg.host());
    skopeo_copy(&format!("oci:{}:multi", layout.display()), &format!("{name}:multi"), &["--all"]);
    assert_eq!(raw_digest(&format!("{name}:multi"), &[]), index_digest, "the index was pushed as built");

    let mut options = reg.options();
    let default = read_image(&format!("{name}:multi"), &options).unwrap();
    assert_eq!(default.manifest_digest.as_deref(), Some(amd64.as_str()));
    assert_eq!(default.config.architecture, "amd64");
    assert!(default.fs.lstat("/bin/busybox").is_some());

    options.platform = Some(Platform::parse("linux/arm64").unwrap());
    let arm = read_image(&format!("{name}@{index_digest}"), &options).unwrap();
    assert_eq!(arm.manifest_digest.as_deref(), Some(arm64.as_str()));
    assert_eq!(arm.config.architecture, "arm64");

    options.platform = Some(Platform::parse("linux/s390x").unwrap());
    let err = read_image(&format!("{name}:multi"), &options).unwrap_err();
    assert!(matches!(err, SourceError::Platform { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("linux/s390x") && msg.contains("linux/amd64") && msg.contains("linux/arm64/v8"), "{msg}");
}

#[test]
fn basic_auth_uses_docker_config_credentials() {
    let Some(images) = common::images() else { return };
    if !have(&["docker-registry", "skopeo"]) {
        return;
    }
    let reg = Registry::start(Some(HTPASSWD));
    let reference = format!("{}/caulk/private:1", reg.host());
    let creds = format!("{USER}:{PASSWORD}");
    skopeo_copy(&format!("oci-archive:{}", images.join(ALPINE_OCI).display()), &reference, &["--dest-creds", &creds]);

    // No credentials: the registry's Basic challenge cannot be answered.
    let err = read_image(&reference, &reg.options()).unwrap_err().to_string();
    assert!(err.contains("authentication required") && err.contains("docker login"), "{err}");

    let write_config = |user: &str, password: &str| {
        let dir = reg.dir.path().join(format!("config-{password}"));
        std::fs::create_dir_all(&dir).unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let json = format!(r#"{{"auths": {{"http://{}": {{"auth": "{auth}"}}}}}}"#, reg.host());
        std::fs::write(dir.join("config.json"), json).unwrap();
        dir
    };
    let mut options = reg.options();
    options.registry.docker_config = Some(write_config(USER, PASSWORD));
    let pulled = read_image(&reference, &options).unwrap();
    assert_eq!(pulled.manifest_digest, Some(raw_digest(&reference, &["--creds", &creds])));
    assert_eq!(pulled.packages, local(&format!("oci-archive:{}", images.join(ALPINE_OCI).display())).packages);

    options.registry.docker_config = Some(write_config(USER, "wrong"));
    let err = read_image(&reference, &options).unwrap_err().to_string();
    assert!(err.contains("authentication failed") && err.contains("rejected the credentials"), "{err}");
}

#[test]
fn plain_http_needs_an_insecure_loopback_registry() {
    if !have(&["docker-registry"]) {
        return;
    }
    let reg = Registry::start(None);
    // Not listed as insecure: TLS is attempted and fails, with a hint.
    let err = read_image(&format!("{}/caulk/x:1", reg.host()), &ReadOptions::default()).unwrap_err().to_string();
    assert!(err.contains("TLS with") && err.contains("insecure registry"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// In-test servers

/// One request as a fake server saw it.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    headers: BTreeMap<String, String>,
}

type Handler = dyn Fn(&Seen) -> Vec<u8> + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1 answering one request per connection; stops on drop.
struct Fake {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

impl Fake {
    fn start(handler: impl Fn(&Seen) -> Vec<u8> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (log, halt) = (Arc::clone(&seen), Arc::clone(&stop));
        thread::spawn(move || {
            for conn in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                thread::spawn(move || serve(conn, &*handler, &log));
            }
        });
        Self { port, seen, stop }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(conn: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.is_empty() {
        return;
    }
    let path = request_line.split(' ').nth(1).unwrap_or("").to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let seen = Seen { path, headers };
    log.lock().unwrap().push(seen.clone());
    let answer = handler(&seen);
    let mut conn = conn;
    // `X-Split-Tail: N` holds back the last N bytes for a moment, so they arrive in a read of
    // their own (a reader that stops early would never see them).
    let head_len = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0);
    let tail = std::str::from_utf8(&answer[..head_len])
        .ok()
        .and_then(|h| h.split("\r\nX-Split-Tail: ").nth(1))
        .and_then(|rest| rest.split("\r\n").next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0)
        .min(answer.len());
    let (head, rest) = answer.split_at(answer.len() - tail);
    let _ = conn.write_all(head);
    let _ = conn.flush();
    if !rest.is_empty() {
        thread::sleep(Duration::from_millis(300));
        let _ = conn.write_all(rest);
    }
    let _ = conn.flush();
}

fn answer(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        let _ = write!(out, "{k}: {v}\r\n");
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn not_found() -> Vec<u8> {
    answer("404 Not Found", &[], br#"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}"#)
}

/// The blobs of an OCI archive and the digest of its image manifest.
struct Layout {
    blobs: BTreeMap<String, Vec<u8>>,
    manifest: String,
    layer: String,
}

fn alpine_blobs(images: &Path) -> Layout {
    let mut archive = tar::Archive::new(std::fs::File::open(images.join(ALPINE_OCI)).unwrap());
    let mut blobs = BTreeMap::new();
    let mut index = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().trim_start_matches("./").to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(hex) = path.strip_prefix("blobs/sha256/") {
            blobs.insert(format!("sha256:{hex}"), bytes);
        } else if path == "index.json" {
            index = bytes;
        }
    }
    let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
    let manifest = index["manifests"][0]["digest"].as_str().unwrap().to_owned();
    let m: serde_json::Value = serde_json::from_slice(&blobs[&manifest]).unwrap();
    let layer = m["layers"][0]["digest"].as_str().unwrap().to_owned();
    Layout { blobs, manifest, layer }
}

/// Serves `/v2/caulk/alpine/manifests/3.19` and the blobs, with `tweak` applied to each answer.
fn fake_registry(blobs: Layout, tweak: impl Fn(&Seen, &Layout) -> Option<Vec<u8>> + Send + Sync + 'static) -> Fake {
    Fake::start(move |req| {
        if let Some(a) = tweak(req, &blobs) {
            return a;
        }
        let path = req.path.split('?').next().unwrap_or("");
        if path == "/v2/caulk/alpine/manifests/3.19" || path == format!("/v2/caulk/alpine/manifests/{}", blobs.manifest)
        {
            let body = &blobs.blobs[&blobs.manifest];
            return answer(
                "200 OK",
                &[
                    ("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
                    ("Docker-Content-Digest", &blobs.manifest),
                ],
                body,
            );
        }
        if let Some(d) = path.strip_prefix("/v2/caulk/alpine/blobs/")
            && let Some(body) = blobs.blobs.get(d)
        {
            return answer("200 OK", &[("Content-Type", "application/octet-stream")], body);
        }
        not_found()
    })
}

fn fake_options(fake: &Fake, config: &Path) -> ReadOptions<'static> {
    ReadOptions {
        registry: RegistryOptions {
            insecure: vec![format!("127.0.0.1:{}", fake.port)],
            docker_config: Some(config.to_owned()),
        },
        ..ReadOptions::default()
    }
}

#[test]
fn bearer_tokens_and_redirects_to_storage() {
    let Some(images) = common::images() else { return };
    let blobs = alpine_blobs(&images);
    let storage_blobs = blobs.blobs.clone();
    // Storage, as S3 would be: serves blobs to whoever has the (pre-signed) URL.
    let storage = Fake::start(move |req| {
        let d = req.path.trim_start_matches("/storage/").split('?').next().unwrap_or("");
        storage_blobs.get(d).map_or_else(not_found, |b| answer("200 OK", &[], b))
    });
    // The token service: wants the Basic credentials and the exact service and scope.
    let want_basic =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}")));
    let tokens = Fake::start(move |req| {
        let scope_ok = req.path == "/token?service=fake-registry&scope=repository%3Acaulk%2Falpine%3Apull";
        if scope_ok && req.headers.get("authorization") == Some(&want_basic) {
            answer("200 OK", &[("Content-Type", "application/json")], br#"{"access_token":"tok-123","expires_in":300}"#)
        } else {
            answer("401 Unauthorized", &[], br#"{"details":"bad credentials"}"#)
        }
    });
    let challenge = format!(
        r#"Bearer realm="{}/token",service="fake-registry",scope="repository:caulk/alpine:pull""#,
        tokens.origin()
    );
    let storage_origin = storage.origin();
    let registry = fake_registry(blobs, move |req, _| {
        if req.headers.get("authorization").map(String::as_str) != Some("Bearer tok-123") {
            return Some(answer(
                "401 Unauthorized",
                &[("WWW-Authenticate", &challenge)],
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            ));
        }
        let d = req.path.strip_prefix("/v2/caulk/alpine/blobs/")?;
        Some(answer("307 Temporary Redirect", &[("Location", &format!("{storage_origin}/storage/{d}?sig=x"))], b""))
    });
    let tmp = tempfile::tempdir().unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    std::fs::write(
        tmp.path().join("config.json"),
        format!(r#"{{"auths": {{"127.0.0.1:{}": {{"auth": "{auth}"}}}}}}"#, registry.port),
    )
    .unwrap();
    let reference = format!("127.0.0.1:{}/caulk/alpine:3.19", registry.port);

    let pulled = read_image(&reference, &fake_options(&registry, tmp.path())).unwrap();
    let archived = local(&format!("oci-archive:{}", images.join(ALPINE_OCI).display()));
    assert_same_contents(&pulled, &archived);

    // One token for the whole pull: manifest, configuration and layer share it.
    assert_eq!(tokens.seen().len(), 1, "{:?}", tokens.seen());
    let seen = registry.seen();
    let authorized: Vec<&Seen> = seen.iter().filter(|s| s.headers.contains_key("authorization")).collect();
    assert_eq!(authorized.len(), 3, "manifest, configuration and layer with the token: {seen:?}");
    assert_eq!(seen.len(), 4, "a single 401 before the token: {seen:?}");
    // Storage got both blobs, and never the registry's token.
    let stored = storage.seen();
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(stored.iter().all(|s| !s.headers.contains_key("authorization")), "{stored:?}");

    // Without credentials the token service refuses, and the message says what to do.
    let empty = tempfile::tempdir().unwrap();
    let err = read_image(&reference, &fake_options(&registry, empty.path())).unwrap_err().to_string();
    assert!(err.contains("refused anonymous access") && err.contains("authentication required"), "{err}");
}

#[test]
fn a_corrupted_layer_never_reads_as_good() {
    let Some(images) = common::images() else { return };
    let blobs = alpine_blobs(&images);
    let layer = blobs.layer.clone();
    let mut bad = blobs.blobs[&layer].clone();
    // Byte 4 is the gzip header's MTIME: the layer still decompresses to the same tar, so only
    // the digest check can notice.
    bad[4] ^= 0xff;
    // How many final bytes arrive late, set per round below.
    let tail = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let registry = fake_registry(blobs, {
        let tail = Arc::clone(&tail);
        move |req, _| {
            let split = tail.load(Ordering::SeqCst).to_string();
            req.path.ends_with(&layer).then(|| answer("200 OK", &[("X-Split-Tail", &split)], &bad))
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    for split in [0, 1, 8, 16, 64, 1024] {
        let reference = format!("127.0.0.1:{}/caulk/alpine:3.19", registry.port);
        tail.store(split, Ordering::SeqCst);
        match read_image(&reference, &fake_options(&registry, tmp.path())) {
            Err(e) => panic!("expected the image with a corrupt-layer issue, got {e}"),
            Ok(image) => {
                let issue = image.issues.iter().find(|i| i.kind == IssueKind::Corrupt);
                let issue =
                    issue.unwrap_or_else(|| panic!("split {split}: no corrupt-layer issue in {:?}", image.issues));
                assert_eq!(issue.layer, Some(0));
                assert!(issue.message.contains("failed verification"), "{issue}");
            }
        }
    }
}

#[test]
fn short_long_and_truncated_blobs_fail_loudly() {
    let Some(images) = common::images() else { return };
    let blobs = alpine_blobs(&images);
    let layer = blobs.layer.clone();
    let good = blobs.blobs[&layer].clone();
    // The Content-Length disagrees with the manifest: refused before reading.
    let registry = fake_registry(alpine_blobs(&images), {
        let (layer, good) = (layer.clone(), good.clone());
        move |req, _| req.path.ends_with(&layer).then(|| answer("200 OK", &[], &good[..good.len() - 1]))
    });
    let tmp = tempfile::tempdir().unwrap();
    let reference = format!("127.0.0.1:{}/caulk/alpine:3.19", registry.port);
    let err = read_image(&reference, &fake_options(&registry, tmp.path())).unwrap_err().to_string();
    assert!(err.contains("bytes but the manifest says"), "{err}");

    // The connection drops halfway through: the layer is marked corrupt, not silently short.
    let registry = fake_registry(blobs, move |req, _| {
        req.path.ends_with(&layer).then(|| {
            let mut a = answer("200 OK", &[], &good);
            a.truncate(a.len() - good.len() / 2);
            a
        })
    });
    let reference = format!("127.0.0.1:{}/caulk/alpine:3.19", registry.port);
    let image = read_image(&reference, &fake_options(&registry, tmp.path())).unwrap();
    assert!(image.issues.iter().any(|i| i.kind == IssueKind::Corrupt && i.layer == Some(0)), "{:?}", image.issues);
}

#[test]
fn manifests_that_do_not_match_their_digest_are_refused() {
    let Some(images) = common::images() else { return };
    let blobs = alpine_blobs(&images);
    let manifest = blobs.manifest.clone();
    let registry = fake_registry(blobs, move |req, b| {
        // The tag answers with a lying Docker-Content-Digest; the digest answers with other bytes.
        if req.path.ends_with("/manifests/3.19") {
            let wrong = format!("sha256:{}", "1".repeat(64));
            return Some(answer("200 OK", &[("Docker-Content-Digest", &wrong)], &b.blobs[&manifest]));
        }
        if req.path.ends_with(&format!("/manifests/{manifest}")) {
            let mut other = b.blobs[&manifest].clone();
            other.push(b' ');
            return Some(answer("200 OK", &[("Docker-Content-Digest", &manifest)], &other));
        }
        None
    });
    let tmp = tempfile::tempdir().unwrap();
    let options = fake_options(&registry, tmp.path());
    let base = format!("127.0.0.1:{}/caulk/alpine", registry.port);
    let err = read_image(&format!("{base}:3.19"), &options).unwrap_err().to_string();
    assert!(err.contains("Docker-Content-Digest") && err.contains("hashes to"), "{err}");
    let err = read_image(&format!("{base}@{}", alpine_blobs(&images).manifest), &options).unwrap_err().to_string();
    assert!(err.contains("asked for manifest") && err.contains("hashes to"), "{err}");
}
