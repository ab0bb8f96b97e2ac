//! NX907: `$N` refers to a capture group the regex does not have.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `$1`…`$9` in a `rewrite` replacement, or inside a regex `location`, that refers
    /// to a capture group the regex does not define.
    ///
    /// ## Why is this bad?
    /// The reference expands to an empty string: redirects and proxied URIs silently lose a
    /// path segment, routing requests somewhere the author did not intend (often `/`).
    ///
    /// ## Example
    /// ```nginx
    /// rewrite ^/old/(.*)$ /new/$2 permanent;
    /// ```
    /// Use instead:
    /// ```nginx
    /// rewrite ^/old/(.*)$ /new/$1 permanent;
    /// ```
    ///
    /// ## References
    /// - gixy-ng `invalid_regex`
    /// - [nginx rewrite module](https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#rewrite)
    pub(crate) struct InvalidCaptureReference {
        code: "NX907",
        name: "invalid-capture-reference",
        summary: "`$N` refers to a capture group that does not exist",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["invalid_regex"],
    }
}

/// The number of capturing groups of a PCRE pattern (named groups count too).
pub(crate) fn groups(re: &str) -> usize {
    let bytes = re.as_bytes();
    let mut n = 0;
    let mut i = 0;
    let mut in_class = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'(' if !in_class => {
                let next = bytes.get(i + 1).copied();
                let named = next == Some(b'?')
                    && (matches!(bytes.get(i + 2), Some(b'P' | b'\''))
                        || (bytes.get(i + 2) == Some(&b'<') && !matches!(bytes.get(i + 3), Some(b'=' | b'!'))));
                if next != Some(b'?') || named {
                    n += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    n
}

/// The highest `$N` (1–9) a value refers to, with the number.
fn highest_ref(value: &str) -> Option<usize> {
    caulk_syntax::nginx::vars(value).filter_map(|v| v.parse::<usize>().ok()).filter(|&n| n > 0).max()
}

impl NginxRule for InvalidCaptureReference {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if n.d.is("rewrite") {
                let (Some(re), Some(to)) = (n.d.args.first(), n.d.args.get(1)) else { continue };
                let have = groups(&re.value);
                if let Some(want) = highest_ref(&to.value)
                    && want > have
                {
                    cx.report(
                        n.d,
                        to.range,
                        format!("`${want}` refers to a group `{}` does not have ({have} groups)", re.value),
                    )
                    .set_help("use a group the regex captures, or add the group");
                }
                continue;
            }
            // references inside a regex location, outside nested regex blocks
            let [m, re] = n.d.args.as_slice() else { continue };
            if !(n.d.is("location") && matches!(m.value.as_str(), "~" | "~*")) {
                continue;
            }
            // a `rewrite` or `if` regex in the block replaces the captures
            if model.children(Some(i)).iter().any(|d| d.is("rewrite") || d.is("if")) {
                continue;
            }
            let have = groups(&re.value);
            for j in model.child_nodes(Some(i)) {
                let Some(c) = model.node(j) else { continue };
                if !matches!(
                    c.d.name.as_str(),
                    "proxy_pass"
                        | "alias"
                        | "return"
                        | "try_files"
                        | "fastcgi_param"
                        | "set"
                        | "add_header"
                        | "proxy_set_header"
                ) {
                    continue;
                }
                for a in &c.d.args {
                    if let Some(want) = highest_ref(&a.value)
                        && want > have
                    {
                        cx.report(
                            c.d,
                            a.range,
                            format!("`${want}` refers to a group `{}` does not have ({have} groups)", re.value),
                        )
                        .set_help("use a group the location regex captures, or add the group");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{InvalidCaptureReference, groups};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn counts_groups() {
        assert_eq!(groups("^/(a)/(?:b)/(?<n>c)$"), 2);
        assert_eq!(groups("^/a\\(b\\)[()]$"), 0);
        assert_eq!(groups("^/(?P<x>a)(?=b)$"), 1);
    }

    #[test]
    fn fires_on_missing_groups() {
        let text = "rewrite ^/old/(.*)$ /new/$2 permanent;";
        let d = assert_fires(&InvalidCaptureReference, text);
        assert_eq!(d[0].range.slice(text), "/new/$2");
        assert_fires(&InvalidCaptureReference, "location ~ ^/img/.*$ { alias /srv/img/$1; }");
    }

    #[test]
    fn passes_on_existing_groups() {
        assert_passes(
            &InvalidCaptureReference,
            "rewrite ^/old/(.*)$ /new/$1 permanent; location ~ ^/i/(.*)$ { alias /srv/$1; }",
        );
        assert_passes(&InvalidCaptureReference, "location / { return 301 https://$host$request_uri; }");
    }
}
