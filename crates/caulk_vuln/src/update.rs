//! `caulk db update`: downloads osv.dev's per-ecosystem `all.zip` exports (resuming interrupted
//! transfers, revalidating with the saved ETag) and swaps in a rebuilt advisory store only once
//! every requested ecosystem has arrived and imported, so a failed update never damages the live
//! store.

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use caulk_core::url::{authority_of, is_loopback, resolve_location};
use serde::{Deserialize, Serialize};
use ureq::Body;
use ureq::http::Response;

use crate::store::{ImportReport, Store, StoreError};

/// osv.dev's bucket of exports: `{base}/{ecosystem}/all.zip`.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// The largest export accepted (2 GiB); Debian's, the biggest, is a few hundred MiB.
pub const DEFAULT_MAX_BYTES: u64 = 2 << 30;
/// How long connecting, or any single read or write, may stall.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Redirects followed for one request.
const MAX_REDIRECTS: usize = 5;
/// Requests made for one ecosystem before giving up (a resume the server refuses restarts).
const MAX_ATTEMPTS: usize = 4;
/// Bytes kept from an error response, or read from a sidecar.
const SMALL_BODY: u64 = 64 << 10;
const COPY_BUFFER: usize = 64 << 10;

/// The ecosystems `caulk db update` fetches when none are named: the distributions caulk reads
/// images of, and the language ecosystems whose packages it finds inside them.
pub fn default_ecosystems() -> Vec<String> {
    [
        "AlmaLinux",
        "Alpine",
        "Debian",
        "Ubuntu",
        "Rocky Linux",
        "Wolfi",
        "Chainguard",
        "PyPI",
        "npm",
        "Go",
        "crates.io",
        "Maven",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// `downloads/` beside the store: the exports and their resume state, kept between runs.
pub fn default_download_dir(store_path: &Path) -> PathBuf {
    parent_dir(store_path).join("downloads")
}

/// What to download and where the result goes.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Where the exports live, `http://` or `https://`: `{base_url}/{ecosystem}/all.zip`.
    pub base_url: String,
    /// osv.dev ecosystem names without a release suffix (`Debian`, `Rocky Linux`, `PyPI`).
    pub ecosystems: Vec<String>,
    /// The live store, replaced as a whole when the update succeeds.
    pub store_path: PathBuf,
    /// Completed exports, `.part` files and their sidecars, kept to resume and revalidate.
    pub download_dir: PathBuf,
    /// How long connecting, or any single read or write, may stall; a slow download that keeps
    /// moving is never cut off.
    pub timeout: Duration,
    /// The largest export accepted, in bytes.
    pub max_bytes: u64,
}

impl UpdateOptions {
    /// osv.dev, the default ecosystems and limits, downloads in `downloads/` beside the store.
    pub fn new(store_path: PathBuf) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            ecosystems: default_ecosystems(),
            download_dir: default_download_dir(&store_path),
            store_path,
            timeout: DEFAULT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Hooks for the binary's progress bars; called from the updating thread, in order.
pub trait UpdateProgress {
    /// A body starts to arrive for `ecosystem` (again, if the download has to restart): `total`
    /// is the export's full size when the server says it, `resumed_from` the bytes already on
    /// disk from an interrupted run.
    fn start(&self, ecosystem: &str, total: Option<u64>, resumed_from: u64);
    /// `bytes` more arrived.
    fn advance(&self, bytes: u64);
    /// The export of `ecosystem` is on disk, complete; `not_modified` when the server said the
    /// copy from the last update is current (no `start` precedes that).
    fn finish(&self, ecosystem: &str, not_modified: bool);
    /// The export of `ecosystem` is being imported into the new store.
    fn importing(&self, ecosystem: &str);
}

/// Progress reporting for callers that draw nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl UpdateProgress for NoProgress {
    fn start(&self, _ecosystem: &str, _total: Option<u64>, _resumed_from: u64) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self, _ecosystem: &str, _not_modified: bool) {}
    fn importing(&self, _ecosystem: &str) {}
}

/// What an update did, per ecosystem in the order they were requested.
#[derive(Debug, Clone)]
pub struct UpdateReport {
    pub store_path: PathBuf,
    pub ecosystems: Vec<EcosystemReport>,
}

/// One ecosystem's download and import.
#[derive(Debug, Clone)]
pub struct EcosystemReport {
    pub ecosystem: String,
    /// The export's URL, also its provenance location in the store.
    pub url: String,
    /// Body bytes received in this run (0 when not modified).
    pub bytes_downloaded: u64,
    /// Where a resumed download picked up, when the server honoured our `Range`.
    pub resumed_from: Option<u64>,
    /// The server answered `304 Not Modified`; the export from the last update was imported.
    pub not_modified: bool,
    /// The size of the export imported.
    pub size: u64,
    pub import: ImportReport,
}

/// Why an update failed. Each download error names the ecosystem and URL; whatever the cause,
/// the live store is as it was and partial downloads are kept for the next run.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("invalid update options: {0}")]
    Options(String),
    #[error("`{ecosystem}`: GET {url} answered HTTP {status}{hint}")]
    Http { ecosystem: String, url: String, status: u16, hint: String },
    #[error("`{ecosystem}`: downloading {url}: {message}")]
    Download { ecosystem: String, url: String, message: String },
    #[error("`{ecosystem}`: {url} is larger than the {limit}-byte download limit")]
    TooLarge { ecosystem: String, url: String, limit: u64 },
    #[error("`{ecosystem}`: {url} is not a readable zip archive: {message}")]
    NotZip { ecosystem: String, url: String, message: String },
    #[error("`{ecosystem}`: downloading {url}: {}: {source}", path.display())]
    Io { ecosystem: String, url: String, path: PathBuf, source: io::Error },
    #[error("`{ecosystem}`: importing {url}: {source}")]
    Import { ecosystem: String, url: String, source: StoreError },
    #[error("advisory store {}: {source}", path.display())]
    StoreIo { path: PathBuf, source: io::Error },
    /// The copy of the store being rebuilt could not be opened (a damaged live store).
    #[error("cannot update the advisory store {} (working on a copy of it): {source}", path.display())]
    Rebuild { path: PathBuf, source: StoreError },
}

/// Downloads every ecosystem of `options`, imports them into a copy of the current store and
/// puts that copy in place of the live store, only if all of them succeeded.
pub fn update(options: &UpdateOptions, progress: &dyn UpdateProgress) -> Result<UpdateReport, UpdateError> {
    let base = checked_base_url(&options.base_url)?;
    let ecosystems = checked_ecosystems(&options.ecosystems)?;
    fs::create_dir_all(&options.download_dir)
        .map_err(|source| UpdateError::StoreIo { path: options.download_dir.clone(), source })?;
    let fetcher = Fetcher::new(options, base, progress);
    let mut downloads = Vec::with_capacity(ecosystems.len());
    for ecosystem in ecosystems {
        let target = Target::new(base, ecosystem, &options.download_dir);
        let downloaded = fetcher.fetch(&target)?;
        downloads.push((target, downloaded));
    }
    let imports = rebuild(&options.store_path, &downloads, progress)?;
    let ecosystems = downloads
        .into_iter()
        .zip(imports)
        .map(|((target, d), import)| EcosystemReport {
            ecosystem: target.ecosystem,
            url: target.url,
            bytes_downloaded: d.bytes,
            resumed_from: d.resumed_from,
            not_modified: d.not_modified,
            size: d.size,
            import,
        })
        .collect();
    Ok(UpdateReport { store_path: options.store_path.clone(), ecosystems })
}

/// The export URL of `ecosystem` under `base`.
pub fn export_url(base: &str, ecosystem: &str) -> String {
    format!("{}/{}/all.zip", base.trim_end_matches('/'), percent_encode(ecosystem))
}

/// `base` without trailing slashes, if it is an absolute http(s) URL without query or fragment.
fn checked_base_url(base: &str) -> Result<&str, UpdateError> {
    let invalid = |why: &str| UpdateError::Options(format!("base URL `{base}` {why}"));
    let (scheme, _) = base.split_once("://").ok_or_else(|| invalid("is not an absolute http(s) URL"))?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(invalid("must use http or https"));
    }
    if authority_of(base).is_empty() {
        return Err(invalid("names no host"));
    }
    if base.contains(['?', '#']) || base.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("must not contain a query, a fragment or whitespace"));
    }
    Ok(base.trim_end_matches('/'))
}

/// The requested ecosystems, trimmed, each once, in the order given.
fn checked_ecosystems(requested: &[String]) -> Result<Vec<&str>, UpdateError> {
    let mut out: Vec<&str> = Vec::with_capacity(requested.len());
    for e in requested {
        let e = e.trim();
        if e.is_empty() {
            return Err(UpdateError::Options("an ecosystem name is empty".to_owned()));
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(UpdateError::Options("no ecosystems to update".to_owned()));
    }
    Ok(out)
}

/// RFC 3986 unreserved characters pass; everything else is escaped.
const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a path segment: everything but RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

/// One ecosystem's export: its URL and the files it is kept in.
#[derive(Debug)]
struct Target {
    ecosystem: String,
    url: String,
    /// The last complete, verified export.
    zip: PathBuf,
    /// Validators of `zip` (ETag, Last-Modified).
    zip_meta: PathBuf,
    /// An export being downloaded.
    part: PathBuf,
    /// Validators of the response `part` holds.
    part_meta: PathBuf,
}

impl Target {
    fn new(base: &str, ecosystem: &str, dir: &Path) -> Self {
        // The percent-encoded name is safe in any file system and keeps distinct names distinct.
        let stem = percent_encode(ecosystem);
        Self {
            ecosystem: ecosystem.to_owned(),
            url: export_url(base, ecosystem),
            zip: dir.join(format!("{stem}.zip")),
            zip_meta: dir.join(format!("{stem}.zip.json")),
            part: dir.join(format!("{stem}.zip.part")),
            part_meta: dir.join(format!("{stem}.zip.part.json")),
        }
    }

    fn io(&self, path: &Path, source: io::Error) -> UpdateError {
        UpdateError::Io { ecosystem: self.ecosystem.clone(), url: self.url.clone(), path: path.to_owned(), source }
    }

    fn download_error(&self, message: String) -> UpdateError {
        UpdateError::Download { ecosystem: self.ecosystem.clone(), url: self.url.clone(), message }
    }
}

/// The sidecar of a download: which URL it came from and the validators the server sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Validators {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Validators {
    fn from_response(url: &str, resp: &Response<Body>) -> Self {
        Self {
            url: url.to_owned(),
            etag: header(resp, "etag").map(str::to_owned),
            last_modified: header(resp, "last-modified").map(str::to_owned),
        }
    }

    /// The sidecar at `path`, if there is a readable one.
    fn load(path: &Path) -> Option<Self> {
        let mut text = Vec::new();
        File::open(path).ok()?.take(SMALL_BODY).read_to_end(&mut text).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Writes the sidecar through a temporary file, so a crash leaves the old one or the new one.
    fn save(&self, path: &Path) -> io::Result<()> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let text = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        fs::write(&tmp, text)?;
        fs::rename(&tmp, path)
    }

    /// What to send as `If-Range`: a strong ETag, else the date (weak ETags never match there).
    fn if_range(&self) -> Option<&str> {
        match &self.etag {
            Some(e) if !e.starts_with("W/") => Some(e),
            _ => self.last_modified.as_deref(),
        }
    }

    /// The conditional headers that let the server answer `304 Not Modified`.
    fn conditional(&self) -> Vec<(&'static str, String)> {
        match (&self.etag, &self.last_modified) {
            (Some(e), _) => vec![("If-None-Match", e.clone())],
            (None, Some(d)) => vec![("If-Modified-Since", d.clone())],
            (None, None) => Vec::new(),
        }
    }
}

/// A `Content-Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContentRange {
    /// `bytes start-end/total` (`total` is `*` when unknown); `end` is inclusive.
    Bytes { start: u64, end: u64, total: Option<u64> },
    /// `bytes */total`, sent with `416 Range Not Satisfiable`.
    Unsatisfied { total: u64 },
}

impl ContentRange {
    fn parse(value: &str) -> Option<Self> {
        let rest = value.trim().strip_prefix("bytes")?;
        let rest = rest.strip_prefix([' ', '='])?.trim_start();
        let (range, total) = rest.split_once('/')?;
        let total = match total.trim() {
            "*" => None,
            t => Some(parse_u64(t)?),
        };
        if range.trim() == "*" {
            return total.map(|total| Self::Unsatisfied { total });
        }
        let (start, end) = range.trim().split_once('-')?;
        let (start, end) = (parse_u64(start)?, parse_u64(end)?);
        if start > end || total.is_some_and(|t| end >= t) {
            return None;
        }
        Some(Self::Bytes { start, end, total })
    }
}

fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A settled download.
#[derive(Debug)]
struct Downloaded {
    bytes: u64,
    resumed_from: Option<u64>,
    not_modified: bool,
    size: u64,
}

/// What the `.part` file holds after one request.
enum Partial {
    /// Everything: verify and keep it.
    Complete,
    /// A prefix the server will extend on the next request.
    Incomplete,
    /// Nothing usable: discard it and ask for the whole export.
    Restart,
}

/// The HTTP side of an update.
struct Fetcher<'a> {
    agent: ureq::Agent,
    max_bytes: u64,
    progress: &'a dyn UpdateProgress,
}

impl<'a> Fetcher<'a> {
    fn new(options: &UpdateOptions, base: &str, progress: &'a dyn UpdateProgress) -> Self {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Redirects are followed by hand, to vet each target and to resend the range headers.
            .max_redirects(0)
            .timeout_connect(Some(options.timeout))
            .timeout_per_read(Some(options.timeout))
            .timeout_per_write(Some(options.timeout))
            .user_agent(concat!("caulk/", env!("CARGO_PKG_VERSION")));
        if is_loopback(authority_of(base)) {
            config = config.proxy(None);
        }
        Self { agent: ureq::Agent::new_with_config(config.build()), max_bytes: options.max_bytes, progress }
    }

    /// Brings `target.zip` up to date: resumes a `.part`, revalidates a complete export, or
    /// downloads afresh.
    fn fetch(&self, t: &Target) -> Result<Downloaded, UpdateError> {
        let mut may_resume = true;
        let mut received = 0;
        let mut resumed_from = None;
        for _ in 0..MAX_ATTEMPTS {
            let part_len = fs::metadata(&t.part).map_or(0, |m| m.len());
            let part_meta = Validators::load(&t.part_meta);
            // A sidecar for another URL (a different mirror) means the bytes are not this export's.
            let resume = may_resume && part_len > 0 && part_meta.as_ref().is_none_or(|v| v.url == t.url);
            let cached = if resume { None } else { cached(t) };
            let mut headers = Vec::new();
            if resume {
                headers.push(("Range", format!("bytes={part_len}-")));
                if let Some(v) = part_meta.as_ref().and_then(Validators::if_range) {
                    headers.push(("If-Range", v.to_owned()));
                }
            } else if let Some(v) = &cached {
                headers.extend(v.conditional());
            }
            let resp = self.send(t, &headers)?;
            let status = resp.status().as_u16();
            let outcome = match status {
                304 if cached.is_some() => {
                    self.progress.finish(&t.ecosystem, true);
                    let size = fs::metadata(&t.zip).map_err(|e| t.io(&t.zip, e))?.len();
                    return Ok(Downloaded { bytes: 0, resumed_from: None, not_modified: true, size });
                }
                200 => {
                    Validators::from_response(&t.url, &resp).save(&t.part_meta).map_err(|e| t.io(&t.part_meta, e))?;
                    let file = File::create(&t.part).map_err(|e| t.io(&t.part, e))?;
                    resumed_from = None;
                    let length = resp.body().content_length();
                    let (n, outcome) = self.receive(t, resp, file, 0, length)?;
                    received += n;
                    outcome
                }
                206 if resume => match header(&resp, "content-range").and_then(ContentRange::parse) {
                    Some(ContentRange::Bytes { start, total, .. }) if start == part_len => {
                        let file = OpenOptions::new().append(true).open(&t.part).map_err(|e| t.io(&t.part, e))?;
                        resumed_from.get_or_insert(part_len);
                        let (n, outcome) = self.receive(t, resp, file, part_len, total)?;
                        received += n;
                        outcome
                    }
                    // Another range than asked for: start over rather than splice.
                    _ => Partial::Restart,
                },
                416 if resume => match header(&resp, "content-range").and_then(ContentRange::parse) {
                    // The interrupted run had in fact received everything.
                    Some(ContentRange::Unsatisfied { total }) if total == part_len => Partial::Complete,
                    _ => Partial::Restart,
                },
                _ => return Err(status_error(t, resp, status)),
            };
            match outcome {
                Partial::Incomplete => {}
                Partial::Restart => {
                    discard(&t.part, &t.part_meta).map_err(|e| t.io(&t.part, e))?;
                    may_resume = false;
                }
                Partial::Complete => match verify_zip(&t.part) {
                    Ok(()) => {
                        settle(t)?;
                        self.progress.finish(&t.ecosystem, false);
                        let size = fs::metadata(&t.zip).map_err(|e| t.io(&t.zip, e))?.len();
                        return Ok(Downloaded { bytes: received, resumed_from, not_modified: false, size });
                    }
                    Err(message) => {
                        discard(&t.part, &t.part_meta).map_err(|e| t.io(&t.part, e))?;
                        // Bytes spliced onto an older run's may not belong together: one fresh try.
                        if resume {
                            may_resume = false;
                            continue;
                        }
                        return Err(UpdateError::NotZip {
                            ecosystem: t.ecosystem.clone(),
                            url: t.url.clone(),
                            message,
                        });
                    }
                },
            }
        }
        Err(t.download_error(format!("no complete download after {MAX_ATTEMPTS} requests")))
    }

    /// Streams the body onto `file` (which holds `offset` bytes), writing as it arrives so an
    /// interrupted transfer leaves everything received in the `.part`.
    fn receive(
        &self,
        t: &Target,
        resp: Response<Body>,
        mut file: File,
        offset: u64,
        total: Option<u64>,
    ) -> Result<(u64, Partial), UpdateError> {
        let length = resp.body().content_length();
        let too_large = || {
            let _ = discard(&t.part, &t.part_meta);
            UpdateError::TooLarge { ecosystem: t.ecosystem.clone(), url: t.url.clone(), limit: self.max_bytes }
        };
        let end = length.map(|l| offset.saturating_add(l));
        if total.or(end).is_some_and(|size| size > self.max_bytes) {
            return Err(too_large());
        }
        self.progress.start(&t.ecosystem, total.or(end), offset);
        let mut reader = resp.into_body().into_reader();
        let mut buf = vec![0; COPY_BUFFER];
        let mut received: u64 = 0;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = file.sync_all();
                    return Err(t.download_error(format!(
                        "the transfer broke off after {} bytes ({e}); they are kept in {} and the next update \
                         resumes from there",
                        offset + received,
                        t.part.display()
                    )));
                }
            };
            if offset + received + n as u64 > self.max_bytes {
                return Err(too_large());
            }
            file.write_all(&buf[..n]).map_err(|e| t.io(&t.part, e))?;
            received += n as u64;
            self.progress.advance(n as u64);
        }
        file.sync_all().map_err(|e| t.io(&t.part, e))?;
        if let Some(l) = length
            && received != l
        {
            return Err(t.download_error(format!(
                "the server sent {received} of {l} bytes; they are kept in {} and the next update resumes from there",
                t.part.display()
            )));
        }
        let outcome = match total {
            Some(total) if offset + received < total => Partial::Incomplete,
            Some(total) if offset + received > total => Partial::Restart,
            _ => Partial::Complete,
        };
        Ok((received, outcome))
    }

    /// One GET, following redirects by hand: each target must be http(s), never a step down from
    /// https to http, and gets the same headers.
    fn send(&self, t: &Target, headers: &[(&str, String)]) -> Result<Response<Body>, UpdateError> {
        let mut url = t.url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let mut req = self.agent.get(&url);
            for (name, value) in headers {
                req = req.header(*name, value);
            }
            let resp = req.call().map_err(|e| t.download_error(transport_message(&url, &e)))?;
            let status = resp.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok(resp);
            }
            let Some(location) = header(&resp, "location") else {
                return Err(t.download_error(format!("HTTP {status} redirect from {url} without a Location")));
            };
            let next = resolve_location(&url, location);
            let scheme = next.split_once("://").map_or("", |(s, _)| s).to_ascii_lowercase();
            if scheme != "https" && scheme != "http" {
                return Err(t.download_error(format!("{url} redirects to {next}, which is not http(s)")));
            }
            if scheme == "http" && url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) {
                return Err(t.download_error(format!("refusing the redirect from {url} down to plain HTTP {next}")));
            }
            url = next;
        }
        Err(t.download_error(format!("more than {MAX_REDIRECTS} redirects")))
    }
}

/// The validators of the complete export from the last update, if it is still readable.
fn cached(t: &Target) -> Option<Validators> {
    let v = Validators::load(&t.zip_meta)?;
    let usable = v.url == t.url && (v.etag.is_some() || v.last_modified.is_some());
    (usable && verify_zip(&t.zip).is_ok()).then_some(v)
}

/// Promotes the verified `.part` to the export and its sidecar with it.
fn settle(t: &Target) -> Result<(), UpdateError> {
    fs::rename(&t.part, &t.zip).map_err(|e| t.io(&t.zip, e))?;
    let moved =
        if t.part_meta.exists() { fs::rename(&t.part_meta, &t.zip_meta) } else { remove_if_exists(&t.zip_meta) };
    moved.map_err(|e| t.io(&t.zip_meta, e))
}

fn status_error(t: &Target, resp: Response<Body>, status: u16) -> UpdateError {
    let mut body = Vec::new();
    let _ = resp.into_body().into_reader().take(SMALL_BODY).read_to_end(&mut body);
    let reason = ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    let mut hint = reason.map(|r| format!(" {r}")).unwrap_or_default();
    match status {
        404 => {
            let _ = write!(hint, "; is `{}` an osv.dev ecosystem name (without a release)?", t.ecosystem);
        }
        429 | 500..=599 => hint.push_str("; try again later, completed downloads are kept"),
        _ => {}
    }
    UpdateError::Http { ecosystem: t.ecosystem.clone(), url: t.url.clone(), status, hint }
}

/// Whether the zip's central directory can be read, or why not.
fn verify_zip(path: &Path) -> Result<(), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    zip::ZipArchive::new(io::BufReader::new(file)).map(drop).map_err(|e| e.to_string())
}

fn discard(part: &Path, meta: &Path) -> io::Result<()> {
    remove_if_exists(part)?;
    remove_if_exists(meta)
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The rebuilt store, removed with its SQLite side files unless it was put in place.
struct TempStore {
    path: PathBuf,
    committed: bool,
}

impl TempStore {
    /// A fresh file beside `store_path`, on the same file system so the final rename is atomic.
    fn create(store_path: &Path) -> Result<Self, UpdateError> {
        let dir = parent_dir(store_path);
        let name = store_path.file_name().map_or_else(|| "advisories.db".into(), |n| n.to_string_lossy());
        let mut last = None;
        for n in 0..100 {
            let path = dir.join(format!(".{name}.update-{}-{n}", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(Self { path, committed: false }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(source) => return Err(UpdateError::StoreIo { path, source }),
            }
        }
        let source = last.unwrap_or_else(|| io::Error::other("no free temporary name"));
        Err(UpdateError::StoreIo { path: dir.to_owned(), source })
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_if_exists(&self.path);
        }
        for suffix in SIDE_FILES {
            let _ = remove_if_exists(&side_file(&self.path, suffix));
        }
    }
}

/// The files SQLite keeps beside a database while it is written.
const SIDE_FILES: [&str; 3] = ["-journal", "-wal", "-shm"];

fn side_file(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the live store (keeping offline imports), imports every export into the copy and
/// renames the copy over the live store.
fn rebuild(
    store_path: &Path,
    downloads: &[(Target, Downloaded)],
    progress: &dyn UpdateProgress,
) -> Result<Vec<ImportReport>, UpdateError> {
    let io_err = |path: &Path| {
        let path = path.to_owned();
        move |source| UpdateError::StoreIo { path, source }
    };
    let dir = parent_dir(store_path);
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut temp = TempStore::create(store_path)?;
    if store_path.exists() {
        fs::copy(store_path, &temp.path).map_err(io_err(store_path))?;
        // Committed pages still in a write-ahead log, or a crashed writer's journal, travel along.
        for suffix in ["-wal", "-journal"] {
            let side = side_file(store_path, suffix);
            if side.exists() {
                fs::copy(&side, side_file(&temp.path, suffix)).map_err(io_err(&side))?;
            }
        }
    }
    let mut imports = Vec::with_capacity(downloads.len());
    {
        let mut store =
            Store::create(&temp.path).map_err(|source| UpdateError::Rebuild { path: store_path.to_owned(), source })?;
        for (t, _) in downloads {
            progress.importing(&t.ecosystem);
            let report = store.import_path(&t.zip, Some(&t.url)).map_err(|source| UpdateError::Import {
                ecosystem: t.ecosystem.clone(),
                url: t.url.clone(),
                source,
            })?;
            imports.push(report);
        }
    }
    // Closed, the store must be one self-contained file, or the rename would leave data behind.
    let wal = side_file(&temp.path, "-wal");
    if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(UpdateError::StoreIo {
            path: wal,
            source: io::Error::other("the rebuilt store kept a write-ahead log after closing"),
        });
    }
    File::open(&temp.path).and_then(|f| f.sync_all()).map_err(io_err(&temp.path))?;
    fs::rename(&temp.path, store_path).map_err(io_err(store_path))?;
    temp.committed = true;
    // A journal or log of the replaced file would be replayed onto the new one.
    for suffix in ["-journal", "-wal"] {
        let side = side_file(store_path, suffix);
        remove_if_exists(&side).map_err(io_err(&side))?;
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(imports)
}

/// The directory a file is in; `.` for a bare file name.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn header<'a>(resp: &'a Response<Body>, name: &str) -> Option<&'a str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}

fn transport_message(url: &str, e: &ureq::Error) -> String {
    let host = authority_of(url);
    match e {
        ureq::Error::Io(io) if io.kind() == io::ErrorKind::ConnectionRefused => {
            format!("cannot connect to `{host}`: connection refused")
        }
        ureq::Error::HostNotFound => format!("cannot resolve `{host}`"),
        ureq::Error::Timeout(t) => format!("`{host}` did not answer in time ({t})"),
        _ => format!("`{host}`: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_urls_percent_encode_the_ecosystem() {
        let base = DEFAULT_BASE_URL;
        assert_eq!(export_url(base, "Rocky Linux"), format!("{base}/Rocky%20Linux/all.zip"));
        assert_eq!(export_url(base, "crates.io"), format!("{base}/crates.io/all.zip"));
        assert_eq!(export_url(base, "Ubuntu:Pro"), format!("{base}/Ubuntu%3APro/all.zip"));
        assert_eq!(export_url("http://127.0.0.1:8/osv//", "a/b"), "http://127.0.0.1:8/osv/a%2Fb/all.zip");
        assert_eq!(export_url(base, "Ünï"), format!("{base}/%C3%9Cn%C3%AF/all.zip"));
    }

    #[test]
    fn base_urls_must_be_http_or_https() {
        assert_eq!(checked_base_url("https://x.example/").unwrap(), "https://x.example");
        assert_eq!(checked_base_url("HTTP://127.0.0.1:9/osv").unwrap(), "HTTP://127.0.0.1:9/osv");
        for bad in ["ftp://x.example", "x.example", "https://", "https:///path", "https://x/?q", "https://x/a b"] {
            let err = checked_base_url(bad).unwrap_err();
            assert!(matches!(err, UpdateError::Options(_)) && err.to_string().contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn ecosystems_are_trimmed_deduplicated_and_required() {
        let names: Vec<String> = ["PyPI", " npm ", "PyPI"].into_iter().map(String::from).collect();
        assert_eq!(checked_ecosystems(&names).unwrap(), ["PyPI", "npm"]);
        assert!(checked_ecosystems(&[]).is_err());
        assert!(checked_ecosystems(&["  ".to_owned()]).is_err());
        assert_eq!(default_ecosystems().len(), 12);
    }

    #[test]
    fn download_files_are_named_after_the_encoded_ecosystem() {
        let t = Target::new("https://x.example", "Rocky Linux", Path::new("/cache/downloads"));
        assert_eq!(t.url, "https://x.example/Rocky%20Linux/all.zip");
        assert_eq!(t.zip, Path::new("/cache/downloads/Rocky%20Linux.zip"));
        assert_eq!(t.part, Path::new("/cache/downloads/Rocky%20Linux.zip.part"));
        assert_eq!(t.part_meta, Path::new("/cache/downloads/Rocky%20Linux.zip.part.json"));
        // Names that differ only in characters a file system might not take stay distinct.
        let a = Target::new("https://x.example", "a b", Path::new("d"));
        let b = Target::new("https://x.example", "a_b", Path::new("d"));
        assert_ne!(a.zip, b.zip);
        assert_eq!(Target::new("https://x", "../x", Path::new("d")).zip, Path::new("d/..%2Fx.zip"));
    }

    #[test]
    fn content_ranges_are_parsed_strictly() {
        assert_eq!(
            ContentRange::parse("bytes 100-199/200"),
            Some(ContentRange::Bytes { start: 100, end: 199, total: Some(200) })
        );
        assert_eq!(ContentRange::parse("bytes 0-0/*"), Some(ContentRange::Bytes { start: 0, end: 0, total: None }));
        assert_eq!(ContentRange::parse("bytes */4096"), Some(ContentRange::Unsatisfied { total: 4096 }));
        assert_eq!(
            ContentRange::parse(" bytes=5-9/10 "),
            Some(ContentRange::Bytes { start: 5, end: 9, total: Some(10) })
        );
        for bad in [
            "",
            "bytes",
            "bytes 1-2",
            "bytes 2-1/10",
            "bytes 5-10/10",
            "bytes */*",
            "items 0-1/2",
            "bytes -1-2/3",
            "bytes +1-2/3",
            "bytes 0-99999999999999999999/1",
        ] {
            assert_eq!(ContentRange::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn sidecars_round_trip_and_tolerate_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("PyPI.zip.json");
        assert_eq!(Validators::load(&path), None);
        let v = Validators {
            url: "https://x.example/PyPI/all.zip".into(),
            etag: Some("\"abc\"".into()),
            last_modified: Some("Tue, 01 Jul 2025 00:00:00 GMT".into()),
        };
        v.save(&path).unwrap();
        assert_eq!(Validators::load(&path), Some(v.clone()));
        assert!(!dir.path().join("PyPI.zip.json.tmp").exists());
        assert_eq!(v.if_range(), Some("\"abc\""));
        assert_eq!(v.conditional(), [("If-None-Match", "\"abc\"".to_owned())]);

        let weak = Validators { etag: Some("W/\"abc\"".into()), ..v.clone() };
        assert_eq!(weak.if_range(), Some("Tue, 01 Jul 2025 00:00:00 GMT"));
        let dated = Validators { etag: None, ..v.clone() };
        assert_eq!(dated.conditional(), [("If-Modified-Since", "Tue, 01 Jul 2025 00:00:00 GMT".to_owned())]);
        let bare = Validators { url: v.url, etag: None, last_modified: None };
        assert_eq!(bare.if_range(), None);
        assert!(bare.conditional().is_empty());

        fs::write(&path, b"{ not json").unwrap();
        assert_eq!(Validators::load(&path), None);
        fs::write(&path, vec![b' '; 1 << 20]).unwrap();
        assert_eq!(Validators::load(&path), None);
    }

    #[test]
    fn redirect_targets_resolve_against_the_request() {
        let base = "https://x.example/osv/PyPI/all.zip";
        assert_eq!(resolve_location(base, "https://cdn.example/a.zip"), "https://cdn.example/a.zip");
        assert_eq!(resolve_location(base, "ftp://cdn.example/a.zip"), "ftp://cdn.example/a.zip");
        assert_eq!(resolve_location(base, "//cdn.example/a.zip"), "https://cdn.example/a.zip");
        assert_eq!(resolve_location(base, "/b/all.zip"), "https://x.example/b/all.zip");
        assert_eq!(resolve_location(base, "v2.zip"), "https://x.example/osv/PyPI/v2.zip");
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(is_loopback("127.0.0.1:8080"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]:80"));
        assert!(!is_loopback("osv-vulnerabilities.storage.googleapis.com"));
        assert_eq!(authority_of("https://u@h.example:1/p?q"), "h.example:1");
    }

    #[test]
    fn parent_dir_of_a_bare_name_is_the_current_directory() {
        assert_eq!(parent_dir(Path::new("advisories.db")), Path::new("."));
        assert_eq!(default_download_dir(Path::new("/c/caulk/advisories.db")), Path::new("/c/caulk/downloads"));
    }
}
