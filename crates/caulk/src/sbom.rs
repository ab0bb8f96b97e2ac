//! `caulk sbom`: an image's package inventory as CycloneDX 1.6 or SPDX 2.3 JSON.

use anyhow::{Context, Result};
use caulk_report::sbom::{OsInfo, SbomInput, SbomSubject};

use crate::cli::{SbomArgs, SbomFormat, VulnOpts};
use crate::vulns::Matcher;
use crate::{image, output};

pub(crate) fn run(args: &SbomArgs) -> Result<u8> {
    let img = image::Reader::new(&args.image).read(&args.image_ref).with_context(|| args.image_ref.clone())?;
    // CycloneDX carries the known vulnerabilities when an advisory store is there; without one the
    // SBOM is still complete, and says nothing about vulnerabilities.
    let vulnerabilities = if args.format == SbomFormat::Cyclonedx {
        let opts = VulnOpts { db: args.db.clone(), ..VulnOpts::default() };
        let matcher = Matcher::open(&opts, &crate::settings::today())?;
        let found = matcher.match_image(&img, &caulk_lint::LintSettings::default());
        match &found.scan {
            caulk_report::VulnScan::Skipped { reason } if args.db.is_some() => {
                output::warn(&format!("vulnerabilities not included: {reason}"));
            }
            // accepted risks leave the SBOM like a VEX "not affected" would: say so, never silently
            caulk_report::VulnScan::Done { ignored, .. } if *ignored > 0 => {
                output::warn(&format!(
                    "{ignored} known vulnerabilit{} left out of the SBOM by the ignore file (.caulkignore)",
                    if *ignored == 1 { "y" } else { "ies" }
                ));
            }
            _ => {}
        }
        found.findings
    } else {
        Vec::new()
    };
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
        vulnerabilities: &vulnerabilities,
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
