//! NX403: health probes are written to the access log.

use crate::nginx::{NginxChecker, NginxRule};
use crate::rules::nginx::health::is_health_location;

declare_rule! {
    /// ## What it does
    /// Reports a health-check location (`/health`, `/healthz`, `/ping`, `/ready`, `/live`…)
    /// that does not set `access_log off`.
    ///
    /// ## Why is this bad?
    /// Probes arrive every few seconds from every load balancer and orchestrator: they drown
    /// real requests in the access log, cost disk and log-shipping money, and make incidents
    /// harder to read.
    ///
    /// ## Example
    /// ```nginx
    /// location = /health { return 200 "ok"; }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location = /health {
    ///     access_log off;
    ///     return 200 "ok";
    /// }
    /// ```
    ///
    /// ## References
    /// - [nginx log module: access_log](https://nginx.org/en/docs/http/ngx_http_log_module.html#access_log)
    pub(crate) struct HealthEndpointLogged {
        code: "NX403",
        name: "health-endpoint-logged",
        summary: "health-check location writes every probe to the access log",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

impl NginxRule for HealthEndpointLogged {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in model.nodes.iter().enumerate() {
            if !n.d.is("location") || n.d.block.is_none() || !is_health_location(n.d) {
                continue;
            }
            if model.levels(Some(i)).any(|l| model.children(l).iter().any(|d| d.is("access_log") && d.arg(0) == "off"))
            {
                continue;
            }
            if model.children(Some(i)).iter().any(|d| d.is("include")) {
                continue;
            }
            let range = n.d.args.last().map_or(n.d.name_range, |a| a.range);
            cx.report(
                n.d,
                range,
                format!(
                    "health-check location `{}` logs every probe",
                    n.d.args.last().map_or("", |a| a.value.as_str())
                ),
            )
            .set_help("add `access_log off;` to the location");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HealthEndpointLogged;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_when_logged() {
        let text = "server { location = /health { return 200; } }";
        let d = assert_fires(&HealthEndpointLogged, text);
        assert_eq!(d[0].range.slice(text), "/health");
    }

    #[test]
    fn passes_when_log_off() {
        assert_passes(&HealthEndpointLogged, "server { location = /health { access_log off; return 200; } }");
        assert_passes(&HealthEndpointLogged, "server { location / { return 200; } }");
    }
}
