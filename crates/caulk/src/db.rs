//! `caulk db`: the advisory store's commands — `import` offline feeds, `update` from osv.dev (or a
//! mirror), `status` of what is loaded.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use caulk_lint::vuln::STALE_AFTER_DAYS;
use caulk_vuln::{ImportReport, Store};
use serde_json::json;

use crate::cli::{DbArgs, DbCommand, RulesFormat};
use crate::{output, vulns};

/// At most this many malformed records are listed per input; the rest are counted.
const MALFORMED_SHOWN: usize = 20;

pub(crate) fn run(args: &DbArgs) -> Result<u8> {
    let path = vulns::store_path(args.db.as_deref())?;
    match &args.command {
        DbCommand::Import { paths } => import(&path, paths),
        DbCommand::Status { format } => status(&path, *format),
        DbCommand::Update(u) => crate::db_update::run(&path, u),
    }
}

fn import(store_path: &Path, inputs: &[std::path::PathBuf]) -> Result<u8> {
    let mut store = Store::create(store_path)?;
    let mut failed = 0;
    for input in inputs {
        match store.import_path(input, None) {
            Ok(report) => output::info(&describe_import(&input.display().to_string(), &report)),
            Err(e) => {
                failed += 1;
                output::error(&format!("{e}"));
            }
        }
    }
    output::info(&format!("advisory store: {}", store_path.display()));
    Ok(if failed > 0 { 2 } else { 0 })
}

/// `imported 5680 advisories from PATH (OSV): AlmaLinux:8 …`, then the malformed records.
pub(crate) fn describe_import(what: &str, r: &ImportReport) -> String {
    let mut out = format!("imported {} advisories from {what}", r.records);
    if !r.formats.is_empty() {
        let _ = write!(out, " ({})", r.formats.join(", "));
    }
    let mut extra = Vec::new();
    if r.withdrawn > 0 {
        extra.push(format!("{} withdrawn dropped", r.withdrawn));
    }
    if r.skipped > 0 {
        extra.push(format!("{} entries without anything to match skipped", r.skipped));
    }
    if !r.malformed.is_empty() {
        extra.push(format!("{} malformed", r.malformed.len()));
    }
    if !extra.is_empty() {
        let _ = write!(out, "; {}", extra.join(", "));
    }
    if !r.ecosystems.is_empty() {
        let ecos: Vec<String> = r.ecosystems.iter().map(|(e, n)| format!("{e} {n}")).collect();
        let _ = write!(out, "\n  affected entries: {}", ecos.join(", "));
    }
    for m in r.malformed.iter().take(MALFORMED_SHOWN) {
        let _ = write!(out, "\n  malformed: {}: {}", m.file, m.message);
    }
    if r.malformed.len() > MALFORMED_SHOWN {
        let _ = write!(out, "\n  … and {} more malformed records", r.malformed.len() - MALFORMED_SHOWN);
    }
    out
}

fn status(store_path: &Path, format: RulesFormat) -> Result<u8> {
    let Some(store) = Store::open(store_path)? else {
        let msg =
            format!("no advisory store at {}; run `caulk db update` or `caulk db import PATH…`", store_path.display());
        if format == RulesFormat::Json {
            let doc = json!({ "path": store_path.display().to_string(), "exists": false });
            output::emit(&format!("{doc:#}\n"), None)?;
        }
        output::warn(&msg);
        return Ok(1);
    };
    let st = store.status().context("reading the advisory store")?;
    let age = vulns::age_days;
    let newest_age = st.sources.iter().filter_map(|s| age(&s.imported_at)).min();
    match format {
        RulesFormat::Json => {
            let doc = json!({
                "path": st.path.display().to_string(),
                "exists": true,
                "size_bytes": st.size_bytes,
                "advisories": st.advisories,
                "affected": st.affected,
                "age_days": newest_age,
                "stale": newest_age.is_some_and(|d| d > STALE_AFTER_DAYS),
                "sources": st.sources.iter().map(|s| json!({
                    "location": s.location,
                    "formats": s.formats,
                    "imported_at": s.imported_at,
                    "age_days": age(&s.imported_at),
                    "records": s.records,
                    "withdrawn": s.withdrawn,
                    "malformed": s.malformed,
                    "ecosystems": s.ecosystems,
                })).collect::<Vec<_>>(),
            });
            output::emit(&format!("{doc:#}\n"), None)?;
        }
        RulesFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(out, "advisory store: {}", st.path.display());
            let _ = writeln!(
                out,
                "  {} advisories, {} affected-package entries, {}",
                st.advisories,
                st.affected,
                caulk_report::text::human_bytes(st.size_bytes)
            );
            for s in &st.sources {
                let days = age(&s.imported_at).map_or_else(String::new, |d| format!(" ({d} days ago)"));
                let _ = writeln!(out, "\n  {}", s.location);
                let _ = writeln!(
                    out,
                    "    {} · imported {}{days} · {} advisories{}{}",
                    if s.formats.is_empty() { "-".to_owned() } else { s.formats.join(", ") },
                    s.imported_at,
                    s.records,
                    if s.withdrawn > 0 { format!(", {} withdrawn dropped", s.withdrawn) } else { String::new() },
                    if s.malformed > 0 { format!(", {} malformed", s.malformed) } else { String::new() },
                );
                let ecos: Vec<String> = s.ecosystems.iter().map(|(e, n)| format!("{e} ({n})")).collect();
                if !ecos.is_empty() {
                    let _ = writeln!(out, "    {}", ecos.join(", "));
                }
            }
            output::emit(&out, None)?;
        }
    }
    if let Some(d) = newest_age.filter(|d| *d > STALE_AFTER_DAYS) {
        output::warn(&format!("the advisory data is {d} days old; run `caulk db update`"));
    }
    Ok(0)
}
