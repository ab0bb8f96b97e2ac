//! The image's filesystem as a container sees it: layers applied in order with whiteouts, opaque
//! directories and hard links, symlinks resolved inside the root with a hop limit.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use crate::layer::{EntryKind, LayerIndex};
use crate::path::{join_in_root, parent};

/// What a path is in the merged filesystem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    File,
    Dir,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
}

/// One path of the merged filesystem and the layer that last wrote it.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// Symlink target as written in the layer.
    pub link: Option<Box<str>>,
    pub layer: u32,
    /// Kept bytes, when an analyzer or rule asked for this path.
    pub content: Option<Arc<[u8]>>,
}

impl Node {
    pub fn is_executable(&self) -> bool {
        self.kind == NodeKind::File && self.mode & 0o111 != 0
    }
}

/// Size accounting per layer, dive-style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LayerUsage {
    /// Bytes of regular files this layer adds.
    pub added: u64,
    /// Bytes of files from lower layers this layer overwrites or deletes.
    pub wasted_below: u64,
}

/// The merged view of all layers.
#[derive(Debug, Default)]
pub struct MergedFs {
    nodes: BTreeMap<Box<str>, Node>,
    /// Per layer, in order.
    pub usage: Vec<LayerUsage>,
    hops: usize,
}

impl MergedFs {
    pub fn new(symlink_hops: usize) -> Self {
        Self { nodes: BTreeMap::new(), usage: Vec::new(), hops: symlink_hops }
    }

    /// Applies the next layer on top, as overlayfs-based runtimes do: whiteouts and opaque markers
    /// first (they only hide lower layers), then the layer's own entries in archive order.
    pub fn apply(&mut self, layer: u32, index: &mut LayerIndex) {
        let mut usage = LayerUsage::default();
        for e in &index.entries {
            match e.kind {
                EntryKind::Whiteout => usage.wasted_below += self.remove_tree(&e.path, true),
                EntryKind::Opaque => usage.wasted_below += self.remove_tree(&e.path, false),
                _ => {}
            }
        }
        for e in index.entries.drain(..) {
            let kind = match e.kind {
                EntryKind::Whiteout | EntryKind::Opaque => continue,
                EntryKind::File => NodeKind::File,
                EntryKind::Dir => NodeKind::Dir,
                EntryKind::Symlink => NodeKind::Symlink,
                EntryKind::CharDevice => NodeKind::CharDevice,
                EntryKind::BlockDevice => NodeKind::BlockDevice,
                EntryKind::Fifo => NodeKind::Fifo,
                EntryKind::Hardlink => {
                    // A hard link shares the target's data; the target must already exist.
                    let Some(target) = e.link.as_deref().and_then(|t| self.nodes.get(t)).cloned() else {
                        continue;
                    };
                    if target.kind != NodeKind::File {
                        continue;
                    }
                    let node = Node { layer, mode: e.mode, uid: e.uid, gid: e.gid, ..target };
                    usage.wasted_below += self.replace(e.path, node, layer);
                    continue;
                }
            };
            usage.added += e.size;
            let node = Node {
                kind,
                mode: e.mode,
                uid: e.uid,
                gid: e.gid,
                size: e.size,
                link: e.link,
                layer,
                content: e.content,
            };
            if kind == NodeKind::Dir
                && let Some(old) = self.nodes.get_mut(&e.path)
                && old.kind == NodeKind::Dir
            {
                // Re-listing a directory changes its metadata only.
                old.mode = node.mode;
                old.uid = node.uid;
                old.gid = node.gid;
                old.layer = layer;
                continue;
            }
            usage.wasted_below += self.replace(e.path, node, layer);
        }
        let slot = layer as usize;
        if self.usage.len() <= slot {
            self.usage.resize(slot + 1, LayerUsage::default());
        }
        self.usage[slot] = usage;
    }

    /// Inserts `node`, returning the bytes of lower-layer files it hides.
    fn replace(&mut self, path: Box<str>, node: Node, layer: u32) -> u64 {
        let mut wasted = 0;
        if node.kind != NodeKind::Dir {
            // A non-directory replaces a whole directory tree.
            wasted += self.remove_tree(&path, false);
        }
        if let Some(old) = self.nodes.insert(path, node)
            && old.kind == NodeKind::File
            && old.layer < layer
        {
            wasted += old.size;
        }
        wasted
    }

    /// Removes everything under `dir` (and `dir` itself when `itself`); returns the bytes removed.
    fn remove_tree(&mut self, dir: &str, itself: bool) -> u64 {
        let mut removed = 0;
        if itself && let Some(n) = self.nodes.remove(dir) {
            if n.kind == NodeKind::File {
                removed += n.size;
            }
            if n.kind != NodeKind::Dir {
                return removed;
            }
        }
        let prefix = if dir == "/" { String::from("/") } else { format!("{dir}/") };
        let keys: Vec<Box<str>> = self
            .nodes
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            if let Some(n) = self.nodes.remove(&k)
                && n.kind == NodeKind::File
            {
                removed += n.size;
            }
        }
        removed
    }

    /// The node at `path` without following a final symlink (`lstat`); parents are resolved.
    pub fn lstat(&self, path: &str) -> Option<&Node> {
        if let Some(n) = self.nodes.get(path) {
            return Some(n);
        }
        let (real, _) = self.resolve_parents(path)?;
        self.nodes.get(real.as_str())
    }

    /// Follows symlinks (in every component) inside the image root, up to the hop limit;
    /// returns the final path and its node.
    pub fn resolve(&self, path: &str) -> Option<(String, &Node)> {
        let mut current = path.to_owned();
        let mut hops = 0;
        loop {
            let (real, _) = self.resolve_parents(&current)?;
            let node = self.nodes.get(real.as_str())?;
            if node.kind != NodeKind::Symlink {
                return Some((real, node));
            }
            hops += 1;
            if hops > self.hops {
                return None;
            }
            current = join_in_root(parent(&real), node.link.as_deref().unwrap_or(""));
        }
    }

    /// Resolves symlinks in the directory components of `path`, leaving the last one as is.
    fn resolve_parents(&self, path: &str) -> Option<(String, usize)> {
        let mut resolved = String::new();
        let mut hops = 0;
        let mut pending: Vec<String> = path.split('/').filter(|p| !p.is_empty()).rev().map(str::to_owned).collect();
        while let Some(part) = pending.pop() {
            let candidate = format!("{resolved}/{part}");
            let last = pending.is_empty();
            match self.nodes.get(candidate.as_str()) {
                Some(n) if n.kind == NodeKind::Symlink && !last => {
                    hops += 1;
                    if hops > self.hops {
                        return None;
                    }
                    let target = join_in_root(
                        if resolved.is_empty() { "/" } else { &resolved },
                        n.link.as_deref().unwrap_or(""),
                    );
                    pending.extend(target.split('/').filter(|p| !p.is_empty()).rev().map(str::to_owned));
                    resolved.clear();
                }
                _ => resolved = candidate,
            }
        }
        if resolved.is_empty() {
            resolved.push('/');
        }
        Some((resolved, hops))
    }

    /// The kept bytes of the file `path` resolves to.
    pub fn read(&self, path: &str) -> Option<&[u8]> {
        self.resolve(path).and_then(|(_, n)| n.content.as_deref())
    }

    /// True when `path` exists (following symlinks).
    pub fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_some()
    }

    /// Every node, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The direct and indirect children of `dir`, in path order.
    pub fn under<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        let prefix = if dir == "/" { String::from("/") } else { format!("{dir}/") };
        self.nodes
            .range::<str, _>((Bound::Included(prefix.clone().as_str()), Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k.as_ref(), v))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Bytes of regular files visible in the final filesystem.
    pub fn visible_bytes(&self) -> u64 {
        self.nodes.values().filter(|n| n.kind == NodeKind::File).map(|n| n.size).sum()
    }

    /// Drops kept file bytes once analyzers and rules are done, to bound memory for callers that
    /// hold many images (compare).
    pub fn drop_contents(&mut self) {
        for n in self.nodes.values_mut() {
            n.content = None;
        }
    }

    /// Inserts a node directly; for root filesystems read from a directory.
    pub fn insert(&mut self, path: Box<str>, node: Node) {
        self.nodes.insert(path, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Entry;

    fn entry(path: &str, kind: EntryKind, size: u64, link: Option<&str>) -> Entry {
        Entry { path: path.into(), kind, mode: 0o755, uid: 0, gid: 0, size, link: link.map(Into::into), content: None }
    }

    fn layer(entries: Vec<Entry>) -> LayerIndex {
        LayerIndex { entries, ..LayerIndex::default() }
    }

    #[test]
    fn whiteouts_and_opaque_dirs_hide_lower_layers_only() {
        let mut fs = MergedFs::new(40);
        fs.apply(
            0,
            &mut layer(vec![
                entry("/a", EntryKind::Dir, 0, None),
                entry("/a/x", EntryKind::File, 10, None),
                entry("/a/y", EntryKind::File, 20, None),
                entry("/b", EntryKind::File, 5, None),
            ]),
        );
        fs.apply(
            1,
            &mut layer(vec![
                // The new file comes before the opaque marker in archive order but must survive.
                entry("/a/z", EntryKind::File, 1, None),
                entry("/a", EntryKind::Opaque, 0, None),
                entry("/b", EntryKind::Whiteout, 0, None),
            ]),
        );
        assert!(fs.lstat("/a/x").is_none());
        assert!(fs.lstat("/a/y").is_none());
        assert!(fs.lstat("/b").is_none());
        assert_eq!(fs.lstat("/a/z").map(|n| n.layer), Some(1));
        assert_eq!(fs.usage[1], LayerUsage { added: 1, wasted_below: 35 });
    }

    #[test]
    fn symlinks_resolve_inside_root_with_hop_limit() {
        let mut fs = MergedFs::new(8);
        fs.apply(
            0,
            &mut layer(vec![
                entry("/usr/lib/os-release", EntryKind::File, 3, None),
                entry("/etc/os-release", EntryKind::Symlink, 0, Some("../usr/lib/os-release")),
                entry("/lib", EntryKind::Symlink, 0, Some("usr/lib")),
                entry("/evil", EntryKind::Symlink, 0, Some("../../../../usr/lib/os-release")),
                entry("/loop1", EntryKind::Symlink, 0, Some("/loop2")),
                entry("/loop2", EntryKind::Symlink, 0, Some("/loop1")),
            ]),
        );
        assert_eq!(fs.resolve("/etc/os-release").map(|(p, _)| p), Some("/usr/lib/os-release".into()));
        assert_eq!(fs.resolve("/lib/os-release").map(|(p, _)| p), Some("/usr/lib/os-release".into()));
        assert_eq!(fs.resolve("/evil").map(|(p, _)| p), Some("/usr/lib/os-release".into()));
        assert!(fs.resolve("/loop1").is_none());
    }

    #[test]
    fn hard_links_share_the_target() {
        let mut fs = MergedFs::new(8);
        let mut t = entry("/bin/a", EntryKind::File, 7, None);
        t.content = Some(Arc::from(&b"content"[..]));
        fs.apply(0, &mut layer(vec![t, entry("/bin/b", EntryKind::Hardlink, 0, Some("/bin/a"))]));
        assert_eq!(fs.read("/bin/b"), Some(&b"content"[..]));
        assert_eq!(fs.lstat("/bin/b").map(|n| n.size), Some(7));
    }

    #[test]
    fn overwrites_count_as_wasted() {
        let mut fs = MergedFs::new(8);
        fs.apply(0, &mut layer(vec![entry("/f", EntryKind::File, 100, None)]));
        fs.apply(1, &mut layer(vec![entry("/f", EntryKind::File, 40, None)]));
        assert_eq!(fs.usage[1].wasted_below, 100);
        assert_eq!(fs.visible_bytes(), 40);
    }
}
