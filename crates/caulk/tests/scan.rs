//! End-to-end tests of `caulk scan` and `caulk sbom` on the shared real images: report formats
//! against their schemas, SBOMs against the official schemas, exit codes and determinism.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{root, shared};
use serde_json::Value;

fn caulk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(root())
        .env("CAULK_TODAY", "2026-11-22")
        .env("SOURCE_DATE_EPOCH", "1790000000")
        // an empty cache: no advisory store, so these reports never depend on the developer's data
        .env("CAULK_CACHE_DIR", root().join("target/caulk-test-empty-cache"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("invalid JSON ({e}): {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

fn image(shared: &Path, name: &str) -> String {
    shared.join("data/images").join(name).display().to_string()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(schema: &Value, doc: &Value, registry: Option<&jsonschema::Registry>) -> Vec<String> {
    let mut opts = jsonschema::options();
    opts = opts.offline();
    if let Some(r) = registry {
        opts = opts.with_registry(r);
    }
    let validator = opts.build(schema).unwrap_or_else(|e| panic!("schema: {e}"));
    validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

#[test]
fn scan_json_validates_and_reports_the_image() {
    let Some(shared) = shared() else { return };
    let alpine = image(&shared, "trivy-alpine-310.docker-save.tar.gz");
    let out = caulk(&["scan", "--format", "json", "--fail-on", "never", &alpine]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report = stdout_json(&out);
    let schema = read_json(&root().join("docs/json-output.schema.json"));
    let errs = errors(&schema, &report, None);
    assert!(errs.is_empty(), "{errs:#?}");
    let img = &report["images"][0];
    assert_eq!(img["source"], "docker-archive");
    assert_eq!(img["packages"]["apk"], 14);
    assert_eq!(img["tier"], "alpine");
    assert!(img["os"].as_str().is_some_and(|o| o.contains("Alpine")), "{}", img["os"]);
    // Alpine 3.10 ended in 2021: the OS end-of-life finding points at os-release in layer 0.
    let findings = img["findings"].as_array().cloned().unwrap_or_default();
    let eol = findings.iter().find(|f| f["message"].as_str().is_some_and(|m| m.contains("end of life")));
    let eol = eol.unwrap_or_else(|| panic!("no EOL finding in {findings:#?}"));
    assert_eq!(eol["severity"], "high");
    assert_eq!(eol["location"]["layer"], 0);
    // Root user: the alpine image has no USER.
    assert!(findings.iter().any(|f| f["severity"] == "high" && f["location"]["path"].is_null()), "{findings:#?}");
    // The default threshold (high) fails the run.
    assert_eq!(caulk(&["scan", "--format", "json", &alpine]).status.code(), Some(1));
}

#[test]
fn scan_text_names_image_layer_and_path() {
    let Some(shared) = shared() else { return };
    let alpine = image(&shared, "trivy-alpine-310.docker-save.tar.gz");
    let out = caulk(&["scan", "--color", "never", "--fail-on", "never", &alpine]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("image: "), "{text}");
    assert!(text.contains("packages  14 (14 apk)"), "{text}");
    assert!(
        text.contains(&format!("--> {alpine}:/etc/os-release")) || text.contains(&format!("--> {alpine}:/")),
        "{text}"
    );
    assert!(text.contains("layer 0"), "{text}");
    assert!(text.contains("in 1 image."), "{text}");
}

#[test]
fn scan_sarif_validates_against_the_official_schema() {
    let Some(shared) = shared() else { return };
    let schema = read_json(&shared.join("data/schemas/sarif-schema-2.1.0.json"));
    let out = caulk(&[
        "scan",
        "--format",
        "sarif",
        "--fail-on",
        "never",
        &image(&shared, "alpine-3.19.4-umoci.oci-archive.tar"),
    ]);
    let sarif = stdout_json(&out);
    let errs = errors(&schema, &sarif, None);
    assert!(errs.is_empty(), "{errs:#?}");
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["properties"]["image"].is_string()));
}

#[test]
fn unreadable_images_exit_2_and_the_others_are_still_reported() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bogus = dir.path().join("not-an-image.tar");
    std::fs::write(&bogus, b"this is not a tar archive at all, just text long enough to be read").unwrap_or_default();
    let out = caulk(&[
        "scan",
        "--format",
        "json",
        "--fail-on",
        "never",
        &bogus.display().to_string(),
        &image(&shared, "trivy-alpine-311.docker-save.tar.gz"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report = stdout_json(&out);
    assert_eq!(report["images"].as_array().map(Vec::len), Some(1));
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(1));
    assert!(report["errors"][0]["path"].as_str().is_some_and(|p| p.ends_with("not-an-image.tar")));
}

#[test]
fn scan_output_is_deterministic() {
    let Some(shared) = shared() else { return };
    let args = [
        "scan",
        "--format",
        "json",
        "--fail-on",
        "never",
        &image(&shared, "trivy-alpine-310.docker-save.tar.gz"),
        &image(&shared, "debian-pkgdb/debian-12-bookworm-pkgdb.docker-archive.tar.gz"),
    ];
    let a = caulk(&args).stdout;
    let b = caulk(&args).stdout;
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

fn cyclonedx_registry(shared: &Path) -> jsonschema::Registry<'static> {
    let dir = shared.join("data/schemas/cyclonedx-1.6");
    jsonschema::Registry::new()
        .extend([
            (
                "http://cyclonedx.org/schema/spdx.schema.json",
                jsonschema::Resource::from_contents(read_json(&dir.join("spdx.schema.json"))),
            ),
            (
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                jsonschema::Resource::from_contents(read_json(&dir.join("jsf-0.82.schema.json"))),
            ),
        ])
        .and_then(jsonschema::RegistryBuilder::prepare)
        .unwrap_or_else(|e| panic!("registry: {e}"))
}

#[test]
fn sbom_cyclonedx_and_spdx_validate_and_list_every_package() {
    let Some(shared) = shared() else { return };
    let debian = image(&shared, "debian-pkgdb/debian-12-bookworm-pkgdb.docker-archive.tar.gz");
    let cdx = stdout_json(&caulk(&["sbom", "--format", "cyclonedx", &debian]));
    let schema = read_json(&shared.join("data/schemas/cyclonedx-1.6/bom-1.6.schema.json"));
    let errs = errors(&schema, &cdx, Some(&cyclonedx_registry(&shared)));
    assert!(errs.is_empty(), "{errs:#?}");
    let purls: Vec<&str> =
        cdx["components"].as_array().into_iter().flatten().filter_map(|c| c["purl"].as_str()).collect();
    assert_eq!(purls.iter().filter(|p| p.starts_with("pkg:deb/debian/")).count(), 88, "{purls:#?}");
    assert!(purls.iter().any(|p| p.starts_with("pkg:deb/debian/libc6@") && p.contains("upstream=glibc")), "{purls:#?}");
    assert_eq!(cdx["metadata"]["timestamp"], "2026-09-21T14:13:20Z");

    let spdx = stdout_json(&caulk(&["sbom", "--format", "spdx", &debian]));
    let schema = read_json(&shared.join("data/schemas/spdx-2.3-schema.json"));
    let errs = errors(&schema, &spdx, None);
    assert!(errs.is_empty(), "{errs:#?}");
    let refs = spdx["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["externalRefs"].as_array().cloned().unwrap_or_default())
        .filter(|r| r["referenceType"] == "purl")
        .count();
    assert_eq!(refs, 88);
}

#[test]
fn sbom_of_a_missing_image_is_an_error() {
    let out = caulk(&["sbom", "/nonexistent/dir/image.tar"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("image.tar"));
}

#[test]
fn offline_refuses_registries_but_reads_local_images() {
    let out = caulk(&["scan", "--offline", "--format", "json", "registry.example:5000/team/app:1.0"]);
    assert_eq!(out.status.code(), Some(2));
    let report = stdout_json(&out);
    assert!(report["errors"][0]["message"].as_str().is_some_and(|m| m.contains("--offline")), "{report}");
    let Some(shared) = shared() else { return };
    let out =
        caulk(&["scan", "--offline", "--fail-on", "never", &image(&shared, "trivy-alpine-311.docker-save.tar.gz")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}
