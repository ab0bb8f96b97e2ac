//! NX703: OCSP stapling with no `resolver` to look up the OCSP responder.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::ssl_stapling_letsencrypt::{letsencrypt_certificate, stapling_on, terminates_tls};
use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `ssl_stapling on` in a TLS server of a main configuration (one with its `http`
    /// block) with no `resolver` in the server or around it, unless the response comes from `ssl_stapling_file` or `ssl_stapling_responder`
    /// names the responder by IP address. (Let's Encrypt certificates are left to
    /// `ssl-stapling-letsencrypt`: they have nothing to staple.)
    ///
    /// ## Why is this bad?
    /// To fetch OCSP responses nginx needs the responder's address. Without a `resolver` it
    /// looks the name up once, with the system resolver, while loading the configuration: if
    /// DNS is not reachable then (a container starting before its network) stapling is
    /// turned off until the next reload, and otherwise the start-up addresses are used until
    /// the next reload, with a "no resolver defined" warning at every refresh. CAs serve OCSP from CDNs whose
    /// addresses change, so stapling quietly stops and clients go back to asking the CA
    /// themselves (slower handshakes, and the CA learns who visits the site).
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     ssl_certificate /etc/ssl/example.com.pem;
    ///     ssl_certificate_key /etc/ssl/example.com.key;
    ///     ssl_stapling on;
    ///     ssl_stapling_verify on;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     ssl_certificate /etc/ssl/example.com.pem;
    ///     ssl_certificate_key /etc/ssl/example.com.key;
    ///     ssl_stapling on;
    ///     ssl_stapling_verify on;
    ///     resolver 127.0.0.53 valid=300s;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `ssl_stapling_without_resolver`
    /// - [nginx: ssl_stapling](https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_stapling)
    /// - [nginx: resolver](https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver)
    pub(crate) struct SslStaplingWithoutResolver {
        code: "NX703",
        name: "ssl-stapling-without-resolver",
        summary: "OCSP stapling without a `resolver`",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["ssl_stapling_without_resolver"],
    }
}

/// Whether an `ssl_stapling_responder` URL names its host by IP address (no lookup needed).
fn responder_is_ip(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    host.parse::<IpAddr>().is_ok()
}

impl NginxRule for SslStaplingWithoutResolver {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        // in a fragment the `http` block, where a resolver is often set, is out of sight
        if model.root != Ctx::Main {
            return;
        }
        let mut seen = BTreeSet::new();
        for s in model.servers() {
            if !terminates_tls(model, s) {
                continue;
            }
            let Some(stapling) = stapling_on(model, s) else { continue };
            let here = |name: &str| model.inherited(Some(s), name);
            if here("resolver").is_some()
                || here("ssl_stapling_file").is_some()
                || here("ssl_stapling_responder").is_some_and(|d| responder_is_ip(d.arg(0)))
                || model.has_unknown_include(Some(s))
                || letsencrypt_certificate(model, s).is_some()
            {
                continue;
            }
            if !seen.insert((stapling.file, stapling.range.start)) {
                continue;
            }
            cx.report(
                stapling,
                stapling.range,
                "`ssl_stapling on` without a `resolver`: nginx looks the OCSP responder up only at start-up, so stapling stops when that fails or the responder's address changes",
            )
            .set_help("add a `resolver` on the host or private network (e.g. `resolver 127.0.0.53 valid=300s;`, Docker: `resolver 127.0.0.11;`) to the server or `http` block, or serve a prefetched response with `ssl_stapling_file`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SslStaplingWithoutResolver, responder_is_ip};
    use crate::nginx::test::{assert_fires, assert_passes};

    const CERT: &str = "ssl_certificate /etc/ssl/a.pem;";

    #[test]
    fn classifies_responders() {
        assert!(responder_is_ip("http://192.0.2.1/ocsp"));
        assert!(responder_is_ip("http://[2001:db8::1]:8080/"));
        assert!(responder_is_ip("http://127.0.0.1:8234"));
        assert!(!responder_is_ip("http://ocsp.example.com/"));
    }

    #[test]
    fn fires_without_resolver() {
        let text = format!("http {{ server {{ listen 443 ssl; {CERT} ssl_stapling on; }} }}");
        let d = assert_fires(&SslStaplingWithoutResolver, &text);
        assert_eq!(d[0].range.slice(&text), "ssl_stapling on;");
        // inherited by two servers: one finding
        let d = assert_fires(
            &SslStaplingWithoutResolver,
            &format!(
                "http {{ ssl_stapling on; server {{ listen 443 ssl; {CERT} }} server {{ listen 8443 ssl; {CERT} }} }}"
            ),
        );
        assert_eq!(d.len(), 1);
        // a resolver in a location does not serve the handshake
        assert_fires(
            &SslStaplingWithoutResolver,
            &format!(
                "http {{ server {{ listen 443 ssl; {CERT} ssl_stapling on; location / {{ resolver 10.0.0.2; }} }} }}"
            ),
        );
    }

    #[test]
    fn passes_with_resolver_file_or_ip_responder() {
        assert_passes(
            &SslStaplingWithoutResolver,
            &format!("http {{ resolver 127.0.0.11; server {{ listen 443 ssl; {CERT} ssl_stapling on; }} }}"),
        );
        assert_passes(
            &SslStaplingWithoutResolver,
            &format!(
                "http {{ server {{ listen 443 ssl; {CERT} ssl_stapling on; ssl_stapling_file /etc/ssl/ocsp.der; }} }}"
            ),
        );
        assert_passes(
            &SslStaplingWithoutResolver,
            &format!(
                "http {{ server {{ listen 443 ssl; {CERT} ssl_stapling on; ssl_stapling_responder http://127.0.0.1:8234; }} }}"
            ),
        );
        assert_passes(
            &SslStaplingWithoutResolver,
            &format!("http {{ server {{ listen 443 ssl; {CERT} ssl_stapling off; }} }}"),
        );
        assert_passes(&SslStaplingWithoutResolver, "http { server { listen 80; ssl_stapling on; } }");
        assert_passes(
            &SslStaplingWithoutResolver,
            &format!("http {{ server {{ listen 443 ssl; {CERT} ssl_stapling on; include resolver.conf; }} }}"),
        );
        // a fragment: the `http` block around it may set the resolver
        assert_passes(&SslStaplingWithoutResolver, &format!("server {{ listen 443 ssl; {CERT} ssl_stapling on; }}"));
        // Let's Encrypt: nothing to staple, reported by NX704 instead
        assert_passes(
            &SslStaplingWithoutResolver,
            "http { server { listen 443 ssl; ssl_certificate /etc/letsencrypt/live/a/fullchain.pem; ssl_stapling on; } }",
        );
    }
}
