//! Helpers shared by caulk_image's integration tests.
#![allow(dead_code, unreachable_pub, clippy::print_stderr)]

use std::path::PathBuf;

/// `../shared/data/images`, or `None` (with a note) outside CI when the shared data is absent.
pub fn images() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/images");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "../shared is required in CI");
    eprintln!("skipping: ../shared/data/images not found");
    None
}
