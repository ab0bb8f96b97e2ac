//! NX913: several servers share a listen socket and none is its `default_server`.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv6Addr};

use caulk_syntax::nginx::Directive;

use crate::nginx::{Ctx, Model, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a listen socket (address and port, TCP or QUIC) that two or more `server`
    /// blocks of the `http` context share when none of their `listen` directives for it has
    /// `default_server`. A server without `listen` counts as `listen *:80`. Only a main
    /// configuration shows every server: a fragment of `server` blocks, or an `http` block
    /// with an include caulk could not read, may have the default elsewhere and is not judged.
    ///
    /// ## Why is this bad?
    /// nginx sends every request whose `Host` matches no `server_name` on that socket — scanners
    /// hitting the bare IP address, forged or misspelled hosts — to the socket's default server.
    /// Without the flag that is whichever server comes first in file order, so an internal
    /// site or an unrelated application answers for any host name, and reordering an
    /// `include` silently changes which one. (`server_name _` does not make a server the
    /// default.)
    ///
    /// ## Example
    /// ```nginx
    /// server { listen 80; server_name app.example.com; location / { proxy_pass http://app; } }
    /// server { listen 80; server_name admin.example.com; location / { proxy_pass http://admin; } }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server { listen 80 default_server; server_name _; return 444; }
    /// server { listen 80; server_name app.example.com; location / { proxy_pass http://app; } }
    /// server { listen 80; server_name admin.example.com; location / { proxy_pass http://admin; } }
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `default_server_flag`
    /// - [nginx: How nginx processes a request](https://nginx.org/en/docs/http/request_processing.html)
    /// - [nginx: listen](https://nginx.org/en/docs/http/ngx_http_core_module.html#listen)
    pub(crate) struct DefaultServerFlag {
        code: "NX913",
        name: "default-server-flag",
        summary: "servers share a listen socket and none is marked `default_server`",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["default_server_flag"],
    }
}

/// A socket a `listen` binds, normalised the way nginx compares them: `80`, `*:80` and
/// `0.0.0.0:80` are one socket; `[::]:80` is another; QUIC listens are UDP sockets apart
/// from the TCP ones on the same port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Socket {
    pub(crate) addr: String,
    pub(crate) port: u16,
    pub(crate) quic: bool,
}

impl std::fmt::Display for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.addr.starts_with("unix:") {
            f.write_str(&self.addr)?;
        } else {
            write!(f, "{}:{}", self.addr, self.port)?;
        }
        if self.quic { f.write_str(" quic") } else { Ok(()) }
    }
}

/// The socket a `listen` directive binds; `None` when it cannot be told from the text
/// (variables, templates, malformed addresses).
pub(crate) fn listen_socket(d: &Directive) -> Option<Socket> {
    let spec = d.arg(0);
    if spec.is_empty() || spec.contains('$') || spec.contains('{') {
        return None;
    }
    let quic = d.args.iter().skip(1).any(|a| a.value.eq_ignore_ascii_case("quic"));
    if spec.starts_with("unix:") {
        return Some(Socket { addr: spec.to_owned(), port: 0, quic });
    }
    let (addr, port) = if let Some(rest) = spec.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let v6: Ipv6Addr = host.parse().ok()?;
        let port = match after.strip_prefix(':') {
            Some(p) => p,
            None if after.is_empty() => "",
            None => return None,
        };
        (format!("[{v6}]"), port)
    } else if spec.bytes().all(|b| b.is_ascii_digit()) {
        ("*".to_owned(), spec)
    } else {
        let (host, port) = match spec.split_once(':') {
            Some((h, p)) if !p.contains(':') => (h, p),
            Some(_) => return None,
            None => (spec, ""),
        };
        let host = match host {
            "" | "*" | "0.0.0.0" => "*".to_owned(),
            h => match h.parse::<IpAddr>() {
                Ok(ip) => ip.to_string(),
                Err(_) => h.to_ascii_lowercase(),
            },
        };
        (host, port)
    };
    let port = if port.is_empty() { 80 } else { port.parse().ok()? };
    Some(Socket { addr, port, quic })
}

/// Whether a `listen` directive marks its server as the socket's default.
pub(crate) fn is_default(d: &Directive) -> bool {
    d.args.iter().skip(1).any(|a| matches!(a.value.to_ascii_lowercase().as_str(), "default_server" | "default"))
}

/// The first name of server `s`, for messages.
fn server_label(model: &Model<'_>, s: usize) -> String {
    match model.child(Some(s), "server_name").map(|d| d.arg(0)).filter(|n| !n.is_empty()) {
        Some(name) => format!("the server `{name}`"),
        None => "a server without `server_name`".to_owned(),
    }
}

/// One server's claim on a socket: the server, the `listen` (none: the implicit `*:80`),
/// and whether it is marked default.
struct Claim<'a> {
    server: usize,
    listen: Option<&'a Directive>,
    default: bool,
}

impl NginxRule for DefaultServerFlag {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        // a fragment shows only some of the servers: the default may be in another file
        if model.root != Ctx::Main {
            return;
        }
        let mut sockets: BTreeMap<Socket, Vec<Claim<'_>>> = BTreeMap::new();
        for s in model.servers() {
            let Some(node) = model.node(s) else { continue };
            // an include we could not read may define more servers (one of them the default)
            if model.has_unknown_include(node.parent) {
                return;
            }
            let listens: Vec<&Directive> = model.children(Some(s)).iter().filter(|d| d.is("listen")).collect();
            if listens.is_empty() {
                // an unread include may hold this server's `listen`
                if model.children(Some(s)).iter().any(|d| d.is("include")) {
                    continue;
                }
                let implicit = Socket { addr: "*".to_owned(), port: 80, quic: false };
                sockets.entry(implicit).or_default().push(Claim { server: s, listen: None, default: false });
                continue;
            }
            for l in listens {
                if let Some(socket) = listen_socket(l) {
                    sockets.entry(socket).or_default().push(Claim {
                        server: s,
                        listen: Some(l),
                        default: is_default(l),
                    });
                }
            }
        }
        for (socket, claims) in &sockets {
            let Some(first) = claims.first() else { continue };
            let servers = {
                let mut v: Vec<usize> = claims.iter().map(|c| c.server).collect();
                v.dedup();
                v.len()
            };
            if servers < 2 || claims.iter().any(|c| c.default) {
                continue;
            }
            let Some(server) = model.node(first.server) else { continue };
            let (at, range, written) = match first.listen {
                Some(l) => (l, l.args_range(), format!("`listen {}`", l.arg(0))),
                None => (server.d, server.d.name_range, "the implicit `listen *:80`".to_owned()),
            };
            let message = format!(
                "{servers} servers listen on `{socket}` and none is `default_server`: {} ({written}, first in file order) answers every request for an unknown host",
                server_label(model, first.server)
            );
            let spec = first.listen.map_or("80", |l| l.arg(0));
            let tls = claims
                .iter()
                .filter_map(|c| c.listen)
                .any(|l| l.args.iter().skip(1).any(|a| a.value.eq_ignore_ascii_case("ssl")));
            let catch_all = if socket.quic {
                format!("server {{ listen {spec} quic default_server; ssl_reject_handshake on; }}")
            } else if tls {
                format!("server {{ listen {spec} ssl default_server; ssl_reject_handshake on; }}")
            } else {
                format!("server {{ listen {spec} default_server; server_name _; return 444; }}")
            };
            cx.report(at, range, message)
                .set_help(format!("mark the server meant to answer unknown hosts, e.g. a catch-all `{catch_all}`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_syntax::nginx::parse;

    use super::{DefaultServerFlag, listen_socket};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn normalises_listen_addresses() {
        let socket = |text: &str| {
            let config = parse(text).ast;
            config.directives.first().and_then(listen_socket).map(|s| s.to_string())
        };
        assert_eq!(socket("listen 80;").as_deref(), Some("*:80"));
        assert_eq!(socket("listen 0.0.0.0:8080 default_server;").as_deref(), Some("*:8080"));
        assert_eq!(socket("listen 127.0.0.1;").as_deref(), Some("127.0.0.1:80"));
        assert_eq!(socket("listen [0::0]:443 ssl;").as_deref(), Some("[::]:443"));
        assert_eq!(socket("listen [::1];").as_deref(), Some("[::1]:80"));
        assert_eq!(socket("listen 443 quic reuseport;").as_deref(), Some("*:443 quic"));
        assert_eq!(socket("listen unix:/run/nginx.sock;").as_deref(), Some("unix:/run/nginx.sock"));
        assert_eq!(socket("listen ${PORT};"), None);
        assert_eq!(socket("listen 1:2:3;"), None);
    }

    #[test]
    fn fires_on_shared_socket_without_default() {
        let text = "http {\n server { listen 80; server_name a; }\n server { listen *:80; server_name b; }\n}";
        let d = assert_fires(&DefaultServerFlag, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "80");
        assert!(d[0].message.contains("`*:80`") && d[0].message.contains("`a`"), "{}", d[0].message);
        // no `listen` at all means *:80
        assert_fires(
            &DefaultServerFlag,
            "http { server { server_name a; } server { listen 0.0.0.0:80; server_name b; } }",
        );
        // IPv6 spellings are one socket
        assert_fires(
            &DefaultServerFlag,
            "http { server { listen [::]:443 ssl; } server { listen [0:0::0]:443 ssl; } }",
        );
        // each ambiguous socket is reported
        let d = assert_fires(
            &DefaultServerFlag,
            "http { server { listen 80; listen 443 ssl; server_name a; } server { listen 80; listen 443 ssl; server_name b; } }",
        );
        assert_eq!(d.len(), 2);
        assert!(d[1].help.as_deref().is_some_and(|h| h.contains("ssl_reject_handshake")), "{:?}", d[1].help);
    }

    #[test]
    fn passes_with_default_or_distinct_sockets() {
        assert_passes(
            &DefaultServerFlag,
            "http { server { listen 80 default_server; return 444; } server { listen 80; server_name a; } }",
        );
        assert_passes(
            &DefaultServerFlag,
            "http { server { listen 80 default; } server { listen 80; server_name a; } }",
        );
        // different addresses, ports, or TCP vs QUIC are different sockets
        assert_passes(&DefaultServerFlag, "http { server { listen 127.0.0.1:80; } server { listen 80; } }");
        assert_passes(&DefaultServerFlag, "http { server { listen 80; } server { listen 8080; } }");
        assert_passes(
            &DefaultServerFlag,
            "http { server { listen 443 ssl; listen 443 quic reuseport; server_name a; } }",
        );
        assert_passes(&DefaultServerFlag, "http { server { listen [::]:80; } server { listen 80; } }");
        // a fragment of site files: the default server may be in another one
        assert_passes(&DefaultServerFlag, "server { listen 80; server_name a; } server { listen 80; server_name b; }");
        // one server only, stream servers, templated ports, unknown includes
        assert_passes(&DefaultServerFlag, "http { server { listen 80; } }");
        assert_passes(&DefaultServerFlag, "stream { server { listen 53 udp; } server { listen 53 udp; } }");
        assert_passes(&DefaultServerFlag, "http { server { listen ${PORT}; } server { listen ${PORT}; } }");
        assert_passes(
            &DefaultServerFlag,
            "http { include conf.d/*.conf; server { listen 80; } server { listen 80; } }",
        );
        assert_passes(
            &DefaultServerFlag,
            "http { server { include listen.conf; } server { listen 80; server_name a; } }",
        );
    }
}
