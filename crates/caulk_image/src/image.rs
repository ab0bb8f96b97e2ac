//! Reading a whole image: source → plan → layers streamed in parallel → merged filesystem →
//! OS identity → package inventory, with every problem kept as an issue.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use caulk_core::{Distro, Package};
use rayon::prelude::*;

use crate::analyzer::{AnalyzerInput, AnalyzerOutput};
use crate::capture::CapturePlan;
use crate::config::{ImageConfig, instruction_text};
use crate::error::SourceError;
use crate::fs::MergedFs;
use crate::issue::{ImageIssue, IssueKind};
use crate::layer::{Compression, LayerIndex, read_layer};
use crate::limits::Limits;
use crate::manifest::{Plan, Platform, resolve};
use crate::os_release::OsRelease;
use crate::reference::ImageRef;
use crate::source::daemon::DaemonOptions;
use crate::source::registry::RegistryOptions;
use crate::source::{LayerOpener, Progress, Reporting, archive, daemon, layout, registry, rootfs};

/// How to read images.
#[derive(Default)]
pub struct ReadOptions<'a> {
    /// `--platform`; `None` means linux/amd64 unless the image has a single platform.
    pub platform: Option<Platform>,
    pub limits: Limits,
    pub registry: RegistryOptions,
    /// Where `docker-daemon:` images come from.
    pub daemon: DaemonOptions,
    pub progress: Option<&'a dyn Progress>,
}

/// One layer of the image as reports show it.
#[derive(Clone, Debug, Default)]
pub struct LayerInfo {
    pub digest: Option<String>,
    pub media_type: Option<String>,
    pub compression: Option<Compression>,
    /// Bytes as stored (compressed).
    pub stored_size: u64,
    /// Bytes of the tar stream.
    pub size: u64,
    /// Regular-file bytes the layer adds, and lower-layer bytes it hides (wasted space).
    pub added: u64,
    pub wasted_below: u64,
    pub entries: usize,
    /// The instruction that made the layer, from the image history (`RUN apt-get …`).
    pub instruction: Option<String>,
    /// True for layers inherited from the base image.
    pub base: bool,
}

/// Size figures, dive-style.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SizeStats {
    /// Bytes of regular files across all layers.
    pub total: u64,
    /// Bytes visible in the final filesystem.
    pub visible: u64,
    /// Bytes written by one layer and hidden or deleted by a later one.
    pub wasted: u64,
    /// `visible / total` (1.0 when nothing is wasted).
    pub efficiency: f64,
}

/// A fully read image.
#[derive(Debug)]
pub struct Image {
    /// The reference as the user gave it.
    pub reference: String,
    /// `docker-archive`, `oci-layout`, `oci-archive`, `rootfs`, `docker-daemon`, `registry`.
    pub source_kind: &'static str,
    pub manifest_digest: Option<String>,
    pub config_digest: Option<String>,
    pub tags: Vec<String>,
    pub config: ImageConfig,
    pub layers: Vec<LayerInfo>,
    pub fs: MergedFs,
    pub os: Option<OsRelease>,
    pub packages: Vec<Package>,
    pub issues: Vec<ImageIssue>,
    pub size: SizeStats,
}

impl Image {
    /// The layer that introduced `path`, with its instruction, for findings.
    pub fn layer_of(&self, path: &str) -> Option<(u32, &LayerInfo)> {
        let node = self.fs.lstat(path)?;
        self.layers.get(node.layer as usize).map(|l| (node.layer, l))
    }

    /// The distribution, for purls and advisory ecosystems.
    pub fn distro(&self) -> Option<Distro> {
        self.os.as_ref().map(OsRelease::distro)
    }
}

/// Reads the image `arg` names (see [`ImageRef::parse`]).
pub fn read_image(arg: &str, options: &ReadOptions<'_>) -> Result<Image, SourceError> {
    let reference = ImageRef::parse(arg);
    let plan = CapturePlan::default_plan();
    let limits = &options.limits;
    let explicit = options.platform.is_some();
    let platform = options.platform.clone().unwrap_or_default();
    let (meta, indexes, mut issues): Loaded = match &reference {
        ImageRef::Rootfs(path) => (None, vec![rootfs::read(path, plan, limits)?], Vec::new()),
        ImageRef::OciLayout { path, tag } => {
            let store = layout::DirStore::new(path, limits.json);
            let p = resolve(&store, &platform, explicit, tag.as_deref())?;
            let layers = read_parallel(&p, &store, plan, options)?;
            (Some(p), layers, Vec::new())
        }
        ImageRef::Archive { path, tag } => {
            if archive::is_compressed(path)? {
                let file = std::fs::File::open(path).map_err(|e| SourceError::io(path.display(), e))?;
                if let Some(p) = options.progress {
                    p.add_total(file.metadata().map_or(0, |m| m.len()));
                }
                let reader = Reporting { inner: file, progress: options.progress };
                from_stream(reader, &path.display().to_string(), &platform, explicit, tag.as_deref(), plan, limits)?
            } else {
                let store = archive::TarStore::open(path, limits.json)?;
                let p = resolve(&store, &platform, explicit, tag.as_deref())?;
                let layers = read_parallel(&p, &store, plan, options)?;
                (Some(p), layers, Vec::new())
            }
        }
        ImageRef::Daemon(name) => {
            let reader = daemon::export(name, &options.daemon)?;
            let reader = Reporting { inner: reader, progress: options.progress };
            from_stream(reader, &format!("docker-daemon:{name}"), &platform, explicit, None, plan, limits)?
        }
        ImageRef::Registry(name) => {
            let (p, opener) = registry::open(name, &platform, explicit, &options.registry)?;
            let layers = read_parallel(&p, opener.as_ref(), plan, options)?;
            (Some(p), layers, Vec::new())
        }
    };
    let config = match &meta {
        Some(p) => {
            ImageConfig::parse(&p.config).map_err(|e| SourceError::Invalid(format!("image configuration: {e}")))?
        }
        None => ImageConfig::default(),
    };
    if let Some(p) = &meta
        && !config.rootfs.diff_ids.is_empty()
        && config.rootfs.diff_ids.len() != p.layers.len()
    {
        issues.push(ImageIssue::new(
            IssueKind::Corrupt,
            None,
            None,
            format!(
                "the configuration lists {} layers but the manifest has {}",
                config.rootfs.diff_ids.len(),
                p.layers.len()
            ),
        ));
    }
    Ok(assemble(arg, &reference, meta, config, indexes, issues, options, plan))
}

/// A plan (none for a root filesystem), its layers in order and archive-level issues.
type Loaded = (Option<Plan>, Vec<LayerIndex>, Vec<ImageIssue>);

/// Streams the layers of a resolved plan in parallel.
fn read_parallel(
    plan: &Plan,
    opener: &dyn LayerOpener,
    capture: &CapturePlan,
    options: &ReadOptions<'_>,
) -> Result<Vec<LayerIndex>, SourceError> {
    if let Some(p) = options.progress {
        p.add_total(plan.layers.iter().filter_map(|l| l.size).sum());
    }
    plan.layers
        .par_iter()
        .enumerate()
        .map(|(i, l)| {
            let reader: Box<dyn Read + Send + '_> = opener.open_layer(l)?;
            let reader = Reporting { inner: reader, progress: options.progress };
            Ok(read_layer(reader, i as u32, capture, &options.limits))
        })
        .collect()
}

/// Reads an archive stream once and orders its layers by the manifest found in it.
fn from_stream(
    reader: impl Read,
    what: &str,
    platform: &Platform,
    explicit: bool,
    tag: Option<&str>,
    capture: &CapturePlan,
    limits: &Limits,
) -> Result<Loaded, SourceError> {
    let mut streamed = archive::stream(reader, what, capture, limits)?;
    let p = resolve(&streamed, platform, explicit, tag)?;
    let mut layers: Vec<LayerIndex> = Vec::with_capacity(p.layers.len());
    // Members already moved into `layers`, for an image that lists the same blob twice.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (i, l) in p.layers.iter().enumerate() {
        let missing = || SourceError::Invalid(format!("{what}: layer `{}` is referenced but missing", l.key));
        let key = streamed.layer_key(&l.key);
        let mut index = match taken.get(&key) {
            Some(&first) => layers[first].clone(),
            None => streamed.take_layer(&key).ok_or_else(missing)?,
        };
        taken.insert(key, i);
        let n = i as u32;
        for issue in &mut index.issues {
            issue.layer = Some(n);
        }
        for pkg in &mut index.packages {
            pkg.evidence.layer = Some(n);
        }
        layers.push(index);
    }
    Ok((Some(p), layers, std::mem::take(&mut streamed.issues)))
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    arg: &str,
    reference: &ImageRef,
    meta: Option<Plan>,
    config: ImageConfig,
    mut indexes: Vec<LayerIndex>,
    mut issues: Vec<ImageIssue>,
    options: &ReadOptions<'_>,
    plan: &CapturePlan,
) -> Image {
    let is_rootfs = meta.is_none();
    let history = config.layer_history();
    let base = config.base_layer_count();
    let mut fs = MergedFs::new(options.limits.symlink_hops);
    let mut layers = Vec::with_capacity(indexes.len());
    let mut streamed: Vec<Package> = Vec::new();
    let mut total = 0u64;
    for (i, index) in indexes.iter_mut().enumerate() {
        let n = i as u32;
        let entries = index.entries.len();
        total += index.entries.iter().map(|e| e.size).sum::<u64>();
        fs.apply(n, index);
        let usage = fs.usage.get(i).copied().unwrap_or_default();
        let plan_layer = meta.as_ref().and_then(|p| p.layers.get(i));
        layers.push(LayerInfo {
            digest: plan_layer.and_then(|l| l.digest.clone()),
            media_type: plan_layer.and_then(|l| l.media_type.clone()),
            compression: index.compression,
            stored_size: index.compressed_bytes,
            size: index.uncompressed_bytes,
            added: usage.added,
            wasted_below: usage.wasted_below,
            entries,
            instruction: history.get(i).copied().flatten().and_then(|h| h.created_by.as_deref()).map(instruction_text),
            base: i < base,
        });
        issues.append(&mut index.issues);
        streamed.append(&mut index.packages);
    }
    if is_rootfs {
        for p in &mut streamed {
            p.evidence.layer = None;
        }
    }
    let os = OsRelease::from_fs(&fs);
    let distro = os.as_ref().map(OsRelease::distro);
    let mut out = AnalyzerOutput::default();
    run_file_analyzers(plan, &fs, is_rootfs, distro.as_ref(), &mut out);
    // Streamed packages count only where their file survived in the final filesystem.
    for p in streamed {
        let alive = fs.lstat(&p.evidence.path).is_some_and(|n| is_rootfs || Some(n.layer) == p.evidence.layer);
        if alive {
            out.packages.push(p);
        }
    }
    let owned: HashSet<&str> = out.owned_files.iter().map(String::as_str).collect();
    let mut packages: Vec<Package> = out
        .packages
        .into_iter()
        .filter(|p| p.kind.is_os() || !owned.contains(p.evidence.path.as_str()))
        .map(|mut p| {
            if p.kind.is_os() && p.distro.is_none() {
                p.distro.clone_from(&distro);
            }
            p
        })
        .collect();
    packages.sort();
    packages.dedup();
    issues.append(&mut out.issues);
    issues.sort();
    issues.dedup();
    let visible = fs.visible_bytes();
    let wasted: u64 = layers.iter().map(|l| l.wasted_below).sum();
    #[allow(clippy::cast_precision_loss)]
    let efficiency = if total == 0 { 1.0 } else { visible as f64 / total as f64 };
    let source_kind = match (reference, &meta) {
        (ImageRef::Archive { .. }, Some(p)) if p.oci_layout => "oci-archive",
        _ => reference.kind(),
    };
    let (manifest_digest, config_digest, tags) = match meta {
        Some(p) => (p.manifest_digest, p.config_digest, p.tags),
        None => (None, None, Vec::new()),
    };
    Image {
        reference: arg.to_owned(),
        source_kind,
        manifest_digest,
        config_digest,
        tags,
        config,
        layers,
        fs,
        os,
        packages,
        issues,
        size: SizeStats { total, visible, wasted, efficiency },
    }
}

/// Hands every kept file that survived the merge to the analyzers whose globs select it.
fn run_file_analyzers(
    plan: &CapturePlan,
    fs: &MergedFs,
    is_rootfs: bool,
    distro: Option<&Distro>,
    out: &mut AnalyzerOutput,
) {
    for (path, node) in fs.iter() {
        let Some(content) = node.content.as_deref() else { continue };
        for a in plan.file_analyzers_for(path) {
            let input = AnalyzerInput { path, content, layer: (!is_rootfs).then_some(node.layer), fs, distro };
            a.analyze(&input, out);
        }
    }
}
