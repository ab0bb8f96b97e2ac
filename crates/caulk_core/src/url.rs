//! The few URL facts both network clients (the registry client and the advisory downloader)
//! need, on plain strings: where a URL points, whether that is this machine, and where a
//! redirect leads.

use std::net::IpAddr;

/// `host[:port]` of a URL, without user information.
pub fn authority_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

/// The host of `host[:port]` or `[v6]:port`, without brackets or port.
pub fn host_only(host_port: &str) -> &str {
    if let Some(rest) = host_port.strip_prefix('[') {
        return rest.split_once(']').map_or(rest, |(h, _)| h);
    }
    match host_port.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host_port,
    }
}

/// True for `127.0.0.0/8`, `::1` and `localhost`, with or without a port: the only hosts plain
/// HTTP is ever allowed to.
pub fn is_loopback(host_port: &str) -> bool {
    let host = host_only(host_port);
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A `Location` header resolved against the URL that sent it (absolute, scheme-relative,
/// absolute-path and relative forms).
pub fn resolve_location(base: &str, location: &str) -> String {
    if location.split_once("://").is_some_and(|(s, _)| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic())) {
        return location.to_owned();
    }
    let scheme = base.split_once("://").map_or("https", |(s, _)| s);
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    let origin = format!("{scheme}://{}", authority_of(base));
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{origin}{dir}{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities_hosts_and_loopback() {
        assert_eq!(authority_of("https://u:p@Reg.example:5000/v2/?x"), "Reg.example:5000");
        assert_eq!(authority_of("http://[::1]:5000"), "[::1]:5000");
        assert_eq!(authority_of("https://u@h.example:1/p?q"), "h.example:1");
        assert_eq!(host_only("[::1]:5000"), "::1");
        assert_eq!(host_only("reg.example:5000"), "reg.example");
        for h in ["127.0.0.1:8080", "localhost", "[::1]:80", "127.1.2.3"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["osv-vulnerabilities.storage.googleapis.com", "10.0.0.1:5000", "localhost.example"] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn locations_resolve_like_a_browser() {
        let base = "https://reg.example/v2/a/blobs/sha256:x";
        assert_eq!(resolve_location(base, "https://s3.example/b?sig=1"), "https://s3.example/b?sig=1");
        assert_eq!(resolve_location(base, "//cdn.example/b"), "https://cdn.example/b");
        assert_eq!(resolve_location(base, "/storage/b"), "https://reg.example/storage/b");
        assert_eq!(resolve_location(base, "c"), "https://reg.example/v2/a/blobs/c");
        let base = "https://x.example/osv/PyPI/all.zip";
        assert_eq!(resolve_location(base, "ftp://cdn.example/a.zip"), "ftp://cdn.example/a.zip");
        assert_eq!(resolve_location(base, "v2.zip"), "https://x.example/osv/PyPI/v2.zip");
    }
}
