//! NX101: nginx discloses its version (`server_tokens` not `off`).

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `server_tokens on` or `server_tokens build`, and a complete configuration
    /// (one with an `http` block) that never sets `server_tokens off`, so the default `on`
    /// applies. A file of `server` blocks meant to be included into someone else's `http`
    /// block is only checked for explicit values.
    ///
    /// ## Why is this bad?
    /// nginx then sends its exact version in the `Server` header and on every error page,
    /// telling attackers which published vulnerabilities to try.
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
    ///     server_tokens off;
    ///     server { listen 80; root /srv/www; }
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `version_disclosure`
    /// - [nginx http core: server_tokens](https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens)
    pub(crate) struct ServerTokens {
        code: "NX101",
        name: "server-tokens",
        summary: "nginx version disclosed: `server_tokens` is not `off`",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["version_disclosure"],
    }
}

impl NginxRule for ServerTokens {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (_, n) in cx.named("server_tokens") {
            let value = n.d.arg(0);
            if value != "off" && !value.starts_with('$') {
                let range = n.d.args.first().map_or(n.d.range, |a| a.range);
                cx.report(
                    n.d,
                    range,
                    format!("`server_tokens {value}` discloses the nginx version in headers and error pages"),
                )
                .set_help("set `server_tokens off;` in the `http` block");
            }
        }
        for (i, n) in model.nodes.iter().enumerate() {
            if !(n.d.is("http") && n.inner == Ctx::Http) || model.has_unknown_include(Some(i)) {
                continue;
            }
            if model.child(Some(i), "server_tokens").is_some() {
                continue;
            }
            // every server sets it itself: fine
            let servers: Vec<usize> = model
                .child_nodes(Some(i))
                .filter(|&s| model.nodes.get(s).is_some_and(|s| s.inner == Ctx::Server))
                .collect();
            if !servers.is_empty() && servers.iter().all(|&s| model.child(Some(s), "server_tokens").is_some()) {
                continue;
            }
            cx.report(
                n.d,
                n.d.name_range,
                "`server_tokens` is not set, so nginx sends its version in the `Server` header and error pages",
            )
            .set_help("add `server_tokens off;` to the `http` block");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ServerTokens;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_explicit_on_and_on_default() {
        let text = "http { server { server_tokens build; } }";
        let d = assert_fires(&ServerTokens, text);
        assert_eq!(d[0].range.slice(text), "build");
        let text = "events {}\nhttp {\n  server { listen 80; }\n}\n";
        let d = assert_fires(&ServerTokens, text);
        assert_eq!(d[0].range.slice(text), "http");
    }

    #[test]
    fn passes_when_off_or_unknown() {
        assert_passes(&ServerTokens, "http { server_tokens off; server { listen 80; } }");
        assert_passes(&ServerTokens, "http { server { server_tokens off; } }");
        // a server fragment: the http block lives elsewhere
        assert_passes(&ServerTokens, "server { listen 80; }");
        // an include caulk could not read may set it
        assert_passes(&ServerTokens, "http { include /srv/missing/*.conf; server { listen 80; } }");
    }
}
