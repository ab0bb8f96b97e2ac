//! NX704: OCSP stapling for a Let's Encrypt certificate, which has no OCSP responder any more.

use std::collections::BTreeSet;

use caulk_syntax::nginx::Directive;

use super::default_server_flag::{Socket, listen_socket};
use crate::nginx::{Model, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `ssl_stapling on` in a TLS server whose certificate is recognisably issued by
    /// Let's Encrypt: every `ssl_certificate` in effect (or, when none is visible, the
    /// `ssl_trusted_certificate`) lies under certbot's `/etc/letsencrypt/` or has
    /// `letsencrypt`/`lets-encrypt` in its path.
    ///
    /// ## Why is this bad?
    /// Let's Encrypt stopped putting an OCSP URL in its certificates in May 2025 and shut its
    /// OCSP responders down in August 2025. nginx finds no responder in the certificate, logs
    /// `"ssl_stapling" ignored` at start-up and staples nothing: the directives are dead
    /// configuration that suggests revocation checking which does not happen (Let's Encrypt
    /// relies on short-lived certificates and CRLs now).
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;
    ///     ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;
    ///     ssl_stapling on;
    ///     ssl_stapling_verify on;
    ///     ssl_trusted_certificate /etc/letsencrypt/live/example.com/chain.pem;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     listen 443 ssl;
    ///     ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;
    ///     ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `ssl_stapling_letsencrypt`
    /// - [Let's Encrypt: Ending OCSP Support in 2025](https://letsencrypt.org/2024/12/05/ending-ocsp/)
    /// - [nginx: ssl_stapling](https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_stapling)
    pub(crate) struct SslStaplingLetsencrypt {
        code: "NX704",
        name: "ssl-stapling-letsencrypt",
        summary: "OCSP stapling enabled for a Let's Encrypt certificate",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["ssl_stapling_letsencrypt"],
    }
}

/// Whether server `s` terminates TLS: one of its `listen`s has `ssl`, `quic` or `http3` (or
/// binds a socket another server's `listen … ssl` makes TLS: nginx sets these per socket), or
/// the obsolete `ssl on` is in effect.
pub(crate) fn terminates_tls(model: &Model<'_>, s: usize) -> bool {
    let tls_param = |d: &Directive| {
        d.args.iter().skip(1).any(|a| matches!(a.value.to_ascii_lowercase().as_str(), "ssl" | "quic" | "http3"))
    };
    let listens = |i: usize| model.children(Some(i)).iter().filter(|d| d.is("listen"));
    if listens(s).any(tls_param) || model.inherited(Some(s), "ssl").is_some_and(|d| d.arg(0).eq_ignore_ascii_case("on"))
    {
        return true;
    }
    let tls_sockets: BTreeSet<Socket> =
        model.servers().flat_map(|i| listens(i).filter(|d| tls_param(d)).filter_map(listen_socket)).collect();
    listens(s).filter_map(listen_socket).any(|sock| tls_sockets.contains(&sock))
}

/// The `ssl_stapling on` in effect for server `s`, if stapling is on.
pub(crate) fn stapling_on<'a>(model: &Model<'a>, s: usize) -> Option<&'a Directive> {
    model.inherited(Some(s), "ssl_stapling").filter(|d| d.arg(0).eq_ignore_ascii_case("on"))
}

/// Whether a certificate path names Let's Encrypt: certbot's `/etc/letsencrypt/`, or the CA's
/// name in a directory or file name.
fn is_letsencrypt_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("letsencrypt") || lower.contains("lets-encrypt")
}

/// The certificate directive showing that server `s` serves a Let's Encrypt certificate: all
/// `ssl_certificate`s in effect (nginx inherits them as a set from the nearest level) are
/// Let's Encrypt ones; with none visible, the `ssl_trusted_certificate` in effect is.
pub(crate) fn letsencrypt_certificate<'a>(model: &Model<'a>, s: usize) -> Option<&'a Directive> {
    for level in model.levels(Some(s)) {
        let here = model.children(level);
        let certs: Vec<&Directive> = here.iter().filter(|d| d.is("ssl_certificate")).collect();
        if let Some(first) = certs.first() {
            return certs.iter().all(|d| is_letsencrypt_path(d.arg(0))).then_some(*first);
        }
        // an include we could not read may set the certificate at this level
        if here.iter().any(|d| d.is("include")) {
            return None;
        }
    }
    model.inherited(Some(s), "ssl_trusted_certificate").filter(|d| is_letsencrypt_path(d.arg(0)))
}

impl NginxRule for SslStaplingLetsencrypt {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let mut seen = BTreeSet::new();
        for s in model.servers() {
            if !terminates_tls(model, s) {
                continue;
            }
            let Some(stapling) = stapling_on(model, s) else { continue };
            let Some(cert) = letsencrypt_certificate(model, s) else { continue };
            // report the `ssl_stapling` when this server sets it; an inherited one at the certificate
            let own = model.descendants(s).any(|j| model.node(j).is_some_and(|n| std::ptr::eq(n.d, stapling)));
            let at = if own { stapling } else { cert };
            if !seen.insert((at.file, at.range.start)) {
                continue;
            }
            let range = if own { stapling.range } else { cert.args_range() };
            cx.report(
                at,
                range,
                format!(
                    "`ssl_stapling on` for the Let's Encrypt certificate `{}`: Let's Encrypt no longer runs OCSP, so nothing is stapled",
                    cert.arg(0)
                ),
            )
            .set_help("remove `ssl_stapling` and `ssl_stapling_verify` (and an `ssl_trusted_certificate` kept only for them) for Let's Encrypt certificates");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SslStaplingLetsencrypt;
    use crate::nginx::test::{assert_fires, assert_passes};

    const LE: &str = "ssl_certificate /etc/letsencrypt/live/a/fullchain.pem;";

    #[test]
    fn fires_on_letsencrypt_stapling() {
        let text = format!("server {{ listen 443 ssl; {LE} ssl_stapling on; ssl_stapling_verify on; }}");
        let d = assert_fires(&SslStaplingLetsencrypt, &text);
        assert_eq!(d[0].range.slice(&text), "ssl_stapling on;");
        assert!(d[0].message.contains("/etc/letsencrypt/live/a/fullchain.pem"), "{}", d[0].message);
        // inherited from http: reported at the certificate
        let text = format!("http {{ ssl_stapling on; server {{ listen 443 ssl; {LE} }} }}");
        let d = assert_fires(&SslStaplingLetsencrypt, &text);
        assert_eq!(d[0].range.slice(&text), "/etc/letsencrypt/live/a/fullchain.pem");
        // a certificate named after the CA, or only the trusted chain visible
        assert_fires(
            &SslStaplingLetsencrypt,
            "server { listen 443 ssl; ssl_certificate /etc/ssl/letsencrypt/a.crt; ssl_stapling on; }",
        );
        assert_fires(
            &SslStaplingLetsencrypt,
            "http { ssl_trusted_certificate /etc/letsencrypt/live/a/chain.pem; server { listen 443 ssl; ssl_stapling on; } }",
        );
    }

    #[test]
    fn passes_otherwise() {
        assert_passes(&SslStaplingLetsencrypt, &format!("server {{ listen 443 ssl; {LE} }}"));
        assert_passes(&SslStaplingLetsencrypt, &format!("server {{ listen 443 ssl; {LE} ssl_stapling off; }}"));
        assert_passes(
            &SslStaplingLetsencrypt,
            "server { listen 443 ssl; ssl_certificate /etc/ssl/certs/digicert.pem; ssl_stapling on; }",
        );
        // a second certificate from another CA can still be stapled
        assert_passes(
            &SslStaplingLetsencrypt,
            &format!("server {{ listen 443 ssl; {LE} ssl_certificate /etc/ssl/ecdsa.pem; ssl_stapling on; }}"),
        );
        // the server's own certificate may be in an include
        assert_passes(
            &SslStaplingLetsencrypt,
            &format!("http {{ {LE} ssl_stapling on; server {{ listen 443 ssl; include certs.conf; }} }}"),
        );
        assert_passes(&SslStaplingLetsencrypt, &format!("server {{ listen 80; {LE} ssl_stapling on; }}"));
        // TLS set on the socket by another server
        assert_fires(
            &SslStaplingLetsencrypt,
            &format!("server {{ listen 443 ssl; server_name b; }} server {{ listen 443; {LE} ssl_stapling on; }}"),
        );
    }
}
