//! NX803: a regex with nested quantifiers can backtrack exponentially (ReDoS).

use caulk_core::TextRange;
use caulk_syntax::nginx::Directive;

use crate::nginx::model::condition;
use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Checks the regexes nginx matches against requests — `location ~`, `if (… ~ …)`,
    /// `rewrite`, `~` entries of `map`, `server_name ~` — and reports a quantified group that
    /// itself contains a quantifier, such as `(a+)+`, `(.*)*` or `(\w+\s?)*`.
    ///
    /// ## Why is this bad?
    /// PCRE backtracks: on a crafted non-matching input such a pattern takes exponential time,
    /// and one request can keep a worker busy for seconds (nginx's PCRE JIT limits help but
    /// do not remove the problem).
    ///
    /// ## Example
    /// ```nginx
    /// location ~ ^/(\w+/?)+\.php$ { fastcgi_pass php:9000; }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location ~ ^/[\w/]+\.php$ { fastcgi_pass php:9000; }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `regex_redos`
    /// - [OWASP: Regular expression Denial of Service](https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS)
    pub(crate) struct RegexRedos {
        code: "NX803",
        name: "regex-redos",
        summary: "regex with nested quantifiers (ReDoS)",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["regex_redos"],
    }
}

/// Whether `re` has a group containing a quantifier that is itself quantified with `*`, `+`
/// or `{n,}`.
pub(crate) fn nested_quantifier(re: &str) -> bool {
    let bytes = re.as_bytes();
    // per open group: whether it contains an unbounded quantifier
    let mut stack: Vec<bool> = Vec::new();
    let mut i = 0;
    let mut in_class = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => {
                i += 2;
                continue;
            }
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            _ if in_class => {}
            b'(' => stack.push(false),
            b')' => {
                let inner = stack.pop().unwrap_or(false);
                let next = bytes.get(i + 1).copied();
                let unbounded = matches!(next, Some(b'*' | b'+'))
                    || (next == Some(b'{') && unbounded_brace(bytes.get(i + 1..).unwrap_or(&[])));
                if inner && unbounded {
                    return true;
                }
                if let Some(top) = stack.last_mut() {
                    *top |= inner || unbounded;
                }
            }
            b'*' | b'+' => {
                if let Some(top) = stack.last_mut() {
                    *top = true;
                }
            }
            b'{' if unbounded_brace(bytes.get(i..).unwrap_or(&[])) => {
                if let Some(top) = stack.last_mut() {
                    *top = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// `{n,}` (or a large upper bound) at the start of `s`.
fn unbounded_brace(s: &[u8]) -> bool {
    let Some(end) = s.iter().position(|&b| b == b'}') else { return false };
    let inner = s.get(1..end).unwrap_or(&[]);
    let text = std::str::from_utf8(inner).unwrap_or("");
    match text.split_once(',') {
        Some((_, "")) => true,
        Some((_, max)) => max.parse::<u32>().is_ok_and(|m| m > 100),
        None => false,
    }
}

impl NginxRule for RegexRedos {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let mut regexes: Vec<(String, TextRange, &Directive)> = Vec::new();
        for (i, n) in model.nodes.iter().enumerate() {
            let d = n.d;
            match d.name.as_str() {
                "location" if d.block.is_some() => {
                    if let [m, re] = d.args.as_slice()
                        && matches!(m.value.as_str(), "~" | "~*")
                    {
                        regexes.push((re.value.clone(), re.range, d));
                    } else if let [re] = d.args.as_slice()
                        && let Some(r) = re.value.strip_prefix("~*").or_else(|| re.value.strip_prefix('~'))
                    {
                        regexes.push((r.to_owned(), re.range, d));
                    }
                }
                "if" if d.block.is_some() => {
                    if let [_, op, re, ..] = condition(d).as_slice()
                        && matches!(op.value.as_str(), "~" | "~*" | "!~" | "!~*")
                    {
                        regexes.push((re.value.clone(), re.range, d));
                    }
                }
                "rewrite" => {
                    if let Some(re) = d.args.first() {
                        regexes.push((re.value.clone(), re.range, d));
                    }
                }
                "server_name" => {
                    for a in d.args.iter().filter(|a| a.value.starts_with('~')) {
                        regexes.push((a.value.trim_start_matches('~').to_owned(), a.range, d));
                    }
                }
                "map" => {
                    for j in model.child_nodes(Some(i)) {
                        if let Some(e) = model.node(j)
                            && let Some(r) = e.d.name.strip_prefix('~')
                        {
                            regexes.push((r.trim_start_matches('*').to_owned(), e.d.name_range, e.d));
                        }
                    }
                }
                _ => {}
            }
        }
        for (re, range, d) in regexes {
            if nested_quantifier(&re) {
                cx.report(d, range, format!("regex `{re}` nests quantifiers and can backtrack exponentially"))
                    .set_help("remove the nesting: quantify a character class (`[\\w/]+`) instead of a quantified group (`(\\w+/?)+`)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RegexRedos, nested_quantifier};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn detects_nested_quantifiers() {
        assert!(nested_quantifier("^/(a+)+$"));
        assert!(nested_quantifier("(.*)*"));
        assert!(nested_quantifier("^/(\\w+/?)+\\.php$"));
        assert!(nested_quantifier("((ab)*c)+"));
        assert!(!nested_quantifier("^/api/(.*)$"));
        assert!(!nested_quantifier("\\.(js|css|png)$"));
        assert!(!nested_quantifier("^/([a-z]+)/(\\d+)$"));
        assert!(!nested_quantifier("[(a+)+]"));
        assert!(!nested_quantifier("(a+){2}"));
    }

    #[test]
    fn fires_on_location_if_and_rewrite() {
        let text = "location ~ ^/(a+)+$ { return 404; }";
        let d = assert_fires(&RegexRedos, text);
        assert_eq!(d[0].range.slice(text), "^/(a+)+$");
        assert_fires(&RegexRedos, "server { if ($request_uri ~* \"(x*)*y\") { return 403; } }");
        assert_fires(&RegexRedos, "server { rewrite ^/(\\w+-?)+$ /x last; }");
    }

    #[test]
    fn passes_on_linear_regexes() {
        assert_passes(
            &RegexRedos,
            "location ~* \\.(jpg|png)$ { expires 1d; } location ~ ^/api/(.*)$ { proxy_pass http://a/$1; }",
        );
    }
}
