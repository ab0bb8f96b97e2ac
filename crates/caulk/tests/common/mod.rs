//! Shared by the binary's end-to-end tests: where the workspace and `../shared` are.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` beside the checkout; a failure in CI (`CI=true`) when missing, elsewhere a skip
/// with a printed reason (`None`).
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
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
