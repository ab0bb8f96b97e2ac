//! NX106: `Content-Type` set with `add_header` is sent twice.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `add_header Content-Type …`.
    ///
    /// ## Why is this bad?
    /// `add_header` adds a second `Content-Type` next to the one nginx already sends; browsers
    /// pick one or the other, so MIME sniffing protections and `X-Content-Type-Options` may
    /// apply to the wrong type.
    ///
    /// ## Example
    /// ```nginx
    /// location /api/ { add_header Content-Type application/json; }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /api/ { default_type application/json; }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `add_header_content_type`
    /// - [nginx http core: default_type](https://nginx.org/en/docs/http/ngx_http_core_module.html#default_type)
    pub(crate) struct AddHeaderContentType {
        code: "NX106",
        name: "add-header-content-type",
        summary: "`Content-Type` set with `add_header`",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["add_header_content_type"],
    }
}

impl NginxRule for AddHeaderContentType {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("add_header") {
            if let Some(a) = n.d.args.first().filter(|a| a.value.eq_ignore_ascii_case("content-type")) {
                cx.report(n.d, a.range, "`add_header Content-Type` sends a second `Content-Type` header")
                    .set_help("use `default_type` (or a `types { }` block) instead");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AddHeaderContentType;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        assert_fires(&AddHeaderContentType, "location / { add_header Content-Type text/plain; }");
        assert_passes(&AddHeaderContentType, "location / { default_type text/plain; }");
    }
}
