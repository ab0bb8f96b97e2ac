//! Fuzzes the compose loader: YAML with aliases and merge keys, interpolation, merging.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let env = std::collections::BTreeMap::new();
        let _ = caulk_syntax::compose::parse_str(text, &env);
    }
});
