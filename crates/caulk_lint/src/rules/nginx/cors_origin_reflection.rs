//! NX502: `Access-Control-Allow-Origin` echoes `$http_origin` without validating it.

use crate::nginx::model::condition;
use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `add_header Access-Control-Allow-Origin $http_origin` when the origin is not
    /// validated first: the header is not inside an `if ($http_origin ~ …)` or
    /// `if ($http_origin = …)` block. (A variable produced by `map $http_origin $var { … }` is
    /// a validated allow-list and is not reported.)
    ///
    /// ## Why is this bad?
    /// Echoing the request's `Origin` trusts every website: any page the victim visits can read
    /// the API's responses, with cookies when credentials are allowed — account takeover
    /// through a single visit.
    ///
    /// ## Example
    /// ```nginx
    /// add_header Access-Control-Allow-Origin $http_origin always;
    /// add_header Access-Control-Allow-Credentials true always;
    /// ```
    /// Use instead:
    /// ```nginx
    /// map $http_origin $cors_origin {
    ///     default "";
    ///     "https://app.example.com" $http_origin;
    /// }
    /// add_header Access-Control-Allow-Origin $cors_origin always;
    /// ```
    ///
    /// ## References
    /// - [PortSwigger: CORS, server-generated ACAO header from client-specified Origin](https://portswigger.net/web-security/cors)
    pub(crate) struct CorsOriginReflection {
        code: "NX502",
        name: "cors-origin-reflection",
        summary: "CORS reflects any `Origin` without validation",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for CorsOriginReflection {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for n in &model.nodes {
            if !n.d.is("add_header") || !n.d.arg(0).eq_ignore_ascii_case("access-control-allow-origin") {
                continue;
            }
            let Some(value) = n.d.args.get(1) else { continue };
            if !value.uses_var("http_origin") {
                continue;
            }
            let validated = model.levels(n.parent).filter_map(|l| l.and_then(|j| model.node(j))).any(|p| {
                p.d.is("if") && {
                    let c = condition(p.d);
                    c.first().is_some_and(|a| a.uses_var("http_origin"))
                        && c.get(1).is_some_and(|a| matches!(a.value.as_str(), "~" | "~*" | "="))
                }
            });
            if validated {
                continue;
            }
            cx.report(n.d, value.range, "`Access-Control-Allow-Origin` reflects the request's `Origin` without validating it")
                .set_help("map the allowed origins: `map $http_origin $cors_origin { default \"\"; \"https://app.example.com\" $http_origin; }` and send `$cors_origin`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CorsOriginReflection;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_unvalidated_reflection() {
        let text = "location / { add_header Access-Control-Allow-Origin $http_origin always; }";
        let d = assert_fires(&CorsOriginReflection, text);
        assert_eq!(d[0].range.slice(text), "$http_origin");
        assert_fires(
            &CorsOriginReflection,
            "location / { if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin \"${http_origin}\"; } }",
        );
    }

    #[test]
    fn passes_when_validated_or_mapped() {
        assert_passes(
            &CorsOriginReflection,
            "location / { if ($http_origin ~* ^https://(a|b)\\.example\\.com$) { add_header Access-Control-Allow-Origin $http_origin; } }",
        );
        assert_passes(&CorsOriginReflection, "location / { add_header Access-Control-Allow-Origin $cors_origin; }");
    }
}
