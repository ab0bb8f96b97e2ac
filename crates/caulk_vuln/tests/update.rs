//! `caulk db update` against a real HTTP server on loopback serving real osv.dev-shaped exports:
//! fresh downloads, interrupted and resumed transfers, failures that must leave the live store
//! alone, revalidation with ETags, offline imports that survive, and URL encoding.
#![allow(clippy::print_stderr)]

mod common;
#[path = "support/http.rs"]
mod http;
#[path = "support/osv.rs"]
mod osv;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use caulk_vuln::update::{self, NoProgress, UpdateError, UpdateOptions, UpdateProgress};
use caulk_vuln::{AdvisorySource, Store};
use http::{Fault, Server};
use osv::Record;

const ALMA: &str = "/AlmaLinux/all.zip";
const PYPI: &str = "/PyPI/all.zip";

/// A server with AlmaLinux and PyPI exports, and an empty cache directory.
struct Env {
    dir: tempfile::TempDir,
    server: Server,
    alma: Vec<Record>,
    pypi: Vec<Record>,
    alma_zip: Vec<u8>,
    pypi_zip: Vec<u8>,
}

impl Env {
    /// `None` (after saying why) when `../shared` is missing outside CI.
    fn new() -> Option<Self> {
        let data = common::shared_data()?.join("vuln");
        let alma = osv::records(&data.join("almalinux-osv/almalinux-osv.tar.gz"), 40);
        let pypi = osv::records(&data.join("pypa-advisory-db/pypa-osv.tar.gz"), 40);
        let (alma_zip, pypi_zip) = (osv::all_zip(&alma), osv::all_zip(&pypi));
        let server = Server::start();
        server.put(ALMA, alma_zip.clone());
        server.put(PYPI, pypi_zip.clone());
        Some(Self { dir: tempfile::tempdir().expect("temp dir"), server, alma, pypi, alma_zip, pypi_zip })
    }

    fn store_dir(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    fn store_path(&self) -> PathBuf {
        self.store_dir().join("advisories.db")
    }

    fn downloads(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }

    fn options(&self, ecosystems: &[&str]) -> UpdateOptions {
        UpdateOptions {
            base_url: self.server.url(),
            ecosystems: ecosystems.iter().map(|e| (*e).to_owned()).collect(),
            store_path: self.store_path(),
            download_dir: self.downloads(),
            timeout: Duration::from_secs(20),
            max_bytes: update::DEFAULT_MAX_BYTES,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    fn update(&self, ecosystems: &[&str]) -> Result<update::UpdateReport, UpdateError> {
        update::update(&self.options(ecosystems), &NoProgress)
    }

    /// The store's answers to `status` and to candidate lookups of each record's package,
    /// rendered for comparison.
    fn answers(&self, probes: &[&Record]) -> String {
        let store = Store::open(&self.store_path()).expect("opening the store").expect("the store exists");
        let status = store.status().expect("status");
        let mut out = format!("{} advisories, {} affected\n", status.advisories, status.affected);
        for s in &status.sources {
            let _ = writeln!(
                out,
                "{} {:?} at {}: {} records, {} withdrawn, {} malformed, {:?}",
                s.location, s.formats, s.imported_at, s.records, s.withdrawn, s.malformed, s.ecosystems
            );
        }
        for r in probes {
            let mut ids: Vec<String> = store
                .candidates(&r.ecosystem, &osv::stored_name(&r.ecosystem, &r.package))
                .expect("candidates")
                .into_iter()
                .map(|c| c.advisory.id.clone())
                .collect();
            ids.sort();
            let _ = writeln!(out, "{} {}: {ids:?}", r.ecosystem, r.package);
        }
        out
    }
}

/// Sorted file names in `dir` (empty when it does not exist).
fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Whether the store finds `record` when looking up its package.
fn finds(store: &Store, record: &Record) -> bool {
    store
        .candidates(&record.ecosystem, &osv::stored_name(&record.ecosystem, &record.package))
        .expect("candidates")
        .iter()
        .any(|c| c.advisory.id == record.id)
}

/// Records the progress calls, to check the order the binary would see.
#[derive(Default)]
struct Recorder {
    events: RefCell<Vec<String>>,
    advanced: RefCell<u64>,
}

impl UpdateProgress for Recorder {
    fn start(&self, ecosystem: &str, total: Option<u64>, resumed_from: u64) {
        self.events.borrow_mut().push(format!("start {ecosystem} {total:?} {resumed_from}"));
    }
    fn advance(&self, bytes: u64) {
        *self.advanced.borrow_mut() += bytes;
    }
    fn finish(&self, ecosystem: &str, not_modified: bool) {
        self.events.borrow_mut().push(format!("finish {ecosystem} {not_modified}"));
    }
    fn importing(&self, ecosystem: &str) {
        self.events.borrow_mut().push(format!("importing {ecosystem}"));
    }
}

#[test]
fn a_fresh_update_imports_every_ecosystem_with_its_url_as_provenance() {
    let Some(env) = Env::new() else { return };
    let progress = Recorder::default();
    let report = update::update(&env.options(&["AlmaLinux", "PyPI"]), &progress).expect("update");

    assert_eq!(report.store_path, env.store_path());
    let got: Vec<_> = report
        .ecosystems
        .iter()
        .map(|e| (e.ecosystem.as_str(), e.url.clone(), e.bytes_downloaded, e.resumed_from, e.not_modified, e.size))
        .collect();
    let (alma_len, pypi_len) = (env.alma_zip.len() as u64, env.pypi_zip.len() as u64);
    assert_eq!(
        got,
        [
            ("AlmaLinux", env.url(ALMA), alma_len, None, false, alma_len),
            ("PyPI", env.url(PYPI), pypi_len, None, false, pypi_len),
        ]
    );
    for (e, n) in report.ecosystems.iter().zip([env.alma.len(), env.pypi.len()]) {
        assert_eq!(e.import.location, e.url);
        assert_eq!((e.import.records, e.import.withdrawn, e.import.malformed.len()), (n, 0, 0), "{}", e.ecosystem);
    }
    assert_eq!(
        *progress.events.borrow(),
        [
            format!("start AlmaLinux Some({alma_len}) 0"),
            "finish AlmaLinux false".to_owned(),
            format!("start PyPI Some({pypi_len}) 0"),
            "finish PyPI false".to_owned(),
            "importing AlmaLinux".to_owned(),
            "importing PyPI".to_owned(),
        ]
    );
    assert_eq!(*progress.advanced.borrow(), alma_len + pypi_len);

    let store = Store::open(&env.store_path()).expect("open").expect("the store exists");
    let status = store.status().expect("status");
    let mut sources: Vec<(String, usize)> = status.sources.iter().map(|s| (s.location.clone(), s.records)).collect();
    sources.sort();
    assert_eq!(sources, [(env.url(ALMA), env.alma.len()), (env.url(PYPI), env.pypi.len())]);
    assert_eq!(status.advisories, env.alma.len() + env.pypi.len());
    let alma_source = status.sources.iter().find(|s| s.location == env.url(ALMA)).expect("AlmaLinux provenance");
    assert!(alma_source.ecosystems.keys().all(|k| k.starts_with("AlmaLinux:")), "{:?}", alma_source.ecosystems);
    for r in [&env.alma[0], &env.alma[39], &env.pypi[0], &env.pypi[39]] {
        assert!(finds(&store, r), "{} is not found under {} {}", r.id, r.ecosystem, r.package);
    }

    // Nothing but the store beside it; the exports and their sidecars in the download directory.
    assert_eq!(names(&env.store_dir()), ["advisories.db"]);
    assert_eq!(names(&env.downloads()), ["AlmaLinux.zip", "AlmaLinux.zip.json", "PyPI.zip", "PyPI.zip.json"]);
    assert_eq!(fs::read(env.downloads().join("PyPI.zip")).expect("export"), env.pypi_zip);
}

#[test]
fn an_interrupted_download_fails_cleanly_and_resumes_with_a_range_request() {
    let Some(env) = Env::new() else { return };
    // A store with an offline import, to check it stays byte-identical through the failure.
    let local = env.dir.path().join(format!("{}.json", env.pypi[0].id));
    fs::write(&local, &env.pypi[0].json).expect("writing a local record");
    Store::create(&env.store_path()).expect("create").import_path(&local, Some("offline")).expect("offline import");
    let before = fs::read(env.store_path()).expect("store bytes");

    let cut = env.alma_zip.len() / 3;
    env.server.fail(ALMA, Fault::CloseAfter { bytes: cut, times: 1 });
    let err = env.update(&["AlmaLinux", "PyPI"]).expect_err("the transfer was cut short");
    let msg = err.to_string();
    assert!(matches!(err, UpdateError::Download { .. }), "{err:?}");
    assert!(msg.contains("`AlmaLinux`") && msg.contains(&env.url(ALMA)), "{msg}");

    assert_eq!(fs::read(env.store_path()).expect("store bytes"), before, "the live store changed");
    assert_eq!(names(&env.store_dir()), ["advisories.db"]);
    let part = env.downloads().join("AlmaLinux.zip.part");
    assert_eq!(fs::read(&part).expect("the partial download is kept"), env.alma_zip[..cut]);
    assert!(env.server.requests_for(PYPI).is_empty(), "PyPI was fetched after AlmaLinux failed");

    env.server.clear_log();
    let report = env.update(&["AlmaLinux", "PyPI"]).expect("the resumed update");
    let alma_requests = env.server.requests_for(ALMA);
    assert_eq!(alma_requests.len(), 1, "{alma_requests:?}");
    let resumed = &alma_requests[0];
    assert_eq!(resumed.header("range"), Some(format!("bytes={cut}-").as_str()));
    assert_eq!(resumed.header("if-range"), env.server.etag(ALMA).as_deref());
    assert_eq!((resumed.status, resumed.body_bytes), (206, env.alma_zip.len() - cut));

    let alma = &report.ecosystems[0];
    assert_eq!((alma.resumed_from, alma.bytes_downloaded), (Some(cut as u64), (env.alma_zip.len() - cut) as u64));
    assert_eq!(fs::read(env.downloads().join("AlmaLinux.zip")).expect("export"), env.alma_zip);
    assert!(!part.exists());

    let store = Store::open(&env.store_path()).expect("open").expect("exists");
    let mut locations: Vec<String> = store.status().expect("status").sources.into_iter().map(|s| s.location).collect();
    locations.sort();
    assert_eq!(locations, [env.url(ALMA), env.url(PYPI), "offline".to_owned()]);
    assert!(finds(&store, &env.alma[7]) && finds(&store, &env.pypi[7]));
}

#[test]
fn a_changed_export_restarts_instead_of_splicing_onto_the_old_bytes() {
    let Some(env) = Env::new() else { return };
    let cut = env.alma_zip.len() / 2;
    env.server.fail(ALMA, Fault::CloseAfter { bytes: cut, times: 1 });
    env.update(&["AlmaLinux"]).expect_err("the transfer was cut short");
    let old_etag = env.server.etag(ALMA);

    // The export changes between the runs: the If-Range no longer matches and the server sends it whole.
    let newer = osv::all_zip(&env.alma[..25]);
    env.server.put(ALMA, newer.clone());
    env.server.clear_log();
    let report = env.update(&["AlmaLinux"]).expect("update");
    let requests = env.server.requests_for(ALMA);
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].header("if-range"), old_etag.as_deref());
    assert_eq!(requests[0].status, 200);
    let alma = &report.ecosystems[0];
    assert_eq!((alma.resumed_from, alma.bytes_downloaded, alma.import.records), (None, newer.len() as u64, 25));
    assert_eq!(fs::read(env.downloads().join("AlmaLinux.zip")).expect("export"), newer);
}

#[test]
fn a_part_longer_than_the_export_is_discarded_after_416() {
    let Some(env) = Env::new() else { return };
    fs::create_dir_all(env.downloads()).expect("mkdir");
    fs::write(env.downloads().join("PyPI.zip.part"), vec![0; env.pypi_zip.len() + 10]).expect("stale part");
    let report = env.update(&["PyPI"]).expect("update");
    let statuses: Vec<u16> = env.server.requests_for(PYPI).iter().map(|e| e.status).collect();
    assert_eq!(statuses, [416, 200]);
    assert_eq!(report.ecosystems[0].import.records, env.pypi.len());
    assert_eq!(names(&env.downloads()), ["PyPI.zip", "PyPI.zip.json"]);
}

#[test]
fn a_failing_ecosystem_leaves_the_previous_store_answering_as_before() {
    let Some(env) = Env::new() else { return };
    env.update(&["AlmaLinux", "PyPI"]).expect("first update");
    let probes = [&env.alma[0], &env.alma[20], &env.pypi[0], &env.pypi[20]];
    let answers = env.answers(&probes);
    let bytes = fs::read(env.store_path()).expect("store bytes");

    // AlmaLinux changes (and would import fine), PyPI fails: nothing of the new AlmaLinux may show.
    env.server.put(ALMA, osv::all_zip(&env.alma[..5]));
    env.server.fail(PYPI, Fault::Status(500));
    let err = env.update(&["AlmaLinux", "PyPI"]).expect_err("PyPI answers 500");
    let msg = err.to_string();
    assert!(matches!(&err, UpdateError::Http { ecosystem, status: 500, .. } if ecosystem == "PyPI"), "{err:?}");
    assert!(msg.contains("`PyPI`") && msg.contains(&env.url(PYPI)) && msg.contains("HTTP 500"), "{msg}");

    assert_eq!(env.answers(&probes), answers);
    assert_eq!(fs::read(env.store_path()).expect("store bytes"), bytes);
    assert_eq!(names(&env.store_dir()), ["advisories.db"]);
}

#[test]
fn a_failed_first_update_creates_no_store() {
    let Some(env) = Env::new() else { return };
    env.server.fail(PYPI, Fault::Status(500));
    env.update(&["AlmaLinux", "PyPI"]).expect_err("PyPI answers 500");
    assert!(!env.store_path().exists());
    assert_eq!(names(&env.store_dir()), Vec::<String>::new());
    // AlmaLinux arrived and is kept, so the next run only revalidates it.
    assert!(env.downloads().join("AlmaLinux.zip").is_file());
}

#[test]
fn unchanged_exports_are_revalidated_with_their_etag_and_not_downloaded_again() {
    let Some(env) = Env::new() else { return };
    env.update(&["AlmaLinux", "PyPI"]).expect("first update");
    let probes = [&env.alma[3], &env.pypi[3]];
    env.server.clear_log();

    let progress = Recorder::default();
    let report = update::update(&env.options(&["AlmaLinux", "PyPI"]), &progress).expect("second update");
    for e in &report.ecosystems {
        assert!(e.not_modified && e.bytes_downloaded == 0 && e.resumed_from.is_none(), "{e:?}");
    }
    assert_eq!(report.ecosystems[1].size, env.pypi_zip.len() as u64);
    assert_eq!(report.ecosystems[1].import.records, env.pypi.len());
    for path in [ALMA, PYPI] {
        let requests = env.server.requests_for(path);
        assert_eq!(requests.len(), 1, "{requests:?}");
        assert_eq!(requests[0].header("if-none-match"), env.server.etag(path).as_deref());
        assert_eq!((requests[0].status, requests[0].body_bytes), (304, 0));
    }
    assert_eq!(
        *progress.events.borrow(),
        ["finish AlmaLinux true", "finish PyPI true", "importing AlmaLinux", "importing PyPI"]
    );

    let store = Store::open(&env.store_path()).expect("open").expect("exists");
    let status = store.status().expect("status");
    assert_eq!(status.sources.len(), 2);
    assert_eq!(status.advisories, env.alma.len() + env.pypi.len());
    assert!(probes.iter().all(|r| finds(&store, r)));
}

#[test]
fn offline_imports_survive_an_update() {
    let Some(env) = Env::new() else { return };
    let data = common::shared_data().expect("checked by Env::new").join("vuln");
    let go = osv::records(&data.join("go-vulndb-osv/go-vulndb-osv.tar.gz"), 3);
    let local = env.dir.path().join("local");
    fs::create_dir_all(&local).expect("mkdir");
    for r in &go {
        fs::write(local.join(format!("{}.json", r.id)), &r.json).expect("writing a local record");
    }
    let offline = Store::create(&env.store_path())
        .expect("create")
        .import_path(&local, Some("offline go records"))
        .expect("import");
    assert_eq!(offline.records, 3);

    env.update(&["AlmaLinux"]).expect("update");
    let store = Store::open(&env.store_path()).expect("open").expect("exists");
    let status = store.status().expect("status");
    let mut sources: Vec<(String, usize)> = status.sources.iter().map(|s| (s.location.clone(), s.records)).collect();
    sources.sort();
    assert_eq!(sources, [(env.url(ALMA), env.alma.len()), ("offline go records".to_owned(), 3)]);
    assert!(go.iter().all(|r| finds(&store, r)), "an offline record was lost");
    assert!(finds(&store, &env.alma[11]));
}

#[test]
fn ecosystem_names_are_percent_encoded_in_urls_and_file_names() {
    let Some(env) = Env::new() else { return };
    // AlmaLinux's records stand in for Rocky Linux's: only the URL is under test.
    env.server.put("/Rocky%20Linux/all.zip", env.alma_zip.clone());
    let report = env.update(&["Rocky Linux"]).expect("update");
    let paths: Vec<String> = env.server.log().into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["/Rocky%20Linux/all.zip"]);
    let url = env.url("/Rocky%20Linux/all.zip");
    assert_eq!(report.ecosystems[0].url, url);
    assert_eq!(names(&env.downloads()), ["Rocky%20Linux.zip", "Rocky%20Linux.zip.json"]);
    let store = Store::open(&env.store_path()).expect("open").expect("exists");
    let locations: Vec<String> = store.status().expect("status").sources.into_iter().map(|s| s.location).collect();
    assert_eq!(locations, [url]);
}

#[test]
fn redirects_are_followed_and_the_provenance_stays_the_requested_url() {
    let Some(env) = Env::new() else { return };
    env.server.put("/mirror/go.zip", env.alma_zip.clone());
    env.server.redirect("/Go/all.zip", "/mirror/go.zip");
    let report = env.update(&["Go"]).expect("update");
    let statuses: Vec<(String, u16)> = env.server.log().into_iter().map(|e| (e.path, e.status)).collect();
    assert_eq!(statuses, [("/Go/all.zip".to_owned(), 302), ("/mirror/go.zip".to_owned(), 200)]);
    assert_eq!(report.ecosystems[0].import.location, env.url("/Go/all.zip"));
}

#[test]
fn an_export_over_the_size_limit_is_refused() {
    let Some(env) = Env::new() else { return };
    let mut options = env.options(&["PyPI"]);
    options.max_bytes = env.pypi_zip.len() as u64 - 1;
    let err = update::update(&options, &NoProgress).expect_err("too large");
    assert!(matches!(&err, UpdateError::TooLarge { ecosystem, .. } if ecosystem == "PyPI"), "{err:?}");
    assert!(err.to_string().contains(&env.url(PYPI)), "{err}");
    assert!(!env.store_path().exists());
    assert_eq!(names(&env.downloads()), Vec::<String>::new());
}

#[test]
fn a_body_that_is_not_a_zip_is_rejected_and_the_store_kept() {
    let Some(env) = Env::new() else { return };
    env.update(&["PyPI"]).expect("first update");
    let bytes = fs::read(env.store_path()).expect("store bytes");
    env.server.put(PYPI, b"<html>maintenance</html>".to_vec());
    let err = env.update(&["PyPI"]).expect_err("not a zip");
    assert!(matches!(&err, UpdateError::NotZip { ecosystem, .. } if ecosystem == "PyPI"), "{err:?}");
    assert_eq!(fs::read(env.store_path()).expect("store bytes"), bytes);
    // The last good export stays for the next run; the bad body is gone.
    assert_eq!(names(&env.downloads()), ["PyPI.zip", "PyPI.zip.json"]);
    assert_eq!(fs::read(env.downloads().join("PyPI.zip")).expect("export"), env.pypi_zip);
}

#[test]
fn an_unknown_ecosystem_names_itself_and_its_url() {
    let Some(env) = Env::new() else { return };
    let err = env.update(&["Nonesuch"]).expect_err("404");
    let msg = err.to_string();
    assert!(msg.contains("`Nonesuch`") && msg.contains(&env.url("/Nonesuch/all.zip")) && msg.contains("404"), "{msg}");
}

#[test]
fn an_unreachable_server_names_the_ecosystem_url_and_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Bind then drop a listener to get a port nobody serves.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let mut options = UpdateOptions::new(dir.path().join("advisories.db"));
    options.base_url = format!("http://127.0.0.1:{port}/");
    options.ecosystems = vec!["PyPI".to_owned()];
    let err = update::update(&options, &NoProgress).expect_err("nobody listens");
    let msg = err.to_string();
    assert!(msg.contains("`PyPI`") && msg.contains(&format!("http://127.0.0.1:{port}/PyPI/all.zip")), "{msg}");
    assert!(msg.contains("connection refused"), "{msg}");
    assert!(!dir.path().join("advisories.db").exists());
}

#[test]
fn options_are_checked_before_anything_is_fetched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut options = UpdateOptions::new(dir.path().join("advisories.db"));
    assert_eq!(options.base_url, update::DEFAULT_BASE_URL);
    assert_eq!(options.download_dir, dir.path().join("downloads"));
    options.base_url = "file:///etc".to_owned();
    let err = update::update(&options, &NoProgress).expect_err("not http");
    assert!(matches!(err, UpdateError::Options(_)), "{err:?}");
    options.base_url = update::DEFAULT_BASE_URL.to_owned();
    options.ecosystems.clear();
    assert!(matches!(update::update(&options, &NoProgress), Err(UpdateError::Options(_))));
    assert!(!options.download_dir.exists());
}

#[test]
fn a_store_that_cannot_be_rebuilt_is_left_alone_and_no_temporary_file_remains() {
    let Some(env) = Env::new() else { return };
    fs::create_dir_all(env.store_dir()).expect("mkdir");
    let garbage = b"this is not an SQLite database, and it is not ours to overwrite".repeat(100);
    fs::write(env.store_path(), &garbage).expect("writing a damaged store");
    let err = env.update(&["PyPI"]).expect_err("the copy of the store cannot be opened");
    assert!(matches!(&err, UpdateError::Rebuild { path, .. } if *path == env.store_path()), "{err:?}");
    assert!(err.to_string().starts_with(&format!("cannot update the advisory store {}", env.store_path().display())));
    assert_eq!(fs::read(env.store_path()).expect("store bytes"), garbage);
    assert_eq!(names(&env.store_dir()), ["advisories.db"]);
    // The download itself succeeded and is kept for the next run.
    assert_eq!(names(&env.downloads()), ["PyPI.zip", "PyPI.zip.json"]);
}
