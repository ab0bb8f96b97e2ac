//! Alpine (and Wolfi, Chainguard) packages from `/lib/apk/db/installed`, with origin and files.

use caulk_core::{Evidence, Package, PackageType};

use crate::analyzer::{AnalyzerInput, AnalyzerOutput, FileAnalyzer};
use crate::analyzers::paragraphs;
use crate::issue::{ImageIssue, IssueKind};

pub(crate) struct Apk;

impl FileAnalyzer for Apk {
    fn name(&self) -> &'static str {
        "apk"
    }

    fn globs(&self) -> &'static [&'static str] {
        &["/lib/apk/db/installed", "/usr/lib/apk/db/installed"]
    }

    fn analyze(&self, input: &AnalyzerInput<'_>, out: &mut AnalyzerOutput) {
        let text = String::from_utf8_lossy(input.content);
        for para in paragraphs(&text) {
            let (mut name, mut version, mut arch, mut origin, mut license) = (None, None, None, None, None);
            let mut dir = String::new();
            for line in para.lines() {
                let Some((tag, value)) = line.split_once(':') else { continue };
                match tag {
                    "P" => name = Some(value),
                    "V" => version = Some(value),
                    "A" => arch = Some(value),
                    "o" => origin = Some(value),
                    "L" => license = Some(value),
                    "F" => value.clone_into(&mut dir),
                    "R" => out.owned_files.push(if dir.is_empty() {
                        format!("/{value}")
                    } else {
                        format!("/{dir}/{value}")
                    }),
                    _ => {}
                }
            }
            let (Some(name), Some(version)) = (name, version) else {
                out.issues.push(ImageIssue::new(
                    IssueKind::Analyzer,
                    input.layer,
                    Some(input.path.to_owned()),
                    "an apk database entry without P: or V:; skipped",
                ));
                continue;
            };
            out.packages.push(Package {
                kind: PackageType::Apk,
                name: name.to_owned(),
                version: version.to_owned(),
                source_name: Some(origin.unwrap_or(name).to_owned()),
                source_version: None,
                arch: arch.map(str::to_owned),
                licenses: license.map(|l| vec![l.to_owned()]).unwrap_or_default(),
                distro: input.distro.cloned(),
                evidence: Evidence { path: input.path.to_owned(), layer: input.layer, analyzer: "apk" },
            });
        }
    }
}
