//! Which files a layer walk keeps in memory or hands to streaming analyzers, decided once per scan.

use caulk_core::Package;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::analyzer::{AnalyzerOutput, FileAnalyzer, StreamAnalyzer};
use crate::issue::ImageIssue;

/// Files image rules read, besides what analyzers need: identity, accounts, SSH, secrets,
/// runtime versions.
pub const RULE_FILES: &[&str] = &[
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/debian_version",
    "/etc/alpine-release",
    "/etc/redhat-release",
    "/etc/passwd",
    "/etc/shadow",
    "/etc/group",
    "/etc/ssh/sshd_config",
    "/etc/ssh/sshd_config.d/*",
    "**/id_rsa",
    "**/id_dsa",
    "**/id_ecdsa",
    "**/id_ed25519",
    "**/*.pem",
    "**/*.key",
    "**/.aws/credentials",
    "**/.npmrc",
    "**/.pypirc",
    "**/.netrc",
    "**/.git-credentials",
    "**/.pgpass",
    "**/.docker/config.json",
    "**/.env",
    "/usr/local/go/VERSION",
    "/usr/lib/go-*/VERSION",
    "/usr/lib/jvm/*/release",
    "/opt/java/*/release",
    "/usr/local/include/node/node_version.h",
    "/usr/include/node/node_version.h",
    "/usr/local/include/php/main/php_version.h",
    "/usr/include/php/*/main/php_version.h",
    "/usr/local/include/ruby-*/ruby/version.h",
    "/usr/local/lib/ruby/*/rubygems.rb",
];

/// The compiled selection: one glob set for kept files, one per file analyzer (which kept files
/// it parses) and one per streaming analyzer. Built once per process (see [`CapturePlan::default_plan`]).
pub struct CapturePlan {
    keep: GlobSet,
    files: Vec<(&'static dyn FileAnalyzer, GlobSet)>,
    streamers: Vec<(&'static dyn StreamAnalyzer, GlobSet)>,
}

static DEFAULT: std::sync::LazyLock<CapturePlan> = std::sync::LazyLock::new(|| {
    CapturePlan::new(crate::analyzers::file_analyzers(), crate::analyzers::stream_analyzers(), RULE_FILES)
});

fn compile(globs: &[&str]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(glob(g));
    }
    b.build().expect("static globs compile")
}

impl std::fmt::Debug for CapturePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturePlan")
            .field("keep", &self.keep.len())
            .field("files", &self.files.len())
            .field("streamers", &self.streamers.len())
            .finish()
    }
}

/// Compiles a glob the way every caulk image glob means it: `*` stays inside one path component.
pub fn glob(pattern: &str) -> Glob {
    GlobBuilder::new(pattern).literal_separator(true).build().unwrap_or_else(|e| panic!("bad glob {pattern}: {e}"))
}

impl CapturePlan {
    pub fn new(files: &[&'static dyn FileAnalyzer], streams: &[&'static dyn StreamAnalyzer], extra: &[&str]) -> Self {
        let mut keep = GlobSetBuilder::new();
        for a in files {
            for g in a.globs().iter().chain(a.companions()) {
                keep.add(glob(g));
            }
        }
        for g in extra {
            keep.add(glob(g));
        }
        let files = files.iter().map(|a| (*a, compile(a.globs()))).collect();
        let streamers = streams.iter().map(|s| (*s, compile(s.globs()))).collect();
        Self { keep: keep.build().expect("static globs compile"), files, streamers }
    }

    /// Every analyzer and rule file caulk knows, compiled on first use.
    pub fn default_plan() -> &'static Self {
        &DEFAULT
    }

    /// The file analyzers that parse the kept file `path`.
    pub fn file_analyzers_for<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'static dyn FileAnalyzer> + 'a {
        self.files.iter().filter(move |(_, g)| g.is_match(path)).map(|(a, _)| *a)
    }

    /// True when the bytes of `path` are kept for analyzers or rules.
    pub fn keeps(&self, path: &str) -> bool {
        self.keep.is_match(path)
    }

    /// True when some streaming analyzer may want this file.
    pub fn streams(&self, path: &str, mode: u32) -> bool {
        self.streamers.iter().any(|(s, g)| Self::candidate(*s, g, path, mode))
    }

    fn candidate(s: &dyn StreamAnalyzer, globs: &GlobSet, path: &str, mode: u32) -> bool {
        (s.executables() && mode & 0o111 != 0) || (!globs.is_empty() && globs.is_match(path))
    }

    /// True when a candidate's first bytes interest some streaming analyzer.
    pub fn stream_wants(&self, path: &str, mode: u32, head: &[u8]) -> bool {
        self.streamers.iter().any(|(s, g)| Self::candidate(*s, g, path, mode) && s.wants(head))
    }

    /// Runs every interested streaming analyzer over a buffered file.
    pub fn run_streaming(
        &self,
        path: &str,
        mode: u32,
        layer: u32,
        content: &[u8],
        packages: &mut Vec<Package>,
        issues: &mut Vec<ImageIssue>,
    ) {
        for (s, g) in &self.streamers {
            if Self::candidate(*s, g, path, mode) && s.wants(content.get(..8).unwrap_or(content)) {
                let mut out = AnalyzerOutput::default();
                s.analyze(path, content, layer, &mut out);
                packages.append(&mut out.packages);
                issues.append(&mut out.issues);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_absolute_paths() {
        let plan = CapturePlan::new(&[], &[], &["/etc/passwd", "**/*.dist-info/METADATA", "/etc/ssh/sshd_config.d/*"]);
        assert!(plan.keeps("/etc/passwd"));
        assert!(plan.keeps("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"));
        assert!(plan.keeps("/etc/ssh/sshd_config.d/10-root.conf"));
        assert!(!plan.keeps("/etc/ssh/sshd_config.d/a/b.conf"));
        assert!(!plan.keeps("/etc/passwd-"));
    }
}
