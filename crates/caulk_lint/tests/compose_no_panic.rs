//! Arbitrary compose files (and YAML-shaped noise) never panic the compose checker, and every
//! finding stays inside the file it is reported in.

use caulk_lint::LintSettings;
use caulk_lint::compose::check_compose;
use proptest::prelude::*;

fn check(text: &str) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("compose.yaml");
    if std::fs::write(&path, text).is_err() {
        return;
    }
    for f in check_compose(&path, &LintSettings::default()) {
        for d in &f.diagnostics {
            assert!(d.range.end as usize <= f.text.len(), "{d:?} outside {}", f.path.display());
            assert!(d.range.start <= d.range.end);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn compose_shaped_text(
        text in "(services:\n|  [a-z]{1,3}:\n|    (image|user|ports|volumes|privileged|read_only|security_opt|cap_add|environment|tmpfs|build|extends|networks|deploy|restart|healthcheck|devices|logging): [^\n]{0,16}\n|      - [^\n]{0,14}\n|include: [^\n]{0,8}\n|<<: \\*a\n|&a |\\$\\{[A-Z:?-]{0,5}\\}|[{}\\[\\],:\"'!]|\n){0,40}"
    ) {
        check(&text);
    }
}

/// Every compose file of the shared corpus is checked without panicking, with findings inside
/// their files; the number of findings per rule is printed.
#[test]
#[allow(clippy::print_stderr)]
fn corpus_is_checked_without_panics() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/compose");
    if !dir.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "shared corpus missing at {}", dir.display());
        eprintln!("skipping: shared corpus not found at {}", dir.display());
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    let mut per_rule = std::collections::BTreeMap::<&str, usize>::new();
    for path in &files {
        for f in check_compose(path, &LintSettings::default()) {
            for d in &f.diagnostics {
                assert!(d.range.end as usize <= f.text.len(), "{} {d:?}", path.display());
                *per_rule.entry(d.rule.code).or_default() += 1;
            }
        }
    }
    eprintln!("{} compose files, findings per rule: {per_rule:?}", files.len());
}
