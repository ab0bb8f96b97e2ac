//! Tarballs of images: `docker save` output (plain or gzip) and `oci-archive:` tars.
//!
//! An uncompressed tar is indexed by its headers (seeking past the data) and its layers are then
//! read in parallel straight from the file. A compressed tar cannot seek, so it is streamed once:
//! small JSON members are kept, every layer member is indexed as it passes, and the manifest
//! decides afterwards which of them make the image — one decompression of the outer stream.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::capture::CapturePlan;
use crate::error::SourceError;
use crate::issue::{ImageIssue, IssueKind};
use crate::layer::{LayerIndex, read_layer};
use crate::limits::Limits;
use crate::manifest::{MetaStore, PlanLayer};
use crate::source::LayerOpener;

/// Members above this count are not indexed (an image archive has a few dozen).
const MAX_MEMBERS: usize = 100_000;

/// An uncompressed tar indexed by member name.
#[derive(Debug)]
pub struct TarStore {
    path: PathBuf,
    members: HashMap<String, (u64, u64)>,
    links: HashMap<String, String>,
    json_limit: u64,
}

/// True when the file starts with a gzip or zstd magic number.
pub fn is_compressed(path: &Path) -> Result<bool, SourceError> {
    let mut f = File::open(path).map_err(|e| SourceError::io(path.display(), e))?;
    let mut head = [0u8; 4];
    let n = f.read(&mut head).map_err(|e| SourceError::io(path.display(), e))?;
    Ok(head[..n].starts_with(&[0x1f, 0x8b]) || head[..n].starts_with(&[0x28, 0xb5, 0x2f, 0xfd]))
}

fn member_name(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let s = s.trim_start_matches("./");
    s.trim_end_matches('/').to_owned()
}

/// For a symlink or hard-link member, the member it points to. docker save links a layer that
/// appears twice to the first copy, relative to the linking member's directory.
fn member_link<R: Read>(name: &str, entry: &tar::Entry<'_, R>) -> Option<String> {
    let kind = entry.header().entry_type();
    if !kind.is_symlink() && !kind.is_hard_link() {
        return None;
    }
    let target = String::from_utf8_lossy(&entry.link_name_bytes()?).into_owned();
    let resolved = if kind.is_symlink() {
        crate::path::join_in_root(crate::path::parent(&format!("/{name}")), &target)
    } else {
        format!("/{}", member_name(target.as_bytes()))
    };
    Some(resolved.trim_start_matches('/').to_owned())
}

/// The member `key` names once links are followed (a bounded number of hops), if it is in `members`.
fn follow<'a, T>(
    members: &'a HashMap<String, T>,
    links: &HashMap<String, String>,
    key: &str,
) -> Option<(String, &'a T)> {
    let mut key = key.trim_start_matches("./").to_owned();
    for _ in 0..8 {
        if let Some(m) = members.get(&key) {
            return Some((key, m));
        }
        key = String::from(links.get(&key)?.as_str());
    }
    None
}

impl TarStore {
    pub fn open(path: &Path, json_limit: u64) -> Result<Self, SourceError> {
        let io = |e| SourceError::io(path.display(), e);
        let file = File::open(path).map_err(io)?;
        let mut archive = tar::Archive::new(file);
        let mut members = HashMap::new();
        let mut links = HashMap::new();
        for entry in archive.entries_with_seek().map_err(io)? {
            let entry = entry.map_err(|e| SourceError::Invalid(format!("{}: {e}", path.display())))?;
            if members.len() + links.len() > MAX_MEMBERS {
                return Err(SourceError::Invalid(format!("{}: more than {MAX_MEMBERS} members", path.display())));
            }
            let name = member_name(&entry.path_bytes());
            let kind = entry.header().entry_type();
            if let Some(target) = member_link(&name, &entry) {
                links.insert(name, target);
            } else if kind.is_file() {
                members.insert(name, (entry.raw_file_position(), entry.size()));
            }
        }
        Ok(Self { path: path.to_owned(), members, links, json_limit })
    }

    fn locate(&self, key: &str) -> Option<(u64, u64)> {
        follow(&self.members, &self.links, key).map(|(_, m)| *m)
    }

    fn reader(&self, offset: u64, size: u64) -> Result<impl Read + Send + use<>, SourceError> {
        let mut f = File::open(&self.path).map_err(|e| SourceError::io(self.path.display(), e))?;
        f.seek(SeekFrom::Start(offset)).map_err(|e| SourceError::io(self.path.display(), e))?;
        Ok(f.take(size))
    }
}

impl MetaStore for TarStore {
    fn read_meta(&self, key: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let Some((offset, size)) = self.locate(key) else { return Ok(None) };
        if size > self.json_limit {
            return Err(SourceError::Invalid(format!("`{key}` is larger than {} bytes", self.json_limit)));
        }
        let mut buf = Vec::with_capacity(size as usize);
        self.reader(offset, size)?.read_to_end(&mut buf).map_err(|e| SourceError::io(self.path.display(), e))?;
        Ok(Some(buf))
    }
}

impl LayerOpener for TarStore {
    fn open_layer(&self, layer: &PlanLayer) -> Result<Box<dyn Read + Send + '_>, SourceError> {
        let (offset, size) = self
            .locate(&layer.key)
            .ok_or_else(|| SourceError::Invalid(format!("layer `{}` is referenced but missing", layer.key)))?;
        Ok(Box::new(self.reader(offset, size)?))
    }
}

/// An archive read in one pass: its JSON documents and every layer-looking member, indexed.
#[derive(Debug, Default)]
pub struct Streamed {
    pub docs: HashMap<String, Vec<u8>>,
    pub layers: HashMap<String, LayerIndex>,
    links: HashMap<String, String>,
    pub issues: Vec<ImageIssue>,
}

impl Streamed {
    /// The member a layer key names once links are followed (a bounded number of hops), whether
    /// or not its index is still here.
    pub fn layer_key(&self, key: &str) -> String {
        let mut key = key.trim_start_matches("./").to_owned();
        for _ in 0..8 {
            match self.links.get(&key) {
                Some(next) => key.clone_from(next),
                None => break,
            }
        }
        key
    }

    /// Moves the index of the layer member `key` (from [`Self::layer_key`]) out.
    pub fn take_layer(&mut self, key: &str) -> Option<LayerIndex> {
        self.layers.remove(key)
    }
}

impl MetaStore for Streamed {
    fn read_meta(&self, key: &str) -> Result<Option<Vec<u8>>, SourceError> {
        Ok(follow(&self.docs, &self.links, key).map(|(_, d)| d.clone()))
    }
}

/// Reads an image archive from a stream (gzip or zstd decompressed here when needed), indexing
/// layers as they pass. `what` names the stream in errors.
pub fn stream(reader: impl Read, what: &str, plan: &CapturePlan, limits: &Limits) -> Result<Streamed, SourceError> {
    let mut buffered = BufReader::with_capacity(256 * 1024, reader);
    let head = buffered.fill_buf().map_err(|e| SourceError::io(what, e))?;
    let outer: Box<dyn Read> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(buffered))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::stream::read::Decoder::with_buffer(buffered).map_err(|e| SourceError::io(what, e))?)
    } else {
        Box::new(buffered)
    };
    let mut archive = tar::Archive::new(outer);
    let mut out = Streamed::default();
    let mut count = 0usize;
    let entries = archive.entries().map_err(|e| SourceError::io(what, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SourceError::Invalid(format!("{what}: {e}")))?;
        count += 1;
        if count > MAX_MEMBERS {
            return Err(SourceError::Invalid(format!("{what}: more than {MAX_MEMBERS} members")));
        }
        let name = member_name(&entry.path_bytes());
        let kind = entry.header().entry_type();
        if let Some(target) = member_link(&name, &entry) {
            out.links.insert(name, target);
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let size = entry.size();
        let mut member = BufReader::with_capacity(64 * 1024, entry);
        let first = member.fill_buf().map_err(|e| SourceError::io(what, e))?.first().copied();
        let is_doc = name.ends_with(".json") || name == "oci-layout" || name == "repositories" || first == Some(b'{');
        if is_doc && size <= limits.json {
            let mut buf = Vec::with_capacity(size as usize);
            member.read_to_end(&mut buf).map_err(|e| SourceError::io(what, e))?;
            out.docs.insert(name, buf);
        } else if is_doc {
            out.issues.push(ImageIssue::new(
                IssueKind::Limit,
                None,
                Some(name),
                format!("a {size}-byte JSON document (limit {}); not read", limits.json),
            ));
        } else if name.ends_with("layer.tar") || name.starts_with("blobs/") || name.ends_with(".tar") {
            // The layer number is fixed once the manifest is known; issues are renumbered then.
            let index = read_layer(member, u32::MAX, plan, limits);
            out.layers.insert(name, index);
        }
    }
    Ok(out)
}
