//! DF502: ADD of a remote URL without --checksum; also the ADD source classification DF503 uses.

use caulk_syntax::dockerfile::{Body, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `ADD` instructions that download an `http://` or `https://` URL without
    /// `--checksum`, and `ADD` of a Git repository that is not pinned to a commit.
    ///
    /// ## Why is this bad?
    /// `ADD https://…` puts whatever the server returns on the day of the build into the image:
    /// a compromised download site, a hijacked DNS name or a re-tagged release changes the image
    /// without any change to the Dockerfile. `--checksum=sha256:…` makes the build fail instead.
    /// A Git source pinned to a branch or tag has the same problem; a full commit hash does not.
    ///
    /// Not reported: sources whose variables cannot be resolved, and downloads a later `RUN` of
    /// the stage verifies by name (`sha256sum -c`, `gpg --verify`, `cosign verify-blob`).
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// ADD https://github.com/org/repo.git#v1.2.0 /src
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// # the digest published with the release
    /// ADD --checksum=sha256:<sha256 of tini> \
    ///     https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// # the full hash of the commit tagged v1.2.0
    /// ADD https://github.com/org/repo.git#<40-hex commit hash> /src
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    /// - [Dockerfile reference: adding files from a Git repository](https://docs.docker.com/reference/dockerfile/#adding-files-from-a-git-repository)
    pub(crate) struct AddUrlWithoutChecksum {
        code: "DF502",
        name: "add-url-without-checksum",
        summary: "ADD of a remote URL without --checksum",
        severity: Medium,
        fix: None,
        aliases: [],
    }
}

/// What an ADD source is, the way BuildKit decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddSource {
    /// `http://` or `https://`, not a Git repository.
    Http,
    /// A Git repository: `git@host:…`, `git://…`, `ssh://…`, or an HTTP(S) URL ending in `.git`;
    /// `pinned` when it names a full commit hash.
    Git { pinned: bool },
    /// A here-document (`<<EOF`).
    Heredoc,
    /// A path in the build context.
    Local,
}

/// Classifies an expanded ADD source.
pub(crate) fn classify(source: &str) -> AddSource {
    let lower = source.to_ascii_lowercase();
    if source.starts_with("<<") {
        return AddSource::Heredoc;
    }
    let (location, fragment) = match source.split_once('#') {
        Some((l, f)) => (l, Some(f)),
        None => (source, None),
    };
    let (path, query) = match location.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (location, None),
    };
    let is_http = lower.starts_with("http://") || lower.starts_with("https://");
    let git_transport = lower.starts_with("git@") || lower.starts_with("git://") || lower.starts_with("ssh://");
    let git_path = path.trim_end_matches('/').to_ascii_lowercase().ends_with(".git");
    if git_transport || (is_http && git_path) {
        let by_fragment = fragment.is_some_and(|f| is_commit(f.split(':').next().unwrap_or(f)));
        let by_query = query.is_some_and(|q| {
            q.split('&')
                .any(|kv| matches!(kv.split_once('='), Some(("commit" | "checksum" | "ref", v)) if is_commit(v)))
        });
        return AddSource::Git { pinned: by_fragment || by_query };
    }
    if is_http { AddSource::Http } else { AddSource::Local }
}

/// A full SHA-1 or SHA-256 commit hash.
fn is_commit(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl DockerfileRule for AddUrlWithoutChecksum {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.instructions() {
            let (Keyword::Add, Body::Copy { sources, dest, .. }) = (inst.keyword, &inst.body) else { continue };
            if inst.flag("checksum").is_some() {
                continue;
            }
            let dest = dest.as_ref().map(|d| cx.model.expand(cx.df, i, &d.value).value).unwrap_or_default();
            for source in sources {
                let expanded = cx.model.expand(cx.df, i, &source.value);
                if !expanded.is_resolved() {
                    continue;
                }
                let url = expanded.value.trim();
                match classify(url) {
                    AddSource::Http if verified_later(cx, i, &downloaded_name(url, &dest)) => {}
                    AddSource::Http => {
                        cx.report(source.range, format!("ADD downloads `{url}` without `--checksum`: its content is not verified"))
                            .set_help("add `--checksum=sha256:<digest>` (Dockerfile 1.6+), or download it in a RUN and check it with `sha256sum -c`");
                    }
                    AddSource::Git { pinned: false } => {
                        cx.report(source.range, format!("ADD clones `{url}` without pinning a commit: a branch or tag can move"))
                            .set_help("pin the full commit hash: `<repo>.git#<commit>` (or `?commit=<commit>` with Dockerfile 1.18+)");
                    }
                    AddSource::Git { pinned: true } | AddSource::Heredoc | AddSource::Local => {}
                }
            }
        }
    }
}

/// The file name an HTTP download gets: the destination's, or the URL's last path segment
/// when the destination is a directory.
fn downloaded_name(url: &str, dest: &str) -> String {
    let dest = dest.trim();
    if !dest.is_empty() && !dest.ends_with('/') && !dest.ends_with('.') {
        return dest.rsplit('/').next().unwrap_or(dest).to_owned();
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path).to_owned()
}

/// Whether a later RUN of the same stage checks the downloaded file (`sha256sum -c`, `gpg
/// --verify`, `cosign verify-blob`…) by name.
fn verified_later(cx: &Checker<'_>, index: usize, name: &str) -> bool {
    let Some(stage) = cx.stage_of(index) else { return false };
    if name.is_empty() {
        return false;
    }
    (index + 1..stage.end).any(|j| {
        cx.commands(j).iter().any(|c| {
            let verifier = matches!(
                c.program(),
                Some(
                    "sha256sum"
                        | "sha512sum"
                        | "sha384sum"
                        | "sha1sum"
                        | "shasum"
                        | "gpg"
                        | "gpgv"
                        | "cosign"
                        | "minisign"
                        | "signify"
                )
            );
            // `echo "<sum>  file" | sha256sum -c` names the file in the pipeline, not in sha256sum
            verifier
                && cx
                    .commands(j)
                    .iter()
                    .filter(|o| o.pipeline == c.pipeline)
                    .flat_map(|o| o.words.iter())
                    .any(|w| w.value.contains(name))
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{AddSource, AddUrlWithoutChecksum, classify};

    #[test]
    fn fires_on_urls_without_checksum() {
        let text =
            "FROM alpine\nADD https://example.com/tool.tar.gz /opt/\nARG V=1.2\nADD https://example.com/$V/x /x\n";
        let d = assert_fires(&AddUrlWithoutChecksum, text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`https://example.com/tool.tar.gz`"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "https://example.com/tool.tar.gz");
        assert!(d[1].message.contains("`https://example.com/1.2/x`"), "{}", d[1].message);
    }

    #[test]
    fn fires_on_unpinned_git() {
        let d = assert_fires(&AddUrlWithoutChecksum, "FROM alpine\nADD https://github.com/org/repo.git#v1.2.0 /src\n");
        assert!(d[0].message.contains("without pinning a commit"), "{}", d[0].message);
        assert_fires(&AddUrlWithoutChecksum, "FROM alpine\nADD git@github.com:org/repo.git /src\n");
    }

    #[test]
    fn passes_on_checksums_pins_local_and_unresolved() {
        assert_passes(&AddUrlWithoutChecksum, "FROM alpine\nADD --checksum=sha256:abc https://example.com/x /x\n");
        assert_passes(
            &AddUrlWithoutChecksum,
            "FROM alpine\nADD https://github.com/org/repo.git#0123456789abcdef0123456789abcdef01234567:sub /src\n",
        );
        assert_passes(
            &AddUrlWithoutChecksum,
            "FROM alpine\nADD https://github.com/org/repo.git?commit=0123456789abcdef0123456789abcdef01234567 /src\n",
        );
        assert_passes(&AddUrlWithoutChecksum, "FROM alpine\nADD app.tar.gz /opt/\nADD $URL /x\nCOPY https.txt /x\n");
        assert_passes(
            &AddUrlWithoutChecksum,
            "FROM alpine\nADD https://x.org/dl/tool-1.0.tgz /tmp/\nRUN echo \"abc  /tmp/tool-1.0.tgz\" | sha256sum -c -\n",
        );
        assert_passes(
            &AddUrlWithoutChecksum,
            "FROM alpine\nADD https://x.org/dl/t /usr/bin/tool\nADD https://x.org/dl/t.asc /tmp/t.asc\nRUN gpg --verify /tmp/t.asc /usr/bin/tool\n",
        );
    }

    #[test]
    fn classification() {
        assert_eq!(classify("HTTPS://x.org/a"), AddSource::Http);
        assert_eq!(classify("https://x.org/a.git/"), AddSource::Git { pinned: false });
        assert_eq!(classify("ssh://git@x.org/a"), AddSource::Git { pinned: false });
        assert_eq!(classify("./http/x"), AddSource::Local);
        assert_eq!(classify("<<EOF"), AddSource::Heredoc);
    }
}
