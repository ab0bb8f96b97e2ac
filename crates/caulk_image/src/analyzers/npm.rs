//! Installed npm packages, from the `package.json` of every directory under a `node_modules`
//! (scoped ones included): an application's dependencies and the global tools node images carry
//! (`/usr/local/lib/node_modules/npm`).

use caulk_core::{Evidence, Package, PackageType};
use serde_json::Value;

use crate::analyzer::{AnalyzerInput, AnalyzerOutput, FileAnalyzer};
use crate::issue::{ImageIssue, IssueKind};

/// Reads `package.json` files of installed npm packages.
pub(crate) struct Npm;

impl FileAnalyzer for Npm {
    fn name(&self) -> &'static str {
        "npm"
    }

    fn globs(&self) -> &'static [&'static str] {
        &["**/node_modules/*/package.json", "**/node_modules/@*/*/package.json"]
    }

    fn analyze(&self, input: &AnalyzerInput<'_>, out: &mut AnalyzerOutput) {
        let bytes = input.content.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input.content);
        let manifest: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                out.issues.push(ImageIssue::new(
                    IssueKind::Analyzer,
                    input.layer,
                    Some(input.path.to_owned()),
                    format!("package.json is not valid JSON: {e}; skipped"),
                ));
                return;
            }
        };
        // Directories under node_modules without both fields are not installed packages
        // (placeholders, test fixtures, workspace stubs).
        let text = |key: &str| manifest.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let (Some(name), Some(version)) = (text("name"), text("version")) else { return };
        out.packages.push(Package {
            licenses: licenses(&manifest),
            ..Package::new(
                PackageType::Npm,
                name,
                version,
                Evidence { path: input.path.to_owned(), layer: input.layer, analyzer: "npm" },
            )
        });
    }
}

/// `license` as a string (SPDX expression), as an object `{"type": …}` or an array of either;
/// else the deprecated `licenses` array.
fn licenses(manifest: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in ["license", "licenses"] {
        match manifest.get(key) {
            Some(Value::Array(items)) => items.iter().for_each(|v| add_license(v, &mut out)),
            Some(v) => add_license(v, &mut out),
            None => {}
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

fn add_license(v: &Value, out: &mut Vec<String>) {
    let name = match v {
        Value::String(s) => Some(s.as_str()),
        Value::Object(o) => o.get("type").and_then(Value::as_str),
        _ => None,
    };
    if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty())
        && !out.iter().any(|o| o == n)
    {
        out.push(n.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MergedFs;
    use crate::{ReadOptions, read_image};
    use std::path::Path;
    use std::process::Command;

    fn run(json: &str) -> AnalyzerOutput {
        let fs = MergedFs::new(8);
        let mut out = AnalyzerOutput::default();
        let input = AnalyzerInput {
            path: "/app/node_modules/@babel/core/package.json",
            content: json.as_bytes(),
            layer: Some(1),
            fs: &fs,
            distro: None,
        };
        Npm.analyze(&input, &mut out);
        out
    }

    #[test]
    fn licence_forms() {
        let l = |json: &str| run(json).packages.pop().map(|p| p.licenses).unwrap_or_default();
        assert_eq!(l(r#"{"name":"a","version":"1.0.0","license":"(MIT OR Apache-2.0)"}"#), ["(MIT OR Apache-2.0)"]);
        assert_eq!(l(r#"{"name":"a","version":"1.0.0","license":{"type":"ISC","url":"x"}}"#), ["ISC"]);
        assert_eq!(
            l(r#"{"name":"a","version":"1.0.0","licenses":[{"type":"MIT"},{"type":"GPL-2.0"},"MIT"]}"#),
            ["MIT", "GPL-2.0"]
        );
        assert_eq!(l(r#"{"name":"a","version":"1.0.0","license":"BSD","licenses":[{"type":"MIT"}]}"#), ["BSD"]);
        assert!(l(r#"{"name":"a","version":"1.0.0","license":42}"#).is_empty());
    }

    #[test]
    fn scoped_package_and_evidence() {
        let out = run("\u{feff}{\"name\":\"@babel/core\",\"version\":\"7.24.0\",\"license\":\"MIT\"}");
        let [p] = out.packages.as_slice() else { panic!("{out:?}") };
        assert_eq!(p.purl(), "pkg:npm/%40babel/core@7.24.0");
        assert_eq!(
            p.evidence,
            Evidence { path: "/app/node_modules/@babel/core/package.json".into(), layer: Some(1), analyzer: "npm" }
        );
    }

    #[test]
    fn incomplete_manifests_are_skipped_and_malformed_ones_reported() {
        for json in [
            r#"{"name":"x"}"#,
            r#"{"version":"1.0.0"}"#,
            r#"{"name":"","version":"1"}"#,
            "[]",
            r#"{"name":1,"version":"1"}"#,
        ] {
            let out = run(json);
            assert!(out.packages.is_empty() && out.issues.is_empty(), "{json}: {out:?}");
        }
        let out = run(r#"{"name": "x", "version": "1.0.0",}"#);
        assert!(out.packages.is_empty());
        assert_eq!(out.issues.len(), 1);
        assert!(
            out.issues[0].message.starts_with("package.json is not valid JSON: trailing comma"),
            "{}",
            out.issues[0]
        );
    }

    #[test]
    fn globs_select_package_directories_only() {
        let plan = crate::capture::CapturePlan::new(&[&Npm], &[], &[]);
        assert!(plan.keeps("/usr/local/lib/node_modules/npm/package.json"));
        assert!(plan.keeps("/app/node_modules/@types/node/package.json"));
        assert!(plan.keeps("/app/node_modules/a/node_modules/b/package.json"));
        assert!(!plan.keeps("/app/package.json"));
        assert!(!plan.keeps("/app/node_modules/a/dist/esm/package.json"));
    }

    /// Copies every `package.json` under `src` into `dst`, keeping the layout.
    fn copy_manifests(src: &Path, dst: &Path) -> usize {
        let mut copied = 0;
        for entry in std::fs::read_dir(src).unwrap().flatten() {
            let ty = entry.file_type().unwrap();
            let to = dst.join(entry.file_name());
            if ty.is_dir() {
                copied += copy_manifests(&entry.path(), &to);
            } else if ty.is_file() && entry.file_name() == "package.json" {
                std::fs::create_dir_all(dst).unwrap();
                std::fs::copy(entry.path(), &to).unwrap();
                copied += 1;
            }
        }
        copied
    }

    fn command(program: &str, args: &[&str]) -> Option<String> {
        let out = Command::new(program).args(args).output().ok().filter(|o| o.status.success())?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// npm's own installation (`npm root -g`), laid out where official node images keep it.
    #[test]
    #[allow(clippy::print_stderr)]
    fn global_npm_install() {
        let (Some(root), Some(npm_version)) = (command("npm", &["root", "-g"]), command("npm", &["--version"])) else {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "npm is required in CI");
            eprintln!("skipping: npm is not installed");
            return;
        };
        let src = Path::new(&root).join("npm");
        let dir = tempfile::tempdir().unwrap();
        let dst = dir.path().join("usr/local/lib/node_modules/npm");
        assert!(copy_manifests(&src, &dst) > 50);
        let img = read_image(&format!("dir:{}", dir.path().display()), &ReadOptions::default()).unwrap();
        assert!(img.issues.is_empty(), "{:?}", img.issues);
        let npm =
            img.packages.iter().find(|p| p.evidence.path == "/usr/local/lib/node_modules/npm/package.json").unwrap();
        assert_eq!((npm.name.as_str(), npm.version.as_str()), ("npm", npm_version.as_str()));
        assert_eq!(npm.licenses, ["Artistic-2.0"]);
        // Every dependency npm bundles is found, with the version installed beside it.
        let manifest: Value = serde_json::from_slice(&std::fs::read(src.join("package.json")).unwrap()).unwrap();
        let bundled = manifest["bundleDependencies"].as_array().unwrap();
        assert!(bundled.len() > 20);
        for dep in bundled.iter().filter_map(Value::as_str) {
            let installed: Value = serde_json::from_slice(
                &std::fs::read(src.join("node_modules").join(dep).join("package.json")).unwrap(),
            )
            .unwrap();
            let path = format!("/usr/local/lib/node_modules/npm/node_modules/{dep}/package.json");
            let p = img.packages.iter().find(|p| p.evidence.path == path).unwrap_or_else(|| panic!("{dep} missing"));
            assert_eq!((p.name.as_str(), Some(p.version.as_str())), (dep, installed["version"].as_str()));
        }
    }
}
