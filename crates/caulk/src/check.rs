//! `caulk check`: discover Dockerfiles, compose files and nginx configurations, lint them in
//! parallel, merge the findings per file, render one sorted report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use caulk_core::{Diagnostic, SourceFile, TargetKind};
use caulk_lint::FileFindings;
use caulk_report::{FileReport, Report, TargetError};
use rayon::prelude::*;

use crate::cli::{CheckArgs, Format, LintOpts};
use crate::discover::{self, Target};
use crate::output;
use crate::settings::{self, Settings};

/// The files of `COMPOSE_FILE`, split on `COMPOSE_PATH_SEPARATOR` (default `:`) as Compose does.
fn compose_file_env() -> Vec<PathBuf> {
    let Some(list) = std::env::var_os("COMPOSE_FILE") else { return Vec::new() };
    let separator = std::env::var("COMPOSE_PATH_SEPARATOR").unwrap_or_else(|_| ":".to_owned());
    let list = list.to_string_lossy();
    list.split(separator.as_str()).filter(|p| !p.is_empty()).map(PathBuf::from).collect()
}

/// Files larger than this are reported instead of read (no real Dockerfile comes close).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) fn run(args: &CheckArgs) -> Result<u8> {
    let paths = match (args.paths.is_empty(), args.compose_files.first()) {
        (false, _) => args.paths.clone(),
        // `--compose-file` alone: that project only
        (true, Some(_)) => Vec::new(),
        (true, None) => vec![PathBuf::from(".")],
    };
    // Like `docker compose` run here, `COMPOSE_FILE` names the project's files when neither a
    // path nor `--compose-file` does; the tree is still walked for Dockerfiles and nginx files.
    let compose_files = if args.compose_files.is_empty() && args.paths.is_empty() {
        compose_file_env()
    } else {
        args.compose_files.clone()
    };
    let first = paths.first().or(compose_files.first()).cloned().unwrap_or_else(|| PathBuf::from("."));
    let lint = &args.lint;
    let mut settings = settings::resolve(&lint.rules, lint.target.clone(), &lint.exclude, args.report.fail_on, &first)?;
    settings.lint.compose_profiles.clone_from(&args.profiles);
    let mut report = lint_paths(&paths, &compose_files, &args.lint, &settings)?;
    let text = match args.format {
        Format::Text => {
            caulk_report::text::render(&report, output::use_color(args.report.color, args.report.output.is_some()))
        }
        Format::Json => caulk_report::json::render(&report, env!("CARGO_PKG_VERSION")),
        Format::Sarif => caulk_report::sarif::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs),
        Format::Checkstyle => caulk_report::checkstyle::render(&report),
        Format::Gitlab => caulk_report::gitlab::render(&report),
        Format::Github => caulk_report::github::render(&report),
        Format::Markdown => {
            report.fix_previews = fix_previews(&report, &settings);
            caulk_report::markdown::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs)
        }
        Format::Html => {
            report.fix_previews = fix_previews(&report, &settings);
            caulk_report::html::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs)
        }
    };
    output::emit(&text, args.report.output.as_deref())?;
    Ok(exit_code(&report, &settings))
}

/// Each Dockerfile of the report as `caulk fix --unsafe-fixes` would leave it, for the reports
/// that show a before/after; files the fixes leave unchanged, or that do not settle, are left out.
fn fix_previews(report: &Report, settings: &Settings) -> Vec<caulk_report::FixPreview> {
    report
        .files
        .par_iter()
        .filter(|f| f.kind == TargetKind::Dockerfile)
        .filter_map(|f| {
            let before = f.source.text();
            let outcome = caulk_lint::fixer::fix_dockerfile(before, &settings.lint, true);
            (outcome.converged && outcome.applied > 0 && outcome.text != before).then(|| caulk_report::FixPreview {
                path: f.source.path().to_owned(),
                before: before.to_owned(),
                after: outcome.text,
                applied: outcome.applied,
            })
        })
        .collect()
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

/// Discovers and lints every target under `paths`; the report is sorted.
///
/// Compose projects and nginx configurations span several files (overrides, followed
/// Dockerfiles, includes), and a file may be reached from several targets: findings are merged
/// per file and de-duplicated, so each finding is reported once.
///
/// `compose_files` (`--compose-file`) make one project merged in order; a discovered compose
/// file among them is checked only as part of that project.
pub(crate) fn lint_paths(
    paths: &[PathBuf],
    compose_files: &[PathBuf],
    opts: &LintOpts,
    settings: &Settings,
) -> Result<Report> {
    let excludes = discover::build_excludes(&settings.exclude)?;
    let (mut targets, unusable) =
        if paths.is_empty() { (Vec::new(), Vec::new()) } else { discover::discover(paths, &excludes, opts.kind) };
    let project: Vec<PathBuf> =
        compose_files.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())).collect();
    if !project.is_empty() {
        targets.retain(|t| {
            t.kind != TargetKind::Compose
                || !project.contains(&std::fs::canonicalize(&t.path).unwrap_or_else(|_| t.path.clone()))
        });
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opts.jobs.unwrap_or(0)).build()?;
    let prefix = opts.nginx_prefix.as_deref();
    let (nginx, others): (Vec<Target>, Vec<Target>) = targets.into_iter().partition(|t| t.kind == TargetKind::Nginx);
    let mut results: Vec<Result<Vec<FileFindings>, TargetError>> =
        pool.install(|| others.par_iter().map(|t| lint_target(t, settings)).collect());
    results.extend(pool.install(|| lint_nginx(nginx, settings, prefix)));
    if let Some(missing) = compose_files.iter().find(|f| !f.is_file()) {
        results
            .push(Err(TargetError { path: missing.display().to_string(), message: "no such compose file".to_owned() }));
    } else if !compose_files.is_empty() {
        results.push(Ok(caulk_lint::compose::check_compose_files(compose_files, &settings.lint)));
    }
    let mut report = Report { rules: caulk_lint::all_rules().collect(), ..Report::default() };
    let mut files: BTreeMap<String, FileFindings> = BTreeMap::new();
    for r in results {
        match r {
            Ok(found) => {
                for f in found {
                    let key = display(&f.path);
                    match files.get_mut(&key) {
                        Some(existing) => {
                            existing.diagnostics.extend(f.diagnostics);
                            existing.suppressed = existing.suppressed.max(f.suppressed);
                        }
                        None => {
                            files.insert(key, f);
                        }
                    }
                }
            }
            Err(e) => report.errors.push(e),
        }
    }
    for (path, mut f) in files {
        dedup(&mut f.diagnostics);
        report.files.push(FileReport {
            source: SourceFile::new(path, f.text),
            kind: f.kind,
            diagnostics: f.diagnostics,
            suppressed: f.suppressed,
        });
    }
    report.errors.extend(unusable.into_iter().map(|u| TargetError { path: u.display, message: u.message }));
    if report.files.is_empty() && report.errors.is_empty() {
        output::warn("nothing to check (looked for Dockerfiles, compose files and nginx configurations)");
    }
    report.sort();
    Ok(report)
}

/// Loads every nginx configuration once (with its includes) and lints it. An nginx file that
/// another discovered nginx file includes is checked as part of that configuration only: alone, a
/// `conf.d/*.conf` fragment would lack the `http` context (headers, limits) its parent gives it.
fn lint_nginx(
    targets: Vec<Target>,
    settings: &Settings,
    prefix: Option<&Path>,
) -> Vec<Result<Vec<FileFindings>, TargetError>> {
    let loaded: Vec<(Target, std::io::Result<caulk_syntax::nginx::loader::Loaded>)> = targets
        .into_par_iter()
        .map(|t| {
            let l = caulk_syntax::nginx::loader::load(&t.path, prefix);
            (t, l)
        })
        .collect();
    // canonical paths only where includes exist (resolving paths costs a syscall per component)
    let included: std::collections::BTreeSet<PathBuf> = loaded
        .iter()
        .filter_map(|(_, l)| l.as_ref().ok())
        .flat_map(|l| l.files.iter().skip(1).filter_map(|f| std::fs::canonicalize(&f.path).ok()))
        .collect();
    let keep =
        |t: &Target| included.is_empty() || std::fs::canonicalize(&t.path).map_or(true, |p| !included.contains(&p));
    loaded
        .par_iter()
        .filter(|(t, _)| keep(t))
        .map(|(t, l)| match l {
            Ok(l) => {
                let mut found = caulk_lint::nginx::check_loaded(l, &settings.lint);
                // the main file was checked even when it has nothing to report: list it
                if !found.iter().any(|f| display(&f.path) == display(&t.path)) {
                    found.push(FileFindings {
                        path: t.path.clone(),
                        text: l.files.first().map(|f| f.text.clone()).unwrap_or_default(),
                        kind: TargetKind::Nginx,
                        diagnostics: Vec::new(),
                        suppressed: 0,
                    });
                }
                Ok(found)
            }
            Err(e) => Err(TargetError { path: t.display.clone(), message: e.to_string() }),
        })
        .collect()
}

/// A path as reports show it: `.` components dropped and `a/../` folded lexically, so a file
/// reached from two targets (`x/Dockerfile` and `x/./Dockerfile` via compose's `build:`) is one.
fn display(path: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let normal: PathBuf = parts.iter().collect();
    if normal.as_os_str().is_empty() { ".".to_owned() } else { normal.to_string_lossy().into_owned() }
}

/// Sorts findings and drops exact repeats (same rule, range and message).
fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.rule.code == b.rule.code && a.range == b.range && a.message == b.message);
}

/// Lints a Dockerfile or a compose project; nginx configurations go through [`lint_nginx`],
/// which loads them once for all targets.
fn lint_target(target: &Target, settings: &Settings) -> Result<Vec<FileFindings>, TargetError> {
    let err = |message: String| TargetError { path: target.display.clone(), message };
    let meta = std::fs::metadata(&target.path).map_err(|e| err(e.to_string()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(format!("file is {} bytes; files over {MAX_FILE_BYTES} bytes are not checked", meta.len())));
    }
    match target.kind {
        TargetKind::Compose => return Ok(caulk_lint::compose::check_compose(&target.path, &settings.lint)),
        TargetKind::Nginx | TargetKind::Image => {
            return Err(err(format!("{} targets are not checked file by file", target.kind.as_str())));
        }
        TargetKind::Dockerfile => {}
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
    Ok(vec![FileFindings {
        path: target.path.clone(),
        text,
        kind: TargetKind::Dockerfile,
        diagnostics: result.diagnostics,
        suppressed: result.suppressed,
    }])
}
