//! IM213: files that do not belong in a shipped image.

use std::collections::BTreeMap;

use caulk_image::fs::NodeKind;

use crate::image::{ImageChecker, ImageRule, human_bytes};

declare_rule! {
    /// ## What it does
    /// Reports, one finding per kind with the total size, files a running container never needs:
    /// - package-manager caches and indexes: apt lists (`/var/lib/apt/lists`), downloaded
    ///   `.deb` files (`/var/cache/apt/archives`), `/var/cache/apk`, `/var/cache/dnf` and
    ///   `/var/cache/yum`, pip's cache (`~/.cache/pip`), npm's cache (`~/.npm/_cacache`);
    /// - version-control directories (`.git`);
    /// - build and editor leftovers: `Dockerfile`, `docker-compose.yml`, `compose.yaml`,
    ///   `.DS_Store`.
    ///
    /// Leftovers inside installed libraries (`node_modules`, `site-packages`, `dist-packages`,
    /// `vendor`, `/usr/share`) are not reported. Python's `__pycache__` is normal and not
    /// reported either.
    ///
    /// ## Why is this bad?
    /// They make the image bigger and slower to pull, and some leak: a `.git` directory
    /// carries the whole source history (and sometimes credentials in `.git/config`), a
    /// Dockerfile or compose file tells an attacker how the service is built and wired.
    /// Package indexes left in the image also go stale and mislead later `apt-get install`s.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// COPY . /app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// COPY --chown=10001:10001 src/ /app/    # with a .dockerignore excluding .git and Dockerfile
    /// ```
    ///
    /// ## References
    /// - Dockle DKL-LI-0003 (files) and DKL-DI-0005 (apt caches); hadolint DL3009
    /// - [Docker docs: .dockerignore](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    pub(crate) struct JunkFiles {
        code: "IM213",
        name: "image-junk-files",
        summary: "caches, VCS directories or build files left in the image",
        severity: Low,
        target: Image,
        fix: None,
        aliases: ["DKL-LI-0003", "DKL-DI-0005"],
    }
}

/// What a junk path is, and the help for it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    AptLists,
    AptArchives,
    ApkCache,
    RpmCache,
    PipCache,
    NpmCache,
    Git,
    BuildFiles,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Self::AptLists => "apt package lists",
            Self::AptArchives => "downloaded .deb packages",
            Self::ApkCache => "the apk cache",
            Self::RpmCache => "the dnf/yum cache",
            Self::PipCache => "pip's download cache",
            Self::NpmCache => "npm's cache",
            Self::Git => "git repository data",
            Self::BuildFiles => "build and editor files",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Self::AptLists => "end the `apt-get install` RUN with `&& rm -rf /var/lib/apt/lists/*`",
            Self::AptArchives => "end the RUN with `&& apt-get clean`",
            Self::ApkCache => "use `apk add --no-cache`",
            Self::RpmCache => "end the RUN with `&& dnf clean all` (or `yum clean all`)",
            Self::PipCache => "use `pip install --no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`)",
            Self::NpmCache => "end the RUN with `&& npm cache clean --force`, or use a cache mount",
            Self::Git => "exclude `.git` in `.dockerignore`, or copy only the files the application needs",
            Self::BuildFiles => "exclude them in `.dockerignore`",
        }
    }
}

/// Paths where leftovers belong to installed software.
fn in_library(path: &str) -> bool {
    path.starts_with("/usr/share/")
        || path.split('/').any(|c| matches!(c, "node_modules" | "site-packages" | "dist-packages" | "vendor"))
}

fn home_cache(path: &str, tail: &str) -> bool {
    let rest = path.strip_prefix("/root/").or_else(|| {
        let home = path.strip_prefix("/home/")?;
        home.split_once('/').map(|(_, r)| r)
    });
    rest.is_some_and(|r| r.starts_with(tail))
}

fn classify(path: &str) -> Option<Kind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if let Some(rest) = path.strip_prefix("/var/lib/apt/lists/") {
        return (rest != "lock" && !rest.starts_with("partial/") && rest != "auxfiles").then_some(Kind::AptLists);
    }
    if path.starts_with("/var/cache/apt/archives/") && name.ends_with(".deb") {
        return Some(Kind::AptArchives);
    }
    if path.starts_with("/var/cache/apk/") || path.starts_with("/etc/apk/cache/") {
        return Some(Kind::ApkCache);
    }
    if path.starts_with("/var/cache/dnf/") || path.starts_with("/var/cache/yum/") {
        return Some(Kind::RpmCache);
    }
    if home_cache(path, ".cache/pip/") {
        return Some(Kind::PipCache);
    }
    if home_cache(path, ".npm/_cacache/") {
        return Some(Kind::NpmCache);
    }
    if in_library(path) {
        return None;
    }
    if path.split('/').any(|c| c == ".git") {
        return Some(Kind::Git);
    }
    matches!(
        name,
        "Dockerfile" | "docker-compose.yml" | "docker-compose.yaml" | "compose.yaml" | "compose.yml" | ".DS_Store"
    )
    .then_some(Kind::BuildFiles)
}

/// The directory a finding of `kind` points at, from its first example path.
fn location(kind: Kind, example: &str) -> String {
    let upto =
        |marker: &str| example.find(marker).and_then(|i| example.get(..i + marker.len())).unwrap_or(example).to_owned();
    match kind {
        Kind::AptLists => "/var/lib/apt/lists".to_owned(),
        Kind::AptArchives => "/var/cache/apt/archives".to_owned(),
        Kind::ApkCache if example.starts_with("/etc/apk/cache/") => "/etc/apk/cache".to_owned(),
        Kind::ApkCache => "/var/cache/apk".to_owned(),
        Kind::RpmCache if example.starts_with("/var/cache/yum/") => "/var/cache/yum".to_owned(),
        Kind::RpmCache => "/var/cache/dnf".to_owned(),
        Kind::PipCache => upto(".cache/pip"),
        Kind::NpmCache => upto(".npm/_cacache"),
        Kind::Git | Kind::BuildFiles => example.to_owned(),
    }
}

/// Per kind: files, bytes, bytes per layer, example paths.
#[derive(Default)]
struct Tally {
    files: usize,
    bytes: u64,
    by_layer: BTreeMap<u32, u64>,
    examples: Vec<String>,
}

impl ImageRule for JunkFiles {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let mut found: BTreeMap<Kind, Tally> = BTreeMap::new();
        for (path, node) in cx.image.fs.iter() {
            if node.kind != NodeKind::File {
                continue;
            }
            let Some(kind) = classify(path) else { continue };
            if kind != Kind::BuildFiles && node.size == 0 {
                continue;
            }
            let t = found.entry(kind).or_default();
            t.files += 1;
            t.bytes += node.size;
            *t.by_layer.entry(node.layer).or_default() += node.size;
            let example = match kind {
                Kind::Git => path.find("/.git/").and_then(|i| path.get(..i + 5)).unwrap_or(path).to_owned(),
                _ => path.to_owned(),
            };
            if t.examples.len() < 3 && !t.examples.contains(&example) {
                t.examples.push(example);
            }
        }
        for (kind, t) in found {
            let layer = t.by_layer.iter().max_by_key(|(l, b)| (**b, std::cmp::Reverse(**l))).map(|(l, _)| *l);
            let where_ = location(kind, t.examples.first().map_or("", String::as_str));
            let shown: Vec<String> = t.examples.iter().map(|e| format!("`{e}`")).collect();
            let files = if t.files == 1 { "1 file".to_owned() } else { format!("{} files", t.files) };
            let message =
                format!("{} left in the image: {files}, {} ({})", kind.what(), human_bytes(t.bytes), shown.join(", "));
            cx.report_layer(layer, Some(where_.as_str()), message).set_help(kind.help());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian};

    #[test]
    fn fires_once_per_kind_with_sizes() {
        let image = debian("13", "trixie")
            .layer("RUN apt-get update && apt-get install -y curl", |l| {
                l.sized("/var/lib/apt/lists/deb.debian.org_debian_dists_trixie_InRelease", 2048)
                    .sized(
                        "/var/lib/apt/lists/deb.debian.org_debian_dists_trixie_main_binary-amd64_Packages.lz4",
                        3 << 20,
                    )
                    .file("/var/lib/apt/lists/lock", "")
            })
            .layer("COPY . /app", |l| {
                l.dir("/app")
                    .file("/app/Dockerfile", "FROM x")
                    .file("/app/.git/config", "[core]")
                    .sized("/app/.git/objects/pack/pack-1.pack", 5000)
                    .sized("/root/.cache/pip/http/a", 100)
            });
        let d = assert_fires(&JunkFiles, &image);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 4, "{messages:#?}");
        let apt = d.iter().find(|d| d.message.starts_with("apt package lists")).expect("apt");
        assert!(apt.message.starts_with("apt package lists left in the image: 2 files, 3.0 MiB"), "{}", apt.message);
        let loc = apt.image.as_deref().expect("location");
        assert_eq!((loc.path.as_deref(), loc.layer), (Some("/var/lib/apt/lists"), Some(1)));
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("git repository data left in the image: 2 files, 4.9 KiB (`/app/.git`)")),
            "{messages:#?}"
        );
        assert!(messages.iter().any(|m| m.starts_with("pip's download cache")));
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("build and editor files left in the image: 1 file, 6 B (`/app/Dockerfile`)"))
        );
    }

    #[test]
    fn quiet_on_clean_images_and_library_files() {
        let image = debian("13", "trixie").layer("RUN apt-get update && install && rm -rf lists", |l| {
            l.dir("/var/lib/apt/lists")
                .dir("/var/lib/apt/lists/partial")
                .file("/var/lib/apt/lists/lock", "")
                .file("/usr/lib/node_modules/x/Dockerfile", "FROM x")
                .file("/app/__pycache__/a.cpython-312.pyc", "x")
        });
        assert_passes(&JunkFiles, &image);
    }
}
