//! NX604: `location /x { alias /y/; }` lets `/x../` escape the aliased directory.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `alias` in a prefix `location` whose path does not end with `/` while the
    /// alias does (the "off-by-slash" pattern).
    ///
    /// ## Why is this bad?
    /// A request for `/static../secret` matches `location /static` and is mapped to
    /// `/srv/static/../secret`: files next to the aliased directory, often the application's
    /// source and configuration, can be read.
    ///
    /// ## Example
    /// ```nginx
    /// location /static {
    ///     alias /srv/app/static/;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /static/ {
    ///     alias /srv/app/static/;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy `alias_traversal`
    /// - [Orange Tsai: Breaking Parser Logic (Black Hat 2018)](https://i.blackhat.com/us-18/Wed-August-8/us-18-Orange-Tsai-Breaking-Parser-Logic-Take-Your-Path-Normalization-Off-And-Pop-0days-Out-2.pdf)
    pub(crate) struct AliasTraversal {
        code: "NX604",
        name: "alias-traversal",
        summary: "`alias` under a location without trailing slash allows path traversal",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["alias_traversal"],
    }
}

impl NginxRule for AliasTraversal {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for n in &model.nodes {
            if !n.d.is("alias") || !n.d.arg(0).ends_with('/') {
                continue;
            }
            let Some(loc) = n.parent.and_then(|p| model.node(p)).filter(|p| p.d.is("location")) else { continue };
            let (modifier, path) = match loc.d.args.as_slice() {
                [path] => ("", path),
                [m, path] => (m.value.as_str(), path),
                _ => continue,
            };
            if !matches!(modifier, "" | "^~") || path.value.ends_with('/') || path.value.starts_with('@') {
                continue;
            }
            cx.report(
                loc.d,
                path.range,
                format!(
                    "`location {}` has no trailing `/` but its `alias` does: `{}../` reaches outside `{}`",
                    path.value,
                    path.value,
                    n.d.arg(0)
                ),
            )
            .set_help(format!("end the location with a slash: `location {}/`", path.value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AliasTraversal;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_off_by_slash() {
        let text = "location /i { alias /data/w/images/; }";
        let d = assert_fires(&AliasTraversal, text);
        assert_eq!(d[0].range.slice(text), "/i");
        assert_fires(&AliasTraversal, "location ^~ /i { alias /data/w/images/; }");
    }

    #[test]
    fn passes_with_matching_slashes() {
        assert_passes(&AliasTraversal, "location /i/ { alias /data/w/images/; }");
        assert_passes(&AliasTraversal, "location /i { alias /data/w/images; }");
        assert_passes(&AliasTraversal, "location = /favicon.ico { alias /data/f/; }");
        assert_passes(&AliasTraversal, "location ~ ^/i/(.*)$ { alias /data/w/$1; }");
    }
}
