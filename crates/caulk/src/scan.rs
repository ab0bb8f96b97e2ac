//! `caulk scan`: read each image, run the image rules, match its packages against the advisory
//! store, render one report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;
use caulk_image::Image;
use caulk_lint::LintSettings;
use caulk_report::{ImageReport, ImageSummary, LayerSummary, Report, TargetError};
use rayon::prelude::*;

use crate::check::exit_code;
use crate::cli::{ScanArgs, ScanFormat};
use crate::vulns::Matcher;
use crate::{image, output, settings};

pub(crate) fn run(args: &ScanArgs) -> Result<u8> {
    let settings = settings::resolve(&args.rules, None, &[], args.report.fail_on, Path::new("."))?;
    let matcher = Matcher::open(&args.vulns, &settings.lint.today)?;
    let reader = image::Reader::new(&args.image);
    let results: Vec<Result<(ImageReport, BTreeSet<usize>), TargetError>> = args
        .images
        .par_iter()
        .map(|reference| match reader.read(reference) {
            Ok(img) => Ok(analyze(&img, &matcher, &settings.lint)),
            Err(e) => Err(TargetError { path: reference.clone(), message: e.to_string() }),
        })
        .collect();
    let mut report = Report {
        rules: caulk_lint::all_rules().collect(),
        advisory_data: matcher.advisory_data().to_vec(),
        ..Report::default()
    };
    let mut used = BTreeSet::new();
    for r in results {
        match r {
            Ok((i, u)) => {
                report.images.push(i);
                used.extend(u);
            }
            Err(e) => report.errors.push(e),
        }
    }
    report.sort();
    // Ignore-file findings concern the whole run: they go on the first image only.
    if let Some(first) = report.images.first_mut() {
        first.diagnostics.extend(matcher.run_diagnostics(&used, &settings.lint));
        first.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    let text = match args.format {
        ScanFormat::Text => {
            caulk_report::text::render(&report, output::use_color(args.report.color, args.report.output.is_some()))
        }
        ScanFormat::Json => caulk_report::json::render(&report, env!("CARGO_PKG_VERSION")),
        ScanFormat::Sarif => caulk_report::sarif::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs),
        ScanFormat::Markdown => {
            caulk_report::markdown::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs)
        }
        ScanFormat::Html => caulk_report::html::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs),
    };
    output::emit(&text, args.report.output.as_deref())?;
    Ok(exit_code(&report, &settings))
}

/// Runs the image rules and vulnerability matching on one read image (`scan` and `compare`);
/// returns its report and the `.caulkignore` entries that matched.
pub(crate) fn analyze(img: &Image, matcher: &Matcher, lint: &LintSettings) -> (ImageReport, BTreeSet<usize>) {
    let mut diagnostics = caulk_lint::image::check_image(img, lint);
    let vulns = matcher.match_image(img, lint);
    diagnostics.extend(vulns.diagnostics);
    let report =
        ImageReport { summary: summary(img), diagnostics, vulnerabilities: vulns.findings, vuln_scan: vulns.scan };
    (report, vulns.used_ignores)
}

/// The facts a report prints about an image.
pub(crate) fn summary(img: &Image) -> ImageSummary {
    let mut packages: BTreeMap<String, usize> = BTreeMap::new();
    for p in &img.packages {
        *packages.entry(p.kind.as_str().to_owned()).or_default() += 1;
    }
    ImageSummary {
        reference: img.reference.clone(),
        source_kind: img.source_kind,
        manifest_digest: img.manifest_digest.clone(),
        config_digest: img.config_digest.clone(),
        platform: image::platform(img),
        os: img.os.as_ref().map(caulk_image::OsRelease::display_name),
        tier: Some(caulk_image::tier::classify(img).kind.as_str().to_owned()),
        layers: img
            .layers
            .iter()
            .map(|l| LayerSummary {
                digest: l.digest.clone(),
                instruction: l.instruction.clone(),
                size: l.size,
                base: l.base,
            })
            .collect(),
        size_total: img.size.total,
        size_visible: img.size.visible,
        size_wasted: img.size.wasted,
        packages: packages.into_iter().collect(),
    }
}
