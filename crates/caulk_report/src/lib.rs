//! One report model for every output format: caulk_lint decides what is wrong and caulk_vuln
//! which packages are vulnerable; this crate only says it, in text, JSON, SARIF 2.1.0,
//! Checkstyle, GitLab Code Quality, GitHub annotations, CycloneDX and SPDX.

pub mod checkstyle;
pub mod compare;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod sbom;
pub mod text;

use caulk_core::{Diagnostic, RuleMeta, Severity, SourceFile, TargetKind, VulnFinding};

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
    /// Where the advisories that vulnerability matching used came from (empty when it did not run).
    pub advisory_data: Vec<AdvisoryData>,
    /// Dockerfiles as caulk would rewrite them (filled only for the formats that show a before/after).
    pub fix_previews: Vec<FixPreview>,
}

/// A Dockerfile before and after `caulk fix --unsafe-fixes`, for the reports that show both.
#[derive(Debug, Clone, Default)]
pub struct FixPreview {
    /// The file's display path.
    pub path: String,
    pub before: String,
    pub after: String,
    /// Fixes applied to get from `before` to `after`.
    pub applied: usize,
}

/// One import recorded in the advisory store, printed with every report that matched against it.
#[derive(Debug, Clone, Default)]
pub struct AdvisoryData {
    /// The file, directory or URL imported.
    pub location: String,
    /// RFC 3339, UTC.
    pub imported_at: String,
    pub records: usize,
}

/// Whether vulnerability matching ran on an image, and what it could not check.
#[derive(Debug, Clone, Default)]
pub enum VulnScan {
    /// Not asked for (`caulk check`, or a report built without images).
    #[default]
    NotRun,
    /// Matching could not run; every other check did.
    Skipped { reason: String },
    Done {
        /// Packages looked up in the advisory store.
        packages_checked: usize,
        /// Packages of ecosystems caulk cannot match (no ordering or no advisory name).
        packages_unsupported: usize,
        /// Findings dropped by `.caulkignore`.
        ignored: usize,
        /// Findings hidden by `--severity` or `--ignore-unfixed`.
        filtered: usize,
    },
}

/// The findings and facts of one image.
#[derive(Debug, Default)]
pub struct ImageReport {
    pub summary: ImageSummary,
    /// Sorted by path, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Known vulnerabilities of the image's packages, after `--severity`, `--ignore-unfixed` and
    /// `.caulkignore`; sorted by package, then id.
    pub vulnerabilities: Vec<VulnFinding>,
    pub vuln_scan: VulnScan,
}

impl ImageReport {
    /// Counts of vulnerabilities per severity; unrated ones are counted apart.
    pub fn vuln_counts(&self) -> (Counts, usize) {
        let mut c = Counts::default();
        let mut unrated = 0;
        for v in &self.vulnerabilities {
            match v.severity {
                Some(s) => c.add(s),
                None => unrated += 1,
            }
        }
        (c, unrated)
    }
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

    /// Adds another set of counts to this one.
    pub fn merge(&mut self, other: Counts) {
        self.critical += other.critical;
        self.high += other.high;
        self.medium += other.medium;
        self.low += other.low;
        self.info += other.info;
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
            i.vulnerabilities.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        self.advisory_data.sort_by(|a, b| a.location.cmp(&b.location));
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

    /// The most severe finding or rated vulnerability, if any. Unrated vulnerabilities count
    /// as `info`, so `--fail-on info` still fails on them.
    pub fn max_severity(&self) -> Option<Severity> {
        let vulns = self.all_vulnerabilities().map(|v| v.severity.unwrap_or(Severity::Info));
        self.all_diagnostics().map(|d| d.severity).chain(vulns).max()
    }

    /// Vulnerabilities of every image per severity, and the unrated ones apart.
    pub fn vuln_counts(&self) -> (Counts, usize) {
        let mut all = Counts::default();
        let mut unrated = 0;
        for i in &self.images {
            let (c, u) = i.vuln_counts();
            all.merge(c);
            unrated += u;
        }
        (all, unrated)
    }

    /// Every vulnerability of every image.
    pub fn all_vulnerabilities(&self) -> impl Iterator<Item = &VulnFinding> {
        self.images.iter().flat_map(|i| &i.vulnerabilities)
    }

    pub fn suppressed(&self) -> usize {
        self.files.iter().map(|f| f.suppressed).sum()
    }
}
