//! NX603: `proxy_set_header Host $http_host` forwards a spoofable Host header.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `proxy_set_header Host $http_host` (and `$http_x_forwarded_host`).
    ///
    /// ## Why is this bad?
    /// `$http_host` is the raw header the client sent, even when it matches no `server_name`
    /// (the request then lands on the default server). The backend builds password-reset links,
    /// redirects and cache keys from it: host header injection. `$host` is normalised by
    /// nginx (lowercased, port removed, falls back to `server_name`).
    ///
    /// ## Example
    /// ```nginx
    /// proxy_set_header Host $http_host;
    /// ```
    /// Use instead:
    /// ```nginx
    /// proxy_set_header Host $host;
    /// ```
    ///
    /// ## References
    /// - gixy `host_spoofing`
    /// - [PortSwigger: HTTP Host header attacks](https://portswigger.net/web-security/host-header)
    pub(crate) struct HostSpoofing {
        code: "NX603",
        name: "host-spoofing",
        summary: "backend receives the client's unvalidated Host header",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["host_spoofing"],
    }
}

impl NginxRule for HostSpoofing {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("proxy_set_header") {
            if !n.d.arg(0).eq_ignore_ascii_case("host") {
                continue;
            }
            let Some(value) = n.d.args.get(1) else { continue };
            if let Some(v) = ["http_host", "http_x_forwarded_host"].into_iter().find(|v| value.uses_var(v)) {
                cx.report(n.d, value.range, format!("the backend's `Host` comes from the client's raw `${v}`"))
                    .set_help("use `proxy_set_header Host $host;`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HostSpoofing;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_http_host() {
        let text = "location / { proxy_set_header Host $http_host; }";
        let d = assert_fires(&HostSpoofing, text);
        assert_eq!(d[0].range.slice(text), "$http_host");
    }

    #[test]
    fn passes_on_host() {
        assert_passes(
            &HostSpoofing,
            "location / { proxy_set_header Host $host; proxy_set_header X-Forwarded-Host $http_host; }",
        );
    }
}
