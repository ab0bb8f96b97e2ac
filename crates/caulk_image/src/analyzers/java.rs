//! Java archives (`.jar`, `.war`, `.ear`, Jenkins `.jpi`/`.hpi`), read in memory with the
//! archives nested inside them (Spring Boot `BOOT-INF/lib/`, `WEB-INF/lib/`, ears of wars).
//!
//! Each archive yields one package per `META-INF/maven/**/pom.properties` (name
//! `groupId:artifactId`, so shaded dependencies are reported too); without one, the main section
//! of `META-INF/MANIFEST.MF` (`Implementation-Vendor-Id` as the group, `Implementation-Title` or
//! `Bundle-SymbolicName` as the artifact, `Implementation-Version` or `Bundle-Version`); and
//! finally the file name (`log4j-core-2.14.1.jar`). An archive whose version stays unknown is not
//! reported.
//!
//! Packages of nested archives carry the outer file as their evidence path, so they disappear with
//! it when a later layer deletes it. Every read is bounded: nesting depth, each entry's
//! decompressed size (sizes in headers can lie, so reads are cut with `take`) and the total
//! decompressed bytes per outer archive, which defeats zip bombs.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use caulk_core::{Evidence, Package, PackageType};

use crate::analyzer::{AnalyzerOutput, StreamAnalyzer};
use crate::issue::{ImageIssue, IssueKind};

/// Archives inside archives inside the outer one, at most.
const MAX_DEPTH: usize = 3;
/// Decompressed bytes read from one outer archive, nested archives included.
const BUDGET: u64 = 128 << 20;
/// Decompressed bytes of one nested archive.
const MAX_NESTED: u64 = 64 << 20;
/// Decompressed bytes of one `pom.properties` or `MANIFEST.MF`.
const MAX_METADATA: u64 = 1 << 20;
const EXTENSIONS: [&str; 5] = [".jar", ".war", ".ear", ".jpi", ".hpi"];

pub(crate) struct Java;

impl StreamAnalyzer for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn globs(&self) -> &'static [&'static str] {
        &["**/*.jar", "**/*.war", "**/*.ear", "**/*.jpi", "**/*.hpi"]
    }

    fn wants(&self, head: &[u8]) -> bool {
        // `#!`: Spring Boot's "fully executable" jars start with a launch script.
        head.starts_with(b"PK\x03\x04") || head.starts_with(b"#!")
    }

    fn analyze(&self, path: &str, content: &[u8], layer: u32, out: &mut AnalyzerOutput) {
        let mut scan = Scan { path, layer, budget: BUDGET, exhausted: false, out };
        let name = path.rsplit('/').next().unwrap_or(path);
        scan.archive(content, name, "", 0);
    }
}

/// One outer archive being read: where packages go and how many bytes may still be inflated.
struct Scan<'a> {
    path: &'a str,
    layer: u32,
    budget: u64,
    /// Set once the budget ran out, so the issue is reported once.
    exhausted: bool,
    out: &'a mut AnalyzerOutput,
}

/// A Maven coordinate found in an archive.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Coordinate {
    group: Option<String>,
    artifact: String,
    version: String,
}

impl Scan<'_> {
    fn issue(&mut self, kind: IssueKind, message: String) {
        self.out.issues.push(ImageIssue::new(kind, Some(self.layer), Some(self.path.to_owned()), message));
    }

    /// Reads the archive `bytes`, named `file_name`; `inner` is its path inside the outer archive
    /// (`""` for the outer one, else `BOOT-INF/lib/x.jar!/…` for messages).
    fn archive(&mut self, bytes: &[u8], file_name: &str, inner: &str, depth: usize) {
        let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(z) => z,
            Err(e) => {
                let what = if inner.is_empty() { String::new() } else { format!("nested `{inner}`: ") };
                self.issue(IssueKind::Analyzer, format!("{what}not a readable Java archive: {e}"));
                return;
            }
        };
        let mut poms = Vec::new();
        let mut manifest = None;
        let mut nested = Vec::new();
        for (i, raw) in zip.file_names_raw().enumerate() {
            let name = String::from_utf8_lossy(raw);
            let lower = name.to_ascii_lowercase();
            if name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties") {
                poms.push(i);
            } else if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
                manifest = Some(i);
            } else if EXTENSIONS.iter().any(|x| lower.len() > x.len() && lower.ends_with(x)) {
                nested.push((i, name.into_owned()));
            }
        }
        let mut found = BTreeSet::new();
        for i in poms {
            if let Some(text) = self.entry(&mut zip, i, MAX_METADATA, inner)
                && let Some(c) = pom_properties(&String::from_utf8_lossy(&text))
            {
                found.insert(c);
            }
        }
        if found.is_empty() {
            let text = manifest.and_then(|i| self.entry(&mut zip, i, MAX_METADATA, inner));
            let text = text.map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
            if let Some(c) = from_manifest(&text, file_name).or_else(|| from_file_name(file_name)) {
                found.insert(c);
            }
        }
        for c in found {
            let name = match c.group {
                Some(g) => format!("{g}:{}", c.artifact),
                None => c.artifact,
            };
            self.out.packages.push(Package::new(
                PackageType::Maven,
                name,
                c.version,
                Evidence { path: self.path.to_owned(), layer: Some(self.layer), analyzer: "java" },
            ));
        }
        if depth >= MAX_DEPTH {
            if !nested.is_empty() {
                self.issue(
                    IssueKind::Limit,
                    format!("Java archives nested deeper than {MAX_DEPTH} levels were not read"),
                );
            }
            return;
        }
        for (i, name) in nested {
            let path = if inner.is_empty() { name.clone() } else { format!("{inner}!/{name}") };
            if let Some(bytes) = self.entry(&mut zip, i, MAX_NESTED, inner) {
                let file_name = name.rsplit('/').next().unwrap_or(&name);
                self.archive(&bytes, file_name, &path, depth + 1);
            }
        }
    }

    /// Inflates entry `i`, at most `cap` bytes and what is left of the budget. `None`, with an
    /// issue, when it is corrupt or crosses a limit.
    fn entry<R: Read + std::io::Seek>(
        &mut self,
        zip: &mut zip::ZipArchive<R>,
        i: usize,
        cap: u64,
        inner: &str,
    ) -> Option<Vec<u8>> {
        let allowed = cap.min(self.budget);
        let mut file = zip.by_index(i).ok()?;
        if file.is_dir() {
            return None;
        }
        let name = String::from_utf8_lossy(file.name_raw()).into_owned();
        let inside = if inner.is_empty() { String::new() } else { format!(" of nested `{inner}`") };
        let mut buf = Vec::new();
        let result = if file.size() > allowed {
            None
        } else {
            // Declared sizes are not trusted: read one byte past the allowance to notice a lie.
            Some((&mut file).take(allowed + 1).read_to_end(&mut buf))
        };
        self.budget -= (buf.len() as u64).min(self.budget);
        match result {
            Some(Ok(_)) if buf.len() as u64 <= allowed => Some(buf),
            Some(Err(e)) if buf.len() as u64 <= allowed => {
                self.issue(IssueKind::Analyzer, format!("entry `{name}`{inside} is corrupt: {e}"));
                None
            }
            _ if allowed == cap => {
                self.issue(
                    IssueKind::Limit,
                    format!("entry `{name}`{inside} inflates past {cap} bytes (a zip bomb?); not read"),
                );
                None
            }
            _ => {
                if !self.exhausted {
                    self.exhausted = true;
                    self.issue(
                        IssueKind::Limit,
                        format!("the archive inflates past {BUDGET} bytes in total; the rest was not read"),
                    );
                }
                None
            }
        }
    }
}

/// `groupId`, `artifactId` and `version` of a `pom.properties` (Java properties syntax).
fn pom_properties(text: &str) -> Option<Coordinate> {
    let (mut group, mut artifact, mut version) = (None, None, None);
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some(at) = line.find(['=', ':', ' ', '\t']) else { continue };
        let key = &line[..at];
        let value = line[at + 1..].trim_start_matches([' ', '\t', '=', ':']).trim();
        let slot = match key {
            "groupId" => &mut group,
            "artifactId" => &mut artifact,
            "version" => &mut version,
            _ => continue,
        };
        *slot = Some(value.to_owned()).filter(|v| !v.is_empty() && !v.contains("${"));
    }
    Some(Coordinate { group, artifact: artifact?, version: version? })
}

/// The main section of a `MANIFEST.MF`, with continuation lines (a leading space) joined.
fn manifest_attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if let Some(more) = line.strip_prefix(' ') {
            if let Some((_, v)) = attrs.last_mut() {
                v.push_str(more);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            attrs.push((k.trim().to_owned(), v.trim_start().to_owned()));
        }
    }
    attrs
}

fn from_manifest(text: &str, file_name: &str) -> Option<Coordinate> {
    let attrs = manifest_attributes(text);
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty() && !v.contains("${"))
    };
    let version = get("Implementation-Version").or_else(|| get("Bundle-Version"))?;
    // Titles are often prose ("Apache Log4j Core"); only identifier-like names are artifacts.
    let identifier = |v: &&str| !v.contains(char::is_whitespace);
    let artifact = get("Implementation-Title")
        .filter(identifier)
        .or_else(|| get("Bundle-SymbolicName").map(|s| s.split(';').next().unwrap_or(s).trim()).filter(identifier))
        .map(str::to_owned)
        .or_else(|| from_file_name(file_name).map(|c| c.artifact))
        .or_else(|| Some(stem(file_name).to_owned()).filter(|s| !s.is_empty()))?;
    let group = get("Implementation-Vendor-Id").filter(identifier).map(str::to_owned);
    Some(Coordinate { group, artifact, version: version.to_owned() })
}

fn stem(file_name: &str) -> &str {
    file_name.rsplit_once('.').map_or(file_name, |(s, _)| s)
}

/// `log4j-core-2.14.1.jar` → `log4j-core` 2.14.1: the version starts at the first `-` followed
/// by a digit.
fn from_file_name(file_name: &str) -> Option<Coordinate> {
    let stem = stem(file_name);
    let at = stem
        .char_indices()
        .find(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()) && i > 0)?;
    let (artifact, version) = (&stem[..at.0], &stem[at.0 + 1..]);
    Some(Coordinate { group: None, artifact: artifact.to_owned(), version: version.to_owned() })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;

    use super::*;

    /// A zip holding `entries`, deflated unless the name ends with `.jar` (stored, as Spring Boot
    /// stores nested jars) or `.bin`.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            let method = if name.ends_with(".jar") || name.ends_with(".bin") {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            w.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn run(path: &str, bytes: &[u8]) -> AnalyzerOutput {
        let mut out = AnalyzerOutput::default();
        Java.analyze(path, bytes, 1, &mut out);
        out
    }

    fn coords(out: &AnalyzerOutput) -> Vec<(&str, &str)> {
        out.packages.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect()
    }

    const POM: &[u8] =
        b"#Generated by Maven\n#Tue\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n";

    #[test]
    fn pom_properties_win() {
        let jar = zip_of(&[
            ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nImplementation-Version: 9.9\n"),
            ("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", POM),
            (
                "META-INF/maven/com.example/shaded/pom.properties",
                b"version = 1.0\ngroupId : com.example\nartifactId shaded\n",
            ),
        ]);
        let out = run("/app/x.jar", &jar);
        assert_eq!(coords(&out), [("com.example:shaded", "1.0"), ("org.apache.logging.log4j:log4j-core", "2.14.1")]);
        assert_eq!(out.packages[1].purl(), "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assert_eq!(out.packages[0].evidence, Evidence { path: "/app/x.jar".into(), layer: Some(1), analyzer: "java" });
        assert!(out.issues.is_empty());
    }

    #[test]
    fn manifest_then_file_name() {
        let manifest = b"Manifest-Version: 1.0\r\nImplementation-Title: Apache Commons\r\n Text\r\nBundle-SymbolicName: org.apache.commons.text;singleton:=true\r\nBundle-Version: 1.10.0\r\nImplementation-Vendor-Id: org.apache.co\r\n mmons\r\n\r\nName: other\r\nImplementation-Version: 0\r\n";
        let out = run("/a/commons-text.jar", &zip_of(&[("META-INF/MANIFEST.MF", manifest)]));
        assert_eq!(coords(&out), [("org.apache.commons:org.apache.commons.text", "1.10.0")]);
        let out = run("/a/log4j-core-2.14.1.jar", &zip_of(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n")]));
        assert_eq!(coords(&out), [("log4j-core", "2.14.1")]);
        // A manifest version with a prose title takes the artifact from the file name.
        let m = b"Implementation-Title: Spring Boot\nImplementation-Version: 3.2.0\n";
        let out = run("/a/spring-boot-3.2.0.jar", &zip_of(&[("META-INF/MANIFEST.MF", m)]));
        assert_eq!(coords(&out), [("spring-boot", "3.2.0")]);
        // No version anywhere: nothing reported.
        assert!(run("/a/guava.jar", &zip_of(&[("a.class", b"x")])).packages.is_empty());
    }

    #[test]
    fn executable_jars_with_a_launch_script() {
        let mut jar = b"#!/bin/bash\nexec java -jar \"$0\" \"$@\"\n".to_vec();
        jar.extend_from_slice(&zip_of(&[(
            "META-INF/maven/com.example/app/pom.properties",
            b"groupId=com.example\nartifactId=app\nversion=1.2\n",
        )]));
        assert!(Java.wants(&jar[..8]));
        assert_eq!(coords(&run("/app.jar", &jar)), [("com.example:app", "1.2")]);
    }

    #[test]
    fn file_names() {
        let f = |n| from_file_name(n).map(|c| (c.artifact, c.version));
        assert_eq!(f("log4j-core-2.14.1.jar"), Some(("log4j-core".into(), "2.14.1".into())));
        assert_eq!(f("commons-lang3-3.12.0.jar"), Some(("commons-lang3".into(), "3.12.0".into())));
        assert_eq!(f("guava-31.1-jre.jar"), Some(("guava".into(), "31.1-jre".into())));
        assert_eq!(f("guava.jar"), None);
        assert_eq!(f("-1.0.jar"), None);
    }

    #[test]
    fn nested_archives_are_read_with_the_outer_path_as_evidence() {
        let inner = zip_of(&[(
            "META-INF/maven/org.yaml/snakeyaml/pom.properties",
            b"groupId=org.yaml\nartifactId=snakeyaml\nversion=1.33\n",
        )]);
        let by_name = zip_of(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n")]);
        let war = zip_of(&[("WEB-INF/lib/jackson-databind-2.13.0.jar", &by_name)]);
        let boot = zip_of(&[
            ("META-INF/maven/com.example/app/pom.properties", b"groupId=com.example\nartifactId=app\nversion=0.0.1\n"),
            ("BOOT-INF/lib/snakeyaml-1.33.jar", &inner),
            ("BOOT-INF/lib/broken.jar", b"PK\x03\x04 not really"),
            ("lib/app.war", &war),
        ]);
        let out = run("/srv/app.jar", &boot);
        assert_eq!(
            coords(&out),
            [("com.example:app", "0.0.1"), ("org.yaml:snakeyaml", "1.33"), ("jackson-databind", "2.13.0")]
        );
        assert!(out.packages.iter().all(|p| p.evidence.path == "/srv/app.jar"));
        assert_eq!(out.issues.len(), 1, "{:?}", out.issues);
        assert!(out.issues[0].message.contains("nested `BOOT-INF/lib/broken.jar`"), "{}", out.issues[0]);
    }

    #[test]
    fn nesting_depth_is_bounded() {
        let mut jar = zip_of(&[("META-INF/MANIFEST.MF", b"Implementation-Version: 1\n")]);
        for level in 0..6 {
            jar = zip_of(&[(&format!("lib/l{level}-1.{level}.jar"), &jar)]);
        }
        let out = run("/deep.jar", &jar);
        // Three levels below the outer archive (which has no version to report).
        assert_eq!(coords(&out), [("l5", "1.5"), ("l4", "1.4"), ("l3", "1.3")]);
        assert_eq!(out.issues.len(), 1);
        assert_eq!(out.issues[0].kind, IssueKind::Limit);
    }

    /// Rewrites the uncompressed size recorded for `name` in both its local and central headers.
    fn declare_size(zip: &mut [u8], name: &str, size: u32) {
        for (sig, at) in [(b"PK\x03\x04", 22usize), (b"PK\x01\x02", 24)] {
            let mut from = 0;
            while let Some(i) = memchr::memmem::find(&zip[from..], sig) {
                let h = from + i;
                let name_at = if sig == b"PK\x03\x04" { h + 30 } else { h + 46 };
                if zip.get(name_at..name_at + name.len()) == Some(name.as_bytes()) {
                    zip[h + at..h + at + 4].copy_from_slice(&size.to_le_bytes());
                }
                from = h + 4;
            }
        }
    }

    #[test]
    fn zip_bombs_are_bounded() {
        // Declared as 1 GiB: refused from the header alone.
        let mut jar = zip_of(&[("x/bomb.war", &vec![0u8; 1 << 20])]);
        declare_size(&mut jar, "x/bomb.war", 1 << 30);
        let out = run("/bomb.jar", &jar);
        assert!(out.packages.is_empty());
        assert_eq!(out.issues.len(), 1, "{:?}", out.issues);
        assert!(out.issues[0].message.contains("x/bomb.war"), "{}", out.issues[0]);

        // Declared small but inflating to 200 MiB: the zip reader stops at the declared size (and
        // `take` would stop at the cap if it did not).
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).large_file(false);
        w.start_file("lib/liar-1.0.jar", opts).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..200 {
            w.write_all(&chunk).unwrap();
        }
        let mut jar = w.finish().unwrap().into_inner();
        assert!(jar.len() < 1 << 20, "{}", jar.len());
        declare_size(&mut jar, "lib/liar-1.0.jar", 1000);
        let out = run("/liar.jar", &jar);
        assert!(out.packages.is_empty());
        assert_eq!(out.issues.len(), 1, "{:?}", out.issues);
        assert_eq!(out.issues[0].kind, IssueKind::Analyzer, "{}", out.issues[0]);
        assert!(out.issues[0].message.starts_with("entry `lib/liar-1.0.jar` is corrupt"), "{}", out.issues[0]);
    }

    #[test]
    fn the_total_budget_is_shared_by_nested_archives() {
        let big = vec![0u8; 40 << 20];
        let inner = zip_of(&[("pad.bin", &big), ("META-INF/MANIFEST.MF", b"Implementation-Version: 2\n")]);
        let jar = zip_of(&[("a/x-1.jar", &inner), ("a/y-1.jar", &inner), ("a/z-1.jar", &inner), ("a/w-1.jar", &inner)]);
        let out = run("/budget.jar", &jar);
        // Each stored 40 MiB jar costs 40 MiB of the 128 MiB budget: three fit, the fourth does not.
        assert_eq!(out.packages.len(), 3, "{:?}", coords(&out));
        assert_eq!(out.issues.len(), 1, "{:?}", out.issues);
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048), at in 0usize..4096) {
            let _ = run("/x.jar", &bytes);
            let mut jar = zip_of(&[("META-INF/maven/a/b/pom.properties", POM), ("lib/n-1.jar", &zip_of(&[("META-INF/MANIFEST.MF", b"Bundle-Version: 1\n")]))]);
            for (i, b) in bytes.iter().take(32).enumerate() {
                let n = jar.len();
                if let Some(x) = jar.get_mut((at + i) % n) { *x ^= b; }
            }
            let _ = run("/x.jar", &jar);
            let _ = pom_properties(&String::from_utf8_lossy(&bytes));
            let _ = from_manifest(&String::from_utf8_lossy(&bytes), "a-1.jar");
        }
    }
}
