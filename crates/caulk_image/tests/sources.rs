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

#[test]
fn oci_layout_directory_and_its_tar_read_the_same() {
    let Some(dir) = common::images() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let tarball = dir.join("busybox-1.38.0-musl.oci-layout.tar");
    tar::Archive::new(std::fs::File::open(&tarball).unwrap()).unpack(tmp.path()).unwrap();
    let from_dir = read_image(tmp.path().to_str().unwrap(), &ReadOptions::default()).unwrap();
    let from_tar = read_image(&format!("oci-archive:{}", tarball.display()), &ReadOptions::default()).unwrap();
    assert_eq!(from_dir.source_kind, "oci-layout");
    assert_eq!(from_tar.source_kind, "oci-archive");
    assert_eq!(from_dir.manifest_digest, from_tar.manifest_digest);
    assert_eq!(from_dir.fs.len(), from_tar.fs.len());
    assert!(from_dir.fs.len() > 300, "busybox has its applets: {}", from_dir.fs.len());
    assert!(from_dir.os.is_none(), "busybox has no os-release");
    assert!(from_dir.fs.resolve("/bin/sh").is_some());
}

#[test]
fn zstd_layers_are_read() {
    let Some(dir) = common::images() else { return };
    // Recompress the Alpine 3.10 layer with zstd inside a new docker-save archive.
    let src = dir.join("trivy-alpine-310.docker-save.tar.gz");
    let mut outer = tar::Archive::new(flate2::read::GzDecoder::new(std::fs::File::open(&src).unwrap()));
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("zstd.tar");
    let mut out = tar::Builder::new(std::fs::File::create(&path).unwrap());
    for entry in outer.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().into_owned();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name.to_string_lossy().ends_with("layer.tar") {
            data = zstd::encode_all(&data[..], 3).unwrap();
        }
        let mut h = entry.header().clone();
        h.set_size(data.len() as u64);
        h.set_cksum();
        out.append_data(&mut h, &name, &data[..]).unwrap();
    }
    out.finish().unwrap();
    drop(out);
    let img = read_image(path.to_str().unwrap(), &ReadOptions::default()).unwrap();
    assert_eq!(img.layers[0].compression, Some(caulk_image::layer::Compression::Zstd));
    assert_eq!(img.packages.len(), 14);
    assert!(img.issues.is_empty(), "{:?}", img.issues);
}

/// A docker-save archive whose second layer is a symlink to the first (docker save writes this
/// when an image lists the same layer twice), plain and gzip-streamed.
#[test]
fn a_layer_listed_twice_through_a_member_link() {
    let mut layer = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(3);
    h.set_mode(0o644);
    h.set_cksum();
    layer.append_data(&mut h, "etc/marker", &b"one"[..]).unwrap();
    let layer = layer.into_inner().unwrap();
    let mut outer = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        outer.append_data(&mut h, name, data).unwrap();
    };
    add(
        "config.json",
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:1","sha256:1"]}}"#,
    );
    add("a/layer.tar", &layer);
    add("manifest.json", br#"[{"Config":"config.json","RepoTags":["x:1"],"Layers":["a/layer.tar","b/layer.tar"]}]"#);
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    link.set_cksum();
    outer.append_link(&mut link, "b/layer.tar", "../a/layer.tar").unwrap();
    let bytes = outer.into_inner().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("twice.tar");
    std::fs::write(&plain, &bytes).unwrap();
    let gz = tmp.path().join("twice.tar.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, &bytes).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    for path in [plain, gz] {
        let img = read_image(path.to_str().unwrap(), &ReadOptions::default()).unwrap();
        assert_eq!(img.layers.len(), 2, "{}", path.display());
        assert_eq!(img.layers[1].entries, 1);
        assert_eq!(img.fs.lstat("/etc/marker").map(|n| n.layer), Some(1));
        assert_eq!(img.size.wasted, 3, "the second copy hides the first");
        assert!(img.issues.is_empty(), "{:?}", img.issues);
    }
}
