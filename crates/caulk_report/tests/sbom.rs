//! CycloneDX and SPDX output on a realistic inventory: valid against the official schemas,
//! byte-stable, unique references, purls, the OS component and licence mapping.

use std::collections::BTreeSet;
use std::path::PathBuf;

use caulk_core::{Distro, Evidence, Package, PackageType};
use caulk_report::sbom::{self, OsInfo, SbomInput, SbomSubject};
use serde_json::Value;

const CREATED: &str = "2026-11-22T10:00:00Z";
const DIGEST: &str = "sha256:4f2c0f5e6c1b8ad2b3ad0b9a1a1c3e9b1d0cfa7d5e3f0f8b1a2c3d4e5f6a7b8c";

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "../shared is required in CI");
    #[allow(clippy::print_stderr)]
    {
        eprintln!("skipping: ../shared not found");
    }
    None
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validates `doc` against a schema; CycloneDX's `$ref`s to its sibling schemas are served from
/// the local folder and anything else is refused, so nothing is fetched.
fn schema_errors(schema: &str, doc: &str) -> Option<Vec<String>> {
    let shared = shared()?;
    let dir = shared.join("data/schemas");
    let schema = read_json(&dir.join(schema));
    let spdx_ids = read_json(&dir.join("cyclonedx-1.6/spdx.schema.json"));
    let jsf = read_json(&dir.join("cyclonedx-1.6/jsf-0.82.schema.json"));
    let registry = jsonschema::Registry::new()
        .extend([
            ("http://cyclonedx.org/schema/spdx.schema.json", jsonschema::Resource::from_contents(spdx_ids)),
            ("http://cyclonedx.org/schema/jsf-0.82.schema.json", jsonschema::Resource::from_contents(jsf)),
        ])
        .and_then(jsonschema::RegistryBuilder::prepare)
        .unwrap_or_else(|e| panic!("registry: {e}"));
    let validator = jsonschema::options()
        .offline()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema: {e}"));
    let doc: Value = serde_json::from_str(doc).unwrap_or_else(|e| panic!("output is not JSON: {e}\n{doc}"));
    Some(validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect())
}

fn pkg(kind: PackageType, name: &str, version: &str, path: &str, analyzer: &'static str) -> Package {
    Package::new(kind, name, version, Evidence { path: path.to_owned(), layer: Some(1), analyzer })
}

fn os_pkg(kind: PackageType, name: &str, version: &str, distro: (&str, &str), arch: &str) -> Package {
    let (path, analyzer) = match kind {
        PackageType::Deb => ("/var/lib/dpkg/status", "dpkg"),
        PackageType::Apk => ("/lib/apk/db/installed", "apk"),
        _ => ("/var/lib/rpm/rpmdb.sqlite", "rpm"),
    };
    let mut p = pkg(kind, name, version, path, analyzer);
    p.evidence.layer = Some(0);
    p.arch = Some(arch.to_owned());
    p.distro = Some(Distro { id: distro.0.to_owned(), version_id: distro.1.to_owned() });
    p
}

fn with_licenses(mut p: Package, licenses: &[&str]) -> Package {
    p.licenses = licenses.iter().map(|&l| l.to_owned()).collect();
    p
}

fn with_source(mut p: Package, name: &str, version: Option<&str>) -> Package {
    p.source_name = Some(name.to_owned());
    p.source_version = version.map(str::to_owned);
    p
}

/// A mixed image: Debian, Alpine and RHEL-family OS packages next to every language ecosystem,
/// with an npm package vendored twice and the licence cases seen in the wild.
fn inventory() -> Vec<Package> {
    let debian = ("debian", "12");
    let mut cargo = with_licenses(
        pkg(PackageType::Cargo, "serde", "1.0.200", "/usr/local/bin/tool", "cargo-auditable"),
        &["MIT OR Apache-2.0"],
    );
    cargo.evidence.layer = None;
    let mut go = pkg(PackageType::Go, "github.com/sirupsen/logrus", "v1.9.3", "/usr/local/bin/app", "go-buildinfo");
    go.evidence.layer = Some(3);
    vec![
        with_licenses(
            with_source(os_pkg(PackageType::Deb, "libc6", "2.36-9+deb12u4", debian, "amd64"), "glibc", None),
            &["GPL-2.0+"],
        ),
        with_licenses(
            with_source(os_pkg(PackageType::Deb, "bash", "5.2.15-2+b7", debian, "amd64"), "bash", Some("5.2.15-2")),
            &["GPL-3.0-or-later"],
        ),
        with_licenses(os_pkg(PackageType::Deb, "libbsd0", "0.11.7-2", debian, "amd64"), &["BSD", ""]),
        with_licenses(
            with_source(
                os_pkg(PackageType::Apk, "ssl_client", "1.36.1-r15", ("alpine", "3.19.1"), "x86_64"),
                "busybox",
                None,
            ),
            &["GPL-2.0-only"],
        ),
        with_licenses(
            with_source(
                os_pkg(PackageType::Rpm, "openssl-libs", "1:3.0.7-27.el9", ("almalinux", "9.4"), "x86_64"),
                "openssl",
                Some("3.0.7-27.el9"),
            ),
            &["ASL 2.0"],
        ),
        with_licenses(
            pkg(
                PackageType::Python,
                "requests",
                "2.31.0",
                "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
                "python",
            ),
            &["Apache-2.0"],
        ),
        with_licenses(
            pkg(PackageType::Npm, "@babel/core", "7.24.0", "/app/node_modules/@babel/core/package.json", "npm"),
            &["MIT"],
        ),
        with_licenses(
            pkg(PackageType::Npm, "lodash", "4.17.21", "/app/node_modules/lodash/package.json", "npm"),
            &["MIT"],
        ),
        with_licenses(
            pkg(PackageType::Npm, "lodash", "4.17.21", "/app/node_modules/foo/node_modules/lodash/package.json", "npm"),
            &["MIT"],
        ),
        with_licenses(
            pkg(
                PackageType::Maven,
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                "/app/lib/log4j-core-2.14.1.jar",
                "java-archive",
            ),
            &["Apache-2.0", "LicenseRef-log4j-notice"],
        ),
        go,
        cargo,
    ]
}

fn subject(os: bool) -> SbomSubject {
    SbomSubject {
        name: "ghcr.io/acme/app:1.4".to_owned(),
        digest: Some(DIGEST.to_owned()),
        architecture: Some("amd64".to_owned()),
        os: os.then(|| OsInfo {
            id: "debian".to_owned(),
            version_id: "12".to_owned(),
            pretty_name: Some("Debian GNU/Linux 12 (bookworm)".to_owned()),
        }),
    }
}

fn input<'a>(subject: &'a SbomSubject, packages: &'a [Package]) -> SbomInput<'a> {
    SbomInput { subject, packages, tool_version: "0.1.0", created: CREATED, vulnerabilities: &[] }
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}\n{s}"))
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().map_or(&[], Vec::as_slice)
}

/// The CycloneDX library components named `name`.
fn components<'a>(bom: &'a Value, name: &str) -> Vec<&'a Value> {
    array(bom, "components").iter().filter(|c| c["name"] == name && c["type"] == "library").collect()
}

/// The SPDX packages named `name`, the image and OS packages excluded.
fn spdx_packages<'a>(doc: &'a Value, name: &str) -> Vec<&'a Value> {
    array(doc, "packages").iter().filter(|p| p["name"] == name && p["primaryPackagePurpose"].is_null()).collect()
}

#[test]
fn cyclonedx_validates_against_the_official_schema() {
    let packages = inventory();
    for (os, packages) in [(true, packages.as_slice()), (false, packages.as_slice()), (true, &[]), (false, &[])] {
        let s = subject(os);
        let out = sbom::cyclonedx(&input(&s, packages));
        let Some(errors) = schema_errors("cyclonedx-1.6/bom-1.6.schema.json", &out) else { return };
        assert!(errors.is_empty(), "os={os} packages={}: {errors:#?}\n{out}", packages.len());
    }
    // An image with nothing known but its name is still a valid BOM.
    let bare = SbomSubject { name: String::new(), ..SbomSubject::default() };
    let out = sbom::cyclonedx(&SbomInput {
        subject: &bare,
        packages: &[],
        tool_version: "",
        created: CREATED,
        vulnerabilities: &[],
    });
    let errors = schema_errors("cyclonedx-1.6/bom-1.6.schema.json", &out).unwrap_or_default();
    assert!(errors.is_empty(), "{errors:#?}\n{out}");
}

#[test]
fn spdx_validates_against_the_official_schema() {
    let packages = inventory();
    for (os, packages) in [(true, packages.as_slice()), (false, packages.as_slice()), (true, &[]), (false, &[])] {
        let s = subject(os);
        let out = sbom::spdx(&input(&s, packages));
        let Some(errors) = schema_errors("spdx-2.3-schema.json", &out) else { return };
        assert!(errors.is_empty(), "os={os} packages={}: {errors:#?}\n{out}", packages.len());
    }
    let bare = SbomSubject { name: String::new(), ..SbomSubject::default() };
    let out = sbom::spdx(&SbomInput {
        subject: &bare,
        packages: &[],
        tool_version: "",
        created: CREATED,
        vulnerabilities: &[],
    });
    let errors = schema_errors("spdx-2.3-schema.json", &out).unwrap_or_default();
    assert!(errors.is_empty(), "{errors:#?}\n{out}");
}

#[test]
fn the_validators_reject_broken_documents() {
    // Guards the two tests above against a validator that accepts anything (say, a `$ref` that
    // resolved to an empty schema).
    let s = subject(true);
    let packages = inventory();
    let mut bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
    bom["components"][1]["licenses"] = serde_json::json!([{ "expression": "MIT" }, { "license": { "id": "MIT" } }]);
    bom["components"][2]["licenses"] = serde_json::json!([{ "license": { "id": "Not-A-Licence" } }]);
    bom["serialNumber"] = "urn:uuid:not-a-uuid".into();
    let Some(errors) = schema_errors("cyclonedx-1.6/bom-1.6.schema.json", &bom.to_string()) else { return };
    assert!(errors.len() >= 3, "{errors:#?}");
    assert!(errors.iter().any(|e| e.contains("Not-A-Licence")), "spdx.schema.json was not applied: {errors:#?}");

    let mut doc = parse(&sbom::spdx(&input(&s, &packages)));
    if let Some(p) = doc["packages"][2].as_object_mut() {
        p.remove("downloadLocation");
    }
    doc["packages"][1]["primaryPackagePurpose"] = "OPERATING-SYSTEM".into();
    let errors = schema_errors("spdx-2.3-schema.json", &doc.to_string()).unwrap_or_default();
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn same_input_gives_same_bytes_in_any_order() {
    let s = subject(true);
    let packages = inventory();
    let mut reversed = packages.clone();
    reversed.reverse();
    for render in [sbom::cyclonedx, sbom::spdx] {
        let a = render(&input(&s, &packages));
        assert_eq!(a, render(&input(&s, &packages)));
        assert_eq!(a, render(&input(&s, &reversed)), "package order must not matter");
        assert!(a.ends_with("}\n"));
        assert!(!a.contains('\r'));
    }
}

#[test]
fn identifiers_follow_the_content() {
    let s = subject(true);
    let packages = inventory();
    let fewer = &packages[1..];
    let bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
    let serial = bom["serialNumber"].as_str().unwrap_or_default().to_owned();
    // RFC 4122 variant, version 8 (hash-derived), lowercase as the schema's pattern wants.
    let uuid = serial.strip_prefix("urn:uuid:").unwrap_or_default();
    assert_eq!(uuid.len(), 36, "{serial}");
    assert_eq!(uuid.as_bytes().get(14), Some(&b'8'), "{serial}");
    assert!(matches!(uuid.as_bytes().get(19), Some(b'8' | b'9' | b'a' | b'b')), "{serial}");
    let other = parse(&sbom::cyclonedx(&input(&s, fewer)));
    assert_ne!(other["serialNumber"], bom["serialNumber"]);

    let doc = parse(&sbom::spdx(&input(&s, &packages)));
    let ns = doc["documentNamespace"].as_str().unwrap_or_default();
    assert!(ns.starts_with("https://caulk.dev/spdx/ghcr.io-acme-app-1.4-"), "{ns}");
    let other = parse(&sbom::spdx(&input(&s, fewer)));
    assert_ne!(other["documentNamespace"], doc["documentNamespace"]);
}

#[test]
fn bom_refs_are_unique_even_for_a_shared_purl() {
    let s = subject(true);
    let packages = inventory();
    let bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
    let comps = array(&bom, "components");
    assert_eq!(comps.len(), packages.len() + 1, "one OS component and one per package");
    let mut refs: Vec<&str> = comps.iter().filter_map(|c| c["bom-ref"].as_str()).collect();
    assert_eq!(refs.len(), comps.len(), "every component has a bom-ref");
    refs.push(bom["metadata"]["component"]["bom-ref"].as_str().unwrap_or_default());
    let unique: BTreeSet<&str> = refs.iter().copied().collect();
    assert_eq!(unique.len(), refs.len(), "{refs:#?}");

    let lodash = components(&bom, "lodash");
    assert_eq!(lodash.len(), 2);
    for c in &lodash {
        assert_eq!(c["purl"], "pkg:npm/lodash@4.17.21", "the purl itself stays the package's");
        assert!(c["bom-ref"].as_str().is_some_and(|r| r.starts_with("pkg:npm/lodash@4.17.21?package-id=")), "{c}");
    }
    // The others keep their purl as their reference.
    assert_eq!(components(&bom, "serde")[0]["bom-ref"], "pkg:cargo/serde@1.0.200");

    // The container depends on every component, by reference.
    let deps = array(&bom, "dependencies");
    assert_eq!(deps.len(), 1);
    assert_eq!(deps[0]["ref"], bom["metadata"]["component"]["bom-ref"]);
    let on: BTreeSet<&str> = array(&deps[0], "dependsOn").iter().filter_map(Value::as_str).collect();
    let component_refs: BTreeSet<&str> = comps.iter().filter_map(|c| c["bom-ref"].as_str()).collect();
    assert_eq!(on, component_refs);
}

#[test]
fn spdx_ids_are_unique_and_well_formed() {
    let s = subject(true);
    let packages = inventory();
    let doc = parse(&sbom::spdx(&input(&s, &packages)));
    let pkgs = array(&doc, "packages");
    assert_eq!(pkgs.len(), packages.len() + 2, "the image, the OS and one per package");
    let ids: Vec<&str> = pkgs.iter().filter_map(|p| p["SPDXID"].as_str()).collect();
    assert_eq!(ids.len(), pkgs.len());
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:#?}");
    for id in &ids {
        let rest = id.strip_prefix("SPDXRef-").unwrap_or_else(|| panic!("{id}"));
        assert!(!rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')), "{id}");
    }
    assert_eq!(spdx_packages(&doc, "lodash").len(), 2);

    // DOCUMENT DESCRIBES the image; the image CONTAINS the OS and every package.
    let rels = array(&doc, "relationships");
    let image = pkgs.iter().find(|p| p["primaryPackagePurpose"] == "CONTAINER").unwrap_or_else(|| panic!("no image"));
    assert_eq!(image["name"], "ghcr.io/acme/app:1.4");
    assert_eq!(image["versionInfo"], DIGEST);
    assert_eq!(image["checksums"][0]["checksumValue"], DIGEST.trim_start_matches("sha256:"));
    let describes: Vec<&Value> = rels.iter().filter(|r| r["relationshipType"] == "DESCRIBES").collect();
    assert_eq!(describes.len(), 1);
    assert_eq!(describes[0]["spdxElementId"], "SPDXRef-DOCUMENT");
    assert_eq!(describes[0]["relatedSpdxElement"], image["SPDXID"]);
    let contained: BTreeSet<&str> = rels
        .iter()
        .filter(|r| r["relationshipType"] == "CONTAINS" && r["spdxElementId"] == image["SPDXID"])
        .filter_map(|r| r["relatedSpdxElement"].as_str())
        .collect();
    let others: BTreeSet<&str> = ids.iter().copied().filter(|id| Some(*id) != image["SPDXID"].as_str()).collect();
    assert_eq!(contained, others);
    let every_id: BTreeSet<&str> = unique.iter().copied().chain(["SPDXRef-DOCUMENT"]).collect();
    for r in rels {
        for end in ["spdxElementId", "relatedSpdxElement"] {
            assert!(r[end].as_str().is_some_and(|id| every_id.contains(id)), "dangling {r}");
        }
    }
}

#[test]
fn every_package_carries_its_purl() {
    let s = subject(false);
    let packages = inventory();
    let bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
    let doc = parse(&sbom::spdx(&input(&s, &packages)));
    let cdx: BTreeSet<&str> = array(&bom, "components").iter().filter_map(|c| c["purl"].as_str()).collect();
    let spdx: BTreeSet<&str> = array(&doc, "packages")
        .iter()
        .flat_map(|p| array(p, "externalRefs"))
        .filter(|r| r["referenceCategory"] == "PACKAGE-MANAGER" && r["referenceType"] == "purl")
        .filter_map(|r| r["referenceLocator"].as_str())
        .collect();
    for p in &packages {
        let purl = p.purl();
        assert!(cdx.contains(purl.as_str()), "CycloneDX lacks {purl}");
        assert!(spdx.contains(purl.as_str()), "SPDX lacks {purl}");
    }
    assert!(cdx.contains("pkg:rpm/almalinux/openssl-libs@1%3A3.0.7-27.el9?arch=x86_64&distro=almalinux-9.4&upstream=openssl%403.0.7-27.el9"));
    assert!(cdx.contains("pkg:npm/%40babel/core@7.24.0"));
}

#[test]
fn os_component_is_there_exactly_when_the_os_is_known() {
    let packages = inventory();
    for os in [true, false] {
        let s = subject(os);
        let bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
        let oses: Vec<&Value> = array(&bom, "components").iter().filter(|c| c["type"] == "operating-system").collect();
        let doc = parse(&sbom::spdx(&input(&s, &packages)));
        let spdx_oses: Vec<&Value> =
            array(&doc, "packages").iter().filter(|p| p["primaryPackagePurpose"] == "OPERATING_SYSTEM").collect();
        if os {
            assert_eq!(oses.len(), 1);
            assert_eq!(oses[0]["name"], "debian");
            assert_eq!(oses[0]["version"], "12");
            assert_eq!(oses[0]["description"], "Debian GNU/Linux 12 (bookworm)");
            assert_eq!(spdx_oses.len(), 1);
            assert_eq!(spdx_oses[0]["name"], "debian");
            assert_eq!(spdx_oses[0]["versionInfo"], "12");
        } else {
            assert!(oses.is_empty());
            assert!(spdx_oses.is_empty());
        }
    }
}

#[test]
fn licences_map_to_ids_expressions_or_names() {
    let s = subject(true);
    let packages = inventory();
    let bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
    let doc = parse(&sbom::spdx(&input(&s, &packages)));
    let cdx = |name: &str| components(&bom, name).first().map(|c| c["licenses"].clone()).unwrap_or_default();
    let declared = |name: &str| {
        let p = spdx_packages(&doc, name).first().copied().cloned().unwrap_or_default();
        (p["licenseDeclared"].clone(), p["licenseComments"].clone())
    };

    // A valid expression.
    assert_eq!(cdx("serde"), serde_json::json!([{ "expression": "MIT OR Apache-2.0" }]));
    assert_eq!(declared("serde").0, "MIT OR Apache-2.0");
    // A deprecated `+` form becomes the current identifier.
    assert_eq!(cdx("libc6"), serde_json::json!([{ "license": { "id": "GPL-2.0-or-later" } }]));
    assert_eq!(declared("libc6").0, "GPL-2.0-or-later");
    // Not SPDX (the empty string is dropped): a name, and no guess in SPDX.
    assert_eq!(cdx("libbsd0"), serde_json::json!([{ "license": { "name": "BSD" } }]));
    assert_eq!(declared("libbsd0"), ("NOASSERTION".into(), "declared as: BSD".into()));
    assert_eq!(cdx("openssl-libs"), serde_json::json!([{ "license": { "name": "ASL 2.0" } }]));
    // An identifier next to a LicenseRef: CycloneDX takes both as one expression; SPDX would need
    // the referenced text, so it declares nothing and says why.
    assert_eq!(cdx("log4j-core"), serde_json::json!([{ "expression": "Apache-2.0 AND LicenseRef-log4j-notice" }]));
    assert_eq!(declared("org.apache.logging.log4j:log4j-core").0, "NOASSERTION");
    // No licence at all.
    assert!(cdx("github.com/sirupsen/logrus").is_null());
    assert_eq!(declared("github.com/sirupsen/logrus"), ("NOASSERTION".into(), Value::Null));
    for p in array(&doc, "packages") {
        assert_eq!(p["licenseConcluded"], "NOASSERTION");
        assert_eq!(p["downloadLocation"], "NOASSERTION");
        assert_eq!(p["filesAnalyzed"], false);
    }
}

#[test]
fn maven_group_properties_and_source_info() {
    let s = subject(true);
    let packages = inventory();
    let bom = parse(&sbom::cyclonedx(&input(&s, &packages)));
    let log4j = components(&bom, "log4j-core");
    assert_eq!(log4j.len(), 1);
    assert_eq!(log4j[0]["group"], "org.apache.logging.log4j");
    assert_eq!(log4j[0]["version"], "2.14.1");

    let props = |c: &Value| -> Vec<(String, String)> {
        array(c, "properties")
            .iter()
            .map(|p| {
                (p["name"].as_str().unwrap_or_default().to_owned(), p["value"].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    };
    let bash = components(&bom, "bash");
    let expected: Vec<(String, String)> = [
        ("caulk:package:type", "deb"),
        ("caulk:evidence:path", "/var/lib/dpkg/status"),
        ("caulk:evidence:layer", "0"),
        ("caulk:evidence:analyzer", "dpkg"),
        ("caulk:source:name", "bash"),
        ("caulk:source:version", "5.2.15-2"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(props(bash[0]), expected);
    // Root filesystems have no layer; packages without a source package have no source properties.
    let serde = props(components(&bom, "serde")[0]);
    assert!(serde.iter().all(|(k, _)| k != "caulk:evidence:layer" && !k.starts_with("caulk:source:")), "{serde:?}");

    let meta = &bom["metadata"];
    assert_eq!(meta["timestamp"], CREATED);
    assert_eq!(meta["tools"]["components"][0]["name"], "caulk");
    assert_eq!(meta["tools"]["components"][0]["version"], "0.1.0");
    assert_eq!(meta["component"]["type"], "container");
    assert_eq!(meta["component"]["version"], DIGEST);

    let doc = parse(&sbom::spdx(&input(&s, &packages)));
    assert_eq!(doc["creationInfo"]["creators"][0], "Tool: caulk-0.1.0");
    assert_eq!(doc["creationInfo"]["created"], CREATED);
    let info = |name: &str| spdx_packages(&doc, name).first().map(|p| p["sourceInfo"].clone()).unwrap_or_default();
    assert_eq!(
        info("bash"),
        "found by caulk's dpkg analyzer at /var/lib/dpkg/status (layer 0); built from source package bash 5.2.15-2"
    );
    assert_eq!(info("serde"), "found by caulk's cargo-auditable analyzer at /usr/local/bin/tool");
}

#[test]
fn small_image_snapshots() {
    let s = subject(true);
    let packages = vec![
        with_licenses(
            with_source(os_pkg(PackageType::Deb, "libc6", "2.36-9+deb12u4", ("debian", "12"), "amd64"), "glibc", None),
            &["GPL-2.0+", "LGPL-2.1"],
        ),
        with_licenses(
            pkg(PackageType::Npm, "@babel/core", "7.24.0", "/app/node_modules/@babel/core/package.json", "npm"),
            &["MIT"],
        ),
    ];
    insta::assert_snapshot!("cyclonedx_small", sbom::cyclonedx(&input(&s, &packages)));
    insta::assert_snapshot!("spdx_small", sbom::spdx(&input(&s, &packages)));
}
