//! NX902: `map`/`geo` without a `default` entry.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `map` or `geo` block without a `default` entry whose value comes from the
    /// request (headers such as `$http_origin`, `$host`, arguments, the client address).
    ///
    /// ## Why is this bad?
    /// Unmatched values get an empty string. When the variable drives access (an allow-list,
    /// a CORS origin, a backend choice), the empty value is rarely what the author thought of:
    /// stating the default makes the fallback deliberate and reviewable.
    ///
    /// ## Example
    /// ```nginx
    /// map $http_origin $cors_origin {
    ///     "https://app.example.com" $http_origin;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// map $http_origin $cors_origin {
    ///     default "";
    ///     "https://app.example.com" $http_origin;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `hash_without_default`
    /// - [nginx map module](https://nginx.org/en/docs/http/ngx_http_map_module.html)
    pub(crate) struct MapWithoutDefault {
        code: "NX902",
        name: "map-without-default",
        summary: "`map`/`geo` without an explicit `default`",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["hash_without_default"],
    }
}

impl NginxRule for MapWithoutDefault {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for n in &cx.model.nodes {
            if !(n.d.is("map") || n.d.is("geo")) || n.d.block.is_none() {
                continue;
            }
            if n.d.children().iter().any(|d| d.is("default") || d.is("include")) {
                continue;
            }
            // the fallback matters when the client chooses the value (origins, hosts, arguments)
            let source = if n.d.is("geo") { "remote_addr" } else { n.d.arg(0) };
            let from_request = caulk_syntax::nginx::vars(source).any(|v| {
                crate::rules::nginx::vars::is_user_controlled(v)
                    || matches!(v, "host" | "remote_addr" | "binary_remote_addr")
            }) || (n.d.is("geo") && n.d.args.len() == 1);
            if !from_request {
                continue;
            }
            cx.report(
                n.d,
                n.d.args_range(),
                format!("`{}` has no `default`: unmatched values become an empty string", n.d.name),
            )
            .set_help("add an explicit `default …;` entry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MapWithoutDefault;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        let text = "map $http_origin $o { https://a.example 1; }";
        let d = assert_fires(&MapWithoutDefault, text);
        assert_eq!(d[0].range.slice(text), "$http_origin $o");
        assert_passes(&MapWithoutDefault, "map $http_origin $o { default 0; https://a.example 1; }");
        assert_passes(&MapWithoutDefault, "map $sent_http_content_type $x { ~text/html DENY; }");
        assert_fires(&MapWithoutDefault, "geo $trusted { 10.0.0.0/8 1; }");
    }
}
