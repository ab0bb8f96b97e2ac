//! Which nginx variables carry request data an attacker controls.

use crate::nginx::Model;

/// Whether variable `name` (without `$`) comes straight from the request: headers, query
/// arguments, cookies, the raw URI, or a regex capture (`$1`…).
pub(crate) fn is_user_controlled(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("http_")
        || lower.starts_with("arg_")
        || lower.starts_with("cookie_")
        || matches!(
            lower.as_str(),
            "args" | "query_string" | "request_uri" | "uri" | "document_uri" | "request_body" | "request"
        )
        || (lower.len() == 1 && lower.bytes().all(|b| b.is_ascii_digit()))
}

/// Variables assigned with `set $name …` from user-controlled data anywhere in the configuration.
pub(crate) fn tainted_sets(model: &Model<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // two passes let one `set` feed another
    for _ in 0..2 {
        for n in &model.nodes {
            if !n.d.is("set") {
                continue;
            }
            let Some(target) = n.d.arg(0).strip_prefix('$') else { continue };
            if out.iter().any(|t| t == target) {
                continue;
            }
            // a value starting with `/` or `?` is a path or query suffix, never a host
            if n.d.args.get(1).is_some_and(|v| {
                !v.value.starts_with(['/', '?'])
                    && caulk_syntax::nginx::vars(&v.value).any(|x| is_user_controlled(x) || out.iter().any(|t| t == x))
            }) {
                out.push(target.to_owned());
            }
        }
    }
    out
}
