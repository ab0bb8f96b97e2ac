//! NX107: a nested block's `proxy_set_header` silently drops every header set around it.

use caulk_core::Severity;
use caulk_syntax::nginx::Directive;

use crate::nginx::{Model, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `server` or `location` block that sets any `proxy_set_header` while the
    /// level around it sets headers this block does not repeat, and names the headers that
    /// are lost. nginx inherits `proxy_set_header` only into blocks that set none of their
    /// own, so the nested block sends only its own headers (plus nginx's defaults).
    /// Headers set to nginx's own default (`Host $proxy_host`, `Connection ""`, `Upgrade ""`…)
    /// are not counted as lost.
    ///
    /// ## Why is this bad?
    /// Adding one header for a location (`Upgrade` for a websocket) silently stops sending
    /// `Host`, `X-Forwarded-For`, `X-Forwarded-Proto` or `X-Real-IP` there: the backend logs
    /// and rate-limits nginx's address instead of the client's, builds `http://` links behind
    /// TLS, or routes by the wrong host. Worse, a header the parent blanked
    /// (`proxy_set_header X-User "";`, so that clients cannot send it) is passed through from
    /// the client again. Findings that lose only ordinary headers are reported as low.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     proxy_set_header Host $host;
    ///     proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    ///     location /ws/ {
    ///         proxy_set_header Upgrade $http_upgrade;
    ///         proxy_pass http://app:8000;
    ///     }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     include snippets/proxy-headers.conf;
    ///     location /ws/ {
    ///         include snippets/proxy-headers.conf;
    ///         proxy_set_header Upgrade $http_upgrade;
    ///         proxy_pass http://app:8000;
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `proxy_set_header_redefinition`
    /// - [nginx proxy module: proxy_set_header](https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header)
    pub(crate) struct ProxySetHeaderRedefinition {
        code: "NX107",
        name: "proxy-set-header-redefinition",
        summary: "nested `proxy_set_header` drops the headers set around it",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["proxy_set_header_redefinition"],
    }
}

/// Whether `proxy_set_header name value` only restates what nginx sends anyway.
fn is_nginx_default(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "host" => value == "$proxy_host",
        "connection" | "expect" | "keep-alive" | "te" | "upgrade" => value.is_empty(),
        _ => false,
    }
}

/// Whether losing this header lets the client choose what the backend trusts: identity and
/// forwarding headers, values taken from the connection or the client certificate, and
/// headers blanked so that clients cannot send them.
fn is_trust_header(name: &str, value: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "authorization"
            | "proxy-authorization"
            | "early-data"
            | "forwarded"
            | "host"
            | "x-forwarded-for"
            | "x-forwarded-host"
            | "x-forwarded-proto"
            | "x-forwarded-port"
            | "x-forwarded-prefix"
            | "x-real-ip"
    ) || value.is_empty()
        || caulk_syntax::nginx::vars(value).any(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("ssl_client_")
                || matches!(v.as_str(), "remote_addr" | "remote_user" | "proxy_add_x_forwarded_for")
        })
}

/// The `proxy_set_header`s in force at `level`: those of the nearest level that has any.
fn in_force<'a>(model: &Model<'a>, level: Option<usize>) -> Option<(Option<usize>, Vec<&'a Directive>)> {
    model.levels(level).find_map(|l| {
        let here: Vec<&Directive> = model.children(l).iter().filter(|d| d.is("proxy_set_header")).collect();
        (!here.is_empty()).then_some((l, here))
    })
}

/// How a block is named in messages.
fn label(model: &Model<'_>, level: Option<usize>) -> String {
    match level.and_then(|i| model.node(i)) {
        Some(b) if b.d.is("location") => {
            let args: Vec<&str> = b.d.args.iter().map(|a| a.value.as_str()).collect();
            format!("`location {}`", args.join(" "))
        }
        Some(b) => format!("the `{}` block", b.d.name),
        None => "the top level".to_owned(),
    }
}

impl NginxRule for ProxySetHeaderRedefinition {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if n.d.block.is_none() || !matches!(n.d.name.as_str(), "server" | "location") {
                continue;
            }
            let own: Vec<&Directive> = model.children(Some(i)).iter().filter(|d| d.is("proxy_set_header")).collect();
            let Some(first) = own.first() else { continue };
            // an include caulk could not read may repeat the headers
            if model.children(Some(i)).iter().any(|d| d.is("include")) {
                continue;
            }
            let Some((from, parent)) = in_force(model, n.parent) else { continue };
            let mut lost: Vec<&Directive> = Vec::new();
            for d in parent {
                let name = d.arg(0);
                if is_nginx_default(name, d.arg(1))
                    || own.iter().any(|o| o.arg(0).eq_ignore_ascii_case(name))
                    || lost.iter().any(|l| l.arg(0).eq_ignore_ascii_case(name))
                {
                    continue;
                }
                lost.push(d);
            }
            if lost.is_empty() {
                continue;
            }
            let trusted = lost.iter().any(|d| is_trust_header(d.arg(0), d.arg(1)));
            let list = lost.iter().map(|d| format!("`{}`", d.arg(0))).collect::<Vec<_>>().join(", ");
            let d = cx.report(
                first,
                first.name_range,
                format!(
                    "this `proxy_set_header` makes {} stop sending {list}, set in {}",
                    label(model, Some(i)),
                    label(model, from)
                ),
            );
            d.set_help(
                "repeat the inherited headers in this block (a shared `include` snippet keeps them in one place)",
            );
            if !trusted {
                d.severity = Severity::Low;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Severity;

    use super::ProxySetHeaderRedefinition;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_names_the_lost_headers() {
        let text = "server {\n proxy_set_header Host $host;\n proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n location /ws/ {\n  proxy_set_header Upgrade $http_upgrade;\n }\n}";
        let d = assert_fires(&ProxySetHeaderRedefinition, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "proxy_set_header");
        assert!(
            d[0].message.contains("`location /ws/` stop sending `Host`, `X-Forwarded-For`, set in the `server` block"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].severity, Severity::Medium);
        // ordinary headers only: low
        let d = assert_fires(
            &ProxySetHeaderRedefinition,
            "http { proxy_set_header X-App web; server { location / { proxy_set_header Y 1; } } }",
        );
        assert_eq!(d[0].severity, Severity::Low);
        // a blanked header comes back from the client
        let d = assert_fires(
            &ProxySetHeaderRedefinition,
            "server { proxy_set_header X-User \"\"; location / { proxy_set_header A b; } }",
        );
        assert_eq!(d[0].severity, Severity::Medium);
    }

    #[test]
    fn passes_when_repeated_defaulted_or_not_redefined() {
        assert_passes(
            &ProxySetHeaderRedefinition,
            "server { proxy_set_header Host $host; location / { proxy_set_header host $host; proxy_set_header A b; } }",
        );
        assert_passes(
            &ProxySetHeaderRedefinition,
            "server { proxy_set_header Host $proxy_host; proxy_set_header Connection \"\"; location / { proxy_set_header A b; } }",
        );
        assert_passes(
            &ProxySetHeaderRedefinition,
            "server { proxy_set_header Host $host; location / { proxy_pass http://a; } }",
        );
        assert_passes(
            &ProxySetHeaderRedefinition,
            "server { proxy_set_header Host $host; location / { include snippets/proxy.conf; proxy_set_header A b; } }",
        );
    }
}
