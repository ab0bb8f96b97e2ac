//! Hostile archives: every trick becomes an issue on the image, memory stays bounded and the
//! rest of the image is still read.

use std::io::Write;
use std::path::Path;

use caulk_image::{ImageIssue, IssueKind, Limits, ReadOptions, read_image};

/// One raw tar header + data, written by hand so that paths the `tar` crate refuses to build
/// (`..`, absolute, huge) can be tested.
fn raw_entry(out: &mut Vec<u8>, name: &[u8], kind: u8, data: &[u8], link: &[u8], declared: Option<u64>) {
    raw_entry_mode(out, name, kind, data, link, declared, 0o644);
}

fn raw_entry_mode(
    out: &mut Vec<u8>,
    name: &[u8],
    kind: u8,
    data: &[u8],
    link: &[u8],
    declared: Option<u64>,
    mode: u64,
) {
    let mut h = [0u8; 512];
    let n = name.len().min(100);
    h[..n].copy_from_slice(&name[..n]);
    let field = |h: &mut [u8; 512], at: usize, len: usize, v: u64| {
        let s = format!("{v:0width$o}", width = len - 1);
        h[at..at + len - 1].copy_from_slice(s.as_bytes());
    };
    field(&mut h, 100, 8, mode);
    field(&mut h, 108, 8, 0);
    field(&mut h, 116, 8, 0);
    field(&mut h, 124, 12, declared.unwrap_or(data.len() as u64));
    field(&mut h, 136, 12, 0);
    h[156] = kind;
    let l = link.len().min(100);
    h[157..157 + l].copy_from_slice(&link[..l]);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn file(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    raw_entry(out, name.as_bytes(), b'0', data, b"", None);
}

fn finish(mut layer: Vec<u8>) -> Vec<u8> {
    layer.extend_from_slice(&[0u8; 1024]);
    layer
}

/// Writes a docker-save archive with the given layer blobs and returns its path.
fn archive(dir: &Path, layers: &[Vec<u8>]) -> String {
    let path = dir.join("image.tar");
    let mut b = tar::Builder::new(std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}")));
    let names: Vec<String> = (0..layers.len()).map(|i| format!("l{i}/layer.tar")).collect();
    let diff_ids: Vec<String> = (0..layers.len()).map(|i| format!("\"sha256:{i:064x}\"")).collect();
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{}},"rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
        diff_ids.join(",")
    );
    let manifest = format!(
        r#"[{{"Config":"config.json","RepoTags":["hostile:1"],"Layers":[{}]}}]"#,
        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(",")
    );
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, data).unwrap_or_else(|e| panic!("{e}"));
    };
    add("config.json", config.as_bytes());
    for (name, data) in names.iter().zip(layers) {
        add(name, data);
    }
    add("manifest.json", manifest.as_bytes());
    b.finish().unwrap_or_else(|e| panic!("{e}"));
    path.display().to_string()
}

fn kinds(issues: &[ImageIssue]) -> Vec<IssueKind> {
    issues.iter().map(|i| i.kind).collect()
}

#[test]
fn escaping_paths_and_links_are_issues_and_never_leave_the_root() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l = Vec::new();
    file(&mut l, "etc/os-release", b"ID=alpine\nVERSION_ID=3.19.4\n");
    file(&mut l, "../../../../tmp/caulk-escape", b"pwned");
    file(&mut l, "/etc/absolute", b"abs");
    raw_entry(&mut l, b"etc/hard", b'1', b"", b"../../etc/passwd", None);
    raw_entry(&mut l, b"a/evil", b'2', b"", b"../../../../etc/os-release", None);
    raw_entry(&mut l, b"dev/sda", b'4', b"", b"", None);
    file(&mut l, "etc/dup", b"one");
    file(&mut l, "etc/dup", b"four");
    let img = read_image(&archive(dir.path(), &[finish(l)]), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let k = kinds(&img.issues);
    for want in [IssueKind::PathEscape, IssueKind::LinkEscape, IssueKind::DeviceFile, IssueKind::DuplicateEntry] {
        assert!(k.contains(&want), "{want:?} missing from {:#?}", img.issues);
    }
    assert!(img.fs.lstat("/tmp/caulk-escape").is_none());
    assert!(!Path::new("/tmp/caulk-escape").exists());
    assert!(img.fs.lstat("/etc/absolute").is_some(), "absolute paths apply inside the root");
    assert!(img.fs.lstat("/etc/hard").is_none(), "a hard link out of the root is dropped");
    // The escaping symlink resolves inside the image, as the kernel would inside the container.
    assert_eq!(img.fs.resolve("/a/evil").map(|(p, _)| p), Some("/etc/os-release".to_owned()));
    assert_eq!(img.fs.lstat("/etc/dup").map(|n| n.size), Some(4), "the later duplicate wins");
    assert_eq!(img.os.as_ref().map(|o| o.version_id.as_str()), Some("3.19.4"), "the rest of the layer is read");
}

#[test]
fn decompression_bombs_stop_at_the_limit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l = Vec::new();
    file(&mut l, "etc/os-release", b"ID=debian\nVERSION_ID=12\n");
    file(&mut l, "bomb", &vec![0u8; 48 << 20]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&finish(l)).unwrap_or_else(|e| panic!("{e}"));
    let blob = gz.finish().unwrap_or_else(|e| panic!("{e}"));
    let limits = Limits { ratio: 100, ratio_floor: 1 << 20, ..Limits::default() };
    let img = read_image(&archive(dir.path(), &[blob]), &ReadOptions { limits, ..ReadOptions::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let limit = img.issues.iter().find(|i| i.kind == IssueKind::Limit).unwrap_or_else(|| panic!("{:#?}", img.issues));
    assert!(limit.message.contains("decompression bomb"), "{limit}");
    assert!(img.layers[0].size < 8 << 20, "stopped early: {} bytes read", img.layers[0].size);
    assert!(img.fs.lstat("/etc/os-release").is_some(), "entries before the bomb are kept");
}

#[test]
fn gigantic_headers_and_paths_are_bounded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l = Vec::new();
    file(&mut l, "etc/os-release", b"ID=debian\nVERSION_ID=12\n");
    // A PAX path of 8 KiB (over the 4 KiB path limit): the entry is skipped.
    let long = format!("{}/x", "d".repeat(8000));
    let record = format!("{} path={long}\n", long.len() + 6 + 5);
    raw_entry(&mut l, b"././@PaxHeader", b'x', record.as_bytes(), b"", None);
    file(&mut l, "placeholder", b"data");
    // A GNU long name declaring 1 GiB, with no data behind it: refused before any allocation.
    raw_entry(&mut l, b"././@LongLink", b'L', b"", b"", Some(1 << 30));
    let img = read_image(&archive(dir.path(), &[finish(l)]), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let limits: Vec<&ImageIssue> = img.issues.iter().filter(|i| i.kind == IssueKind::Limit).collect();
    assert!(limits.iter().any(|i| i.message.contains("longer than")), "{:#?}", img.issues);
    assert!(limits.iter().any(|i| i.message.contains("extension header")), "{:#?}", img.issues);
    assert!(img.layers[0].size < 1 << 20);
    assert!(img.fs.lstat("/etc/os-release").is_some());
}

#[test]
fn truncated_layers_are_corrupt_but_keep_what_was_read() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l = Vec::new();
    file(&mut l, "etc/os-release", b"ID=debian\nVERSION_ID=12\n");
    file(&mut l, "big", &[7u8; 4096]);
    l.truncate(512 + 512 + 512 + 100);
    let img = read_image(&archive(dir.path(), &[l]), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(kinds(&img.issues).contains(&IssueKind::Corrupt), "{:#?}", img.issues);
    assert_eq!(img.os.as_ref().map(|o| o.id.as_str()), Some("debian"));
}

#[test]
fn entry_count_limit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l = Vec::new();
    for i in 0..50 {
        file(&mut l, &format!("f{i}"), b"x");
    }
    let limits = Limits { layer_entries: 10, ..Limits::default() };
    let img = read_image(&archive(dir.path(), &[finish(l)]), &ReadOptions { limits, ..ReadOptions::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(img.issues.iter().any(|i| i.kind == IssueKind::Limit && i.message.contains("entries")));
    assert_eq!(img.fs.len(), 10);
}

#[test]
fn binaries_too_large_for_the_analyzers_are_reported_not_skipped_silently() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l = Vec::new();
    let mut elf = b"\x7fELF".to_vec();
    elf.resize(4096, 0);
    raw_entry_mode(&mut l, b"usr/local/bin/big", b'0', &elf, b"", None, 0o755);
    // a large file no analyzer reads stays unmentioned
    raw_entry_mode(&mut l, b"srv/data.bin", b'0', &[0u8; 4096], b"", None, 0o644);
    let limits = Limits { capture_file: 1024, ..Limits::default() };
    let img = read_image(&archive(dir.path(), &[finish(l)]), &ReadOptions { limits, ..ReadOptions::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let limited: Vec<&ImageIssue> = img.issues.iter().filter(|i| i.kind == IssueKind::Limit).collect();
    assert_eq!(limited.len(), 1, "{limited:#?}");
    assert_eq!(limited[0].path.as_deref(), Some("/usr/local/bin/big"), "{limited:#?}");
    assert!(limited[0].message.contains("too large to analyze"));
}

#[test]
fn whiteouts_across_layers_and_wasted_bytes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut l0 = Vec::new();
    file(&mut l0, "app/secret.key", &[1u8; 1000]);
    file(&mut l0, "app/data/a", &[2u8; 500]);
    let mut l1 = Vec::new();
    file(&mut l1, "app/.wh.secret.key", b"");
    file(&mut l1, "app/data/.wh..wh..opq", b"");
    file(&mut l1, "app/data/b", &[3u8; 10]);
    let img = read_image(&archive(dir.path(), &[finish(l0), finish(l1)]), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(img.fs.lstat("/app/secret.key").is_none());
    assert!(img.fs.lstat("/app/data/a").is_none());
    assert_eq!(img.fs.lstat("/app/data/b").map(|n| n.layer), Some(1));
    assert_eq!(img.size.wasted, 1500);
    assert_eq!(img.size.visible, 10);
    assert!(img.issues.is_empty(), "{:#?}", img.issues);
}
