//! NX402: a server in front of an application offers no health-check endpoint.

use crate::nginx::{Ctx, NginxChecker, NginxRule};
use crate::rules::nginx::health::is_health_location;

declare_rule! {
    /// ## What it does
    /// Reports a `server` that passes requests to an application but has no location for a
    /// health probe (`/health`, `/healthz`, `/ping`, `/ready`, `/live`…) and no `stub_status`.
    /// Servers listening only on loopback and scopes with an `include` caulk could not read
    /// are not judged.
    ///
    /// ## Why is this bad?
    /// Load balancers, Docker `HEALTHCHECK`s and orchestrators then probe `/`, which runs the
    /// whole application (and its database) on every probe, or cannot tell a broken proxy from
    /// a broken application. A cheap dedicated endpoint answers the one question they ask.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 80;
    ///     location / { proxy_pass http://app:8000; }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     listen 80;
    ///     location = /health {
    ///         access_log off;
    ///         return 200 "ok\n";
    ///     }
    ///     location / { proxy_pass http://app:8000; }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Docker: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    pub(crate) struct NoHealthEndpoint {
        code: "NX402",
        name: "no-health-endpoint",
        summary: "proxy server without a health-check endpoint",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for NoHealthEndpoint {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        if model.root == Ctx::Server {
            return;
        }
        for s in model.servers() {
            let Some(node) = model.node(s) else { continue };
            if !model.serves_content(s)
                || model.is_local_only(s)
                || model.has_unknown_include(Some(s))
                || model.has_unknown_include_inside(s)
            {
                continue;
            }
            let inside = || model.descendants(s).filter_map(|j| model.node(j));
            if !inside().any(|n| n.d.name.ends_with("_pass")) {
                continue;
            }
            if inside().any(|n| (n.d.is("location") && is_health_location(n.d)) || n.d.is("stub_status")) {
                continue;
            }
            cx.report(node.d, node.d.name_range, "server proxies to an application but has no health-check location")
                .set_help("add `location = /health { access_log off; return 200 \"ok\\n\"; }` (or proxy it to the application's own health route)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NoHealthEndpoint;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_health_location() {
        let text = "server { listen 80; location / { proxy_pass http://app; } }";
        let d = assert_fires(&NoHealthEndpoint, text);
        assert_eq!(d[0].range.slice(text), "server");
    }

    #[test]
    fn passes_with_health_or_static() {
        assert_passes(
            &NoHealthEndpoint,
            "server { location = /healthz { return 200; } location / { proxy_pass http://app; } }",
        );
        assert_passes(
            &NoHealthEndpoint,
            "server { location /api/health { proxy_pass http://app; } location / { proxy_pass http://app; } }",
        );
        assert_passes(&NoHealthEndpoint, "server { listen 80; root /srv; }");
        assert_passes(&NoHealthEndpoint, "server { listen 80; return 301 https://$host$request_uri; }");
    }
}
