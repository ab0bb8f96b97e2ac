//! Shared by the corpus tests: where `../shared/corpus` is, and the CI/skip policy for it.

use std::path::PathBuf;

/// `../shared/corpus/<kind>`, sorted file list. Missing corpus: a failure in CI (`CI=true`),
/// elsewhere a skip with a printed reason (`None`).
pub(crate) fn corpus_files(kind: &str) -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(kind);
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "shared corpus missing at {} (required in CI)",
            dir.display()
        );
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipping: shared corpus not found at {}", dir.display());
        }
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    Some(files)
}
