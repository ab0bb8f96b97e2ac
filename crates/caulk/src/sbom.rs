//! `caulk sbom`: an image's package inventory as CycloneDX 1.6 or SPDX 2.3 JSON.

use anyhow::{Context, Result};
use caulk_report::sbom::{OsInfo, SbomInput, SbomSubject};

use crate::cli::{SbomArgs, SbomFormat};
use crate::{image, output};

pub(crate) fn run(args: &SbomArgs) -> Result<u8> {
    let img = image::Reader::new(&args.image).read(&args.image_ref).with_context(|| args.image_ref.clone())?;
    let subject = SbomSubject {
        name: img.reference.clone(),
        digest: img.manifest_digest.clone().or_else(|| img.config_digest.clone()),
        architecture: (!img.config.architecture.is_empty()).then(|| img.config.architecture.clone()),
        os: img.os.as_ref().map(|o| OsInfo {
            id: o.id.clone(),
            version_id: o.version_id.clone(),
            pretty_name: o.pretty_name.clone(),
        }),
    };
    let created = created();
    let input = SbomInput {
        subject: &subject,
        packages: &img.packages,
        tool_version: env!("CARGO_PKG_VERSION"),
        created: &created,
    };
    let text = match args.format {
        SbomFormat::Cyclonedx => caulk_report::sbom::cyclonedx(&input),
        SbomFormat::Spdx => caulk_report::sbom::spdx(&input),
    };
    for issue in img
        .issues
        .iter()
        .filter(|i| i.kind == caulk_image::IssueKind::Analyzer || i.kind == caulk_image::IssueKind::Corrupt)
    {
        output::warn(&format!("{}: {issue}", args.image_ref));
    }
    output::emit(&text, args.output.as_deref())?;
    Ok(0)
}

/// The SBOM's creation time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
fn created() -> String {
    let ts = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
