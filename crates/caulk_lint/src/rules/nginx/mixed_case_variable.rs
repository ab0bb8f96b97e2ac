//! NX909: one nginx variable written with different capitalisations.

use std::collections::BTreeMap;

use caulk_core::TextRange;
use caulk_syntax::nginx::{Arg, Directive};

use crate::nginx::model::condition;
use crate::nginx::{Ctx, NginxChecker, NginxRule};
use crate::rules::nginx::overlapping_captures::capture_groups;

declare_rule! {
    /// ## What it does
    /// Reports a variable written with a different capitalisation than elsewhere in the
    /// configuration — `set $Backend …` and later `$backend`, `$HTTP_HOST` next to
    /// `$http_host`. The spelling where the variable is defined (`set`, `map`, `geo`,
    /// `split_clients`, a named regex capture) is taken as the right one; for built-in
    /// variables, the lower-case spelling of nginx's documentation.
    ///
    /// ## Why is this bad?
    /// nginx ignores case in variable names: `$Backend` and `$backend` are one variable.
    /// Two spellings make readers (and reviewers) believe there are two, and a configuration
    /// that meant two — `set $Target …` in one place, `set $target …` in another — silently
    /// overwrites one with the other.
    ///
    /// ## Example
    /// ```nginx
    /// set $Backend app:8000;
    /// proxy_pass http://$backend;
    /// ```
    /// Use instead:
    /// ```nginx
    /// set $backend app:8000;
    /// proxy_pass http://$backend;
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `mixed_case_variable`
    /// - [nginx: variables](https://nginx.org/en/docs/varindex.html)
    pub(crate) struct MixedCaseVariable {
        code: "NX909",
        name: "mixed-case-variable",
        summary: "one variable spelled with different capitalisations",
        severity: Info,
        target: Nginx,
        fix: None,
        aliases: ["mixed_case_variable"],
    }
}

/// One mention of a variable.
struct Mention<'a> {
    spelling: String,
    definition: bool,
    range: TextRange,
    at: &'a Directive,
}

/// The variables `arg` mentions, each with the range of its `$name` (the whole word when
/// quotes or escapes make offsets uncertain).
fn mentions(arg: &Arg) -> Vec<(String, TextRange)> {
    let value = arg.value.as_str();
    let raw_len = (arg.range.end - arg.range.start) as usize;
    let shift = match arg.quote {
        None if raw_len == value.len() => Some(0),
        Some(_) if raw_len == value.len() + 2 => Some(1),
        _ => None,
    };
    let base = value.as_ptr() as usize;
    caulk_syntax::nginx::vars(value)
        .filter(|v| !v.bytes().all(|b| b.is_ascii_digit()))
        .map(|v| {
            let start = v.as_ptr() as usize - base;
            let braced = start >= 2 && value.as_bytes().get(start - 1) == Some(&b'{');
            let (from, to) = if braced { (start - 2, start + v.len() + 1) } else { (start - 1, start + v.len()) };
            let range = match (shift, u32::try_from(from), u32::try_from(to)) {
                (Some(s), Ok(f), Ok(t)) => TextRange::new(arg.range.start + s + f, arg.range.start + s + t),
                _ => arg.range,
            };
            (v.to_owned(), range)
        })
        .collect()
}

/// Records a mention of variable `name`.
fn push<'a>(
    seen: &mut BTreeMap<String, Vec<Mention<'a>>>,
    name: &str,
    definition: bool,
    range: TextRange,
    at: &'a Directive,
) {
    seen.entry(name.to_ascii_lowercase()).or_default().push(Mention {
        spelling: name.to_owned(),
        definition,
        range,
        at,
    });
}

/// The named captures a regex argument defines.
fn capture_names(re: &str) -> Vec<String> {
    capture_groups(re).into_iter().filter_map(|g| g.name).collect()
}

impl NginxRule for MixedCaseVariable {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let mut seen: BTreeMap<String, Vec<Mention<'_>>> = BTreeMap::new();
        let mut add = |name: &str, definition: bool, range: TextRange, at| push(&mut seen, name, definition, range, at);
        for n in &model.nodes {
            let d = n.d;
            // regexes (`location ~`, `rewrite`, `server_name ~`, map keys…) define named
            // captures and have no variables
            if n.ctx == Ctx::Data && d.name.starts_with('~') {
                for c in capture_names(d.name.trim_start_matches('~').trim_start_matches('*')) {
                    add(&c, true, d.name_range, d);
                }
            }
            let args: Vec<Arg> = if d.is("if") { condition(d) } else { d.args.clone() };
            let regex_at = |k: usize, a: &Arg| -> bool {
                a.value.starts_with('~')
                    || (d.is("location") && args.first().is_some_and(|m| m.value.starts_with('~')))
                    || (d.is("rewrite") && k == 0)
                    || (d.is("if") && k == 2 && args.get(1).is_some_and(|op| op.value.contains('~')))
            };
            let defines_last = matches!(d.name.as_str(), "map" | "geo" | "split_clients") && d.block.is_some();
            let defines_first = matches!(d.name.as_str(), "set" | "js_set" | "perl_set");
            for (k, a) in args.iter().enumerate() {
                if d.is("location") && !regex_at(k, a) {
                    continue;
                }
                if regex_at(k, a) {
                    let re = a.value.trim_start_matches('~').trim_start_matches('*');
                    for c in capture_names(re) {
                        add(&c, true, a.range, d);
                    }
                    continue;
                }
                let definition = (defines_first && k == 0) || (defines_last && k + 1 == args.len());
                for (name, range) in mentions(a) {
                    add(&name, definition, range, d);
                }
            }
        }
        for list in seen.values() {
            let mut spellings: Vec<&str> = Vec::new();
            for m in list {
                if !spellings.contains(&m.spelling.as_str()) {
                    spellings.push(&m.spelling);
                }
            }
            if spellings.len() < 2 {
                continue;
            }
            let defined = list.iter().find(|m| m.definition);
            // the defining spelling; for built-in variables the lower-case one nginx documents,
            // else the most common (the first seen on a tie)
            let lower = spellings.iter().copied().find(|s| !s.bytes().any(|b| b.is_ascii_uppercase()));
            let count = |s: &str| list.iter().filter(|m| m.spelling == s).count();
            let canonical = defined
                .map(|m| m.spelling.as_str())
                .or(lower)
                .or_else(|| spellings.iter().copied().rev().max_by_key(|s| count(s)))
                .unwrap_or_default();
            let origin = defined.map_or(String::new(), |m| format!(" (defined by `{}`)", m.at.name));
            for s in spellings.iter().filter(|s| **s != canonical) {
                let Some(first) = list.iter().find(|m| m.spelling == *s) else { continue };
                cx.report(
                    first.at,
                    first.range,
                    format!(
                        "`${s}` is the variable `${canonical}`{origin} spelled differently: nginx ignores case in variable names"
                    ),
                )
                .set_help(format!("spell it `${canonical}` everywhere; if two variables were meant, give them different names"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MixedCaseVariable;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_other_spellings() {
        let text = "location / { set $Backend app; proxy_pass http://$backend; }";
        let d = assert_fires(&MixedCaseVariable, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "$backend");
        assert!(d[0].message.contains("`$Backend` (defined by `set`)"), "{}", d[0].message);
        let text = "location ~ ^/u/(?<Name>\\w+)$ { return 200 \"hi ${name}\"; }";
        let d = assert_fires(&MixedCaseVariable, text);
        assert_eq!(d[0].range.slice(text), "${name}");
        let text =
            "server { return 301 https://$host$request_uri; if ($HOST = a) { return 404; } add_header X $host; }";
        let d = assert_fires(&MixedCaseVariable, text);
        assert_eq!(d[0].range.slice(text), "$HOST");
        assert_fires(&MixedCaseVariable, "map $uri $Flag { default 0; } server { if ($flag) { return 403; } }");
    }

    #[test]
    fn passes_on_consistent_spellings() {
        assert_passes(
            &MixedCaseVariable,
            "map $http_upgrade $connection_upgrade { default upgrade; '' close; }
             server { location ~ ^/(?<id>\\d+)$ { set $Mine $id; proxy_set_header X $Mine; proxy_set_header Connection $connection_upgrade; } }",
        );
        // a regex's `$` anchor is no variable
        assert_passes(&MixedCaseVariable, "location ~ ^/A$ { } location ~ ^/a$ { rewrite ^/x$ /y; }");
    }
}
