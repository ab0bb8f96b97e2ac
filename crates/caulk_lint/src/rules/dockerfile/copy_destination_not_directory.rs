//! DF610: COPY of several sources to a destination without a trailing slash.

use caulk_syntax::dockerfile::{Body, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `COPY` and `ADD` instructions with more than one source whose destination, after
    /// variable expansion, does not end with `/` (or is not `.`).
    ///
    /// ## Why is this bad?
    /// With several sources the destination must be a directory. The classic builder refuses
    /// the instruction ("When using COPY with more than one source file, the destination must
    /// be a directory and end with a /"). BuildKit accepts it, and the result then depends on
    /// the image: into an existing directory the files are copied as intended, but when the
    /// path does not exist each source is written to that same path, and only the last one is
    /// left.
    ///
    /// A single wildcard source (`COPY target/*.jar app.jar`) is not reported: it is the usual
    /// way to copy one file whose name is not known in advance. Heredoc sources and
    /// destinations with unresolvable variables are not reported either.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY package.json package-lock.json /app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## References
    /// - hadolint DL3021, Trivy AVD-DS-0011
    /// - [Dockerfile reference: COPY](https://docs.docker.com/reference/dockerfile/#copy)
    pub(crate) struct CopyDestinationNotDirectory {
        code: "DF610",
        name: "copy-destination-not-directory",
        summary: "COPY of several sources to a destination without a trailing slash",
        severity: Medium,
        fix: None,
        aliases: ["DL3021", "AVD-DS-0011"],
    }
}

impl DockerfileRule for CopyDestinationNotDirectory {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.instructions() {
            let Body::Copy { sources, dest: Some(dest), .. } = &inst.body else { continue };
            if sources.len() < 2 || sources.iter().any(|s| s.value.starts_with("<<")) {
                continue;
            }
            let expanded = cx.model.expand(cx.df, i, &dest.value);
            let value = expanded.value.trim();
            if !expanded.is_resolved() || value.is_empty() || is_directory_form(value) {
                continue;
            }
            let kw = if inst.keyword == Keyword::Add { "ADD" } else { "COPY" };
            let n = sources.len();
            cx.report(dest.range, format!("{kw} has {n} sources, but destination `{value}` does not end with `/`"))
                .set_help(format!("make the destination a directory: `{value}/`"));
        }
    }
}

/// Destinations the builder treats as directories: a trailing `/` (or `\` on Windows), `.`, `..`.
fn is_directory_form(dest: &str) -> bool {
    dest.ends_with('/')
        || dest.ends_with('\\')
        || matches!(dest, "." | "..")
        || dest.ends_with("/.")
        || dest.ends_with("/..")
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::CopyDestinationNotDirectory;

    #[test]
    fn fires_on_several_sources() {
        let text = "FROM node:22\nCOPY package.json package-lock.json /app\nADD [\"a\", \"b\", \"/srv/x\"]\n";
        let d = assert_fires(&CopyDestinationNotDirectory, text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("2 sources") && d[0].message.contains("`/app`"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "/app");
        assert!(d[1].message.starts_with("ADD has 2 sources"), "{}", d[1].message);
    }

    #[test]
    fn fires_through_variables() {
        assert_fires(&CopyDestinationNotDirectory, "FROM node:22\nENV APP=/app\nCOPY a b $APP\n");
    }

    #[test]
    fn passes_on_directories_single_sources_and_oddities() {
        assert_passes(
            &CopyDestinationNotDirectory,
            "FROM node:22\nCOPY a b /app/\nCOPY a b .\nCOPY a b ./\nCOPY [\"a\", \"b\", \"/x/\"]\n",
        );
        assert_passes(
            &CopyDestinationNotDirectory,
            "FROM node:22\nCOPY target/*.jar app.jar\nCOPY a /app\nCOPY a b $UNSET\n",
        );
        assert_passes(&CopyDestinationNotDirectory, "FROM node:22\nCOPY <<A <<B /etc/x\nx\nA\ny\nB\n");
        assert_passes(&CopyDestinationNotDirectory, "FROM node:22\nENV APP=/app/\nCOPY a b $APP\n");
    }
}
