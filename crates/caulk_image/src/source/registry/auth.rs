//! Registry authentication: credentials from Docker's `config.json`, `WWW-Authenticate`
//! challenges, and the bearer-token dance, with tokens cached for one pull.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::source::registry::reference::DOCKER_HUB;

/// A user name and password for one registry.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub(crate) user: String,
    pub(crate) password: String,
}

impl Credentials {
    /// `Basic <base64(user:password)>`.
    pub(crate) fn basic(&self) -> String {
        format!("Basic {}", STANDARD.encode(format!("{}:{}", self.user, self.password)))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("user", &self.user).field("password", &"<redacted>").finish()
    }
}

/// What the Docker configuration said about a registry: credentials, or why there are none.
#[derive(Debug, Default)]
pub(crate) struct Lookup {
    pub(crate) credentials: Option<Credentials>,
    /// The file the credentials came from, for messages.
    pub(crate) source: Option<PathBuf>,
    /// Why credentials that seem configured could not be used (helpers, unreadable file).
    pub(crate) note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DockerConfig {
    auths: BTreeMap<String, AuthEntry>,
    creds_store: Option<String>,
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuthEntry {
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
    identitytoken: Option<String>,
}

/// `config.json` in `dir`, else in `$DOCKER_CONFIG`, else in `~/.docker`.
pub(crate) fn config_path(dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = dir {
        return Some(d.join("config.json"));
    }
    if let Some(d) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("config.json"));
    }
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(".docker/config.json"))
}

/// Finds credentials for `registry` (`host[:port]`, `docker.io` for Docker Hub) in `path`.
/// A missing file means anonymous access; a broken one is noted, not fatal, as with `docker pull`.
pub(crate) fn lookup(path: Option<&Path>, registry: &str) -> Lookup {
    let Some(path) = path else { return Lookup::default() };
    let bytes = match std::fs::File::open(path) {
        Ok(f) => {
            let mut buf = Vec::new();
            if let Err(e) = f.take(4 << 20).read_to_end(&mut buf) {
                return noted(format!("{} could not be read: {e}", path.display()));
            }
            buf
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::default(),
        Err(e) => return noted(format!("{} could not be read: {e}", path.display())),
    };
    let config: DockerConfig = match serde_json::from_slice(&bytes) {
        Ok(c) => c,
        Err(e) => return noted(format!("{} is not valid JSON: {e}", path.display())),
    };
    let wanted = key_host(registry);
    let entry = config
        .auths
        .iter()
        .filter(|(k, _)| same_registry(&key_host(k), &wanted))
        // `https://index.docker.io/v1/` is Docker Hub's canonical key; prefer exact forms.
        .min_by_key(|(k, _)| (!k.starts_with("https://"), k.len()))
        .map(|(_, e)| e);
    let mut out = Lookup { source: Some(path.to_owned()), ..Lookup::default() };
    if let Some(e) = entry {
        match credentials_of(e) {
            Ok(Some(c)) => {
                out.credentials = Some(c);
                return out;
            }
            Ok(None) => {}
            Err(why) => out.note = Some(format!("the entry for `{registry}` in {}: {why}", path.display())),
        }
    }
    let helper = config
        .cred_helpers
        .iter()
        .find(|(k, _)| same_registry(&key_host(k), &wanted))
        .map(|(_, h)| h.clone())
        .or(config.creds_store);
    if out.note.is_none()
        && let Some(h) = helper
    {
        out.note = Some(format!(
            "{} delegates credentials to `docker-credential-{h}`; caulk does not run credential helpers, \
             so put `auths.\"{registry}\".auth` (base64 of user:password) in a DOCKER_CONFIG of its own",
            path.display()
        ));
    }
    out
}

fn noted(note: String) -> Lookup {
    Lookup { note: Some(note), ..Lookup::default() }
}

fn credentials_of(e: &AuthEntry) -> Result<Option<Credentials>, String> {
    if let Some(auth) = e.auth.as_deref().filter(|a| !a.is_empty()) {
        let decoded = STANDARD.decode(auth.trim()).map_err(|_| "`auth` is not base64".to_owned())?;
        let text = String::from_utf8(decoded).map_err(|_| "`auth` is not UTF-8".to_owned())?;
        let (user, password) = text.split_once(':').ok_or("`auth` is not base64 of user:password")?;
        return Ok(Some(Credentials { user: user.to_owned(), password: password.to_owned() }));
    }
    if let (Some(user), Some(password)) = (&e.username, &e.password) {
        return Ok(Some(Credentials { user: user.clone(), password: password.clone() }));
    }
    if e.identitytoken.is_some() {
        return Err("identity tokens (OAuth refresh tokens) are not supported".to_owned());
    }
    Ok(None)
}

/// `https://host:port/v1/` → `host:port`, lowercased.
fn key_host(key: &str) -> String {
    let k = key.trim();
    let k = k.strip_prefix("https://").or_else(|| k.strip_prefix("http://")).unwrap_or(k);
    k.split('/').next().unwrap_or("").to_ascii_lowercase()
}

fn same_registry(a: &str, b: &str) -> bool {
    let hub =
        |h: &str| matches!(h, "docker.io" | "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com");
    a == b || (hub(a) && hub(b)) || (b == DOCKER_HUB && hub(a))
}

/// One `WWW-Authenticate` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Challenge {
    /// `bearer` or `basic`, lowercased.
    pub(crate) scheme: String,
    /// Parameter names lowercased.
    pub(crate) params: BTreeMap<String, String>,
}

/// Parses `Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params, quoted or bare).
/// Several challenges in one header are split where a new scheme begins.
pub(crate) fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let b = header.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t' || b[*i] == b',') {
            *i += 1;
        }
    };
    let token = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && !matches!(b[*i], b' ' | b'\t' | b',' | b'=') {
            *i += 1;
        }
        &header[start..*i]
    };
    loop {
        skip_ws(&mut i);
        if i >= b.len() {
            break;
        }
        let word = token(&mut i);
        if word.is_empty() {
            // A stray `=`; skip it.
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' {
            // key=value belongs to the current challenge.
            i = j + 1;
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
            let value = if i < b.len() && b[i] == b'"' {
                i += 1;
                let mut v = String::new();
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' && i + 1 < b.len() {
                        i += 1;
                    }
                    let ch = header[i..].chars().next().unwrap_or('\u{fffd}');
                    v.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
                v
            } else {
                token(&mut i).to_owned()
            };
            if let Some(c) = out.last_mut() {
                c.params.insert(word.to_ascii_lowercase(), value);
            }
        } else {
            out.push(Challenge { scheme: word.to_ascii_lowercase(), params: BTreeMap::new() });
        }
    }
    out
}

/// Authorization header values cached per (host, scope) for the length of one pull, shared by
/// the threads that fetch layers.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    inner: Mutex<HashMap<(String, String), String>>,
}

impl TokenCache {
    pub(crate) fn get(&self, host: &str, scope: &str) -> Option<String> {
        let map = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&(host.to_owned(), scope.to_owned())).cloned()
    }

    pub(crate) fn put(&self, host: &str, scope: &str, value: String) {
        let mut map = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.insert((host.to_owned(), scope.to_owned()), value);
    }
}

/// A token endpoint's answer; Docker Hub sends both names, others one of them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TokenResponse {
    pub(crate) token: Option<String>,
    pub(crate) access_token: Option<String>,
}

impl TokenResponse {
    pub(crate) fn into_token(self) -> Option<String> {
        self.token.filter(|t| !t.is_empty()).or(self.access_token.filter(|t| !t.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenges_are_parsed() {
        let c = parse_challenges(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].params["realm"], "https://auth.docker.io/token");
        assert_eq!(c[0].params["service"], "registry.docker.io");
        assert_eq!(c[0].params["scope"], "repository:library/alpine:pull");
    }

    #[test]
    fn odd_but_legal_challenges() {
        let c = parse_challenges(r#"Basic realm="a \"quoted\" realm", charset=UTF-8"#);
        assert_eq!(c[0].scheme, "basic");
        assert_eq!(c[0].params["realm"], r#"a "quoted" realm"#);
        assert_eq!(c[0].params["charset"], "UTF-8");
        let c = parse_challenges(r#"Basic realm="x", Bearer realm="https://t/token", scope="a b""#);
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].scheme, "bearer");
        assert_eq!(c[1].params["scope"], "a b");
        let c = parse_challenges("BEARER REALM = https://t/tok");
        assert_eq!(c[0].params["realm"], "https://t/tok");
        assert!(parse_challenges("").is_empty());
        // Never panics on junk, including an unterminated quote and non-ASCII text.
        for junk in ["=", "Bearer realm=\"unterminated", "Bearer ==,,=\"", "Basic réalm=\"é\\"] {
            let _ = parse_challenges(junk);
        }
    }

    fn write_config(dir: &Path, json: &str) -> PathBuf {
        let p = dir.join("config.json");
        std::fs::write(&p, json).unwrap();
        p
    }

    #[test]
    fn credentials_come_from_auth_or_username_password() {
        let dir = tempfile::tempdir().unwrap();
        let auth = STANDARD.encode("alice:pa:ss");
        let p = write_config(
            dir.path(),
            &format!(
                r#"{{"auths": {{
                    "https://index.docker.io/v1/": {{"auth": "{auth}"}},
                    "127.0.0.1:5000": {{"username": "bob", "password": "pw"}},
                    "https://ghcr.io": {{"auth": "{auth}"}}
                }}}}"#
            ),
        );
        let hub = lookup(Some(&p), "docker.io").credentials.unwrap();
        assert_eq!((hub.user.as_str(), hub.password.as_str()), ("alice", "pa:ss"));
        let local = lookup(Some(&p), "127.0.0.1:5000").credentials.unwrap();
        assert_eq!((local.user.as_str(), local.password.as_str()), ("bob", "pw"));
        assert!(lookup(Some(&p), "ghcr.io").credentials.is_some());
        assert!(lookup(Some(&p), "127.0.0.1:5001").credentials.is_none());
        assert_eq!(local.basic(), format!("Basic {}", STANDARD.encode("bob:pw")));
        assert!(!format!("{local:?}").contains("pw"));
    }

    #[test]
    fn helpers_and_broken_files_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let p = write_config(dir.path(), r#"{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}"#);
        let l = lookup(Some(&p), "ghcr.io");
        assert!(l.credentials.is_none());
        assert!(l.note.unwrap().contains("docker-credential-desktop"));
        let p = write_config(dir.path(), r#"{"auths": {"ghcr.io": {"auth": "%%%"}}}"#);
        assert!(lookup(Some(&p), "ghcr.io").note.unwrap().contains("not base64"));
        let p = write_config(dir.path(), "{not json");
        assert!(lookup(Some(&p), "ghcr.io").note.unwrap().contains("not valid JSON"));
        assert!(lookup(Some(&dir.path().join("absent.json")), "ghcr.io").note.is_none());
        assert_eq!(config_path(Some(dir.path())), Some(dir.path().join("config.json")));
    }

    #[test]
    fn token_responses() {
        let t: TokenResponse = serde_json::from_str(r#"{"access_token":"a","expires_in":300}"#).unwrap();
        assert_eq!(t.into_token().as_deref(), Some("a"));
        let t: TokenResponse = serde_json::from_str(r#"{"token":"t","access_token":"a"}"#).unwrap();
        assert_eq!(t.into_token().as_deref(), Some("t"));
        let t: TokenResponse = serde_json::from_str(r#"{"token":""}"#).unwrap();
        assert_eq!(t.into_token(), None);
    }
}
