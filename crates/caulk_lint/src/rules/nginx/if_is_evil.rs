//! NX908: `if` inside a location doing more than `return`/`rewrite`.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports an `if` block inside a `location` that contains directives other than
    /// `return`, `rewrite … last|break`, `set` and `break` — the only ones that behave as
    /// expected there.
    ///
    /// ## Why is this bad?
    /// An `if` in a location creates a hidden nested location: when the condition holds, the
    /// request is served by the `if` block's configuration, losing the outer `add_header`s,
    /// `try_files`, `limit_req` and access rules, and some combinations crash or misroute
    /// requests. Security headers and limits silently disappear for exactly the requests the
    /// condition picks.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     try_files $uri /index.html;
    ///     if ($request_method = OPTIONS) {
    ///         add_header Access-Control-Allow-Origin https://app.example.com;
    ///     }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// map $request_method $cors_origin {
    ///     default "";
    ///     OPTIONS "https://app.example.com";
    /// }
    /// location / {
    ///     try_files $uri /index.html;
    ///     add_header Access-Control-Allow-Origin $cors_origin;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `if_is_evil`
    /// - [nginx wiki: If is Evil… when used in location context](https://github.com/nginxinc/nginx-wiki/blob/master/source/start/topics/depth/ifisevil.rst)
    pub(crate) struct IfIsEvil {
        code: "NX908",
        name: "if-is-evil",
        summary: "`if` in a location does more than `return`/`rewrite`",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["if_is_evil"],
    }
}

impl NginxRule for IfIsEvil {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for n in &cx.model.nodes {
            if !n.d.is("if") || n.d.block.is_none() || n.ctx != Ctx::Location {
                continue;
            }
            let unsafe_child = n.d.children().iter().find(|d| match d.name.as_str() {
                "return" | "set" | "break" => false,
                "rewrite" => !matches!(d.args.last().map(|a| a.value.as_str()), Some("last" | "break")),
                _ => true,
            });
            if let Some(d) = unsafe_child {
                cx.report(
                    d,
                    d.name_range,
                    format!(
                        "`{}` inside `if` in a location: the request is served by a hidden nested location",
                        d.name
                    ),
                )
                .set_help("keep only `return` or `rewrite … last` inside `if`; choose values with `map` instead");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IfIsEvil;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_unsafe_directives() {
        let text = "server { location / { if ($x) { add_header A b; } } }";
        let d = assert_fires(&IfIsEvil, text);
        assert_eq!(d[0].range.slice(text), "add_header");
        assert_fires(&IfIsEvil, "server { location / { if ($x) { proxy_pass http://a; } } }");
    }

    #[test]
    fn passes_on_safe_directives_or_server_if() {
        assert_passes(
            &IfIsEvil,
            "server { location / { if ($x) { return 403; } if ($y) { rewrite ^ /a last; set $z 1; } } }",
        );
        assert_passes(&IfIsEvil, "server { if ($host != a) { add_header A b; } }");
    }
}
