//! NX602: decoded URI variables in headers or redirects allow CRLF injection.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `$uri` and `$document_uri` in response headers (`add_header`,
    /// `more_set_headers`), request headers to the backend (`proxy_set_header`), redirects
    /// (`return 30x`, `rewrite … redirect|permanent`) and `proxy_pass`.
    ///
    /// ## Why is this bad?
    /// These variables are URL-decoded: a request for `/%0d%0aSet-Cookie:%20a=b` puts a
    /// real CR LF into the header, letting the attacker add headers or a whole response
    /// (HTTP response splitting, session fixation, cache poisoning). `$request_uri` keeps the
    /// encoding and is safe.
    ///
    /// ## Example
    /// ```nginx
    /// return 301 https://example.com$uri;
    /// ```
    /// Use instead:
    /// ```nginx
    /// return 301 https://example.com$request_uri;
    /// ```
    ///
    /// ## References
    /// - gixy `http_splitting`
    /// - [CWE-113: HTTP response splitting](https://cwe.mitre.org/data/definitions/113.html)
    pub(crate) struct HttpSplitting {
        code: "NX602",
        name: "http-splitting",
        summary: "decoded `$uri` in a header or redirect allows CRLF injection",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["http_splitting"],
    }
}

impl NginxRule for HttpSplitting {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for n in &model.nodes {
            let d = n.d;
            let args: &[caulk_syntax::nginx::Arg] = match d.name.as_str() {
                "add_header" | "proxy_set_header" | "more_set_headers" | "more_set_input_headers" => {
                    d.args.get(1..).unwrap_or(&[])
                }
                "return" if matches!(d.arg(0), "301" | "302" | "303" | "307" | "308") => d.args.get(1..).unwrap_or(&[]),
                "rewrite" if matches!(d.args.last().map(|a| a.value.as_str()), Some("redirect" | "permanent")) => {
                    d.args.get(1..2).unwrap_or(&[])
                }
                "proxy_pass" => &d.args,
                _ => continue,
            };
            for a in args {
                if let Some(v) = ["uri", "document_uri"].into_iter().find(|v| a.uses_var(v)) {
                    cx.report(
                        d,
                        a.range,
                        format!(
                            "`${v}` is URL-decoded: a `%0d%0a` in the request injects headers through `{}`",
                            d.name
                        ),
                    )
                    .set_help("use `$request_uri` (kept encoded) instead");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HttpSplitting;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_decoded_uri_in_headers_and_redirects() {
        let text = "location / { return 302 https://example.com$uri; }";
        let d = assert_fires(&HttpSplitting, text);
        assert_eq!(d[0].range.slice(text), "https://example.com$uri");
        assert_fires(&HttpSplitting, "location / { add_header X-Path \"${document_uri}\"; }");
        assert_fires(&HttpSplitting, "location / { proxy_set_header X-Original-URI $uri; }");
    }

    #[test]
    fn passes_on_request_uri() {
        assert_passes(&HttpSplitting, "location / { return 301 https://$host$request_uri; }");
        assert_passes(&HttpSplitting, "location / { try_files $uri $uri/ =404; }");
        assert_passes(&HttpSplitting, "location / { return 200 $uri; }");
    }
}
