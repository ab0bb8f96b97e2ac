//! NX911: a `rewrite` with `?` in its replacement followed by a `set` or `if` that reads `$N`,
//! the shape of an nginx heap overflow (CVE-2026-42945).

use caulk_syntax::nginx::Directive;

use crate::nginx::model::condition;
use crate::nginx::{Model, NginxChecker, NginxRule};
use crate::rules::nginx::overlapping_captures::numeric_refs;

declare_rule! {
    /// ## What it does
    /// Reports a `rewrite` whose replacement contains `?` (other than a single trailing one,
    /// which nginx removes) and that lets processing go on (no
    /// `last`, `break`, `redirect` or `permanent` flag, no `http://`, `https://` or `$scheme`
    /// prefix) when a later `set` or `if` of the same block reads a numbered capture (`$1`…`$9`):
    /// `set $v …$1…`, `if ($x = …$1…)`, `if (-f …$1…)`. The search follows the block out of
    /// an enclosing `if` and stops at `return` or `break`.
    ///
    /// ## Why is this bad?
    /// The `?` switches nginx's script engine into argument-escaping mode and nginx before
    /// 1.30.1 / 1.31.0 leaves it on: the later `set`/`if` sizes its buffer for the raw capture
    /// but writes it escaped, overflowing the worker's heap on a crafted request
    /// (CVE-2026-42945, as described by Gixy-Next). The configuration does not tell the
    /// nginx version, so this is advice: on a patched nginx nothing needs to change.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     rewrite ^/(.*)$ /index.php?route=$1;
    ///     set $page $1;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location / {
    ///     rewrite ^/(?<route>.*)$ /index.php?route=$route;
    ///     set $page $route;
    /// }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `unnamed_groups`
    /// - [nginx rewrite module](https://nginx.org/en/docs/http/ngx_http_rewrite_module.html)
    /// - [nginx security advisories](https://nginx.org/en/security_advisories.html)
    pub(crate) struct UnnamedGroups {
        code: "NX911",
        name: "unnamed-groups",
        summary: "`rewrite` with `?` followed by `set`/`if` reading `$N` (nginx heap overflow on unpatched versions)",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: ["unnamed_groups"],
    }
}

/// Whether a matching `rewrite` ends the rewrite phase, so nothing after it runs.
fn ends_processing(d: &Directive) -> bool {
    let to = d.arg(1);
    matches!(d.arg(2).to_ascii_lowercase().as_str(), "last" | "break" | "redirect" | "permanent")
        || to.starts_with("http://")
        || to.starts_with("https://")
        || to.starts_with("$scheme")
}

/// Whether `d` itself evaluates a numbered capture in a `set` value or an `if` operand.
fn reads_capture(d: &Directive) -> bool {
    if d.is("set") {
        return !numeric_refs(d.arg(1)).is_empty();
    }
    if d.is("if") {
        let c = condition(d);
        let words: Vec<&str> = c.iter().map(|a| a.value.as_str()).collect();
        return match words.as_slice() {
            [_, "=" | "!=", value, ..] => !numeric_refs(value).is_empty(),
            ["-f" | "!-f" | "-d" | "!-d" | "-e" | "!-e" | "-x" | "!-x", path, ..] => !numeric_refs(path).is_empty(),
            _ => false,
        };
    }
    false
}

/// The first directive after node `start` (in its block, then after each enclosing `if`)
/// that reads a capture, unless a `return` or `break` comes first.
fn later_capture_read<'a>(model: &Model<'a>, start: usize) -> Option<&'a Directive> {
    let mut node = start;
    loop {
        let parent = model.node(node)?.parent;
        for j in model.child_nodes(parent).filter(|&j| j > node) {
            let d = model.node(j)?.d;
            if d.is("return") || (d.is("break") && d.block.is_none()) {
                return None;
            }
            if reads_capture(d) {
                return Some(d);
            }
            if d.is("if")
                && let Some(hit) = d.children().iter().find(|c| reads_capture(c))
            {
                return Some(hit);
            }
        }
        // the escaping flag outlives an `if` block: go on after it
        let p = parent?;
        if !model.node(p)?.d.is("if") {
            return None;
        }
        node = p;
    }
}

impl NginxRule for UnnamedGroups {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        for (i, n) in cx.named("rewrite") {
            let Some(to) = n.d.args.get(1) else { continue };
            // nginx removes a trailing `?` (drop the arguments) before compiling the replacement
            let compiled = to.value.strip_suffix('?').unwrap_or(&to.value);
            if !compiled.contains('?') || ends_processing(n.d) {
                continue;
            }
            let Some(reader) = later_capture_read(model, i) else { continue };
            let shown: Vec<&str> = reader.args.iter().map(|a| a.value.as_str()).collect();
            cx.report(
                n.d,
                to.range,
                format!(
                    "`{}` has `?` in its replacement and the later `{} {}` reads a numbered capture: nginx before 1.30.1/1.31.0 overflows a heap buffer here (CVE-2026-42945)",
                    to.value,
                    reader.name,
                    shown.join(" ")
                ),
            )
            .set_help("upgrade nginx; or name the group (`(?<route>…)`) and read `$route` instead of `$N` in the `set`/`if`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UnnamedGroups;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_when_a_later_set_or_if_reads_a_capture() {
        let text = "location / { rewrite ^(.*) /new?c=1; set $myvar $1; }";
        let d = assert_fires(&UnnamedGroups, text);
        assert_eq!(d[0].range.slice(text), "/new?c=1");
        assert!(d[0].message.contains("`set $myvar $1`"), "{}", d[0].message);
        assert_fires(&UnnamedGroups, "location / { rewrite ^/(.*)$ /a?b=$1; if ($x = $1) { return 403; } }");
        assert_fires(&UnnamedGroups, "location / { rewrite ^/(.*)$ /a?b; if (!-f /srv/$1) { set $v $1; } }");
        // the flag survives the end of the `if` block
        assert_fires(&UnnamedGroups, "location / { if ($a) { rewrite ^/(.*)$ /a?b; } set $v x$1; }");
    }

    #[test]
    fn passes_when_processing_stops_or_nothing_reads_captures() {
        assert_passes(&UnnamedGroups, "location / { rewrite ^(.*) /new?c=1 last; set $myvar $1; }");
        assert_passes(&UnnamedGroups, "location / { rewrite ^(.*) https://x/new?c=1; set $myvar $1; }");
        assert_passes(&UnnamedGroups, "location / { rewrite ^(.*) /new?c=1; return 200; set $myvar $1; }");
        assert_passes(&UnnamedGroups, "location / { rewrite ^(.*) /new?c=1; set $myvar $uri; }");
        assert_passes(&UnnamedGroups, "location / { set $myvar $1; rewrite ^(.*) /new?c=1; }");
        assert_passes(&UnnamedGroups, "location / { rewrite ^(.*) /new/$1; set $myvar $1; }");
        assert_passes(&UnnamedGroups, "location / { rewrite ^(.*) /new/$1?; set $myvar $1; }");
        // a different location is a different scope
        assert_passes(&UnnamedGroups, "server { location / { rewrite ^(.*) /n?c=1; } location /b { set $v $1; } }");
    }
}
