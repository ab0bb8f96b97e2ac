//! NX807: `try_files` with no `open_file_cache` in effect.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `try_files` in a main configuration (one with its `http` block) when no
    /// `open_file_cache` is set in the location, its server or `http`. An explicit
    /// `open_file_cache off` is taken as a deliberate choice (the cache can serve stale files
    /// right after a deploy or through a bind mount) and is not reported.
    ///
    /// ## Why is this bad?
    /// `try_files` looks up each candidate on disk in turn for every request: an SPA's
    /// `try_files $uri $uri/ /index.html` costs up to three `stat()`/`open()` calls per request
    /// before anything is served. Without `open_file_cache` nginx repeats these lookups for
    /// every request, which adds latency under load and more so on network or container overlay
    /// filesystems.
    ///
    /// ## Example
    /// ```nginx
    /// http {
    ///     server {
    ///         location / { try_files $uri $uri/ /index.html; }
    ///     }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// http {
    ///     open_file_cache max=10000 inactive=30s;
    ///     open_file_cache_valid 60s;
    ///     open_file_cache_errors on;
    ///     server {
    ///         location / { try_files $uri $uri/ /index.html; }
    ///     }
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `try_files_is_evil_too`
    /// - [nginx: try_files](https://nginx.org/en/docs/http/ngx_http_core_module.html#try_files)
    /// - [nginx: open_file_cache](https://nginx.org/en/docs/http/ngx_http_core_module.html#open_file_cache)
    pub(crate) struct TryFilesWithoutCache {
        code: "NX807",
        name: "try-files-without-cache",
        summary: "`try_files` without `open_file_cache`",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: ["try_files_is_evil_too"],
    }
}

impl NginxRule for TryFilesWithoutCache {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        // in a fragment the `http` block, where the cache is usually set, is out of sight
        if model.root != Ctx::Main {
            return;
        }
        for n in &model.nodes {
            if !n.d.is("try_files") || n.d.args.len() < 2 {
                continue;
            }
            // any `open_file_cache`, `off` included, is a decision already taken; an include we
            // could not read may set one
            if model.inherited(n.parent, "open_file_cache").is_some() || model.has_unknown_include(n.parent) {
                continue;
            }
            let candidates = n.d.args.len() - 1;
            cx.report(
                n.d,
                n.d.args_range(),
                format!(
                    "`try_files {}` looks up {candidates} {} on disk for every request and no `open_file_cache` is set",
                    n.d.args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" "),
                    if candidates == 1 { "path" } else { "paths" }
                ),
            )
            .set_help("cache file lookups in the `http` block: `open_file_cache max=10000 inactive=30s; open_file_cache_valid 60s; open_file_cache_errors on;`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TryFilesWithoutCache;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_cache() {
        let text = "http { server { location / { try_files $uri $uri/ /index.html; } } }";
        let d = assert_fires(&TryFilesWithoutCache, text);
        assert_eq!(d[0].range.slice(text), "$uri $uri/ /index.html");
        assert!(d[0].message.contains("2 paths"), "{}", d[0].message);
        assert_fires(&TryFilesWithoutCache, "events {} http { server { location / { try_files $uri =404; } } }");
    }

    #[test]
    fn passes_with_cache_or_unknown_include() {
        assert_passes(
            &TryFilesWithoutCache,
            "http { open_file_cache max=1000 inactive=20s; server { location / { try_files $uri /index.html; } } }",
        );
        assert_passes(
            &TryFilesWithoutCache,
            "http { server { open_file_cache max=10; location / { try_files $uri =404; } } }",
        );
        // turned off on purpose
        assert_passes(
            &TryFilesWithoutCache,
            "http { open_file_cache off; server { location / { try_files $uri =404; } } }",
        );
        // a fragment: the `http` block around it is not visible
        assert_passes(&TryFilesWithoutCache, "server { location / { try_files $uri /index.html; } }");
        assert_passes(
            &TryFilesWithoutCache,
            "http { include tuning.conf; server { location / { try_files $uri =404; } } }",
        );
        assert_passes(&TryFilesWithoutCache, "server { location / { root /srv; } }");
    }
}
