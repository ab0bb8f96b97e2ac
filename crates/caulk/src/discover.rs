//! Finds the files to check: walks directories (respecting `.gitignore`, skipping `--exclude`),
//! classifies files by name, and named files that fail that by their content.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::cli::Kind;

/// A file to check, with the path as it will be displayed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Target {
    pub display: String,
    pub path: PathBuf,
}

/// A named path that could not be used.
#[derive(Debug)]
pub(crate) struct Unusable {
    pub display: String,
    pub message: String,
}

/// Dockerfile naming conventions: `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `api.Dockerfile`.
pub(crate) fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".md") || lower.ends_with(".j2.md") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile-")
}

/// Whether text reads like a Dockerfile: its first instruction is FROM (or ARG before FROM).
pub(crate) fn sniff_dockerfile(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
        .is_some_and(|w| w.eq_ignore_ascii_case("FROM") || w.eq_ignore_ascii_case("ARG"))
}

pub(crate) fn build_excludes(globs: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).with_context(|| format!("invalid --exclude glob `{g}`"))?);
        // a bare name also excludes it anywhere below
        if !g.contains('/') {
            b.add(Glob::new(&format!("**/{g}")).with_context(|| format!("invalid --exclude glob `{g}`"))?);
            b.add(Glob::new(&format!("**/{g}/**")).with_context(|| format!("invalid --exclude glob `{g}`"))?);
        }
    }
    Ok(b.build()?)
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

/// Resolves command-line paths to targets, sorted and de-duplicated.
pub(crate) fn discover(paths: &[PathBuf], excludes: &GlobSet, kind: Option<Kind>) -> (Vec<Target>, Vec<Unusable>) {
    let mut targets = Vec::new();
    let mut unusable = Vec::new();
    for root in paths {
        if root.is_dir() {
            let walker = ignore::WalkBuilder::new(root)
                .hidden(false)
                .require_git(false)
                .filter_entry(|e| e.file_name() != ".git")
                .build();
            for entry in walker {
                let Ok(entry) = entry else { continue };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.path();
                let rel = path.strip_prefix(root).unwrap_or(path);
                if excludes.is_match(rel) || excludes.is_match(path) {
                    continue;
                }
                if path.file_name().is_some_and(|n| is_dockerfile_name(&n.to_string_lossy())) {
                    targets.push(Target { display: display(path), path: path.to_owned() });
                }
            }
        } else if root.is_file() {
            let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let ok = kind.is_some()
                || is_dockerfile_name(&name)
                || std::fs::read(root).is_ok_and(|b| sniff_dockerfile(&String::from_utf8_lossy(&b)));
            if ok {
                targets.push(Target { display: display(root), path: root.clone() });
            } else {
                unusable.push(Unusable {
                    display: display(root),
                    message: "not recognised as a Dockerfile by its name or content; use --kind dockerfile to check it anyway".to_owned(),
                });
            }
        } else {
            unusable.push(Unusable { display: display(root), message: "no such file or directory".to_owned() });
        }
    }
    targets.sort();
    targets.dedup_by(|a, b| a.path == b.path);
    (targets, unusable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["Dockerfile", "Containerfile", "Dockerfile.prod", "api.Dockerfile", "dockerfile", "Dockerfile-dev"] {
            assert!(is_dockerfile_name(ok), "{ok}");
        }
        for no in ["Dockerfile.dockerignore", "README.md", "docker-compose.yml", "Dockerfiles"] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }

    #[test]
    fn sniffing() {
        assert!(sniff_dockerfile("# comment\n\nFROM alpine\n"));
        assert!(sniff_dockerfile("ARG V=1\nFROM x:$V\n"));
        assert!(!sniff_dockerfile("services:\n  web: {}\n"));
    }
}
