//! The command line: clap definitions only; everything is resolved into `Settings` elsewhere.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// caulk: finds what is insecure in what you ship in containers, says why, and how to fix it.
#[derive(Debug, Parser)]
#[command(name = "caulk", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Lint Dockerfiles, docker-compose files and nginx configurations (default: the current directory, walked).
    Check(CheckArgs),
    /// Analyze container images: configuration, filesystem, packages, end of life, tier and size.
    ///
    /// IMAGE is a `docker save` tarball (plain or gzip), an OCI layout directory, `oci-archive:FILE`,
    /// `dir:ROOTFS`, `docker-daemon:NAME[:TAG]`, or a registry reference (`host[:port]/repo:tag`,
    /// `repo@sha256:…`, `docker://…`).
    Scan(ScanArgs),
    /// Write an image's package inventory as an SBOM (CycloneDX 1.6 or SPDX 2.3 JSON).
    Sbom(SbomArgs),
    /// Manage the vulnerability advisory store: download, import offline copies, show what is loaded.
    Db(DbArgs),
    /// Compare the security of two images or two Dockerfiles side by side, aspect by aspect.
    ///
    /// A and B are Dockerfiles (paths to files) or images (any form `caulk scan` takes). Each row
    /// says whether B is better, worse or the same as A; the verdict weighs the rows by impact.
    Compare(CompareArgs),
    /// Apply fixes to Dockerfiles in place (safe fixes only unless --unsafe-fixes), or rewrite
    /// them into a hardened, distroless or scratch tier with --tier.
    Fix(FixArgs),
    /// List every rule with its code, severity and aliases.
    Rules(RulesArgs),
    /// Print a rule's documentation (a code, name or alias such as DL3008).
    Explain {
        /// Rule code, name or alias.
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Sarif,
    Checkstyle,
    Gitlab,
    Github,
    /// A security analysis document: summary, findings by severity, remediation, before/after.
    Markdown,
    /// One self-contained HTML page (inline CSS and SVG charts, no network).
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Kind {
    Dockerfile,
    Compose,
    Nginx,
}

/// Rule selection and configuration, shared by every command that runs rules.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct RuleOpts {
    /// Only run these rules: codes (DF301), prefixes (DF3), names or aliases (DL3008). Comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never run these rules (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Configuration file (default: `.caulk.toml` found upward from the first path, or from the current directory for
    /// images; `.hadolint.yaml` is read too).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub isolated: bool,
}

/// Where a report goes and when the run fails, shared by `check` and `scan`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ReportOpts {
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity (default: high, or the config's `fail-on`).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Colour in text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// Options shared by commands that lint files.
#[derive(Debug, Args, Clone)]
pub(crate) struct LintOpts {
    #[command(flatten)]
    pub rules: RuleOpts,
    /// Build stage to check as the shipped one (like `docker build --target`).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Treat named files as this kind instead of guessing from name and content.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// nginx prefix (`nginx -p`) for resolving relative `include` paths (default: the including file's directory).
    #[arg(long, value_name = "DIR")]
    pub nginx_prefix: Option<PathBuf>,
    /// Skip paths matching this glob while walking directories (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Files or directories to check.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub lint: LintOpts,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub report: ReportOpts,
    /// Compose files that make one project, merged in order like `docker compose -f a -f b`
    /// (repeatable). Without PATHs only this project is checked.
    #[arg(long = "compose-file", value_name = "FILE")]
    pub compose_files: Vec<PathBuf>,
    /// Check only the compose services these profiles enable, with those that have no profile
    /// (repeatable or comma-separated; `*` for all). Default: `COMPOSE_PROFILES` from the
    /// environment or `.env`, else every service.
    #[arg(long = "profile", value_name = "NAME", value_delimiter = ',')]
    pub profiles: Vec<String>,
    /// Accepted for compatibility with other commands; `check` shows no progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Accepted for symmetry with `scan`: `check` never uses the network.
    #[arg(long)]
    pub offline: bool,
}

/// How to reach images (shared by `scan` and `sbom`).
#[derive(Debug, Args, Clone)]
pub(crate) struct ImageOpts {
    /// Platform to pick from a multi-platform image (os/arch[/variant]; default linux/amd64).
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,
    /// Registry (host:port, loopback only) to reach over plain HTTP (repeatable).
    #[arg(long, value_name = "HOST:PORT")]
    pub insecure_registry: Vec<String>,
    /// No progress bar on standard error.
    #[arg(long)]
    pub no_progress: bool,
    /// Never use the network: registry references are refused (archives, layouts, the local
    /// Docker daemon and root filesystems still work).
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScanFormat {
    Text,
    Json,
    Sarif,
    /// A security analysis document: summary, findings by severity, remediation, vulnerabilities.
    Markdown,
    /// One self-contained HTML page (inline CSS and SVG charts, no network).
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CompareFormat {
    Text,
    Json,
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The baseline: a Dockerfile or an image.
    #[arg(value_name = "A")]
    pub a: String,
    /// The candidate compared with A: a Dockerfile or an image.
    #[arg(value_name = "B")]
    pub b: String,
    #[command(flatten)]
    pub image: ImageOpts,
    #[command(flatten)]
    pub rules: RuleOpts,
    #[command(flatten)]
    pub vulns: VulnOpts,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CompareFormat,
    /// Write the comparison to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Colour in text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Images to scan.
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    #[command(flatten)]
    pub image: ImageOpts,
    #[command(flatten)]
    pub rules: RuleOpts,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ScanFormat,
    #[command(flatten)]
    pub report: ReportOpts,
    #[command(flatten)]
    pub vulns: VulnOpts,
}

/// Vulnerability matching options (shared by `scan` and `sbom`).
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct VulnOpts {
    /// Advisory store to match against (default: `$CAULK_CACHE_DIR/advisories.db`, else the user cache dir).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Only report vulnerabilities of these severities (comma-separated: critical,high,medium,low,info,unknown).
    #[arg(long, value_delimiter = ',', value_name = "SEVERITY")]
    pub severity: Vec<String>,
    /// Hide vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// Ignore file: `ID [until=YYYY-MM-DD] [pkg=NAME] # reason` per line (default: `.caulkignore` in the current directory).
    #[arg(long, value_name = "FILE")]
    pub ignorefile: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SbomFormat {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    Spdx,
}

#[derive(Debug, Args)]
pub(crate) struct SbomArgs {
    /// The image (same forms as `caulk scan`).
    #[arg(value_name = "IMAGE")]
    pub image_ref: String,
    #[command(flatten)]
    pub image: ImageOpts,
    /// SBOM format.
    #[arg(long, value_enum, default_value = "cyclonedx")]
    pub format: SbomFormat,
    /// Write the SBOM to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Advisory store whose matches go into CycloneDX `vulnerabilities` (default: the cache's, when present).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
    /// The advisory store (default: `$CAULK_CACHE_DIR/advisories.db`, else the user cache dir).
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Download osv.dev's per-ecosystem exports and rebuild the store (atomically; resumable).
    Update(DbUpdateArgs),
    /// Import offline advisory files: OSV JSON (files, directories, `.zip`, `.tar.gz`), Alpine
    /// secdb JSON, Node.js security WG JSON. Re-importing a path replaces its earlier import.
    Import {
        /// Files, directories or archives.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Show what is loaded, from where, and how old it is.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
}

#[derive(Debug, Args)]
pub(crate) struct DbUpdateArgs {
    /// Ecosystems to download (repeatable or comma-separated: `Debian`, `Alpine`, `PyPI`, `npm`, …;
    /// default: those already downloaded, else a standard set).
    #[arg(long, value_delimiter = ',', value_name = "NAME")]
    pub ecosystem: Vec<String>,
    /// Where the exports are (default: osv.dev's bucket, or `[db] base-url` in `.caulk.toml`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// No progress bar on standard error.
    #[arg(long)]
    pub no_progress: bool,
    /// Configuration file (default: `.caulk.toml` found upward from the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct FixArgs {
    /// Dockerfiles to fix (directories are walked).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub lint: LintOpts,
    /// Print a unified diff instead of writing files.
    #[arg(long)]
    pub diff: bool,
    /// Also apply fixes that may change behaviour.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Pin installed packages to the versions this image contains (any form `caulk scan` takes);
    /// an unsafe fix, applied with --unsafe-fixes.
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    #[command(flatten)]
    pub image_opts: ImageOpts,
    /// Rewrite each Dockerfile into this tier, written beside it as `Dockerfile.<tier>` (or shown with --diff).
    #[arg(long, value_enum)]
    pub tier: Option<Tier>,
}

/// The hardened tiers `caulk fix --tier` rewrites a Dockerfile into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Tier {
    /// Slim or Alpine base, non-root user, health check, pinned and cleaned installs.
    Hardened,
    /// Multi-stage build whose runtime stage is a distroless image fitting the language, numeric non-root user.
    Distroless,
    /// A static binary alone on `scratch`, when the program allows it (otherwise caulk says why not).
    Scratch,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Only rules for this kind of target.
    #[arg(long, value_enum)]
    pub target: Option<RuleTarget>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RuleTarget {
    Dockerfile,
    Compose,
    Nginx,
    Image,
}
