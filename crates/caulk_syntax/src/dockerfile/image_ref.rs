//! Image references as Docker normalises them: `[registry/]path[:tag][@digest]`.

/// A parsed image reference. `path` excludes the registry; Docker Hub's implicit `library/` is
/// not added, so `ubuntu` stays `ubuntu` (use [`ImageRef::hub_path`] for the normalised form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference; `None` for empty or obviously malformed text (spaces, empty path).
    pub fn parse(reference: &str) -> Option<Self> {
        let r = reference.trim();
        if r.is_empty() || r.contains(char::is_whitespace) {
            return None;
        }
        let (rest, digest) = match r.split_once('@') {
            Some((a, d)) => (a, Some(d.to_owned())),
            None => (r, None),
        };
        let (registry, remainder) = match rest.split_once('/') {
            Some((first, tail)) if first.contains('.') || first.contains(':') || first == "localhost" => {
                (Some(first.to_owned()), tail)
            }
            _ => (None, rest),
        };
        let last_slash = remainder.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match remainder.get(last_slash..).and_then(|last| last.rfind(':')) {
            Some(colon) => {
                let at = last_slash + colon;
                (remainder.get(..at).unwrap_or(""), remainder.get(at + 1..).map(str::to_owned))
            }
            None => (remainder, None),
        };
        if path.is_empty() || path.ends_with('/') || path.starts_with('/') {
            return None;
        }
        Some(Self { registry, path: path.to_ascii_lowercase(), tag: tag.filter(|t| !t.is_empty()), digest })
    }

    /// The last path component: `python` for `docker.io/library/python`.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The path with Docker Hub's `library/` prefix removed, so `library/ubuntu` and `ubuntu` compare equal.
    pub fn hub_path(&self) -> &str {
        if self.is_docker_hub() { self.path.strip_prefix("library/").unwrap_or(&self.path) } else { &self.path }
    }

    pub fn is_docker_hub(&self) -> bool {
        matches!(self.registry.as_deref(), None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io"))
    }

    /// The registry host, `docker.io` when implicit.
    pub fn registry_host(&self) -> &str {
        self.registry.as_deref().unwrap_or("docker.io")
    }

    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.path == "scratch"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let r = ImageRef::parse("ubuntu:18.04").unwrap_or_else(|| unreachable!());
        assert_eq!((r.registry.as_deref(), r.path.as_str(), r.tag.as_deref()), (None, "ubuntu", Some("18.04")));
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc").unwrap_or_else(|| unreachable!());
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("gcr.io/distroless/python3-debian12").unwrap_or_else(|| unreachable!());
        assert_eq!(r.name(), "python3-debian12");
        assert_eq!(r.tag, None);
        let r = ImageRef::parse("docker.io/library/python:3.9-slim").unwrap_or_else(|| unreachable!());
        assert_eq!(r.hub_path(), "python");
        assert!(ImageRef::parse("scratch").is_some_and(|r| r.is_scratch()));
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("a b").is_none());
    }
}
