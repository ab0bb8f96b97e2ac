//! NX104: a security header set without `always` is missing from error responses.

use crate::nginx::{NginxChecker, NginxRule};
use crate::rules::nginx::headers::is_security_header;

declare_rule! {
    /// ## What it does
    /// Reports `add_header` of a security header (CSP, X-Frame-Options, HSTS, …) without the
    /// `always` parameter.
    ///
    /// ## Why is this bad?
    /// Without `always`, nginx adds the header only to 200, 201, 204, 206, 301, 302, 303, 304,
    /// 307 and 308 responses. Error pages (404, 500, an upstream's 502…) go out unprotected, and
    /// error pages that reflect input are a classic place for XSS and framing attacks.
    ///
    /// ## Example
    /// ```nginx
    /// add_header X-Frame-Options "DENY";
    /// ```
    /// Use instead:
    /// ```nginx
    /// add_header X-Frame-Options "DENY" always;
    /// ```
    ///
    /// ## References
    /// - [nginx headers module: add_header](https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header)
    pub(crate) struct HeaderWithoutAlways {
        code: "NX104",
        name: "header-without-always",
        summary: "security header not sent on error responses (no `always`)",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for HeaderWithoutAlways {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("add_header") {
            let name = n.d.arg(0);
            if !is_security_header(name) || n.d.args.len() != 2 {
                continue;
            }
            cx.report(n.d, n.d.args_range(), format!("`{name}` is not sent on error responses: `always` is missing"))
                .set_help("append `always`: `add_header Name \"value\" always;`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HeaderWithoutAlways;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_always() {
        let text = "add_header X-Frame-Options \"DENY\";";
        let d = assert_fires(&HeaderWithoutAlways, text);
        assert_eq!(d[0].range.slice(text), "X-Frame-Options \"DENY\"");
    }

    #[test]
    fn passes_with_always_or_other_headers() {
        assert_passes(&HeaderWithoutAlways, "add_header X-Frame-Options DENY always;");
        assert_passes(&HeaderWithoutAlways, "add_header Cache-Control no-cache;");
    }
}
