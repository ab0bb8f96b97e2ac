//! Recognising secrets in Dockerfiles, image metadata and files — by name (`DB_PASSWORD`), by shape (`AKIA…`,
//! `ghp_…`, PEM private keys, `https://user:pass@`) — and masking them, so findings can name a
//! secret without ever printing it.

/// Key components that name a secret on their own.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWORDS",
    "PASSWD",
    "PASSPHRASE",
    "PASS",
    "PWD",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "TOKENS",
    "APIKEY",
    "APITOKEN",
    "AUTHTOKEN",
    "ACCESSKEY",
    "SECRETKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
];

/// Components that make a following `KEY` a secret (`API_KEY`, `AWS_SECRET_ACCESS_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "ACCESS",
    "PRIVATE",
    "SECRET",
    "ENCRYPTION",
    "SIGNING",
    "MASTER",
    "LICENSE",
    "APP",
    "AUTH",
    "SESSION",
    "JWT",
    "HMAC",
    "SERVICE",
    "ADMIN",
];

/// Components that may follow the secret word and still name the secret itself (`SECRET_KEY_BASE`).
const TRAILING_OK: &[&str] =
    &["KEY", "BASE", "VALUE", "STRING", "STR", "DATA", "B64", "BASE64", "ENCODED", "RAW", "TEXT", "PLAIN"];

/// Components that mark a key as public on purpose (`STRIPE_PUBLISHABLE_KEY`, `NEXT_PUBLIC_API_KEY`).
const PUBLIC_WORDS: &[&str] = &["PUBLIC", "PUB", "PUBLISHABLE"];

/// Whether a key names a secret: a secret word (or `<qualifier>_KEY`) that is followed only by
/// components that still name the value itself.
pub(crate) fn is_secret_key(key: &str) -> bool {
    let parts = components(key);
    if parts.iter().any(|p| PUBLIC_WORDS.contains(&p.as_str())) {
        return false;
    }
    // `PWD` on its own is the shell's working directory
    if parts.len() == 1 && parts.first().is_some_and(|p| p == "PWD") {
        return false;
    }
    let is_secret_at = |j: usize| {
        let Some(p) = parts.get(j) else { return false };
        SECRET_WORDS.contains(&p.as_str())
            || (p == "KEY" && j > 0 && parts.get(j - 1).is_some_and(|q| KEY_QUALIFIERS.contains(&q.as_str())))
    };
    let Some(last_secret) = (0..parts.len()).rev().find(|&j| is_secret_at(j)) else { return false };
    parts
        .iter()
        .skip(last_secret + 1)
        .all(|p| TRAILING_OK.contains(&p.as_str()) || p.bytes().all(|b| b.is_ascii_digit()))
}

/// Splits a key into uppercase components at `_`, `-`, `.` and camelCase boundaries.
pub(crate) fn components(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.') {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Token prefixes of well-known credentials: prefix, minimum body length, what it is.
pub(crate) const TOKENS: &[(&str, usize, &str)] = &[
    ("ghp_", 36, "a GitHub token"),
    ("gho_", 36, "a GitHub token"),
    ("ghu_", 36, "a GitHub token"),
    ("ghs_", 36, "a GitHub token"),
    ("ghr_", 36, "a GitHub token"),
    ("github_pat_", 22, "a GitHub token"),
    ("glpat-", 20, "a GitLab token"),
    ("xoxb-", 10, "a Slack token"),
    ("xoxp-", 10, "a Slack token"),
    ("xoxa-", 10, "a Slack token"),
    ("xoxr-", 10, "a Slack token"),
    ("xoxs-", 10, "a Slack token"),
    ("sk_live_", 20, "a Stripe secret key"),
    ("rk_live_", 20, "a Stripe secret key"),
    ("npm_", 36, "an npm token"),
    ("AIza", 35, "a Google API key"),
];

/// A credential found in a text: what it is and where (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credential {
    pub(crate) kind: &'static str,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Every credential-shaped token in `text`: AWS access key ids, GitHub/GitLab/Slack/Stripe/npm
/// tokens, Google API keys, PEM private keys.
pub(crate) fn credentials(text: &str) -> Vec<Credential> {
    let mut out = Vec::new();
    if let Some(start) = text.find("-----BEGIN")
        && let Some(rel) = text.get(start..).and_then(|t| t.find("PRIVATE KEY-----"))
        && !text.get(start..start + rel).unwrap_or("").contains('\n')
    {
        let end = text.get(start..).and_then(|t| t.find("-----END")).map_or(text.len(), |e| start + e);
        out.push(Credential { kind: "a PEM private key", start, end });
    }
    for &(prefix, min, kind) in TOKENS {
        for (start, body) in words_after(text, prefix) {
            let token = text.get(start..start + prefix.len() + body).unwrap_or("");
            if body >= min && !is_placeholder(token) {
                out.push(Credential { kind, start, end: start + prefix.len() + body });
            }
        }
    }
    for prefix in ["AKIA", "ASIA"] {
        for (start, body) in words_after(text, prefix) {
            let id = text.get(start + prefix.len()..start + prefix.len() + body).unwrap_or("");
            if body == 16 && id.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) && !is_placeholder(id) {
                out.push(Credential { kind: "an AWS access key id", start, end: start + prefix.len() + body });
            }
        }
    }
    out.sort_by_key(|c| (c.start, c.end));
    out
}

/// Where `prefix` starts a word of `text`, with the length of the token body after it (ASCII
/// letters, digits, `_`, `-`).
pub(crate) fn words_after(text: &str, prefix: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|s| s.find(prefix)).map(|p| p + from) {
        let starts_word =
            text.get(..pos).and_then(|b| b.chars().next_back()).is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        if starts_word {
            let body = text.get(pos + prefix.len()..).unwrap_or("");
            let n = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count();
            out.push((pos, n));
        }
        from = pos + prefix.len();
    }
    out
}

/// Values that stand for a secret rather than being one: empty, booleans, paths, variable
/// references, template markers and the usual placeholder words.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "none" | "null" | "nil"
        )
        || v.starts_with('/')
        || v.starts_with('$')
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || v.chars().all(|c| c == v.chars().next().unwrap_or('x'))
        || [
            "changeme",
            "change_me",
            "change-me",
            "placeholder",
            "replace",
            "your_",
            "your-",
            "yourpassword",
            "example",
            "dummy",
            "redacted",
            "todo",
            "secret_here",
            "xxxx",
            "****",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Shows at most 4 leading characters of a secret (fewer for short ones), never the rest.
pub(crate) fn mask(value: &str) -> String {
    let n = value.chars().count();
    let keep = match n {
        0..=7 => 0,
        8..=15 => 2,
        _ => 4,
    };
    let head: String = value.chars().take(keep).collect();
    format!("{head}…")
}

/// The password of `scheme://user:password@host` URLs in `text`, as byte ranges; passwords
/// that are variable references (`$TOKEN`, `${TOKEN}`) are not secrets in the text.
pub(crate) fn url_passwords(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|s| s.find("://")).map(|p| p + from) {
        let auth_start = pos + 3;
        let rest = text.get(auth_start..).unwrap_or("");
        let auth_len =
            rest.find(|c: char| c.is_whitespace() || matches!(c, '/' | '"' | '\'' | '?' | '#')).unwrap_or(rest.len());
        let auth = rest.get(..auth_len).unwrap_or("");
        if let Some(at) = auth.rfind('@')
            && let Some(colon) = auth.get(..at).and_then(|u| u.find(':'))
        {
            let password = auth.get(colon + 1..at).unwrap_or("");
            if !password.is_empty() && !password.starts_with('$') {
                out.push((auth_start + colon + 1, auth_start + at));
            }
        }
        from = auth_start;
    }
    out
}

/// `text` with every recognisable secret masked: credential tokens, URL passwords and the values
/// of secret-named `KEY=VALUE` words. Used for history instructions shown in findings.
pub(crate) fn redact(text: &str) -> String {
    let mut ranges: Vec<(usize, usize)> = credentials(text).into_iter().map(|c| (c.start, c.end)).collect();
    ranges.extend(url_passwords(text));
    let mut offset = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        if let Some((key, value)) = trimmed.split_once('=')
            && is_secret_key(key.trim_start_matches('-'))
            && !is_placeholder(value)
        {
            let start = offset + key.len() + 1;
            ranges.push((start, offset + trimmed.len()));
        }
        offset += word.len();
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(text.get(at..start).unwrap_or(""));
        out.push_str(&mask(text.get(start..end).unwrap_or("")));
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_credentials_by_shape() {
        let kinds = |t: &str| credentials(t).into_iter().map(|c| c.kind).collect::<Vec<_>>();
        assert_eq!(kinds("key AKIA4JQ7R2LX9KDM3PZT here"), ["an AWS access key id"]);
        assert_eq!(kinds("XAKIA4JQ7R2LX9KDM3PZT"), Vec::<&str>::new());
        // the documentation's example key
        assert_eq!(kinds("AKIAIOSFODNN7EXAMPLE"), Vec::<&str>::new());
        assert_eq!(kinds("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), ["a GitHub token"]);
        assert_eq!(kinds("github_pat_11ABCDEFG0123456789_abcdefghijkl"), ["a GitHub token"]);
        assert_eq!(
            kinds("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"),
            ["a PEM private key"]
        );
        assert_eq!(kinds("-----BEGIN CERTIFICATE-----\nMIIE\n-----END CERTIFICATE-----"), Vec::<&str>::new());
        assert_eq!(kinds("xoxb-123456789012-abc"), ["a Slack token"]);
        assert_eq!(kinds("ghp_short"), Vec::<&str>::new());
    }

    #[test]
    fn placeholders_and_masks() {
        for v in [
            "",
            "changeme",
            "<your-token>",
            "${TOKEN}",
            "$TOKEN",
            "xxxxxxxx",
            "/run/secrets/db",
            "true",
            "{{ .Token }}",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in ["s3cr3t-passw0rd", "hunter2", "AKIA4JQ7R2LX9KDM3PZT"] {
            assert!(!is_placeholder(v), "{v}");
        }
        assert_eq!(mask("hunter2"), "…");
        assert_eq!(mask("s3cr3t-passw0rd"), "s3…");
        assert_eq!(mask("AKIA4JQ7R2LX9KDM3PZT"), "AKIA…");
    }

    #[test]
    fn url_passwords_and_redaction() {
        let t = "RUN git clone https://bot:s3cr3tpassword@git.example.com/x.git && curl https://$U:$P@h/";
        let found = url_passwords(t);
        assert_eq!(found.len(), 1);
        let (s, e) = found[0];
        assert_eq!(&t[s..e], "s3cr3tpassword");
        let r = redact(t);
        assert!(!r.contains("s3cr3tpassword") && r.contains("https://bot:s3…@git.example.com"), "{r}");
        let r = redact("RUN |2 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789ab VERSION=1.2 /bin/sh -c npm ci");
        assert!(r.contains("NPM_TOKEN=npm_…") && r.contains("VERSION=1.2"), "{r}");
        assert_eq!(redact("ENV PATH=/usr/bin"), "ENV PATH=/usr/bin");
    }
}
