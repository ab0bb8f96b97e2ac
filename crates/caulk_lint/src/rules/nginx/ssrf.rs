//! NX601: `proxy_pass` whose destination host comes from the request (SSRF).

use crate::nginx::{NginxChecker, NginxRule};
use crate::rules::nginx::vars::{is_user_controlled, tainted_sets};

declare_rule! {
    /// ## What it does
    /// Reports `proxy_pass`, `fastcgi_pass`, `uwsgi_pass` and `grpc_pass` whose destination
    /// (scheme, host or port) is built from request data: headers (`$http_…`), query arguments
    /// (`$arg_…`, `$args`), cookies, the URI, regex captures (`$1`), or a variable `set` from
    /// any of them.
    ///
    /// ## Why is this bad?
    /// The client then chooses where nginx connects: internal services, cloud metadata
    /// endpoints (`169.254.169.254`), admin ports — server-side request forgery, often a
    /// straight path to credentials.
    ///
    /// ## Example
    /// ```nginx
    /// location ~ ^/proxy/(.*)$ {
    ///     proxy_pass http://$1;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location /proxy/ {
    ///     proxy_pass http://backend:8000/;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy `ssrf`
    /// - [OWASP: Server Side Request Forgery](https://owasp.org/www-community/attacks/Server_Side_Request_Forgery)
    pub(crate) struct Ssrf {
        code: "NX601",
        name: "ssrf",
        summary: "`proxy_pass` destination controlled by the request",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["ssrf"],
    }
}

impl NginxRule for Ssrf {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let tainted = tainted_sets(model);
        for n in &model.nodes {
            if !matches!(n.d.name.as_str(), "proxy_pass" | "fastcgi_pass" | "uwsgi_pass" | "grpc_pass" | "scgi_pass") {
                continue;
            }
            let Some(arg) = n.d.args.first() else { continue };
            let value = arg.value.as_str();
            let after_scheme = value.split_once("://").map_or(value, |(_, rest)| rest);
            let scheme_end = value.len() - after_scheme.len();
            let host_end = after_scheme.find('/').map_or(value.len(), |i| scheme_end + i);
            let destination = value.get(..host_end).unwrap_or(value);
            // `$request_uri`, `$uri`, `$document_uri` start with `/`: what follows them is path
            let Some(var) = caulk_syntax::nginx::vars(destination)
                .take_while(|v| !matches!(*v, "request_uri" | "uri" | "document_uri"))
                .find(|v| is_user_controlled(v) || tainted.iter().any(|t| t == v))
            else {
                continue;
            };
            cx.report(
                n.d,
                arg.range,
                format!("`{}` connects to a destination taken from the request (`${var}`)", n.d.name),
            )
            .set_help(
                "proxy to a fixed upstream; if the destination must vary, choose it from an allow-list with `map`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ssrf;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_request_controlled_destinations() {
        let text = "location ~ ^/p/(.*)$ { proxy_pass http://$1; }";
        let d = assert_fires(&Ssrf, text);
        assert_eq!(d[0].range.slice(text), "http://$1");
        assert_fires(&Ssrf, "location / { proxy_pass $arg_url; }");
        assert_fires(&Ssrf, "location / { set $t $http_x_backend; proxy_pass http://$t:8080/api; }");
    }

    #[test]
    fn passes_on_fixed_destinations() {
        assert_passes(&Ssrf, "location / { proxy_pass http://backend:8000$request_uri; }");
        assert_passes(&Ssrf, "location / { set $up backend; proxy_pass http://$up; }");
        assert_passes(&Ssrf, "location ~ ^/a/(.*)$ { proxy_pass http://app/$1; }");
        assert_passes(&Ssrf, "location / { set $suffix ?$query_string; proxy_pass http://octane$suffix; }");
    }
}
