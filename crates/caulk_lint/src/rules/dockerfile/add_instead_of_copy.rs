//! DF503: ADD of a local file that is not an archive.

use caulk_core::{Edit, Fix};
use caulk_syntax::dockerfile::{Body, Keyword};

use super::add_url_without_checksum::{AddSource, classify};
use crate::checker::Checker;
use crate::rule::DockerfileRule;

/// Endings of files ADD may unpack: tar archives, plain or compressed (BuildKit sniffs the
/// content, so any compressed file may turn out to be a tarball).
const TAR_ENDINGS: &[&str] =
    &[".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".xz", ".txz", ".zst", ".zstd", ".tzst", ".lzma", ".tlz"];

/// Flags only ADD accepts.
const ADD_ONLY_FLAGS: &[&str] = &["checksum", "keep-git-dir", "unpack"];

declare_rule! {
    /// ## What it does
    /// Checks for `ADD` instructions whose sources are all local files or directories that are
    /// not tar archives.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it downloads URLs and unpacks local tar archives. Using it
    /// for plain files hides which of these the author meant, and a file that turns out to be a
    /// tarball (ADD looks at the content, not the name) is unpacked instead of copied. `COPY`
    /// only copies. Note that `ADD` does not unpack `.zip` files: they are copied as they are.
    ///
    /// Not reported: URLs and Git sources (see DF502), here-documents, local files that may be
    /// tar archives (`.tar`, `.tar.gz`, `.tgz`, `.gz`, `.xz`, `.zst`, …), wildcards that may
    /// match one, and sources with unresolvable variables.
    ///
    /// The fix replaces `ADD` with `COPY`. It is safe for directories and for files with a
    /// non-archive extension, and marked unsafe for files without an extension (one of them
    /// could be a tarball). There is no fix when an ADD-only flag (`--checksum`,
    /// `--keep-git-dir`, `--unpack`) is used.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD requirements.txt /app/
    /// ADD . /app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// COPY requirements.txt /app/
    /// COPY . /app
    /// ```
    ///
    /// ## References
    /// - hadolint DL3020, Trivy AVD-DS-0005, Checkov CKV_DOCKER_4 (Dockle CIS-DI-0009 on images)
    /// - [Docker best practices: ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
    /// - [Dockerfile reference: ADD](https://docs.docker.com/reference/dockerfile/#add)
    pub(crate) struct AddInsteadOfCopy {
        code: "DF503",
        name: "add-instead-of-copy",
        summary: "ADD of a local file that is not an archive",
        severity: Low,
        fix: Sometimes,
        aliases: ["DL3020", "AVD-DS-0005", "CKV_DOCKER_4"],
    }
}

/// How sure we are that a local source is not a tar archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Local {
    /// A directory (`.`, `dir/`) or a file with a non-archive extension.
    Plain,
    /// A file without an extension: most likely plain, but could be a tarball.
    Probably,
    /// A possible tar archive, or a wildcard that may match one.
    MaybeArchive,
}

fn local_kind(path: &str) -> Local {
    let trimmed = path.trim_end_matches('/');
    if path.ends_with('/') || trimmed.is_empty() || matches!(trimmed.rsplit('/').next(), Some("." | "..")) {
        return Local::Plain;
    }
    let name = trimmed.rsplit('/').next().unwrap_or(trimmed).to_ascii_lowercase();
    if TAR_ENDINGS.iter().any(|e| name.ends_with(e)) {
        return Local::MaybeArchive;
    }
    let glob = |s: &str| s.contains(['*', '?', '[']);
    match name.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && !glob(ext) => Local::Plain,
        _ if glob(&name) => Local::MaybeArchive,
        _ => Local::Probably,
    }
}

impl DockerfileRule for AddInsteadOfCopy {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.instructions() {
            let (Keyword::Add, Body::Copy { sources, .. }) = (inst.keyword, &inst.body) else { continue };
            if sources.is_empty() {
                continue;
            }
            let mut kinds = Vec::with_capacity(sources.len());
            let mut names = Vec::with_capacity(sources.len());
            for source in sources {
                let expanded = cx.model.expand(cx.df, i, &source.value);
                let value = expanded.value.trim();
                if !expanded.is_resolved() || classify(value) != AddSource::Local {
                    kinds.clear();
                    break;
                }
                kinds.push(local_kind(value));
                names.push(value.to_owned());
            }
            if kinds.is_empty() || kinds.contains(&Local::MaybeArchive) {
                continue;
            }
            let zip = names.iter().find(|n| n.to_ascii_lowercase().ends_with(".zip"));
            let listed = names.iter().take(3).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let more = if names.len() > 3 { ", …" } else { "" };
            let message = match zip {
                Some(z) => format!("ADD does not extract `{z}`: it is copied as is; use COPY"),
                None if names.len() > 1 => format!("ADD of local {listed}{more}, which are not tar archives: use COPY"),
                None => format!("ADD of local {listed}, which is not a tar archive: use COPY"),
            };
            let copy =
                if inst.keyword_range.slice(cx.text).chars().all(|c| c.is_ascii_lowercase()) { "copy" } else { "COPY" };
            let edits = vec![Edit::replace(inst.keyword_range, copy)];
            let fix = if inst.flags.iter().any(|f| ADD_ONLY_FLAGS.contains(&f.name.value.as_str())) {
                None
            } else if kinds.contains(&Local::Probably) {
                Some(Fix::unsafe_edit(
                    "replace `ADD` with `COPY` (a source without an extension could be a tarball ADD unpacks)",
                    edits,
                ))
            } else {
                Some(Fix::safe("replace `ADD` with `COPY`", edits))
            };
            let d = cx.report(inst.keyword_range, message);
            d.set_help("COPY copies files and directories; keep ADD for URLs and for tar archives it should unpack");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Applicability;
    use caulk_core::diagnostic::apply_edits;

    use super::AddInsteadOfCopy;
    use crate::test::{assert_fires, assert_passes};

    #[test]
    fn fires_with_safe_fix_on_plain_files_and_directories() {
        let text = "FROM python:3.12\nADD requirements.txt . /app/\n";
        let d = assert_fires(&AddInsteadOfCopy, text);
        assert!(d[0].message.contains("`requirements.txt`, `.`"), "{}", d[0].message);
        let fix = d[0].fix.as_ref().unwrap_or_else(|| unreachable!("no fix"));
        assert_eq!(fix.applicability, Applicability::Safe);
        let out = apply_edits(text, &fix.edits).unwrap_or_default();
        assert_eq!(out, "FROM python:3.12\nCOPY requirements.txt . /app/\n");
        assert_passes(&AddInsteadOfCopy, &out);
    }

    #[test]
    fn zip_is_named_and_lowercase_keyword_is_kept() {
        let text = "FROM alpine\nadd --chown=1000 dist.zip /srv/\n";
        let d = assert_fires(&AddInsteadOfCopy, text);
        assert!(d[0].message.contains("does not extract `dist.zip`"), "{}", d[0].message);
        let fix = d[0].fix.as_ref().unwrap_or_else(|| unreachable!("no fix"));
        assert_eq!(apply_edits(text, &fix.edits).as_deref(), Some("FROM alpine\ncopy --chown=1000 dist.zip /srv/\n"));
    }

    #[test]
    fn extensionless_files_get_an_unsafe_fix_and_add_only_flags_none() {
        let d = assert_fires(&AddInsteadOfCopy, "FROM alpine\nADD bin/server /usr/local/bin/\n");
        assert_eq!(d[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let d = assert_fires(&AddInsteadOfCopy, "FROM alpine\nADD --checksum=sha256:x app.py /app/\n");
        assert!(d[0].fix.is_none());
        assert_fires(&AddInsteadOfCopy, "FROM alpine\nONBUILD ADD *.py /app/\n");
    }

    #[test]
    fn passes_on_archives_urls_globs_heredocs_and_variables() {
        assert_passes(
            &AddInsteadOfCopy,
            "FROM alpine\nADD rootfs.tar.xz /\nADD app.tgz vendor.tar /opt/\nADD data.gz /d/\n",
        );
        assert_passes(
            &AddInsteadOfCopy,
            "FROM alpine\nADD https://example.com/a.txt /a\nADD git@github.com:o/r.git /src\n",
        );
        assert_passes(&AddInsteadOfCopy, "FROM alpine\nADD dist/* /srv/\nADD pkgs/*.tar* /p/\nADD $SRC /x\n");
        assert_passes(&AddInsteadOfCopy, "FROM alpine\nADD <<EOF /etc/motd\nhello\nEOF\n");
        assert_passes(&AddInsteadOfCopy, "FROM alpine\nADD app.py https://example.com/x /app/\n");
    }
}
