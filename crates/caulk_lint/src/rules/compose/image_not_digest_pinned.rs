//! DC502: image pinned by tag but not by digest.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::image_unpinned::split_image;

declare_rule! {
    /// ## What it does
    /// Reports `image:` references that carry a version tag but no `@sha256:` digest (images
    /// without a tag or with `latest` are DC501's). Built services and references with
    /// unresolved variables are skipped.
    ///
    /// ## Why is this bad?
    /// Tags are mutable: the registry (or whoever controls it) can point `postgres:16` at
    /// different content tomorrow. A digest names exactly one image, so deploys are
    /// reproducible and a tampered tag is not pulled. This is advice: updates then need a
    /// tool such as Renovate or Dependabot to bump the digest.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0019
    /// - [docker pull: pull an image by digest](https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier)
    pub(crate) struct ImageNotDigestPinned {
        code: "DC502",
        name: "image-not-digest-pinned",
        summary: "image pinned by tag but not by digest",
        severity: Info,
        target: Compose,
        fix: None,
        aliases: ["CL-0019"],
    }
}

impl ComposeRule for ImageNotDigestPinned {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            if service.get("build").is_some() {
                continue;
            }
            let Some(img) = service.get("image") else { continue };
            let Some(s) = img.as_scalar() else { continue };
            if s.unresolved {
                continue;
            }
            let (name, tag, digest) = split_image(s.value.trim());
            let Some(tag) = tag.filter(|t| *t != "latest") else { continue };
            if digest.is_none() {
                cx.report(img, format!("image `{name}:{tag}` of service `{}` is not pinned by digest", service.name))
                    .set_help(format!("append the digest: `{name}:{tag}@sha256:…` (from `docker buildx imagetools inspect {name}:{tag}`)"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_tag_only() {
        assert_fires(&ImageNotDigestPinned, "services:\n  a:\n    image: postgres:16.4\n");
    }

    #[test]
    fn quiet_on_digest_latest_and_build() {
        assert_passes(
            &ImageNotDigestPinned,
            "services:\n  a:\n    image: postgres:16.4@sha256:abc\n  b:\n    image: redis\n  c:\n    image: me/app:1\n    build: .\n",
        );
    }
}
