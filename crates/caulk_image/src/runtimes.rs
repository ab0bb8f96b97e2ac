//! The language runtimes an image ships (Python, Node.js, Java, Go, Ruby, PHP) and their
//! versions, so end-of-life checks can judge what the image runs and not only its base OS.
//!
//! Sources, most precise first: version headers and files the upstream builds install
//! (`node_version.h`, `php_version.h`, a JDK's `release`, Go's `VERSION`), OS packages
//! (`python3.11 3.11.2-6`, `nodejs`, `openjdk-17-jre-headless`), the interpreter's own files
//! (`/usr/local/bin/python3.12`, `/usr/local/lib/ruby/3.2.0/`), and the `*_VERSION` variables the
//! official images set (`PYTHON_VERSION`, `NODE_VERSION`), which only refine a runtime found on disk.
//!
//! Each runtime says whether it is an upstream build (under `/usr/local`, `/opt`, NodeSource) or the
//! distribution's package: a distribution supports its own packages for as long as the
//! release lives (RHEL 8's Python 3.6 until 2029), so only upstream builds follow the upstream
//! end-of-life dates.

use caulk_core::Package;

use crate::fs::{MergedFs, NodeKind};
use crate::image::Image;

/// Where a runtime comes from, which decides whose support dates apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// Built and installed from upstream (official language images, `/usr/local`, `/opt/java`).
    Upstream,
    /// Installed from the distribution's packages (`/usr/bin/python3.11`, `openjdk-17-jre`).
    OsPackage,
}

/// One runtime found in the image.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Runtime {
    /// `python`, `node`, `java`, `go`, `ruby`, `php`.
    pub name: &'static str,
    /// As precise as the evidence allows: `3.12.1`, `3.12`, `17.0.9`.
    pub version: String,
    /// The file or package database that shows it.
    pub evidence_path: String,
    pub origin: Origin,
    /// Java only: the `IMPLEMENTOR` of the JDK's `release` file (`Eclipse Adoptium`).
    pub vendor: Option<String>,
}

impl Runtime {
    /// The release cycle the version belongs to: `3.12` for Python, Go, Ruby, PHP; the major
    /// version for Node.js and Java (`1.8.0_392` is Java 8).
    pub fn cycle(&self) -> String {
        cycle(self.name, &self.version)
    }
}

/// The runtimes of a read image, sorted by name and version.
pub fn detect(image: &Image) -> Vec<Runtime> {
    let env: Vec<(&str, &str)> = image.config.env().collect();
    detect_in(&image.fs, &image.packages, &env)
}

/// The runtimes shown by a filesystem, its OS packages and the configuration's environment.
pub fn detect_in(fs: &MergedFs, packages: &[Package], env: &[(&str, &str)]) -> Vec<Runtime> {
    let mut found = Vec::new();
    python_files(fs, &mut found);
    node_headers(fs, &mut found);
    java_releases(fs, packages, &mut found);
    go_versions(fs, &mut found);
    ruby_dirs(fs, &mut found);
    php_headers(fs, &mut found);
    for p in packages.iter().filter(|p| p.kind.is_os()) {
        if let Some(r) = from_package(p) {
            found.push(r);
        }
    }
    refine_from_env(fs, env, &mut found);
    let mut merged: Vec<Runtime> = Vec::new();
    for r in found {
        let key = (r.name, r.cycle(), r.origin);
        match merged.iter_mut().find(|m| (m.name, m.cycle(), m.origin) == key) {
            Some(m) => {
                if precision(&r.version) > precision(&m.version) {
                    m.version = r.version;
                }
                if m.vendor.is_none() {
                    m.vendor = r.vendor;
                }
            }
            None => merged.push(r),
        }
    }
    merged.sort();
    merged
}

fn runtime(name: &'static str, version: impl Into<String>, path: &str, origin: Origin) -> Runtime {
    Runtime { name, version: version.into(), evidence_path: path.to_owned(), origin, vendor: None }
}

/// The origin of a file by where it lives.
fn origin_of(path: &str) -> Origin {
    if path.starts_with("/usr/local/") || path.starts_with("/opt/") { Origin::Upstream } else { Origin::OsPackage }
}

/// Names directly under `dir` (symlinks in `dir` itself resolved), including directories only
/// implied by deeper paths (layers may omit directory entries); sorted, each once.
fn child_names(fs: &MergedFs, dir: &str) -> Vec<String> {
    let real = match fs.resolve(dir) {
        Some((real, node)) if node.kind == NodeKind::Dir => real,
        Some(_) => return Vec::new(),
        None => dir.to_owned(),
    };
    let prefix_len = if real == "/" { 1 } else { real.len() + 1 };
    let mut names: Vec<String> =
        fs.under(&real).filter_map(|(path, _)| path.get(prefix_len..)?.split('/').next().map(str::to_owned)).collect();
    names.dedup();
    names
}

/// True when `path` is a directory, or only implied by paths under it.
fn is_dir(fs: &MergedFs, path: &str) -> bool {
    fs.resolve(path).is_none_or(|(_, n)| n.kind == NodeKind::Dir)
}

/// True when `path` is a file, or a symlink to one.
fn is_file(fs: &MergedFs, path: &str) -> bool {
    fs.resolve(path).is_some_and(|(_, n)| n.kind == NodeKind::File)
}

/// `3.11` from `python3.11` (not `python3.11-config`, `python3.6m`).
fn python_minor(name: &str) -> Option<&str> {
    let v = name.strip_prefix("python")?;
    let (major, minor) = v.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(major) && digits(minor)).then_some(v)
}

fn python_files(fs: &MergedFs, out: &mut Vec<Runtime>) {
    let mut seen_dirs: Vec<String> = Vec::new();
    for dir in ["/usr/local/bin", "/usr/bin", "/bin"] {
        let real = fs.resolve(dir).map_or_else(|| dir.to_owned(), |(real, _)| real);
        if seen_dirs.contains(&real) {
            continue;
        }
        seen_dirs.push(real);
        for name in child_names(fs, dir) {
            let path = format!("{dir}/{name}");
            if let Some(v) = python_minor(&name)
                && is_file(fs, &path)
            {
                out.push(runtime("python", v, &path, origin_of(&path)));
            }
        }
    }
    for name in child_names(fs, "/usr/local/lib") {
        let path = format!("/usr/local/lib/{name}");
        if let Some(v) = python_minor(&name)
            && fs.lstat(&format!("{path}/os.py")).is_some()
        {
            out.push(runtime("python", v, &path, Origin::Upstream));
        }
    }
}

/// `#define NAME value` values of a C header.
fn define<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("#define")?.trim_start();
        let value = rest.strip_prefix(name)?;
        value.starts_with(char::is_whitespace).then(|| value.trim().trim_matches('"'))
    })
}

fn node_headers(fs: &MergedFs, out: &mut Vec<Runtime>) {
    for path in ["/usr/local/include/node/node_version.h", "/usr/include/node/node_version.h"] {
        let Some(bytes) = fs.read(path) else { continue };
        let text = String::from_utf8_lossy(bytes);
        let parts: Option<Vec<&str>> = ["NODE_MAJOR_VERSION", "NODE_MINOR_VERSION", "NODE_PATCH_VERSION"]
            .iter()
            .map(|n| define(&text, n).filter(|v| v.bytes().all(|b| b.is_ascii_digit()) && !v.is_empty()))
            .collect();
        if let Some(parts) = parts {
            out.push(runtime("node", parts.join("."), path, origin_of(path)));
        }
    }
}

fn php_headers(fs: &MergedFs, out: &mut Vec<Runtime>) {
    let mut paths = vec!["/usr/local/include/php/main/php_version.h".to_owned()];
    for name in child_names(fs, "/usr/include/php") {
        paths.push(format!("/usr/include/php/{name}/main/php_version.h"));
    }
    for path in paths {
        let Some(bytes) = fs.read(&path) else { continue };
        let text = String::from_utf8_lossy(bytes);
        if let Some(v) = define(&text, "PHP_VERSION").filter(|v| v.starts_with(|c: char| c.is_ascii_digit())) {
            out.push(runtime("php", v, &path, origin_of(&path)));
        }
    }
}

/// `KEY="value"` lines of a JDK `release` file.
fn release_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"')).filter(|v| !v.is_empty())
    })
}

fn java_releases(fs: &MergedFs, packages: &[Package], out: &mut Vec<Runtime>) {
    let packaged = packages.iter().any(|p| p.kind.is_os() && java_major(&p.name).is_some());
    for root in ["/usr/lib/jvm", "/opt/java"] {
        for name in child_names(fs, root) {
            let path = format!("{root}/{name}/release");
            let Some(bytes) = fs.read(&path) else { continue };
            let text = String::from_utf8_lossy(bytes);
            let Some(version) = release_value(&text, "JAVA_VERSION") else { continue };
            let origin = if root == "/usr/lib/jvm" && packaged { Origin::OsPackage } else { Origin::Upstream };
            let mut r = runtime("java", version, &path, origin);
            r.vendor = release_value(&text, "IMPLEMENTOR").map(str::to_owned);
            out.push(r);
        }
    }
}

fn go_versions(fs: &MergedFs, out: &mut Vec<Runtime>) {
    let mut paths = vec!["/usr/local/go/VERSION".to_owned()];
    for name in child_names(fs, "/usr/lib") {
        if name.starts_with("go-") {
            paths.push(format!("/usr/lib/{name}/VERSION"));
        }
    }
    for path in paths {
        let Some(bytes) = fs.read(&path) else { continue };
        let text = String::from_utf8_lossy(bytes);
        let first = text.lines().next().unwrap_or("").trim();
        if let Some(v) = first.strip_prefix("go").filter(|v| v.starts_with(|c: char| c.is_ascii_digit())) {
            out.push(runtime("go", v, &path, origin_of(&path)));
        }
    }
}

fn ruby_dirs(fs: &MergedFs, out: &mut Vec<Runtime>) {
    for root in ["/usr/local/lib/ruby", "/usr/lib/ruby"] {
        for name in child_names(fs, root) {
            // `3.2.0` is the ABI directory of every Ruby 3.2.x
            let dir = format!("{root}/{name}");
            let mut parts = name.split('.');
            if let (Some(major), Some(minor), Some("0"), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
                && is_dir(fs, &dir)
                && [major, minor].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                out.push(runtime("ruby", format!("{major}.{minor}"), &dir, origin_of(&dir)));
            }
        }
    }
}

/// The upstream part of a package version: no epoch, no Debian/Alpine/RPM revision.
fn upstream_version(version: &str) -> &str {
    let v = version.split_once(':').map_or(version, |(_, v)| v);
    let end = v.find(['-', '+', '~', '_']).unwrap_or(v.len());
    v.get(..end).unwrap_or(v)
}

/// The Java major of a JDK package name: `openjdk-17-jre-headless`, `openjdk17-jre`,
/// `java-17-openjdk-headless`, `java-1.8.0-openjdk`.
fn java_major(name: &str) -> Option<String> {
    let digits = |s: &str| -> Option<String> {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        (!d.is_empty()).then_some(d)
    };
    if let Some(rest) = name.strip_prefix("openjdk-").or_else(|| name.strip_prefix("openjdk")) {
        return digits(rest);
    }
    let rest = name.strip_prefix("java-")?;
    let (version, tail) = rest.split_once('-')?;
    if !tail.starts_with("openjdk") {
        return None;
    }
    match version.strip_prefix("1.") {
        Some(old) => digits(old),
        None => digits(version),
    }
}

/// The runtime an OS package provides, if it is one.
fn from_package(p: &Package) -> Option<Runtime> {
    let name = p.name.as_str();
    let version = upstream_version(&p.version);
    if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let path = p.evidence.path.as_str();
    let apk_or_rpm = matches!(p.kind, caulk_core::PackageType::Apk | caulk_core::PackageType::Rpm);
    let rt = |n: &'static str| Some(runtime(n, version, path, Origin::OsPackage));
    // python3.11, python3.11-minimal (deb); python3, python39, python3.11 (apk, rpm)
    let py = name.strip_suffix("-minimal").unwrap_or(name);
    if python_minor(py).is_some_and(|v| version.starts_with(&format!("{v}.")) || version == v) {
        return rt("python");
    }
    if apk_or_rpm
        && let Some(d) = py.strip_prefix("python")
        && !d.is_empty()
        && d.bytes().all(|b| b.is_ascii_digit())
        && version.starts_with(d.get(..1).unwrap_or("x"))
    {
        return rt("python");
    }
    if name == "nodejs" || name == "nodejs-current" {
        let mut r = runtime("node", version, path, Origin::OsPackage);
        if p.version.contains("nodesource") {
            r.origin = Origin::Upstream;
        }
        return Some(r);
    }
    if let Some(major) = java_major(name)
        && cycle("java", version) == major
    {
        return rt("java");
    }
    if (name.starts_with("golang-") && name.ends_with("-go")) || (apk_or_rpm && matches!(name, "go" | "golang")) {
        return rt("go");
    }
    let ruby_deb = name.strip_prefix("ruby").filter(|v| python_minor(&format!("python{v}")).is_some());
    if ruby_deb.is_some_and(|v| version.starts_with(v)) || (apk_or_rpm && name == "ruby") {
        return rt("ruby");
    }
    let php_deb = name
        .strip_prefix("php")
        .map(|v| v.split_once('-').map_or(v, |(v, _)| v))
        .filter(|v| python_minor(&format!("python{v}")).is_some());
    if php_deb.is_some_and(|v| version.starts_with(v)) {
        return rt("php");
    }
    let php_apk = name.strip_prefix("php").filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    if (apk_or_rpm && (php_apk.is_some() || matches!(name, "php" | "php-cli" | "php-common")))
        && version.starts_with(|c: char| c.is_ascii_digit())
    {
        return rt("php");
    }
    None
}

/// `PYTHON_VERSION=3.12.1` and friends make a runtime found on disk more precise; with no
/// runtime found, they count when the runtime's program exists where the official image puts it.
fn refine_from_env(fs: &MergedFs, env: &[(&str, &str)], found: &mut Vec<Runtime>) {
    const VARS: &[(&str, &str, &str)] = &[
        ("PYTHON_VERSION", "python", "/usr/local/bin/python3"),
        ("NODE_VERSION", "node", "/usr/local/bin/node"),
        ("JAVA_VERSION", "java", "/opt/java/openjdk/bin/java"),
        ("GOLANG_VERSION", "go", "/usr/local/go/bin/go"),
        ("RUBY_VERSION", "ruby", "/usr/local/bin/ruby"),
        ("PHP_VERSION", "php", "/usr/local/bin/php"),
    ];
    for &(var, name, program) in VARS {
        let Some(value) = env.iter().find(|(k, _)| *k == var).map(|(_, v)| v.trim()) else { continue };
        let value = value.strip_prefix("jdk-").or_else(|| value.strip_prefix("jdk")).unwrap_or(value);
        let value = value.strip_prefix('v').unwrap_or(value);
        let version = upstream_version(value);
        if !version.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let c = cycle(name, version);
        let mut matched = false;
        for r in found.iter_mut().filter(|r| r.name == name && r.origin == Origin::Upstream && r.cycle() == c) {
            matched = true;
            if precision(version) > precision(&r.version) {
                version.clone_into(&mut r.version);
            }
        }
        if !matched && !found.iter().any(|r| r.name == name) && is_file(fs, program) {
            found.push(runtime(name, version, program, Origin::Upstream));
        }
    }
}

/// How many numeric components a version has (`3.12.1` → 3).
fn precision(version: &str) -> usize {
    version.split('.').take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).count()
}

fn cycle(name: &str, version: &str) -> String {
    let mut parts = version.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or("");
    match name {
        "node" => first.to_owned(),
        "java" if first == "1" => parts.next().unwrap_or(first).to_owned(),
        "java" => first.to_owned(),
        _ => match parts.next() {
            Some(second) => format!("{first}.{second}"),
            None => first.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use caulk_core::{Evidence, PackageType};

    use super::*;
    use crate::fs::Node;

    fn put(fs: &mut MergedFs, path: &str, kind: NodeKind, content: Option<&str>, link: Option<&str>) {
        let node = Node {
            kind,
            mode: 0o755,
            uid: 0,
            gid: 0,
            size: content.map_or(0, |c| c.len() as u64),
            link: link.map(Into::into),
            layer: 0,
            content: content.map(|c| Arc::from(c.as_bytes())),
        };
        fs.insert(path.into(), node);
    }

    fn file(fs: &mut MergedFs, path: &str, content: &str) {
        put(fs, path, NodeKind::File, Some(content), None);
    }

    fn dir(fs: &mut MergedFs, path: &str) {
        put(fs, path, NodeKind::Dir, None, None);
    }

    fn pkg(kind: PackageType, name: &str, version: &str) -> Package {
        Package::new(
            kind,
            name,
            version,
            Evidence { path: "/var/lib/dpkg/status".into(), layer: Some(0), analyzer: "dpkg" },
        )
    }

    fn summary(rs: &[Runtime]) -> Vec<(&'static str, &str, Origin)> {
        rs.iter().map(|r| (r.name, r.version.as_str(), r.origin)).collect()
    }

    #[test]
    fn official_python_image() {
        let mut fs = MergedFs::new(8);
        for d in ["/usr", "/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/local/lib/python3.12", "/usr/bin"] {
            dir(&mut fs, d);
        }
        file(&mut fs, "/usr/local/bin/python3.12", "ELF");
        put(&mut fs, "/usr/local/bin/python3", NodeKind::Symlink, None, Some("python3.12"));
        file(&mut fs, "/usr/local/bin/python3.12-config", "#!");
        file(&mut fs, "/usr/local/lib/python3.12/os.py", "");
        // Debian's own site directory for pip installs, no interpreter
        dir(&mut fs, "/usr/local/lib/python3.11");
        let rs = detect_in(&fs, &[], &[("PYTHON_VERSION", "3.12.1"), ("PATH", "/usr/local/bin")]);
        assert_eq!(summary(&rs), [("python", "3.12.1", Origin::Upstream)]);
        assert_eq!(rs[0].evidence_path, "/usr/local/bin/python3.12");
        assert_eq!(rs[0].cycle(), "3.12");
    }

    #[test]
    fn distribution_python_from_files_and_packages() {
        let mut fs = MergedFs::new(8);
        dir(&mut fs, "/usr");
        dir(&mut fs, "/usr/bin");
        put(&mut fs, "/bin", NodeKind::Symlink, None, Some("usr/bin"));
        file(&mut fs, "/usr/bin/python3.11", "ELF");
        file(&mut fs, "/usr/bin/python3.6m", "ELF");
        let packages = [
            pkg(PackageType::Deb, "python3.11", "3.11.2-6+deb12u1"),
            pkg(PackageType::Deb, "python3.11-minimal", "3.11.2-6+deb12u1"),
            pkg(PackageType::Deb, "python3", "3.11.2-1+b1"),
            pkg(PackageType::Deb, "python3-pip", "23.0.1+dfsg-1"),
        ];
        let rs = detect_in(&fs, &packages, &[("PYTHON_VERSION", "3.12.1")]);
        assert_eq!(summary(&rs), [("python", "3.11.2", Origin::OsPackage)]);
        assert_eq!(rs[0].evidence_path, "/usr/bin/python3.11");
        let rpm = detect_in(&MergedFs::new(8), &[pkg(PackageType::Rpm, "python39", "3.9.16-1.module_el8")], &[]);
        assert_eq!(summary(&rpm), [("python", "3.9.16", Origin::OsPackage)]);
        let apk = detect_in(&MergedFs::new(8), &[pkg(PackageType::Apk, "python3", "3.12.3-r1")], &[]);
        assert_eq!(summary(&apk), [("python", "3.12.3", Origin::OsPackage)]);
    }

    #[test]
    fn node_from_header_package_and_env() {
        let mut fs = MergedFs::new(8);
        file(
            &mut fs,
            "/usr/local/include/node/node_version.h",
            "#ifndef SRC_NODE_VERSION_H_\n#define NODE_MAJOR_VERSION 16\n#define NODE_MINOR_VERSION 20\n#define NODE_PATCH_VERSION 2\n",
        );
        assert_eq!(summary(&detect_in(&fs, &[], &[])), [("node", "16.20.2", Origin::Upstream)]);
        let deb = [pkg(PackageType::Deb, "nodejs", "18.19.0+dfsg-6~deb12u2")];
        assert_eq!(summary(&detect_in(&MergedFs::new(8), &deb, &[])), [("node", "18.19.0", Origin::OsPackage)]);
        let ns = [pkg(PackageType::Deb, "nodejs", "20.11.0-1nodesource1")];
        assert_eq!(summary(&detect_in(&MergedFs::new(8), &ns, &[])), [("node", "20.11.0", Origin::Upstream)]);
        // the environment alone counts only with the program where the image puts it
        let env = [("NODE_VERSION", "22.3.0")];
        assert!(detect_in(&MergedFs::new(8), &[], &env).is_empty());
        let mut fs = MergedFs::new(8);
        file(&mut fs, "/usr/local/bin/node", "ELF");
        assert_eq!(summary(&detect_in(&fs, &[], &env)), [("node", "22.3.0", Origin::Upstream)]);
    }

    #[test]
    fn java_go_ruby_php() {
        let mut fs = MergedFs::new(8);
        dir(&mut fs, "/opt/java");
        dir(&mut fs, "/opt/java/openjdk");
        file(
            &mut fs,
            "/opt/java/openjdk/release",
            "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"11.0.21\"\nJAVA_VERSION_DATE=\"2023-10-17\"\n",
        );
        file(&mut fs, "/usr/local/go/VERSION", "go1.19.13\ntime 2023-09-06T15:37:56Z\n");
        dir(&mut fs, "/usr/local/lib/ruby");
        dir(&mut fs, "/usr/local/lib/ruby/2.7.0");
        dir(&mut fs, "/usr/local/lib/ruby/gems");
        file(
            &mut fs,
            "/usr/local/include/php/main/php_version.h",
            "#define PHP_MAJOR_VERSION 7\n#define PHP_VERSION \"7.4.33\"\n",
        );
        let rs = detect_in(&fs, &[], &[("RUBY_VERSION", "2.7.8"), ("JAVA_VERSION", "jdk-11.0.21+9")]);
        assert_eq!(
            summary(&rs),
            [
                ("go", "1.19.13", Origin::Upstream),
                ("java", "11.0.21", Origin::Upstream),
                ("php", "7.4.33", Origin::Upstream),
                ("ruby", "2.7.8", Origin::Upstream),
            ]
        );
        assert_eq!(rs[1].vendor.as_deref(), Some("Eclipse Adoptium"));
        let packages = [
            pkg(PackageType::Deb, "openjdk-17-jre-headless", "17.0.9+9-1~deb12u1"),
            pkg(PackageType::Deb, "golang-1.19-go", "1.19.8-2"),
            pkg(PackageType::Deb, "ruby3.1", "3.1.2-7"),
            pkg(PackageType::Deb, "ruby", "1:3.1"),
            pkg(PackageType::Deb, "php8.2-cli", "8.2.7-1~deb12u1"),
            pkg(PackageType::Rpm, "java-1.8.0-openjdk-headless", "1.8.0.392.b08-4.el8"),
        ];
        let rs = detect_in(&MergedFs::new(8), &packages, &[]);
        assert_eq!(
            summary(&rs),
            [
                ("go", "1.19.8", Origin::OsPackage),
                ("java", "1.8.0.392.b08", Origin::OsPackage),
                ("java", "17.0.9", Origin::OsPackage),
                ("php", "8.2.7", Origin::OsPackage),
                ("ruby", "3.1.2", Origin::OsPackage),
            ]
        );
        assert_eq!(rs[1].cycle(), "8");
        let apk = detect_in(&MergedFs::new(8), &[pkg(PackageType::Apk, "php82", "8.2.12-r0")], &[]);
        assert_eq!(summary(&apk), [("php", "8.2.12", Origin::OsPackage)]);
    }

    #[test]
    fn directories_may_be_implied() {
        let mut fs = MergedFs::new(8);
        file(&mut fs, "/opt/java/openjdk/release", "IMPLEMENTOR=\"Oracle Corporation\"\nJAVA_VERSION=\"17.0.2\"\n");
        file(&mut fs, "/usr/local/lib/ruby/3.0.0/set.rb", "");
        file(&mut fs, "/usr/local/bin/python3.8", "ELF");
        let rs = detect_in(&fs, &[], &[]);
        assert_eq!(
            summary(&rs),
            [
                ("java", "17.0.2", Origin::Upstream),
                ("python", "3.8", Origin::Upstream),
                ("ruby", "3.0", Origin::Upstream)
            ]
        );
    }

    #[test]
    fn versions_and_cycles() {
        assert_eq!(upstream_version("1:2.36-9+deb12u4"), "2.36");
        assert_eq!(upstream_version("17.0.9_p9-r0"), "17.0.9");
        assert_eq!(cycle("java", "1.8.0_392"), "8");
        assert_eq!(cycle("node", "20.11.0"), "20");
        assert_eq!(cycle("python", "3.9"), "3.9");
        assert_eq!(java_major("openjdk17-jre"), Some("17".into()));
        assert_eq!(java_major("java-17-amazon-corretto-devel"), None);
        assert_eq!(python_minor("python3.11-config"), None);
    }
}
