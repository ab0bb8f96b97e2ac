//! Test helpers for image rules: build a real `docker save` archive (manifest, configuration,
//! layer tars with modes, owners, symlinks, whiteouts and hostile entries) in a temporary
//! directory, read it with caulk_image, and run one rule or all of them on it.

use std::fmt::Write as _;
use std::io::Write as _;

use caulk_core::Diagnostic;
use caulk_image::{Image, ReadOptions, read_image};
use serde_json::{Map, Value, json};

use super::{Accounts, ImageChecker, ImageRule, steps};
use crate::settings::LintSettings;

/// One entry of a test layer.
#[derive(Debug, Clone)]
enum Entry {
    File {
        path: String,
        mode: u32,
        uid: u64,
        gid: u64,
        data: Vec<u8>,
    },
    Dir {
        path: String,
        mode: u32,
    },
    Symlink {
        path: String,
        target: String,
    },
    Hardlink {
        path: String,
        target: String,
    },
    CharDevice {
        path: String,
    },
    /// A file entry whose name is written into the header as is (`../../etc/passwd`).
    Raw {
        name: Vec<u8>,
        data: Vec<u8>,
    },
}

/// The entries of one layer, in archive order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layer {
    entries: Vec<Entry>,
    /// Cut the layer tar to this many bytes (a damaged blob).
    truncate: Option<usize>,
}

fn rel(path: &str) -> String {
    path.trim_start_matches('/').to_owned()
}

impl Layer {
    /// A regular file, mode 0644, owned by root.
    pub(crate) fn file(self, path: &str, data: impl AsRef<[u8]>) -> Self {
        self.file_with(path, 0o644, 0, data)
    }

    /// An executable (mode 0755) with placeholder content.
    pub(crate) fn exec(self, path: &str) -> Self {
        self.file_with(path, 0o755, 0, b"\x7fELF")
    }

    pub(crate) fn file_with(mut self, path: &str, mode: u32, uid: u64, data: impl AsRef<[u8]>) -> Self {
        self.entries.push(Entry::File { path: rel(path), mode, uid, gid: uid, data: data.as_ref().to_vec() });
        self
    }

    /// A file of `size` zero bytes (for size accounting).
    pub(crate) fn sized(self, path: &str, size: usize) -> Self {
        self.file_with(path, 0o644, 0, vec![0u8; size])
    }

    pub(crate) fn dir(self, path: &str) -> Self {
        self.dir_with(path, 0o755)
    }

    pub(crate) fn dir_with(mut self, path: &str, mode: u32) -> Self {
        self.entries.push(Entry::Dir { path: rel(path), mode });
        self
    }

    pub(crate) fn symlink(mut self, path: &str, target: &str) -> Self {
        self.entries.push(Entry::Symlink { path: rel(path), target: target.to_owned() });
        self
    }

    pub(crate) fn hardlink(mut self, path: &str, target: &str) -> Self {
        self.entries.push(Entry::Hardlink { path: rel(path), target: rel(target) });
        self
    }

    /// Deletes `path` from lower layers (`.wh.<name>`).
    pub(crate) fn whiteout(self, path: &str) -> Self {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        self.file(&format!("{dir}/.wh.{name}"), b"")
    }

    pub(crate) fn char_device(mut self, path: &str) -> Self {
        self.entries.push(Entry::CharDevice { path: rel(path) });
        self
    }

    /// An entry named exactly `name`, unchecked.
    pub(crate) fn raw(mut self, name: &[u8], data: &[u8]) -> Self {
        self.entries.push(Entry::Raw { name: name.to_vec(), data: data.to_vec() });
        self
    }

    /// Cuts the written layer to `len` bytes.
    pub(crate) fn truncated(mut self, len: usize) -> Self {
        self.truncate = Some(len);
        self
    }

    fn tar(&self) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for e in &self.entries {
            let mut h = tar::Header::new_gnu();
            h.set_mtime(0);
            h.set_uid(0);
            h.set_gid(0);
            match e {
                Entry::File { path, mode, uid, gid, data } => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_mode(*mode);
                    h.set_uid(*uid);
                    h.set_gid(*gid);
                    h.set_size(data.len() as u64);
                    b.append_data(&mut h, path, data.as_slice()).expect("tar file");
                }
                Entry::Dir { path, mode } => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_mode(*mode);
                    h.set_size(0);
                    b.append_data(&mut h, path, std::io::empty()).expect("tar dir");
                }
                Entry::Symlink { path, target } => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_mode(0o777);
                    h.set_size(0);
                    b.append_link(&mut h, path, target).expect("tar symlink");
                }
                Entry::Hardlink { path, target } => {
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_mode(0o644);
                    h.set_size(0);
                    b.append_link(&mut h, path, target).expect("tar hard link");
                }
                Entry::CharDevice { path } => {
                    h.set_entry_type(tar::EntryType::Char);
                    h.set_mode(0o666);
                    h.set_size(0);
                    b.append_data(&mut h, path, std::io::empty()).expect("tar device");
                }
                Entry::Raw { name, data } => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_mode(0o644);
                    h.set_size(data.len() as u64);
                    let gnu = h.as_gnu_mut().expect("gnu header");
                    let n = name.len().min(gnu.name.len());
                    gnu.name[..n].copy_from_slice(&name[..n]);
                    h.set_cksum();
                    b.append(&h, data.as_slice()).expect("tar raw");
                }
            }
        }
        let mut bytes = b.into_inner().expect("tar finish");
        if let Some(n) = self.truncate {
            bytes.truncate(n);
        }
        bytes
    }
}

/// A whole image: runtime configuration, history and layers.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestImage {
    config: Map<String, Value>,
    os: Option<String>,
    /// (created_by, layer) in history order; `None` for configuration-only steps.
    history: Vec<(String, Option<Layer>)>,
}

impl TestImage {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Sets a runtime configuration field (`User`, `Cmd`, `Env`, `Healthcheck`, …).
    pub(crate) fn config(mut self, key: &str, value: Value) -> Self {
        self.config.insert(key.to_owned(), value);
        self
    }

    pub(crate) fn windows(mut self) -> Self {
        self.os = Some("windows".to_owned());
        self
    }

    /// A history step that made no layer (`ENV A=b`, `CMD ["x"]`).
    pub(crate) fn step(mut self, created_by: &str) -> Self {
        self.history.push((created_by.to_owned(), None));
        self
    }

    /// A history step with its layer.
    pub(crate) fn layer(mut self, created_by: &str, build: impl FnOnce(Layer) -> Layer) -> Self {
        self.history.push((created_by.to_owned(), Some(build(Layer::default()))));
        self
    }

    /// Writes the `docker save` archive into a temporary directory and reads it.
    pub(crate) fn build(&self) -> Image {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("image.tar");
        let mut outer = tar::Builder::new(Vec::new());
        let mut layer_names = Vec::new();
        let mut diff_ids = Vec::new();
        let mut history = Vec::new();
        for (i, (created_by, layer)) in self.history.iter().enumerate() {
            let mut h = Map::new();
            h.insert("created".into(), json!("2024-01-01T00:00:00Z"));
            h.insert("created_by".into(), json!(created_by));
            match layer {
                Some(l) => {
                    let hex = format!("{:064x}", i + 1);
                    let name = format!("{hex}/layer.tar");
                    append(&mut outer, &name, &l.tar());
                    layer_names.push(name);
                    diff_ids.push(format!("sha256:{hex}"));
                }
                None => {
                    h.insert("empty_layer".into(), json!(true));
                }
            }
            history.push(Value::Object(h));
        }
        let config = json!({
            "architecture": "amd64",
            "os": self.os.as_deref().unwrap_or("linux"),
            "config": Value::Object(self.config.clone()),
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        });
        let config_name = format!("{:064x}.json", 0x00c0_ffee_u64);
        append(&mut outer, &config_name, config.to_string().as_bytes());
        let manifest = json!([{"Config": config_name, "RepoTags": ["caulk-test:latest"], "Layers": layer_names}]);
        append(&mut outer, "manifest.json", manifest.to_string().as_bytes());
        let bytes = outer.into_inner().expect("outer tar");
        let mut f = std::fs::File::create(&path).expect("create archive");
        f.write_all(&bytes).expect("write archive");
        drop(f);
        read_image(&format!("docker-archive:{}", path.display()), &ReadOptions::default()).expect("read test image")
    }
}

fn append(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, name, data).expect("outer entry");
}

/// Settings with the fixed date every EOL test assumes.
pub(crate) fn settings() -> LintSettings {
    LintSettings { today: "2026-11-22".to_owned(), ..LintSettings::default() }
}

/// Runs `rule` alone on `image`.
pub(crate) fn run_rule(rule: &dyn ImageRule, image: &Image) -> Vec<Diagnostic> {
    let settings = settings();
    let tier = caulk_image::tier::classify(image);
    let runtimes = caulk_image::runtimes::detect(image);
    let steps = steps(image);
    let accounts = Accounts::read(&image.fs);
    let mut out = Vec::new();
    let mut cx = ImageChecker {
        image,
        settings: &settings,
        today: &settings.today,
        tier: &tier,
        runtimes: &runtimes,
        steps: &steps,
        accounts: &accounts,
        rule: rule.meta(),
        out: &mut out,
    };
    rule.check(&mut cx);
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// Asserts `rule` reports at least one finding on `image`; returns the findings.
#[track_caller]
pub(crate) fn assert_fires(rule: &dyn ImageRule, image: &TestImage) -> Vec<Diagnostic> {
    let d = run_rule(rule, &image.build());
    assert!(!d.is_empty(), "{} did not fire on {image:#?}", rule.meta().code);
    d
}

/// Asserts `rule` reports nothing on `image`.
#[track_caller]
pub(crate) fn assert_passes(rule: &dyn ImageRule, image: &TestImage) {
    let d = run_rule(rule, &image.build());
    assert!(
        d.is_empty(),
        "{} fired unexpectedly: {:#?}",
        rule.meta().code,
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
}

/// A small Debian 13 userland: os-release, a shell, dpkg with a status file, root and nobody.
pub(crate) fn debian(version: &str, codename: &str) -> TestImage {
    let os = format!(
        "PRETTY_NAME=\"Debian GNU/Linux {version} ({codename})\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"{version}\"\nVERSION_CODENAME={codename}\nID=debian\n"
    );
    TestImage::new()
        .layer("/bin/sh -c #(nop) ADD file:0123 in / ", |l| {
            l.dir("/etc")
                .file("/etc/os-release", os)
                .file(
                    "/etc/passwd",
                    "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
                )
                .file("/etc/shadow", "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n")
                .file("/etc/group", "root:x:0:\nnogroup:x:65534:\n")
                .dir("/usr")
                .dir("/usr/bin")
                .symlink("/bin", "usr/bin")
                .exec("/usr/bin/dash")
                .symlink("/usr/bin/sh", "dash")
                .exec("/usr/bin/dpkg")
                .dir_with("/tmp", 0o1777)
                .dir("/var")
                .dir("/var/lib")
                .dir("/var/lib/dpkg")
                .file("/var/lib/dpkg/status", dpkg_status(&[("base-files", "13.8"), ("dpkg", "1.22.21")]))
        })
        .step("/bin/sh -c #(nop)  CMD [\"bash\"]")
}

/// A dpkg status file listing `packages` as installed.
pub(crate) fn dpkg_status(packages: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (n, v) in packages {
        let _ = write!(out, "Package: {n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {v}\n\n");
    }
    out
}
