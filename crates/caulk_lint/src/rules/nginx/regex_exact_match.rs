//! NX912: a regex `location` that matches exactly one path, where `location =` would do.

use caulk_core::TextRange;
use caulk_syntax::nginx::Directive;

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a case-sensitive regex location (`location ~`) whose pattern is `^`, a literal
    /// path and `$` — no character classes, wildcards, groups or quantifiers, only escaped
    /// characters such as `\.` — so it matches one URI, as `location = /that/uri` does.
    /// Locations holding nested locations are left alone (an exact location cannot have any).
    ///
    /// ## Why is this bad?
    /// nginx tries regex locations one after another for every request that reaches them,
    /// while exact locations are looked up first and without a regex. A regex written for
    /// one path is also easy to get subtly wrong: `$` also matches before a trailing newline
    /// (a decoded `%0A`), and one forgotten backslash turns `\.` into "any character". The
    /// exact form says what is meant. Note that `location =` wins over every other location,
    /// where a regex location loses to an earlier regex that also matches.
    ///
    /// ## Example
    /// ```nginx
    /// location ~ ^/health$ {
    ///     return 200 "ok\n";
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location = /health {
    ///     return 200 "ok\n";
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `regex_exact_match`
    /// - [nginx http core: location](https://nginx.org/en/docs/http/ngx_http_core_module.html#location)
    pub(crate) struct RegexExactMatch {
        code: "NX912",
        name: "regex-exact-match",
        summary: "regex location that matches a single literal path",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["regex_exact_match"],
    }
}

/// The literal a pattern `^literal$` matches, when nothing in between is a regex construct.
fn exact_literal(re: &str) -> Option<String> {
    let inner = re.strip_prefix('^')?.strip_suffix('$')?;
    // `\$` at the end is an escaped dollar, not the anchor
    if inner.ends_with('\\') && !inner.ends_with("\\\\") {
        return None;
    }
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let e = chars.next()?;
                // `\d`, `\w`, `\b`, `\x41`, `\Q`…: classes, anchors and escapes with meaning
                if e.is_ascii_alphanumeric() {
                    return None;
                }
                out.push(e);
            }
            '.' | '[' | ']' | '(' | ')' | '{' | '}' | '*' | '+' | '?' | '|' | '^' | '$' => return None,
            // whitespace has meaning in `(?x)` mode and no place in a URI
            c if c.is_whitespace() || c.is_control() => return None,
            c => out.push(c),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A case-sensitive regex location's pattern with its range: `location ~ re` or `location ~re`.
fn regex_of(d: &Directive) -> Option<(&str, TextRange)> {
    match d.args.as_slice() {
        [m, re] if m.value == "~" => Some((re.value.as_str(), m.range.cover(re.range))),
        [re] if re.value.starts_with('~') && !re.value.starts_with("~*") => Some((re.value.get(1..)?, re.range)),
        _ => None,
    }
}

impl NginxRule for RegexExactMatch {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("location") {
            if n.d.block.is_none() || n.d.children().iter().any(|c| c.is("location")) {
                continue;
            }
            let Some((re, range)) = regex_of(n.d) else { continue };
            let Some(path) = exact_literal(re) else { continue };
            cx.report(
                n.d,
                range,
                format!("`location ~ {re}` matches only `{path}`: it is an exact match written as a regex"),
            )
            .set_help(format!("use `location = {path}`, looked up before any regex and without running one"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RegexExactMatch, exact_literal};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn finds_literal_patterns() {
        assert_eq!(exact_literal("^/health$").as_deref(), Some("/health"));
        assert_eq!(exact_literal("^/robots\\.txt$").as_deref(), Some("/robots.txt"));
        assert_eq!(exact_literal("^/a\\/b-c_d~e$").as_deref(), Some("/a/b-c_d~e"));
        assert_eq!(exact_literal("^/robots.txt$"), None);
        assert_eq!(exact_literal("^/api/"), None);
        assert_eq!(exact_literal("/health$"), None);
        assert_eq!(exact_literal("^/(a|b)$"), None);
        assert_eq!(exact_literal("^/v\\d$"), None);
        assert_eq!(exact_literal("^/x\\$"), None);
        assert_eq!(exact_literal("^$"), None);
    }

    #[test]
    fn fires_on_literal_regex_locations() {
        let text = "location ~ ^/health$ { return 200; }";
        let d = assert_fires(&RegexExactMatch, text);
        assert_eq!(d[0].range.slice(text), "~ ^/health$");
        assert!(d[0].message.contains("`/health`"));
        assert_fires(&RegexExactMatch, "location ~^/favicon\\.ico$ { access_log off; }");
    }

    #[test]
    fn passes_on_real_regexes_and_exact_locations() {
        assert_passes(
            &RegexExactMatch,
            "location = /health { } location ~* ^/health$ { } location ~ ^/(health|ready)$ { } location ~ \\.php$ { }",
        );
        assert_passes(&RegexExactMatch, "location ~ ^/api$ { location ~ ^/api/v\\d$ { } }");
    }
}
