//! DF405: more than one ENTRYPOINT in a stage.

use caulk_syntax::dockerfile::Keyword;

use crate::checker::Checker;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::multiple_cmd::report_overridden;

declare_rule! {
    /// ## What it does
    /// Checks each stage for more than one `ENTRYPOINT`. Only the last one takes effect; every
    /// earlier one is reported as overridden. An ENTRYPOINT in a later stage overriding its
    /// parent's, and `ONBUILD ENTRYPOINT`, are not reported.
    ///
    /// ## Why is this bad?
    /// The earlier ENTRYPOINT is dead code that misleads readers about what the image runs,
    /// often left over from a merge or copy-paste; the one meant to run may be the one ignored.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// ENTRYPOINT ["/docker-entrypoint.sh"]
    /// ENTRYPOINT ["node", "server.js"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// ENTRYPOINT ["node", "server.js"]
    /// ```
    ///
    /// ## References
    /// - hadolint DL4004; Trivy DS-0007 (AVD-DS-0007); KICS "Multiple ENTRYPOINT Instructions Listed"
    /// - [Dockerfile reference: ENTRYPOINT](https://docs.docker.com/reference/dockerfile/#entrypoint)
    pub(crate) struct MultipleEntrypoint {
        code: "DF405",
        name: "multiple-entrypoint",
        summary: "more than one ENTRYPOINT in a stage",
        severity: Low,
        fix: None,
        aliases: ["DL4004", "AVD-DS-0007"],
    }
}

impl DockerfileRule for MultipleEntrypoint {
    fn check(&self, cx: &mut Checker<'_>) {
        report_overridden(cx, Keyword::Entrypoint);
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::MultipleEntrypoint;

    #[test]
    fn fires_on_earlier_entrypoints() {
        let d = assert_fires(&MultipleEntrypoint, "FROM node:22\nENTRYPOINT [\"/a.sh\"]\nENTRYPOINT [\"node\"]\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/a.sh"));
    }

    #[test]
    fn passes_with_one_per_stage() {
        assert_passes(
            &MultipleEntrypoint,
            "FROM node:22 AS a\nENTRYPOINT [\"x\"]\nFROM node:22\nENTRYPOINT [\"y\"]\nCMD [\"z\"]\n",
        );
    }
}
