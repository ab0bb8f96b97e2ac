//! Images in a registry, through the OCI distribution API: a small pull client on `ureq` that
//! negotiates manifests, authenticates (anonymous, Basic, bearer tokens), follows indexes to one
//! platform and streams layer blobs with their digests checked on the fly.

mod auth;
mod reference;
mod verify;

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use ureq::Body;
use ureq::http::Response;

use crate::error::SourceError;
use crate::limits::Limits;
use crate::manifest::{Descriptor, Index, Manifest, Plan, PlanLayer, Platform, is_index, select_manifest};
use crate::source::LayerOpener;

use caulk_core::url::{authority_of, is_loopback, resolve_location};
pub use reference::Reference;
use reference::valid_digest;
use verify::{Hasher, Verified, digest_like};

/// How to reach registries.
#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    /// Registries (`host:port`) reached over plain HTTP; loopback only.
    pub insecure: Vec<String>,
    /// The directory whose `config.json` holds credentials; `None` means `$DOCKER_CONFIG`, else
    /// `~/.docker`, as the Docker CLI looks.
    pub docker_config: Option<PathBuf>,
}

/// Every manifest kind we can read, so the registry never has to guess (or down-convert).
const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.docker.distribution.manifest.v2+json";

/// Redirects followed for one request (registries send blobs to storage URLs).
const MAX_REDIRECTS: usize = 5;
/// Bytes kept from an error response or a token answer.
const SMALL_BODY: u64 = 1 << 20;

/// Resolves `reference` in its registry: the plan (configuration and layer digests) and an
/// opener that streams each layer, verified.
pub fn open(
    reference: &str,
    platform: &Platform,
    explicit: bool,
    options: &RegistryOptions,
) -> Result<(Plan, Box<dyn LayerOpener>), SourceError> {
    let reference = Reference::parse(reference)?;
    let insecure =
        options.insecure.iter().any(|h| same_host(h, &reference.registry) || same_host(h, reference.api_host()));
    if insecure && !is_loopback(&reference.registry) {
        return Err(SourceError::Usage(format!(
            "`{}` is listed as an insecure registry, but plain HTTP is allowed only for loopback registries \
             (127.0.0.0/8, ::1, localhost): anywhere else credentials and image content would cross the \
             network unprotected; serve the registry over TLS instead",
            reference.registry
        )));
    }
    let client = Client::new(reference, insecure, options);
    let plan = client.resolve(platform, explicit)?;
    Ok((plan, Box::new(Layers { client })))
}

/// `host:port`, `http://host:port/` and `HOST:port` name the same registry.
fn same_host(listed: &str, host: &str) -> bool {
    let l = listed.trim();
    let l = l.strip_prefix("http://").or_else(|| l.strip_prefix("https://")).unwrap_or(l);
    l.trim_end_matches('/').eq_ignore_ascii_case(host)
}

/// One pull's connection to one repository: the HTTP agent, credentials and cached tokens.
struct Client {
    agent: ureq::Agent,
    reference: Reference,
    /// `https://host[:port]`, or `http://…` for an insecure loopback registry.
    origin: String,
    insecure: bool,
    /// `registry/repository`, for messages.
    name: String,
    /// `repository:<repo>:pull`, the scope every request of this pull needs.
    scope: String,
    auth: auth::Lookup,
    tokens: auth::TokenCache,
    json_limit: u64,
}

/// What a request was for, to word its errors.
#[derive(Clone, Copy)]
enum Fetch<'a> {
    Manifest(&'a str),
    Blob(&'a str),
}

impl Client {
    fn new(reference: Reference, insecure: bool, options: &RegistryOptions) -> Self {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Redirects are followed by hand, to vet each target and to keep Authorization at home.
            .max_redirects(0)
            .https_only(!insecure)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_per_read(Some(Duration::from_secs(60)))
            .timeout_per_write(Some(Duration::from_secs(60)))
            .user_agent(concat!("caulk/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&reference.registry) {
            config = config.proxy(None);
        }
        let agent = ureq::Agent::new_with_config(config.build());
        let scheme = if insecure { "http" } else { "https" };
        let auth = auth::lookup(auth::config_path(options.docker_config.as_deref()).as_deref(), &reference.registry);
        Self {
            agent,
            origin: format!("{scheme}://{}", reference.api_host()),
            insecure,
            name: format!("{}/{}", reference.registry, reference.repository),
            scope: format!("repository:{}:pull", reference.repository),
            auth,
            tokens: auth::TokenCache::default(),
            json_limit: Limits::default().json,
            reference,
        }
    }

    /// Follows the reference (and any index) to one image manifest and fetches its configuration.
    fn resolve(&self, platform: &Platform, explicit: bool) -> Result<Plan, SourceError> {
        let mut want = self.reference.manifest_ref().to_owned();
        let mut expected = self.reference.digest.clone();
        let mut expected_size: Option<u64> = None;
        for _ in 0..4 {
            let (bytes, content_type, digest) = self.manifest(&want, expected.as_deref())?;
            if let Some(size) = expected_size
                && size != bytes.len() as u64
            {
                return Err(SourceError::Registry(format!(
                    "`{}`: manifest {digest} is {} bytes but the index says {size}",
                    self.name,
                    bytes.len()
                )));
            }
            let doc: serde_json::Value = parse_json(&bytes, &digest)?;
            let media_type = doc
                .get("mediaType")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
                .or(content_type.filter(|c| c.starts_with("application/vnd.")));
            if doc.get("schemaVersion").and_then(serde_json::Value::as_u64) == Some(1)
                || media_type
                    .as_deref()
                    .is_some_and(|m| m.starts_with("application/vnd.docker.distribution.manifest.v1"))
            {
                return Err(SourceError::Registry(format!(
                    "`{}:{want}` is a Docker schema 1 manifest, which is deprecated and not supported; \
                     push the image again with a current client",
                    self.name
                )));
            }
            if is_index(media_type.as_deref(), &doc) {
                let index: Index = parse_json(&bytes, &digest)?;
                let chosen = select_manifest(&index, platform, explicit)?;
                if !valid_digest(&chosen.digest) {
                    return Err(SourceError::Invalid(format!("index {digest}: bad digest `{}`", chosen.digest)));
                }
                want.clone_from(&chosen.digest);
                expected = Some(chosen.digest.clone());
                expected_size = chosen.size;
                continue;
            }
            let manifest: Manifest = parse_json(&bytes, &digest)?;
            if !valid_digest(&manifest.config.digest) {
                return Err(SourceError::Invalid(format!(
                    "manifest {digest}: bad configuration digest `{}`",
                    manifest.config.digest
                )));
            }
            let config = self.small_blob(&manifest.config)?;
            let layers = manifest
                .layers
                .iter()
                .map(|l| {
                    if !valid_digest(&l.digest) {
                        return Err(SourceError::Invalid(format!(
                            "manifest {digest}: bad layer digest `{}`",
                            l.digest
                        )));
                    }
                    Ok(PlanLayer {
                        key: l.digest.clone(),
                        digest: Some(l.digest.clone()),
                        media_type: l.media_type.clone(),
                        size: l.size,
                    })
                })
                .collect::<Result<_, SourceError>>()?;
            return Ok(Plan {
                config,
                config_digest: Some(manifest.config.digest.clone()),
                manifest_digest: Some(digest),
                layers,
                tags: self.reference.tagged().into_iter().collect(),
                oci_layout: false,
            });
        }
        Err(SourceError::Invalid(format!("`{}`: image indexes nested more than 4 deep", self.name)))
    }

    /// `GET /v2/<repo>/manifests/<reference>`: the bytes, their media type and their digest,
    /// checked against `expected` and against the registry's `Docker-Content-Digest`.
    fn manifest(
        &self,
        reference: &str,
        expected: Option<&str>,
    ) -> Result<(Vec<u8>, Option<String>, String), SourceError> {
        let path = format!("/v2/{}/manifests/{reference}", self.reference.repository);
        let resp = self.get(&path, Some(MANIFEST_ACCEPT))?;
        if resp.status().as_u16() != 200 {
            return Err(self.status_error(resp, Fetch::Manifest(reference)));
        }
        let content_type = header(&resp, "content-type").map(|c| c.split(';').next().unwrap_or("").trim().to_owned());
        let claimed = header(&resp, "docker-content-digest").map(str::to_owned);
        let bytes = self.read_small(resp, self.json_limit, &format!("manifest `{reference}`"))?;
        let digest = match expected {
            Some(e) => {
                let got = digest_like(e, &bytes);
                if got != e {
                    return Err(SourceError::Registry(format!(
                        "`{}`: asked for manifest {e} but received content that hashes to {got}",
                        self.name
                    )));
                }
                e.to_owned()
            }
            None => digest_like("sha256:", &bytes),
        };
        if let Some(c) = claimed.filter(|c| Hasher::for_digest(c).is_some()) {
            let got = digest_like(&c, &bytes);
            if got != c {
                return Err(SourceError::Registry(format!(
                    "`{}`: the registry says manifest `{reference}` is {c} (Docker-Content-Digest) \
                     but its content hashes to {got}",
                    self.name
                )));
            }
        }
        Ok((bytes, content_type, digest))
    }

    /// A configuration blob: bounded, size- and digest-checked.
    fn small_blob(&self, d: &Descriptor) -> Result<Vec<u8>, SourceError> {
        if let Some(size) = d.size
            && size > self.json_limit
        {
            return Err(SourceError::Registry(format!(
                "`{}`: blob {} is {size} bytes, over the {}-byte limit for JSON documents",
                self.name, d.digest, self.json_limit
            )));
        }
        let resp = self.blob(&d.digest)?;
        let what = format!("`{}@{}`", self.name, d.digest);
        let mut reader = Verified::new(resp.into_body().into_reader(), &d.digest, d.size, what);
        let mut buf = Vec::new();
        (&mut reader)
            .take(self.json_limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| SourceError::Registry(format!("reading the configuration: {e}")))?;
        if buf.len() as u64 > self.json_limit {
            return Err(SourceError::Registry(format!(
                "`{}`: blob {} is over the {}-byte limit for JSON documents",
                self.name, d.digest, self.json_limit
            )));
        }
        Ok(buf)
    }

    /// `GET /v2/<repo>/blobs/<digest>`, answered 200 (after redirects).
    fn blob(&self, digest: &str) -> Result<Response<Body>, SourceError> {
        let resp = self.get(&format!("/v2/{}/blobs/{digest}", self.reference.repository), None)?;
        if resp.status().as_u16() != 200 {
            return Err(self.status_error(resp, Fetch::Blob(digest)));
        }
        Ok(resp)
    }

    /// A GET on the registry with whatever authorization it asks for; answers 401 only when
    /// authentication failed.
    fn get(&self, path: &str, accept: Option<&str>) -> Result<Response<Body>, SourceError> {
        let url = format!("{}{path}", self.origin);
        let host = self.reference.api_host();
        let cached = self.tokens.get(host, &self.scope);
        let resp = self.send(&url, accept, cached.as_deref())?;
        if resp.status().as_u16() != 401 {
            return Ok(resp);
        }
        let Some(authorization) = self.authorize(&resp)? else { return Ok(resp) };
        self.tokens.put(host, &self.scope, authorization.clone());
        self.send(&url, accept, Some(&authorization))
    }

    /// Answers a 401's challenges: a bearer token from the realm, or Basic credentials.
    fn authorize(&self, resp: &Response<Body>) -> Result<Option<String>, SourceError> {
        let challenges: Vec<auth::Challenge> = resp
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(auth::parse_challenges)
            .collect();
        if let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") {
            return self.token(bearer).map(Some);
        }
        if challenges.iter().any(|c| c.scheme == "basic") {
            return Ok(self.auth.credentials.as_ref().map(auth::Credentials::basic));
        }
        Ok(None)
    }

    /// `GET realm?service=…&scope=…`, with our credentials if we have some.
    fn token(&self, challenge: &auth::Challenge) -> Result<String, SourceError> {
        let realm = challenge.params.get("realm").ok_or_else(|| {
            SourceError::Registry(format!("`{}` asked for a bearer token without naming a realm", self.name))
        })?;
        self.check_url(realm)?;
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(service) = challenge.params.get("service") {
            query.push(("service", service));
        }
        let scope = challenge.params.get("scope").map_or(self.scope.as_str(), String::as_str);
        for s in scope.split(' ').filter(|s| !s.is_empty()) {
            query.push(("scope", s));
        }
        let mut url = realm.clone();
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 && !realm.contains('?') { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(&percent_encode(v));
        }
        let basic = self.auth.credentials.as_ref().map(auth::Credentials::basic);
        let resp = self.send(&url, Some("application/json"), basic.as_deref())?;
        let status = resp.status().as_u16();
        if status != 200 {
            let who = match &self.auth.source {
                Some(p) if self.auth.credentials.is_some() => format!("the credentials from {}", p.display()),
                _ => "anonymous access".to_owned(),
            };
            let hint = if status == 401 || status == 403 {
                format!("; authentication required: run `docker login {}`", self.reference.registry)
            } else {
                String::new()
            };
            return Err(SourceError::Registry(format!(
                "the token service {} refused {who} to `{scope}` (HTTP {status}){hint}{}",
                origin_of(realm),
                self.note()
            )));
        }
        let bytes = self.read_small(resp, SMALL_BODY, "the token answer")?;
        let answer: auth::TokenResponse = serde_json::from_slice(&bytes).map_err(|e| {
            SourceError::Registry(format!("the token service {} sent invalid JSON: {e}", origin_of(realm)))
        })?;
        let token = answer
            .into_token()
            .ok_or_else(|| SourceError::Registry(format!("the token service {} sent no token", origin_of(realm))))?;
        Ok(format!("Bearer {token}"))
    }

    /// One GET, following redirects by hand: each target is vetted, and `authorization` goes
    /// only to the origin of `url`, never to the storage a registry redirects blobs to.
    fn send(
        &self,
        url: &str,
        accept: Option<&str>,
        authorization: Option<&str>,
    ) -> Result<Response<Body>, SourceError> {
        let home = origin_of(url);
        let mut url = url.to_owned();
        for _ in 0..=MAX_REDIRECTS {
            self.check_url(&url)?;
            let mut req = self.agent.get(&url);
            if let Some(a) = accept {
                req = req.header("Accept", a);
            }
            if let Some(a) = authorization
                && origin_of(&url) == home
            {
                req = req.header("Authorization", a);
            }
            let resp = req.call().map_err(|e| self.transport_error(&url, &e))?;
            if matches!(resp.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
                let Some(location) = header(&resp, "location") else {
                    return Err(SourceError::Registry(format!(
                        "`{}`: HTTP {} redirect without a Location",
                        self.name,
                        resp.status().as_u16()
                    )));
                };
                url = resolve_location(&url, location);
                continue;
            }
            return Ok(resp);
        }
        Err(SourceError::Registry(format!("`{}`: more than {MAX_REDIRECTS} redirects for {url}", self.name)))
    }

    /// HTTPS anywhere; plain HTTP only to loopback hosts of an insecure (loopback) registry.
    fn check_url(&self, url: &str) -> Result<(), SourceError> {
        let authority = authority_of(url);
        if url.starts_with("https://") && !authority.is_empty() {
            return Ok(());
        }
        if url.starts_with("http://") && self.insecure && is_loopback(authority) {
            return Ok(());
        }
        Err(SourceError::Registry(format!(
            "`{}`: refusing to fetch {} over plain HTTP (only loopback registries listed as insecure may use it)",
            self.name,
            origin_of(url)
        )))
    }

    fn transport_error(&self, url: &str, e: &ureq::Error) -> SourceError {
        let host = authority_of(url);
        let msg = match e {
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                format!("cannot connect to `{host}`: connection refused")
            }
            ureq::Error::HostNotFound => format!("cannot resolve `{host}`"),
            ureq::Error::Timeout(t) => format!("`{host}` did not answer in time ({t})"),
            // rustls failures surface as InvalidData I/O errors from the TLS stream.
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData && url.starts_with("https://") => {
                self.tls_error(host, e)
            }
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => self.tls_error(host, e),
            _ => format!("`{host}`: {e}"),
        };
        SourceError::Registry(format!("{msg} (pulling `{}`)", self.name))
    }

    fn tls_error(&self, host: &str, e: &ureq::Error) -> String {
        let hint = if is_loopback(host) && !self.insecure {
            "; if this local registry speaks plain HTTP, list it as an insecure registry"
        } else {
            ""
        };
        format!("TLS with `{host}` failed: {e}{hint}")
    }

    /// Reads at most `limit` bytes of a body, failing beyond.
    fn read_small(&self, resp: Response<Body>, limit: u64, what: &str) -> Result<Vec<u8>, SourceError> {
        let too_big =
            || SourceError::Registry(format!("`{}`: {what} is larger than the {limit}-byte limit", self.name));
        if header(&resp, "content-length").and_then(|l| l.parse::<u64>().ok()).is_some_and(|l| l > limit) {
            return Err(too_big());
        }
        let mut buf = Vec::new();
        resp.into_body()
            .into_reader()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| SourceError::Registry(format!("`{}`: reading {what}: {e}", self.name)))?;
        if buf.len() as u64 > limit {
            return Err(too_big());
        }
        Ok(buf)
    }

    /// A clear error for a non-success answer, with the registry's own error codes.
    fn status_error(&self, resp: Response<Body>, fetch: Fetch<'_>) -> SourceError {
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        let _ = resp.into_body().into_reader().take(16 << 10).read_to_end(&mut body);
        let detail = registry_errors(&body).map(|d| format!(", {d}")).unwrap_or_default();
        let name = &self.name;
        let registry = &self.reference.registry;
        let what = match fetch {
            Fetch::Manifest(r) if r.contains(':') => format!("{name}@{r}"),
            Fetch::Manifest(r) => format!("{name}:{r}"),
            Fetch::Blob(d) => format!("{name}@{d}"),
        };
        let msg = match (status, fetch) {
            (401, _) => match (&self.auth.credentials, &self.auth.source) {
                (Some(_), Some(p)) => format!(
                    "authentication failed for `{name}` (HTTP 401{detail}): the registry rejected the credentials \
                     for `{registry}` from {}",
                    p.display()
                ),
                _ => format!(
                    "authentication required for `{name}` (HTTP 401{detail}): run `docker login {registry}` or put \
                     `auths.\"{registry}\".auth` in $DOCKER_CONFIG/config.json (default ~/.docker/config.json){}",
                    self.note()
                ),
            },
            (403, _) => format!("access to `{what}` denied (HTTP 403{detail}){}", self.note()),
            (404, Fetch::Manifest(_)) => format!("manifest unknown: `{what}` does not exist (HTTP 404{detail})"),
            (404, Fetch::Blob(_)) => format!("blob unknown: `{what}` does not exist (HTTP 404{detail})"),
            (429, _) => format!("`{registry}` is rate-limiting requests (HTTP 429{detail}); try again later"),
            _ => format!("`{what}`: HTTP {status}{detail}"),
        };
        SourceError::Registry(msg)
    }

    /// `; note: …` when the Docker configuration explains missing credentials.
    fn note(&self) -> String {
        self.auth.note.as_ref().map(|n| format!("; note: {n}")).unwrap_or_default()
    }
}

/// Streams the layers of a resolved image, each through its digest check.
struct Layers {
    client: Client,
}

impl LayerOpener for Layers {
    fn open_layer(&self, layer: &PlanLayer) -> Result<Box<dyn Read + Send + '_>, SourceError> {
        let digest = layer.digest.as_deref().unwrap_or(&layer.key);
        let resp = self.client.blob(digest)?;
        let length = header(&resp, "content-length").and_then(|l| l.parse::<u64>().ok());
        if let (Some(len), Some(size)) = (length, layer.size)
            && len != size
        {
            return Err(SourceError::Registry(format!(
                "`{}@{digest}` is {len} bytes but the manifest says {size}",
                self.client.name
            )));
        }
        let what = format!("layer `{}@{digest}`", self.client.name);
        Ok(Box::new(Verified::new(resp.into_body().into_reader(), digest, layer.size, what)))
    }
}

fn header<'a>(resp: &'a Response<Body>, name: &str) -> Option<&'a str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}

fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8], digest: &str) -> Result<T, SourceError> {
    serde_json::from_slice(bytes).map_err(|e| SourceError::Invalid(format!("manifest {digest}: {e}")))
}

/// `CODE: message; CODE: message` from a distribution-spec error body.
fn registry_errors(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<Error>,
    }
    #[derive(serde::Deserialize)]
    struct Error {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    let parsed: Errors = serde_json::from_slice(body).ok()?;
    let parts: Vec<String> = parsed
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.code, e.message).chars().filter(|c| !c.is_control()).take(200).collect())
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// `scheme://host[:port]`, lowercased, to decide where credentials may go.
fn origin_of(url: &str) -> String {
    let scheme = url.split_once("://").map_or("", |(s, _)| s);
    format!("{scheme}://{}", authority_of(url)).to_ascii_lowercase()
}

/// RFC 3986 unreserved characters pass; everything else is escaped.
const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn percent_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_taken_apart() {
        assert_eq!(authority_of("https://u:p@Reg.example:5000/v2/?x"), "Reg.example:5000");
        assert_eq!(origin_of("HTTPS://Reg.example:5000/v2/"), "https://reg.example:5000");
        assert_eq!(authority_of("http://[::1]:5000"), "[::1]:5000");
        let base = "https://reg.example/v2/a/blobs/sha256:1?x=1";
        assert_eq!(resolve_location(base, "https://s3.example/b?sig=1"), "https://s3.example/b?sig=1");
        assert_eq!(resolve_location(base, "//cdn.example/b"), "https://cdn.example/b");
        assert_eq!(resolve_location(base, "/storage/b"), "https://reg.example/storage/b");
        assert_eq!(resolve_location(base, "c"), "https://reg.example/v2/a/blobs/c");
        assert_eq!(percent_encode("repository:a/b:pull"), "repository%3Aa%2Fb%3Apull");
    }

    #[test]
    fn registry_error_bodies_are_summarised() {
        let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}"#;
        assert_eq!(registry_errors(body).as_deref(), Some("MANIFEST_UNKNOWN: manifest unknown"));
        assert_eq!(registry_errors(b"<html>"), None);
        assert_eq!(registry_errors(br#"{"errors":[]}"#), None);
    }

    #[test]
    fn insecure_registries_must_be_loopback() {
        let options = RegistryOptions { insecure: vec!["registry.example:5000".into()], docker_config: None };
        let err = open("registry.example:5000/app:1", &Platform::default(), false, &options).err().unwrap();
        assert!(matches!(err, SourceError::Usage(_)), "{err}");
        assert!(err.to_string().contains("only for loopback"), "{err}");
        assert!(same_host("http://127.0.0.1:5000/", "127.0.0.1:5000"));
        assert!(!same_host("127.0.0.1:5001", "127.0.0.1:5000"));
    }

    #[test]
    fn plain_http_is_refused_unless_insecure_and_loopback() {
        let options = RegistryOptions::default();
        let secure = Client::new(Reference::parse("127.0.0.1:1/app").unwrap(), false, &options);
        assert!(secure.check_url("http://127.0.0.1:1/v2/").is_err());
        assert!(secure.check_url("https://127.0.0.1:1/v2/").is_ok());
        let insecure = Client::new(Reference::parse("127.0.0.1:1/app").unwrap(), true, &options);
        assert!(insecure.check_url("http://127.0.0.1:1/v2/").is_ok());
        assert!(insecure.check_url("http://localhost:9/token").is_ok());
        let err = insecure.check_url("http://storage.example/blob").unwrap_err().to_string();
        assert!(err.contains("refusing to fetch http://storage.example over plain HTTP"), "{err}");
        assert!(insecure.check_url("ftp://127.0.0.1/x").is_err());
    }

    #[test]
    fn connection_refused_names_the_host() {
        // Bind then drop a listener to get a port nobody serves.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = RegistryOptions { insecure: vec![format!("127.0.0.1:{port}")], docker_config: None };
        let err = open(&format!("127.0.0.1:{port}/app:1"), &Platform::default(), false, &options).err().unwrap();
        let msg = err.to_string();
        assert!(msg.contains(&format!("cannot connect to `127.0.0.1:{port}`")) && msg.contains("app"), "{msg}");
    }
}
