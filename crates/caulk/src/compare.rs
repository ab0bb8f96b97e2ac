//! `caulk compare A B`: the side-by-side security comparison of two images or two Dockerfiles.
//!
//! Each side is analysed the way `check` (Dockerfiles) or `scan` (images) would; the facts a row
//! needs come from the findings the rules produced plus the parsed Dockerfile or the read image.
//! This module is where the policy lives — which value of an aspect is better, how much an aspect
//! weighs, and how the verdict adds up; caulk_report only renders the result.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use caulk_core::Diagnostic;
use caulk_image::Image;
use caulk_image::tier::TierKind;
use caulk_lint::context::StageContext;
use caulk_lint::{LintSettings, RuleSelector};
use caulk_report::compare::{Change, ComparedTarget, Comparison, ComparisonRow, Verdict};
use caulk_report::text::human_bytes;
use caulk_report::{Counts, VulnScan};
use caulk_syntax::dockerfile::{self, Base, ImageRef, Model, Stage};

use crate::cli::{CompareArgs, CompareFormat};
use crate::vulns::Matcher;
use crate::{discover, image, output, scan, settings};

/// The rules whose findings count as unpinned packages.
const PIN_RULES: &[&str] = &["DF301", "DF302", "DF303", "DF304", "DF305", "DF306", "DF307", "DF308"];

pub(crate) fn run(args: &CompareArgs) -> Result<u8> {
    let a_input = Input::classify(&args.a);
    let b_input = Input::classify(&args.b);
    let first = match &a_input {
        Input::Dockerfile(p) if p.is_file() => p.clone(),
        _ => PathBuf::from("."),
    };
    let settings = settings::resolve(&args.rules, None, &[], None, &first)?;
    let lint = &settings.lint;
    let matcher = if matches!(a_input, Input::Image(_)) || matches!(b_input, Input::Image(_)) {
        Some(Matcher::open(&args.vulns, &lint.today)?)
    } else {
        None
    };
    let reader = image::Reader::new(&args.image);
    let read = |input: &Input| -> Result<Side> {
        match input {
            Input::Dockerfile(path) => {
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
                Ok(Side::dockerfile(&path.display().to_string(), &text, lint))
            }
            Input::Image(reference) => {
                let img =
                    reader.read(reference).map_err(|e| anyhow::anyhow!("cannot read image `{reference}`: {e}"))?;
                let matcher = matcher.as_ref().context("no vulnerability matcher")?;
                Ok(Side::image(reference, &img, matcher, lint))
            }
        }
    };
    let (a, b) = rayon::join(|| read(&a_input), || read(&b_input));
    let a = a.context("A")?;
    let b = b.context("B")?;
    let comparison = compare(&a, &b, lint);
    let text = match args.format {
        CompareFormat::Text => {
            caulk_report::compare::render_text(&comparison, output::use_color(args.color, args.output.is_some()))
        }
        CompareFormat::Json => caulk_report::compare::render_json(&comparison, env!("CARGO_PKG_VERSION")),
        CompareFormat::Markdown => caulk_report::compare::render_markdown(&comparison),
        CompareFormat::Html => caulk_report::html::render_comparison(&comparison, env!("CARGO_PKG_VERSION")),
    };
    output::emit(&text, args.output.as_deref())?;
    Ok(0)
}

/// What the user named: a Dockerfile, or anything `caulk scan` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Input {
    Dockerfile(PathBuf),
    Image(String),
}

impl Input {
    /// A file that is not an archive is a Dockerfile; a missing path named like a Dockerfile is
    /// one too (so the error says the file is missing instead of trying a registry). Everything
    /// else is an image reference.
    fn classify(arg: &str) -> Self {
        let path = Path::new(arg);
        if path.is_file() && !is_archive(path) {
            return Self::Dockerfile(path.to_owned());
        }
        let named_like_one = path.file_name().and_then(|n| n.to_str()).is_some_and(discover::is_dockerfile_name);
        if !path.exists() && named_like_one {
            return Self::Dockerfile(path.to_owned());
        }
        Self::Image(arg.to_owned())
    }
}

/// Whether the file starts like a tar archive, compressed or not (gzip, zstd, bzip2, xz, or a
/// `ustar` header).
fn is_archive(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    let head = &head[..n];
    let magic: [&[u8]; 4] = [b"\x1f\x8b", b"\x28\xb5\x2f\xfd", b"BZh", b"\xfd7zXZ\x00"];
    magic.iter().any(|m| head.starts_with(m)) || head.get(257..262) == Some(b"ustar")
}

/// One side of the comparison, analysed.
struct Side {
    label: String,
    kind: Kind,
    diagnostics: Vec<Diagnostic>,
    facts: Facts,
    /// Vulnerabilities per severity and unrated; `None` when matching did not run.
    vulns: Option<(Counts, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dockerfile,
    Image,
}

impl Kind {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Dockerfile => "dockerfile",
            Self::Image => "image",
        }
    }
}

/// What a side is, beyond its findings. `None` means not known for this side.
#[derive(Debug, Default)]
struct Facts {
    /// Dockerfile: the final stage's base as written, ARGs resolved; image: the OS pretty name.
    base: Option<String>,
    tier: Option<TierKind>,
    /// The runtime user as configured (`None` when nothing sets one).
    user: Option<String>,
    /// `Some(false)`: no health check, or `HEALTHCHECK NONE`.
    healthcheck: Option<bool>,
    /// Whether a CMD or ENTRYPOINT is set at all.
    has_command: bool,
    /// Installed packages by manager or type, sorted.
    installed: Option<Vec<(String, usize)>>,
    /// Findings of the pinning rules, and install commands (in every stage, or in the image's own
    /// build steps); `None` when not known.
    unpinned: Option<(usize, usize)>,
    /// Visible and wasted bytes.
    size: Option<(u64, u64)>,
    setuid: Option<usize>,
    /// Package managers found in the image; `None` for Dockerfiles (DF409 says it).
    package_managers: Option<Vec<String>>,
    /// An image whose vulnerabilities were not matched (no advisory data).
    vulns_skipped: bool,
}

impl Side {
    fn dockerfile(label: &str, text: &str, lint: &LintSettings) -> Self {
        let diagnostics = caulk_lint::check_dockerfile(text, lint).diagnostics;
        let parsed = dockerfile::parse(text);
        let model = Model::new(&parsed.ast, lint.target.as_deref());
        let contexts = StageContext::build(&parsed.ast, &model);
        let final_stage = model.final_stage();
        let cx = final_stage.and_then(|s| contexts.get(s.index));
        let root = final_stage.map(|s| root_stage(s, &model.stages));
        let mut installed: BTreeMap<String, usize> = BTreeMap::new();
        for stage in model.stages.iter().filter(|s| s.shipped) {
            for i in stage.body() {
                for install in caulk_lint::packages::installs(model.commands(i)) {
                    *installed.entry(install.manager.as_str().to_owned()).or_default() += install.packages.len();
                }
            }
        }
        installed.retain(|_, n| *n > 0);
        let has_df401 = diagnostics.iter().any(|d| d.rule.code == "DF401");
        let healthcheck = match cx.and_then(|c| c.healthcheck.as_ref()) {
            Some(h) => Some(!h.value.eq_ignore_ascii_case("NONE")),
            None if has_df401 => Some(false),
            None => None,
        };
        let unpinned = diagnostics.iter().filter(|d| PIN_RULES.contains(&d.rule.code)).count();
        let facts = Facts {
            base: root
                .map(|s| if matches!(s.base, Base::Scratch) { "scratch".to_owned() } else { s.base_text.clone() }),
            tier: root.and_then(|s| base_tier(&s.base)),
            user: cx.and_then(|c| c.user.as_ref()).map(|u| u.value.clone()),
            healthcheck,
            has_command: cx.is_some_and(|c| c.cmd.is_some() || c.entrypoint.is_some()),
            installed: Some(installed.into_iter().collect()),
            unpinned: any_enabled(lint, PIN_RULES)
                .then_some((unpinned, install_commands(&model, parsed.ast.instructions.len()))),
            ..Facts::default()
        };
        Self { label: label.to_owned(), kind: Kind::Dockerfile, diagnostics, facts, vulns: None }
    }

    fn image(label: &str, img: &Image, matcher: &Matcher, lint: &LintSettings) -> Self {
        let (report, _) = scan::analyze(img, matcher, lint);
        let summary = &report.summary;
        let config = &img.config.config;
        let healthcheck = config
            .healthcheck
            .as_ref()
            .and_then(|h| h.test.as_ref())
            .and_then(|t| t.first())
            .is_some_and(|first| !first.eq_ignore_ascii_case("NONE"));
        let managers: Vec<&str> = caulk_image::tier::PACKAGE_MANAGERS
            .iter()
            .copied()
            .filter(|p| !caulk_image::tier::is_busybox_applet(&img.fs, p))
            .collect();
        let managers = caulk_image::tier::present(&img.fs, &managers)
            .iter()
            .map(|p| p.split(" → ").next().unwrap_or(p).rsplit('/').next().unwrap_or(p).to_owned())
            .collect();
        let vulns = matches!(report.vuln_scan, VulnScan::Done { .. }).then(|| report.vuln_counts());
        let facts = Facts {
            base: summary.os.clone(),
            tier: Some(caulk_image::tier::classify(img).kind),
            user: config.user.clone().filter(|u| !u.trim().is_empty()),
            healthcheck: Some(healthcheck),
            has_command: config.cmd.as_ref().is_some_and(|c| !c.is_empty())
                || config.entrypoint.as_ref().is_some_and(|c| !c.is_empty()),
            installed: Some(summary.packages.clone()),
            unpinned: history_unpinned(img, lint),
            size: (img.source_kind != "rootfs" || summary.size_visible > 0)
                .then_some((summary.size_visible, summary.size_wasted)),
            setuid: Some(report.diagnostics.iter().filter(|d| d.rule.code == "IM205").count()),
            package_managers: Some(managers),
            vulns_skipped: vulns.is_none(),
        };
        Self { label: label.to_owned(), kind: Kind::Image, diagnostics: report.diagnostics, facts, vulns }
    }

    fn count(&self, codes: &[&str]) -> usize {
        self.diagnostics.iter().filter(|d| codes.contains(&d.rule.code)).count()
    }

    fn has(&self, codes: &[&str]) -> bool {
        self.count(codes) > 0
    }

    /// The codes of `dockerfile` or `image`, whichever this side is.
    fn codes<'a>(&self, dockerfile: &'a [&'a str], image: &'a [&'a str]) -> &'a [&'a str] {
        match self.kind {
            Kind::Dockerfile => dockerfile,
            Kind::Image => image,
        }
    }

    fn findings(&self) -> Counts {
        let mut c = Counts::default();
        for d in &self.diagnostics {
            c.add(d.severity);
        }
        c
    }

    fn target(&self) -> ComparedTarget {
        ComparedTarget {
            label: self.label.clone(),
            kind: self.kind.as_str(),
            findings: self.findings(),
            vulnerabilities: self.vulns,
        }
    }
}

/// The stage whose base is an image (or scratch): the end of the `FROM <stage>` chain.
fn root_stage<'a>(stage: &'a Stage, stages: &'a [Stage]) -> &'a Stage {
    let mut s = stage;
    for _ in 0..stages.len() {
        match s.base {
            Base::Stage(i) => match stages.get(i) {
                Some(parent) => s = parent,
                None => break,
            },
            _ => break,
        }
    }
    s
}

/// The tier a base image's name and tag promise: `scratch`; distroless (Google distroless,
/// Chainguard, Ubuntu chiseled, UBI micro); Alpine; slim (`-slim`, `minimal`, busybox);
/// otherwise a full distribution. `None` when the reference is not known.
fn base_tier(base: &Base) -> Option<TierKind> {
    let r: &ImageRef = match base {
        Base::Scratch => return Some(TierKind::Scratch),
        Base::Image(r) => r,
        Base::Stage(_) | Base::Unresolved { .. } => return None,
    };
    let tag = r.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let path = r.path.as_str();
    let name = r.name();
    let chainguard = r.registry.as_deref() == Some("cgr.dev") && !tag.contains("-dev");
    Some(
        if path.contains("distroless")
            || chainguard
            || tag.contains("chiseled")
            || name.ends_with("-micro")
            || name == "micro"
        {
            TierKind::Distroless
        } else if name == "alpine" || tag.contains("alpine") {
            TierKind::Alpine
        } else if tag.contains("slim") || name.contains("minimal") || tag.contains("minimal") || name == "busybox" {
            TierKind::Slim
        } else {
            TierKind::Full
        },
    )
}

/// Unpinned installs in the image's own build steps: the RUN instructions recorded in its
/// history after the base image, linted with the pinning rules (DF301–DF308). `None` without a
/// history or when those rules are all disabled; with the number of install commands.
fn history_unpinned(img: &Image, lint: &LintSettings) -> Option<(usize, usize)> {
    let enabled: Vec<RuleSelector> = PIN_RULES
        .iter()
        .filter_map(|c| caulk_lint::find_rule(c))
        .filter(|m| lint.is_enabled(m))
        .map(|m| RuleSelector::Rule(m.code))
        .collect();
    if enabled.is_empty() || img.config.history.is_empty() {
        return None;
    }
    let mut text = String::from("FROM scratch\n");
    for layer in img.layers.iter().filter(|l| !l.base) {
        let Some(body) = layer.instruction.as_deref().and_then(run_body) else { continue };
        if body.contains('\n') {
            let _ = writeln!(text, "RUN <<'CAULK_EOF'\n{body}\nCAULK_EOF");
        } else {
            let _ = writeln!(text, "RUN {body}");
        }
    }
    let settings = LintSettings { select: enabled, ..lint.clone() };
    let unpinned = caulk_lint::check_dockerfile(&text, &settings)
        .diagnostics
        .iter()
        .filter(|d| PIN_RULES.contains(&d.rule.code))
        .count();
    let parsed = dockerfile::parse(&text);
    let model = Model::new(&parsed.ast, None);
    Some((unpinned, install_commands(&model, parsed.ast.instructions.len())))
}

/// Package install commands among the first `instructions` instructions.
fn install_commands(model: &Model, instructions: usize) -> usize {
    (0..instructions).map(|i| caulk_lint::packages::installs(model.commands(i)).len()).sum()
}

/// The shell of a history `RUN` instruction: `RUN /bin/sh -c apt-get …` and BuildKit's
/// `RUN |2 A=b /bin/sh -c …` give `apt-get …`.
fn run_body(instruction: &str) -> Option<&str> {
    let rest = instruction.strip_prefix("RUN ")?.trim_start();
    let rest = if rest.starts_with('|') {
        let at = rest.find("/bin/sh -c ")?;
        rest.get(at..)?
    } else {
        rest
    };
    Some(rest.strip_prefix("/bin/sh -c ").unwrap_or(rest).trim())
}

fn any_enabled(lint: &LintSettings, codes: &[&str]) -> bool {
    codes.iter().filter_map(|c| caulk_lint::find_rule(c)).any(|m| lint.is_enabled(m))
}

/// B against A where a lower key is better.
fn judge<T: Ord>(a: Option<T>, b: Option<T>) -> Change {
    match (a, b) {
        (Some(a), Some(b)) => match b.cmp(&a) {
            Ordering::Less => Change::Better,
            Ordering::Greater => Change::Worse,
            Ordering::Equal => Change::Same,
        },
        _ => Change::Unknown,
    }
}

/// B against A for byte counts: within 5% of the larger is the same.
fn judge_bytes(a: Option<u64>, b: Option<u64>) -> Change {
    match (a, b) {
        (Some(x), Some(y)) if x.abs_diff(y).saturating_mul(20) <= x.max(y) => Change::Same,
        _ => judge(a, b),
    }
}

fn row(aspect: &str, impact: u8, a: String, b: String, change: Change, note: Option<String>) -> ComparisonRow {
    ComparisonRow { aspect: aspect.to_owned(), a, b, change, impact, note }
}

/// `1 critical, 4 high` or `✓ none`.
fn severity_list(c: Counts, extra: Option<(usize, &str)>) -> String {
    let parts: Vec<String> = [
        (c.critical, "critical"),
        (c.high, "high"),
        (c.medium, "medium"),
        (c.low, "low"),
        (c.info, "info"),
        extra.unwrap_or((0, "")),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, s)| format!("{n} {s}"))
    .collect();
    if parts.is_empty() { "✓ none".to_owned() } else { parts.join(", ") }
}

const NOT_BUILT: &str = "not built";
const NOT_CHECKED: &str = "not checked";

/// Judges B against A on every aspect, in the order the seeds' table lists them, then what
/// caulk knows beyond it, and weighs the verdict.
fn compare(a: &Side, b: &Side, lint: &LintSettings) -> Comparison {
    let sides = [a, b];
    let mut rows = Vec::new();
    let either_image = sides.iter().any(|s| s.kind == Kind::Image);
    let either_dockerfile = sides.iter().any(|s| s.kind == Kind::Dockerfile);

    // Base image: EOL first, then tier (fewer parts is better).
    let eol_codes = |s: &Side| s.codes(&["DF101"], &["IM201"]);
    let base = |s: &Side| {
        let name = s.facts.base.clone().unwrap_or_else(|| "unknown".to_owned());
        let mut tags: Vec<&str> = s.facts.tier.map(TierKind::as_str).into_iter().collect();
        if s.has(eol_codes(s)) {
            tags.push("EOL");
        }
        if tags.is_empty() { name } else { format!("{name} ({})", tags.join(", ")) }
    };
    let (a_eol, b_eol) = (a.has(eol_codes(a)), b.has(eol_codes(b)));
    let change = if a_eol == b_eol {
        match judge(a.facts.tier, b.facts.tier) {
            Change::Unknown if a.facts.base.is_some() && a.facts.base == b.facts.base => Change::Same,
            c => c,
        }
    } else {
        judge(Some(a_eol), Some(b_eol))
    };
    rows.push(row(
        "Base image",
        3,
        base(a),
        base(b),
        change,
        Some(
            if either_dockerfile {
                "end of life first, then the tier; a Dockerfile's tier is what its base image's name and tag promise"
            } else {
                "end of life first, then the tier"
            }
            .to_owned(),
        ),
    ));

    // Root SSH: root login > server or password login > port only > nothing.
    let ssh = |s: &Side| -> Option<(u8, String)> {
        let codes = s.codes(&["DF204", "DF205", "DF206", "DF207"], &["IM203", "IM204", "IM104"]);
        if !any_enabled(lint, codes) {
            return None;
        }
        let (root, server, password, port) = match s.kind {
            Kind::Dockerfile => (s.has(&["DF205"]), s.has(&["DF204"]), s.has(&["DF206"]), s.has(&["DF207"])),
            Kind::Image => (s.has(&["IM204"]), s.has(&["IM203"]), false, s.has(&["IM104"])),
        };
        let level = if root {
            3
        } else if server || password {
            2
        } else {
            u8::from(port)
        };
        let parts: Vec<&str> =
            [(root, "root login"), (server, "SSH server"), (password, "password login"), (port, "port exposed")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, p)| *p)
                .collect();
        let text = match level {
            0 => "✓ disabled".to_owned(),
            1 => "✗ remote-shell port exposed".to_owned(),
            _ => format!("✗ enabled ({})", parts.join(", ")),
        };
        Some((level, text))
    };
    let (sa, sb) = (ssh(a), ssh(b));
    rows.push(row(
        "Root SSH",
        3,
        sa.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |s| s.1.clone()),
        sb.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |s| s.1.clone()),
        judge(sa.map(|s| s.0), sb.map(|s| s.0)),
        None,
    ));

    // User privilege: root is worse; the root decision is the rules' (DF201/DF202/IM101).
    let user = |s: &Side| -> Option<(bool, String)> {
        let codes = s.codes(&["DF201", "DF202"], &["IM101"]);
        if !any_enabled(lint, codes) {
            return None;
        }
        let root = s.has(codes);
        let text = match (root, s.facts.user.as_deref()) {
            (true, Some(u)) => format!("✗ root (USER {u})"),
            (true, None) => "✗ root (no USER)".to_owned(),
            (false, Some(u)) => format!("✓ {u} (non-root)"),
            (false, None) => "✓ non-root (the base image's user)".to_owned(),
        };
        Some((root, text))
    };
    let (ua, ub) = (user(a), user(b));
    rows.push(row(
        "User privilege",
        3,
        ua.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |u| u.1.clone()),
        ub.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |u| u.1.clone()),
        judge(ua.map(|u| u.0), ub.map(|u| u.0)),
        None,
    ));

    // Package versions: fewer unpinned installs is better.
    let pins = |s: &Side| match s.facts.unpinned {
        Some((0, 0)) => "✓ no installs".to_owned(),
        Some((0, _)) => "✓ pinned".to_owned(),
        Some((n, _)) => format!("✗ {n} unpinned"),
        None if s.kind == Kind::Image => "unknown (no build history)".to_owned(),
        None => NOT_CHECKED.to_owned(),
    };
    rows.push(row(
        "Package versions",
        2,
        pins(a),
        pins(b),
        judge(a.facts.unpinned.map(|u| u.0), b.facts.unpinned.map(|u| u.0)),
        either_image.then(|| {
            "images: the RUN steps of the image history after the base image, linted with DF301–DF308".to_owned()
        }),
    ));

    // Image size: smaller is better (within 5% is the same).
    let size = |s: &Side| match s.facts.size {
        Some((visible, wasted)) if wasted > 0 => format!("{} ({} wasted)", human_bytes(visible), human_bytes(wasted)),
        Some((visible, _)) => human_bytes(visible),
        None if s.kind == Kind::Dockerfile => NOT_BUILT.to_owned(),
        None => "unknown".to_owned(),
    };
    rows.push(row(
        "Image size",
        2,
        size(a),
        size(b),
        judge_bytes(a.facts.size.map(|s| s.0), b.facts.size.map(|s| s.0)),
        either_dockerfile.then(|| {
            "a Dockerfile is not built, so its size is unknown; the Tier row compares what its base promises".to_owned()
        }),
    ));

    // Installed packages: fewer unnecessary ones first, then fewer packages.
    let unnecessary = |s: &Side| s.count(s.codes(&["DF204", "DF407", "DF408"], &["IM203", "IM214"]));
    let packages = |s: &Side| -> Option<(usize, usize, String)> {
        let by_kind = s.facts.installed.as_ref()?;
        let total: usize = by_kind.iter().map(|(_, n)| n).sum();
        let extra = unnecessary(s);
        let list: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let head = if total == 0 { "none installed".to_owned() } else { format!("{total} ({})", list.join(", ")) };
        let text = match extra {
            0 => format!("✓ {head}, none unnecessary"),
            n => format!("✗ {head}, {n} unnecessary"),
        };
        Some((extra, total, text))
    };
    let (pa, pb) = (packages(a), packages(b));
    rows.push(row(
        "Installed packages",
        2,
        pa.as_ref().map_or_else(|| "unknown".to_owned(), |p| p.2.clone()),
        pb.as_ref().map_or_else(|| "unknown".to_owned(), |p| p.2.clone()),
        if a.kind == b.kind {
            judge(pa.map(|p| (p.0, p.1)), pb.map(|p| (p.0, p.1)))
        } else {
            // a Dockerfile names what it adds, an image lists everything: only the unnecessary compare
            judge(pa.map(|p| p.0), pb.map(|p| p.0))
        },
        either_dockerfile.then(|| {
            let mixed =
                if a.kind == b.kind { "" } else { "; against an image, only the unnecessary ones are compared" };
            format!(
                "Dockerfiles: packages named by install commands in the shipped stages (requirements files not \
                 counted); unnecessary: SSH servers, tools an attacker can use, build toolchains (DF204, DF407, \
                 DF408){mixed}"
            )
        }),
    ));

    // Health check: present is better.
    let health = |s: &Side| match s.facts.healthcheck {
        Some(true) => "✓ included".to_owned(),
        Some(false) => "✗ none".to_owned(),
        None => "not set (the base image's, if any)".to_owned(),
    };
    rows.push(row(
        "Health check",
        1,
        health(a),
        health(b),
        judge(a.facts.healthcheck.map(|h| !h), b.facts.healthcheck.map(|h| !h)),
        None,
    ));

    // CMD form: exec is better than shell form or a `sh -c` wrapper.
    let cmd = |s: &Side| -> (Option<u8>, String) {
        match s.kind {
            Kind::Dockerfile if s.has(&["DF402"]) => (Some(1), "✗ shell form".to_owned()),
            Kind::Dockerfile if s.has(&["DF403"]) => (Some(1), "✗ sh -c wrapper".to_owned()),
            Kind::Image if s.has(&["IM103"]) => (Some(1), "✗ shell (sh -c)".to_owned()),
            _ if !any_enabled(lint, s.codes(&["DF402", "DF403"], &["IM103"])) => (None, NOT_CHECKED.to_owned()),
            _ if s.facts.has_command => (Some(0), "✓ exec form".to_owned()),
            _ => (None, "not set (the base image's)".to_owned()),
        }
    };
    let (ca, cb) = (cmd(a), cmd(b));
    rows.push(row("CMD form", 1, ca.1, cb.1, judge(ca.0, cb.0), None));

    // EOL status: OS and runtimes past end of life.
    let eol = |s: &Side| -> (usize, String) {
        let os = s.count(eol_codes(s));
        let runtimes = s.count(s.codes(&["DF102"], &["IM202"]));
        let mut parts = Vec::new();
        if os > 0 {
            parts.push("OS".to_owned());
        }
        match runtimes {
            0 => {}
            1 => parts.push("runtime".to_owned()),
            n => parts.push(format!("{n} runtimes")),
        }
        let text = if parts.is_empty() {
            "✓ none known".to_owned()
        } else {
            format!("✗ {} past end of life", parts.join(" and "))
        };
        (os.min(1) + runtimes, text)
    };
    let (ea, eb) = (eol(a), eol(b));
    let eol_checked = |s: &Side| any_enabled(lint, s.codes(&["DF101", "DF102"], &["IM201", "IM202"]));
    rows.push(row(
        "EOL status",
        3,
        if eol_checked(a) { ea.1 } else { NOT_CHECKED.to_owned() },
        if eol_checked(b) { eb.1 } else { NOT_CHECKED.to_owned() },
        judge(eol_checked(a).then_some(ea.0), eol_checked(b).then_some(eb.0)),
        None,
    ));

    // Tier: less content is better.
    let tier = |s: &Side| match (s.facts.tier, s.kind) {
        (Some(t), Kind::Dockerfile) => format!("{t} (base tag)"),
        (Some(t), Kind::Image) => t.as_str().to_owned(),
        (None, _) => "unknown".to_owned(),
    };
    rows.push(row("Tier", 2, tier(a), tier(b), judge(a.facts.tier, b.facts.tier), None));

    // setuid/setgid files (images only).
    let setuid = |s: &Side| match s.facts.setuid {
        Some(0) => "✓ none".to_owned(),
        Some(1) => "1 file".to_owned(),
        Some(n) => format!("{n} files"),
        None => NOT_BUILT.to_owned(),
    };
    let setuid_checked = |s: &Side| s.kind == Kind::Dockerfile || any_enabled(lint, &["IM205"]);
    rows.push(row(
        "setuid/setgid files",
        1,
        if setuid_checked(a) { setuid(a) } else { NOT_CHECKED.to_owned() },
        if setuid_checked(b) { setuid(b) } else { NOT_CHECKED.to_owned() },
        judge(a.facts.setuid.filter(|_| setuid_checked(a)), b.facts.setuid.filter(|_| setuid_checked(b))),
        None,
    ));

    // Secrets: fewer is better.
    let secret_codes = |s: &Side| s.codes(&["DF504"], &["IM105", "IM106", "IM209"]);
    let secrets = |s: &Side| -> Option<(usize, String)> {
        if !any_enabled(lint, secret_codes(s)) {
            return None;
        }
        Some(match s.count(secret_codes(s)) {
            0 => (0, "✓ none found".to_owned()),
            n => (n, format!("✗ {n} found")),
        })
    };
    let (xa, xb) = (secrets(a), secrets(b));
    rows.push(row(
        "Secrets",
        3,
        xa.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |x| x.1.clone()),
        xb.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |x| x.1.clone()),
        judge(xa.map(|x| x.0), xb.map(|x| x.0)),
        None,
    ));

    // Package managers left in the final image: fewer is better.
    let managers = |s: &Side| -> Option<(usize, String)> {
        match &s.facts.package_managers {
            Some(m) if m.is_empty() => Some((0, "✓ none".to_owned())),
            Some(m) => Some((m.len(), format!("✗ {}", m.join(", ")))),
            None if !any_enabled(lint, &["DF409"]) => None,
            None if s.has(&["DF409"]) => Some((1, "✗ kept".to_owned())),
            None => Some((0, "✓ none or removed".to_owned())),
        }
    };
    let (ma, mb) = (managers(a), managers(b));
    rows.push(row(
        "Package managers",
        1,
        ma.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |m| m.1.clone()),
        mb.as_ref().map_or_else(|| NOT_CHECKED.to_owned(), |m| m.1.clone()),
        judge(ma.map(|m| m.0), mb.map(|m| m.0)),
        None,
    ));

    // Vulnerabilities: fewer of the most severe first.
    let vulns = |s: &Side| match s.vulns {
        Some((c, unrated)) => severity_list(c, Some((unrated, "unrated"))),
        None => "not matched".to_owned(),
    };
    let vuln_key = |s: &Side| s.vulns.map(|(c, u)| (c.critical, c.high, c.medium, c.low, c.info, u));
    let vuln_note = if either_dockerfile {
        Some("vulnerabilities are matched on images only".to_owned())
    } else if sides.iter().any(|s| s.facts.vulns_skipped) {
        Some("matching did not run (no advisory data): `caulk db update` or `caulk db import` first".to_owned())
    } else {
        None
    };
    rows.push(row("Vulnerabilities", 3, vulns(a), vulns(b), judge(vuln_key(a), vuln_key(b)), vuln_note));

    // Wasted bytes (images only).
    let wasted = |s: &Side| match s.facts.size {
        Some((_, 0)) => "✓ none".to_owned(),
        Some((_, w)) => human_bytes(w),
        None if s.kind == Kind::Dockerfile => NOT_BUILT.to_owned(),
        None => "unknown".to_owned(),
    };
    rows.push(row(
        "Wasted bytes",
        1,
        wasted(a),
        wasted(b),
        judge_bytes(a.facts.size.map(|s| s.1), b.facts.size.map(|s| s.1)),
        None,
    ));

    // Findings: fewer of the most severe first; info does not count against a side.
    let key = |c: Counts| (c.critical, c.high, c.medium, c.low);
    let (fa, fb) = (a.findings(), b.findings());
    rows.push(row(
        "Findings",
        2,
        severity_list(fa, None),
        severity_list(fb, None),
        judge(Some(key(fa)), Some(key(fb))),
        None,
    ));

    let verdict = verdict(&rows);
    Comparison { a: a.target(), b: b.target(), rows, verdict }
}

/// Adds the impacts of the rows where B is better and where it is worse; the heavier side wins.
fn verdict(rows: &[ComparisonRow]) -> Verdict {
    let weigh = |c: Change| -> (usize, u32) {
        let matching = rows.iter().filter(|r| r.change == c);
        (matching.clone().count(), matching.map(|r| u32::from(r.impact)).sum())
    };
    let (better, better_weight) = weigh(Change::Better);
    let (worse, worse_weight) = weigh(Change::Worse);
    let aspects = |n: usize, w: u32| match n {
        0 => "none".to_owned(),
        1 => format!("1 aspect (weight {w})"),
        n => format!("{n} aspects (weight {w})"),
    };
    let tally = format!("better on {}, worse on {}", aspects(better, better_weight), aspects(worse, worse_weight));
    let (change, summary) = match better_weight.cmp(&worse_weight) {
        Ordering::Greater => (Change::Better, format!("B is more secure than A: {tally}.")),
        Ordering::Less => (Change::Worse, format!("B is less secure than A: {tally}.")),
        Ordering::Equal if better + worse == 0 => {
            (Change::Same, "A and B are the same on every aspect caulk could compare.".to_owned())
        }
        Ordering::Equal => (Change::Same, format!("A and B are even: B is {tally}.")),
    };
    Verdict { change, better_weight, worse_weight, summary }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint() -> LintSettings {
        LintSettings::default()
    }

    fn dockerfile(text: &str) -> Side {
        Side::dockerfile("Dockerfile", text, &lint())
    }

    fn change_of(c: &Comparison, aspect: &str) -> Change {
        c.rows.iter().find(|r| r.aspect == aspect).map_or_else(|| panic!("no row {aspect}"), |r| r.change)
    }

    #[test]
    fn base_tiers_from_names_and_tags() {
        let tier = |r: &str| base_tier(&Base::Image(ImageRef::parse(r).unwrap_or_else(|| panic!("{r}"))));
        assert_eq!(tier("ubuntu:18.04"), Some(TierKind::Full));
        assert_eq!(tier("python:3.12-slim"), Some(TierKind::Slim));
        assert_eq!(tier("node:22-alpine"), Some(TierKind::Alpine));
        assert_eq!(tier("alpine:3.20"), Some(TierKind::Alpine));
        assert_eq!(tier("gcr.io/distroless/static-debian12:nonroot"), Some(TierKind::Distroless));
        assert_eq!(tier("cgr.dev/chainguard/python:latest"), Some(TierKind::Distroless));
        assert_eq!(tier("cgr.dev/chainguard/python:latest-dev"), Some(TierKind::Full));
        assert_eq!(tier("registry.access.redhat.com/ubi9/ubi-minimal"), Some(TierKind::Slim));
        assert_eq!(base_tier(&Base::Scratch), Some(TierKind::Scratch));
    }

    #[test]
    fn history_run_bodies() {
        assert_eq!(run_body("RUN /bin/sh -c apt-get install -y curl"), Some("apt-get install -y curl"));
        assert_eq!(run_body("RUN |1 V=2 /bin/sh -c pip install x==$V"), Some("pip install x==$V"));
        assert_eq!(run_body("RUN pip install flask"), Some("pip install flask"));
        assert_eq!(run_body("COPY app.py /app/"), None);
    }

    #[test]
    fn judgements_are_antisymmetric() {
        assert_eq!(judge(Some(2), Some(1)), Change::Better);
        assert_eq!(judge(Some(1), Some(2)), Change::Worse);
        assert_eq!(judge(Some(1), Some(1)), Change::Same);
        assert_eq!(judge(None, Some(1)), Change::Unknown);
        assert_eq!(judge_bytes(Some(1000), Some(1040)), Change::Same);
        assert_eq!(judge_bytes(Some(1040), Some(1000)), Change::Same);
        assert_eq!(judge_bytes(Some(1000), Some(2000)), Change::Worse);
        assert_eq!(judge_bytes(Some(2000), Some(1000)), Change::Better);
    }

    #[test]
    fn stage_chains_resolve_to_the_real_base() {
        let side =
            dockerfile("ARG V=3.20\nFROM alpine:${V} AS base\nRUN true\nFROM base\nUSER 10001\nCMD [\"/app\"]\n");
        assert_eq!(side.facts.base.as_deref(), Some("alpine:3.20"));
        assert_eq!(side.facts.tier, Some(TierKind::Alpine));
        assert_eq!(side.facts.user.as_deref(), Some("10001"));
    }

    #[test]
    fn installs_in_build_stages_do_not_count() {
        let side = dockerfile(
            "FROM python:3.12-slim AS build\nRUN pip install flask==3.0.0 gunicorn==22.0.0\n\
             FROM python:3.12-slim\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10\nUSER 1000\n",
        );
        assert_eq!(side.facts.installed, Some(vec![("apt-get".to_owned(), 1)]));
    }

    #[test]
    fn a_verdict_weighs_impacts() {
        let a = dockerfile("FROM ubuntu:24.04\nHEALTHCHECK CMD [\"/bin/true\"]\nUSER root\nCMD [\"/app\"]\n");
        let b = dockerfile("FROM ubuntu:24.04\nUSER 10001\nCMD [\"/app\"]\n");
        let c = compare(&a, &b, &lint());
        assert_eq!(change_of(&c, "User privilege"), Change::Better);
        assert_eq!(change_of(&c, "Health check"), Change::Worse);
        assert_eq!(c.verdict.change, Change::Better, "{:#?}", c.rows);
        assert!(c.verdict.worse_weight >= 1 && c.verdict.better_weight > c.verdict.worse_weight);
    }

    #[test]
    fn disabled_rules_are_not_guessed() {
        let settings = LintSettings { ignore: vec![RuleSelector::Prefix("DF2".to_owned())], ..lint() };
        let a = Side::dockerfile("a", "FROM ubuntu:24.04\nUSER root\n", &settings);
        let b = Side::dockerfile("b", "FROM ubuntu:24.04\nUSER 10001\n", &settings);
        let c = compare(&a, &b, &settings);
        let user = c.rows.iter().find(|r| r.aspect == "User privilege").expect("row");
        assert_eq!((user.a.as_str(), user.change), (NOT_CHECKED, Change::Unknown));
    }

    #[test]
    fn archives_are_images_and_text_files_are_dockerfiles() {
        let dir = tempfile::tempdir().expect("tempdir");
        let df = dir.path().join("Dockerfile");
        std::fs::write(&df, "FROM scratch\n").expect("write");
        let gz = dir.path().join("image.tar.gz");
        std::fs::write(&gz, b"\x1f\x8b\x08\x00rest").expect("write");
        let arg = |p: &Path| p.display().to_string();
        assert_eq!(Input::classify(&arg(&df)), Input::Dockerfile(df.clone()));
        assert_eq!(Input::classify(&arg(&gz)), Input::Image(arg(&gz)));
        let missing = dir.path().join("missing").join("Dockerfile");
        assert_eq!(Input::classify(&arg(&missing)), Input::Dockerfile(missing.clone()));
        assert_eq!(Input::classify("alpine:3.20"), Input::Image("alpine:3.20".to_owned()));
    }
}
