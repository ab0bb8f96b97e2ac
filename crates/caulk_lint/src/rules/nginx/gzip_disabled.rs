//! NX301: a complete configuration never turns on gzip, or compresses only `text/html`.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// In a complete configuration (one with an `http` block), reports an `http` block whose
    /// servers do not compress responses: `gzip` is never `on` (nginx's default is `off`). When
    /// `gzip on` is set but `gzip_types` is not, reports that only `text/html` is compressed
    /// (nginx's default list), leaving CSS, JavaScript, JSON and SVG uncompressed. Files
    /// meant to be included into another `http` block are not judged.
    ///
    /// ## Why is this bad?
    /// Text responses are 3–10× larger uncompressed: slower pages, more bandwidth, more time
    /// holding connections. (On TLS endpoints that reflect user input next to secrets in the
    /// same response, consider BREACH and disable compression for those locations only.)
    ///
    /// ## Example
    /// ```nginx
    /// http {
    ///     server { listen 80; root /srv/www; }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// http {
    ///     gzip on;
    ///     gzip_types text/plain text/css application/json application/javascript image/svg+xml;
    ///     server { listen 80; root /srv/www; }
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx gzip module](https://nginx.org/en/docs/http/ngx_http_gzip_module.html)
    /// - [BREACH](https://www.breachattack.com/)
    pub(crate) struct GzipDisabled {
        code: "NX301",
        name: "gzip-disabled",
        summary: "text responses are not compressed",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for GzipDisabled {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if !(n.d.is("http") && n.inner == Ctx::Http)
                || model.has_unknown_include(Some(i))
                || model.has_unknown_include_inside(i)
            {
                continue;
            }
            let inside = || model.descendants(i).filter_map(|j| model.node(j));
            let gzip_on = inside().filter(|m| m.d.is("gzip") && m.d.arg(0) == "on").map(|m| m.d).next();
            let static_gz = inside()
                .any(|m| (m.d.is("gzip_static") || m.d.is("brotli") || m.d.is("brotli_static")) && m.d.arg(0) == "on");
            match gzip_on {
                None if !static_gz => {
                    cx.report(n.d, n.d.name_range, "gzip is never turned on: text responses are sent uncompressed")
                        .set_help("add `gzip on;` and `gzip_types text/plain text/css application/json application/javascript image/svg+xml;` to the `http` block");
                }
                Some(on) if !inside().any(|m| m.d.is("gzip_types")) => {
                    cx.report(on, on.range, "`gzip on` without `gzip_types` compresses only `text/html`").set_help(
                        "add `gzip_types text/plain text/css application/json application/javascript image/svg+xml;`",
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GzipDisabled;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_when_off_or_html_only() {
        let text = "events {}\nhttp {\n gzip off;\n server { listen 80; }\n}";
        let d = assert_fires(&GzipDisabled, text);
        assert_eq!(d[0].range.slice(text), "http");
        let text = "http { gzip on; server { listen 80; } }";
        let d = assert_fires(&GzipDisabled, text);
        assert_eq!(d[0].range.slice(text), "gzip on;");
    }

    #[test]
    fn passes_when_on_with_types_or_fragment() {
        assert_passes(&GzipDisabled, "http { gzip on; gzip_types text/css application/json; server { listen 80; } }");
        assert_passes(&GzipDisabled, "http { server { gzip on; gzip_types text/css; } }");
        assert_passes(&GzipDisabled, "server { listen 80; }");
        assert_passes(&GzipDisabled, "http { include /srv/gzip.conf; server { listen 80; } }");
    }
}
