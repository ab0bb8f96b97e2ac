//! Software bills of materials for an image's package inventory, in the two formats scanners and
//! registries ingest: CycloneDX 1.6 JSON and SPDX 2.3 JSON.
//!
//! Both renderers take the same [`SbomInput`], sort the packages once and derive every identifier
//! (serial number, namespace, references) from the content, so the same input gives the same bytes.

mod cyclonedx;
mod license;
mod spdx;

use std::fmt::Write as _;

use caulk_core::{Package, VulnFinding};

/// What the SBOM describes: the image as the user named it, so the document can be matched back
/// to the command that produced it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SbomSubject {
    /// The image reference as the user gave it (`debian:12`, `ghcr.io/acme/app@sha256:…`).
    pub name: String,
    /// `sha256:…` manifest or config digest, when known; pins the SBOM to exact bytes.
    pub digest: Option<String>,
    /// The image's platform architecture (`amd64`, `arm64`).
    pub architecture: Option<String>,
    /// The operating system found in the image, from os-release.
    pub os: Option<OsInfo>,
}

/// The operating system of an image, from its os-release file; becomes an operating-system
/// component, which is what advisory matchers key their distro feeds on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsInfo {
    /// `ID`: `debian`, `alpine`, `almalinux`.
    pub id: String,
    /// `VERSION_ID`: `12`, `3.19.4`, `9.0`.
    pub version_id: String,
    /// `PRETTY_NAME`: `Debian GNU/Linux 12 (bookworm)`.
    pub pretty_name: Option<String>,
}

/// Everything an SBOM renderer needs; the caller owns the clock and the version so output stays
/// reproducible.
#[derive(Debug, Clone, Copy)]
pub struct SbomInput<'a> {
    pub subject: &'a SbomSubject,
    /// In any order; renderers sort by (kind, name, version, evidence path).
    pub packages: &'a [Package],
    /// caulk's version, recorded as the producing tool.
    pub tool_version: &'a str,
    /// RFC 3339 creation time; the caller decides (deterministic in tests).
    pub created: &'a str,
    /// Known vulnerabilities of `packages` (CycloneDX `vulnerabilities`; SPDX 2.3 has no place
    /// for them). Empty when matching did not run.
    pub vulnerabilities: &'a [VulnFinding],
}

/// CycloneDX 1.6 JSON, pretty-printed with a trailing newline: the format Dependency-Track and
/// most scanners import.
pub fn cyclonedx(input: &SbomInput) -> String {
    cyclonedx::render(input)
}

/// SPDX 2.3 JSON, pretty-printed with a trailing newline: the format procurement and
/// compliance tooling asks for.
pub fn spdx(input: &SbomInput) -> String {
    spdx::render(input)
}

/// The packages in output order, exact duplicates dropped.
fn sorted_packages(packages: &[Package]) -> Vec<&Package> {
    let mut out: Vec<&Package> = packages.iter().collect();
    out.sort_by(|a, b| {
        (a.kind, &a.name, &a.version, &a.evidence.path)
            .cmp(&(b.kind, &b.name, &b.version, &b.evidence.path))
            .then_with(|| a.cmp(b))
    });
    out.dedup();
    out
}

/// FNV-1a over 128 bits: a stable content fingerprint for serial numbers and namespaces. Not a
/// security hash; it only has to be the same for the same input on every platform and release.
struct ContentHash(u128);

impl ContentHash {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Self(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Length-prefixed, so `("ab", "c")` and `("a", "bc")` differ.
    fn str(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.bytes(&[1]);
                self.str(s);
            }
            None => self.bytes(&[0]),
        }
    }
}

/// Fingerprint of everything the document states except its creation time.
fn content_hash(input: &SbomInput, packages: &[&Package]) -> u128 {
    let mut h = ContentHash::new();
    h.str(input.tool_version);
    let s = input.subject;
    h.str(&s.name);
    h.opt(s.digest.as_deref());
    h.opt(s.architecture.as_deref());
    h.opt(s.os.as_ref().map(|o| o.id.as_str()));
    h.opt(s.os.as_ref().map(|o| o.version_id.as_str()));
    h.opt(s.os.as_ref().and_then(|o| o.pretty_name.as_deref()));
    h.bytes(&(packages.len() as u64).to_le_bytes());
    for p in packages {
        h.str(p.kind.as_str());
        h.str(&p.name);
        h.str(&p.version);
        h.opt(p.source_name.as_deref());
        h.opt(p.source_version.as_deref());
        h.opt(p.arch.as_deref());
        h.bytes(&(p.licenses.len() as u64).to_le_bytes());
        for l in &p.licenses {
            h.str(l);
        }
        h.opt(p.distro.as_ref().map(|d| d.id.as_str()));
        h.opt(p.distro.as_ref().map(|d| d.version_id.as_str()));
        h.str(&p.evidence.path);
        h.opt(p.evidence.layer.map(|l| l.to_string()).as_deref());
        h.str(p.evidence.analyzer);
    }
    // Only when there are some, so an SBOM without vulnerability data keeps its serial number.
    if !input.vulnerabilities.is_empty() {
        h.bytes(&(input.vulnerabilities.len() as u64).to_le_bytes());
    }
    for v in input.vulnerabilities {
        h.str(&v.id);
        h.str(&v.package.purl);
        h.str(&v.package.path);
        h.opt(v.fixed.as_deref());
    }
    h.0
}

/// The hex part of a `sha256:<64 hex>` digest, for checksum fields that take bare hex.
fn sha256_hex(digest: &str) -> Option<&str> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then_some(hex)
}

/// Where a package was found, in words, for SPDX `sourceInfo` and humans.
fn evidence_text(p: &Package) -> String {
    let mut s = format!("found by caulk's {} analyzer at {}", p.evidence.analyzer, p.evidence.path);
    if let Some(layer) = p.evidence.layer {
        let _ = write!(s, " (layer {layer})");
    }
    s
}

/// Hands out identifiers that are unique within one document, suffixing `-2`, `-3`… on clashes.
#[derive(Default)]
struct UniqueIds(std::collections::BTreeSet<String>);

impl UniqueIds {
    fn claim(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_owned();
        let mut n = 2u32;
        while self.0.contains(&id) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        self.0.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_stable_and_length_prefixed() {
        let mut a = ContentHash::new();
        a.str("ab");
        a.str("c");
        let mut b = ContentHash::new();
        b.str("a");
        b.str("bc");
        assert_ne!(a.0, b.0);
        let mut empty = ContentHash::new();
        empty.bytes(b"");
        assert_eq!(empty.0, ContentHash::OFFSET);
        // FNV-1a 128 of "a", a published test vector.
        let mut v = ContentHash::new();
        v.bytes(b"a");
        assert_eq!(v.0, 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }

    #[test]
    fn sha256_hex_wants_64_lowercase_hex() {
        let hex = "a".repeat(64);
        assert_eq!(sha256_hex(&format!("sha256:{hex}")), Some(hex.as_str()));
        assert_eq!(sha256_hex("sha256:abc"), None);
        assert_eq!(sha256_hex(&format!("sha512:{hex}")), None);
        assert_eq!(sha256_hex(&format!("sha256:{}", "A".repeat(64))), None);
    }

    #[test]
    fn unique_ids_suffix_clashes() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("a"), "a");
        assert_eq!(ids.claim("a"), "a-2");
        assert_eq!(ids.claim("a-2"), "a-2-2");
        assert_eq!(ids.claim("a"), "a-3");
    }
}
