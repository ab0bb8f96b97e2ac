//! SPDX 2.3 JSON: own serde structs for the subset caulk emits (the SPDX model crates are stale);
//! field order is struct order, so output is byte-stable.

#![allow(clippy::struct_field_names, reason = "field names mirror the format's JSON keys")]

use serde::Serialize;

use caulk_core::Package;

use super::license::{self, License};
use super::{SbomInput, UniqueIds, content_hash, evidence_text, sha256_hex, sorted_packages};

const NOASSERTION: &str = "NOASSERTION";
const IMAGE_ID: &str = "SPDXRef-Image";
const OS_ID: &str = "SPDXRef-OperatingSystem";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdx_id: &'static str,
    name: &'a str,
    document_namespace: String,
    creation_info: CreationInfo<'a>,
    packages: Vec<SpdxPackage<'a>>,
    relationships: Vec<Relationship>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreationInfo<'a> {
    created: &'a str,
    creators: Vec<String>,
    license_list_version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage<'a> {
    name: &'a str,
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_info: Option<&'a str>,
    download_location: &'static str,
    files_analyzed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checksums: Vec<Checksum<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_info: Option<String>,
    license_concluded: &'static str,
    license_declared: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    license_comments: Option<String>,
    copyright_text: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExternalRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_package_purpose: Option<&'static str>,
}

impl<'a> SpdxPackage<'a> {
    fn new(spdx_id: String, name: &'a str) -> Self {
        Self {
            name,
            spdx_id,
            version_info: None,
            download_location: NOASSERTION,
            files_analyzed: false,
            checksums: Vec::new(),
            source_info: None,
            license_concluded: NOASSERTION,
            license_declared: NOASSERTION.to_owned(),
            license_comments: None,
            copyright_text: NOASSERTION,
            description: None,
            comment: None,
            external_refs: Vec::new(),
            primary_package_purpose: None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Checksum<'a> {
    algorithm: &'static str,
    checksum_value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef {
    reference_category: &'static str,
    reference_type: &'static str,
    reference_locator: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_element_id: String,
    relationship_type: &'static str,
    related_spdx_element: String,
}

pub(super) fn render(input: &SbomInput) -> String {
    let packages = sorted_packages(input.packages);
    let subject = input.subject;
    let hash = content_hash(input, &packages);
    let mut ids = UniqueIds::default();
    ids.claim("SPDXRef-DOCUMENT");

    let mut image = SpdxPackage::new(ids.claim(IMAGE_ID), &subject.name);
    image.version_info = subject.digest.as_deref().filter(|d| !d.is_empty());
    if let Some(hex) = subject.digest.as_deref().and_then(sha256_hex) {
        image.checksums.push(Checksum { algorithm: "SHA256", checksum_value: hex });
    }
    image.primary_package_purpose = Some("CONTAINER");
    image.comment = subject.architecture.as_ref().map(|arch| format!("architecture: {arch}"));
    let mut relationships = vec![Relationship {
        spdx_element_id: "SPDXRef-DOCUMENT".to_owned(),
        relationship_type: "DESCRIBES",
        related_spdx_element: image.spdx_id.clone(),
    }];
    let contains = |id: &str| Relationship {
        spdx_element_id: IMAGE_ID.to_owned(),
        relationship_type: "CONTAINS",
        related_spdx_element: id.to_owned(),
    };

    let mut out = Vec::with_capacity(packages.len() + 2);
    out.push(image);
    if let Some(os) = &subject.os {
        let mut p = SpdxPackage::new(ids.claim(OS_ID), &os.id);
        p.version_info = Some(os.version_id.as_str()).filter(|v| !v.is_empty());
        p.description = os.pretty_name.as_deref();
        p.primary_package_purpose = Some("OPERATING_SYSTEM");
        relationships.push(contains(&p.spdx_id));
        out.push(p);
    }
    for pkg in &packages {
        let wanted = format!("SPDXRef-Package-{}-{}-{}", pkg.kind.purl_type(), pkg.name, pkg.version);
        let p = package(ids.claim(&sanitize_id(&wanted)), pkg);
        relationships.push(contains(&p.spdx_id));
        out.push(p);
    }

    let name = if subject.name.is_empty() { "image" } else { subject.name.as_str() };
    let doc = Document {
        spdx_version: "SPDX-2.3",
        data_license: "CC0-1.0",
        spdx_id: "SPDXRef-DOCUMENT",
        name,
        document_namespace: format!("https://caulk.dev/spdx/{}-{hash:032x}", sanitize_path(name)),
        creation_info: CreationInfo {
            created: input.created,
            creators: vec![if input.tool_version.is_empty() {
                "Tool: caulk".to_owned()
            } else {
                format!("Tool: caulk-{}", input.tool_version)
            }],
            license_list_version: license_list_version(),
        },
        packages: out,
        relationships,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn package(spdx_id: String, p: &Package) -> SpdxPackage<'_> {
    let mut out = SpdxPackage::new(spdx_id, &p.name);
    out.version_info = Some(p.version.as_str()).filter(|v| !v.is_empty());
    let mut info = evidence_text(p);
    if let Some(src) = &p.source_name {
        info.push_str("; built from source package ");
        info.push_str(src);
        if let Some(v) = &p.source_version {
            info.push(' ');
            info.push_str(v);
        }
    }
    out.source_info = Some(info);
    let ls = license::classify_all(&p.licenses);
    // A LicenseRef would need a hasExtractedLicensingInfos entry with the licence text, which we
    // do not have; such expressions stay in the comment like any other non-SPDX string.
    match license::conjunction(&ls).filter(|e| !e.contains("Ref-")) {
        Some(expr) => out.license_declared = expr,
        None if !ls.is_empty() => {
            let raw: Vec<&str> = ls
                .iter()
                .map(|l| match l {
                    License::Id(s) | License::Expression(s) | License::Name(s) => s.as_str(),
                })
                .collect();
            out.license_comments = Some(format!("declared as: {}", raw.join("; ")));
        }
        None => {}
    }
    out.external_refs.push(ExternalRef {
        reference_category: "PACKAGE-MANAGER",
        reference_type: "purl",
        reference_locator: p.purl(),
    });
    out
}

/// SPDX element ids allow only letters, digits, `.` and `-` after `SPDXRef-`.
fn sanitize_id(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') { c } else { '-' }).collect()
}

/// A readable, URI-safe path segment for the document namespace.
fn sanitize_path(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' }).collect()
}

/// The licence list the `spdx` crate normalises against, as SPDX wants it: `M.N`.
fn license_list_version() -> &'static str {
    let v = ::spdx::license_version();
    match v.match_indices('.').nth(1) {
        Some((i, _)) => v.get(..i).unwrap_or(v),
        None => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_only_allowed_characters() {
        assert_eq!(sanitize_id("SPDXRef-Package-npm-@babel/core-7.0.0"), "SPDXRef-Package-npm--babel-core-7.0.0");
        assert_eq!(sanitize_id("SPDXRef-Package-rpm-bash-1:5.1+x"), "SPDXRef-Package-rpm-bash-1-5.1-x");
    }

    #[test]
    fn license_list_version_is_major_minor() {
        let v = license_list_version();
        assert_eq!(v.matches('.').count(), 1, "{v}");
    }
}
