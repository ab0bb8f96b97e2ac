//! NX806: response buffering turned off, so slow clients hold backend connections.

use crate::nginx::{Model, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `proxy_buffering off` (and the same switch of the FastCGI, uwsgi and SCGI
    /// modules: `fastcgi_buffering`, `uwsgi_buffering`, `scgi_buffering`).
    ///
    /// ## Why is this bad?
    /// With buffering on, nginx reads the backend's response at the backend's speed and
    /// frees the backend while it feeds the client. With buffering off, the backend
    /// connection (a PHP-FPM child, an application worker) stays busy for as long as the
    /// client takes to read: a few deliberately slow clients (slowloris-style) exhaust the
    /// backend's workers, and nginx can no longer absorb traffic spikes.
    ///
    /// Streaming responses (server-sent events, long polling) do need it off: let the
    /// backend say so per response with the `X-Accel-Buffering: no` header, which nginx
    /// honours, rather than turning buffering off for a whole block.
    ///
    /// ## Example
    /// ```nginx
    /// location /api/ {
    ///     proxy_buffering off;
    ///     proxy_pass http://app:8000;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /api/ {
    ///     proxy_pass http://app:8000;
    /// }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `proxy_buffering_off`
    /// - [nginx proxy module: proxy_buffering](https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering)
    pub(crate) struct ProxyBufferingOff {
        code: "NX806",
        name: "proxy-buffering-off",
        summary: "`proxy_buffering off` lets slow clients hold backend connections",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["proxy_buffering_off"],
    }
}

/// How a block is named in messages: "`location /api/`", "`server` block", "`http` block".
fn block_label(model: &Model<'_>, level: Option<usize>) -> String {
    match level.and_then(|i| model.node(i)) {
        Some(b) if b.d.is("location") || b.d.is("if") => {
            let args: Vec<&str> = b.d.args.iter().map(|a| a.value.as_str()).collect();
            format!("`{} {}`", b.d.name, args.join(" "))
        }
        Some(b) => format!("the `{}` block", b.d.name),
        None => "the top level".to_owned(),
    }
}

impl NginxRule for ProxyBufferingOff {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for n in &model.nodes {
            let module = match n.d.name.as_str() {
                "proxy_buffering" => "backend",
                "fastcgi_buffering" => "FastCGI",
                "uwsgi_buffering" => "uwsgi",
                "scgi_buffering" => "SCGI",
                _ => continue,
            };
            let Some(a) = n.d.args.first() else { continue };
            if !a.value.eq_ignore_ascii_case("off") {
                continue;
            }
            cx.report(
                n.d,
                n.d.name_range.cover(a.range),
                format!(
                    "`{} off` in {} ties each {module} connection to a client for as long as the client takes to read the response",
                    n.d.name,
                    block_label(model, n.parent)
                ),
            )
            .set_help(format!(
                "remove it (buffering is on by default); for streaming responses have the backend send `X-Accel-Buffering: no`, or limit `{} off` to the streaming location",
                n.d.name
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ProxyBufferingOff;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_buffering_off() {
        let text = "location /api/ { proxy_buffering off; proxy_pass http://app; }";
        let d = assert_fires(&ProxyBufferingOff, text);
        assert_eq!(d[0].range.slice(text), "proxy_buffering off");
        assert!(d[0].message.contains("`location /api/`"), "{}", d[0].message);
        assert_fires(&ProxyBufferingOff, "http { fastcgi_buffering OFF; }");
    }

    #[test]
    fn passes_when_buffering_stays_on() {
        assert_passes(&ProxyBufferingOff, "location / { proxy_buffering on; proxy_request_buffering off; }");
        assert_passes(&ProxyBufferingOff, "location / { proxy_pass http://app; }");
    }
}
