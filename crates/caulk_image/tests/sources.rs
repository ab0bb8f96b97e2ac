//! Reading the shared real images from every local source kind.

mod common;

use caulk_core::PackageType;
use caulk_image::{ReadOptions, read_image};

#[test]
fn docker_save_gzip_alpine_310() {
    let Some(dir) = common::images() else { return };
    let img =
        read_image(dir.join("trivy-alpine-310.docker-save.tar.gz").to_str().unwrap(), &ReadOptions::default()).unwrap();
    let os = img.os.as_ref().expect("os-release");
    assert_eq!((os.id.as_str(), os.version_id.as_str()), ("alpine", "3.10.4"));
    let apk: Vec<_> = img.packages.iter().filter(|p| p.kind == PackageType::Apk).collect();
    assert_eq!(apk.len(), 14, "{apk:#?}");
    let musl = apk.iter().find(|p| p.name == "musl").unwrap();
    assert_eq!(musl.evidence.path, "/lib/apk/db/installed");
    assert_eq!(musl.evidence.layer, Some(0));
    assert!(musl.purl().starts_with("pkg:apk/alpine/musl@"), "{}", musl.purl());
    assert_eq!(img.layers.len(), 1);
    assert!(img.issues.is_empty(), "{:?}", img.issues);
}

#[test]
fn oci_archive_alpine_319() {
    let Some(dir) = common::images() else { return };
    let arg = format!("oci-archive:{}", dir.join("alpine-3.19.4-umoci.oci-archive.tar").display());
    let img = read_image(&arg, &ReadOptions::default()).unwrap();
    assert_eq!(img.os.as_ref().map(|o| o.version_id.as_str()), Some("3.19.4"));
    assert!(img.packages.iter().any(|p| p.name == "busybox" && p.source_name.as_deref() == Some("busybox")));
    assert!(img.manifest_digest.as_deref().is_some_and(|d| d.starts_with("sha256:")));
}

#[test]
fn debian_pkgdb_has_source_packages() {
    let Some(dir) = common::images() else { return };
    let img = read_image(
        dir.join("debian-pkgdb/debian-12-bookworm-pkgdb.docker-archive.tar.gz").to_str().unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(img.os.as_ref().map(|o| (o.id.as_str(), o.version_id.as_str())), Some(("debian", "12")));
    let debs: Vec<_> = img.packages.iter().filter(|p| p.kind == PackageType::Deb).collect();
    assert_eq!(debs.len(), 88);
    let libc = debs.iter().find(|p| p.name == "libc6").unwrap();
    assert_eq!(libc.source_name.as_deref(), Some("glibc"));
}
