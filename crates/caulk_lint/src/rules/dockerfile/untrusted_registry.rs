//! DF105: base image from a registry not in the trusted list.

use caulk_syntax::dockerfile::{Base, ImageRef};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// When `trusted-registries` is configured (in `.caulk.toml`, or `trustedRegistries` of a
    /// `.hadolint.yaml`), checks that every `FROM` image comes from one of them. The registry
    /// of an image without one is `docker.io` (also matched by `index.docker.io` and
    /// `registry-1.docker.io`). An entry may be a host (`ghcr.io`, `localhost:5000`), a glob
    /// (`*.gcr.io`, `*`), or a host with a path prefix (`ghcr.io/my-org`). Off when the list is
    /// empty; `scratch`, stage names and references whose ARG has no value are not checked.
    ///
    /// ## Why is this bad?
    /// Whatever is in the base image runs in your build and ships in your product. Restricting
    /// bases to registries you control or vet (a mirror, a curated namespace) keeps typosquatted
    /// and unmaintained images out of the supply chain.
    ///
    /// ## Example
    /// With `trusted-registries = ["registry.example.com"]`:
    /// ```dockerfile
    /// FROM docker.io/library/python:3.12-slim
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM registry.example.com/mirror/python:3.12-slim
    /// ```
    ///
    /// ## References
    /// - hadolint DL3026 (`trustedRegistries`)
    /// - CIS Docker Benchmark 4.2: use trusted base images for containers
    pub(crate) struct UntrustedRegistry {
        code: "DF105",
        name: "untrusted-registry",
        summary: "base image from a registry not in the trusted list",
        severity: Medium,
        fix: None,
        aliases: ["DL3026"],
    }
}

impl DockerfileRule for UntrustedRegistry {
    fn check(&self, cx: &mut Checker<'_>) {
        let trusted = &cx.settings.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else { continue };
            if trusted.iter().any(|t| is_trusted(image, t)) {
                continue;
            }
            let host = normalize_host(image.registry_host());
            let text = stage.base_text.trim();
            cx.report(
                stage.base_range,
                format!("base image `{text}` comes from registry `{host}`, which is not in the trusted list"),
            )
            .set_help(format!(
                "use an image from a trusted registry ({}), or add `{host}` to `trusted-registries`",
                trusted.join(", ")
            ));
        }
    }
}

/// Docker Hub's aliases all mean `docker.io`.
fn normalize_host(host: &str) -> String {
    let h = host.to_ascii_lowercase();
    match h.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io".to_owned(),
        _ => h,
    }
}

/// Whether `image` matches one trusted entry: a host, a glob, or `host/path-prefix`.
fn is_trusted(image: &ImageRef, entry: &str) -> bool {
    let entry = entry.trim().to_ascii_lowercase();
    let entry = entry.strip_prefix("https://").or_else(|| entry.strip_prefix("http://")).unwrap_or(&entry);
    let entry = entry.trim_end_matches('/');
    if entry.is_empty() {
        return false;
    }
    let host = normalize_host(image.registry_host());
    match entry.split_once('/') {
        Some((h, prefix)) => {
            let path = if host == "docker.io" && !image.path.contains('/') {
                format!("library/{}", image.path)
            } else {
                image.path.clone()
            };
            let prefix = if host == "docker.io" && prefix == "_" { "library" } else { prefix };
            glob(&normalize_host(h), &host) && (path == prefix || path.starts_with(&format!("{prefix}/")))
        }
        None => glob(&normalize_host(entry), &host),
    }
}

/// `*` matches any run of characters; everything else literally.
fn glob(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else { return pattern == text };
    let Some(mut remaining) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = rest.split('*').collect();
    for (n, part) in parts.iter().enumerate() {
        if n + 1 == parts.len() {
            return remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(p) => remaining = remaining.get(p + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::settings::LintSettings;
    use crate::test::run_rule;

    use super::UntrustedRegistry;

    fn run(text: &str, trusted: &[&str]) -> Vec<String> {
        let settings = LintSettings {
            trusted_registries: trusted.iter().map(|s| (*s).to_owned()).collect(),
            ..LintSettings::default()
        };
        run_rule(&UntrustedRegistry, text, &settings).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn fires_on_other_registries() {
        let m = run("FROM python:3.12\n", &["registry.example.com"]);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("`docker.io`"), "{m:?}");
        let m = run("FROM quay.io/evil/app:1\n", &["*.gcr.io", "docker.io"]);
        assert!(m[0].contains("`quay.io`"));
        assert_eq!(run("FROM ghcr.io/other/app:1\n", &["ghcr.io/my-org"]).len(), 1);
    }

    #[test]
    fn passes_on_trusted_or_unconfigured() {
        assert!(run("FROM python:3.12\n", &[]).is_empty());
        assert!(run("FROM python:3.12\nFROM index.docker.io/library/node:22\n", &["docker.io"]).is_empty());
        assert!(run("FROM eu.gcr.io/p/app:1\n", &["*.gcr.io"]).is_empty());
        assert!(run("FROM ghcr.io/my-org/app:1\n", &["ghcr.io/my-org"]).is_empty());
        assert!(run("FROM localhost:5000/app:1\nFROM scratch\n", &["localhost:5000"]).is_empty());
        assert!(run("ARG BASE\nFROM $BASE\nFROM build\n", &["docker.io"]).is_empty());
    }
}
