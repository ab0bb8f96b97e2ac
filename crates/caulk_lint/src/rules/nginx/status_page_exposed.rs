//! NX401: `stub_status` (or another status page) reachable by anyone.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `stub_status`, `vhost_traffic_status_display` and `api` (NGINX Plus) in a
    /// location that no access control covers: no `allow …; deny all;`, `internal`,
    /// `auth_basic`, `auth_request`, client certificate, or a server listening only on
    /// loopback.
    ///
    /// ## Why is this bad?
    /// Status pages reveal traffic volumes, connection counts, upstream names and addresses —
    /// reconnaissance for an attacker, and the NGINX Plus API can even change upstreams.
    ///
    /// ## Example
    /// ```nginx
    /// location /nginx_status {
    ///     stub_status;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /nginx_status {
    ///     stub_status;
    ///     access_log off;
    ///     allow 10.0.0.0/8;
    ///     deny all;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `status_page_exposed`
    /// - [nginx stub_status](https://nginx.org/en/docs/http/ngx_http_stub_status_module.html)
    pub(crate) struct StatusPageExposed {
        code: "NX401",
        name: "status-page-exposed",
        summary: "status page reachable without access control",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["status_page_exposed"],
    }
}

impl NginxRule for StatusPageExposed {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if !matches!(n.d.name.as_str(), "stub_status" | "vhost_traffic_status_display" | "api" | "status") {
                continue;
            }
            // `api`/`status` are NGINX Plus directives only inside a location
            let Some(parent) = n.parent else { continue };
            if !model.node(parent).is_some_and(|p| p.d.is("location")) || model.is_access_controlled(i) {
                continue;
            }
            if model.has_unknown_include(Some(parent)) {
                continue;
            }
            cx.report(n.d, n.d.name_range, format!("`{}` is reachable by anyone: no `allow`/`deny all` or authentication covers it", n.d.name))
                .set_help("restrict it: `allow 127.0.0.1; allow 10.0.0.0/8; deny all;` in the location, or serve it on a loopback-only server");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StatusPageExposed;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_open_status() {
        let text = "server { listen 80; location /status { stub_status; } }";
        let d = assert_fires(&StatusPageExposed, text);
        assert_eq!(d[0].range.slice(text), "stub_status");
        // allow without deny all is not a restriction
        assert_fires(&StatusPageExposed, "server { location /s { stub_status on; allow 10.0.0.1; } }");
    }

    #[test]
    fn passes_when_restricted() {
        assert_passes(&StatusPageExposed, "server { location /s { stub_status; allow 127.0.0.1; deny all; } }");
        assert_passes(&StatusPageExposed, "server { allow 10.0.0.0/8; deny all; location /s { stub_status; } }");
        assert_passes(&StatusPageExposed, "server { listen 127.0.0.1:8080; location /s { stub_status; } }");
        assert_passes(
            &StatusPageExposed,
            "server { location /s { auth_basic \"x\"; auth_basic_user_file /etc/htpasswd; stub_status; } }",
        );
        assert_passes(&StatusPageExposed, "server { status_zone x; }");
    }
}
