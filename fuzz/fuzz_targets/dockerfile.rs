//! Fuzzes the Dockerfile parser, the semantic model (shell included) and every rule.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let parsed = caulk_syntax::dockerfile::parse(text);
        let _ = caulk_syntax::dockerfile::Model::new(&parsed.ast, None);
        let _ = caulk_lint::check_dockerfile(text, &caulk_lint::LintSettings::default());
    }
});
