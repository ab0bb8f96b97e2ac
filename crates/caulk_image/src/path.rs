//! Paths inside an image: normalised to `/a/b`, never above the root.

use crate::limits::Limits;

/// Why an archive path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum NormalizeError {
    /// The path names the root itself (`.`, `./`, `/`).
    Root,
    /// `..` climbs above the root.
    Escapes,
    /// Longer or deeper than the limits allow.
    TooLong,
}

/// Turns an archive path (`./etc//passwd`, `/etc/passwd`, `usr/../etc`) into `/etc/passwd`.
/// `..` is resolved lexically; climbing above the root is an error, as container runtimes refuse it.
pub fn normalize(raw: &[u8], limits: &Limits) -> Result<Box<str>, NormalizeError> {
    if raw.len() > limits.path_len {
        return Err(NormalizeError::TooLong);
    }
    let text = String::from_utf8_lossy(raw);
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(NormalizeError::Escapes);
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(NormalizeError::Root);
    }
    if parts.len() > limits.path_depth {
        return Err(NormalizeError::TooLong);
    }
    let mut out = String::with_capacity(text.len() + 1);
    for p in parts {
        out.push('/');
        out.push_str(p);
    }
    Ok(out.into_boxed_str())
}

/// True when a relative symlink at `path` climbs above the root when read lexically; harmless
/// inside a container (the root is its own parent) but a sign of an archive built to escape.
pub fn symlink_escapes(path: &str, target: &str) -> bool {
    if target.starts_with('/') {
        return false;
    }
    let mut depth = path.matches('/').count().saturating_sub(1);
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// The directory part of an absolute path (`/etc/ssh/sshd_config` → `/etc/ssh`; `/etc` → `/`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// Joins a symlink target to the directory holding the link, normalising inside the root
/// (`..` at the root stays at the root, as the kernel does).
pub fn join_in_root(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        parts.extend(dir.split('/').filter(|p| !p.is_empty()));
    }
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = String::new();
    for p in parts {
        out.push('/');
        out.push_str(p);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_archive_paths() {
        let l = Limits::default();
        assert_eq!(normalize(b"./etc//passwd", &l).unwrap().as_ref(), "/etc/passwd");
        assert_eq!(normalize(b"/usr/../etc/x", &l).unwrap().as_ref(), "/etc/x");
        assert_eq!(normalize(b"./", &l), Err(NormalizeError::Root));
        assert_eq!(normalize(b"../../etc/passwd", &l), Err(NormalizeError::Escapes));
        assert_eq!(normalize(b"a/../../b", &l), Err(NormalizeError::Escapes));
        let long = vec![b'a'; 5000];
        assert_eq!(normalize(&long, &l), Err(NormalizeError::TooLong));
    }

    #[test]
    fn symlink_escape_detection() {
        assert!(symlink_escapes("/a/link", "../../etc/shadow"));
        assert!(!symlink_escapes("/a/b/link", "../../etc/shadow"));
        assert!(!symlink_escapes("/bin/sh", "/bin/busybox"));
        assert!(!symlink_escapes("/usr/bin/python3", "python3.11"));
    }

    #[test]
    fn joins_stay_in_root() {
        assert_eq!(join_in_root("/usr/bin", "../lib/x"), "/usr/lib/x");
        assert_eq!(join_in_root("/a", "../../../../etc/shadow"), "/etc/shadow");
        assert_eq!(join_in_root("/a", "/etc/os-release"), "/etc/os-release");
        assert_eq!(parent("/etc/ssh/sshd_config"), "/etc/ssh");
        assert_eq!(parent("/etc"), "/");
    }
}
