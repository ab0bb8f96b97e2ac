//! NX904: `keepalive_requests` far below nginx's default.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `keepalive_requests` below 1000 (nginx's default since 1.19.10).
    ///
    /// ## Why is this bad?
    /// Each client connection is closed after that many requests, so busy clients (and
    /// HTTP/2 browsers multiplexing a page's assets) reconnect and redo the TLS handshake
    /// constantly: more latency and CPU, and an easier target for connection-exhaustion.
    ///
    /// ## Example
    /// ```nginx
    /// keepalive_requests 100;
    /// ```
    /// Use instead:
    /// ```nginx
    /// keepalive_requests 1000;
    /// ```
    ///
    /// ## References
    /// - gixy-ng `low_keepalive_requests`
    /// - [nginx http core: keepalive_requests](https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_requests)
    pub(crate) struct LowKeepaliveRequests {
        code: "NX904",
        name: "low-keepalive-requests",
        summary: "`keepalive_requests` below 1000",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["low_keepalive_requests"],
    }
}

impl NginxRule for LowKeepaliveRequests {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for n in &cx.model.nodes {
            // inside `upstream` it limits connections to the backend, a different trade-off
            if !n.d.is("keepalive_requests") || n.ctx == crate::nginx::Ctx::Upstream {
                continue;
            }
            let Some(a) = n.d.args.first() else { continue };
            if a.value.parse::<u64>().is_ok_and(|v| v < 1000) {
                cx.report(
                    n.d,
                    a.range,
                    format!("`keepalive_requests {}` closes client connections after {} requests", a.value, a.value),
                )
                .set_help("use nginx's default, `keepalive_requests 1000;`, or remove the directive");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LowKeepaliveRequests;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        let text = "http { keepalive_requests 100; }";
        let d = assert_fires(&LowKeepaliveRequests, text);
        assert_eq!(d[0].range.slice(text), "100");
        assert_passes(
            &LowKeepaliveRequests,
            "http { keepalive_requests 1000; upstream u { server a; keepalive_requests 100; } }",
        );
    }
}
