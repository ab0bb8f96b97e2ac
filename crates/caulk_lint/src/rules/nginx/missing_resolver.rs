//! NX612: a backend nginx must resolve at request time, with no `resolver` to do it.

use crate::nginx::{Ctx, Model, NginxChecker, NginxRule};
use crate::rules::nginx::stale_dns_cache::{PASSES, host_port, is_ip, upstream_names};

declare_rule! {
    /// ## What it does
    /// Reports a `proxy_pass` (or `fastcgi_pass`, `uwsgi_pass`, `scgi_pass`, `grpc_pass`)
    /// whose target contains variables when no `resolver` is in scope for it, unless every
    /// value the host can take is an IP address, a unix socket or the name of an `upstream`
    /// (caulk follows `set`, `map`, `geo` and `split_clients` values that are plain text).
    /// Also reports an upstream `server … resolve` with no `resolver` in the upstream or
    /// around it. Not judged: a file holding only `location` blocks (a snippet whose server
    /// may set the resolver), targets with an upper-case variable nothing defines (an
    /// envsubst placeholder of a template) or a variable computed by code (`js_set`,
    /// `perl_set`, `set_by_lua*`, `auth_request_set`), and blocks with an `include` caulk
    /// could not read.
    ///
    /// ## Why is this bad?
    /// A target built from variables is resolved per request with nginx's own DNS client,
    /// which needs a `resolver` directive; nginx does not read `/etc/resolv.conf` or
    /// `/etc/hosts` for it (not even for `localhost`). Without one the configuration loads
    /// fine and every such request fails with 502 ("no resolver defined to resolve …").
    ///
    /// ## Example
    /// ```nginx
    /// location /api/ {
    ///     set $api api.internal;
    ///     proxy_pass http://$api:8000;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// resolver 127.0.0.11 valid=30s;
    /// location /api/ {
    ///     set $api api.internal;
    ///     proxy_pass http://$api:8000;
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `missing_resolver`, Gixy-Next `stale_dns_cache`
    /// - [nginx http core: resolver](https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver)
    /// - [nginx proxy module: proxy_pass](https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass)
    pub(crate) struct MissingResolver {
        code: "NX612",
        name: "missing-resolver",
        summary: "backend resolved at request time without a `resolver`",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["missing_resolver"],
    }
}

/// The most host spellings caulk tries for one target.
const MAX_EXPANSIONS: usize = 64;
/// Stands for a value caulk cannot know.
const UNKNOWN: char = '\u{1}';

/// The values variable `name` can be given by `set`, `map`, `geo` or `split_clients`, with
/// the variables inside them replaced by [`UNKNOWN`]; `None` when nothing defines it or a
/// block's entries cannot all be seen.
fn known_values(model: &Model<'_>, name: &str) -> Option<Vec<String>> {
    let blur = |v: &str| -> String {
        let mut out = String::new();
        let mut rest = v;
        while let Some(k) = rest.find('$') {
            out.push_str(rest.get(..k).unwrap_or(""));
            let after = rest.get(k..).unwrap_or("");
            let name_len = var_len(after);
            if name_len == 0 {
                out.push('$');
                rest = after.get(1..).unwrap_or("");
            } else {
                out.push(UNKNOWN);
                rest = after.get(name_len..).unwrap_or("");
            }
        }
        out.push_str(rest);
        out
    };
    let mut out: Vec<String> = Vec::new();
    let mut defined = false;
    for (i, n) in model.nodes.iter().enumerate() {
        let is_target = |a: &str| a.strip_prefix('$').is_some_and(|v| v.eq_ignore_ascii_case(name));
        if n.d.is("set") && is_target(n.d.arg(0)) {
            defined = true;
            out.push(blur(n.d.arg(1)));
        } else if n.inner == Ctx::Data
            && n.d.block.is_some()
            && matches!(n.d.name.as_str(), "map" | "geo" | "split_clients")
            && n.d.args.last().is_some_and(|a| is_target(&a.value))
        {
            defined = true;
            for j in model.child_nodes(Some(i)) {
                let Some(e) = model.node(j) else { continue };
                if matches!(e.d.name.as_str(), "include" | "proxy" | "delete") {
                    return None;
                }
                if let Some(v) = e.d.args.last() {
                    out.push(blur(&v.value));
                }
            }
        }
    }
    (defined && !out.is_empty()).then_some(out)
}

/// The length of the variable reference (`$name`, `${name}`) at the start of `s`; 0 if none.
fn var_len(s: &str) -> usize {
    let braced = s.starts_with("${");
    let start = if braced { 2 } else { 1 };
    let name_len = s.get(start..).unwrap_or("").bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    if name_len == 0 || !s.starts_with('$') { 0 } else { start + name_len + usize::from(braced) }
}

/// Whether variable `name` is computed by code caulk does not run (njs, Perl, Lua, or a
/// header of an `auth_request` response).
fn defined_by_code(model: &Model<'_>, name: &str) -> bool {
    model.nodes.iter().any(|n| {
        (matches!(n.d.name.as_str(), "js_set" | "perl_set" | "auth_request_set") || n.d.name.starts_with("set_by_lua"))
            && n.d.arg(0).strip_prefix('$').is_some_and(|v| v.eq_ignore_ascii_case(name))
    })
}

/// Whether `$NAME` is an envsubst placeholder of a template (as the official Docker image
/// fills in from `/etc/nginx/templates`): upper case, and nginx does not define it.
fn is_template_placeholder(model: &Model<'_>, name: &str) -> bool {
    name.bytes().any(|b| b.is_ascii_uppercase())
        && !name.bytes().any(|b| b.is_ascii_lowercase())
        && known_values(model, name).is_none()
}

/// The target with its variables replaced by each combination of their known values (path
/// variables by `/`, unknown ones by [`UNKNOWN`]).
fn expansions(model: &Model<'_>, target: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = target;
    while let Some(k) = rest.find('$') {
        let (lit, after) = rest.split_at(k);
        for o in &mut out {
            o.push_str(lit);
        }
        let len = var_len(after);
        if len == 0 {
            for o in &mut out {
                o.push('$');
            }
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        let name =
            after.get(..len).unwrap_or("").trim_start_matches("${").trim_start_matches('$').trim_end_matches('}');
        rest = after.get(len..).unwrap_or("");
        let lower = name.to_ascii_lowercase();
        let values = match lower.as_str() {
            "uri" | "document_uri" | "request_uri" => vec!["/".to_owned()],
            "is_args" => vec!["?".to_owned()],
            _ => known_values(model, name).unwrap_or_else(|| vec![UNKNOWN.to_string()]),
        };
        if out.len() * values.len() > MAX_EXPANSIONS {
            return vec![UNKNOWN.to_string()];
        }
        out = out.iter().flat_map(|o| values.iter().map(move |v| format!("{o}{v}"))).collect();
    }
    for o in &mut out {
        o.push_str(rest);
    }
    out
}

/// The default port of a target's scheme, as nginx fills it in.
fn default_port(target: &str) -> Option<&'static str> {
    let scheme = target.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "grpc") => Some("80"),
        Some("https" | "grpcs") => Some("443"),
        _ => None,
    }
}

/// The upstreams a target may name without DNS: `upstream` blocks (no port) and the
/// implicit upstreams of static targets (`host`, `port`).
struct Known {
    blocks: Vec<String>,
    implicit: Vec<(String, Option<String>)>,
}

impl Known {
    fn new(model: &Model<'_>) -> Self {
        let implicit = model
            .nodes
            .iter()
            .filter(|n| PASSES.contains(&n.d.name.as_str()) && !n.d.arg(0).contains('$'))
            .filter_map(|n| {
                let t = n.d.arg(0);
                let (h, p) = host_port(t)?;
                Some((h.to_ascii_lowercase(), p.or_else(|| default_port(t)).map(str::to_owned)))
            })
            .collect();
        Self { blocks: upstream_names(model), implicit }
    }

    /// The host a target needs DNS for, if any (`UNKNOWN` in it: a value caulk cannot know).
    fn needs_dns(&self, target: &str) -> Option<String> {
        let (host, port) = host_port(target)?;
        if is_ip(host) {
            return None;
        }
        let lower = host.to_ascii_lowercase();
        if port.is_none() && self.blocks.contains(&lower) {
            return None;
        }
        let port = port.or_else(|| default_port(target));
        if !lower.contains(UNKNOWN) && self.implicit.iter().any(|(h, p)| *h == lower && p.as_deref() == port) {
            return None;
        }
        Some(host.to_owned())
    }
}

impl NginxRule for MissingResolver {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let known = Known::new(model);
        for n in &model.nodes {
            let upstream_server = n.d.is("server") && n.ctx == Ctx::Upstream;
            if !(upstream_server || PASSES.contains(&n.d.name.as_str())) {
                continue;
            }
            let Some(arg) = n.d.args.first() else { continue };
            // an upstream may set its own resolver (nginx 1.27.3+); includes may hide one
            let scope = n.parent;
            if model.inherited(scope, "resolver").is_some() || model.has_unknown_include(scope) {
                continue;
            }
            if upstream_server {
                if !n.d.args.iter().any(|a| a.value == "resolve") {
                    continue;
                }
                let block = scope.and_then(|p| model.node(p)).map_or("", |p| p.d.arg(0));
                cx.report(
                    n.d,
                    arg.range,
                    format!(
                        "upstream `{block}` server `{}` asks to be re-resolved (`resolve`) but no `resolver` is set for it",
                        arg.value
                    ),
                )
                .set_help("add a `resolver` to the upstream or the http block (Docker: `resolver 127.0.0.11 valid=30s;`)");
                continue;
            }
            // a snippet of bare locations is included into a server caulk cannot see
            if !arg.value.contains('$')
                || model.root == Ctx::Server
                || caulk_syntax::nginx::vars(&arg.value)
                    .any(|v| is_template_placeholder(model, v) || defined_by_code(model, v))
            {
                continue;
            }
            let Some(host) = expansions(model, &arg.value).iter().find_map(|t| known.needs_dns(t)) else { continue };
            let what = if host.contains(UNKNOWN) { "its host".to_owned() } else { format!("`{host}`") };
            cx.report(
                n.d,
                arg.range,
                format!(
                    "`{} {}` resolves {what} at request time but no `resolver` is set for it: such requests fail with 502",
                    n.d.name, arg.value
                ),
            )
            .set_help("add a `resolver` in the http or server block (Docker: `resolver 127.0.0.11 valid=30s;`), or point at an `upstream` block");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MissingResolver;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_without_a_resolver() {
        let text = "server { location / { set $api api.internal; proxy_pass http://$api:8000; } }";
        let d = assert_fires(&MissingResolver, text);
        assert_eq!(d[0].range.slice(text), "http://$api:8000");
        assert!(d[0].message.contains("`api.internal`"), "{}", d[0].message);
        // a static host still goes through the resolver once the target has variables
        assert_fires(&MissingResolver, "server { location / { proxy_pass http://localhost:8080$request_uri; } }");
        let d = assert_fires(&MissingResolver, "server { location / { proxy_pass http://$http_x_backend; } }");
        assert!(d[0].message.contains("its host"), "{}", d[0].message);
        assert_fires(&MissingResolver, "http { upstream b { zone b 64k; server app.internal resolve; } }");
        // an upstream with a port in the target is not the port-less upstream block
        assert_fires(
            &MissingResolver,
            "upstream b { server 10.0.0.1; } server { location / { proxy_pass http://b:8080$uri; } }",
        );
    }

    #[test]
    fn passes_with_a_resolver_or_without_dns() {
        assert_passes(
            &MissingResolver,
            "http { resolver 127.0.0.11; server { location / { set $api api.internal; proxy_pass http://$api:8000; } } }",
        );
        assert_passes(
            &MissingResolver,
            "upstream blue { server 10.0.0.1; } upstream green { server 10.0.0.2; }
             map $cookie_canary $pool { default blue; 1 green; }
             server { location / { proxy_pass http://$pool; } location /a { proxy_pass http://127.0.0.1:8080$request_uri; } }",
        );
        // an implicit upstream from a static `proxy_pass` to the same host and port
        assert_passes(
            &MissingResolver,
            "server { location / { proxy_pass http://app:8000; } location /x { proxy_pass http://app:8000/y$is_args$args; } }",
        );
        assert_passes(&MissingResolver, "server { location / { proxy_pass http://unix:/run/app.sock:$request_uri; } }");
        assert_passes(&MissingResolver, "server { location / { proxy_pass https://api.example.com; } }");
        // the variable only adds arguments to an upstream's name
        assert_passes(
            &MissingResolver,
            "upstream octane { server 127.0.0.1:8000; } server { location @octane { set $suffix \"\"; if ($query_string) { set $suffix ?$query_string; } proxy_pass http://octane$suffix; } }",
        );
        // an envsubst template placeholder; a snippet of locations included into a server
        assert_passes(&MissingResolver, "server { location / { proxy_pass http://$FLASK_SERVER_ADDR; } }");
        assert_passes(
            &MissingResolver,
            "js_set $pick pick.backend; server { location / { proxy_pass http://$pick; } }",
        );
        assert_passes(&MissingResolver, "location / { set $api api.internal; proxy_pass http://$api:8000; }");
        assert_passes(&MissingResolver, "upstream b { zone b 64k; resolver 10.0.0.2; server app.internal resolve; }");
    }
}
