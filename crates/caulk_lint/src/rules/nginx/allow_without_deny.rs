//! NX606: `allow` without `deny all` restricts nothing.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a block with `allow` rules but no `deny all` in the same block. (nginx inherits
    /// `allow`/`deny` only into blocks that have none of their own, so the `deny all` must be
    /// next to the `allow`s.)
    ///
    /// ## Why is this bad?
    /// Access rules are checked in order and the default is to allow: `allow 10.0.0.0/8;`
    /// alone lets every address in, while the author believes access is restricted.
    ///
    /// ## Example
    /// ```nginx
    /// location /admin/ {
    ///     allow 10.0.0.0/8;
    ///     proxy_pass http://admin:8000;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /admin/ {
    ///     allow 10.0.0.0/8;
    ///     deny all;
    ///     proxy_pass http://admin:8000;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `allow_without_deny`
    /// - [nginx access module](https://nginx.org/en/docs/http/ngx_http_access_module.html)
    pub(crate) struct AllowWithoutDeny {
        code: "NX606",
        name: "allow-without-deny",
        summary: "`allow` rules without `deny all` restrict nothing",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["allow_without_deny"],
    }
}

impl NginxRule for AllowWithoutDeny {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let mut levels: Vec<Option<usize>> = vec![None];
        levels.extend((0..model.nodes.len()).filter(|&i| model.node(i).is_some_and(|n| n.d.block.is_some())).map(Some));
        for level in levels {
            let children = model.children(level);
            let Some(first) = children.iter().find(|d| d.is("allow") && d.arg(0) != "all") else { continue };
            if children.iter().any(|d| (d.is("deny") && d.arg(0) == "all") || d.is("include")) {
                continue;
            }
            let range = first.args.first().map_or(first.range, |a| a.range);
            cx.report(
                first,
                range,
                format!("`allow {}` is not followed by `deny all`: every other address is allowed too", first.arg(0)),
            )
            .set_help("add `deny all;` after the `allow` rules in this block");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AllowWithoutDeny;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_deny_all() {
        let text = "location /a { allow 10.0.0.1; }";
        let d = assert_fires(&AllowWithoutDeny, text);
        assert_eq!(d[0].range.slice(text), "10.0.0.1");
        // the parent's deny all is not inherited into a block with its own allow
        assert_fires(&AllowWithoutDeny, "server { deny all; location /a { allow 10.0.0.1; } }");
    }

    #[test]
    fn passes_with_deny_all() {
        assert_passes(&AllowWithoutDeny, "location /a { allow 10.0.0.1; allow 127.0.0.1; deny all; }");
        assert_passes(&AllowWithoutDeny, "location /a { allow all; }");
        assert_passes(&AllowWithoutDeny, "location /a { allow 10.0.0.1; include /etc/nginx/acl.conf; }");
    }
}
