//! NX501: `Access-Control-Allow-Origin *` together with `Access-Control-Allow-Credentials true`.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a block whose headers (after `add_header` inheritance) send
    /// `Access-Control-Allow-Origin *` together with `Access-Control-Allow-Credentials true`.
    ///
    /// ## Why is this bad?
    /// The combination says "any site may read responses, with the user's cookies". Browsers
    /// refuse it, so the configuration is broken, and the usual "fix" people reach for next is
    /// reflecting `$http_origin`, which makes every site on the internet a trusted origin.
    /// Decide which origins are trusted and list them.
    ///
    /// ## Example
    /// ```nginx
    /// add_header Access-Control-Allow-Origin * always;
    /// add_header Access-Control-Allow-Credentials true always;
    /// ```
    /// Use instead:
    /// ```nginx
    /// map $http_origin $cors_origin {
    ///     default "";
    ///     "https://app.example.com" $http_origin;
    /// }
    /// server {
    ///     add_header Access-Control-Allow-Origin $cors_origin always;
    ///     add_header Access-Control-Allow-Credentials true always;
    ///     add_header Vary Origin always;
    /// }
    /// ```
    ///
    /// ## References
    /// - [MDN: CORS errors, credential is not supported if the CORS header is `*`](https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS/Errors/CORSNotSupportingCredentials)
    /// - [PortSwigger: CORS misconfigurations](https://portswigger.net/web-security/cors)
    pub(crate) struct CorsWildcardCredentials {
        code: "NX501",
        name: "cors-wildcard-credentials",
        summary: "CORS allows any origin together with credentials",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for CorsWildcardCredentials {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for n in &model.nodes {
            if !n.d.is("add_header")
                || !n.d.arg(0).eq_ignore_ascii_case("access-control-allow-origin")
                || n.d.arg(1) != "*"
            {
                continue;
            }
            let headers = model.headers(n.parent);
            let credentials =
                headers.get("access-control-allow-credentials").is_some_and(|d| d.arg(1).eq_ignore_ascii_case("true"));
            if !credentials {
                continue;
            }
            let range = n.d.args.get(1).map_or(n.d.range, |a| a.range);
            cx.report(n.d, range, "`Access-Control-Allow-Origin *` is sent with `Access-Control-Allow-Credentials true`")
                .set_help("list the trusted origins (a `map $http_origin` to an allowed value) instead of `*`, or drop credentials");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CorsWildcardCredentials;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_wildcard_with_credentials() {
        let text = "location / { add_header Access-Control-Allow-Origin *; add_header Access-Control-Allow-Credentials 'true'; }";
        let d = assert_fires(&CorsWildcardCredentials, text);
        assert_eq!(d[0].range.slice(text), "*");
    }

    #[test]
    fn passes_without_credentials_or_wildcard() {
        assert_passes(&CorsWildcardCredentials, "location / { add_header Access-Control-Allow-Origin *; }");
        assert_passes(
            &CorsWildcardCredentials,
            "location / { add_header Access-Control-Allow-Origin https://a.example; add_header Access-Control-Allow-Credentials true; }",
        );
        // credentials set in an outer block are dropped by nginx's add_header inheritance
        assert_passes(
            &CorsWildcardCredentials,
            "server { add_header Access-Control-Allow-Credentials true; location / { add_header Access-Control-Allow-Origin *; } }",
        );
    }
}
