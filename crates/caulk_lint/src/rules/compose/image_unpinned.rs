//! DC501: image without a tag, or with `latest`.

use crate::compose::{ComposeChecker, ComposeRule};

/// Splits `registry:5000/repo/name:tag@digest` into (name, tag, digest).
pub(crate) fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest.get(slash..).and_then(|last| last.rfind(':')) {
        Some(i) => (rest.get(..slash + i).unwrap_or(rest), rest.get(slash + i + 1..), digest),
        None => (rest, None, digest),
    }
}

declare_rule! {
    /// ## What it does
    /// Reports `image:` references with no tag or the `latest` tag and no digest. Images of
    /// services that are also built (`build:`) are skipped: the tag names what is built.
    /// References containing unresolved variables are skipped.
    ///
    /// ## Why is this bad?
    /// `latest` is whatever was pushed last: a deploy can silently pull a new major version,
    /// a broken build or a compromised image, and two hosts can run different code under the
    /// same file. Pin a version tag (and a digest for reproducibility, see DC502).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.4-alpine
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0004; dclint service-image-require-explicit-tag
    /// - [Compose file reference: image](https://docs.docker.com/reference/compose-file/services/#image)
    pub(crate) struct ImageUnpinned {
        code: "DC501",
        name: "image-tag-missing",
        summary: "image without a tag or with `latest`",
        severity: Medium,
        target: Compose,
        fix: None,
        aliases: ["CL-0004"],
    }
}

impl ComposeRule for ImageUnpinned {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            if service.get("build").is_some() {
                continue;
            }
            let Some(img) = service.get("image") else { continue };
            let Some(s) = img.as_scalar() else { continue };
            if s.unresolved || s.value.trim().is_empty() {
                continue;
            }
            let (name, tag, digest) = split_image(s.value.trim());
            if digest.is_some() {
                continue;
            }
            match tag {
                None => {
                    cx.report(img, format!("image `{name}` of service `{}` has no tag (means `latest`)", service.name))
                }
                Some("latest") => {
                    cx.report(img, format!("image `{name}` of service `{}` uses the `latest` tag", service.name))
                }
                Some(_) => continue,
            }
            .set_help("pin a version tag, e.g. `image: name:1.2.3` (and a digest: `name:1.2.3@sha256:…`)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_no_tag_and_latest() {
        assert_fires(&ImageUnpinned, "services:\n  a:\n    image: redis\n");
        assert_fires(&ImageUnpinned, "services:\n  a:\n    image: registry:5000/team/app:latest\n");
    }

    #[test]
    fn quiet_on_tags_digests_builds_and_variables() {
        assert_passes(&ImageUnpinned, "services:\n  a:\n    image: registry:5000/team/app:1.2\n");
        assert_passes(&ImageUnpinned, "services:\n  a:\n    image: redis@sha256:0123\n");
        assert_passes(&ImageUnpinned, "services:\n  a:\n    image: myapp\n    build: .\n");
        assert_passes(&ImageUnpinned, "services:\n  a:\n    image: app:${TAG}\n");
    }

    #[test]
    fn splits_references() {
        assert_eq!(split_image("localhost:5000/a/b"), ("localhost:5000/a/b", None, None));
        assert_eq!(split_image("a/b:1@sha256:x"), ("a/b", Some("1"), Some("sha256:x")));
    }
}
