//! Debian and Ubuntu packages from `/var/lib/dpkg/status` and distroless `status.d/` files, with
//! their source packages and the files each one installed.

use caulk_core::{Evidence, Package, PackageType};

use crate::analyzer::{AnalyzerInput, AnalyzerOutput, FileAnalyzer};
use crate::analyzers::paragraphs;
use crate::issue::{ImageIssue, IssueKind};

pub(crate) struct Dpkg;

impl FileAnalyzer for Dpkg {
    fn name(&self) -> &'static str {
        "dpkg"
    }

    fn globs(&self) -> &'static [&'static str] {
        &["/var/lib/dpkg/status", "/var/lib/dpkg/status.d/*"]
    }

    fn companions(&self) -> &'static [&'static str] {
        &["/var/lib/dpkg/info/*.list"]
    }

    fn analyze(&self, input: &AnalyzerInput<'_>, out: &mut AnalyzerOutput) {
        let distroless = input.path.starts_with("/var/lib/dpkg/status.d/");
        if distroless && input.path.ends_with(".md5sums") {
            return;
        }
        let text = String::from_utf8_lossy(input.content);
        let mut parsed = 0usize;
        for para in paragraphs(&text) {
            let fields = Fields::parse(para);
            let Some(name) = fields.get("Package") else { continue };
            // Removed packages leave `deinstall ok config-files` stanzas behind.
            if let Some(status) = fields.get("Status")
                && !status.ends_with(" installed")
            {
                continue;
            }
            let Some(version) = fields.get("Version") else {
                out.issues.push(ImageIssue::new(
                    IssueKind::Analyzer,
                    input.layer,
                    Some(input.path.to_owned()),
                    format!("dpkg package `{name}` has no Version field; skipped"),
                ));
                continue;
            };
            let arch = fields.get("Architecture").map(str::to_owned);
            let (source_name, source_version) = match fields.get("Source") {
                Some(src) => match src.split_once(' ') {
                    Some((n, v)) => {
                        (Some(n.to_owned()), Some(v.trim().trim_matches(|c| c == '(' || c == ')').to_owned()))
                    }
                    None => (Some(src.to_owned()), None),
                },
                None => (Some(name.to_owned()), None),
            };
            parsed += 1;
            owned_files(input, name, arch.as_deref(), distroless, out);
            out.packages.push(Package {
                kind: PackageType::Deb,
                name: name.to_owned(),
                version: version.to_owned(),
                source_name,
                source_version,
                arch,
                licenses: Vec::new(),
                distro: input.distro.cloned(),
                evidence: Evidence { path: input.path.to_owned(), layer: input.layer, analyzer: "dpkg" },
            });
        }
        if parsed == 0 && !distroless && !text.trim().is_empty() {
            out.issues.push(ImageIssue::new(
                IssueKind::Analyzer,
                input.layer,
                Some(input.path.to_owned()),
                "the dpkg status file lists no installed package",
            ));
        }
    }
}

/// Records the files dpkg installed for `name` (`info/<name>.list` or `<name>:<arch>.list`).
fn owned_files(input: &AnalyzerInput<'_>, name: &str, arch: Option<&str>, distroless: bool, out: &mut AnalyzerOutput) {
    let mut candidates = vec![format!("/var/lib/dpkg/info/{name}.list")];
    if let Some(a) = arch {
        candidates.push(format!("/var/lib/dpkg/info/{name}:{a}.list"));
    }
    if distroless {
        candidates.push(format!("/var/lib/dpkg/status.d/{name}.md5sums"));
    }
    for c in candidates {
        if let Some(bytes) = input.fs.read(&c) {
            for line in String::from_utf8_lossy(bytes).lines() {
                // md5sums lines are `<hash>  <relative path>`.
                let path = line.rsplit_once("  ").map_or(line, |(_, p)| p).trim();
                if path.is_empty() || path == "/." {
                    continue;
                }
                if path.starts_with('/') {
                    out.owned_files.push(path.to_owned());
                } else {
                    out.owned_files.push(format!("/{path}"));
                }
            }
        }
    }
}

/// The fields of one stanza; continuation lines are folded into the field they continue.
struct Fields<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Fields<'a> {
    fn parse(para: &'a str) -> Self {
        let mut pairs = Vec::new();
        for line in para.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                continue;
            }
            if let Some((k, v)) = line.split_once(':') {
                pairs.push((k.trim(), v.trim()));
            }
        }
        Self { pairs }
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}
