//! What the user named on the command line, classified into an image source.

use std::path::{Path, PathBuf};

/// Where an image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageRef {
    /// A tarball of an image: `docker save` output (plain, gzip or zstd) or an OCI layout
    /// (`docker-archive:PATH[:TAG]`, `oci-archive:PATH[:TAG]` or a path); which one is read from
    /// its content.
    Archive { path: PathBuf, tag: Option<String> },
    /// An OCI image layout directory (`oci:DIR[:TAG]` or a directory with `index.json`).
    OciLayout { path: PathBuf, tag: Option<String> },
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
        if let Some(rest) = arg.strip_prefix("docker-archive:").or_else(|| arg.strip_prefix("oci-archive:")) {
            let (path, tag) = split_path_tag(rest);
            return Self::Archive { path, tag };
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
            return Self::Archive { path: path.to_owned(), tag: None };
        }
        // Registry references never start with `/` or `.`, nor end like a tarball: a missing file
        // is reported as one, not as a failed pull.
        let looks_like_file = arg.starts_with('/')
            || arg.starts_with('.')
            || [".tar", ".tar.gz", ".tgz", ".tar.zst"].iter().any(|ext| arg.ends_with(ext));
        if looks_like_file {
            return Self::Archive { path: path.to_owned(), tag: None };
        }
        Self::Registry(arg.to_owned())
    }

    /// How reports name the source kind; an archive is `docker-archive` until its content says
    /// it is an OCI layout (see [`crate::Image::source_kind`]).
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Archive { .. } => "docker-archive",
            Self::OciLayout { .. } => "oci-layout",
            Self::Rootfs(_) => "rootfs",
            Self::Daemon(_) => "docker-daemon",
            Self::Registry(_) => "registry",
        }
    }
}

/// `path[:tag]`: the shortest prefix before a `:` that exists as a path is the path, the rest the
/// tag (`app.tar:repo/name:1.0`); paths may themselves contain colons.
fn split_path_tag(s: &str) -> (PathBuf, Option<String>) {
    if Path::new(s).exists() {
        return (PathBuf::from(s), None);
    }
    for (i, _) in s.match_indices(':') {
        let (p, t) = (&s[..i], &s[i + 1..]);
        if !t.is_empty() && Path::new(p).exists() {
            return (PathBuf::from(p), Some(t.to_owned()));
        }
    }
    (PathBuf::from(s), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_tags_may_hold_colons_and_slashes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app.tar");
        std::fs::write(&file, b"").unwrap();
        let arg = format!("docker-archive:{}:registry.example:5000/team/app:1.0", file.display());
        assert_eq!(
            ImageRef::parse(&arg),
            ImageRef::Archive { path: file.clone(), tag: Some("registry.example:5000/team/app:1.0".into()) }
        );
        assert_eq!(
            ImageRef::parse(&format!("oci-archive:{}", file.display())),
            ImageRef::Archive { path: file, tag: None }
        );
    }

    #[test]
    fn transports_are_recognised() {
        assert_eq!(ImageRef::parse("docker-daemon:app:1.0"), ImageRef::Daemon("app:1.0".into()));
        assert_eq!(ImageRef::parse("docker://127.0.0.1:5000/a/b:c"), ImageRef::Registry("127.0.0.1:5000/a/b:c".into()));
        assert_eq!(ImageRef::parse("dir:/tmp/rootfs"), ImageRef::Rootfs("/tmp/rootfs".into()));
        assert_eq!(ImageRef::parse("alpine:3.19"), ImageRef::Registry("alpine:3.19".into()));
        assert_eq!(
            ImageRef::parse("oci-archive:/nonexistent/x.tar"),
            ImageRef::Archive { path: "/nonexistent/x.tar".into(), tag: None }
        );
    }
}
