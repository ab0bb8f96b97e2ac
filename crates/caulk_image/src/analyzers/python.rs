//! Installed Python distributions, from the core metadata files pip and setuptools leave behind:
//! `*.dist-info/METADATA` (wheels), `*.egg-info/PKG-INFO` or a lone `*.egg-info` file
//! (setuptools, distribution packages), and unzipped eggs.

use caulk_core::{Evidence, Package, PackageType};

use crate::analyzer::{AnalyzerInput, AnalyzerOutput, FileAnalyzer};
use crate::issue::{ImageIssue, IssueKind};

/// Reads Python core metadata files.
pub(crate) struct Python;

impl FileAnalyzer for Python {
    fn name(&self) -> &'static str {
        "python"
    }

    fn globs(&self) -> &'static [&'static str] {
        &["**/*.dist-info/METADATA", "**/*.egg-info/PKG-INFO", "**/*.egg-info", "**/*.egg/EGG-INFO/PKG-INFO"]
    }

    fn analyze(&self, input: &AnalyzerInput<'_>, out: &mut AnalyzerOutput) {
        let text = String::from_utf8_lossy(input.content);
        let meta = Metadata::parse(&text);
        let issue =
            |message: String| ImageIssue::new(IssueKind::Analyzer, input.layer, Some(input.path.to_owned()), message);
        let Some(name) = meta.get("Name").filter(|n| !n.is_empty()) else {
            out.issues.push(issue("the Python metadata file has no Name field; skipped".into()));
            return;
        };
        let Some(version) = meta.get("Version").filter(|v| !v.is_empty()) else {
            out.issues.push(issue(format!("Python package `{name}` has no Version field; skipped")));
            return;
        };
        out.packages.push(Package {
            licenses: meta.licenses(),
            ..Package::new(
                PackageType::Python,
                name,
                version,
                Evidence { path: input.path.to_owned(), layer: input.layer, analyzer: "python" },
            )
        });
    }
}

/// The header fields of a core metadata file (RFC 822 style, up to the first blank line; the
/// body is the long description). Continuation lines are joined to their field with newlines.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    fields: Vec<(String, String)>,
}

impl Metadata {
    /// Never fails: lines that are not `Key: value` are ignored.
    pub(crate) fn parse(text: &str) -> Self {
        let mut fields: Vec<(String, String)> = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for line in text.lines() {
            // Only a truly empty line ends the headers: whitespace-only lines continue a
            // multi-line field (old PKG-INFO files put Classifier after such a Description).
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push('\n');
                    value.push_str(line.trim());
                }
                continue;
            }
            if let Some((k, v)) = line.split_once(':') {
                fields.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        Self { fields }
    }

    /// The first value of a field; field names are case-insensitive.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.trim())
    }

    fn all<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a str> {
        self.fields.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.trim())
    }

    /// The declared licence: `License-Expression` (PEP 639), else a one-line `License` (many put
    /// the whole licence text there, which is no name), else the `License ::` classifiers.
    pub(crate) fn licenses(&self) -> Vec<String> {
        if let Some(e) = self.get("License-Expression").filter(|e| !e.is_empty()) {
            return vec![e.to_owned()];
        }
        if let Some(l) = self.get("License")
            && !l.is_empty()
            && !l.contains('\n')
            && !l.eq_ignore_ascii_case("UNKNOWN")
        {
            return vec![l.to_owned()];
        }
        let mut out: Vec<String> = Vec::new();
        for c in self.all("Classifier") {
            let mut parts = c.split("::").map(str::trim);
            if parts.next() != Some("License") {
                continue;
            }
            if let Some(last) = parts.last().filter(|l| !l.is_empty() && *l != "OSI Approved")
                && !out.iter().any(|o| o == last)
            {
                out.push(last.to_owned());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MergedFs;
    use crate::{ReadOptions, read_image};
    use std::path::Path;
    use std::process::Command;

    fn run(path: &str, text: &str) -> AnalyzerOutput {
        let fs = MergedFs::new(8);
        let mut out = AnalyzerOutput::default();
        Python.analyze(
            &AnalyzerInput { path, content: text.as_bytes(), layer: Some(2), fs: &fs, distro: None },
            &mut out,
        );
        out
    }

    #[test]
    fn continuation_lines_and_body() {
        let text = "Metadata-Version: 1.1\r\nName: Django_Rest.Framework\r\nDescription: first\r\n        \r\n        second\r\nVersion: 3.14.0\r\nClassifier: License :: OSI Approved :: BSD License\r\n\r\nName: not-a-header\r\n";
        let out = run("/usr/lib/python3/site-packages/djangorestframework-3.14.0.dist-info/METADATA", text);
        let [p] = out.packages.as_slice() else { panic!("{out:?}") };
        assert_eq!((p.name.as_str(), p.version.as_str()), ("Django_Rest.Framework", "3.14.0"));
        assert_eq!(p.licenses, ["BSD License"]);
        assert_eq!(p.purl(), "pkg:pypi/django-rest-framework@3.14.0");
        assert_eq!(p.evidence.layer, Some(2));
        assert_eq!(p.evidence.analyzer, "python");
        let meta =
            Metadata::parse("Name: a\nLicense: Copyright (c) 2010\n    Permission is hereby granted\nDescription: d\n");
        assert_eq!(meta.get("license"), Some("Copyright (c) 2010\nPermission is hereby granted"));
        assert!(meta.licenses().is_empty());
    }

    #[test]
    fn licence_sources_in_order() {
        let m = |t: &str| Metadata::parse(t).licenses();
        let classifiers = "Classifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\nClassifier: License :: OSI Approved :: Apache Software License\nClassifier: License :: OSI Approved\n";
        assert_eq!(
            m(&format!("License-Expression: MIT OR Apache-2.0\nLicense: MIT\n{classifiers}")),
            ["MIT OR Apache-2.0"]
        );
        assert_eq!(m(&format!("License: BSD\n{classifiers}")), ["BSD"]);
        assert_eq!(m(&format!("License: UNKNOWN\n{classifiers}")), ["MIT License", "Apache Software License"]);
        assert_eq!(
            m(&format!("License: Full text\n  more text\n{classifiers}")),
            ["MIT License", "Apache Software License"]
        );
        assert!(m("Name: x\n").is_empty());
    }

    #[test]
    fn missing_name_or_version_is_an_issue() {
        let out = run("/x.egg-info", "Metadata-Version: 1.0\nName: oldpkg\n");
        assert!(out.packages.is_empty());
        assert_eq!(out.issues[0].message, "Python package `oldpkg` has no Version field; skipped");
        assert_eq!(out.issues[0].path.as_deref(), Some("/x.egg-info"));
        let out = run("/y.dist-info/METADATA", "Version: 1\n");
        assert_eq!(out.issues[0].message, "the Python metadata file has no Name field; skipped");
        let out = run("/z.egg-info/PKG-INFO", "\u{feff}Name: withbom\nVersion: 0.1\n");
        assert_eq!(out.packages[0].name, "withbom");
    }

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn read_dir(dir: &Path) -> crate::Image {
        read_image(&format!("dir:{}", dir.display()), &ReadOptions::default()).unwrap()
    }

    #[test]
    fn distribution_owned_metadata_is_not_reported_twice() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        write(r, "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(
            r,
            "/var/lib/dpkg/status",
            "Package: python3-six\nStatus: install ok installed\nArchitecture: all\nVersion: 1.16.0-4\nSource: six\n",
        );
        write(
            r,
            "/var/lib/dpkg/info/python3-six.list",
            "/.\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/six-1.16.0.dist-info\n/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n/usr/lib/python3/dist-packages/six.py\n",
        );
        write(r, "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", "Name: six\nVersion: 1.16.0\n");
        write(
            r,
            "/usr/local/lib/python3.11/site-packages/six-1.17.0.dist-info/METADATA",
            "Name: six\nVersion: 1.17.0\n",
        );
        write(r, "/usr/local/lib/python3.11/site-packages/legacy-2.0-py3.11.egg-info", "Name: legacy\nVersion: 2.0\n");
        let img = read_dir(r);
        assert!(img.issues.is_empty(), "{:?}", img.issues);
        let got: Vec<_> = img
            .packages
            .iter()
            .map(|p| (p.kind, p.name.as_str(), p.version.as_str(), p.evidence.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (PackageType::Deb, "python3-six", "1.16.0-4", "/var/lib/dpkg/status"),
                (
                    PackageType::Python,
                    "legacy",
                    "2.0",
                    "/usr/local/lib/python3.11/site-packages/legacy-2.0-py3.11.egg-info"
                ),
                (
                    PackageType::Python,
                    "six",
                    "1.17.0",
                    "/usr/local/lib/python3.11/site-packages/six-1.17.0.dist-info/METADATA"
                ),
            ]
        );
    }

    /// A fresh virtual environment: `python3 -m venv` installs the pip (and, before 3.12,
    /// setuptools) wheels CPython bundles, offline. Its metadata is compared with what
    /// `importlib.metadata` reads from the same environment.
    #[test]
    #[allow(clippy::print_stderr)]
    fn real_virtualenv_matches_importlib_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path().join("venv");
        let created = Command::new("python3").args(["-m", "venv"]).arg(&venv).output();
        match &created {
            Ok(o) if o.status.success() => {}
            _ => {
                assert!(std::env::var("CI").as_deref() != Ok("true"), "python3 -m venv must work in CI: {created:?}");
                eprintln!("skipping: python3 -m venv failed: {created:?}");
                return;
            }
        }
        let script =
            "import importlib.metadata as m\nfor d in m.distributions(): print(d.metadata['Name'] + '|' + d.version)";
        let listed = Command::new(venv.join("bin/python")).args(["-c", script]).output().unwrap();
        assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
        let mut want: Vec<String> = String::from_utf8_lossy(&listed.stdout).lines().map(str::to_owned).collect();
        want.sort();
        assert!(want.iter().any(|l| l.starts_with("pip|")), "{want:?}");
        let img = read_dir(&venv);
        let mut got: Vec<String> = img
            .packages
            .iter()
            .filter(|p| p.kind == PackageType::Python)
            .map(|p| format!("{}|{}", p.name, p.version))
            .collect();
        got.sort();
        assert_eq!(got, want);
        let pip = img.packages.iter().find(|p| p.name == "pip").unwrap();
        assert!(pip.evidence.path.starts_with("/lib/python3."), "{}", pip.evidence.path);
        assert!(pip.evidence.path.ends_with(".dist-info/METADATA"), "{}", pip.evidence.path);
        assert_eq!(pip.licenses, ["MIT"]);
    }
}
