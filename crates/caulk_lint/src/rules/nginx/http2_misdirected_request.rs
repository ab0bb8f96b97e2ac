//! NX706: a TLS default server that rejects handshakes but would serve misdirected HTTP/2
//! requests.

use caulk_syntax::nginx::Directive;

use super::default_server_flag::{Socket, is_default, listen_socket};
use crate::nginx::{Model, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a TLS `default_server` with `ssl_reject_handshake on` on a socket where HTTP/2
    /// is enabled (`listen … http2` or `http2 on` in a server on that socket) when the server
    /// has no `return 421` (at server level or in `location /`).
    ///
    /// ## Why is this bad?
    /// `ssl_reject_handshake on` refuses TLS handshakes for unknown server names, and it is
    /// easy to assume the catch-all server then never answers anything. But browsers reuse an
    /// HTTP/2 connection for every host its certificate covers and that resolves to the same
    /// address: a request for a host that has no `server_name` here arrives on a connection
    /// opened for another site, and nginx hands it to the default server, which serves
    /// whatever its (usually empty) configuration gives — nginx's welcome page, files from
    /// the default root. `421 Misdirected Request` tells the browser to retry on a fresh
    /// connection, where the handshake is rejected as intended.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 443 ssl default_server;
    ///     http2 on;
    ///     ssl_reject_handshake on;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     listen 443 ssl default_server;
    ///     http2 on;
    ///     ssl_reject_handshake on;
    ///     location / { return 421; }
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `http2_misdirected_request`
    /// - [nginx: ssl_reject_handshake](https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_reject_handshake)
    /// - [RFC 9110 §15.5.20: 421 Misdirected Request](https://www.rfc-editor.org/rfc/rfc9110#section-15.5.20)
    /// - [RFC 9113 §9.1.1: connection reuse](https://www.rfc-editor.org/rfc/rfc9113#section-9.1.1)
    pub(crate) struct Http2MisdirectedRequest {
        code: "NX706",
        name: "http2-misdirected-request",
        summary: "handshake-rejecting default server without `return 421` for HTTP/2",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["http2_misdirected_request"],
    }
}

fn has_param(d: &Directive, name: &str) -> bool {
    d.args.iter().skip(1).any(|a| a.value.eq_ignore_ascii_case(name))
}

fn is_on(d: Option<&Directive>) -> bool {
    d.is_some_and(|d| d.arg(0).eq_ignore_ascii_case("on"))
}

fn returns_421(ds: &[Directive]) -> bool {
    ds.iter().any(|d| d.is("return") && d.arg(0) == "421")
}

/// Whether server `s` answers everything with 421: `return 421;` at server level or in
/// `location /`.
fn answers_421(model: &Model<'_>, s: usize) -> bool {
    let children = model.children(Some(s));
    returns_421(children)
        || children.iter().any(|d| {
            let args: Vec<&str> = d.args.iter().map(|a| a.value.as_str()).collect();
            d.is("location") && matches!(args.as_slice(), ["/"] | ["^~", "/"]) && returns_421(d.children())
        })
}

impl NginxRule for Http2MisdirectedRequest {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        // every TCP listen of every server, with its socket
        let listens: Vec<(usize, &Directive, Socket)> = model
            .servers()
            .flat_map(|s| model.children(Some(s)).iter().filter(|d| d.is("listen")).map(move |d| (s, d)))
            .filter_map(|(s, d)| listen_socket(d).map(|sock| (s, d, sock)))
            .filter(|(_, _, sock)| !sock.quic)
            .collect();
        for s in model.servers() {
            let reject = model.inherited(Some(s), "ssl_reject_handshake");
            if !is_on(reject) || answers_421(model, s) || model.has_unknown_include_inside(s) {
                continue;
            }
            for (_, listen, socket) in listens.iter().filter(|(o, d, _)| *o == s && is_default(d)) {
                let on_socket = || listens.iter().filter(|(_, _, sock)| sock == socket);
                let tls = on_socket().any(|(_, d, _)| has_param(d, "ssl"));
                let http2 =
                    on_socket().any(|(o, d, _)| has_param(d, "http2") || is_on(model.inherited(Some(*o), "http2")));
                if !(tls && http2) {
                    continue;
                }
                let own = reject.filter(|r| model.children(Some(s)).iter().any(|d| std::ptr::eq(d, *r)));
                let (at, range) = match own {
                    Some(r) => (r, r.range),
                    None => (*listen, listen.args_range()),
                };
                cx.report(
                    at,
                    range,
                    format!(
                        "the default server for `{socket}` rejects unknown TLS names (`ssl_reject_handshake on`) but has no `return 421`: requests for other hosts that browsers send over a reused HTTP/2 connection are served by it"
                    ),
                )
                .set_help("add `location / { return 421; }` so such requests get 421 Misdirected Request and the browser retries on a new connection");
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Http2MisdirectedRequest;
    use crate::nginx::test::{assert_fires, assert_passes};

    const CATCH_ALL: &str = "server { listen 443 ssl default_server; ssl_reject_handshake on; }";

    #[test]
    fn fires_without_421() {
        let text = format!("http {{ http2 on; {CATCH_ALL} }}");
        let d = assert_fires(&Http2MisdirectedRequest, &text);
        assert_eq!(d[0].range.slice(&text), "ssl_reject_handshake on;");
        assert!(d[0].message.contains("`*:443`"), "{}", d[0].message);
        // HTTP/2 enabled on the socket by another server's listen
        assert_fires(
            &Http2MisdirectedRequest,
            &format!("{CATCH_ALL} server {{ listen 443 ssl http2; server_name a; }}"),
        );
        assert_fires(
            &Http2MisdirectedRequest,
            "server { listen 443 ssl http2 default_server; ssl_reject_handshake on; location / { return 404; } }",
        );
    }

    #[test]
    fn passes_with_421_or_without_http2() {
        assert_passes(
            &Http2MisdirectedRequest,
            "http { http2 on; server { listen 443 ssl default_server; ssl_reject_handshake on; location / { return 421; } } }",
        );
        assert_passes(
            &Http2MisdirectedRequest,
            "http { http2 on; server { listen 443 ssl default_server; ssl_reject_handshake on; return 421; } }",
        );
        // no HTTP/2 on that socket
        assert_passes(&Http2MisdirectedRequest, &format!("{CATCH_ALL} server {{ listen 8443 ssl http2; }}"));
        // not the default server, or not rejecting
        assert_passes(
            &Http2MisdirectedRequest,
            "http { http2 on; server { listen 443 ssl; ssl_reject_handshake on; } }",
        );
        assert_passes(&Http2MisdirectedRequest, "http { http2 on; server { listen 443 ssl default_server; } }");
        assert_passes(
            &Http2MisdirectedRequest,
            "http { http2 on; server { listen 443 ssl default_server; ssl_reject_handshake on; include catch.conf; } }",
        );
    }
}
