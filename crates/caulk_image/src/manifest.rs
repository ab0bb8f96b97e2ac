//! From an archive's or registry's JSON documents to a [`Plan`]: which configuration and which
//! layer blobs, in order. Docker's `manifest.json`, OCI indexes and manifests, Docker v2s2
//! manifests and manifest lists, and platform selection.

use std::fmt;

use serde::Deserialize;

use crate::error::SourceError;

/// The image to read, before any layer is touched.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub config: Vec<u8>,
    /// `sha256:…` of the configuration (the image ID).
    pub config_digest: Option<String>,
    /// `sha256:…` of the manifest, when the image has one.
    pub manifest_digest: Option<String>,
    pub layers: Vec<PlanLayer>,
    /// Tags recorded in the archive (`RepoTags`, `org.opencontainers.image.ref.name`).
    pub tags: Vec<String>,
    /// True when the plan came from an OCI `index.json` rather than Docker's `manifest.json`.
    pub oci_layout: bool,
}

/// One layer blob to stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanLayer {
    /// Where the source finds it: a path inside an archive or layout, or a digest in a registry.
    pub key: String,
    pub digest: Option<String>,
    pub media_type: Option<String>,
    pub size: Option<u64>,
}

/// `os/architecture[/variant]`, e.g. `linux/arm64/v8`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    pub fn parse(s: &str) -> Result<Self, SourceError> {
        let mut parts = s.split('/');
        let (Some(os), Some(arch)) = (parts.next(), parts.next()) else {
            return Err(SourceError::Usage(format!("platform `{s}` is not os/arch[/variant], e.g. linux/arm64")));
        };
        let variant = parts.next().map(str::to_owned);
        if os.is_empty() || arch.is_empty() || parts.next().is_some() {
            return Err(SourceError::Usage(format!("platform `{s}` is not os/arch[/variant], e.g. linux/arm64")));
        }
        Ok(Self { os: os.into(), architecture: arch.into(), variant })
    }

    fn matches(&self, p: &Platform) -> bool {
        self.os == p.os
            && self.architecture == p.architecture
            && match (&self.variant, &p.variant) {
                (Some(a), Some(b)) => a == b,
                // arm64 images often omit the v8 variant.
                _ => true,
            }
    }
}

impl Default for Platform {
    fn default() -> Self {
        Self { os: "linux".into(), architecture: "amd64".into(), variant: None }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// An OCI descriptor (also the shape of Docker v2s2 references).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: Option<String>,
    pub digest: String,
    pub size: Option<u64>,
    pub platform: Option<DescriptorPlatform>,
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DescriptorPlatform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

/// An OCI image index or Docker manifest list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Index {
    pub media_type: Option<String>,
    pub manifests: Vec<Descriptor>,
}

/// An OCI image manifest or Docker v2s2 manifest.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Manifest {
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
}

/// One entry of Docker's `manifest.json`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct DockerArchiveEntry {
    config: String,
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// True for media types (or documents) that are indexes rather than image manifests.
pub fn is_index(media_type: Option<&str>, doc: &serde_json::Value) -> bool {
    match media_type {
        Some(m) if m.contains("index") || m.contains("manifest.list") => true,
        Some(_) => false,
        None => doc.get("manifests").is_some() && doc.get("layers").is_none(),
    }
}

/// Picks the manifest for `platform` from an index. With no explicit platform, a lone image
/// manifest is taken whatever its platform. Attestation manifests (`unknown/unknown`) are ignored.
pub fn select_manifest<'a>(
    index: &'a Index,
    platform: &Platform,
    explicit: bool,
) -> Result<&'a Descriptor, SourceError> {
    let images: Vec<&Descriptor> = index
        .manifests
        .iter()
        .filter(|d| {
            d.platform.as_ref().is_none_or(|p| p.os != "unknown")
                && d.annotations.as_ref().is_none_or(|a| {
                    a.get("vnd.docker.reference.type").map(String::as_str) != Some("attestation-manifest")
                })
        })
        .collect();
    let with_platform = |d: &&&Descriptor| {
        d.platform.as_ref().is_some_and(|p| {
            platform.matches(&Platform {
                os: p.os.clone(),
                architecture: p.architecture.clone(),
                variant: p.variant.clone(),
            })
        })
    };
    if let Some(d) = images.iter().find(with_platform) {
        return Ok(d);
    }
    if images.len() == 1 && (!explicit || images[0].platform.is_none()) {
        return Ok(images[0]);
    }
    if images.is_empty() {
        return Err(SourceError::Invalid("the image index lists no image manifests".into()));
    }
    let available: Vec<String> = images
        .iter()
        .map(|d| match &d.platform {
            Some(p) => Platform { os: p.os.clone(), architecture: p.architecture.clone(), variant: p.variant.clone() }
                .to_string(),
            None => format!("(no platform) {}", d.digest),
        })
        .collect();
    Err(SourceError::Platform { wanted: platform.to_string(), available })
}

/// Where a source keeps its JSON documents (archive members, layout files).
pub trait MetaStore {
    /// Reads a small document by key; `Ok(None)` when it does not exist.
    fn read_meta(&self, key: &str) -> Result<Option<Vec<u8>>, SourceError>;
}

/// `blobs/sha256/<hex>` for a digest, refusing anything that is not a plain hex digest.
pub fn blob_path(digest: &str) -> Result<String, SourceError> {
    let (alg, hex) = digest.split_once(':').ok_or_else(|| SourceError::Invalid(format!("bad digest `{digest}`")))?;
    let ok_alg = matches!(alg, "sha256" | "sha512");
    if !ok_alg || hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SourceError::Invalid(format!("bad digest `{digest}`")));
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

fn require(store: &dyn MetaStore, key: &str) -> Result<Vec<u8>, SourceError> {
    store.read_meta(key)?.ok_or_else(|| SourceError::Invalid(format!("`{key}` is referenced but missing")))
}

fn json<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, SourceError> {
    serde_json::from_slice(bytes).map_err(|e| SourceError::Invalid(format!("{what}: {e}")))
}

/// Resolves a docker-save archive or an OCI layout held by `store`. `tag` picks one image of a
/// multi-image archive.
pub fn resolve(
    store: &dyn MetaStore,
    platform: &Platform,
    explicit: bool,
    tag: Option<&str>,
) -> Result<Plan, SourceError> {
    if let Some(bytes) = store.read_meta("index.json")?
        && (tag.is_some() || store.read_meta("manifest.json")?.is_none())
    {
        return resolve_oci(store, &bytes, platform, explicit, tag);
    }
    if let Some(bytes) = store.read_meta("manifest.json")? {
        let entries: Vec<DockerArchiveEntry> = json(&bytes, "manifest.json")?;
        let entry = match tag {
            Some(t) => {
                entries.iter().find(|e| e.repo_tags.iter().flatten().any(|r| r == t || r.ends_with(&format!(":{t}"))))
            }
            None => entries.first(),
        }
        .ok_or_else(|| match tag {
            Some(t) => {
                let tags: Vec<&str> =
                    entries.iter().flat_map(|e| e.repo_tags.iter().flatten()).map(String::as_str).collect();
                SourceError::Invalid(format!("no image tagged `{t}` in the archive; it holds: {}", tags.join(", ")))
            }
            None => SourceError::Invalid("manifest.json lists no image".into()),
        })?;
        let config = require(store, &entry.config)?;
        let config_digest = digest_from_path(&entry.config);
        let layers = entry
            .layers
            .iter()
            .map(|l| PlanLayer { key: l.clone(), digest: digest_from_path(l), media_type: None, size: None })
            .collect();
        return Ok(Plan {
            config,
            config_digest,
            manifest_digest: None,
            layers,
            tags: entry.repo_tags.clone().unwrap_or_default(),
            oci_layout: false,
        });
    }
    if let Some(bytes) = store.read_meta("index.json")? {
        return resolve_oci(store, &bytes, platform, explicit, tag);
    }
    Err(SourceError::Invalid("neither manifest.json (docker save) nor index.json (OCI layout) found".into()))
}

fn resolve_oci(
    store: &dyn MetaStore,
    index_bytes: &[u8],
    platform: &Platform,
    explicit: bool,
    tag: Option<&str>,
) -> Result<Plan, SourceError> {
    let mut index: Index = json(index_bytes, "index.json")?;
    if let Some(t) = tag {
        index.manifests.retain(|d| {
            d.annotations.as_ref().and_then(|a| a.get("org.opencontainers.image.ref.name")).is_some_and(|n| n == t)
        });
        if index.manifests.is_empty() {
            return Err(SourceError::Invalid(format!("no manifest named `{t}` in the OCI layout")));
        }
    }
    let mut tags: Vec<String> = index
        .manifests
        .iter()
        .filter_map(|d| d.annotations.as_ref()?.get("org.opencontainers.image.ref.name").cloned())
        .collect();
    tags.dedup();
    // Nested indexes (a layout whose index points at a multi-platform index) are followed.
    for _ in 0..4 {
        let chosen = select_manifest(&index, platform, explicit)?.clone();
        let bytes = require(store, &blob_path(&chosen.digest)?)?;
        let doc: serde_json::Value = json(&bytes, &chosen.digest)?;
        if is_index(chosen.media_type.as_deref(), &doc) {
            index = json(&bytes, &chosen.digest)?;
            continue;
        }
        let manifest: Manifest = json(&bytes, &chosen.digest)?;
        let plan = plan_from_manifest(store, &manifest, Some(chosen.digest), tags)?;
        return Ok(Plan { oci_layout: true, ..plan });
    }
    Err(SourceError::Invalid("image indexes nested more than 4 deep".into()))
}

/// Builds a plan from a parsed image manifest whose blobs live under `blobs/`.
pub fn plan_from_manifest(
    store: &dyn MetaStore,
    manifest: &Manifest,
    manifest_digest: Option<String>,
    tags: Vec<String>,
) -> Result<Plan, SourceError> {
    let config = require(store, &blob_path(&manifest.config.digest)?)?;
    let layers = manifest
        .layers
        .iter()
        .map(|l| {
            Ok(PlanLayer {
                key: blob_path(&l.digest)?,
                digest: Some(l.digest.clone()),
                media_type: l.media_type.clone(),
                size: l.size,
            })
        })
        .collect::<Result<_, SourceError>>()?;
    Ok(Plan {
        config,
        config_digest: Some(manifest.config.digest.clone()),
        manifest_digest,
        layers,
        tags,
        oci_layout: false,
    })
}

/// `sha256:<hex>` from archive member names like `blobs/sha256/<hex>`, `<hex>.json`, `<hex>/layer.tar`.
fn digest_from_path(path: &str) -> Option<String> {
    if let Some(hex) = path.strip_prefix("blobs/sha256/") {
        return Some(format!("sha256:{hex}"));
    }
    let stem =
        path.strip_suffix(".json").or_else(|| path.strip_suffix("/layer.tar")).or_else(|| path.strip_suffix(".tar"))?;
    (stem.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{stem}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(platforms: &[&str]) -> Index {
        Index {
            media_type: None,
            manifests: platforms
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let p = Platform::parse(p).unwrap();
                    Descriptor {
                        digest: format!("sha256:{i}"),
                        platform: Some(DescriptorPlatform {
                            os: p.os,
                            architecture: p.architecture,
                            variant: p.variant,
                        }),
                        ..Descriptor::default()
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn picks_the_wanted_platform_or_lists_the_others() {
        let idx = index(&["linux/arm64/v8", "linux/amd64", "unknown/unknown"]);
        assert_eq!(select_manifest(&idx, &Platform::default(), false).unwrap().digest, "sha256:1");
        assert_eq!(select_manifest(&idx, &Platform::parse("linux/arm64").unwrap(), true).unwrap().digest, "sha256:0");
        let err = select_manifest(&idx, &Platform::parse("linux/s390x").unwrap(), true).unwrap_err().to_string();
        assert!(err.contains("linux/s390x") && err.contains("linux/arm64/v8") && err.contains("linux/amd64"), "{err}");
        assert!(!err.contains("unknown"), "{err}");
    }

    #[test]
    fn a_lone_foreign_manifest_is_taken_unless_a_platform_was_asked_for() {
        let idx = index(&["linux/arm64"]);
        assert!(select_manifest(&idx, &Platform::default(), false).is_ok());
        assert!(select_manifest(&idx, &Platform::default(), true).is_err());
    }

    #[test]
    fn digests_are_validated() {
        assert_eq!(blob_path("sha256:abcdef").unwrap(), "blobs/sha256/abcdef");
        assert!(blob_path("sha256:../../etc/passwd").is_err());
        assert!(blob_path("md5:abc").is_err());
        assert_eq!(
            digest_from_path(&format!("{}/layer.tar", "a".repeat(64))),
            Some(format!("sha256:{}", "a".repeat(64)))
        );
    }
}
