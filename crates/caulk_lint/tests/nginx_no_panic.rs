//! The nginx checks never panic: on every configuration of the shared corpus (findings per
//! rule are printed) and on arbitrary nginx-shaped text; every range lies inside its file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use caulk_lint::LintSettings;
use caulk_lint::nginx::check_nginx;
use proptest::prelude::*;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/nginx");
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
fn nginx_corpus_checks_without_panic() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    let settings = LintSettings::default();
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &files {
        for f in check_nginx(path, None, &settings) {
            for d in &f.diagnostics {
                assert!(d.range.end as usize <= f.text.len(), "{}: {:?} out of range", f.path.display(), d.range);
                *per_rule.entry(d.rule.code).or_default() += 1;
                // `CAULK_NGINX_DUMP=NX102,NX601` prints those findings, to review precision
                if std::env::var("CAULK_NGINX_DUMP").is_ok_and(|c| c.split(',').any(|c| c == d.rule.code)) {
                    let line = f.text.get(..d.range.start as usize).map_or(0, |p| p.matches('\n').count() + 1);
                    let name = f.path.file_name().unwrap_or_default().to_string_lossy();
                    eprintln!("{name}:{line}: {} {} [{}]", d.rule.code, d.message, d.range.slice(&f.text));
                }
            }
        }
    }
    eprintln!("findings on {} nginx files:", files.len());
    for (code, n) in &per_rule {
        eprintln!("  {code}: {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_config_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("http {"), Just("server {"), Just("location /x {"), Just("location ~ ^/a(b) {"), Just("}"),
                Just("if ($http_origin ~* \"a.b\") {"), Just("add_header X-Frame-Options DENY;"),
                Just("add_header Access-Control-Allow-Origin $http_origin;"), Just("proxy_pass http://$host;"),
                Just("listen 443 ssl;"), Just("stub_status;"), Just("gzip on;"), Just("limit_req_zone $a zone=z:1m rate=1r/s;"),
                Just("alias /y/;"), Just("root /;"), Just("allow 10.0.0.1;"), Just("map $http_origin $o {"),
                Just("~^x 1;"), Just("\""), Just(";"), Just("{"), Just("\n"), Just(" "), Just("é"), Just("include x;"),
                Just("# caulk ignore=NX102\n"), Just("ssl_protocols SSLv3 TLSv1;"), Just("server_tokens on;"),
            ],
            0..60,
        )
    ) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, parts.concat()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for f in check_nginx(&path, None, &LintSettings::default()) {
            for d in &f.diagnostics {
                prop_assert!(d.range.end as usize <= f.text.len());
                prop_assert!(f.text.get(d.range.start as usize..d.range.end as usize).is_some());
            }
        }
    }
}
