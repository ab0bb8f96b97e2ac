//! `caulk check`: discover Dockerfiles, lint them in parallel, render one sorted report.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use caulk_core::{SourceFile, TargetKind};
use caulk_report::{FileReport, Report, TargetError};
use rayon::prelude::*;

use crate::cli::{CheckArgs, ColorChoice, Format, LintOpts};
use crate::discover::{self, Target};
use crate::output;
use crate::settings::{self, Settings};

/// Files larger than this are reported instead of read (no real Dockerfile comes close).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) fn run(args: &CheckArgs) -> Result<u8> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let settings = settings::resolve(&args.lint, args.fail_on, &paths[0])?;
    let report = lint_paths(&paths, &args.lint, &settings)?;
    let text = match args.format {
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            caulk_report::text::render(&report, color)
        }
        Format::Json => caulk_report::json::render(&report, env!("CARGO_PKG_VERSION")),
        Format::Sarif => caulk_report::sarif::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs),
        Format::Checkstyle => caulk_report::checkstyle::render(&report),
        Format::Gitlab => caulk_report::gitlab::render(&report),
        Format::Github => caulk_report::github::render(&report),
    };
    output::emit(&text, args.output.as_deref())?;
    Ok(exit_code(&report, &settings))
}

/// 2 when a target could not be read, else 1 when a finding reaches `fail_on`, else 0.
pub(crate) fn exit_code(report: &Report, settings: &Settings) -> u8 {
    if !report.errors.is_empty() {
        return 2;
    }
    match (report.max_severity(), settings.fail_on) {
        (Some(max), Some(threshold)) if max >= threshold => 1,
        _ => 0,
    }
}

/// Discovers and lints every Dockerfile under `paths`; the report is sorted.
pub(crate) fn lint_paths(paths: &[PathBuf], opts: &LintOpts, settings: &Settings) -> Result<Report> {
    let excludes = discover::build_excludes(&settings.exclude)?;
    let (targets, unusable) = discover::discover(paths, &excludes, opts.kind);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opts.jobs.unwrap_or(0)).build()?;
    let results: Vec<Result<FileReport, TargetError>> =
        pool.install(|| targets.par_iter().map(|t| lint_target(t, settings)).collect());
    let mut report = Report { rules: caulk_lint::all_rules().collect(), ..Report::default() };
    for r in results {
        match r {
            Ok(f) => report.files.push(f),
            Err(e) => report.errors.push(e),
        }
    }
    report.errors.extend(unusable.into_iter().map(|u| TargetError { path: u.display, message: u.message }));
    if report.files.is_empty() && report.errors.is_empty() {
        output::warn("no Dockerfiles found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)");
    }
    report.sort();
    Ok(report)
}

fn lint_target(target: &Target, settings: &Settings) -> Result<FileReport, TargetError> {
    let err = |message: String| TargetError { path: target.display.clone(), message };
    let meta = std::fs::metadata(&target.path).map_err(|e| err(e.to_string()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(format!("file is {} bytes; files over {MAX_FILE_BYTES} bytes are not checked", meta.len())));
    }
    let bytes = std::fs::read(&target.path).map_err(|e| err(e.to_string()))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return Err(err(format!("not UTF-8 text (invalid byte at offset {at})")));
        }
    };
    let result = caulk_lint::check_dockerfile(&text, &settings.lint);
    Ok(FileReport {
        source: SourceFile::new(target.display.clone(), text),
        kind: TargetKind::Dockerfile,
        diagnostics: result.diagnostics,
        suppressed: result.suppressed,
    })
}
