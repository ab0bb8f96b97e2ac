//! Streams one layer once: sniffs its compression, walks its tar entries with every limit
//! enforced, normalises paths inside the image root and keeps only what analyzers and rules need.

use std::cell::Cell;
use std::collections::HashSet;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::Arc;

use caulk_core::Package;
use tar::EntryType;

use crate::capture::CapturePlan;
use crate::issue::{ImageIssue, IssueKind};
use crate::limits::Limits;
use crate::path::{NormalizeError, normalize};

/// How a layer blob is compressed, sniffed from its first bytes (media types lie).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Gzip => "gzip",
            Self::Zstd => "zstd",
        }
    }
}

/// What an entry is, after whiteouts are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A hard link to `link`, another path of the image.
    Hardlink,
    /// `.wh.<name>`: deletes `path` from lower layers.
    Whiteout,
    /// `.wh..wh..opq`: hides everything lower layers put under the directory `path`.
    Opaque,
    CharDevice,
    BlockDevice,
    Fifo,
}

/// One entry of a layer, path normalised to an absolute path inside the image (`/etc/passwd`).
#[derive(Clone, Debug)]
pub struct Entry {
    pub path: Box<str>,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// Symlink target as written, or hard-link target normalised.
    pub link: Option<Box<str>>,
    /// The file's bytes, when an analyzer or rule asked for it.
    pub content: Option<Arc<[u8]>>,
}

/// Everything kept from one layer.
#[derive(Clone, Debug, Default)]
pub struct LayerIndex {
    pub entries: Vec<Entry>,
    pub issues: Vec<ImageIssue>,
    /// Packages found by streaming analyzers (binaries, archives) in this layer.
    pub packages: Vec<Package>,
    /// Bytes read from the blob as stored.
    pub compressed_bytes: u64,
    /// Bytes of the tar stream after decompression.
    pub uncompressed_bytes: u64,
    pub compression: Option<Compression>,
    /// True when a limit or corruption stopped reading before the end.
    pub truncated: bool,
}

/// Reads one layer blob. Never fails: problems are issues on the returned index.
pub fn read_layer(reader: impl Read, layer: u32, plan: &CapturePlan, limits: &Limits) -> LayerIndex {
    let compressed = Rc::new(Cell::new(0u64));
    let counted = Counting { inner: reader, count: Rc::clone(&compressed) };
    let mut buffered = BufReader::with_capacity(256 * 1024, counted);
    let mut index = LayerIndex::default();
    let head = match buffered.fill_buf() {
        Ok(h) => h,
        Err(e) => {
            index.issues.push(ImageIssue::new(
                IssueKind::Corrupt,
                Some(layer),
                None,
                format!("cannot read layer: {e}"),
            ));
            index.truncated = true;
            return index;
        }
    };
    let compression = if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) || head.starts_with(b"BZh") {
        index.issues.push(ImageIssue::new(
            IssueKind::Corrupt,
            Some(layer),
            None,
            "layer is compressed with xz or bzip2, which container runtimes do not accept; not read",
        ));
        index.truncated = true;
        return index;
    } else {
        Compression::None
    };
    index.compression = Some(compression);
    let uncompressed = Rc::new(Cell::new(0u64));
    let decoded: Box<dyn Read> = match compression {
        Compression::None => Box::new(buffered),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(buffered) {
            Ok(d) => Box::new(d),
            Err(e) => {
                index.issues.push(ImageIssue::new(IssueKind::Corrupt, Some(layer), None, format!("zstd: {e}")));
                index.truncated = true;
                return index;
            }
        },
    };
    let bounded = Bounded {
        inner: decoded,
        count: Rc::clone(&uncompressed),
        compressed: Rc::clone(&compressed),
        limits: limits.clone(),
        tripped: Rc::new(Cell::new(None)),
    };
    let tripped = Rc::clone(&bounded.tripped);
    let mut bounded = bounded;
    walk(&mut bounded, layer, plan, limits, &mut index);
    if !index.truncated {
        // Read past the end-of-archive marker to the end of the blob, so a registry's digest check
        // and gzip's CRC run on every byte (bounded by the same limits).
        if let Err(e) = io::copy(&mut bounded, &mut io::sink()) {
            corrupt(&mut index, layer, None, &e);
        }
    }
    if let Some(msg) = tripped.get() {
        index.truncated = true;
        index.issues.push(ImageIssue::new(IssueKind::Limit, Some(layer), None, msg));
    }
    index.compressed_bytes = compressed.get();
    index.uncompressed_bytes = uncompressed.get();
    index
}

fn walk(reader: &mut impl Read, layer: u32, plan: &CapturePlan, limits: &Limits, index: &mut LayerIndex) {
    let mut archive = tar::Archive::new(reader);
    let mut entries = match archive.entries() {
        Ok(e) => e.raw(true),
        Err(e) => {
            corrupt(index, layer, None, &e);
            return;
        }
    };
    let mut long_name: Option<Vec<u8>> = None;
    let mut long_link: Option<Vec<u8>> = None;
    let mut pax_path: Option<Vec<u8>> = None;
    let mut pax_link: Option<Vec<u8>> = None;
    let mut seen: HashSet<Box<str>> = HashSet::new();
    let mut captured: u64 = 0;
    let mut count: u64 = 0;
    loop {
        let mut entry = match entries.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                corrupt(index, layer, None, &e);
                return;
            }
        };
        count += 1;
        if count > limits.layer_entries {
            index.truncated = true;
            index.issues.push(ImageIssue::new(
                IssueKind::Limit,
                Some(layer),
                None,
                format!("more than {} entries; the rest of the layer was not read", limits.layer_entries),
            ));
            return;
        }
        let header = entry.header();
        let etype = header.entry_type();
        let size = header.entry_size().unwrap_or(0);
        // Extension headers carry the next entry's long path or link; bounded before reading.
        if etype.is_gnu_longname() || etype.is_gnu_longlink() || etype.is_pax_local_extensions() {
            let cap = if etype.is_pax_local_extensions() { 1 << 20 } else { limits.path_len as u64 + 1 };
            if size > cap {
                index.truncated = true;
                index.issues.push(ImageIssue::new(
                    IssueKind::Limit,
                    Some(layer),
                    None,
                    format!("a {size}-byte tar extension header (limit {cap}); the rest of the layer was not read"),
                ));
                return;
            }
            let mut buf = Vec::with_capacity(size as usize);
            if let Err(e) = entry.read_to_end(&mut buf) {
                corrupt(index, layer, None, &e);
                return;
            }
            if etype.is_gnu_longname() {
                trim_nul(&mut buf);
                long_name = Some(buf);
            } else if etype.is_gnu_longlink() {
                trim_nul(&mut buf);
                long_link = Some(buf);
            } else {
                for ext in tar::PaxExtensions::new(&buf).flatten() {
                    match ext.key_bytes() {
                        b"path" => pax_path = Some(ext.value_bytes().to_vec()),
                        b"linkpath" => pax_link = Some(ext.value_bytes().to_vec()),
                        b"size" => {
                            let declared =
                                std::str::from_utf8(ext.value_bytes()).ok().and_then(|s| s.parse::<u64>().ok());
                            if declared.is_some_and(|d| d != size) {
                                index.truncated = true;
                                index.issues.push(ImageIssue::new(
                                    IssueKind::Corrupt,
                                    Some(layer),
                                    None,
                                    "a PAX size that disagrees with its header; the rest of the layer was not read",
                                ));
                                return;
                            }
                        }
                        _ => {}
                    }
                }
            }
            continue;
        }
        if etype.is_pax_global_extensions() {
            continue;
        }
        let raw_path = pax_path.take().or(long_name.take()).unwrap_or_else(|| header.path_bytes().into_owned());
        let raw_link =
            pax_link.take().or(long_link.take()).or_else(|| header.link_name_bytes().map(std::borrow::Cow::into_owned));
        let shown = String::from_utf8_lossy(&raw_path).into_owned();
        let path = match normalize(&raw_path, limits) {
            Ok(p) => p,
            Err(NormalizeError::Root) => continue,
            Err(NormalizeError::Escapes) => {
                index.issues.push(ImageIssue::new(
                    IssueKind::PathEscape,
                    Some(layer),
                    Some(shown),
                    "entry path climbs out of the image root with `..`; skipped",
                ));
                continue;
            }
            Err(NormalizeError::TooLong) => {
                index.issues.push(ImageIssue::new(
                    IssueKind::Limit,
                    Some(layer),
                    Some(shown.chars().take(120).collect()),
                    format!(
                        "entry path longer than {} bytes or deeper than {} levels; skipped",
                        limits.path_len, limits.path_depth
                    ),
                ));
                continue;
            }
        };
        if raw_path.first() == Some(&b'/') {
            index.issues.push(ImageIssue::new(
                IssueKind::PathEscape,
                Some(layer),
                Some(shown.clone()),
                "absolute entry path; applied inside the image root as runtimes do",
            ));
        }
        let mode = header.mode().unwrap_or(0o644);
        let uid = header.uid().ok().and_then(|u| u32::try_from(u).ok()).unwrap_or(0);
        let gid = header.gid().ok().and_then(|g| u32::try_from(g).ok()).unwrap_or(0);
        let base = path.rsplit('/').next().unwrap_or("");
        let (kind, path) = if let Some(name) = base.strip_prefix(".wh.") {
            let parent = &path[..path.len() - base.len() - 1];
            if name == ".wh..opq" {
                (EntryKind::Opaque, if parent.is_empty() { "/".into() } else { parent.into() })
            } else if name.starts_with(".wh.") {
                // Other `.wh..wh.` names are aufs bookkeeping (hard-link dirs), not part of the image.
                continue;
            } else {
                (EntryKind::Whiteout, format!("{parent}/{name}").into_boxed_str())
            }
        } else {
            let kind = match etype {
                EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => EntryKind::File,
                EntryType::Directory => EntryKind::Dir,
                EntryType::Symlink => EntryKind::Symlink,
                EntryType::Link => EntryKind::Hardlink,
                EntryType::Char => EntryKind::CharDevice,
                EntryType::Block => EntryKind::BlockDevice,
                EntryType::Fifo => EntryKind::Fifo,
                _ => {
                    // Unknown types (old GNU volume labels, vendor extensions) are treated as files,
                    // as GNU tar does, so their bytes are skipped correctly.
                    EntryKind::File
                }
            };
            (kind, path)
        };
        if kind != EntryKind::Dir && !seen.insert(path.clone()) {
            index.issues.push(ImageIssue::new(
                IssueKind::DuplicateEntry,
                Some(layer),
                Some(path.to_string()),
                "the same path appears twice in one layer; the later entry wins",
            ));
        }
        let mut link = None;
        match kind {
            EntryKind::Hardlink => {
                let target = raw_link.unwrap_or_default();
                match normalize(&target, limits) {
                    Ok(t) => link = Some(t),
                    Err(_) => {
                        index.issues.push(ImageIssue::new(
                            IssueKind::LinkEscape,
                            Some(layer),
                            Some(path.to_string()),
                            format!(
                                "hard link to `{}` outside the image root; skipped",
                                String::from_utf8_lossy(&target)
                            ),
                        ));
                        continue;
                    }
                }
            }
            EntryKind::Symlink => {
                let target = String::from_utf8_lossy(&raw_link.unwrap_or_default()).into_owned();
                if crate::path::symlink_escapes(&path, &target) {
                    index.issues.push(ImageIssue::new(
                        IssueKind::LinkEscape,
                        Some(layer),
                        Some(path.to_string()),
                        format!("symbolic link to `{target}` climbs above the image root; it resolves inside the root"),
                    ));
                }
                link = Some(target.into_boxed_str());
            }
            EntryKind::CharDevice | EntryKind::BlockDevice => {
                index.issues.push(ImageIssue::new(
                    IssueKind::DeviceFile,
                    Some(layer),
                    Some(path.to_string()),
                    "device node in a layer; runtimes create devices themselves",
                ));
            }
            _ => {}
        }
        let file_size = if kind == EntryKind::File { size } else { 0 };
        let mut content = None;
        if kind == EntryKind::File && file_size > 0 {
            match capture(&mut entry, &path, mode, file_size, layer, plan, limits, &mut captured, index) {
                Ok(c) => content = c,
                Err(e) => {
                    corrupt(index, layer, Some(&path), &e);
                    return;
                }
            }
        }
        index.entries.push(Entry { path, kind, mode, uid, gid, size: file_size, link, content });
    }
}

/// Keeps the bytes of a wanted file, or feeds them to streaming analyzers; skips the rest. The
/// first bytes decide whether a streaming candidate is buffered at all.
#[allow(clippy::too_many_arguments)]
pub(crate) fn capture(
    entry: &mut impl Read,
    path: &str,
    mode: u32,
    size: u64,
    layer: u32,
    plan: &CapturePlan,
    limits: &Limits,
    captured: &mut u64,
    index: &mut LayerIndex,
) -> io::Result<Option<Arc<[u8]>>> {
    let keep = plan.keeps(path);
    let stream = plan.streams(path, mode);
    if !keep && !stream {
        return Ok(None);
    }
    // Streaming analyzers look at the first bytes before the whole file is buffered.
    let mut head = [0u8; 8];
    let n = read_up_to(entry, &mut head)?;
    let head = &head[..n];
    let stream = stream && plan.stream_wants(path, mode, head);
    if size > limits.capture_file || *captured + size > limits.capture_layer {
        // a wanted file, or a binary an analyzer would read (a large Go program's modules):
        // never skipped silently
        if keep || stream {
            index.issues.push(ImageIssue::new(
                IssueKind::Limit,
                Some(layer),
                Some(path.to_owned()),
                format!("{size} bytes is too large to analyze (limit {}); skipped", limits.capture_file),
            ));
        }
        return Ok(None);
    }
    if !keep && !stream {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity(size as usize);
    buf.extend_from_slice(head);
    entry.take(size - n as u64).read_to_end(&mut buf)?;
    if stream {
        plan.run_streaming(path, mode, layer, &buf, &mut index.packages, &mut index.issues);
    }
    if keep {
        *captured += buf.len() as u64;
        return Ok(Some(Arc::from(buf)));
    }
    Ok(None)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn corrupt(index: &mut LayerIndex, layer: u32, path: Option<&str>, e: &io::Error) {
    index.truncated = true;
    // A limit trip surfaces here as an I/O error; it is reported once, by `read_layer`.
    if e.kind() == io::ErrorKind::Other && e.to_string().starts_with(LIMIT_PREFIX) {
        return;
    }
    index.issues.push(ImageIssue::new(
        IssueKind::Corrupt,
        Some(layer),
        path.map(str::to_owned),
        format!("layer is corrupt or truncated: {e}; the rest of the layer was not read"),
    ));
}

fn trim_nul(buf: &mut Vec<u8>) {
    while buf.last() == Some(&0) {
        buf.pop();
    }
}

const LIMIT_PREFIX: &str = "caulk limit: ";

/// Counts bytes read from the stored blob.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Counts decompressed bytes and stops the stream when a size or ratio limit is crossed.
struct Bounded<R> {
    inner: R,
    count: Rc<Cell<u64>>,
    compressed: Rc<Cell<u64>>,
    limits: Limits,
    tripped: Rc<Cell<Option<&'static str>>>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.count.get() + n as u64;
        self.count.set(total);
        let msg = if total > self.limits.layer_bytes {
            Some("layer decompresses to more than the per-layer limit; the rest was not read")
        } else if total > self.limits.ratio_floor && total / self.compressed.get().max(1) > self.limits.ratio {
            Some("layer decompresses to over 1000 times its stored size (a decompression bomb); the rest was not read")
        } else {
            None
        };
        if let Some(m) = msg {
            self.tripped.set(Some(m));
            return Err(io::Error::other(format!("{LIMIT_PREFIX}{m}")));
        }
        Ok(n)
    }
}
