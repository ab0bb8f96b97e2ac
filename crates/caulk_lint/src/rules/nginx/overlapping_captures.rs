//! NX910: a `rewrite` whose replacement escapes two nested captures, the shape of an nginx
//! heap overflow (CVE-2026-9256); also the capture-group scanner other nginx rules share.

use std::ops::Range;

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `rewrite` whose regex has nested captures (one group inside another, as in
    /// `^/((.*))$`) when its replacement refers to two of them with `$N` in a context where
    /// nginx escapes captures: a redirect (`redirect`, `permanent`, or a replacement starting
    /// with `http://`/`https://`), or after the `?` that starts the new arguments. Replacements
    /// that mention a named variable or the same `$N` twice take a different code path in
    /// nginx and are not reported; neither is a single trailing `?`.
    ///
    /// ## Why is this bad?
    /// nginx before 1.30.2 / 1.31.1 sizes the buffer for such a replacement from the raw
    /// capture lengths but writes the URI-escaped bytes, which can be several times longer: a
    /// crafted request overflows the worker's heap (CVE-2026-9256, as described by
    /// Gixy-Next). The configuration does not tell the nginx version, so this is advice: on a
    /// patched nginx nothing needs to change.
    ///
    /// ## Example
    /// ```nginx
    /// location /shop/ {
    ///     rewrite ^/(shop/(.*))$ https://shop.example.com/$1?item=$2 redirect;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /shop/ {
    ///     rewrite ^/(?<page>shop/(?<item>.*))$ https://shop.example.com/$page?item=$item redirect;
    /// }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `overlapping_captures`
    /// - [nginx rewrite module: rewrite](https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#rewrite)
    /// - [nginx security advisories](https://nginx.org/en/security_advisories.html)
    pub(crate) struct OverlappingCaptures {
        code: "NX910",
        name: "overlapping-captures",
        summary: "`rewrite` escapes nested captures (nginx heap overflow on unpatched versions)",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: ["overlapping_captures"],
    }
}

/// One capturing group of a PCRE pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// 1-based, in the order of the opening parentheses; named groups are numbered too.
    pub number: usize,
    /// The name of `(?<name>…)`, `(?'name'…)` or `(?P<name>…)`.
    pub name: Option<String>,
    /// The number of the nearest capturing group around this one.
    pub parent: Option<usize>,
    /// Byte range of the group's body in the pattern, without its prefix and parentheses.
    pub body: Range<usize>,
}

/// The capturing groups of PCRE pattern `re`, by number (escapes and character classes are
/// skipped; lookarounds, atomic and non-capturing groups, verbs and comments do not count).
pub(crate) fn capture_groups(re: &str) -> Vec<Group> {
    let bytes = re.as_bytes();
    let mut out: Vec<Group> = Vec::new();
    // per open parenthesis: the index in `out` of its group when capturing
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'[' => i = class_end(bytes, i),
            b'(' => {
                let (kind, body_start) = open_group(bytes, i);
                match kind {
                    Open::Comment => {
                        i = bytes
                            .get(i..)
                            .and_then(|s| s.iter().position(|&c| c == b')'))
                            .map_or(bytes.len(), |p| i + p + 1);
                        continue;
                    }
                    Open::Plain => stack.push(None),
                    Open::Capture(name) => {
                        let parent = stack.iter().rev().find_map(|g| *g).and_then(|k| out.get(k)).map(|g| g.number);
                        out.push(Group { number: out.len() + 1, name, parent, body: body_start..re.len() });
                        stack.push(Some(out.len() - 1));
                    }
                }
                i = body_start;
            }
            b')' => {
                if let Some(Some(k)) = stack.pop()
                    && let Some(g) = out.get_mut(k)
                {
                    g.body.end = i;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// What an opening parenthesis starts.
enum Open {
    Capture(Option<String>),
    Plain,
    Comment,
}

/// The kind of the group opened at `i` and where its body starts.
fn open_group(bytes: &[u8], i: usize) -> (Open, usize) {
    let at = |k: usize| bytes.get(i + k).copied();
    let name_until = |from: usize, end: u8| -> (Open, usize) {
        let rest = bytes.get(i + from..).unwrap_or(&[]);
        let len = rest.iter().position(|&c| c == end).unwrap_or(rest.len());
        let name = String::from_utf8_lossy(rest.get(..len).unwrap_or(&[])).into_owned();
        (Open::Capture(Some(name)), (i + from + len + 1).min(bytes.len()))
    };
    match (at(1), at(2), at(3)) {
        (Some(b'?'), Some(b'<'), Some(c)) if c != b'=' && c != b'!' => name_until(3, b'>'),
        (Some(b'?'), Some(b'P'), Some(b'<')) => name_until(4, b'>'),
        (Some(b'?'), Some(b'\''), _) => name_until(3, b'\''),
        (Some(b'?'), Some(b'#'), _) => (Open::Comment, i + 2),
        (Some(b'?' | b'*'), _, _) => (Open::Plain, i + 2),
        _ => (Open::Capture(None), i + 1),
    }
}

/// The index just past the character class that opens at `i` (a `]` right after `[` or `[^`
/// is a literal).
pub(crate) fn class_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if bytes.get(j) == Some(&b'^') {
        j += 1;
    }
    if bytes.get(j) == Some(&b']') {
        j += 1;
    }
    while let Some(&c) = bytes.get(j) {
        match c {
            b'\\' => j += 2,
            b']' => return j + 1,
            b'[' if bytes.get(j + 1) == Some(&b':') => {
                // `[:alpha:]`
                let rest = bytes.get(j + 2..).unwrap_or(&[]);
                j = rest.windows(2).position(|w| w == b":]").map_or(j + 1, |p| j + 2 + p + 2);
            }
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The `$1`…`$9` references of an nginx replacement, in order (nginx reads one digit).
pub(crate) fn numeric_refs(value: &str) -> Vec<usize> {
    let bytes = value.as_bytes();
    bytes
        .windows(2)
        .filter(|w| w.first() == Some(&b'$') && w.get(1).is_some_and(|d| (b'1'..=b'9').contains(d)))
        .filter_map(|w| w.get(1).map(|d| usize::from(d - b'0')))
        .collect()
}

/// Whether `value` mentions a named variable (`$name`, `${name}`), not only captures.
fn has_named_variable(value: &str) -> bool {
    value.as_bytes().windows(2).any(|w| {
        w.first() == Some(&b'$') && w.get(1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'{')
    })
}

/// A pair of referenced groups one of which contains the other.
fn nested_pair(groups: &[Group], refs: &[usize]) -> Option<(usize, usize)> {
    let ancestors = |n: usize| {
        let mut out = Vec::new();
        let mut cur = groups.get(n.wrapping_sub(1)).and_then(|g| g.parent);
        while let Some(p) = cur {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = groups.get(p.wrapping_sub(1)).and_then(|g| g.parent);
        }
        out
    };
    let mut refs: Vec<usize> = refs.iter().copied().filter(|&n| n <= groups.len()).collect();
    refs.sort_unstable();
    refs.dedup();
    for (k, &a) in refs.iter().enumerate() {
        for &b in refs.iter().skip(k + 1) {
            if ancestors(b).contains(&a) || ancestors(a).contains(&b) {
                return Some((a, b));
            }
        }
    }
    None
}

impl NginxRule for OverlappingCaptures {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("rewrite") {
            let (Some(re), Some(to)) = (n.d.args.first(), n.d.args.get(1)) else { continue };
            // a lone trailing `?` only drops the original arguments
            let replacement = to.value.strip_suffix('?').unwrap_or(&to.value);
            if has_named_variable(replacement) {
                continue;
            }
            let refs = numeric_refs(replacement);
            let mut unique = refs.clone();
            unique.sort_unstable();
            unique.dedup();
            if unique.len() != refs.len() {
                continue;
            }
            let flag = n.d.arg(2).to_ascii_lowercase();
            let redirect = matches!(flag.as_str(), "redirect" | "permanent")
                || replacement.starts_with("http://")
                || replacement.starts_with("https://");
            let (escaped, context) = if redirect {
                (refs, "in a redirect")
            } else if let Some(q) = replacement.find('?') {
                (numeric_refs(replacement.get(q + 1..).unwrap_or("")), "after `?`")
            } else {
                continue;
            };
            let groups = capture_groups(&re.value);
            let Some((outer, inner)) = nested_pair(&groups, &escaped) else { continue };
            cx.report(
                n.d,
                to.range,
                format!(
                    "`${outer}` and `${inner}` are nested captures of `{}`, escaped {context} in `{}`: nginx before 1.30.2/1.31.1 overflows a heap buffer here (CVE-2026-9256)",
                    re.value, to.value
                ),
            )
            .set_help("upgrade nginx; or refer to named captures (`(?<path>…)` and `$path`) instead of `$N` in this replacement");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{OverlappingCaptures, capture_groups, numeric_refs};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn scans_groups() {
        let re = "^/(?<a>x(y))(?:z)(?=w)[(]\\((?'b'q)(?P<c>r)(?#c(o)mment)(s)$";
        let g = capture_groups(re);
        let names: Vec<Option<&str>> = g.iter().map(|g| g.name.as_deref()).collect();
        assert_eq!(names, [Some("a"), None, Some("b"), Some("c"), None]);
        assert_eq!(g[1].parent, Some(1));
        assert_eq!(g[0].parent, None);
        assert_eq!(&re[g[0].body.clone()], "x(y)");
        assert_eq!(&re[g[4].body.clone()], "s");
        assert_eq!(capture_groups("[]()]"), []);
        assert_eq!(capture_groups("[[:alpha:]()](a)").len(), 1);
        assert_eq!(numeric_refs("/$1$2$10?x=$3$"), [1, 2, 1, 3]);
    }

    #[test]
    fn fires_on_nested_captures_in_escaping_contexts() {
        let text = "location / { rewrite ^/((.*))$ http://127.0.0.1:8080/$1$2 redirect; }";
        let d = assert_fires(&OverlappingCaptures, text);
        assert_eq!(d[0].range.slice(text), "http://127.0.0.1:8080/$1$2");
        assert!(d[0].message.contains("`$1` and `$2`"), "{}", d[0].message);
        assert_fires(&OverlappingCaptures, "rewrite ^/(a(b)) /x?p=$1&q=$2;");
        assert_fires(&OverlappingCaptures, "rewrite ^/(a(b)) /x/$1$2 permanent;");
    }

    #[test]
    fn passes_on_safe_shapes() {
        // siblings, not nested
        assert_passes(&OverlappingCaptures, "rewrite ^/((a))/((b))$ /x?p=$1&q=$3;");
        // before `?`: written raw
        assert_passes(&OverlappingCaptures, "rewrite ^/((.*))$ /x/$1$2?;");
        assert_passes(&OverlappingCaptures, "rewrite ^/((.*))$ /x/$1$2 last;");
        // a named variable or a repeated reference takes nginx's safe path
        assert_passes(&OverlappingCaptures, "rewrite ^/((.*))$ $scheme://h/$1$2 redirect;");
        assert_passes(&OverlappingCaptures, "rewrite ^/((.*))$ /x?a=$1&b=$2&c=$1;");
        assert_passes(&OverlappingCaptures, "rewrite ^/(?:(a))(b)$ /x?a=$1&b=$2;");
    }
}
