//! NX503: a regex that validates `$http_origin`/`$http_referer` lets other domains through.

use caulk_core::TextRange;
use caulk_syntax::nginx::{Arg, Directive};

use crate::nginx::model::condition;
use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Checks the regexes that validate `$http_origin` or `$http_referer` — in
    /// `if ($http_origin ~ …)`, in `~` entries of `map $http_origin …`, and in `valid_referers`
    /// — and reports one that is not anchored at both ends (`^…$`) or that has an unescaped
    /// `.` inside a domain name.
    ///
    /// ## Why is this bad?
    /// `~ "https://app.example.com"` also matches `https://app.example.com.evil.net`, and
    /// `~ "^https://app.example.com$"` matches `https://appXexample.com`, a domain anyone can
    /// register. The CORS or CSRF check then trusts the attacker's site.
    ///
    /// ## Example
    /// ```nginx
    /// if ($http_origin ~* "https://app.example.com") {
    ///     add_header Access-Control-Allow-Origin $http_origin;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// if ($http_origin ~* "^https://app\.example\.com$") {
    ///     add_header Access-Control-Allow-Origin $http_origin;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy `origins`
    /// - [PortSwigger: CORS, errors parsing Origin headers](https://portswigger.net/web-security/cors)
    pub(crate) struct OriginRegex {
        code: "NX503",
        name: "origin-regex",
        summary: "origin/referer validation regex lets other domains through",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["origins"],
    }
}

/// What is wrong with an origin regex, if anything.
fn problem(regex: &str) -> Option<&'static str> {
    let bytes = regex.as_bytes();
    let mut escaped = false;
    let mut in_class = false;
    for (i, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'.' if !in_class => {
                let before = i.checked_sub(1).and_then(|j| bytes.get(j)).is_some_and(u8::is_ascii_alphanumeric);
                let after = bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
                if before && after {
                    return Some("has an unescaped `.` in a domain name (it matches any character)");
                }
            }
            _ => {}
        }
    }
    if !regex.ends_with('$') {
        return Some("is not anchored with `$`: longer domains such as `….evil.net` match");
    }
    if !regex.starts_with('^') {
        return Some("is not anchored with `^`: any prefix matches");
    }
    None
}

impl NginxRule for OriginRegex {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let mut regexes: Vec<(String, TextRange, &Directive)> = Vec::new();
        for (i, n) in model.nodes.iter().enumerate() {
            match n.d.name.as_str() {
                "if" if n.d.block.is_some() => {
                    let a: Vec<Arg> = condition(n.d);
                    if let [var, op, re, ..] = a.as_slice()
                        && (var.uses_var("http_origin") || var.uses_var("http_referer"))
                        && matches!(op.value.as_str(), "~" | "~*")
                    {
                        regexes.push((re.value.clone(), re.range, n.d));
                    }
                }
                "map" if n.d.args.first().is_some_and(|a| a.uses_var("http_origin") || a.uses_var("http_referer")) => {
                    for j in model.child_nodes(Some(i)) {
                        if let Some(entry) = model.node(j)
                            && entry.d.name.starts_with('~')
                        {
                            regexes.push((entry.d.name.clone(), entry.d.name_range, entry.d));
                        }
                    }
                }
                "valid_referers" => {
                    for a in n.d.args.iter().filter(|a| a.value.starts_with('~')) {
                        regexes.push((a.value.clone(), a.range, n.d));
                    }
                }
                _ => {}
            }
        }
        for (value, range, d) in regexes {
            let re = value.trim_start_matches('~').trim_start_matches('*');
            // a regex on a path (`$http_referer ~ /admin`) validates no domain
            if !(re.contains('.') || re.contains("//")) {
                continue;
            }
            if let Some(why) = problem(re) {
                cx.report(d, range, format!("origin regex `{re}` {why}"))
                    .set_help("anchor the whole origin and escape dots: `^https://app\\.example\\.com$`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{OriginRegex, problem};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn finds_weak_regexes() {
        assert!(problem("https://app\\.example\\.com").is_some());
        assert!(problem("^https://app.example.com$").is_some());
        assert!(problem("^https://(app|www)\\.example\\.com$").is_none());
        assert!(problem("^https?://([a-z0-9-]+\\.)?example\\.com(:[0-9]+)?$").is_none());
    }

    #[test]
    fn fires_in_if_map_and_valid_referers() {
        let text = "location / { if ($http_origin ~* \"example\\.com\") { add_header A b; } }";
        let d = assert_fires(&OriginRegex, text);
        assert_eq!(d[0].range.slice(text), "\"example\\.com\"");
        assert_fires(&OriginRegex, "map $http_origin $ok { default 0; ~^https://a.example.com$ 1; }");
        assert_fires(&OriginRegex, "location / { valid_referers ~\\.example\\.com; }");
    }

    #[test]
    fn passes_on_anchored_escaped_regexes() {
        assert_passes(
            &OriginRegex,
            "location / { if ($http_origin ~* ^https://(a|b)\\.example\\.com$) { add_header A b; } }",
        );
        assert_passes(
            &OriginRegex,
            "map $http_origin $ok { default 0; \"~^https://a\\.example\\.com$\" 1; https://b.example.com 1; }",
        );
        assert_passes(&OriginRegex, "location / { if ($host ~ example.com) { return 403; } }");
        assert_passes(&OriginRegex, "location / { if ($http_referer ~* /ombi) { return 302 /ombi/; } }");
    }
}
