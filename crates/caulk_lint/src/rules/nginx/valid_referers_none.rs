//! NX607: `valid_referers none` lets requests without a Referer through.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `none` in `valid_referers`.
    ///
    /// ## Why is this bad?
    /// `none` accepts requests that carry no `Referer` header, and an attacker's page can
    /// suppress the header (`Referrer-Policy: no-referrer`, `rel="noreferrer"`), so a referer
    /// check meant to stop CSRF or hot-linking is bypassed at will.
    ///
    /// ## Example
    /// ```nginx
    /// valid_referers none server_names *.example.com;
    /// ```
    /// Use instead:
    /// ```nginx
    /// valid_referers server_names *.example.com;
    /// ```
    ///
    /// ## References
    /// - gixy `valid_referers`
    /// - [nginx referer module](https://nginx.org/en/docs/http/ngx_http_referer_module.html)
    pub(crate) struct ValidReferersNone {
        code: "NX607",
        name: "valid-referers-none",
        summary: "`valid_referers none` accepts requests without a Referer",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["valid_referers"],
    }
}

impl NginxRule for ValidReferersNone {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("valid_referers") {
            if let Some(a) = n.d.args.iter().find(|a| a.value == "none") {
                cx.report(n.d, a.range, "`none` accepts any request that simply omits the `Referer` header")
                    .set_help("remove `none` from `valid_referers`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ValidReferersNone;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_none() {
        let text = "location / { valid_referers none *.example.com; }";
        let d = assert_fires(&ValidReferersNone, text);
        assert_eq!(d[0].range.slice(text), "none");
    }

    #[test]
    fn passes_without_none() {
        assert_passes(&ValidReferersNone, "location / { valid_referers server_names *.example.com; }");
    }
}
