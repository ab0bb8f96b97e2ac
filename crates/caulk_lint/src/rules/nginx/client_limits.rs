//! NX802: a complete configuration keeps nginx's slow-client defaults and has no body limit sanity.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `client_max_body_size 0` (no limit on request bodies), and, in a complete
    /// configuration (one with an `http` block), an `http` block that sets neither
    /// `client_body_timeout` nor `client_header_timeout` anywhere, so nginx's 60-second
    /// defaults apply to slow clients.
    ///
    /// ## Why is this bad?
    /// Unlimited bodies let one client fill the disk or the backend's memory; long timeouts
    /// let a few clients sending one byte at a time (slowloris) hold every connection. This is
    /// advice: tune the values to the application.
    ///
    /// ## Example
    /// ```nginx
    /// http {
    ///     client_max_body_size 0;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// http {
    ///     client_max_body_size 10m;
    ///     client_body_timeout 10s;
    ///     client_header_timeout 10s;
    ///     send_timeout 10s;
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx http core: client_body_timeout](https://nginx.org/en/docs/http/ngx_http_core_module.html#client_body_timeout)
    /// - [OWASP: Slow HTTP attacks](https://owasp.org/www-community/attacks/Slow_HTTP_Attack)
    pub(crate) struct ClientLimits {
        code: "NX802",
        name: "client-limits",
        summary: "unlimited request bodies or default slow-client timeouts",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for ClientLimits {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (_, n) in cx.named("client_max_body_size") {
            if let Some(a) = n.d.args.first().filter(|a| a.value == "0") {
                cx.report(n.d, a.range, "`client_max_body_size 0` accepts request bodies of any size")
                    .set_help("set the largest upload the application needs, e.g. `client_max_body_size 20m;`");
            }
        }
        for (i, n) in model.nodes.iter().enumerate() {
            if !(n.d.is("http") && n.inner == Ctx::Http)
                || model.has_unknown_include(Some(i))
                || model.has_unknown_include_inside(i)
            {
                continue;
            }
            let set = model
                .descendants(i)
                .filter_map(|j| model.node(j))
                .any(|m| m.d.is("client_body_timeout") || m.d.is("client_header_timeout"));
            if !set {
                cx.report(
                    n.d,
                    n.d.name_range,
                    "client timeouts are nginx's 60-second defaults: slow clients can hold connections",
                )
                .set_help(
                    "add `client_body_timeout 10s; client_header_timeout 10s; send_timeout 10s;` to the `http` block",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ClientLimits;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_unlimited_body_and_default_timeouts() {
        let text = "server { client_max_body_size 0; }";
        let d = assert_fires(&ClientLimits, text);
        assert_eq!(d[0].range.slice(text), "0");
        let text = "http { server { listen 80; } }";
        let d = assert_fires(&ClientLimits, text);
        assert_eq!(d[0].range.slice(text), "http");
    }

    #[test]
    fn passes_with_limits() {
        assert_passes(
            &ClientLimits,
            "http { client_max_body_size 10m; client_body_timeout 10s; server { listen 80; } }",
        );
        assert_passes(&ClientLimits, "server { listen 80; }");
    }
}
