//! NX611: a backend hostname nginx resolves only once, at start-up; also the backend-address
//! helpers the resolver rules share.

use std::net::IpAddr;

use caulk_core::Severity;

use crate::nginx::{Ctx, Model, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a backend given by a fixed hostname that nginx resolves only when it starts:
    /// the target of `proxy_pass`, `fastcgi_pass`, `uwsgi_pass`, `scgi_pass` or `grpc_pass`
    /// written without variables, and an `upstream` block's `server` without the `resolve`
    /// parameter. Targets that name an `upstream` block are judged by that block's servers.
    /// IP addresses, unix sockets, `localhost` and single-label names (compose service
    /// names, `/etc/hosts` aliases, which change only when their service is recreated) are
    /// not reported. Names under a public top-level domain are medium; names under private
    /// ones (`.internal`, `.local`, `.lan`, `.corp`, `.svc`…) are low.
    ///
    /// ## Why is this bad?
    /// nginx keeps the addresses it found at start-up and never asks DNS again: when a cloud
    /// load balancer, CDN or failover moves the name to new addresses, nginx keeps sending
    /// traffic (with its cookies and credentials) to the old ones until it is reloaded. The
    /// old address may by then belong to someone else.
    ///
    /// ## Example
    /// ```nginx
    /// location /api/ {
    ///     proxy_pass https://api.example.com;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// resolver 10.0.0.2 valid=30s;
    /// location /api/ {
    ///     set $api api.example.com;
    ///     proxy_pass https://$api;
    /// }
    /// ```
    /// or, with nginx 1.27.3 or later, an upstream that re-resolves:
    /// ```nginx
    /// resolver 10.0.0.2 valid=30s;
    /// upstream api {
    ///     zone api 64k;
    ///     server api.example.com:443 resolve;
    /// }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `stale_dns_cache`, gixy-ng `missing_resolver`
    /// - [nginx upstream module: server … resolve](https://nginx.org/en/docs/http/ngx_http_upstream_module.html#resolve)
    /// - [nginx proxy module: proxy_pass](https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass)
    pub(crate) struct StaleDnsCache {
        code: "NX611",
        name: "stale-dns-cache",
        summary: "backend hostname resolved only once, at start-up",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["stale_dns_cache"],
    }
}

/// Directives that connect to the backend their first argument names.
pub(crate) const PASSES: [&str; 5] = ["proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass"];

/// The host (brackets removed) and port of a backend address: `http://app:8000/x`,
/// `app:9000`, `[::1]:80`, `backend`. `None` for unix sockets.
pub(crate) fn host_port(value: &str) -> Option<(&str, Option<&str>)> {
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    if rest.starts_with("unix:") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        return Some((host, after.strip_prefix(':')));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => Some((host, Some(port))),
        _ => Some((authority, None)),
    }
}

/// Whether `host` is an IP address rather than a name.
pub(crate) fn is_ip(host: &str) -> bool {
    host.parse::<IpAddr>().is_ok()
}

/// Whether `host` always means this machine.
fn is_loopback_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost" || h == "ip6-localhost" || h.ends_with(".localhost")
}

/// The names of the `upstream` blocks, lowercased (nginx compares them ignoring case).
pub(crate) fn upstream_names(model: &Model<'_>) -> Vec<String> {
    model
        .nodes
        .iter()
        .filter(|n| n.d.is("upstream") && n.d.block.is_some())
        .map(|n| n.d.arg(0).to_ascii_lowercase())
        .collect()
}

/// How stale addresses of `host` matter: `None` when they do not (single-label names),
/// medium for names under a public top-level domain, low under a private one.
fn staleness(host: &str) -> Option<Severity> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    let (_, tld) = h.rsplit_once('.')?;
    if tld.is_empty() || tld.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let private = matches!(
        tld,
        "local"
            | "localdomain"
            | "internal"
            | "intranet"
            | "private"
            | "lan"
            | "home"
            | "corp"
            | "test"
            | "example"
            | "invalid"
            | "arpa"
            | "svc"
            | "cluster"
            | "consul"
            | "docker"
    );
    Some(if private { Severity::Low } else { Severity::Medium })
}

impl NginxRule for StaleDnsCache {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let upstreams = upstream_names(model);
        for n in &model.nodes {
            let upstream_server = n.d.is("server") && n.ctx == Ctx::Upstream;
            if !(upstream_server || PASSES.contains(&n.d.name.as_str())) {
                continue;
            }
            let Some(arg) = n.d.args.first() else { continue };
            let value = arg.value.as_str();
            if value.contains('$') || (upstream_server && n.d.args.iter().any(|a| a.value == "resolve")) {
                continue;
            }
            let Some((host, _)) = host_port(value) else { continue };
            if is_ip(host) || is_loopback_name(host) {
                continue;
            }
            if !upstream_server && upstreams.iter().any(|u| u.eq_ignore_ascii_case(host)) {
                continue;
            }
            let Some(severity) = staleness(host) else { continue };
            let (message, help) = if upstream_server {
                let block = n.parent.and_then(|p| model.node(p)).map_or("", |p| p.d.arg(0));
                (
                    format!(
                        "upstream `{block}` server `{value}` is resolved once, at start-up: when `{host}` moves, nginx keeps using the old addresses until it is reloaded"
                    ),
                    "add `resolve` to the server, with a `zone` in the upstream and a `resolver` (nginx 1.27.3 or later)"
                        .to_owned(),
                )
            } else {
                (
                    format!(
                        "`{} {value}` resolves `{host}` once, at start-up: when it moves, nginx keeps using the old addresses until it is reloaded",
                        n.d.name
                    ),
                    format!(
                        "resolve it at run time: a `resolver` and the host in a variable (`set $backend {host}; {} …$backend…;`), or an upstream with `server {host} resolve;`",
                        n.d.name
                    ),
                )
            };
            cx.report(n.d, arg.range, message).set_help(help).severity = severity;
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Severity;

    use super::{StaleDnsCache, host_port};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn parses_backend_addresses() {
        assert_eq!(host_port("http://app:8000/x"), Some(("app", Some("8000"))));
        assert_eq!(host_port("https://api.example.com"), Some(("api.example.com", None)));
        assert_eq!(host_port("[::1]:9000"), Some(("::1", Some("9000"))));
        assert_eq!(host_port("php.internal:9000"), Some(("php.internal", Some("9000"))));
        assert_eq!(host_port("http://unix:/run/app.sock:/"), None);
        assert_eq!(host_port("unix:/run/php.sock"), None);
    }

    #[test]
    fn fires_on_hostnames_resolved_at_start_up() {
        let text = "location / { proxy_pass https://api.example.com/v1/; }";
        let d = assert_fires(&StaleDnsCache, text);
        assert_eq!(d[0].range.slice(text), "https://api.example.com/v1/");
        assert_eq!(d[0].severity, Severity::Medium);
        let d = assert_fires(&StaleDnsCache, "location ~ \\.php$ { fastcgi_pass php.internal:9000; }");
        assert_eq!(d[0].severity, Severity::Low);
        let text = "upstream b { server 10.0.0.1; server app.example.net:8080 backup; } server { location / { proxy_pass http://b; } }";
        let d = assert_fires(&StaleDnsCache, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "app.example.net:8080");
    }

    #[test]
    fn passes_on_addresses_that_do_not_go_stale() {
        assert_passes(
            &StaleDnsCache,
            "upstream backend { zone b 64k; server api.example.com resolve; server 10.0.0.2:80; server unix:/run/a.sock; }
             server { location / { proxy_pass http://backend; } location /a { proxy_pass http://127.0.0.1:8080; }
             location /b { proxy_pass http://[::1]:8080; } location /c { proxy_pass http://localhost:3000; }
             location /d { proxy_pass http://app:8000; } location /e { proxy_pass http://unix:/run/app.sock:/; }
             location /f { resolver 127.0.0.11; set $u api.example.com; proxy_pass https://$u; } }",
        );
    }
}
