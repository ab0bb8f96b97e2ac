//! One report model for every output format: caulk_lint decides what is wrong, this crate only
//! says it, in text, JSON, SARIF 2.1.0, Checkstyle, GitLab Code Quality or GitHub annotations.

pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod sbom;
pub mod text;

use caulk_core::{Diagnostic, RuleMeta, Severity, SourceFile, TargetKind};

/// What one run found, ready to render. Files are sorted by path; findings by position.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    /// Targets that could not be read at all.
    pub errors: Vec<TargetError>,
    /// Every rule known to this build (SARIF lists them as the driver's rules).
    pub rules: Vec<&'static RuleMeta>,
    /// Container images scanned, with their findings (located by layer and path).
    pub images: Vec<ImageReport>,
}

/// The findings and facts of one image.
#[derive(Debug, Default)]
pub struct ImageReport {
    pub summary: ImageSummary,
    /// Sorted by path, then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// What an image is, for the header of its section in every format.
#[derive(Debug, Default, Clone)]
pub struct ImageSummary {
    /// The reference as the user gave it.
    pub reference: String,
    /// `docker-archive`, `oci-layout`, `oci-archive`, `rootfs`, `docker-daemon`, `registry`.
    pub source_kind: &'static str,
    pub manifest_digest: Option<String>,
    pub config_digest: Option<String>,
    /// `os/architecture[/variant]`.
    pub platform: Option<String>,
    /// The OS's pretty name (`Debian GNU/Linux 12 (bookworm)`).
    pub os: Option<String>,
    /// `full`, `slim`, `alpine`, `distroless`, `scratch`, `static-binary`.
    pub tier: Option<String>,
    pub layers: Vec<LayerSummary>,
    /// Bytes of regular files across all layers, visible in the final filesystem, and wasted.
    pub size_total: u64,
    pub size_visible: u64,
    pub size_wasted: u64,
    /// Package counts by type (`deb`, `python`, …), sorted by type.
    pub packages: Vec<(String, usize)>,
}

/// One layer in an image summary.
#[derive(Debug, Default, Clone)]
pub struct LayerSummary {
    pub digest: Option<String>,
    pub instruction: Option<String>,
    /// Bytes of the layer's tar stream.
    pub size: u64,
    /// True for base-image layers.
    pub base: bool,
}

/// The findings of one file.
#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub kind: TargetKind,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings dropped by suppressions.
    pub suppressed: usize,
}

/// A target that could not be read.
#[derive(Debug, Clone)]
pub struct TargetError {
    pub path: String,
    pub message: String,
}

/// Counts of findings per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl Counts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

impl Report {
    /// Sorts files by path and findings by (range, code, message): the one sort every format shares.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.source.path().cmp(b.source.path()));
        for f in &mut self.files {
            f.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
        self.images.sort_by(|a, b| a.summary.reference.cmp(&b.summary.reference));
        for i in &mut self.images {
            i.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        self.rules.sort_by_key(|r| r.code);
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.all_diagnostics() {
            c.add(d.severity);
        }
        c
    }

    /// Every finding, files first, then images.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| &f.diagnostics).chain(self.images.iter().flat_map(|i| &i.diagnostics))
    }

    /// The most severe finding, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.all_diagnostics().map(|d| d.severity).max()
    }

    pub fn suppressed(&self) -> usize {
        self.files.iter().map(|f| f.suppressed).sum()
    }
}
