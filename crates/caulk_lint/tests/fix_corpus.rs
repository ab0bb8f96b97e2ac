//! Fixing real Dockerfiles with every fix, unsafe ones included, converges, adds no syntax
//! errors and is idempotent: a sample of the shared corpus (every fifth file).

use std::path::PathBuf;

use caulk_lint::{LintSettings, fixer};

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dockerfiles");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "shared corpus missing at {}", dir.display());
    #[allow(clippy::print_stderr)]
    {
        eprintln!("skipping: shared corpus not found at {}", dir.display());
    }
    None
}

#[test]
#[allow(clippy::print_stderr)]
fn fixes_converge_reparse_and_are_idempotent() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    let settings = LintSettings::default();
    let (mut checked, mut changed, mut applied) = (0, 0, 0);
    for path in files.iter().step_by(5) {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let fixed = fixer::fix_dockerfile(&text, &settings, true);
        let name = path.display();
        assert!(fixed.converged, "{name}: fixes do not converge");
        let before = caulk_syntax::dockerfile::parse(&text).errors.len();
        let after = caulk_syntax::dockerfile::parse(&fixed.text).errors.len();
        assert!(after <= before, "{name}: fixing added syntax errors:\n{}", fixed.text);
        let again = fixer::fix_dockerfile(&fixed.text, &settings, true);
        assert_eq!(again.text, fixed.text, "{name}: fixing the result again changes it");
        checked += 1;
        changed += usize::from(fixed.text != text);
        applied += fixed.applied;
    }
    assert!(checked > 300, "only {checked} corpus files read");
    eprintln!("{checked} corpus Dockerfiles fixed: {changed} changed, {applied} fixes applied");
}
