//! NX103: a nested block's `add_header` silently drops security headers set around it.

use crate::nginx::{NginxChecker, NginxRule};
use crate::rules::nginx::headers::is_security_header;

declare_rule! {
    /// ## What it does
    /// Reports a block (`server`, `location`, `if`) that sets any `add_header` while an
    /// enclosing block sets security headers this block does not repeat. nginx inherits
    /// `add_header` only into blocks that set none of their own, so the nested block sends
    /// only its own headers.
    ///
    /// ## Why is this bad?
    /// Adding one innocent header (`Cache-Control` on static files) to a location removes
    /// `Content-Security-Policy`, `X-Frame-Options`, HSTS… for every response of that location,
    /// without any warning from nginx.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     add_header X-Frame-Options "DENY" always;
    ///     location /static/ {
    ///         add_header Cache-Control "public, max-age=86400";
    ///     }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// server {
    ///     include snippets/security-headers.conf;
    ///     location /static/ {
    ///         include snippets/security-headers.conf;
    ///         add_header Cache-Control "public, max-age=86400";
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy `add_header_redefinition`
    /// - [nginx headers module: add_header](https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header)
    pub(crate) struct AddHeaderRedefinition {
        code: "NX103",
        name: "add-header-redefinition",
        summary: "nested `add_header` drops inherited security headers",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["add_header_redefinition"],
    }
}

impl NginxRule for AddHeaderRedefinition {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if n.d.block.is_none() || !matches!(n.d.name.as_str(), "server" | "location" | "if" | "limit_except") {
                continue;
            }
            let Some(first) = model.children(Some(i)).iter().find(|d| d.is("add_header")) else { continue };
            let own: Vec<&str> =
                model.children(Some(i)).iter().filter(|d| d.is("add_header")).map(|d| d.arg(0)).collect();
            let parent = model.headers(n.parent);
            let mut lost: Vec<&str> = parent
                .directives
                .iter()
                .map(|d| d.arg(0))
                .filter(|h| is_security_header(h) && !own.iter().any(|o| o.eq_ignore_ascii_case(h)))
                .collect();
            lost.dedup();
            if lost.is_empty() {
                continue;
            }
            let list = lost.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
            cx.report(
                first,
                first.name_range,
                format!("this `add_header` makes the `{}` block drop the inherited {list}", n.d.name),
            )
            .set_help("repeat the security headers in this block (a shared `include` snippet keeps them in one place)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AddHeaderRedefinition;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_when_nested_add_header_drops_security_headers() {
        let text =
            "server {\n add_header X-Frame-Options DENY;\n location / {\n  add_header Cache-Control no-cache;\n }\n}";
        let d = assert_fires(&AddHeaderRedefinition, text);
        assert_eq!(d[0].range.slice(text), "add_header");
        assert!(d[0].message.contains("`X-Frame-Options`"));
        assert_fires(
            &AddHeaderRedefinition,
            "http { add_header Strict-Transport-Security max-age=1; server { location / { if ($x) { add_header A b; } } } }",
        );
    }

    #[test]
    fn passes_when_repeated_or_not_security() {
        assert_passes(
            &AddHeaderRedefinition,
            "server { add_header X-Frame-Options DENY; location / { add_header x-frame-options DENY; add_header A b; } }",
        );
        assert_passes(
            &AddHeaderRedefinition,
            "server { add_header Cache-Control no-cache; location / { add_header A b; } }",
        );
        assert_passes(&AddHeaderRedefinition, "server { add_header X-Frame-Options DENY; location / { root /srv; } }");
    }
}
