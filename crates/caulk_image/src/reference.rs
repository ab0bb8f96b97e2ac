//! What the user named on the command line, classified into an image source.

use std::path::{Path, PathBuf};

/// Where an image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageRef {
    /// A `docker save` tarball, plain or gzip (`docker-archive:PATH[:TAG]` or a path).
    DockerArchive { path: PathBuf, tag: Option<String> },
    /// An OCI image layout directory (`oci:DIR[:TAG]` or a directory with `index.json`).
    OciLayout { path: PathBuf, tag: Option<String> },
    /// A tar of an OCI image layout (`oci-archive:PATH[:TAG]`).
    OciArchive { path: PathBuf, tag: Option<String> },
    /// An unpacked root filesystem (`dir:PATH`).
    Rootfs(PathBuf),
    /// An image in the Docker daemon (`docker-daemon:NAME[:TAG]`).
    Daemon(String),
    /// An image in a registry (`host[:port]/repo:tag`, `…@sha256:…`, `docker://…`).
    Registry(String),
}

impl ImageRef {
    /// Classifies `arg`: explicit transports first, then paths that exist, then registries.
    pub fn parse(arg: &str) -> Self {
        if let Some(rest) = arg.strip_prefix("docker-archive:") {
            let (path, tag) = split_path_tag(rest);
            return Self::DockerArchive { path, tag };
        }
        if let Some(rest) = arg.strip_prefix("oci-archive:") {
            let (path, tag) = split_path_tag(rest);
            return Self::OciArchive { path, tag };
        }
        if let Some(rest) = arg.strip_prefix("oci:") {
            let (path, tag) = split_path_tag(rest);
            return Self::OciLayout { path, tag };
        }
        if let Some(rest) = arg.strip_prefix("dir:") {
            return Self::Rootfs(PathBuf::from(rest));
        }
        if let Some(rest) = arg.strip_prefix("docker-daemon:") {
            return Self::Daemon(rest.to_owned());
        }
        if let Some(rest) = arg.strip_prefix("docker://") {
            return Self::Registry(rest.to_owned());
        }
        if let Some(rest) = arg.strip_prefix("registry:") {
            return Self::Registry(rest.to_owned());
        }
        let path = Path::new(arg);
        if path.is_dir() {
            if path.join("index.json").is_file() {
                return Self::OciLayout { path: path.to_owned(), tag: None };
            }
            return Self::Rootfs(path.to_owned());
        }
        if path.is_file() {
            if tar_has_member(path, "oci-layout") && !tar_has_member(path, "manifest.json") {
                return Self::OciArchive { path: path.to_owned(), tag: None };
            }
            return Self::DockerArchive { path: path.to_owned(), tag: None };
        }
        // Registry references never start with `/` or `.`, nor end like a tarball: a missing file
        // is reported as one, not as a failed pull.
        let looks_like_file = arg.starts_with('/')
            || arg.starts_with('.')
            || [".tar", ".tar.gz", ".tgz", ".tar.zst"].iter().any(|ext| arg.ends_with(ext));
        if looks_like_file {
            return Self::DockerArchive { path: path.to_owned(), tag: None };
        }
        Self::Registry(arg.to_owned())
    }

    /// How reports name the source kind.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::DockerArchive { .. } => "docker-archive",
            Self::OciLayout { .. } => "oci-layout",
            Self::OciArchive { .. } => "oci-archive",
            Self::Rootfs(_) => "rootfs",
            Self::Daemon(_) => "docker-daemon",
            Self::Registry(_) => "registry",
        }
    }
}

/// `path:tag` where the tag is the part after the last `:` only if the whole text is not an
/// existing path (paths may contain colons).
fn split_path_tag(s: &str) -> (PathBuf, Option<String>) {
    if Path::new(s).exists() {
        return (PathBuf::from(s), None);
    }
    match s.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') && Path::new(p).exists() => (PathBuf::from(p), Some(t.to_owned())),
        _ => (PathBuf::from(s), None),
    }
}

/// True when an uncompressed tar at `path` has a top-level member `name` (reads headers only).
fn tar_has_member(path: &Path, name: &str) -> bool {
    let Ok(file) = std::fs::File::open(path) else { return false };
    let mut archive = tar::Archive::new(file);
    let Ok(entries) = archive.entries_with_seek() else { return false };
    for e in entries.take(10_000) {
        let Ok(e) = e else { return false };
        let p = e.path_bytes();
        let p = p.strip_prefix(b"./").unwrap_or(&p);
        if p == name.as_bytes() {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transports_are_recognised() {
        assert_eq!(ImageRef::parse("docker-daemon:app:1.0"), ImageRef::Daemon("app:1.0".into()));
        assert_eq!(ImageRef::parse("docker://127.0.0.1:5000/a/b:c"), ImageRef::Registry("127.0.0.1:5000/a/b:c".into()));
        assert_eq!(ImageRef::parse("dir:/tmp/rootfs"), ImageRef::Rootfs("/tmp/rootfs".into()));
        assert_eq!(ImageRef::parse("alpine:3.19"), ImageRef::Registry("alpine:3.19".into()));
        assert_eq!(
            ImageRef::parse("oci-archive:/nonexistent/x.tar"),
            ImageRef::OciArchive { path: "/nonexistent/x.tar".into(), tag: None }
        );
    }
}
