//! Registry references as the Docker CLI reads them (`alpine`, `ghcr.io/o/r:tag`,
//! `host:5000/r@sha256:…`), normalised so `alpine` means Docker Hub's `library/alpine:latest`.

use std::fmt;

use crate::error::SourceError;

/// Docker Hub as references name it.
pub(crate) const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's API host.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A parsed registry reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `host[:port]` as written, lowercased; `docker.io` for Docker Hub.
    pub registry: String,
    /// `library/alpine`, `org/app`.
    pub repository: String,
    /// The tag as written; `None` means `latest` unless a digest is given.
    pub tag: Option<String>,
    /// `sha256:…`; when present it wins over the tag, as with `docker pull`.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses `host[:port]/repo[:tag][@digest]` with Docker's defaults.
    pub fn parse(input: &str) -> Result<Self, SourceError> {
        let bad = |why: &str| SourceError::Usage(format!("`{input}` is not an image reference: {why}"));
        let s = input.trim();
        let s = s.strip_prefix("docker://").unwrap_or(s);
        if s.is_empty() {
            return Err(bad("it is empty"));
        }
        let (name_tag, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (s, None),
        };
        if let Some(d) = digest
            && !valid_digest(d)
        {
            return Err(bad("the digest must be sha256:<64 hex digits> (or sha512:<128>)"));
        }
        let last_slash = name_tag.rfind('/');
        let (name, tag) = match name_tag.rfind(':') {
            Some(colon) if last_slash.is_none_or(|sl| colon > sl) => (&name_tag[..colon], Some(&name_tag[colon + 1..])),
            _ => (name_tag, None),
        };
        if let Some(t) = tag
            && !valid_tag(t)
        {
            return Err(bad("a tag is 1-128 letters, digits, `_`, `.` or `-`, not starting with `.` or `-`"));
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.bytes().any(|b| b.is_ascii_uppercase()) =>
            {
                (first.to_ascii_lowercase(), rest.to_owned())
            }
            _ => (DOCKER_HUB.to_owned(), name.to_owned()),
        };
        let registry = if registry == "index.docker.io" { DOCKER_HUB.to_owned() } else { registry };
        if !valid_host(&registry) {
            return Err(bad("the registry must be host[:port]"));
        }
        let repository = if registry == DOCKER_HUB && !path.contains('/') { format!("library/{path}") } else { path };
        if repository.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(bad("repository names must be lowercase"));
        }
        if repository.len() > 255 || !repository.split('/').all(valid_component) {
            return Err(bad(
                "repository path components are lowercase letters and digits separated by `.`, `_`, `__` or `-`",
            ));
        }
        Ok(Self { registry, repository, tag: tag.map(str::to_owned), digest: digest.map(str::to_owned) })
    }

    /// The host the API lives on (`registry-1.docker.io` for Docker Hub).
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB { DOCKER_HUB_API } else { &self.registry }
    }

    /// What goes after `/manifests/`: the digest, else the tag, else `latest`.
    pub fn manifest_ref(&self) -> &str {
        self.digest.as_deref().or(self.tag.as_deref()).unwrap_or("latest")
    }

    /// `registry/repository:tag` when a tag was given, for [`Plan::tags`](crate::manifest::Plan).
    pub fn tagged(&self) -> Option<String> {
        self.tag.as_ref().map(|t| format!("{}/{}:{t}", self.registry, self.repository))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        match (&self.tag, &self.digest) {
            (_, Some(d)) => write!(f, "@{d}"),
            (Some(t), None) => write!(f, ":{t}"),
            (None, None) => f.write_str(":latest"),
        }
    }
}

/// `sha256:<64 hex>` or `sha512:<128 hex>`, lowercase hex as registries emit.
pub(crate) fn valid_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else { return false };
    let len = match alg {
        "sha256" => 64,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn valid_tag(t: &str) -> bool {
    let ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    t.len() <= 128 && t.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') && t.bytes().all(ok)
}

fn valid_host(h: &str) -> bool {
    if let Some(rest) = h.strip_prefix('[') {
        let Some((addr, port)) = rest.split_once(']') else { return false };
        return addr.parse::<std::net::Ipv6Addr>().is_ok()
            && (port.is_empty()
                || port.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())));
    }
    let (host, port) = match h.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (h, None),
    };
    !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        && port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`, the distribution spec's path component.
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if !b.first().copied().is_some_and(alnum) || !b.last().copied().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Reference {
        Reference::parse(s).unwrap()
    }

    #[test]
    fn docker_hub_defaults() {
        let r = parse("alpine");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()),
            ("docker.io", "library/alpine", None)
        );
        assert_eq!(r.api_host(), "registry-1.docker.io");
        assert_eq!(r.manifest_ref(), "latest");
        assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
        assert_eq!(parse("alpine:3.19").to_string(), "docker.io/library/alpine:3.19");
        assert_eq!(parse("bitnami/nginx:1.25").to_string(), "docker.io/bitnami/nginx:1.25");
        assert_eq!(parse("docker.io/alpine").repository, "library/alpine");
        assert_eq!(parse("index.docker.io/library/alpine:3").to_string(), "docker.io/library/alpine:3");
        assert_eq!(parse("docker://alpine").repository, "library/alpine");
    }

    #[test]
    fn domains_are_detected_like_docker() {
        let r = parse("ghcr.io/owner/app:v1");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()),
            ("ghcr.io", "owner/app", Some("v1"))
        );
        let r = parse("localhost/app");
        assert_eq!((r.registry.as_str(), r.repository.as_str()), ("localhost", "app"));
        let r = parse("127.0.0.1:5000/a/b/c");
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("127.0.0.1:5000", "a/b/c", None));
        assert_eq!(r.manifest_ref(), "latest");
        let r = parse("localhost:5000/app:1.0");
        assert_eq!((r.registry.as_str(), r.tag.as_deref()), ("localhost:5000", Some("1.0")));
        let r = parse("[::1]:5000/app");
        assert_eq!(r.registry, "[::1]:5000");
        // A first component without `.`/`:` is a Docker Hub namespace, not a host.
        assert_eq!(parse("myorg/app").registry, "docker.io");
        // Uppercase in the first component makes it a host, as in distribution/reference.
        assert_eq!(parse("MyHost/app").registry, "myhost");
    }

    #[test]
    fn digests_win_over_tags() {
        let d = format!("sha256:{}", "a".repeat(64));
        let r = parse(&format!("127.0.0.1:5000/app:1.0@{d}"));
        assert_eq!((r.tag.as_deref(), r.digest.as_deref()), (Some("1.0"), Some(d.as_str())));
        assert_eq!(r.manifest_ref(), d);
        assert_eq!(r.to_string(), format!("127.0.0.1:5000/app@{d}"));
        let r = parse(&format!("alpine@{d}"));
        assert_eq!((r.repository.as_str(), r.tag.as_deref()), ("library/alpine", None));
        assert!(r.tagged().is_none());
    }

    #[test]
    fn malformed_references_are_refused() {
        for bad in [
            "",
            "Alpine",
            "alpine@sha256:abc",
            "alpine@md5:0123",
            &format!("alpine@sha256:{}", "A".repeat(64)),
            "alpine:",
            "alpine:-x",
            "a//b",
            "a/b-",
            "a/.b",
            "a/b...c",
            "host:port/app",
            "ghcr.io/",
            "with space/app",
            &format!("alpine:{}", "x".repeat(129)),
        ] {
            let err = Reference::parse(bad).unwrap_err();
            assert!(matches!(err, SourceError::Usage(_)), "{bad}: {err}");
        }
        for good in ["a__b/c", "a-b--c/d.e_f", "a.b/c_d:V1.0-rc_1", "x"] {
            assert!(Reference::parse(good).is_ok(), "{good}");
        }
    }

    use caulk_core::url::is_loopback;

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1:5000", "127.1.2.3", "localhost:80", "LOCALHOST", "[::1]:5000", "::1"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["10.0.0.1:5000", "registry.example:5000", "[::2]:5000", "localhost.example.com", "128.0.0.1"] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
