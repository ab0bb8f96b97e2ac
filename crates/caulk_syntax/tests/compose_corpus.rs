//! Every compose file of the shared corpus loads without panicking, and at least 97% load with
//! no error; the files with errors are printed with their positions. Also: arbitrary input never
//! panics the compose loader.

mod common;

use std::collections::BTreeMap;

use caulk_syntax::compose;
use proptest::prelude::*;

#[test]
#[allow(clippy::print_stderr)]
fn compose_corpus_loads() {
    let Some(files) = common::corpus_files("compose") else { return };
    assert!(files.len() > 500, "corpus looks incomplete: {} files", files.len());
    let mut with_errors = Vec::new();
    let mut services = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let project = compose::parse_str(&text, &BTreeMap::new());
        services += project.services.len();
        for s in &project.services {
            assert!(s.node.range.end as usize <= text.len() || s.node.file != 0);
        }
        // required variables (`${X:?}`) are unset here by design; count only structural errors
        let errors: Vec<_> = project.errors.iter().filter(|e| e.kind == compose::LoadErrorKind::Invalid).collect();
        if let Some(e) = errors.first() {
            let line = text.get(..e.range.start as usize).map_or(0, |p| p.matches('\n').count() + 1);
            with_errors.push(format!(
                "{}:{line}: {} ({} errors)",
                path.file_name().unwrap_or_default().to_string_lossy(),
                e.message,
                errors.len()
            ));
        }
    }
    eprintln!("{} of {} compose files ({services} services) have load errors:", with_errors.len(), files.len());
    for line in &with_errors {
        eprintln!("  {line}");
    }
    assert!(with_errors.len() * 100 <= files.len() * 3, "{} of {} files have errors", with_errors.len(), files.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = compose::parse_str(&text, &BTreeMap::new());
    }

    #[test]
    fn yaml_shaped_text_never_panics(
        text in "(services:\n|  [a-z]{1,4}:\n|    [a-z_<]{1,6}: [^\n]{0,12}\n|    - [^\n]{0,10}\n|&a |\\*a|\\$\\{[A-Z:?-]{0,5}\\}|[{}\\[\\],:\"'!]|\n){0,40}"
    ) {
        let _ = compose::parse_str(&text, &BTreeMap::new());
    }
}
