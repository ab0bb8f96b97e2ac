//! The two kinds of package analyzers and what they exchange with the image reader.
//!
//! A [`FileAnalyzer`] parses small metadata files (a dpkg status file, a `METADATA`) after the
//! layers are merged, so it sees only what survives. A [`StreamAnalyzer`] looks at files whose
//! bytes are not worth keeping (binaries, Java archives) while their layer streams by, and keeps
//! only the packages it finds.

use caulk_core::{Distro, Package};

use crate::fs::MergedFs;
use crate::issue::ImageIssue;

/// One kept file handed to a [`FileAnalyzer`].
#[derive(Clone, Copy, Debug)]
pub struct AnalyzerInput<'a> {
    /// Absolute path inside the image.
    pub path: &'a str,
    pub content: &'a [u8],
    /// The layer that last wrote `path` (`None` for a root filesystem directory).
    pub layer: Option<u32>,
    /// The whole merged filesystem, for companion files (dpkg `*.list`, rpm databases).
    pub fs: &'a MergedFs,
    /// The operating system, from os-release, when known.
    pub distro: Option<&'a Distro>,
}

/// What analyzers report.
#[derive(Debug, Default)]
pub struct AnalyzerOutput {
    pub packages: Vec<Package>,
    /// Absolute paths installed by the OS package manager; language packages recorded in these
    /// files are not reported a second time.
    pub owned_files: Vec<String>,
    pub issues: Vec<ImageIssue>,
}

/// Parses package metadata files selected by path.
pub trait FileAnalyzer: Sync {
    /// Short, stable name recorded as evidence (`dpkg`, `python`).
    fn name(&self) -> &'static str;
    /// Globs over absolute paths of the files to parse (`/var/lib/dpkg/status`, `**/*.dist-info/METADATA`).
    fn globs(&self) -> &'static [&'static str];
    /// Other files read through [`AnalyzerInput::fs`]; kept but not passed to `analyze`.
    fn companions(&self) -> &'static [&'static str] {
        &[]
    }
    fn analyze(&self, input: &AnalyzerInput<'_>, out: &mut AnalyzerOutput);
}

/// Reads packages from files as their layer streams by.
pub trait StreamAnalyzer: Sync {
    fn name(&self) -> &'static str;
    /// Globs over absolute paths of candidate files (`**/*.jar`).
    fn globs(&self) -> &'static [&'static str] {
        &[]
    }
    /// True when every file with an execute bit is a candidate (binaries).
    fn executables(&self) -> bool {
        false
    }
    /// Decides from the first (up to 8) bytes whether a candidate is worth buffering.
    fn wants(&self, head: &[u8]) -> bool;
    /// Parses one file; `layer` goes into the packages' evidence.
    fn analyze(&self, path: &str, content: &[u8], layer: u32, out: &mut AnalyzerOutput);
}
