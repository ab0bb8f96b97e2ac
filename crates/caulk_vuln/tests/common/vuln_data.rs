//! The real vulnerability feeds in `../shared/data/vuln` for the store tests: where they are
//! (with the CI/skip policy), and their archive members read independently of the importers.
#![allow(dead_code, clippy::print_stderr)]

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// `../shared/data/vuln`, or `None` (after printing why) outside CI when it is missing.
pub(crate) fn dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/vuln"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "vulnerability data missing at {} (required in CI)",
        dir.display()
    );
    eprintln!("skipping: vulnerability data not found at {}", dir.display());
    None
}

/// Every regular `.json` member of a `.tar.gz`, as (path, bytes), in archive order.
pub(crate) fn json_members(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut members = Vec::new();
    for entry in tar.entries().unwrap_or_else(|e| panic!("{}: {e}", archive.display())) {
        let mut entry = entry.unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
        let name = entry.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        if !entry.header().entry_type().is_file() || !name.ends_with(".json") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        members.push((name, bytes));
    }
    members
}

/// Parses a member as JSON.
pub(crate) fn parse(name: &str, bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}
