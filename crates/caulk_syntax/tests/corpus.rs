//! Every Dockerfile of the shared corpus parses without panicking, and at least 99.5% parse
//! with no error; the files with errors are printed with their positions.

mod common;

use caulk_syntax::dockerfile;

#[test]
#[allow(clippy::print_stderr)]
fn dockerfile_corpus_parses() {
    let Some(files) = common::corpus_files("dockerfiles") else { return };
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
