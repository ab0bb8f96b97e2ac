//! NX102: a server that serves content sends no X-Content-Type-Options, framing policy, CSP,
//! Referrer-Policy or (over TLS) HSTS.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// For every `server` that answers with content (it does not just `return` a redirect or
    /// an error), computes the headers nginx really sends, with nginx's inheritance (a block
    /// with any `add_header` drops all inherited ones; `more_set_headers` also counts), and
    /// reports the missing ones: `X-Content-Type-Options`, `X-Frame-Options` (or a CSP with
    /// `frame-ancestors`), `Content-Security-Policy`, `Referrer-Policy`, and
    /// `Strict-Transport-Security` on servers that terminate TLS. Servers listening only on
    /// loopback, files of bare `location` blocks, and scopes with an `include` caulk could not
    /// read are not judged.
    ///
    /// ## Why is this bad?
    /// These headers are the browser-side defences against MIME sniffing, clickjacking,
    /// cross-site scripting, referrer leaks and TLS stripping. Without them one injection or
    /// one plain-HTTP link is enough.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     location / { proxy_pass http://app:8000; }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     add_header X-Content-Type-Options "nosniff" always;
    ///     add_header X-Frame-Options "DENY" always;
    ///     add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'" always;
    ///     add_header Referrer-Policy "strict-origin-when-cross-origin" always;
    ///     add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    ///     location / { proxy_pass http://app:8000; }
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `hsts_header` (HSTS only)
    /// - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    /// - [nginx headers module: add_header](https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header)
    pub(crate) struct MissingSecurityHeaders {
        code: "NX102",
        name: "missing-security-headers",
        summary: "server serves content without the standard security headers",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["hsts_header"],
    }
}

impl NginxRule for MissingSecurityHeaders {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        if model.root == Ctx::Server {
            return;
        }
        for s in model.servers() {
            let Some(node) = model.node(s) else { continue };
            if !model.serves_content(s) || model.is_local_only(s) {
                continue;
            }
            let headers = model.headers(Some(s));
            if headers.unknown || model.has_unknown_include(Some(s)) {
                continue;
            }
            let more = model.more_headers(Some(s));
            let has = |name: &str| headers.get(name).is_some() || more.iter().any(|(n, _)| n == name);
            let csp = headers.get("content-security-policy");
            let frame_ancestors = csp.is_some_and(|d| d.arg(1).contains("frame-ancestors"));
            let mut missing = Vec::new();
            if !has("x-content-type-options") {
                missing.push("X-Content-Type-Options");
            }
            if !has("x-frame-options") && !frame_ancestors {
                missing.push("X-Frame-Options");
            }
            if !has("content-security-policy") {
                missing.push("Content-Security-Policy");
            }
            if !has("referrer-policy") {
                missing.push("Referrer-Policy");
            }
            if model.is_tls(s) && !has("strict-transport-security") {
                missing.push("Strict-Transport-Security");
            }
            if missing.is_empty() {
                continue;
            }
            let list = missing.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
            let inherited = if headers.directives.is_empty() || headers.level == Some(Some(s)) {
                String::new()
            } else {
                " (the `add_header`s in force are those of the nearest block that sets any)".to_owned()
            };
            cx.report(node.d, node.d.name_range, format!("server sends no {list} header{}{inherited}", if missing.len() > 1 { "s" } else { "" }))
                .set_help("add e.g. `add_header X-Content-Type-Options \"nosniff\" always;`, `add_header X-Frame-Options \"DENY\" always;`, `add_header Content-Security-Policy \"default-src 'self'\" always;`, `add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;` (and HSTS on TLS) to the server");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MissingSecurityHeaders;
    use crate::nginx::test::{assert_fires, assert_passes};

    const GOOD: &str = "add_header X-Content-Type-Options nosniff always;\nadd_header X-Frame-Options DENY always;\nadd_header Content-Security-Policy \"default-src 'self'\" always;\nadd_header Referrer-Policy no-referrer always;\n";

    #[test]
    fn fires_on_servers_without_headers() {
        let text = "server {\n listen 80;\n root /srv;\n}\n";
        let d = assert_fires(&MissingSecurityHeaders, text);
        assert_eq!(d[0].range.slice(text), "server");
        assert!(d[0].message.contains("`X-Content-Type-Options`"), "{}", d[0].message);
        // HSTS on TLS
        let text = format!("server {{ listen 443 ssl; {GOOD} }}");
        let d = assert_fires(&MissingSecurityHeaders, &text);
        assert!(d[0].message.contains("Strict-Transport-Security") && !d[0].message.contains("X-Frame"));
        // a server-level add_header hides the http-level ones
        let text = format!("http {{ {GOOD} server {{ listen 80; add_header X-Custom 1; }} }}");
        assert_fires(&MissingSecurityHeaders, &text);
    }

    #[test]
    fn passes_when_set_inherited_or_not_serving() {
        assert_passes(&MissingSecurityHeaders, &format!("http {{ {GOOD} server {{ listen 80; root /srv; }} }}"));
        let csp_frame = "server { listen 80; add_header X-Content-Type-Options nosniff; add_header Content-Security-Policy \"frame-ancestors 'none'\"; add_header Referrer-Policy no-referrer; }";
        assert_passes(&MissingSecurityHeaders, csp_frame);
        assert_passes(&MissingSecurityHeaders, "server { listen 80; return 301 https://$host$request_uri; }");
        assert_passes(&MissingSecurityHeaders, "server { listen 127.0.0.1:8080; root /srv; }");
        assert_passes(&MissingSecurityHeaders, "location / { root /srv; }");
        assert_passes(&MissingSecurityHeaders, "server { listen 80; include /srv/snippets/headers.conf; }");
        assert_passes(
            &MissingSecurityHeaders,
            "server { listen 80; more_set_headers \"X-Content-Type-Options: nosniff\" \"X-Frame-Options: DENY\" \"Content-Security-Policy: default-src 'self'\" \"Referrer-Policy: no-referrer\"; }",
        );
    }
}
