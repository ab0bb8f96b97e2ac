//! NX906: a regex `location` anchored at neither end.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a regex `location` (`~`, `~*`) whose pattern starts without `^` and ends
    /// without `$`. Locations that only refuse (`deny all`, `return 403`) are unanchored on
    /// purpose and are not reported.
    ///
    /// ## Why is this bad?
    /// The pattern matches anywhere in the URI: `location ~ /api` also catches
    /// `/private/api-keys.txt` and `/admin/x/api`, applying (or skipping) authentication and
    /// other restrictions on the wrong requests; regex locations take precedence over prefix
    /// locations.
    ///
    /// ## Example
    /// ```nginx
    /// location ~ (/app)?/api { proxy_pass http://app:8000; }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location ~ ^(/app)?/api { proxy_pass http://app:8000; }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `unanchored_regex`
    /// - [nginx http core: location](https://nginx.org/en/docs/http/ngx_http_core_module.html#location)
    pub(crate) struct UnanchoredRegex {
        code: "NX906",
        name: "unanchored-regex",
        summary: "regex location anchored at neither end",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["unanchored_regex"],
    }
}

impl NginxRule for UnanchoredRegex {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("location") {
            let [m, re] = n.d.args.as_slice() else { continue };
            if !matches!(m.value.as_str(), "~" | "~*") {
                continue;
            }
            // `location ~ /\.ht { deny all; }` is unanchored on purpose: refusing matches anywhere
            let refuses = n.d.children().iter().any(|d| {
                (d.is("deny") && d.arg(0) == "all") || (d.is("return") && matches!(d.arg(0), "403" | "404" | "444"))
            });
            if !refuses && !re.value.starts_with('^') && !re.value.ends_with('$') {
                cx.report(n.d, re.range, format!("regex `{}` matches anywhere in the URI", re.value))
                    .set_help("anchor it (`^/admin/`), or use a prefix location (`location ^~ /admin/`)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UnanchoredRegex;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        let text = "location ~ (/app)?/api { proxy_pass http://app; }";
        let d = assert_fires(&UnanchoredRegex, text);
        assert_eq!(d[0].range.slice(text), "(/app)?/api");
        assert_passes(&UnanchoredRegex, "location ~ \\.php$ { } location ~* ^/img/ { } location /admin { }");
        assert_passes(&UnanchoredRegex, "location ~ /\\.ht { deny all; }");
    }
}
