//! DF604: deprecated MAINTAINER instruction.

use caulk_core::{Edit, Fix, TextRange};
use caulk_syntax::dockerfile::{Body, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

/// The OCI annotation that replaces the image's `Author` field.
const AUTHORS_LABEL: &str = "org.opencontainers.image.authors";

declare_rule! {
    /// ## What it does
    /// Checks for the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` has been deprecated since Docker 1.13: it fills the image's legacy `Author`
    /// field, which OCI tooling, registries and SBOM generators do not read. A label is
    /// visible to `docker inspect`, to registries and to every OCI tool.
    ///
    /// The fix replaces the instruction with
    /// `LABEL org.opencontainers.image.authors="<the same text>"`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## References
    /// - hadolint DL4000, Trivy AVD-DS-0022, Checkov CKV_DOCKER_6
    /// - [Dockerfile reference: MAINTAINER (deprecated)](https://docs.docker.com/reference/dockerfile/#maintainer-deprecated)
    /// - [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
    pub(crate) struct MaintainerDeprecated {
        code: "DF604",
        name: "maintainer-deprecated",
        summary: "deprecated MAINTAINER instruction",
        severity: Info,
        fix: Always,
        aliases: ["DL4000", "AVD-DS-0022", "CKV_DOCKER_6"],
    }
}

impl DockerfileRule for MaintainerDeprecated {
    fn check(&self, cx: &mut Checker<'_>) {
        let escape = cx.df.escape;
        for (_, inst) in cx.instructions() {
            let (Keyword::Maintainer, Body::Text(t)) = (inst.keyword, &inst.body) else { continue };
            let value = t.value.trim();
            let label = format!("LABEL {AUTHORS_LABEL}=\"{}\"", quote_label(value, escape));
            let range = TextRange::new(inst.keyword_range.start, inst.args_range.end.max(inst.keyword_range.end));
            cx.report(inst.keyword_range, format!("MAINTAINER `{value}` is deprecated"))
                .set_help(format!("use `{label}`"))
                .set_fix(Fix::safe(format!("replace with `LABEL {AUTHORS_LABEL}`"), vec![Edit::replace(range, label)]));
        }
    }
}

/// Escapes `value` for a double-quoted LABEL value: the builder expands `$` there and treats
/// the escape character and `"` specially.
fn quote_label(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        // a MAINTAINER text cannot hold a line break; keep the label on one line regardless
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use caulk_core::diagnostic::apply_edits;
    use caulk_syntax::dockerfile::{self, Body};

    use super::{MaintainerDeprecated, quote_label};
    use crate::test::{assert_fires, assert_passes};

    fn fixed(text: &str) -> String {
        let d = assert_fires(&MaintainerDeprecated, text);
        let fix = d[0].fix.as_ref().unwrap_or_else(|| unreachable!("no fix"));
        apply_edits(text, &fix.edits).unwrap_or_else(|| unreachable!("edits overlap"))
    }

    #[test]
    fn fires_and_fixes() {
        let text = "FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>\nRUN true\n";
        let d = assert_fires(&MaintainerDeprecated, text);
        assert!(d[0].message.contains("`Jane Doe <jane@example.com>`"), "{}", d[0].message);
        let out = fixed(text);
        assert_eq!(
            out,
            "FROM debian:12\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\nRUN true\n"
        );
        assert_passes(&MaintainerDeprecated, &out);
    }

    #[test]
    fn fix_escapes_quotes_and_dollars_and_reparses_to_the_same_value() {
        let text = "FROM debian:12\nMAINTAINER \"Bob\" $HOME \\o/\n";
        let out = fixed(text);
        let parsed = dockerfile::parse(&out);
        let label = parsed.ast.instructions.iter().find_map(|i| match &i.body {
            Body::Pairs(p) => p
                .first()
                .and_then(|kv| kv.value.as_ref())
                .map(|v| dockerfile::expand_word(&v.value, '\\', &|_| None).value),
            _ => None,
        });
        assert_eq!(label.as_deref(), Some("\"Bob\" $HOME \\o/"));
        assert_eq!(quote_label("a`b", '`'), "a``b");
    }

    #[test]
    fn passes_without_maintainer() {
        assert_passes(&MaintainerDeprecated, "FROM debian:12\nLABEL maintainer=\"x\"\n");
    }
}
