//! NX608: `return` next to `allow`/`deny` answers before access is checked.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `return` in a block that also has `allow` or `deny` rules.
    ///
    /// ## Why is this bad?
    /// `return` runs in nginx's rewrite phase, before the access phase where `allow`/`deny`
    /// are checked: every client gets the response, the access rules are dead code.
    ///
    /// ## Example
    /// ```nginx
    /// location /internal-info {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     return 200 "build 1234";
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /internal-info {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     try_files /info.txt =404;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `return_bypasses_allow_deny`
    /// - [nginx development guide: phases](https://nginx.org/en/docs/dev/development_guide.html#http_phases)
    pub(crate) struct ReturnBypassesAllowDeny {
        code: "NX608",
        name: "return-bypasses-allow-deny",
        summary: "`return` answers before `allow`/`deny` are checked",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["return_bypasses_allow_deny"],
    }
}

impl NginxRule for ReturnBypassesAllowDeny {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if n.d.block.is_none() || !matches!(n.d.name.as_str(), "location" | "server") {
                continue;
            }
            let children = model.children(Some(i));
            if !children.iter().any(|d| d.is("allow") || (d.is("deny") && d.arg(0) != "all")) {
                continue;
            }
            // a `return` that refuses (403, 404, 444) refuses everyone: no bypass
            if let Some(ret) = children.iter().find(|d| d.is("return") && !matches!(d.arg(0), "403" | "404" | "444")) {
                cx.report(ret, ret.name_range, "`return` runs before `allow`/`deny`: every client gets this response")
                    .set_help("serve the content with `try_files`/`proxy_pass`, or check access in a separate block");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReturnBypassesAllowDeny;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_return_with_acl() {
        let text = "location /x { allow 10.0.0.1; deny all; return 200 ok; }";
        let d = assert_fires(&ReturnBypassesAllowDeny, text);
        assert_eq!(d[0].range.slice(text), "return");
    }

    #[test]
    fn passes_without_acl_or_return() {
        assert_passes(&ReturnBypassesAllowDeny, "location /x { return 200 ok; }");
        assert_passes(&ReturnBypassesAllowDeny, "location /x { allow 10.0.0.1; deny all; stub_status; }");
        assert_passes(&ReturnBypassesAllowDeny, "location /x { deny all; return 404; }");
        assert_passes(&ReturnBypassesAllowDeny, "location /x { allow 10.0.0.1; deny all; return 403; }");
    }
}
