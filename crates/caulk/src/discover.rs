//! Finds the files to check: walks directories (respecting `.gitignore`, skipping `--exclude`),
//! classifies files as Dockerfile, compose or nginx by name (and `.conf` files and named files
//! that fail that, by their content).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use caulk_core::TargetKind;
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::cli::Kind;

/// A file to check, with the path as it will be displayed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Target {
    pub display: String,
    pub path: PathBuf,
    pub kind: TargetKind,
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

/// Compose file names Docker Compose itself looks for, and their `-f` variants
/// (`docker-compose.prod.yml`, `compose.override.yaml`).
pub(crate) fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".yml").or_else(|| lower.strip_suffix(".yaml")) else { return false };
    stem == "docker-compose" || stem == "compose" || stem.starts_with("docker-compose.") || stem.starts_with("compose.")
}

/// nginx files recognisable by name alone: `nginx.conf`, `*.nginx`, `nginx.conf.template`.
pub(crate) fn is_nginx_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "nginx.conf"
        || lower.ends_with(".nginx")
        || lower.ends_with(".nginx.conf")
        || lower == "nginx.conf.template"
}

/// Whether a `.conf` file reads like nginx configuration: a block or directive only nginx uses.
pub(crate) fn sniff_nginx(text: &str) -> bool {
    text.lines().map(str::trim).filter(|l| !l.starts_with('#')).any(|l| {
        let first = l.split(|c: char| c.is_whitespace() || c == '{').next().unwrap_or("");
        matches!(first, "server" | "http" | "upstream" | "location" | "events")
            && (l.contains('{') || first == "location")
            || matches!(
                first,
                "proxy_pass" | "fastcgi_pass" | "server_name" | "listen" | "add_header" | "server_tokens"
            ) && l.ends_with(';')
    })
}

/// Whether YAML text is a compose file: a top-level `services:` key.
pub(crate) fn sniff_compose(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("services:"))
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
/// The kind of a file met while walking a directory, by name (and content for `.conf`).
fn classify_walked(path: &Path) -> Option<TargetKind> {
    let name = path.file_name()?.to_string_lossy();
    if is_dockerfile_name(&name) {
        return Some(TargetKind::Dockerfile);
    }
    if is_compose_name(&name) {
        return Some(TargetKind::Compose);
    }
    if is_nginx_name(&name) {
        return Some(TargetKind::Nginx);
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".conf") || lower.ends_with(".conf.template") {
        let bytes = std::fs::read(path).ok()?;
        if bytes.len() < 4 * 1024 * 1024 && sniff_nginx(&String::from_utf8_lossy(&bytes)) {
            return Some(TargetKind::Nginx);
        }
    }
    None
}

/// The kind of a file named on the command line: `--kind`, else its name, else its content.
fn classify_named(path: &Path, kind: Option<Kind>) -> Option<TargetKind> {
    if let Some(k) = kind {
        return Some(match k {
            Kind::Dockerfile => TargetKind::Dockerfile,
            Kind::Compose => TargetKind::Compose,
            Kind::Nginx => TargetKind::Nginx,
        });
    }
    if let Some(k) = classify_walked(path) {
        return Some(k);
    }
    let text = String::from_utf8_lossy(&std::fs::read(path).ok()?).into_owned();
    if sniff_dockerfile(&text) {
        Some(TargetKind::Dockerfile)
    } else if sniff_compose(&text) {
        Some(TargetKind::Compose)
    } else if sniff_nginx(&text) {
        Some(TargetKind::Nginx)
    } else {
        None
    }
}

pub(crate) fn discover(paths: &[PathBuf], excludes: &GlobSet, kind: Option<Kind>) -> (Vec<Target>, Vec<Unusable>) {
    let mut targets = Vec::new();
    let mut unusable = Vec::new();
    for root in paths {
        // one metadata call per named path (thousands of files may be named on the command line)
        let meta = std::fs::metadata(root).ok();
        if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
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
                if let Some(kind) = classify_walked(path) {
                    targets.push(Target { display: display(path), path: path.to_owned(), kind });
                }
            }
        } else if meta.as_ref().is_some_and(std::fs::Metadata::is_file) {
            match classify_named(root, kind) {
                Some(kind) => targets.push(Target { display: display(root), path: root.clone(), kind }),
                None => unusable.push(Unusable {
                    display: display(root),
                    message: "not recognised as a Dockerfile, compose file or nginx configuration by its name or content; use --kind to check it anyway".to_owned(),
                }),
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
    fn compose_and_nginx_names_and_content() {
        for ok in ["docker-compose.yml", "compose.yaml", "docker-compose.prod.yml", "compose.override.yaml"] {
            assert!(is_compose_name(ok), "{ok}");
        }
        for no in ["docker-compose.txt", "my-compose.yml", "values.yaml"] {
            assert!(!is_compose_name(no), "{no}");
        }
        assert!(is_nginx_name("nginx.conf") && is_nginx_name("site.nginx") && !is_nginx_name("redis.conf"));
        assert!(sniff_nginx("server {\n  listen 80;\n}\n"));
        assert!(sniff_nginx("location /api/ {\n proxy_pass http://api;\n}\n"));
        assert!(!sniff_nginx("# redis\nbind 127.0.0.1\nport 6379\n"));
        assert!(sniff_compose("version: '3'\nservices:\n  web: {}\n"));
        assert!(!sniff_compose("apiVersion: v1\nkind: Pod\n"));
    }

    #[test]
    fn sniffing() {
        assert!(sniff_dockerfile("# comment\n\nFROM alpine\n"));
        assert!(sniff_dockerfile("ARG V=1\nFROM x:$V\n"));
        assert!(!sniff_dockerfile("services:\n  web: {}\n"));
    }
}
