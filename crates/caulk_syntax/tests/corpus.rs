//! Every Dockerfile of the shared corpus parses without panicking, and at least 99.5% parse
//! with no error; the files with errors are printed with their positions.

use std::path::PathBuf;

use caulk_syntax::dockerfile;

fn corpus_dir(kind: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(kind);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "shared corpus missing at {} (required in CI)",
        dir.display()
    );
    #[allow(clippy::print_stderr)]
    {
        eprintln!("skipping: shared corpus not found at {}", dir.display());
    }
    None
}

#[test]
#[allow(clippy::print_stderr)]
fn dockerfile_corpus_parses() {
    let Some(dir) = corpus_dir("dockerfiles") else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    assert!(files.len() > 1000, "corpus looks incomplete: {} files", files.len());
    let mut with_errors = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let parsed = dockerfile::parse(&text);
        let model = dockerfile::Model::new(&parsed.ast, None);
        assert!(model.stages.len() <= parsed.ast.instructions.len());
        if let Some(e) = parsed.errors.first() {
            let line = text.get(..e.range.start as usize).map_or(0, |p| p.matches('\n').count() + 1);
            with_errors.push(format!(
                "{}:{line}: {} ({} errors)",
                path.file_name().unwrap_or_default().to_string_lossy(),
                e.message,
                parsed.errors.len()
            ));
        }
    }
    eprintln!("{} of {} Dockerfiles have parse errors:", with_errors.len(), files.len());
    for line in &with_errors {
        eprintln!("  {line}");
    }
    // at least 99.5% clean: errors * 1000 <= files * 5
    assert!(
        with_errors.len() * 1000 <= files.len() * 5,
        "{} of {} files have parse errors",
        with_errors.len(),
        files.len()
    );
}
