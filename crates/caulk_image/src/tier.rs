//! How minimal an image is — scratch, a static binary, distroless, Alpine, slim or a full
//! distribution — decided from what the merged filesystem holds, with the evidence that decided it,
//! so reports and `compare` can say why an image is in its tier.
//!
//! The rules, in order:
//! 1. No shell (`/bin/sh`, `/bin/bash`, `/bin/ash`, `/bin/dash`, busybox) and no package-manager
//!    program (`apt-get`, `dpkg`, `apk`, `rpm`, `dnf`, `yum`, `microdnf`, `zypper`):
//!    - an OS identity (os-release) or a package database (distroless keeps
//!      `/var/lib/dpkg/status.d/`, Chainguard keeps the apk database) → **distroless**;
//!    - else no executable file at all → **scratch** (static assets or nothing);
//!    - else no C library (`ld-linux*`, `ld-musl*`, `libc.so*`) → **static binary**;
//!    - else (a dynamic userland without an OS identity) → **distroless**.
//! 2. An apk database, or os-release `ID=alpine` → **alpine**.
//! 3. Otherwise the image is a distribution with a shell or a package manager. It is **slim**
//!    when both hold: no documentation (no files under `/usr/share/man`, nothing under
//!    `/usr/share/doc` but `copyright` files — what `-slim`, `ubi-minimal` and Ubuntu's minimized
//!    images strip) and fewer than [`SLIM_PACKAGES`] OS packages (`python:3.12-slim` has about 90,
//!    `ubi9-minimal` about 100, the full `python:3.12` about 400). Otherwise it is **full**.

use std::fmt;

use caulk_core::Package;

use crate::fs::{MergedFs, NodeKind};
use crate::image::Image;
use crate::os_release::OsRelease;

/// Below this many OS packages (and without documentation) a distribution image is slim.
pub const SLIM_PACKAGES: usize = 150;

/// The tiers, from the least to the most content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TierKind {
    Scratch,
    StaticBinary,
    Distroless,
    Alpine,
    Slim,
    Full,
}

impl TierKind {
    /// Stable name used in reports (`static-binary`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Scratch => "scratch",
            Self::StaticBinary => "static-binary",
            Self::Distroless => "distroless",
            Self::Alpine => "alpine",
            Self::Slim => "slim",
            Self::Full => "full",
        }
    }
}

impl fmt::Display for TierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tier of an image and the facts that put it there, as lines a person can check
/// ("no /bin/sh", "apk database at /lib/apk/db/installed").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub kind: TierKind,
    pub evidence: Vec<String>,
}

/// Programs whose presence means a shell can be started.
pub const SHELLS: &[&str] = &[
    "/bin/sh",
    "/bin/bash",
    "/bin/ash",
    "/bin/dash",
    "/bin/zsh",
    "/usr/bin/bash",
    "/bin/busybox",
    "/usr/bin/busybox",
    "/busybox/sh",
];

/// OS package-manager programs, by path.
pub const PACKAGE_MANAGERS: &[&str] = &[
    "/usr/bin/apt-get",
    "/usr/bin/apt",
    "/usr/bin/dpkg",
    "/sbin/apk",
    "/usr/bin/apk",
    "/usr/bin/rpm",
    "/bin/rpm",
    "/usr/bin/dnf",
    "/usr/bin/dnf5",
    "/usr/bin/yum",
    "/usr/bin/microdnf",
    "/usr/bin/tdnf",
    "/usr/bin/zypper",
];

/// Package databases, by path (files or directories).
const PACKAGE_DATABASES: &[(&str, &str)] = &[
    ("/var/lib/dpkg/status", "dpkg database"),
    ("/var/lib/dpkg/status.d", "distroless dpkg records"),
    ("/lib/apk/db/installed", "apk database"),
    ("/usr/lib/apk/db/installed", "apk database"),
    ("/var/lib/rpm", "rpm database"),
    ("/usr/lib/sysimage/rpm", "rpm database"),
];

/// Classifies a read image.
pub fn classify(image: &Image) -> Tier {
    classify_fs(&image.fs, image.os.as_ref(), &image.packages)
}

/// Classifies from the parts of an image the decision needs.
pub fn classify_fs(fs: &MergedFs, os: Option<&OsRelease>, packages: &[Package]) -> Tier {
    let facts = Facts::gather(fs, packages);
    let mut evidence = Vec::new();
    match &os {
        Some(os) if os.path.is_empty() => evidence.push(format!("OS: {} {}", os.id, os.version_id)),
        Some(os) => evidence.push(format!("OS: {} {} (from {})", os.id, os.version_id, os.path)),
        None => evidence.push("no OS identity (no os-release)".to_owned()),
    }
    if facts.shells.is_empty() {
        evidence.push("no shell (/bin/sh, /bin/bash, busybox)".to_owned());
    } else {
        evidence.push(format!("shell: {}", facts.shells.join(", ")));
    }
    if facts.managers.is_empty() {
        evidence.push("no package manager".to_owned());
    } else {
        evidence.push(format!("package manager: {}", facts.managers.join(", ")));
    }
    for (path, what) in &facts.databases {
        evidence.push(format!("{what} at {path}"));
    }
    let apk = facts.databases.iter().any(|(_, what)| *what == "apk database");
    let kind = if facts.shells.is_empty() && facts.managers.is_empty() {
        if os.is_some() || !facts.databases.is_empty() {
            TierKind::Distroless
        } else if facts.executables == 0 {
            evidence.push(format!("{} regular files, none executable", facts.files));
            TierKind::Scratch
        } else if facts.libc.is_none() {
            evidence.push(format!("{} executable files, no C library", facts.executables));
            TierKind::StaticBinary
        } else {
            evidence.push(format!(
                "{} executable files and a C library ({}) but no OS identity",
                facts.executables,
                facts.libc.as_deref().unwrap_or("")
            ));
            TierKind::Distroless
        }
    } else if apk || os.is_some_and(|o| o.id == "alpine") {
        TierKind::Alpine
    } else {
        let (count, kind) = facts.os_packages;
        let few = count < SLIM_PACKAGES;
        if count > 0 {
            let cmp = if few { "under" } else { "at or above" };
            evidence.push(format!("{count} {kind} packages ({cmp} the slim threshold of {SLIM_PACKAGES})"));
        } else {
            evidence.push("no OS packages recorded".to_owned());
        }
        let docs = facts.man_pages + facts.doc_files;
        if docs == 0 {
            evidence.push("no man pages or documentation beyond copyright files".to_owned());
        } else {
            if facts.man_pages > 0 {
                evidence.push(format!("man pages present ({} files under /usr/share/man)", facts.man_pages));
            }
            if facts.doc_files > 0 {
                evidence.push(format!(
                    "documentation present ({} files under /usr/share/doc besides copyright files)",
                    facts.doc_files
                ));
            }
        }
        if docs == 0 && few { TierKind::Slim } else { TierKind::Full }
    };
    Tier { kind, evidence }
}

/// The programs of `paths` that exist as files, as `path` or `path → target`, each real file once
/// (`/bin/sh` and `/bin/dash` are one shell on Debian).
pub fn present(fs: &MergedFs, paths: &[&str]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for p in paths {
        let Some((real, node)) = fs.resolve(p) else { continue };
        if node.kind != NodeKind::File || seen.contains(&real) {
            continue;
        }
        out.push(if real == *p { (*p).to_owned() } else { format!("{p} → {real}") });
        seen.push(real);
    }
    out
}

/// Where busybox lives in the images that have it.
const BUSYBOX: &[&str] = &["/bin/busybox", "/usr/bin/busybox", "/busybox/busybox"];

/// Whether the program at `path` is a busybox applet: a link to busybox, or a hard link to it
/// (the official `busybox` image hard-links its ~400 applets, so they share busybox's size).
pub fn is_busybox_applet(fs: &MergedFs, path: &str) -> bool {
    let Some((real, node)) = fs.resolve(path) else { return false };
    if real.ends_with("/busybox") {
        // a link to busybox, or busybox itself
        return real != path;
    }
    node.kind == NodeKind::File
        && node.size > 0
        && BUSYBOX
            .iter()
            .any(|b| fs.resolve(b).is_some_and(|(r, n)| r != real && n.kind == NodeKind::File && n.size == node.size))
}

/// What the decision reads, gathered in one pass.
struct Facts {
    /// Shells that exist, as `path` or `path → target`.
    shells: Vec<String>,
    managers: Vec<String>,
    databases: Vec<(&'static str, &'static str)>,
    /// Count of OS packages and their type (`deb`).
    os_packages: (usize, &'static str),
    files: usize,
    executables: usize,
    /// The first C library or dynamic loader found.
    libc: Option<String>,
    man_pages: usize,
    doc_files: usize,
}

impl Facts {
    fn gather(fs: &MergedFs, packages: &[Package]) -> Self {
        let shells = present(fs, SHELLS);
        let managers: Vec<&str> = PACKAGE_MANAGERS.iter().copied().filter(|p| !is_busybox_applet(fs, p)).collect();
        let managers = present(fs, &managers);
        let databases = PACKAGE_DATABASES
            .iter()
            .filter(|(p, _)| match fs.resolve(p) {
                Some((real, n)) if n.kind == NodeKind::Dir => fs.under(&real).next().is_some(),
                Some(_) => true,
                None => false,
            })
            .copied()
            .collect();
        let mut by_kind: Vec<(&'static str, usize)> = Vec::new();
        for p in packages.iter().filter(|p| p.kind.is_os()) {
            let k = p.kind.as_str();
            match by_kind.iter_mut().find(|(n, _)| *n == k) {
                Some((_, c)) => *c += 1,
                None => by_kind.push((k, 1)),
            }
        }
        let total = by_kind.iter().map(|(_, c)| c).sum();
        let os_packages = (total, by_kind.iter().max_by_key(|(_, c)| *c).map_or("OS", |(k, _)| k));
        let mut files = 0;
        let mut executables = 0;
        let mut libc = None;
        let mut man_pages = 0;
        let mut doc_files = 0;
        for (path, node) in fs.iter() {
            if node.kind != NodeKind::File && node.kind != NodeKind::Symlink {
                continue;
            }
            let name = path.rsplit('/').next().unwrap_or("");
            if libc.is_none()
                && (name.starts_with("ld-linux") || name.starts_with("ld-musl") || name.starts_with("libc.so"))
            {
                libc = Some(path.to_owned());
            }
            if node.kind != NodeKind::File {
                continue;
            }
            files += 1;
            if node.is_executable() {
                executables += 1;
            }
            if path.starts_with("/usr/share/man/") {
                man_pages += 1;
            } else if path.starts_with("/usr/share/doc/") && name != "copyright" {
                doc_files += 1;
            }
        }
        Self { shells, managers, databases, os_packages, files, executables, libc, man_pages, doc_files }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::{Evidence, PackageType};

    use super::*;
    use crate::fs::Node;
    use crate::os_release;

    fn node(kind: NodeKind, mode: u32, link: Option<&str>) -> Node {
        Node { kind, mode, uid: 0, gid: 0, size: 10, link: link.map(Into::into), layer: 0, content: None }
    }

    fn file(fs: &mut MergedFs, path: &str, mode: u32) {
        fs.insert(path.into(), node(NodeKind::File, mode, None));
    }

    /// busybox, bigger than the other test files
    fn busybox(fs: &mut MergedFs, path: &str) {
        fs.insert(path.into(), Node { size: 800_000, ..node(NodeKind::File, 0o755, None) });
    }

    fn dir(fs: &mut MergedFs, path: &str) {
        fs.insert(path.into(), node(NodeKind::Dir, 0o755, None));
    }

    fn link(fs: &mut MergedFs, path: &str, target: &str) {
        fs.insert(path.into(), node(NodeKind::Symlink, 0o777, Some(target)));
    }

    fn debs(n: usize) -> Vec<Package> {
        (0..n)
            .map(|i| {
                let evidence = Evidence { path: "/var/lib/dpkg/status".into(), layer: Some(0), analyzer: "dpkg" };
                Package::new(PackageType::Deb, format!("pkg{i}"), "1.0", evidence)
            })
            .collect()
    }

    fn debian() -> OsRelease {
        os_release::parse("ID=debian\nVERSION_ID=\"12\"\n")
    }

    #[test]
    fn scratch_and_static_binaries() {
        let fs = MergedFs::new(8);
        let t = classify_fs(&fs, None, &[]);
        assert_eq!(t.kind, TierKind::Scratch);
        let mut fs = MergedFs::new(8);
        file(&mut fs, "/index.html", 0o644);
        assert_eq!(classify_fs(&fs, None, &[]).kind, TierKind::Scratch);
        file(&mut fs, "/app", 0o755);
        file(&mut fs, "/etc/ssl/certs/ca-certificates.crt", 0o644);
        let t = classify_fs(&fs, None, &[]);
        assert_eq!(t.kind, TierKind::StaticBinary);
        assert!(t.evidence.contains(&"1 executable files, no C library".to_owned()), "{:?}", t.evidence);
        assert!(t.evidence.contains(&"no shell (/bin/sh, /bin/bash, busybox)".to_owned()));
        // a dynamic binary with its libc but no OS identity
        file(&mut fs, "/lib64/ld-linux-x86-64.so.2", 0o755);
        assert_eq!(classify_fs(&fs, None, &[]).kind, TierKind::Distroless);
    }

    #[test]
    fn distroless_has_an_os_but_no_shell() {
        let mut fs = MergedFs::new(8);
        file(&mut fs, "/etc/os-release", 0o644);
        dir(&mut fs, "/var/lib/dpkg/status.d");
        file(&mut fs, "/var/lib/dpkg/status.d/base-files", 0o644);
        file(&mut fs, "/usr/bin/python3.11", 0o755);
        let os = debian();
        let t = classify_fs(&fs, Some(&os), &debs(20));
        assert_eq!(t.kind, TierKind::Distroless);
        assert!(
            t.evidence.iter().any(|e| e == "distroless dpkg records at /var/lib/dpkg/status.d"),
            "{:?}",
            t.evidence
        );
        // an empty status.d directory is not a database
        let mut fs = MergedFs::new(8);
        dir(&mut fs, "/var/lib/dpkg/status.d");
        file(&mut fs, "/app", 0o755);
        assert_eq!(classify_fs(&fs, None, &[]).kind, TierKind::StaticBinary);
    }

    #[test]
    fn alpine_by_apk_database() {
        let mut fs = MergedFs::new(8);
        busybox(&mut fs, "/bin/busybox");
        link(&mut fs, "/bin/sh", "/bin/busybox");
        file(&mut fs, "/sbin/apk", 0o755);
        file(&mut fs, "/lib/apk/db/installed", 0o644);
        let os = os_release::parse("ID=alpine\nVERSION_ID=3.20.1\n");
        let t = classify_fs(&fs, Some(&os), &[]);
        assert_eq!(t.kind, TierKind::Alpine);
        assert!(t.evidence.contains(&"apk database at /lib/apk/db/installed".to_owned()), "{:?}", t.evidence);
        assert!(t.evidence.contains(&"shell: /bin/sh → /bin/busybox".to_owned()), "{:?}", t.evidence);
        assert!(t.evidence.contains(&"package manager: /sbin/apk".to_owned()));
    }

    fn debian_userland(fs: &mut MergedFs) {
        dir(fs, "/usr/bin");
        link(fs, "/bin", "usr/bin");
        file(fs, "/usr/bin/dash", 0o755);
        link(fs, "/usr/bin/sh", "dash");
        file(fs, "/usr/bin/dpkg", 0o755);
        file(fs, "/usr/bin/apt-get", 0o755);
        file(fs, "/var/lib/dpkg/status", 0o644);
        file(fs, "/usr/share/doc/bash/copyright", 0o644);
    }

    #[test]
    fn slim_needs_no_docs_and_few_packages() {
        let mut fs = MergedFs::new(8);
        debian_userland(&mut fs);
        let os = debian();
        let t = classify_fs(&fs, Some(&os), &debs(90));
        assert_eq!(t.kind, TierKind::Slim, "{:?}", t.evidence);
        assert!(t.evidence.contains(&"shell: /bin/sh → /usr/bin/dash".to_owned()), "{:?}", t.evidence);
        assert!(
            t.evidence.contains(&"90 deb packages (under the slim threshold of 150)".to_owned()),
            "{:?}",
            t.evidence
        );
        assert!(t.evidence.contains(&"no man pages or documentation beyond copyright files".to_owned()));
        // many packages: full
        let t = classify_fs(&fs, Some(&os), &debs(412));
        assert_eq!(t.kind, TierKind::Full);
        assert!(t.evidence.contains(&"412 deb packages (at or above the slim threshold of 150)".to_owned()));
        // man pages: full
        file(&mut fs, "/usr/share/man/man1/ls.1.gz", 0o644);
        file(&mut fs, "/usr/share/doc/bash/README", 0o644);
        let t = classify_fs(&fs, Some(&os), &debs(78));
        assert_eq!(t.kind, TierKind::Full);
        assert!(
            t.evidence.contains(&"man pages present (1 files under /usr/share/man)".to_owned()),
            "{:?}",
            t.evidence
        );
        assert!(t.evidence.iter().any(|e| e.starts_with("documentation present (1 files")));
    }

    #[test]
    fn busybox_without_package_manager_is_slim() {
        let mut fs = MergedFs::new(8);
        busybox(&mut fs, "/bin/busybox");
        link(&mut fs, "/bin/sh", "busybox");
        // the busybox image hard-links its applets, `rpm` and `dpkg` among them
        busybox(&mut fs, "/bin/rpm");
        assert!(is_busybox_applet(&fs, "/bin/rpm") && is_busybox_applet(&fs, "/bin/sh"));
        assert!(!is_busybox_applet(&fs, "/bin/busybox"));
        let t = classify_fs(&fs, None, &[]);
        assert_eq!(t.kind, TierKind::Slim);
        assert!(t.evidence.contains(&"no package manager".to_owned()), "{:?}", t.evidence);
        assert_eq!(TierKind::StaticBinary.to_string(), "static-binary");
    }
}
