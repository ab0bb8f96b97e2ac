//! Every nginx configuration of the shared corpus parses without panicking, and at least 98%
//! parse with no error; the files with errors are printed with their positions. Arbitrary
//! input never panics the parser.

mod common;

use caulk_syntax::nginx;
use proptest::prelude::*;

#[test]
#[allow(clippy::print_stderr)]
fn nginx_corpus_parses() {
    let Some(files) = common::corpus_files("nginx") else { return };
    assert!(files.len() > 300, "corpus looks incomplete: {} files", files.len());
    let mut with_errors = Vec::new();
    let mut directives = 0usize;
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let parsed = nginx::parse(&text);
        directives += parsed.ast.directives.len();
        for e in &parsed.errors {
            assert!(e.range.end as usize <= text.len());
        }
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
    eprintln!(
        "{} of {} nginx files have parse errors ({directives} top-level directives):",
        with_errors.len(),
        files.len()
    );
    for line in &with_errors {
        eprintln!("  {line}");
    }
    assert!(
        with_errors.len() * 100 <= files.len() * 2,
        "{} of {} files have parse errors",
        with_errors.len(),
        files.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let p = nginx::parse(&text);
        for e in &p.errors {
            prop_assert!(e.range.end as usize <= text.len());
        }
    }

    #[test]
    fn config_like_text_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("server"), Just("{"), Just("}"), Just(";"), Just("\""), Just("'"), Just("\\"),
                Just("$"), Just("${"), Just("#"), Just("\n"), Just(" "), Just("location"), Just("~*"),
                Just("add_header"), Just("_by_lua_block"), Just("--"), Just("é"),
            ],
            0..80,
        )
    ) {
        let text = parts.concat();
        let p = nginx::parse(&text);
        for e in &p.errors {
            prop_assert!(e.range.end as usize <= text.len());
            prop_assert!(text.get(e.range.start as usize..e.range.end as usize).is_some());
        }
    }
}
