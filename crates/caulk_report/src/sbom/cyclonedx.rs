//! CycloneDX 1.6 JSON: own serde structs for the subset caulk emits (the `cyclonedx-bom` crate stops
//! at 1.5); field order is struct order, so output is byte-stable.

#![allow(clippy::struct_field_names, reason = "field names mirror the format's JSON keys")]

use std::collections::BTreeMap;

use serde::Serialize;

use caulk_core::{Package, PackageType, Severity, VulnFinding};

use super::license::{self, License};
use super::{SbomInput, UniqueIds, content_hash, sha256_hex, sorted_packages};

const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata<'a>,
    components: Vec<Component<'a>>,
    dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vulnerabilities: Vec<Vulnerability<'a>>,
}

/// A CycloneDX vulnerability: one caulk finding, affecting one component.
#[derive(Serialize)]
struct Vulnerability<'a> {
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    id: &'a str,
    source: VulnSource<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<VulnReference<'a>>,
    ratings: Vec<Rating<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendation: Option<String>,
    affects: Vec<Affects>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct VulnSource<'a> {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct VulnReference<'a> {
    id: &'a str,
    source: VulnSource<'a>,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vector: Option<&'a str>,
}

#[derive(Serialize)]
struct Affects {
    #[serde(rename = "ref")]
    reference: String,
    versions: Vec<AffectedVersion>,
}

#[derive(Serialize)]
struct AffectedVersion {
    version: String,
    status: &'static str,
}

#[derive(Serialize)]
struct Metadata<'a> {
    timestamp: &'a str,
    tools: Tools<'a>,
    component: Component<'a>,
}

#[derive(Serialize)]
struct Tools<'a> {
    components: Vec<Component<'a>>,
}

#[derive(Serialize)]
struct Component<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

impl<'a> Component<'a> {
    fn new(kind: &'static str, name: &'a str) -> Self {
        Self {
            kind,
            bom_ref: None,
            group: None,
            name,
            version: None,
            description: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            purl: None,
            properties: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct Hash<'a> {
    alg: &'static str,
    content: &'a str,
}

/// One element of a `licenses` array: the schema allows a list of licences or exactly one
/// expression, never both.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum LicenseChoice {
    License(LicenseEntry),
    Expression(String),
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum LicenseEntry {
    Id(String),
    Name(String),
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(rename = "dependsOn")]
    depends_on: Vec<String>,
}

pub(super) fn render(input: &SbomInput) -> String {
    let packages = sorted_packages(input.packages);
    let subject = input.subject;
    let mut refs = UniqueIds::default();

    let image_ref = refs.claim(if subject.name.is_empty() { "image" } else { &subject.name });
    let mut image = Component::new("container", &subject.name);
    image.bom_ref = Some(image_ref.clone());
    image.version = subject.digest.as_deref();
    if let Some(hex) = subject.digest.as_deref().and_then(sha256_hex) {
        image.hashes.push(Hash { alg: "SHA-256", content: hex });
    }
    if let Some(arch) = &subject.architecture {
        image.properties.push(Property { name: "caulk:image:architecture", value: arch.clone() });
    }

    let mut tool = Component::new("application", "caulk");
    tool.version = non_empty(input.tool_version);

    let mut components = Vec::with_capacity(packages.len() + 1);
    if let Some(os) = &subject.os {
        let mut c = Component::new("operating-system", &os.id);
        c.bom_ref = Some(refs.claim(&format!("os:{}@{}", os.id, os.version_id)));
        c.version = non_empty(&os.version_id);
        c.description = os.pretty_name.as_deref();
        components.push(c);
    }

    // A purl names a package, not an installation: the same npm package vendored at two paths has
    // one purl, so those get a `package-id` derived from where they were found.
    let purls: Vec<String> = packages.iter().map(|p| p.purl()).collect();
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for purl in &purls {
        *uses.entry(purl).or_default() += 1;
    }
    // (purl, evidence path) → bom-ref, so vulnerabilities can point at their component.
    let mut component_refs: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for (p, purl) in packages.iter().zip(&purls) {
        let wanted = if uses.get(purl.as_str()).is_some_and(|&n| n > 1) {
            let sep = if purl.contains('?') { '&' } else { '?' };
            format!("{purl}{sep}package-id={:016x}", location_hash(p))
        } else {
            purl.clone()
        };
        let mut c = library(p);
        let bom_ref = refs.claim(&wanted);
        component_refs.entry((purl.as_str(), p.evidence.path.as_str())).or_insert_with(|| bom_ref.clone());
        c.bom_ref = Some(bom_ref);
        c.purl = Some(purl.clone());
        components.push(c);
    }

    let vulnerabilities = vulnerabilities(input.vulnerabilities, &component_refs, &mut refs);
    let depends_on = components.iter().filter_map(|c| c.bom_ref.clone()).collect();
    let bom = Bom {
        schema: SCHEMA,
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: format!("urn:uuid:{}", uuid(content_hash(input, &packages))),
        version: 1,
        metadata: Metadata { timestamp: input.created, tools: Tools { components: vec![tool] }, component: image },
        components,
        dependencies: vec![Dependency { reference: image_ref, depends_on }],
        vulnerabilities,
    };
    let mut s = serde_json::to_string_pretty(&bom).unwrap_or_default();
    s.push('\n');
    s
}

/// Findings as CycloneDX vulnerabilities, in the findings' sorted order; a finding whose package
/// is not among the components (it cannot happen with caulk's own inventory) is left out rather
/// than pointing nowhere.
fn vulnerabilities<'a>(
    findings: &'a [VulnFinding],
    component_refs: &BTreeMap<(&str, &str), String>,
    refs: &mut UniqueIds,
) -> Vec<Vulnerability<'a>> {
    let mut sorted: Vec<&VulnFinding> = findings.iter().collect();
    sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    sorted
        .into_iter()
        .filter_map(|f| {
            let component = component_refs.get(&(f.package.purl.as_str(), f.package.path.as_str()))?;
            let (method, score) = match (f.vector.as_deref(), f.score) {
                (Some(v), Some(s)) => (cvss_method(v), Some(s)),
                _ => (None, None),
            };
            let mut properties = vec![Property { name: "caulk:vulnerability:ecosystem", value: f.ecosystem.clone() }];
            if let Some(layer) = f.package.layer {
                properties.push(Property { name: "caulk:package:layer", value: layer.to_string() });
            }
            properties.push(Property { name: "caulk:package:base-image", value: f.package.base.to_string() });
            Some(Vulnerability {
                bom_ref: refs.claim(&format!("vuln:{}:{component}", f.id)),
                id: &f.id,
                source: VulnSource { name: source_name(&f.id), url: f.url.as_deref() },
                references: f
                    .aliases
                    .iter()
                    .map(|a| VulnReference { id: a, source: VulnSource { name: source_name(a), url: None } })
                    .collect(),
                ratings: vec![Rating {
                    score,
                    severity: f.severity.map_or("unknown", Severity::as_str),
                    method,
                    vector: f.vector.as_deref(),
                }],
                description: f.summary.as_deref(),
                recommendation: Some(match &f.fixed {
                    Some(v) => format!("Upgrade {} to {v}", f.package.name),
                    None => format!("No fixed version of {} is published yet", f.package.name),
                }),
                affects: vec![Affects {
                    reference: component.clone(),
                    versions: vec![AffectedVersion { version: f.package.version.clone(), status: "affected" }],
                }],
                properties,
            })
        })
        .collect()
}

/// CycloneDX's rating method for a CVSS vector.
fn cvss_method(vector: &str) -> Option<&'static str> {
    Some(if vector.starts_with("CVSS:4.0") {
        "CVSSv4"
    } else if vector.starts_with("CVSS:3.1") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3.0") {
        "CVSSv3"
    } else if vector.starts_with("AV:") || vector.starts_with("(AV:") {
        "CVSSv2"
    } else {
        return None;
    })
}

/// The database an id belongs to, from its prefix.
fn source_name(id: &str) -> &'static str {
    let prefix = id.split(['-', ':']).next().unwrap_or("");
    match prefix {
        "CVE" => "NVD",
        "GHSA" => "GitHub",
        "PYSEC" => "PyPA",
        "RUSTSEC" => "RustSec",
        "GO" => "Go",
        "ALSA" | "ALBA" | "ALEA" => "AlmaLinux",
        "DSA" | "DLA" | "DTSA" | "DEBIAN" => "Debian",
        "USN" | "UBUNTU" => "Ubuntu",
        "RHSA" | "RHBA" | "RHEA" => "Red Hat",
        "RLSA" => "Rocky Linux",
        "NSWG" => "Node.js security WG",
        "CGA" => "Chainguard",
        "MAL" => "OSSF malicious packages",
        _ => "OSV",
    }
}

/// A package as a `library` component, with where it was found as `caulk:` properties.
fn library(p: &Package) -> Component<'_> {
    let mut c = Component::new("library", &p.name);
    if p.kind == PackageType::Maven
        && let Some((group, artifact)) = p.name.split_once(':')
        && !group.is_empty()
        && !artifact.is_empty()
    {
        c.group = Some(group);
        c.name = artifact;
    }
    c.version = non_empty(&p.version);
    c.licenses = licenses(&license::classify_all(&p.licenses));
    let mut prop = |name: &'static str, value: String| c.properties.push(Property { name, value });
    prop("caulk:package:type", p.kind.as_str().to_owned());
    prop("caulk:evidence:path", p.evidence.path.clone());
    if let Some(layer) = p.evidence.layer {
        prop("caulk:evidence:layer", layer.to_string());
    }
    prop("caulk:evidence:analyzer", p.evidence.analyzer.to_owned());
    if let Some(name) = &p.source_name {
        prop("caulk:source:name", name.clone());
    }
    if let Some(version) = &p.source_version {
        prop("caulk:source:version", version.clone());
    }
    c
}

/// Identifiers as `license.id`, other strings as `license.name`; an expression only where the
/// schema allows one, i.e. as the sole entry, so several strings with an expression among them
/// become one conjunction (or, if any is not SPDX, all are named verbatim).
fn licenses(ls: &[License]) -> Vec<LicenseChoice> {
    let has_expression = ls.iter().any(|l| matches!(l, License::Expression(_)));
    if has_expression && let Some(expr) = license::conjunction(ls) {
        return vec![LicenseChoice::Expression(expr)];
    }
    ls.iter()
        .map(|l| {
            LicenseChoice::License(match l {
                License::Id(id) => LicenseEntry::Id(id.clone()),
                License::Expression(s) | License::Name(s) => LicenseEntry::Name(s.clone()),
            })
        })
        .collect()
}

/// Stable per-installation fingerprint: same place, same id, whatever else is in the image.
fn location_hash(p: &Package) -> u64 {
    let mut h = super::ContentHash::new();
    h.str(&p.evidence.path);
    h.opt(p.evidence.layer.map(|l| l.to_string()).as_deref());
    h.str(p.evidence.analyzer);
    (h.0 >> 64) as u64 ^ h.0 as u64
}

/// Formats 128 hash bits as an RFC 4122-variant UUID, version 8 (RFC 9562 "custom"): the bits come
/// from our own content hash, not SHA-1, so claiming version 5 would be wrong.
fn uuid(bits: u128) -> String {
    let mut b = bits.to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = format!("{:032x}", u128::from_be_bytes(b));
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let u = uuid(u128::MAX);
        assert_eq!(u, "ffffffff-ffff-8fff-bfff-ffffffffffff");
        let u = uuid(0);
        assert_eq!(u, "00000000-0000-8000-8000-000000000000");
    }

    #[test]
    fn license_choice_shapes() {
        let ls = license::classify_all(&["MIT OR Apache-2.0".into()]);
        let json = serde_json::to_string(&licenses(&ls)).unwrap_or_default();
        assert_eq!(json, r#"[{"expression":"MIT OR Apache-2.0"}]"#);
        let ls = license::classify_all(&["MIT".into(), "BSD".into()]);
        let json = serde_json::to_string(&licenses(&ls)).unwrap_or_default();
        assert_eq!(json, r#"[{"license":{"id":"MIT"}},{"license":{"name":"BSD"}}]"#);
        let ls = license::classify_all(&["MIT OR Apache-2.0".into(), "BSD".into()]);
        let json = serde_json::to_string(&licenses(&ls)).unwrap_or_default();
        assert_eq!(json, r#"[{"license":{"name":"MIT OR Apache-2.0"}},{"license":{"name":"BSD"}}]"#);
        let ls = license::classify_all(&["MIT OR Apache-2.0".into(), "Zlib".into()]);
        let json = serde_json::to_string(&licenses(&ls)).unwrap_or_default();
        assert_eq!(json, r#"[{"expression":"(MIT OR Apache-2.0) AND Zlib"}]"#);
    }
}
