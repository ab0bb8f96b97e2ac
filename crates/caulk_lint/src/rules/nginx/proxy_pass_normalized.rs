//! NX610: `proxy_pass` sends the backend a path that differs from the one nginx matched.

use caulk_core::Severity;
use caulk_syntax::nginx::Directive;

use crate::nginx::model::condition;
use crate::nginx::{Model, NginxChecker, NginxRule};
use crate::rules::nginx::overlapping_captures::{capture_groups, class_end};

declare_rule! {
    /// ## What it does
    /// Checks the path `proxy_pass` sends upstream and reports the three ways it can differ
    /// from the one nginx matched the location against:
    ///
    /// - **Decoded path in the URI part.** `$uri`, `$document_uri`, a regex capture of the
    ///   request path (`$1`, `$name`) or a variable `set` from them, used in the `proxy_pass`
    ///   URI. nginx decodes and normalises the path before matching and passes a URI built
    ///   from variables as is: `%3F` reaches the backend as `?` (new query arguments),
    ///   `%23` as `#`, `%25` as `%`. Captures whose group cannot hold `?`, `#` or `%`
    ///   (such as `([a-z0-9]+)`) are safe and not reported.
    /// - **Trailing-slash mismatch.** A prefix location and a static `proxy_pass` URI where
    ///   one ends with `/` and the other does not. nginx replaces the matched prefix with the
    ///   URI: under `location /api` with `proxy_pass http://app/v1/;`, the request
    ///   `/api../admin` becomes `/v1/../admin`, which the backend resolves to `/admin`
    ///   (path traversal out of the proxied tree). The opposite mismatch (`location /api/`
    ///   with `http://app/v1`) glues paths together (`/api/x` becomes `/v1x`) and is low.
    /// - **Double escaping.** `rewrite ^ $request_uri;` (the usual way to keep the raw path)
    ///   followed by a `proxy_pass` whose URI is not built from `$uri` or a capture: nginx
    ///   escapes the raw path again, so `%2F` arrives as `%252F`. Low.
    ///
    /// ## Why is this bad?
    /// Access rules in nginx and in the backend then judge different paths: what nginx let
    /// through as `/api/…` can reach other parts of the backend, and encoded characters
    /// change meaning on the way.
    ///
    /// ## Example
    /// ```nginx
    /// location /api {
    ///     proxy_pass http://app:8000/v1/;
    /// }
    /// location ~ ^/img/(.*)$ {
    ///     proxy_pass http://images:8080/$1;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /api/ {
    ///     proxy_pass http://app:8000/v1/;
    /// }
    /// location /img/ {
    ///     proxy_pass http://images:8080/;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng and Gixy-Next `proxy_pass_normalized`
    /// - [nginx proxy module: proxy_pass](https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass)
    /// - [Orange Tsai: Breaking Parser Logic (off-by-slash)](https://i.blackhat.com/us-18/Wed-August-8/us-18-Orange-Tsai-Breaking-Parser-Logic-Take-Your-Path-Normalization-Off-And-Pop-0days-Out-2.pdf)
    pub(crate) struct ProxyPassNormalized {
        code: "NX610",
        name: "proxy-pass-normalized",
        summary: "`proxy_pass` sends a different path than the one nginx matched",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["proxy_pass_normalized"],
    }
}

/// A location's modifier (`""`, `=`, `^~`, `~`, `~*`, `@`) and path, in either spelling
/// (`location ~ re`, `location ~re`).
pub(crate) fn location_match(d: &Directive) -> (&str, &str) {
    match d.args.as_slice() {
        [m, p, ..] => (m.value.as_str(), p.value.as_str()),
        [p] => {
            let v = p.value.as_str();
            for m in ["=", "^~", "~*", "~"] {
                if let Some(rest) = v.strip_prefix(m) {
                    return (m, rest);
                }
            }
            if v.starts_with('@') { ("@", v) } else { ("", v) }
        }
        [] => ("", ""),
    }
}

/// The host part and the URI part of a `proxy_pass` target (`http://unix:/s.sock:/uri` has
/// host `unix:/s.sock`).
fn split_target(value: &str) -> (&str, &str) {
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    if let Some(sock) = rest.strip_prefix("unix:") {
        return match sock.find(':') {
            Some(k) => (rest.get(..5 + k).unwrap_or(rest), sock.get(k + 1..).unwrap_or("")),
            None => (rest, ""),
        };
    }
    match rest.find('/') {
        Some(k) => (rest.get(..k).unwrap_or(rest), rest.get(k..).unwrap_or("")),
        None => (rest, ""),
    }
}

/// Whether an escape `\e` in a regex can match one of `chars`.
fn escape_matches(e: Option<u8>, chars: &[u8]) -> bool {
    match e {
        None => false,
        // digits, word characters, whitespace, controls, anchors
        Some(
            b'd' | b'w' | b's' | b'h' | b'v' | b'b' | b'B' | b'A' | b'z' | b'Z' | b'G' | b'K' | b'n' | b't' | b'r'
            | b'f' | b'e' | b'a',
        ) => false,
        // their negations, and escapes caulk does not evaluate (`\x3f`, `\p{P}`, `\Q…\E`, back-references)
        Some(e) if e.is_ascii_alphanumeric() => true,
        Some(e) => chars.contains(&e),
    }
}

/// Whether a character class (`[…]`, brackets included) contains byte `c`.
fn class_contains(class: &[u8], c: u8) -> bool {
    let mut j = 1;
    let negated = class.get(1) == Some(&b'^');
    if negated {
        j += 1;
    }
    let mut found = false;
    let mut first = true;
    while let Some(&x) = class.get(j) {
        if x == b']' && !first {
            break;
        }
        first = false;
        if x == b'[' && class.get(j + 1) == Some(&b':') {
            let rest = class.get(j + 2..).unwrap_or(&[]);
            let len = rest.windows(2).position(|w| w == b":]").unwrap_or(rest.len());
            let name = rest.get(..len).unwrap_or(&[]);
            found |= match name {
                b"alpha" | b"alnum" | b"digit" | b"lower" | b"upper" | b"xdigit" | b"word" => c.is_ascii_alphanumeric(),
                b"space" | b"blank" => c.is_ascii_whitespace(),
                b"cntrl" => c.is_ascii_control(),
                _ => true,
            };
            j += 2 + len + 2;
            continue;
        }
        let (lo, step) = if x == b'\\' { (class.get(j + 1).copied(), 2) } else { (Some(x), 1) };
        if x == b'\\' && lo.is_some_and(|e| e.is_ascii_alphanumeric()) {
            found |= escape_matches(lo, &[c]);
            j += step;
            continue;
        }
        // a range `a-z` (a `-` before `]` is a literal)
        if class.get(j + step) == Some(&b'-') && class.get(j + step + 1).is_some_and(|&n| n != b']') {
            let hi_at = j + step + 1;
            let (hi, hi_step) = if class.get(hi_at) == Some(&b'\\') {
                (class.get(hi_at + 1).copied(), 2)
            } else {
                (class.get(hi_at).copied(), 1)
            };
            if let (Some(lo), Some(hi)) = (lo, hi) {
                found |= (lo..=hi).contains(&c);
            }
            j = hi_at + hi_step;
            continue;
        }
        found |= lo == Some(c);
        j += step;
    }
    found != negated
}

/// Whether a regex fragment can match a string containing one of `chars` (conservative:
/// constructs caulk does not evaluate count as matching).
pub(crate) fn can_match(re: &str, chars: &[u8]) -> bool {
    let b = re.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => {
                if escape_matches(b.get(i + 1).copied(), chars) {
                    return true;
                }
                i += 2;
            }
            b'[' => {
                let end = class_end(b, i);
                let class = b.get(i..end).unwrap_or(&[]);
                if chars.iter().any(|&ch| class_contains(class, ch)) {
                    return true;
                }
                i = end;
            }
            b'.' => return true,
            b'(' if matches!(b.get(i + 1), Some(b'?' | b'*')) => {
                if matches!(b.get(i + 2), Some(b'#')) || b.get(i + 1) == Some(&b'*') {
                    i = b.get(i..).and_then(|s| s.iter().position(|&x| x == b')')).map_or(b.len(), |p| i + p + 1);
                } else {
                    // the group's prefix: `(?:`, `(?<name>`, `(?i)`, `(?<=`…
                    i += 2;
                    while b.get(i).is_some_and(|&x| x.is_ascii_alphanumeric() || b"_-^<>'=!:|".contains(&x)) {
                        i += 1;
                    }
                }
            }
            b'(' | b')' | b'|' | b'*' | b'+' | b'?' | b'^' | b'$' => i += 1,
            b'{' => {
                // a quantifier `{2}`, `{1,3}`; otherwise a literal brace
                let rest = b.get(i + 1..).unwrap_or(&[]);
                match rest.iter().position(|&x| x == b'}') {
                    Some(p)
                        if rest
                            .get(..p)
                            .is_some_and(|q| !q.is_empty() && q.iter().all(|x| x.is_ascii_digit() || *x == b',')) =>
                    {
                        i += p + 2;
                    }
                    _ => {
                        if chars.contains(&c) {
                            return true;
                        }
                        i += 1;
                    }
                }
            }
            _ => {
                if chars.contains(&c) {
                    return true;
                }
                i += 1;
            }
        }
    }
    false
}

/// The nginx variables that hold the decoded, normalised request path.
fn is_path_var(name: &str) -> bool {
    name.eq_ignore_ascii_case("uri") || name.eq_ignore_ascii_case("document_uri")
}

/// Directives in effect for node `at`: the children of each level around it, with those of
/// `if` blocks that do not enclose it (`true`: only when that `if` matched).
fn in_scope(model: &Model<'_>, at: usize) -> Vec<(usize, bool)> {
    let parent = model.node(at).and_then(|n| n.parent);
    let levels: Vec<Option<usize>> = model.levels(parent).collect();
    let mut out = Vec::new();
    for &l in &levels {
        for j in model.child_nodes(l) {
            out.push((j, false));
            let Some(c) = model.node(j) else { continue };
            if c.d.is("if") && !levels.contains(&Some(j)) {
                out.extend(model.child_nodes(Some(j)).map(|k| (k, true)));
            }
        }
    }
    out
}

/// A regex whose captures may be in use, and whether it was matched against the decoded path.
struct Source {
    re: String,
    decoded: bool,
}

/// The regex of `if ($var ~ re)`, as a capture source.
fn regex_if(d: &Directive) -> Option<Source> {
    let c = condition(d);
    let [var, op, re, ..] = c.as_slice() else { return None };
    if !matches!(op.value.as_str(), "~" | "~*" | "!~" | "!~*") {
        return None;
    }
    let decoded = var.value.strip_prefix('$').is_some_and(is_path_var);
    Some(Source { re: re.value.clone(), decoded })
}

/// The regexes that may have set the captures `proxy_pass` node `at` reads in location `loc`.
fn capture_sources(model: &Model<'_>, at: usize, loc: usize) -> Vec<Source> {
    // inside an `if (… ~ re)`, its captures
    let mut cur = model.node(at).and_then(|n| n.parent);
    while let Some(p) = cur.filter(|&p| p != loc) {
        let Some(n) = model.node(p) else { break };
        if n.d.is("if")
            && let Some(s) = regex_if(n.d)
        {
            return vec![s];
        }
        cur = n.parent;
    }
    let mut out = Vec::new();
    let Some(l) = model.node(loc) else { return out };
    let (m, path) = location_match(l.d);
    if matches!(m, "~" | "~*") {
        out.push(Source { re: path.to_owned(), decoded: true });
    }
    let mut inner: Vec<usize> = model.child_nodes(Some(loc)).collect();
    let ifs: Vec<usize> = inner.iter().copied().filter(|&j| model.node(j).is_some_and(|n| n.d.is("if"))).collect();
    for j in ifs {
        inner.extend(model.child_nodes(Some(j)));
    }
    for j in inner {
        let Some(n) = model.node(j) else { continue };
        if n.d.is("rewrite") {
            out.push(Source { re: n.d.arg(0).to_owned(), decoded: true });
        } else if n.d.is("if")
            && let Some(s) = regex_if(n.d)
        {
            out.push(s);
        }
    }
    out
}

/// Whether variable `name` in the `proxy_pass` of node `at` carries the decoded path with
/// characters (`?`, `#`, `%`, and `/` when `need_slash`) that change meaning when not escaped.
fn carries_decoded_path(model: &Model<'_>, at: usize, loc: usize, name: &str, need_slash: bool, depth: u8) -> bool {
    if is_path_var(name) {
        return true;
    }
    let capture_ok = |body: &str| can_match(body, b"?#%") && (!need_slash || can_match(body, b"/"));
    let sources = capture_sources(model, at, loc);
    if let Ok(n) = name.parse::<usize>() {
        return (1..=9).contains(&n)
            && sources.iter().filter(|s| s.decoded).any(|s| {
                capture_groups(&s.re).get(n - 1).is_some_and(|g| capture_ok(s.re.get(g.body.clone()).unwrap_or("")))
            });
    }
    let named = sources.iter().filter(|s| s.decoded).any(|s| {
        capture_groups(&s.re).iter().any(|g| {
            g.name.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(name))
                && capture_ok(s.re.get(g.body.clone()).unwrap_or(""))
        })
    });
    if named || depth == 0 {
        return named;
    }
    // `set $p $uri;` (nginx escapes numbered captures copied by `set`, not named ones)
    in_scope(model, at).iter().filter_map(|&(j, _)| model.node(j)).any(|n| {
        n.d.is("set")
            && n.d.arg(0).strip_prefix('$').is_some_and(|t| t.eq_ignore_ascii_case(name))
            && caulk_syntax::nginx::vars(n.d.arg(1))
                .filter(|v| v.parse::<usize>().is_err())
                .any(|v| carries_decoded_path(model, at, loc, v, need_slash, depth - 1))
    })
}

/// The location a `proxy_pass` belongs to: its block, or the block around its `if`/`limit_except`.
fn effective_location(model: &Model<'_>, at: usize) -> Option<usize> {
    let p = model.node(at)?.parent?;
    let pn = model.node(p)?;
    if pn.d.is("location") {
        return Some(p);
    }
    if pn.d.is("if") || pn.d.is("limit_except") {
        let g = pn.parent?;
        return model.node(g)?.d.is("location").then_some(g);
    }
    None
}

impl NginxRule for ProxyPassNormalized {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in cx.named("proxy_pass") {
            let Some(loc) = effective_location(model, i) else { continue };
            let Some(location) = model.node(loc) else { continue };
            let (modifier, loc_path) = location_match(location.d);
            if modifier == "=" {
                continue;
            }
            let Some(arg) = n.d.args.first() else { continue };
            let value = arg.value.as_str();
            // `proxy_pass $backend;`: nothing to judge
            if value.starts_with('$') && !value.contains('/') {
                continue;
            }
            let (host, path) = split_target(value);
            let path_vars: Vec<&str> = caulk_syntax::nginx::vars(path).collect();
            // a variable at the start of the host is the destination (see NX601), not a path
            let host_vars: Vec<&str> = caulk_syntax::nginx::vars(host)
                .filter(|v| !host.starts_with(&format!("${v}")) && !host.starts_with(&format!("${{{v}}}")))
                .collect();
            let decoded = path_vars
                .iter()
                .find(|v| carries_decoded_path(model, i, loc, v, false, 3))
                .or_else(|| host_vars.iter().find(|v| carries_decoded_path(model, i, loc, v, true, 3)));
            // `rewrite ^ $request_uri;` in scope, preferring one that always runs
            let mut raw_uri: Option<(&Directive, bool)> = None;
            for (j, conditional) in in_scope(model, i) {
                let Some(r) = model.node(j) else { continue };
                let raw = r.d.is("rewrite") && r.d.arg(0) == "^" && r.d.arg(1).eq_ignore_ascii_case("$request_uri");
                if raw && raw_uri.is_none_or(|(_, c)| c && !conditional) {
                    raw_uri = Some((r.d, conditional));
                }
            }
            let place = format!(
                "`location {}`",
                location.d.args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" ")
            );
            if let Some(var) = decoded {
                // `rewrite ^ $request_uri;` made `$uri` the raw path: the usual correct idiom
                if raw_uri.is_some_and(|(_, c)| !c) {
                    continue;
                }
                cx.report(
                    n.d,
                    arg.range,
                    format!(
                        "`proxy_pass {value}` in {place} sends `${var}`, decoded from the request path, without escaping it again: `%3F` reaches the backend as `?`"
                    ),
                )
                .set_help("send the path as the client wrote it: a prefix location with `proxy_pass http://app/;`, or `$request_uri`; to rewrite it, start from `rewrite ^ $request_uri;`");
                continue;
            }
            if let Some((rewrite, _)) = raw_uri {
                if !path.contains('$') && !host.contains('$') {
                    let args: Vec<&str> = rewrite.args.iter().map(|a| a.value.as_str()).collect();
                    cx.report(
                        n.d,
                        arg.range,
                        format!(
                            "`rewrite {}` makes the URI the raw request path and `proxy_pass {value}` escapes it again: `%2F` reaches the backend as `%252F`",
                            args.join(" ")
                        ),
                    )
                    .set_help("pass the rewritten URI as is with a variable: `proxy_pass http://app$uri;`")
                    .severity = Severity::Low;
                }
                continue;
            }
            if path.is_empty()
                || value.contains('$')
                || n.parent != Some(loc)
                || !matches!(modifier, "" | "^~")
                || loc_path.starts_with('@')
                || loc_path.ends_with('/') == path.ends_with('/')
            {
                continue;
            }
            if path.ends_with('/') {
                cx.report(
                    n.d,
                    arg.range,
                    format!(
                        "{place} has no trailing slash but the `proxy_pass` URI `{path}` has one: `{loc_path}../x` reaches the backend as `{path}../x`"
                    ),
                )
                .set_help(format!(
                    "end the location with a slash too: `location {}{loc_path}/` (nginx then redirects `{loc_path}` to it)",
                    if modifier.is_empty() { String::new() } else { format!("{modifier} ") }
                ));
            } else {
                cx.report(
                    n.d,
                    arg.range,
                    format!(
                        "{place} ends with a slash but the `proxy_pass` URI `{path}` does not: `{loc_path}x` reaches the backend as `{path}x`"
                    ),
                )
                .set_help(format!("end the `proxy_pass` URI with a slash too: `{path}/`"))
                .severity = Severity::Low;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Severity;

    use super::{ProxyPassNormalized, can_match, split_target};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn splits_targets() {
        assert_eq!(split_target("http://app:8000/v1/"), ("app:8000", "/v1/"));
        assert_eq!(split_target("http://app"), ("app", ""));
        assert_eq!(split_target("http://unix:/run/app.sock:/api/"), ("unix:/run/app.sock", "/api/"));
        assert_eq!(split_target("http://app$uri"), ("app$uri", ""));
    }

    #[test]
    fn judges_what_captures_can_hold() {
        assert!(can_match("(.*)", b"?#%"));
        assert!(can_match("[^/]+", b"?#%"));
        assert!(can_match("\\S+", b"?"));
        assert!(can_match("[!-~]", b"%"));
        assert!(can_match("[[:punct:]]", b"#"));
        assert!(can_match("a\\?b", b"?"));
        assert!(!can_match("[a-z0-9_-]+", b"?#%"));
        assert!(!can_match("\\w+\\.png", b"?#%"));
        assert!(!can_match("(?<id>\\d+)", b"?#%"));
        assert!(!can_match("[a-z]{2,3}", b"?#%"));
        assert!(!can_match("[^?#%]*", b"?#%"));
        assert!(can_match("[^?#%]*", b"/"));
    }

    #[test]
    fn fires_on_decoded_paths() {
        let text = "location ~ ^/img/(.*)$ { proxy_pass http://b/$1; }";
        let d = assert_fires(&ProxyPassNormalized, text);
        assert_eq!(d[0].range.slice(text), "http://b/$1");
        assert!(d[0].message.contains("`$1`"), "{}", d[0].message);
        assert_fires(&ProxyPassNormalized, "location / { proxy_pass http://b$uri; }");
        assert_fires(&ProxyPassNormalized, "location ~ ^/p(?<rest>/.*)$ { proxy_pass http://b$rest; }");
        assert_fires(&ProxyPassNormalized, "location /x/ { set $p $uri; proxy_pass http://b/in$p; }");
        assert_fires(&ProxyPassNormalized, "location / { rewrite ^/a/(.*)$ /$1 break; proxy_pass http://b/$1; }");
        // the rewrite only happens under a condition
        assert_fires(
            &ProxyPassNormalized,
            "location / { if ($x) { rewrite ^ $request_uri; } proxy_pass http://b$uri; }",
        );
    }

    #[test]
    fn fires_on_slash_mismatch_and_double_escaping() {
        let text = "location /api { proxy_pass http://b/v1/; }";
        let d = assert_fires(&ProxyPassNormalized, text);
        assert_eq!(d[0].severity, Severity::Medium);
        assert!(d[0].message.contains("`/api../x` reaches the backend as `/v1/../x`"), "{}", d[0].message);
        let d = assert_fires(&ProxyPassNormalized, "location ^~ /api/ { proxy_pass http://b/v1; }");
        assert_eq!(d[0].severity, Severity::Low);
        let d = assert_fires(&ProxyPassNormalized, "location /1/ { rewrite ^ $request_uri; proxy_pass http://b; }");
        assert_eq!(d[0].severity, Severity::Low);
        assert!(d[0].message.contains("%252F"));
    }

    #[test]
    fn passes_on_matching_paths() {
        assert_passes(
            &ProxyPassNormalized,
            "location /api/ { proxy_pass http://b/v1/; } location / { proxy_pass http://b; } location /x { proxy_pass http://b/y; }",
        );
        assert_passes(&ProxyPassNormalized, "location = /api { proxy_pass http://b$uri; }");
        assert_passes(&ProxyPassNormalized, "location ~ ^/img/([a-z0-9]+\\.png)$ { proxy_pass http://b/$1; }");
        assert_passes(&ProxyPassNormalized, "location / { proxy_pass http://b$request_uri; }");
        assert_passes(&ProxyPassNormalized, "location / { proxy_pass $backend; }");
        assert_passes(&ProxyPassNormalized, "location / { if ($request_uri ~ ^/a/(.*)$) { proxy_pass http://b/$1; } }");
        // the correct idiom: raw path, rewritten, then passed as is
        assert_passes(
            &ProxyPassNormalized,
            "location /1/ { rewrite ^ $request_uri; rewrite ^/1(/.*) $1 break; return 400; proxy_pass http://b$uri; }",
        );
        assert_passes(&ProxyPassNormalized, "stream { server { proxy_pass b:1234; } }");
    }
}
