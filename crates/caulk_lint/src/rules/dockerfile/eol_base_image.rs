//! DF101 and DF102 share this module's lookup: end-of-life data for the base images of shipped stages.

use caulk_syntax::dockerfile::Base;

use crate::checker::Checker;
use crate::eol::{EolData, EolKind, lookup_image};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks the base image of every shipped stage against end-of-life data (endoflife.date, embedded
    /// in caulk) and reports an operating system whose support has ended: `ubuntu:18.04`,
    /// `debian:stretch`, `alpine:3.12`, `centos:7`, or the OS a language image is built on
    /// (`python:3.9-slim-buster` is Debian 10).
    ///
    /// ## Why is this bad?
    /// An end-of-life distribution gets no security updates: every CVE published after its end date
    /// stays in the image for good, and `apt-get upgrade` cannot fix it. Scanners then report dozens
    /// of unfixable vulnerabilities in the base layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:18.04
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// ```
    ///
    /// ## References
    /// - [endoflife.date](https://endoflife.date)
    /// - Trivy reports EOL OS versions as `OS is not supported`; Dockle has no equivalent for Dockerfiles.
    pub(crate) struct EolBaseImage {
        code: "DF101",
        name: "eol-base-image",
        summary: "base image whose OS is past end of life",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for EolBaseImage {
    fn check(&self, cx: &mut Checker<'_>) {
        report_eol(cx, EolKind::Os);
    }
}

/// Reports the shipped stages' base images whose `kind` of product has reached end of life.
pub(crate) fn report_eol(cx: &mut Checker<'_>, kind: EolKind) {
    let today = cx.settings.today.clone();
    let stages: Vec<_> = cx.model.stages.iter().filter(|s| s.shipped).cloned().collect();
    for stage in stages {
        let Base::Image(image) = &stage.base else { continue };
        for f in lookup_image(&image.path, image.tag.as_deref()).into_iter().filter(|f| f.kind == kind) {
            if !f.ended_on_or_before(&today) {
                continue;
            }
            let when = f
                .eol_date()
                .map_or_else(|| "its support has ended".to_owned(), |d| format!("it reached end of life on {d}"));
            let what = match kind {
                EolKind::Os => format!("base image `{}` runs {}, and {when}", stage.base_text, f.label()),
                EolKind::Runtime => format!("base image `{}` provides {}, and {when}", stage.base_text, f.label()),
            };
            let extended = f
                .extended_support_end()
                .filter(|d| *d > today.as_str())
                .map(|d| format!(" (extended support, where available, runs until {d})"))
                .unwrap_or_default();
            let data = EolData::get();
            cx.report(stage.base_range, format!("{what}{extended}")).set_help(format!(
                "move to a supported {} release; see https://endoflife.date/{} (data of {})",
                f.title, f.product, data.source_date
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EolBaseImage;
    use crate::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_eol_distributions() {
        for image in ["ubuntu:18.04", "ubuntu:bionic", "debian:stretch", "debian:9-slim", "alpine:3.12", "centos:7"] {
            let d = assert_fires(&EolBaseImage, &format!("FROM {image}\n"));
            assert!(d[0].message.contains("end of life on 20"), "{}", d[0].message);
        }
        let d = assert_fires(&EolBaseImage, "FROM python:3.9-slim-buster\n");
        assert!(d[0].message.contains("Debian 10"), "{}", d[0].message);
        assert!(assert_fires(&EolBaseImage, "FROM ubuntu:18.04\n")[0].message.contains("2023-05-31"));
    }

    #[test]
    fn resolves_args_and_follows_shipped_stages_only() {
        assert_fires(&EolBaseImage, "ARG BASE=ubuntu:18.04\nFROM $BASE\n");
        // an EOL build stage whose files are copied out is not shipped
        assert_passes(
            &EolBaseImage,
            "FROM ubuntu:18.04 AS build\nRUN make\nFROM ubuntu:24.04\nCOPY --from=build /out /out\n",
        );
    }

    #[test]
    fn passes_on_supported_or_unknown() {
        assert_passes(&EolBaseImage, "FROM ubuntu:24.04\n");
        assert_passes(&EolBaseImage, "FROM python:3.13-slim\n");
        assert_passes(&EolBaseImage, "FROM myorg/ubuntu-tools:1.0\n");
        assert_passes(&EolBaseImage, "FROM scratch\n");
        assert_passes(&EolBaseImage, "ARG BASE\nFROM $BASE\n");
    }
}
