//! End-to-end vulnerability matching: real advisory feeds from `../shared/data/vuln` imported with
//! `caulk db import`, matched by `caulk scan` against the real AlmaLinux 9.0-beta root filesystem
//! and against images built here from old and patched PyPI and npm releases (fetched once by
//! `.ci/fixtures.sh`, installed offline with pip and npm, packed into OCI layouts with umoci).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{root, shared};
use serde_json::Value;

/// Runs caulk with its cache in `cache` (so the developer's own store never leaks in).
fn caulk_in(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(root())
        .env("CAULK_CACHE_DIR", cache)
        .env("CAULK_TODAY", "2026-11-22")
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

fn ok(out: &Output) -> &Output {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("invalid JSON ({e}): {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_errors(schema: &Value, doc: &Value, registry: Option<&jsonschema::Registry>) -> Vec<String> {
    let mut opts = jsonschema::options().offline();
    if let Some(r) = registry {
        opts = opts.with_registry(r);
    }
    let validator = opts.build(schema).unwrap_or_else(|e| panic!("schema: {e}"));
    validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

fn feed(shared: &Path, rel: &str) -> String {
    shared.join("data/vuln").join(rel).display().to_string()
}

/// A fresh cache with the given feeds imported through the CLI.
fn store_with(shared: &Path, feeds: &[&str]) -> tempfile::TempDir {
    let cache = tempfile::tempdir().unwrap();
    let mut args = vec!["db".to_owned(), "import".to_owned()];
    args.extend(feeds.iter().map(|f| feed(shared, f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = caulk_in(cache.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    cache
}

/// The AlmaLinux 9.0-beta micro root filesystem, only what the scan reads (rpm database, os-release).
fn alma9_rootfs(shared: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = shared.join("data/images/almalinux-rootfs/almalinux-9.0-beta-micro-aarch64-20220507.rootfs.tar.xz");
    let status = Command::new("tar")
        .arg("-xJf")
        .arg(&src)
        .arg("-C")
        .arg(dir.path())
        .args(["var/lib/rpm", "etc/os-release", "usr/lib/os-release"])
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar -xJf {}", src.display());
    dir
}

/// (package name, finding id, advisories) of every vulnerability of the first image.
fn vulns(report: &Value) -> Vec<(String, String, Vec<String>, Option<String>)> {
    report["images"][0]["vulnerabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let advisories = v["advisories"].as_array().into_iter().flatten().filter_map(Value::as_str);
            (
                v["package"]["name"].as_str().unwrap_or_default().to_owned(),
                v["id"].as_str().unwrap_or_default().to_owned(),
                advisories.map(str::to_owned).collect(),
                v["fixed_version"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    report["images"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn almalinux_glibc_advisories_are_reported_with_severity_and_fix() {
    let Some(shared) = shared() else { return };
    let cache = store_with(&shared, &["almalinux-osv/almalinux-osv.tar.gz"]);
    let rootfs = alma9_rootfs(&shared);
    let image = format!("dir:{}", rootfs.path().display());

    let out = caulk_in(cache.path(), &["scan", "--format", "json", &image]);
    let report = json(ok(&out));
    let schema = read_json(&root().join("docs/json-output.schema.json"));
    let errs = schema_errors(&schema, &report, None);
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(report["images"][0]["vulnerability_scan"]["status"], "done");
    let found = report["images"][0]["vulnerabilities"].as_array().cloned().unwrap_or_default();
    let glibc: Vec<&Value> = found.iter().filter(|v| v["package"]["advisory_name"] == "glibc").collect();
    assert!(glibc.len() >= 3, "expected several glibc advisories, got {glibc:#?}");
    for v in &glibc {
        assert_eq!(v["ecosystem"], "AlmaLinux:9");
        assert!(
            v["advisories"]
                .as_array()
                .is_some_and(|a| a.iter().any(|id| id.as_str().is_some_and(|s| s.starts_with("ALSA-"))))
        );
        let fixed = v["fixed_version"].as_str().unwrap_or_else(|| panic!("no fix: {v:#}"));
        assert!(fixed.starts_with("2.34-"), "{fixed}");
        assert_ne!(fixed, "2.34-28.el9_0");
        assert!(v["severity"].is_string(), "unrated ALSA: {v:#}");
    }
    // A root filesystem has no layers of its own: no finding names its one synthetic layer.
    let findings = report["images"][0]["findings"].as_array().cloned().unwrap_or_default();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["location"]["layer"].is_null()), "{findings:#?}");
    // The data is from an offline copy: its provenance is in the report.
    let data = report["advisory_data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len(), 1, "{data:#?}");
    assert!(data[0]["location"].as_str().is_some_and(|l| l.ends_with("almalinux-osv.tar.gz")));
    // 5,680 files, 5,637 ids: an ALSA published for two releases is one advisory with both.
    assert_eq!(data[0]["records"], 5637);
    // Important (high) glibc advisories fail the run at the default threshold.
    assert_eq!(out.status.code(), Some(1));

    let text = caulk_in(cache.path(), &["scan", "--color", "never", &image]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("vulnerabilities: "), "{text}");
    assert!(text.contains("glibc 2.34-28.el9_0 (rpm), fixed in 2.34-"), "{text}");
    assert!(text.contains("advisory data:"), "{text}");

    let sarif = json(ok(&caulk_in(cache.path(), &["scan", "--format", "sarif", &image])));
    let schema = read_json(&shared.join("data/schemas/sarif-schema-2.1.0.json"));
    let errs = schema_errors(&schema, &sarif, None);
    assert!(errs.is_empty(), "{errs:#?}");
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    let glibc_result = results
        .iter()
        .find(|r| r["properties"]["package"] == "glibc")
        .unwrap_or_else(|| panic!("no glibc result in SARIF"));
    let index = glibc_result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], glibc_result["ruleId"]);
    assert!(rules[index]["properties"]["security-severity"].is_string());
}

#[test]
fn a_scan_without_a_store_says_matching_was_skipped() {
    let Some(shared) = shared() else { return };
    let cache = tempfile::tempdir().unwrap();
    let rootfs = alma9_rootfs(&shared);
    let image = format!("dir:{}", rootfs.path().display());
    let out = caulk_in(cache.path(), &["scan", "--format", "json", "--fail-on", "never", &image]);
    let report = json(ok(&out));
    let scan = &report["images"][0]["vulnerability_scan"];
    assert_eq!(scan["status"], "skipped");
    assert!(scan["reason"].as_str().is_some_and(|r| r.contains("no advisory store")), "{scan}");
    assert!(codes(&report).contains(&"VU001".to_owned()), "{:?}", codes(&report));
    // Every other check still ran: the packages were inventoried and the image rules reported.
    assert!(report["images"][0]["packages"]["rpm"].as_u64().unwrap_or(0) > 10);
    assert!(report["images"][0]["vulnerabilities"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn store_without_the_release_says_which_packages_were_not_checked() {
    let Some(shared) = shared() else { return };
    let cache = store_with(&shared, &["rustsec-osv/rustsec-osv.tar.gz"]);
    let rootfs = alma9_rootfs(&shared);
    let image = format!("dir:{}", rootfs.path().display());
    let report = json(ok(&caulk_in(cache.path(), &["scan", "--format", "json", "--fail-on", "never", &image])));
    let findings = report["images"][0]["findings"].as_array().cloned().unwrap_or_default();
    let vu002 = findings.iter().find(|f| f["code"] == "VU002").unwrap_or_else(|| panic!("no VU002: {findings:#?}"));
    assert!(vu002["message"].as_str().is_some_and(|m| m.contains("`AlmaLinux:9`")), "{vu002}");
}

/// Where `.ci/fixtures.sh` put the wheels and npm tarballs; `None` (with a note) outside CI.
fn fixtures() -> Option<PathBuf> {
    let dir =
        std::env::var_os("CAULK_TEST_FIXTURES").map_or_else(|| root().join("target/test-fixtures"), PathBuf::from);
    if dir.join("wheels/.complete").is_file() && dir.join("npm/.complete").is_file() {
        return Some(dir);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "run .ci/fixtures.sh first: {} is incomplete", dir.display());
    #[allow(clippy::print_stderr)]
    {
        eprintln!("skipping: no test fixtures in {} (run .ci/fixtures.sh)", dir.display());
    }
    None
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An OCI layout holding one layer with the given wheels installed by pip into site-packages and
/// the given npm tarballs installed by npm into /app, both offline.
fn app_image(fixtures: &Path, wheels: &[&str], packs: &[&str]) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let rootfs = work.path().join("rootfs");
    let site = rootfs.join("usr/local/lib/python3.11/site-packages");
    let mut pip = Command::new("python3");
    pip.args(["-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--disable-pip-version-check", "--target"])
        .arg(&site);
    for w in wheels {
        pip.arg(fixtures.join("wheels").join(w));
    }
    run(&mut pip);
    let app = rootfs.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("package.json"), r#"{"name":"app","version":"1.0.0","private":true}"#).unwrap();
    let mut npm = Command::new("npm");
    npm.args(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--silent"]).current_dir(&app);
    for p in packs {
        npm.arg(fixtures.join("npm").join(p));
    }
    run(&mut npm);
    let layout = work.path().join("oci");
    let image = format!("{}:app", layout.display());
    run(Command::new("umoci").args(["init", "--layout"]).arg(&layout));
    run(Command::new("umoci").args(["new", "--image", &image]));
    run(Command::new("umoci").args(["insert", "--image", &image]).arg(&rootfs).arg("/"));
    work
}

#[test]
fn old_pypi_and_npm_releases_match_and_patched_releases_do_not() {
    let Some(shared) = shared() else { return };
    let Some(fixtures) = fixtures() else { return };
    let cache =
        store_with(&shared, &["pypa-advisory-db/pypa-osv.tar.gz", "nodejs-security-wg/nodejs-security-wg-vuln.tar.gz"]);
    let old = app_image(
        &fixtures,
        &[
            "Flask-0.12.2-py2.py3-none-any.whl",
            "requests-2.19.1-py2.py3-none-any.whl",
            "Jinja2-2.10-py2.py3-none-any.whl",
            "urllib3-1.23-py2.py3-none-any.whl",
        ],
        &["lodash-4.17.4.tgz", "marked-0.3.5.tgz"],
    );
    let new = app_image(
        &fixtures,
        &[
            "Flask-2.3.2-py3-none-any.whl",
            "requests-2.31.0-py3-none-any.whl",
            "jinja2-3.1.4-py3-none-any.whl",
            "urllib3-2.2.2-py3-none-any.whl",
        ],
        &["lodash-4.17.21.tgz", "marked-4.3.0.tgz"],
    );
    let layout = |d: &tempfile::TempDir| d.path().join("oci").display().to_string();

    let report = json(ok(&caulk_in(cache.path(), &["scan", "--format", "json", &layout(&old)])));
    let found = vulns(&report);
    let has = |pkg: &str, advisory: &str| found.iter().any(|(p, _, a, _)| p == pkg && a.iter().any(|x| x == advisory));
    // Flask 0.12.2: CVE-2018-1000656 (fixed 0.12.3) and CVE-2019-1010083 (fixed 1.0).
    assert!(has("Flask", "PYSEC-2018-66"), "{found:#?}");
    assert!(has("Flask", "PYSEC-2019-179"), "{found:#?}");
    // requests 2.19.1: CVE-2018-18074 (fixed 2.20.0).
    assert!(has("requests", "PYSEC-2018-28"), "{found:#?}");
    // Jinja2 2.10: CVE-2019-10906 (fixed 2.10.1).
    assert!(has("Jinja2", "PYSEC-2019-217"), "{found:#?}");
    // lodash 4.17.4: CVE-2018-3721 (<4.17.5) and CVE-2018-16487 (<4.17.11); marked 0.3.5.
    assert!(has("lodash", "NSWG-ECO-368"), "{found:#?}");
    assert!(has("lodash", "NSWG-ECO-493"), "{found:#?}");
    assert!(has("marked", "NSWG-ECO-101"), "{found:#?}");
    let flask = found.iter().find(|(p, _, a, _)| p == "Flask" && a.iter().any(|x| x == "PYSEC-2018-66")).unwrap();
    assert_eq!(flask.1, "CVE-2018-1000656", "the CVE is the finding's id");
    assert_eq!(flask.3.as_deref(), Some("0.12.3"));

    let patched = json(ok(&caulk_in(cache.path(), &["scan", "--format", "json", "--fail-on", "never", &layout(&new)])));
    let still: Vec<_> = vulns(&patched);
    let old_advisories: BTreeSet<&String> = found.iter().flat_map(|(_, _, a, _)| a).collect();
    for (pkg, id, advisories, _) in &still {
        for a in advisories {
            assert!(!old_advisories.contains(a), "{pkg} at a patched version still reported for {a} ({id})");
        }
    }
    assert_eq!(patched["images"][0]["vulnerability_scan"]["status"], "done");
    assert!(patched["images"][0]["vulnerability_scan"]["packages_checked"].as_u64().unwrap_or(0) >= 6);

    // The CycloneDX SBOM carries the same vulnerabilities, each pointing at a component.
    let cdx = json(ok(&caulk_in(cache.path(), &["sbom", "--format", "cyclonedx", &layout(&old)])));
    let schema_dir = shared.join("data/schemas/cyclonedx-1.6");
    let registry = jsonschema::Registry::new()
        .extend([
            (
                "http://cyclonedx.org/schema/spdx.schema.json",
                jsonschema::Resource::from_contents(read_json(&schema_dir.join("spdx.schema.json"))),
            ),
            (
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                jsonschema::Resource::from_contents(read_json(&schema_dir.join("jsf-0.82.schema.json"))),
            ),
        ])
        .and_then(jsonschema::RegistryBuilder::prepare)
        .unwrap();
    let errs = schema_errors(&read_json(&schema_dir.join("bom-1.6.schema.json")), &cdx, Some(&registry));
    assert!(errs.is_empty(), "{errs:#?}");
    let refs: BTreeSet<&str> =
        cdx["components"].as_array().into_iter().flatten().filter_map(|c| c["bom-ref"].as_str()).collect();
    let cdx_vulns = cdx["vulnerabilities"].as_array().cloned().unwrap_or_default();
    assert_eq!(cdx_vulns.len(), found.len());
    for v in &cdx_vulns {
        let target = v["affects"][0]["ref"].as_str().unwrap_or_default();
        assert!(refs.contains(target), "{target} is not a component");
    }
    assert!(cdx_vulns.iter().any(|v| v["id"] == "CVE-2018-1000656"
        && v["references"].as_array().is_some_and(|r| r.iter().any(|x| x["id"] == "PYSEC-2018-66"))));
}

#[test]
fn ignore_file_severity_and_unfixed_filters() {
    let Some(shared) = shared() else { return };
    let cache = store_with(&shared, &["almalinux-osv/almalinux-osv.tar.gz"]);
    let rootfs = alma9_rootfs(&shared);
    let image = format!("dir:{}", rootfs.path().display());
    let all = json(ok(&caulk_in(cache.path(), &["scan", "--format", "json", "--fail-on", "never", &image])));
    let found = vulns(&all);
    assert!(found.len() >= 2, "{found:#?}");
    let (first, second) = (&found[0].1, &found[1].1);

    let dir = tempfile::tempdir().unwrap();
    let ignore = dir.path().join(".caulkignore");
    std::fs::write(
        &ignore,
        format!(
            "# accepted risks\n{first} # reviewed: not reachable\n{second} until=2026-01-31 # upgrade was planned\n\
             CVE-1999-0001 # an old entry\nCVE-2000-0002 until=31/01/2027 # bad date\n"
        ),
    )
    .unwrap();
    let ignore_arg = ignore.display().to_string();
    let report = json(ok(&caulk_in(
        cache.path(),
        &["scan", "--format", "json", "--fail-on", "never", "--ignorefile", &ignore_arg, &image],
    )));
    let kept = vulns(&report);
    assert!(!kept.iter().any(|(_, id, _, _)| id == first), "{first} was not ignored");
    assert!(kept.iter().any(|(_, id, _, _)| id == second), "the expired entry must not hide {second}");
    assert_eq!(report["images"][0]["vulnerability_scan"]["ignored"], 1);
    let c = codes(&report);
    for code in ["VU005", "VU006", "VU007"] {
        assert!(c.contains(&code.to_owned()), "{code} missing from {c:?}");
    }

    // The CycloneDX SBOM leaves the accepted risk out too, and says so on standard error.
    let sbom = Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(["sbom", "--format", "cyclonedx", &image])
        .current_dir(dir.path())
        .env("CAULK_CACHE_DIR", cache.path())
        .env("CAULK_TODAY", "2026-11-22")
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"));
    let cdx = json(ok(&sbom));
    let ids: Vec<&str> =
        cdx["vulnerabilities"].as_array().into_iter().flatten().filter_map(|v| v["id"].as_str()).collect();
    assert!(!ids.contains(&first.as_str()) && ids.contains(&second.as_str()), "{ids:?}");
    let stderr = String::from_utf8_lossy(&sbom.stderr);
    assert!(stderr.contains("1 known vulnerability left out of the SBOM by the ignore file"), "{stderr}");

    // --severity keeps only the named severities; --ignore-unfixed drops findings without a fix.
    let high = json(ok(&caulk_in(
        cache.path(),
        &["scan", "--format", "json", "--fail-on", "never", "--severity", "critical,high", &image],
    )));
    let sev: BTreeSet<String> = high["images"][0]["vulnerabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["severity"].as_str().map(str::to_owned))
        .collect();
    assert!(sev.iter().all(|s| s == "critical" || s == "high"), "{sev:?}");
    let hidden = high["images"][0]["vulnerability_scan"]["filtered"].as_u64().unwrap_or(0);
    let shown = high["images"][0]["vulnerabilities"].as_array().map_or(0, Vec::len);
    assert_eq!(hidden as usize + shown, found.len());
    let fixed_only = json(ok(&caulk_in(
        cache.path(),
        &["scan", "--format", "json", "--fail-on", "never", "--ignore-unfixed", &image],
    )));
    assert!(vulns(&fixed_only).iter().all(|(_, _, _, fix)| fix.is_some()));
    let bad = caulk_in(cache.path(), &["scan", "--severity", "severe", &image]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn db_status_and_import_report_what_was_loaded() {
    let Some(shared) = shared() else { return };
    let cache = tempfile::tempdir().unwrap();
    let missing = caulk_in(cache.path(), &["db", "status"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no advisory store"));

    let bad = cache.path().join("broken.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let out = caulk_in(
        cache.path(),
        &[
            "db",
            "import",
            &feed(&shared, "rustsec-osv/rustsec-osv.tar.gz"),
            &bad.display().to_string(),
            "/nonexistent/feed.zip",
        ],
    );
    // The unreadable path fails the command; the others are imported and the malformed file named.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("imported 1193 advisories from"), "{err}");
    assert!(err.contains("13 withdrawn"), "{err}");
    assert!(err.contains("broken.json"), "{err}");
    assert!(err.contains("/nonexistent/feed.zip"), "{err}");

    let status = json(&caulk_in(cache.path(), &["db", "status", "--format", "json"]));
    assert_eq!(status["exists"], true);
    let sources = status["sources"].as_array().cloned().unwrap_or_default();
    assert!(
        sources.iter().any(|s| s["records"] == 1193 && s["ecosystems"]["crates.io"].as_u64().is_some()),
        "{status:#}"
    );
    assert_eq!(status["stale"], false);
    let text = caulk_in(cache.path(), &["db", "status"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("rustsec-osv.tar.gz"));
}

#[test]
fn db_update_downloads_from_a_loopback_mirror() {
    let Some(shared) = shared() else { return };
    let mirror = tempfile::tempdir().unwrap();
    // A mirror of osv.dev's bucket layout: {base}/PyPI/all.zip, built from the real PyPA records.
    std::fs::create_dir_all(mirror.path().join("PyPI")).unwrap();
    // Prints how many of the 200 records are live (not withdrawn), which the import must store.
    let script = "import json, sys, tarfile, zipfile\n\
        t = tarfile.open(sys.argv[1])\n\
        z = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)\n\
        n = live = 0\n\
        for m in t.getmembers():\n\
        \x20   if m.isfile() and m.name.endswith('.json') and n < 200:\n\
        \x20       data = t.extractfile(m).read(); n += 1\n\
        \x20       live += 'withdrawn' not in json.loads(data)\n\
        \x20       z.writestr(m.name.rsplit('/', 1)[-1], data)\n\
        z.close()\n\
        print(live)\n";
    let made = Command::new("python3")
        .args(["-c", script])
        .arg(feed(&shared, "pypa-advisory-db/pypa-osv.tar.gz"))
        .arg(mirror.path().join("PyPI/all.zip"))
        .output()
        .expect("python3 builds the mirror");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let live: usize = String::from_utf8_lossy(&made.stdout).trim().parse().expect("a count");
    assert!(live > 150, "{live}");
    let port = free_port();
    let mut server = Command::new("python3")
        .args(["-m", "http.server", "--bind", "127.0.0.1", &port.to_string(), "--directory"])
        .arg(mirror.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 -m http.server");
    wait_for(port);
    let cache = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let out = caulk_in(cache.path(), &["db", "update", "--no-progress", "--base-url", &base, "--ecosystem", "PyPI"]);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("imported {live} advisories from {base}/PyPI/all.zip")), "{err}");
    let status = json(&caulk_in(cache.path(), &["db", "status", "--format", "json"]));
    let location = format!("{base}/PyPI/all.zip");
    assert!(
        status["sources"].as_array().is_some_and(|s| s.iter().any(|x| x["location"] == location.as_str())),
        "{status:#}"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for(port: u16) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the loopback mirror on port {port} did not start");
}

#[test]
fn fully_patched_alpine_images_have_no_vulnerabilities_in_the_secdb_of_their_time() {
    let Some(shared) = shared() else { return };
    let cache = store_with(&shared, &["alpine-secdb/alpine-secdb-v3.3-v3.11.tar.gz"]);
    for name in ["trivy-alpine-310.docker-save.tar.gz", "trivy-alpine-311.docker-save.tar.gz"] {
        let image = shared.join("data/images").join(name).display().to_string();
        let report = json(ok(&caulk_in(cache.path(), &["scan", "--format", "json", "--fail-on", "never", &image])));
        let scan = &report["images"][0]["vulnerability_scan"];
        // Every apk package was looked up in its release's secdb (Alpine:v3.10 / v3.11) ...
        assert_eq!(scan["status"], "done", "{name}");
        assert_eq!(scan["packages_checked"], 14, "{name}: {scan}");
        assert!(!codes(&report).contains(&"VU002".to_owned()), "{name}: the release has data");
        // ... and the images were built after every fix those files list.
        assert_eq!(vulns(&report), Vec::new(), "{name}");
    }
}
