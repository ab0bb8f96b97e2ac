//! NX801: `autoindex on` lists directory contents.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `autoindex on`.
    ///
    /// ## Why is this bad?
    /// Directory listings reveal every file under the root — backups, `.git` leftovers,
    /// uploads, configuration — so anything that was only "hidden" by not being linked is
    /// found at once.
    ///
    /// ## Example
    /// ```nginx
    /// location /files/ {
    ///     autoindex on;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /files/ {
    ///     autoindex off;
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx autoindex module](https://nginx.org/en/docs/http/ngx_http_autoindex_module.html)
    /// - [CWE-548: Exposure of information through directory listing](https://cwe.mitre.org/data/definitions/548.html)
    pub(crate) struct Autoindex {
        code: "NX801",
        name: "autoindex-on",
        summary: "directory listing enabled",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for Autoindex {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("autoindex") {
            if let Some(a) = n.d.args.first().filter(|a| a.value == "on") {
                cx.report(n.d, a.range, "`autoindex on` lists every file under this location")
                    .set_help("remove it (the default is `off`), or protect the location with authentication");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Autoindex;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        let text = "location / { autoindex on; }";
        let d = assert_fires(&Autoindex, text);
        assert_eq!(d[0].range.slice(text), "on");
        assert_passes(&Autoindex, "location / { autoindex off; }");
    }
}
