//! NX202: a `limit_req_zone`/`limit_conn_zone` that nothing uses.

use caulk_syntax::nginx::Directive;

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `limit_req_zone` or `limit_conn_zone` whose zone no `limit_req zone=…` or
    /// `limit_conn …` refers to. Configurations with an `include` caulk could not read are
    /// not judged, since the zone may be used there.
    ///
    /// ## Why is this bad?
    /// Defining a zone limits nothing: the author believes requests are throttled while every
    /// request goes through. Often a typo in the zone name or a forgotten `limit_req` line.
    ///
    /// ## Example
    /// ```nginx
    /// limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;
    /// server { location / { proxy_pass http://app; } }
    /// ```
    /// Use instead:
    /// ```nginx
    /// limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;
    /// server { location / { limit_req zone=api burst=20; proxy_pass http://app; } }
    /// ```
    ///
    /// ## References
    /// - [nginx: limit_req_zone](https://nginx.org/en/docs/http/ngx_http_limit_req_module.html#limit_req_zone)
    pub(crate) struct UnusedLimitZone {
        code: "NX202",
        name: "unused-limit-zone",
        summary: "rate or connection limit zone defined but never applied",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

/// The `zone=name:size` argument of a zone definition: its name and the directive argument.
fn zone_name(d: &Directive) -> Option<(&str, usize)> {
    d.args.iter().enumerate().find_map(|(i, a)| {
        let rest = a.value.strip_prefix("zone=")?;
        Some((rest.split(':').next().unwrap_or(rest), i))
    })
}

impl NginxRule for UnusedLimitZone {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        if model.nodes.iter().any(|n| n.d.is("include")) {
            return;
        }
        for (_, n) in cx.nodes() {
            let (user, kind) = match n.d.name.as_str() {
                "limit_req_zone" => ("limit_req", "request"),
                "limit_conn_zone" => ("limit_conn", "connection"),
                _ => continue,
            };
            let Some((name, at)) = zone_name(n.d) else { continue };
            let used = model.nodes.iter().any(|m| {
                m.d.is(user) && m.d.args.iter().any(|a| a.value == name || a.value.strip_prefix("zone=") == Some(name))
            });
            if used {
                continue;
            }
            let range = n.d.args.get(at).map_or(n.d.name_range, |a| a.range);
            cx.report(n.d, range, format!("{kind} limit zone `{name}` is defined but no `{user}` uses it")).set_help(
                format!(
                    "apply it where requests arrive, e.g. `{user} {}` in the server or location",
                    if user == "limit_req" { format!("zone={name} burst=20;") } else { format!("{name} 10;") }
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UnusedLimitZone;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_unused_zones() {
        let text =
            "http { limit_req_zone $binary_remote_addr zone=api:10m rate=1r/s; server { limit_req zone=apii; } }";
        let d = assert_fires(&UnusedLimitZone, text);
        assert_eq!(d[0].range.slice(text), "zone=api:10m");
        assert_fires(&UnusedLimitZone, "limit_conn_zone $binary_remote_addr zone=addr:10m;");
    }

    #[test]
    fn passes_when_used_or_unknown() {
        assert_passes(
            &UnusedLimitZone,
            "limit_req_zone $a zone=api:10m rate=1r/s; limit_conn_zone $a zone=addr:10m; server { limit_req zone=api; limit_conn addr 5; }",
        );
        assert_passes(&UnusedLimitZone, "limit_req_zone $a zone=api:10m rate=1r/s; include sites/*.conf;");
    }
}
