//! DF406: more than one HEALTHCHECK in a stage.

use caulk_syntax::dockerfile::Keyword;

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::multiple_cmd::report_overridden;

declare_rule! {
    /// ## What it does
    /// Checks each stage for more than one `HEALTHCHECK` (`HEALTHCHECK NONE` included). Only
    /// the last one takes effect; every earlier one is reported as overridden. A HEALTHCHECK in
    /// a later stage overriding its parent's, and `ONBUILD HEALTHCHECK`, are not reported.
    ///
    /// ## Why is this bad?
    /// The earlier check never runs, so the image is not monitored the way the Dockerfile
    /// suggests; usually a leftover from editing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    /// HEALTHCHECK --interval=10s CMD curl -f http://localhost/health || exit 1
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK --interval=10s CMD curl -f http://localhost/health || exit 1
    /// ```
    ///
    /// ## References
    /// - hadolint DL3012; Trivy DS-0023 (AVD-DS-0023)
    /// - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    pub(crate) struct MultipleHealthcheck {
        code: "DF406",
        name: "multiple-healthcheck",
        summary: "more than one HEALTHCHECK in a stage",
        severity: Low,
        fix: None,
        aliases: ["DL3012", "AVD-DS-0023"],
    }
}

impl DockerfileRule for MultipleHealthcheck {
    fn check(&self, cx: &mut Checker<'_>) {
        report_overridden(cx, Keyword::Healthcheck);
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::MultipleHealthcheck;

    #[test]
    fn fires_on_earlier_healthchecks() {
        let d = assert_fires(
            &MultipleHealthcheck,
            "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\nHEALTHCHECK NONE\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("line 3"));
    }

    #[test]
    fn passes_with_one_per_stage() {
        assert_passes(
            &MultipleHealthcheck,
            "FROM nginx:1.27 AS a\nHEALTHCHECK NONE\nFROM a\nHEALTHCHECK CMD curl -f http://localhost/\n",
        );
    }
}
