//! Rust crates compiled into ELF binaries built with `cargo auditable`, which embeds the
//! dependency tree as zlib-compressed JSON in a `.dep-v0` section
//! (`{"packages":[{"name","version","source","kind","dependencies","root"}]}`).
//!
//! Reported: every runtime package except the root crate when its source is `local` (the binary's
//! own crate, which no advisory can name; Trivy does the same). Packages of kind `build` (build
//! scripts, proc-macros and their dependencies) are skipped: their code runs at compile time and
//! is not in the binary, so advisories against them would be false findings.

use std::io::Read;

use caulk_core::{Evidence, Package, PackageType};
use serde::Deserialize;

use crate::analyzer::{AnalyzerOutput, StreamAnalyzer};
use crate::analyzers::gobinary::Elf;
use crate::issue::{ImageIssue, IssueKind};

/// Decompressed bytes of one `.dep-v0` section; real ones are a few KiB.
const MAX_JSON: u64 = 8 << 20;

pub(crate) struct RustAudit;

impl StreamAnalyzer for RustAudit {
    fn name(&self) -> &'static str {
        "rustaudit"
    }

    fn executables(&self) -> bool {
        true
    }

    fn wants(&self, head: &[u8]) -> bool {
        head.starts_with(b"\x7fELF")
    }

    fn analyze(&self, path: &str, content: &[u8], layer: u32, out: &mut AnalyzerOutput) {
        let Some(section) = Elf::parse(content).and_then(|e| e.section(b".dep-v0")) else { return };
        match packages(section, path, layer) {
            Ok(p) => out.packages.extend(p),
            Err((kind, message)) => {
                out.issues.push(ImageIssue::new(kind, Some(layer), Some(path.to_owned()), message));
            }
        }
    }
}

#[derive(Deserialize)]
struct VersionInfo {
    packages: Vec<AuditPackage>,
}

#[derive(Deserialize)]
struct AuditPackage {
    name: String,
    version: String,
    /// `"crates.io"`, `"git"`, `"local"`, `"registry"`, or another string.
    #[serde(default)]
    source: serde_json::Value,
    /// `"runtime"` (the default) or `"build"`.
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    root: bool,
}

/// Decodes one `.dep-v0` section into packages, or says why it cannot.
fn packages(section: &[u8], path: &str, layer: u32) -> Result<Vec<Package>, (IssueKind, String)> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(section)
        .take(MAX_JSON + 1)
        .read_to_end(&mut json)
        .map_err(|e| (IssueKind::Analyzer, format!("the cargo-auditable `.dep-v0` section does not inflate: {e}")))?;
    if json.len() as u64 > MAX_JSON {
        return Err((
            IssueKind::Limit,
            format!("the cargo-auditable `.dep-v0` section inflates past {MAX_JSON} bytes; not read"),
        ));
    }
    let info: VersionInfo = serde_json::from_slice(&json)
        .map_err(|e| (IssueKind::Analyzer, format!("the cargo-auditable `.dep-v0` JSON is not valid: {e}")))?;
    Ok(info
        .packages
        .into_iter()
        .filter(|p| p.kind.as_deref().is_none_or(|k| k == "runtime"))
        .filter(|p| !(p.root && p.source.as_str() == Some("local")))
        .map(|p| {
            let evidence = Evidence { path: path.to_owned(), layer: Some(layer), analyzer: "rustaudit" };
            Package::new(PackageType::Cargo, p.name, p.version, evidence)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// What `cargo auditable` writes: zlib-compressed JSON.
    fn compress(json: &str) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(json.as_bytes()).unwrap();
        z.finish().unwrap()
    }

    const JSON: &str = r#"{"packages":[
        {"name":"adler","version":"1.0.2","source":"crates.io"},
        {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
        {"name":"demo","version":"0.1.0","source":"local","dependencies":[0,1,3,4],"root":true},
        {"name":"helper","version":"0.2.0","source":"local"},
        {"name":"forked","version":"0.3.0","source":"git","dependencies":[0]}
    ],"format":1}"#;

    #[test]
    fn reports_runtime_crates_but_not_the_local_root() {
        let pkgs = packages(&compress(JSON), "/usr/bin/demo", 3).unwrap();
        let got: Vec<_> = pkgs.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        assert_eq!(got, [("adler", "1.0.2"), ("helper", "0.2.0"), ("forked", "0.3.0")]);
        assert_eq!(pkgs[0].purl(), "pkg:cargo/adler@1.0.2");
        assert_eq!(pkgs[0].evidence, Evidence { path: "/usr/bin/demo".into(), layer: Some(3), analyzer: "rustaudit" });
    }

    #[test]
    fn a_registry_root_is_reported() {
        let json = r#"{"packages":[{"name":"ripgrep","version":"14.1.0","source":"crates.io","root":true}]}"#;
        assert_eq!(packages(&compress(json), "/x", 0).unwrap().len(), 1);
    }

    #[test]
    fn bad_sections_become_issues() {
        let (kind, msg) = packages(b"not zlib", "/x", 0).unwrap_err();
        assert_eq!(kind, IssueKind::Analyzer, "{msg}");
        let (kind, msg) = packages(&compress("{\"packages\": 3}"), "/x", 0).unwrap_err();
        assert_eq!(kind, IssueKind::Analyzer, "{msg}");
    }

    #[test]
    fn inflation_is_bounded() {
        // 64 MiB of spaces inside a JSON string compresses to ~64 KiB.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"{\"packages\":[],\"x\":\"").unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..64 {
            z.write_all(&chunk).unwrap();
        }
        let bomb = z.finish().unwrap();
        let (kind, msg) = packages(&bomb, "/x", 0).unwrap_err();
        assert_eq!(kind, IssueKind::Limit, "{msg}");
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = packages(&bytes, "/x", 0);
            let mut out = AnalyzerOutput::default();
            RustAudit.analyze("/x", &bytes, 0, &mut out);
            let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
            elf.extend_from_slice(&bytes);
            RustAudit.analyze("/x", &elf, 0, &mut out);
        }
    }
}
