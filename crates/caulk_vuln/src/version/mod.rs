//! Version ordering per ecosystem behind one `compare` API, so advisory ranges can be checked the
//! way each package manager itself orders versions.
//!
//! Every ecosystem has its own module with a parser and an `Ord` type. [`parse`] turns text into an
//! opaque [`Version`] (parse once, compare many times); [`compare`] is the one-shot form. A version
//! that cannot be parsed is a [`VersionError`] naming the text and the ecosystem, so callers can
//! count and report it instead of skipping it.

mod apk;
mod deb;
mod maven;
mod npm;
mod pep440;
mod rpm;
mod semver;

use std::cmp::Ordering;
use std::fmt;

pub use self::npm::{NpmRange, npm_satisfies};

/// The version ordering a package ecosystem uses; several OSV ecosystems share one ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Ecosystem {
    /// dpkg ordering: Debian, Ubuntu.
    Debian,
    /// rpmvercmp over epoch:version-release: AlmaLinux, Rocky, Red Hat, SUSE, Azure Linux, ….
    Rpm,
    /// apk-tools ordering: Alpine, Wolfi, Chainguard.
    Apk,
    /// PEP 440: PyPI.
    PyPI,
    /// Strict SemVer 2.0 (build metadata ignored): crates.io, and OSV `SEMVER` ranges.
    Cargo,
    /// Go module versions: SemVer with a `v` prefix, shorthand `v1.2`, pseudo-versions.
    Go,
    /// node-semver: npm.
    Npm,
    /// Maven's `ComparableVersion`.
    Maven,
}

impl Ecosystem {
    /// Maps an OSV `affected[].package.ecosystem` value (release suffix included, e.g. `Debian:12`,
    /// `Ubuntu:Pro:18.04:LTS`, `Alpine:v3.19`) to the ordering it uses; `None` for ecosystems whose
    /// ordering is not implemented, so the caller can report them.
    pub fn from_osv(name: &str) -> Option<Self> {
        let base = name.split(':').next().unwrap_or(name);
        let eco = match base {
            "Debian" | "Ubuntu" => Self::Debian,
            "AlmaLinux" | "Rocky Linux" | "Red Hat" | "openSUSE" | "SUSE" | "Azure Linux" | "Mariner" | "Photon OS"
            | "Mageia" | "openEuler" | "Fedora" | "openCloudOS" | "OpenCloudOS" | "TencentOS" => Self::Rpm,
            "Alpine" | "Wolfi" | "Chainguard" | "MinimOS" | "Alpaquita" | "BellSoft Hardened Containers" => Self::Apk,
            "PyPI" => Self::PyPI,
            "crates.io" => Self::Cargo,
            "Go" => Self::Go,
            "npm" => Self::Npm,
            "Maven" => Self::Maven,
            _ => return None,
        };
        Some(eco)
    }

    /// A short human name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Debian => "dpkg",
            Self::Rpm => "rpm",
            Self::Apk => "apk",
            Self::PyPI => "PEP 440",
            Self::Cargo => "SemVer",
            Self::Go => "Go module",
            Self::Npm => "npm",
            Self::Maven => "Maven",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A version (or npm range) that the ecosystem's rules reject; carries the text so reports can
/// name it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {ecosystem} version: {reason}")]
pub struct VersionError {
    /// The ordering whose rules rejected the text.
    pub ecosystem: Ecosystem,
    /// The rejected text, verbatim.
    pub text: String,
    /// Why it was rejected.
    pub reason: String,
}

impl VersionError {
    pub(crate) fn new(ecosystem: Ecosystem, text: &str, reason: impl Into<String>) -> Self {
        Self { ecosystem, text: text.to_owned(), reason: reason.into() }
    }
}

/// A parsed version; parse once with [`parse`] and compare many times.
///
/// Versions of the same ecosystem order as that ecosystem does. Equality follows the ordering
/// (dpkg `1.0` equals `1.0-0`, PEP 440 `1.0` equals `1.0.0`), not the text. Versions of different
/// ecosystems order by ecosystem first: consistent, but meaningless.
#[derive(Debug, Clone)]
pub struct Version(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Debian(deb::DebVersion),
    Rpm(rpm::RpmVersion),
    Apk(apk::ApkVersion),
    PyPI(pep440_rs::Version),
    Cargo(semver::SemVer),
    Go(semver::SemVer),
    Npm(nodejs_semver::Version),
    Maven(maven::MavenVersion),
}

impl Version {
    /// The ecosystem this version was parsed for.
    pub fn ecosystem(&self) -> Ecosystem {
        match &self.0 {
            Repr::Debian(_) => Ecosystem::Debian,
            Repr::Rpm(_) => Ecosystem::Rpm,
            Repr::Apk(_) => Ecosystem::Apk,
            Repr::PyPI(_) => Ecosystem::PyPI,
            Repr::Cargo(_) => Ecosystem::Cargo,
            Repr::Go(_) => Ecosystem::Go,
            Repr::Npm(_) => Ecosystem::Npm,
            Repr::Maven(_) => Ecosystem::Maven,
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Debian(a), Repr::Debian(b)) => a.cmp(b),
            (Repr::Rpm(a), Repr::Rpm(b)) => a.cmp(b),
            (Repr::Apk(a), Repr::Apk(b)) => a.cmp(b),
            (Repr::PyPI(a), Repr::PyPI(b)) => a.cmp(b),
            (Repr::Cargo(a), Repr::Cargo(b)) | (Repr::Go(a), Repr::Go(b)) => a.cmp(b),
            (Repr::Npm(a), Repr::Npm(b)) => a.cmp(b),
            (Repr::Maven(a), Repr::Maven(b)) => a.cmp(b),
            _ => self.ecosystem().cmp(&other.ecosystem()),
        }
    }
}

/// Parses `text` by the rules of `eco`.
pub fn parse(eco: Ecosystem, text: &str) -> Result<Version, VersionError> {
    let repr = match eco {
        Ecosystem::Debian => Repr::Debian(deb::DebVersion::parse(text)?),
        Ecosystem::Rpm => Repr::Rpm(rpm::RpmVersion::parse(text)?),
        Ecosystem::Apk => Repr::Apk(apk::ApkVersion::parse(text)?),
        Ecosystem::PyPI => Repr::PyPI(pep440::parse(text)?),
        Ecosystem::Cargo => Repr::Cargo(semver::SemVer::parse_cargo(text)?),
        Ecosystem::Go => Repr::Go(semver::SemVer::parse_go(text)?),
        Ecosystem::Npm => Repr::Npm(npm::parse(text)?),
        Ecosystem::Maven => Repr::Maven(maven::MavenVersion::parse(text)?),
    };
    Ok(Version(repr))
}

/// Orders two versions of one ecosystem; an error names the first text that does not parse.
pub fn compare(eco: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse(eco, a)?.cmp(&parse(eco, b)?))
}

/// True when `s` contains a character no version in any supported ecosystem may contain
/// (whitespace, control characters); shared by the hand-written parsers.
fn has_forbidden_char(s: &str) -> bool {
    s.chars().any(|c| c.is_whitespace() || c.is_control())
}
