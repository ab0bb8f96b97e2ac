//! The streaming analyzers on real files: Go binaries from Debian packages, a real ELF carrying a
//! cargo-auditable section, Maven's own jars, and a docker-archive whose later layer deletes a jar.
#![allow(clippy::print_stderr)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use caulk_core::{Package, PackageType};
use caulk_image::analyzer::{AnalyzerOutput, StreamAnalyzer};
use caulk_image::analyzers::stream_analyzers;
use caulk_image::{ReadOptions, read_image};

fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// The bytes of a file a CI-installed package provides; `None` (with a note) elsewhere.
fn system_file(path: &str) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) => {
            assert!(!in_ci(), "{path} is required in CI (.ci/run installs it): {e}");
            eprintln!("skipping: {path}: {e}");
            None
        }
    }
}

fn analyzer(name: &str) -> &'static dyn StreamAnalyzer {
    *stream_analyzers().iter().find(|a| a.name() == name).unwrap_or_else(|| panic!("no `{name}` analyzer"))
}

fn run(name: &str, path: &str, bytes: &[u8]) -> AnalyzerOutput {
    let a = analyzer(name);
    let mut out = AnalyzerOutput::default();
    if a.wants(bytes.get(..8).unwrap_or(bytes)) {
        a.analyze(path, bytes, 0, &mut out);
    }
    out
}

/// A package as `(name, version)`.
type Coord = (String, String);

fn coords(pkgs: &[Package]) -> Vec<Coord> {
    let mut v: Vec<_> = pkgs.iter().map(|p| (p.name.clone(), p.version.clone())).collect();
    v.sort();
    v
}

fn pair(name: &str, version: &str) -> (String, String) {
    (name.to_owned(), version.to_owned())
}

#[test]
fn go_binaries_from_debian_packages() {
    // Debian builds Go programs outside module mode: only the toolchain is recorded (go1.19.8 in
    // bookworm), which is what matters for the standard library's CVEs.
    for path in ["/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/bin/umoci"] {
        let Some(bytes) = system_file(path) else { continue };
        let out = run("gobinary", path, &bytes);
        assert_eq!(coords(&out.packages), [pair("stdlib", "v1.19.8")], "{path}");
        let p = &out.packages[0];
        assert_eq!(p.kind, PackageType::Go);
        assert_eq!((p.evidence.path.as_str(), p.evidence.layer, p.evidence.analyzer), (path, Some(0), "gobinary"));
        if cfg!(target_arch = "x86_64") {
            assert_eq!(p.arch.as_deref(), Some("amd64"));
        }
        assert_eq!(p.purl(), "pkg:golang/stdlib@v1.19.8");
        assert!(out.issues.is_empty());
        // Nothing else claims a Go binary.
        assert!(run("rustaudit", path, &bytes).packages.is_empty());
    }
}

/// Binaries with module information that some machines have (Google Cloud CLI components); the
/// expectations were derived once with `go version -m` and hold only for that exact build.
#[test]
fn go_binaries_with_modules_when_present() {
    let check = |path: &str, toolchain: &str, f: &dyn Fn(&[Coord])| {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipping: {path} is not installed");
            return;
        };
        let out = run("gobinary", path, &bytes);
        let got = coords(&out.packages);
        if !got.contains(&pair("stdlib", toolchain)) {
            eprintln!("skipping: {path} is another build than the one the expectations came from");
            return;
        }
        f(&got);
    };
    check("/usr/bin/anthoscli", "v1.24.2", &|got| {
        // 151 deps: one is the `(devel)` program itself, two are replaced by local directories;
        // the rest are reported, replacements winning, plus stdlib.
        assert_eq!(got.len(), 149);
        assert!(got.contains(&pair("google.golang.org/api", "v0.92.0")));
        assert!(got.contains(&pair("github.com/gogo/protobuf", "v1.3.2")));
        assert!(!got.iter().any(|(n, _)| n.starts_with("cnrm.googlesource.com") || n.starts_with("./")));
    });
    check("/usr/bin/cbt", "v1.24.1", &|got| {
        assert_eq!(got.len(), 47);
        assert!(got.contains(&pair("cloud.google.com/go/cbt", "v0.0.0-20250422202024-9eeb4a7a08b6+dirty")));
        assert!(got.contains(&pair("cel.dev/expr", "v0.19.2")));
    });
}

/// What `go version -m` says should be reported for `path`: the reference reader for the binary
/// format, so only the selection rules are restated here.
fn go_version_m(path: &Path) -> Option<Vec<(String, String)>> {
    let out = Command::new("go").arg("version").arg("-m").arg(path).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let toolchain = lines.next()?.rsplit(' ').next()?.strip_prefix("go")?;
    let mut want = Vec::new();
    let dots = toolchain.matches('.').count();
    want.push(pair("stdlib", &format!("v{toolchain}{}", if dots == 1 { ".0" } else { "" })));
    let mut current: Option<(String, String)> = None;
    let mut flush = |m: Option<(String, String)>| {
        if let Some((n, v)) = m
            && !v.is_empty()
            && v != "(devel)"
        {
            want.push((n, v));
        }
    };
    for line in lines {
        let f: Vec<&str> = line.trim_start_matches('\t').split('\t').collect();
        match f.first().copied() {
            Some("mod" | "dep") => {
                flush(current.take());
                current = Some((f.get(1)?.to_string(), f.get(2).unwrap_or(&"").to_string()));
            }
            Some("=>") => current = Some((f.get(1)?.to_string(), f.get(2).unwrap_or(&"").to_string())),
            _ => {}
        }
    }
    flush(current);
    want.sort();
    Some(want)
}

/// A differential test against Go's own reader, where a Go toolchain is installed.
#[test]
fn go_binaries_match_go_version_m() {
    if Command::new("go").arg("version").output().is_err() {
        eprintln!("skipping: no Go toolchain to compare with");
        return;
    }
    let candidates = [
        "/usr/bin/docker-registry",
        "/usr/bin/skopeo",
        "/usr/bin/umoci",
        "/usr/sbin/dockerd",
        "/usr/local/bin/docker",
        "/usr/bin/containerd",
        "/usr/sbin/runc",
        "/usr/bin/kubectl",
        "/usr/bin/cbt",
        "/usr/bin/kpt",
        "/usr/bin/anthoscli",
        "/usr/local/bin/terraform",
    ];
    let mut compared = 0;
    for path in candidates {
        let path = PathBuf::from(path);
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let Some(want) = go_version_m(&path) else { continue };
        let got = coords(&run("gobinary", &path.display().to_string(), &bytes).packages);
        assert_eq!(got, want, "{}", path.display());
        compared += 1;
    }
    eprintln!("compared {compared} Go binaries with `go version -m`");
}

/// Adds a `.dep-v0` section holding `json` to a copy of `/bin/true`, the way cargo-auditable's
/// linker section ends up in a binary. `None` (outside CI) without objcopy.
fn auditable_binary(dir: &Path, json: &str) -> Option<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(json.as_bytes()).unwrap();
    let section = dir.join("dep-v0.zlib");
    std::fs::write(&section, z.finish().unwrap()).unwrap();
    let out = dir.join("audited");
    let status = Command::new("objcopy")
        .arg("--add-section")
        .arg(format!(".dep-v0={}", section.display()))
        .args(["--set-section-flags", ".dep-v0=noload,readonly", "/bin/true"])
        .arg(&out)
        .status();
    match status {
        Ok(s) if s.success() => Some(std::fs::read(&out).unwrap()),
        other => {
            assert!(!in_ci(), "objcopy (binutils) is required in CI: {other:?}");
            eprintln!("skipping: objcopy failed or is missing: {other:?}");
            None
        }
    }
}

/// The shape `cargo auditable` writes (auditable-serde `VersionInfo`, format 1), compact JSON.
const AUDIT_JSON: &str = concat!(
    r#"{"packages":[{"name":"adler","version":"1.0.2","source":"crates.io"},"#,
    r#"{"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},"#,
    r#"{"name":"miniz_oxide","version":"0.7.1","source":"crates.io","dependencies":[0]},"#,
    r#"{"name":"rust-audit-demo","version":"0.1.0","source":"local","dependencies":[0,1,2],"root":true}],"format":1}"#
);

#[test]
fn rust_audit_section_in_a_real_elf() {
    let dir = tempfile::tempdir().unwrap();
    let Some(bytes) = auditable_binary(dir.path(), AUDIT_JSON) else { return };
    let out = run("rustaudit", "/usr/local/bin/demo", &bytes);
    assert_eq!(coords(&out.packages), [pair("adler", "1.0.2"), pair("miniz_oxide", "0.7.1")]);
    assert!(out.packages.iter().all(|p| p.kind == PackageType::Cargo && p.evidence.analyzer == "rustaudit"));
    assert!(out.issues.is_empty());
    assert!(run("gobinary", "/usr/local/bin/demo", &bytes).packages.is_empty());
    // The same binary without the section reports nothing.
    assert!(run("rustaudit", "/bin/true", &std::fs::read("/bin/true").unwrap()).packages.is_empty());
}

#[test]
fn maven_jars_from_debian() {
    // Expectations from `unzip -p <jar> 'META-INF/maven/*/*/pom.properties'` and MANIFEST.MF
    // (Debian bookworm's maven 3.8.7-1 and its dependencies).
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("/usr/share/maven/lib/guava.jar", &[("com.google.guava:guava", "31.1-jre")]),
        ("/usr/share/maven/lib/commons-lang3.jar", &[("org.apache.commons:commons-lang3", "3.12.0")]),
        (
            "/usr/share/maven/lib/maven-slf4j-provider-3.x.jar",
            &[("org.apache.maven:maven-slf4j-provider", "3.8.7"), ("org.slf4j:slf4j-simple", "1.7.32")],
        ),
        (
            "/usr/share/maven/lib/wagon-http-shaded.jar",
            &[
                ("commons-codec:commons-codec", "1.15"),
                ("org.apache.httpcomponents:httpclient", "4.5.14"),
                ("org.apache.httpcomponents:httpcore", "4.4.16"),
                ("org.apache.maven.wagon:wagon-http", "3.5.3"),
                ("org.apache.maven.wagon:wagon-http-shared", "3.5.3"),
            ],
        ),
        // No pom.properties: the manifest's Bundle-SymbolicName and Bundle-Version.
        ("/usr/share/maven/lib/javax.inject.jar", &[("javax.inject", "1.0.0")]),
        ("/usr/share/maven/lib/guice-no-aop.jar", &[("com.google.inject", "4.2.3")]),
        // Neither: the file name.
        ("/usr/share/java/aopalliance-1.0.jar", &[("aopalliance", "1.0")]),
        // Nothing tells the version: not reported.
        ("/usr/share/maven/lib/aopalliance.jar", &[]),
    ];
    for (path, want) in cases {
        let Some(bytes) = system_file(path) else { continue };
        let out = run("java", path, &bytes);
        let want: Vec<_> = want.iter().map(|(n, v)| pair(n, v)).collect();
        assert_eq!(coords(&out.packages), want, "{path}");
        assert!(out.packages.iter().all(|p| p.kind == PackageType::Maven && p.evidence.path == *path));
        assert!(out.issues.is_empty(), "{path}: {:?}", out.issues);
    }
    let out = run("java", "/x.jar", b"PK\x03\x04 truncated");
    assert!(out.packages.is_empty() && out.issues.len() == 1, "{:?}", out.issues);
}

/// A jar holding one pom.properties and, stored as Spring Boot does, a nested jar.
fn spring_boot_jar() -> Vec<u8> {
    use zip::CompressionMethod::{Deflated, Stored};
    use zip::write::SimpleFileOptions;
    let zip = |entries: &[(&str, &[u8])]| {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            let method = if name.ends_with(".jar") { Stored } else { Deflated };
            w.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    let inner = zip(&[(
        "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
        b"groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n",
    )]);
    zip(&[
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n"),
        ("META-INF/maven/com.example/demo/pom.properties", b"groupId=com.example\nartifactId=demo\nversion=0.0.1\n"),
        ("BOOT-INF/lib/log4j-core-2.14.1.jar", &inner),
    ])
}

/// An uncompressed layer tar of `(path, mode, bytes)` files.
fn layer(files: &[(&str, u32, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, mode, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_path(path).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(*mode);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// Writes a `docker save` archive of `layers` (lowest first) and returns its path.
fn docker_archive(dir: &Path, name: &str, layers: &[Vec<u8>]) -> PathBuf {
    let keys: Vec<String> = (0..layers.len()).map(|i| format!("{i}/layer.tar")).collect();
    let manifest =
        serde_json::json!([{ "Config": "config.json", "RepoTags": ["caulk/binaries:test"], "Layers": keys }]);
    let config =
        serde_json::json!({ "architecture": "amd64", "os": "linux", "rootfs": { "type": "layers", "diff_ids": [] } });
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("manifest.json".into(), serde_json::to_vec(&manifest).unwrap()),
        ("config.json".into(), serde_json::to_vec(&config).unwrap()),
    ];
    files.extend(keys.into_iter().zip(layers.iter().cloned()));
    let entries: Vec<(&str, u32, &[u8])> = files.iter().map(|(n, d)| (n.as_str(), 0o644, d.as_slice())).collect();
    let path = dir.join(name);
    std::fs::write(&path, layer(&entries)).unwrap();
    path
}

#[test]
fn docker_archive_end_to_end() {
    let Some(go) = system_file("/usr/bin/umoci") else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some(rust) = auditable_binary(dir.path(), AUDIT_JSON) else { return };
    let jar = spring_boot_jar();
    let base = layer(&[
        ("usr/bin/umoci", 0o755, &go),
        ("usr/local/bin/demo", 0o755, &rust),
        ("app/lib/x.jar", 0o644, &jar),
        // Not executable: binaries are candidates only with an execute bit.
        ("opt/umoci.copy", 0o644, &go),
    ]);
    let by_kind = |pkgs: &[Package], kind| {
        let mut v: Vec<_> = pkgs
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| (p.name.clone(), p.version.clone(), p.evidence.path.clone(), p.evidence.layer))
            .collect();
        v.sort();
        v
    };
    let entry = |n: &str, v: &str, p: &str| (n.to_owned(), v.to_owned(), p.to_owned(), Some(0));

    let one = docker_archive(dir.path(), "one.tar", std::slice::from_ref(&base));
    let img = read_image(one.to_str().unwrap(), &ReadOptions::default()).unwrap();
    assert!(img.issues.is_empty(), "{:?}", img.issues);
    assert_eq!(by_kind(&img.packages, PackageType::Go), [entry("stdlib", "v1.19.8", "/usr/bin/umoci")]);
    assert_eq!(
        by_kind(&img.packages, PackageType::Cargo),
        [entry("adler", "1.0.2", "/usr/local/bin/demo"), entry("miniz_oxide", "0.7.1", "/usr/local/bin/demo")]
    );
    assert_eq!(
        by_kind(&img.packages, PackageType::Maven),
        [
            entry("com.example:demo", "0.0.1", "/app/lib/x.jar"),
            entry("org.apache.logging.log4j:log4j-core", "2.14.1", "/app/lib/x.jar"),
        ]
    );

    // A later layer deletes the jar: its packages go with it; the binaries stay.
    let whiteout = layer(&[("app/lib/.wh.x.jar", 0o644, b"")]);
    let two = docker_archive(dir.path(), "two.tar", &[base, whiteout]);
    let img = read_image(two.to_str().unwrap(), &ReadOptions::default()).unwrap();
    assert!(img.issues.is_empty(), "{:?}", img.issues);
    assert!(by_kind(&img.packages, PackageType::Maven).is_empty(), "{:?}", img.packages);
    assert_eq!(by_kind(&img.packages, PackageType::Go).len(), 1);
    assert_eq!(by_kind(&img.packages, PackageType::Cargo).len(), 2);
}
