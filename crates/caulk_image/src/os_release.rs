//! The operating system of an image, from `/etc/os-release` (often a symlink into `/usr/lib`)
//! with the older release files as fallbacks.

use caulk_core::Distro;

use crate::fs::MergedFs;

/// What os-release says, plus where it was read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID`: `debian`, `ubuntu`, `alpine`, `almalinux`.
    pub id: String,
    /// `ID_LIKE`, split on spaces.
    pub id_like: Vec<String>,
    /// `VERSION_ID`: `12`, `22.04`, `3.19.4`.
    pub version_id: String,
    pub version_codename: Option<String>,
    pub pretty_name: Option<String>,
    /// The file it came from.
    pub path: String,
}

impl OsRelease {
    /// Reads the OS from the merged filesystem; `None` for images without one (scratch,
    /// distroless static, a lone binary).
    pub fn from_fs(fs: &MergedFs) -> Option<Self> {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let Some(bytes) = fs.read(path) {
                let mut os = parse(&String::from_utf8_lossy(bytes));
                if !os.id.is_empty() {
                    path.clone_into(&mut os.path);
                    refine(&mut os, fs);
                    return Some(os);
                }
            }
        }
        if let Some(v) = fs.read("/etc/alpine-release") {
            let version = String::from_utf8_lossy(v).trim().to_owned();
            return Some(Self {
                id: "alpine".into(),
                version_id: version,
                path: "/etc/alpine-release".into(),
                ..Self::default()
            });
        }
        if let Some(v) = fs.read("/etc/debian_version") {
            let version = String::from_utf8_lossy(v).trim().to_owned();
            let major = version.split('.').next().unwrap_or("").to_owned();
            return Some(Self {
                id: "debian".into(),
                version_id: major,
                path: "/etc/debian_version".into(),
                ..Self::default()
            });
        }
        None
    }

    pub fn distro(&self) -> Distro {
        Distro { id: self.id.clone(), version_id: self.version_id.clone() }
    }

    /// `Debian 12 (bookworm)` style name for messages.
    pub fn display_name(&self) -> String {
        match &self.pretty_name {
            Some(p) if !p.is_empty() => p.clone(),
            _ => format!("{} {}", self.id, self.version_id),
        }
    }
}

/// Debian testing/sid images have no VERSION_ID; Debian point releases live in debian_version.
fn refine(os: &mut OsRelease, fs: &MergedFs) {
    if os.id == "debian"
        && os.version_id.is_empty()
        && let Some(v) = fs.read("/etc/debian_version")
    {
        let v = String::from_utf8_lossy(v);
        if let Some((codename, _)) = v.trim().split_once('/') {
            codename.clone_into(&mut os.version_id);
        }
    }
}

/// Parses the os-release format: `KEY=value` with optional shell quoting.
pub fn parse(text: &str) -> OsRelease {
    let mut os = OsRelease::default();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let value = unquote(value.trim());
        match key.trim() {
            "ID" => os.id = value.to_ascii_lowercase(),
            "ID_LIKE" => os.id_like = value.split_whitespace().map(str::to_owned).collect(),
            "VERSION_ID" => os.version_id = value,
            "VERSION_CODENAME" if !value.is_empty() => os.version_codename = Some(value),
            "PRETTY_NAME" => os.pretty_name = Some(value),
            _ => {}
        }
    }
    os
}

fn unquote(v: &str) -> String {
    let inner =
        if v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\''))) {
            &v[1..v.len() - 1]
        } else {
            v
        };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_values() {
        let os = parse(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
        );
        assert_eq!(os.id, "debian");
        assert_eq!(os.version_id, "12");
        assert_eq!(os.version_codename.as_deref(), Some("bookworm"));
        assert_eq!(os.display_name(), "Debian GNU/Linux 12 (bookworm)");
        let os = parse("ID='almalinux'\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.0\"");
        assert_eq!(os.id_like, ["rhel", "centos", "fedora"]);
    }
}
