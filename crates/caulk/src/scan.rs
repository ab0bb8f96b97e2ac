//! `caulk scan`: read each image, run the image rules, render one report.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use caulk_image::Image;
use caulk_report::{ImageReport, ImageSummary, LayerSummary, Report, TargetError};
use rayon::prelude::*;

use crate::check::exit_code;
use crate::cli::{ScanArgs, ScanFormat};
use crate::{image, output, settings};

pub(crate) fn run(args: &ScanArgs) -> Result<u8> {
    let settings = settings::resolve(&args.rules, None, &[], args.report.fail_on, Path::new("."))?;
    let reader = image::Reader::new(&args.image);
    let results: Vec<Result<ImageReport, TargetError>> = args
        .images
        .par_iter()
        .map(|reference| match reader.read(reference) {
            Ok(img) => {
                let diagnostics = caulk_lint::image::check_image(&img, &settings.lint);
                Ok(ImageReport { summary: summary(&img), diagnostics })
            }
            Err(e) => Err(TargetError { path: reference.clone(), message: e.to_string() }),
        })
        .collect();
    let mut report = Report { rules: caulk_lint::all_rules().collect(), ..Report::default() };
    for r in results {
        match r {
            Ok(i) => report.images.push(i),
            Err(e) => report.errors.push(e),
        }
    }
    report.sort();
    let text = match args.format {
        ScanFormat::Text => {
            caulk_report::text::render(&report, output::use_color(args.report.color, args.report.output.is_some()))
        }
        ScanFormat::Json => caulk_report::json::render(&report, env!("CARGO_PKG_VERSION")),
        ScanFormat::Sarif => caulk_report::sarif::render(&report, env!("CARGO_PKG_VERSION"), &caulk_lint::rule::docs),
    };
    output::emit(&text, args.report.output.as_deref())?;
    Ok(exit_code(&report, &settings))
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
