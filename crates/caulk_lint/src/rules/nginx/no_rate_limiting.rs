//! NX201: a public server proxies to an application with no `limit_req`/`limit_conn`.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `server` that passes requests to an application (`proxy_pass`,
    /// `fastcgi_pass`, `uwsgi_pass`, `grpc_pass`, `scgi_pass`) while no `limit_req` or
    /// `limit_conn` applies to it: none in the server, its locations, or the `http` block.
    /// Servers listening only on loopback and scopes with an `include` caulk could not read
    /// are not judged.
    ///
    /// ## Why is this bad?
    /// Every request reaches the application: one client can brute-force a login, scrape the
    /// site or exhaust the backend's workers. nginx can throttle per client address for
    /// almost nothing.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 80;
    ///     location /api/ { proxy_pass http://api:8000; }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;
    /// server {
    ///     listen 80;
    ///     location /api/ {
    ///         limit_req zone=api burst=20 nodelay;
    ///         proxy_pass http://api:8000;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx: limit_req](https://nginx.org/en/docs/http/ngx_http_limit_req_module.html)
    /// - [nginx: limit_conn](https://nginx.org/en/docs/http/ngx_http_limit_conn_module.html)
    pub(crate) struct NoRateLimiting {
        code: "NX201",
        name: "no-rate-limiting",
        summary: "server proxies to an application without rate or connection limits",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

const PASSES: &[&str] = &["proxy_pass", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "scgi_pass"];
const LIMITS: &[&str] = &["limit_req", "limit_conn"];

impl NginxRule for NoRateLimiting {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        if model.root == Ctx::Server {
            return;
        }
        for s in model.servers() {
            let Some(node) = model.node(s) else { continue };
            if model.is_local_only(s) || model.has_unknown_include(Some(s)) || model.has_unknown_include_inside(s) {
                continue;
            }
            let inside = || model.descendants(s).filter_map(|j| model.node(j));
            if !inside().any(|n| PASSES.contains(&n.d.name.as_str())) {
                continue;
            }
            let limited = inside().any(|n| LIMITS.contains(&n.d.name.as_str()))
                || model.levels(Some(s)).any(|l| model.children(l).iter().any(|d| LIMITS.contains(&d.name.as_str())));
            if limited {
                continue;
            }
            cx.report(node.d, node.d.name_range, "server passes requests to an application with no `limit_req` or `limit_conn`")
                .set_help("define `limit_req_zone $binary_remote_addr zone=app:10m rate=10r/s;` in `http` and add `limit_req zone=app burst=20 nodelay;` to the server or its locations");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NoRateLimiting;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_unlimited_proxies() {
        let text = "server {\n listen 80;\n location / { proxy_pass http://app; }\n}";
        let d = assert_fires(&NoRateLimiting, text);
        assert_eq!(d[0].range.slice(text), "server");
        assert_fires(&NoRateLimiting, "http { server { location ~ \\.php$ { fastcgi_pass php:9000; } } }");
    }

    #[test]
    fn passes_when_limited_static_private_or_unknown() {
        assert_passes(
            &NoRateLimiting,
            "http { limit_req_zone $binary_remote_addr zone=a:10m rate=1r/s; limit_req zone=a; server { location / { proxy_pass http://app; } } }",
        );
        assert_passes(
            &NoRateLimiting,
            "server { location /api { limit_conn addr 10; proxy_pass http://app; } location / { proxy_pass http://app; } }",
        );
        assert_passes(&NoRateLimiting, "server { listen 80; root /srv; }");
        assert_passes(&NoRateLimiting, "server { listen 127.0.0.1:80; location / { proxy_pass http://app; } }");
        assert_passes(&NoRateLimiting, "server { location / { include proxy.conf; proxy_pass http://app; } }");
        assert_passes(&NoRateLimiting, "location / { proxy_pass http://app; }");
    }
}
