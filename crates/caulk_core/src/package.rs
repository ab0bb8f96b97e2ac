//! Packages found in an image: what they are, where they were found, and their package URL.
//!
//! caulk_image produces them, caulk_vuln matches them and caulk_report writes them as SBOMs, so the
//! type lives here, with no I/O.

use std::fmt::Write as _;

/// The package manager or language ecosystem a package belongs to; decides its purl type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PackageType {
    /// dpkg: Debian, Ubuntu and their derivatives.
    Deb,
    /// apk: Alpine, Wolfi, Chainguard.
    Apk,
    /// rpm: RHEL, AlmaLinux, Rocky, Fedora, SUSE, Azure Linux.
    Rpm,
    Python,
    Npm,
    /// A Go module compiled into a binary (from its build information).
    Go,
    /// A Rust crate compiled into a binary (from cargo-auditable data).
    Cargo,
    /// A Java archive or a dependency recorded inside one.
    Maven,
}

impl PackageType {
    /// The purl type (`pkg:<type>/…`).
    pub const fn purl_type(self) -> &'static str {
        match self {
            Self::Deb => "deb",
            Self::Apk => "apk",
            Self::Rpm => "rpm",
            Self::Python => "pypi",
            Self::Npm => "npm",
            Self::Go => "golang",
            Self::Cargo => "cargo",
            Self::Maven => "maven",
        }
    }

    /// True for packages of the operating system's own package manager.
    pub const fn is_os(self) -> bool {
        matches!(self, Self::Deb | Self::Apk | Self::Rpm)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Deb => "deb",
            Self::Apk => "apk",
            Self::Rpm => "rpm",
            Self::Python => "python",
            Self::Npm => "npm",
            Self::Go => "go-module",
            Self::Cargo => "rust-crate",
            Self::Maven => "java-archive",
        }
    }
}

/// Where a package was found: the file that records it, the layer that introduced that file and
/// the analyzer that read it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Evidence {
    /// Absolute path inside the image (`/var/lib/dpkg/status`).
    pub path: String,
    /// Index of the layer (0 = the lowest) that last wrote `path`; `None` for a root filesystem.
    pub layer: Option<u32>,
    /// The analyzer that reported it, e.g. `dpkg`.
    pub analyzer: &'static str,
}

/// The operating system an OS package was built for; becomes the purl's `distro` qualifier and
/// the release suffix of OSV ecosystems (`Debian:12`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Distro {
    /// `ID` from os-release: `debian`, `alpine`, `almalinux`.
    pub id: String,
    /// `VERSION_ID` from os-release: `12`, `3.19.4`, `9.0`.
    pub version_id: String,
}

/// One installed package.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Package {
    pub kind: PackageType,
    /// Maven: `group:artifact`; npm scoped packages keep their `@scope/` prefix.
    pub name: String,
    /// As the package manager writes it (`1:2.36-9+deb12u4`, `2.34-28.el9_0`, `1.26.4`).
    pub version: String,
    /// The source package an OS package was built from, when it differs or is known
    /// (dpkg `Source:`, apk origin, rpm SOURCERPM name). Advisories for OS packages name it.
    pub source_name: Option<String>,
    /// The source package's version when it differs from `version` (dpkg `Source: x (ver)`).
    pub source_version: Option<String>,
    pub arch: Option<String>,
    /// Licence strings as the package declares them.
    pub licenses: Vec<String>,
    /// OS packages only: the distribution, for the purl qualifier and advisory matching.
    pub distro: Option<Distro>,
    pub evidence: Evidence,
}

impl Package {
    /// A package with only its identity and evidence; source, arch, licences and distro are
    /// filled in by the analyzers that know them.
    pub fn new(kind: PackageType, name: impl Into<String>, version: impl Into<String>, evidence: Evidence) -> Self {
        Self {
            kind,
            name: name.into(),
            version: version.into(),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: Vec::new(),
            distro: None,
            evidence,
        }
    }

    /// The package URL (purl spec) of this package, with the `arch` and `distro` qualifiers for
    /// OS packages and the upstream source as `upstream=` when it differs.
    pub fn purl(&self) -> String {
        let mut out = String::from("pkg:");
        out.push_str(self.kind.purl_type());
        out.push('/');
        match self.kind {
            PackageType::Deb | PackageType::Apk | PackageType::Rpm => {
                let ns = self.distro.as_ref().map_or("", |d| d.id.as_str());
                if !ns.is_empty() {
                    push_encoded(&mut out, &ns.to_ascii_lowercase());
                    out.push('/');
                }
                push_encoded(&mut out, &self.name);
            }
            PackageType::Maven => match self.name.split_once(':') {
                Some((group, artifact)) => {
                    push_encoded(&mut out, group);
                    out.push('/');
                    push_encoded(&mut out, artifact);
                }
                None => push_encoded(&mut out, &self.name),
            },
            PackageType::Npm => match self.name.strip_prefix('@').and_then(|n| n.split_once('/')) {
                Some((scope, name)) => {
                    out.push_str("%40");
                    push_encoded(&mut out, scope);
                    out.push('/');
                    push_encoded(&mut out, name);
                }
                None => push_encoded(&mut out, &self.name),
            },
            PackageType::Python => push_encoded(&mut out, &normalize_python_name(&self.name)),
            PackageType::Go => {
                // Go module paths keep their slashes as namespace segments.
                let mut first = true;
                for seg in self.name.split('/') {
                    if !first {
                        out.push('/');
                    }
                    first = false;
                    push_encoded(&mut out, seg);
                }
            }
            PackageType::Cargo => push_encoded(&mut out, &self.name),
        }
        if !self.version.is_empty() {
            out.push('@');
            push_encoded(&mut out, &self.version);
        }
        let mut qualifiers: Vec<(&str, String)> = Vec::new();
        if self.kind.is_os() {
            if let Some(arch) = &self.arch {
                qualifiers.push(("arch", arch.clone()));
            }
            if let Some(d) = &self.distro
                && !d.version_id.is_empty()
            {
                qualifiers.push(("distro", format!("{}-{}", d.id, d.version_id)));
            }
            if let Some(src) = &self.source_name
                && (src != &self.name || self.source_version.is_some())
            {
                let up = match &self.source_version {
                    Some(v) => format!("{src}@{v}"),
                    None => src.clone(),
                };
                qualifiers.push(("upstream", up));
            }
        }
        qualifiers.sort_by_key(|(k, _)| *k);
        for (i, (k, v)) in qualifiers.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            push_encoded(&mut out, v);
        }
        out
    }

    /// The name advisories use for this package: the source package for OS packages.
    pub fn advisory_name(&self) -> &str {
        if self.kind.is_os() { self.source_name.as_deref().unwrap_or(&self.name) } else { &self.name }
    }
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn normalize_python_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Percent-encodes a purl segment: everything but unreserved characters (and `+` kept as `%2B`).
fn push_encoded(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(kind: PackageType, name: &str, version: &str) -> Package {
        Package::new(kind, name, version, Evidence { path: "/x".into(), layer: Some(0), analyzer: "test" })
    }

    #[test]
    fn deb_purl_has_distro_arch_and_upstream() {
        let mut p = pkg(PackageType::Deb, "libc6", "2.36-9+deb12u4");
        p.arch = Some("amd64".into());
        p.source_name = Some("glibc".into());
        p.distro = Some(Distro { id: "debian".into(), version_id: "12".into() });
        assert_eq!(p.purl(), "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc");
        assert_eq!(p.advisory_name(), "glibc");
    }

    #[test]
    fn epoch_colon_is_encoded() {
        let p = pkg(PackageType::Rpm, "bash", "1:5.1.8-4.el9");
        assert_eq!(p.purl(), "pkg:rpm/bash@1%3A5.1.8-4.el9");
    }

    #[test]
    fn language_purls() {
        assert_eq!(pkg(PackageType::Npm, "@babel/core", "7.0.0").purl(), "pkg:npm/%40babel/core@7.0.0");
        assert_eq!(
            pkg(PackageType::Python, "Django_Rest.Framework", "3.0").purl(),
            "pkg:pypi/django-rest-framework@3.0"
        );
        assert_eq!(
            pkg(PackageType::Maven, "org.apache:log4j-core", "2.14.1").purl(),
            "pkg:maven/org.apache/log4j-core@2.14.1"
        );
        assert_eq!(pkg(PackageType::Go, "github.com/a/b", "v1.2.3").purl(), "pkg:golang/github.com/a/b@v1.2.3");
        assert_eq!(pkg(PackageType::Cargo, "serde", "1.0.0").purl(), "pkg:cargo/serde@1.0.0");
    }
}
