//! NX302: gzip on TLS responses of an application (BREACH).

use caulk_syntax::nginx::Directive;

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports, as advice, a TLS `server` that passes requests to an application while gzip is
    /// on for it (in the server or inherited from `http`) and not turned off in the proxied
    /// locations.
    ///
    /// ## Why is this bad?
    /// When a compressed HTTPS response contains both a secret (a CSRF token, a session
    /// identifier) and text the attacker can inject (a search term echoed back), the response
    /// size leaks the secret byte by byte (BREACH). Static files are not affected. If the
    /// application's pages carry secrets and reflect input, turn gzip off for them or mask
    /// the tokens per response.
    ///
    /// ## Example
    /// ```nginx
    /// gzip on;
    /// server {
    ///     listen 443 ssl;
    ///     location / { proxy_pass http://app:8000; }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// gzip on;
    /// server {
    ///     listen 443 ssl;
    ///     location /static/ { root /srv; }
    ///     location / { gzip off; proxy_pass http://app:8000; }
    /// }
    /// ```
    ///
    /// ## References
    /// - [BREACH attack](https://www.breachattack.com/)
    /// - CVE-2013-3587
    pub(crate) struct GzipBreach {
        code: "NX302",
        name: "gzip-breach",
        summary: "gzip on TLS responses of an application (BREACH)",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for GzipBreach {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        if model.root == Ctx::Server {
            return;
        }
        for s in model.servers() {
            if !model.is_tls(s) {
                continue;
            }
            let Some(gzip) = model.inherited(Some(s), "gzip").filter(|d| d.arg(0) == "on") else { continue };
            // a proxied location that still compresses
            let exposed = model.descendants(s).filter_map(|j| model.node(j)).any(|n| {
                n.d.name.ends_with("_pass")
                    && n.parent
                        .is_some_and(|p| model.inherited(Some(p), "gzip").is_some_and(|g: &Directive| g.arg(0) == "on"))
            });
            if !exposed {
                continue;
            }
            cx.report(gzip, gzip.range, "gzip compresses TLS responses of an application: pages that hold secrets and reflect input are open to BREACH")
                .set_help("if the application's pages hold tokens and echo input, set `gzip off;` in the proxied locations (keep it for static files)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GzipBreach;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_tls_proxy_with_gzip() {
        let text = "http { gzip on; server { listen 443 ssl; location / { proxy_pass http://app; } } }";
        let d = assert_fires(&GzipBreach, text);
        assert_eq!(d[0].range.slice(text), "gzip on;");
    }

    #[test]
    fn passes_without_tls_or_with_gzip_off() {
        assert_passes(&GzipBreach, "http { gzip on; server { listen 80; location / { proxy_pass http://app; } } }");
        assert_passes(
            &GzipBreach,
            "http { gzip on; server { listen 443 ssl; location / { gzip off; proxy_pass http://app; } location /s/ { root /srv; } } }",
        );
        assert_passes(&GzipBreach, "http { gzip on; server { listen 443 ssl; root /srv; } }");
    }
}
