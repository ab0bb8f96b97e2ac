//! `caulk rules` and `caulk explain`: the rule catalogue, generated from the rules themselves.

use std::fmt::Write;

use anyhow::{Result, bail};
use caulk_lint::{all_rules, find_rule};
use serde::Serialize;

use crate::cli::{RuleTarget, RulesArgs, RulesFormat};
use crate::output;

#[derive(Serialize)]
struct RuleJson {
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: &'static str,
    target: &'static str,
    fix: &'static str,
    aliases: &'static [&'static str],
}

pub(crate) fn list(args: &RulesArgs) -> Result<u8> {
    let wanted = args.target.map(|t| match t {
        RuleTarget::Dockerfile => "dockerfile",
        RuleTarget::Compose => "compose",
        RuleTarget::Nginx => "nginx",
        RuleTarget::Image => "image",
    });
    let all_rules = || all_rules().filter(move |r| wanted.is_none_or(|w| r.target.as_str() == w));
    let text = match args.format {
        RulesFormat::Json => {
            let rules: Vec<RuleJson> = all_rules()
                .map(|r| RuleJson {
                    code: r.code,
                    name: r.name,
                    summary: r.summary,
                    severity: r.severity.as_str(),
                    target: r.target.as_str(),
                    fix: r.fix.as_str(),
                    aliases: r.aliases,
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&rules)?;
            s.push('\n');
            s
        }
        RulesFormat::Text => {
            let mut s = String::new();
            for r in all_rules() {
                let aliases =
                    if r.aliases.is_empty() { String::new() } else { format!("  [{}]", r.aliases.join(", ")) };
                let _ = writeln!(s, "{:<6} {:<9} {:<32} {}{aliases}", r.code, r.severity.as_str(), r.name, r.summary);
            }
            s
        }
    };
    output::emit(&text, None)?;
    Ok(0)
}

pub(crate) fn explain(id: &str) -> Result<u8> {
    let Some(rule) = find_rule(id) else { bail!("`{id}` is not a rule code, name or alias (see `caulk rules`)") };
    let mut s = format!("# {} {}\n\n", rule.code, rule.name);
    let _ = writeln!(s, "Severity: {} · Target: {} · Fix: {}", rule.severity, rule.target.as_str(), rule.fix.as_str());
    if !rule.aliases.is_empty() {
        let _ = writeln!(s, "Also known as: {}", rule.aliases.join(", "));
    }
    s.push('\n');
    s.push_str(&caulk_lint::rule::docs(rule));
    output::emit(&s, None)?;
    Ok(0)
}
