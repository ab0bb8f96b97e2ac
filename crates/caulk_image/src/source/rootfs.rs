//! An unpacked root filesystem in a directory (`dir:PATH`), read as a single layer.
//!
//! Symlinks are recorded, never followed, so nothing outside the directory is read.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use crate::capture::CapturePlan;
use crate::error::SourceError;
use crate::issue::{ImageIssue, IssueKind};
use crate::layer::{Entry, EntryKind, LayerIndex, capture};
use crate::limits::Limits;

/// Walks `root` into a layer index (layer number 0).
pub fn read(root: &Path, plan: &CapturePlan, limits: &Limits) -> Result<LayerIndex, SourceError> {
    let meta = fs::symlink_metadata(root).map_err(|e| SourceError::io(root.display(), e))?;
    if !meta.is_dir() {
        return Err(SourceError::Usage(format!("{} is not a directory", root.display())));
    }
    let mut index = LayerIndex::default();
    let mut stack = vec![(root.to_owned(), String::new(), 0usize)];
    let mut captured = 0u64;
    while let Some((dir, prefix, depth)) = stack.pop() {
        let mut names: Vec<_> = match fs::read_dir(&dir) {
            Ok(rd) => rd.filter_map(Result::ok).collect(),
            Err(e) => {
                index.issues.push(ImageIssue::new(
                    IssueKind::Corrupt,
                    None,
                    Some(prefix.clone()),
                    format!("cannot list: {e}"),
                ));
                continue;
            }
        };
        names.sort_by_key(fs::DirEntry::file_name);
        for de in names {
            if index.entries.len() as u64 >= limits.layer_entries {
                index.truncated = true;
                index.issues.push(ImageIssue::new(
                    IssueKind::Limit,
                    None,
                    None,
                    "too many files; the rest was not read",
                ));
                return Ok(index);
            }
            let name = de.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}/{name}");
            let Ok(md) = de.path().symlink_metadata() else { continue };
            let ft = md.file_type();
            let (kind, link) = if ft.is_dir() {
                (EntryKind::Dir, None)
            } else if ft.is_symlink() {
                let target = fs::read_link(de.path()).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                (EntryKind::Symlink, Some(target.into_boxed_str()))
            } else if ft.is_file() {
                (EntryKind::File, None)
            } else if ft.is_char_device() {
                (EntryKind::CharDevice, None)
            } else if ft.is_block_device() {
                (EntryKind::BlockDevice, None)
            } else if ft.is_fifo() {
                (EntryKind::Fifo, None)
            } else {
                continue;
            };
            let size = if kind == EntryKind::File { md.len() } else { 0 };
            let mode = md.mode() & 0o7777;
            let mut content = None;
            if kind == EntryKind::File && size > 0 {
                // The same selection as for layer entries: kept files and streaming candidates,
                // read head first, bounded by the capture limits.
                if plan.keeps(&path) || plan.streams(&path, mode) {
                    let read = fs::File::open(de.path()).and_then(|mut f| {
                        capture(&mut f, &path, mode, size, 0, plan, limits, &mut captured, &mut index)
                    });
                    match read {
                        Ok(kept) => content = kept,
                        Err(e) => index.issues.push(ImageIssue::new(
                            IssueKind::Corrupt,
                            None,
                            Some(path.clone()),
                            format!("cannot read: {e}"),
                        )),
                    }
                }
            }
            index.uncompressed_bytes += size;
            if kind == EntryKind::Dir && depth + 1 < limits.path_depth {
                stack.push((de.path(), path.clone(), depth + 1));
            }
            index.entries.push(Entry {
                path: path.into_boxed_str(),
                kind,
                mode,
                uid: md.uid(),
                gid: md.gid(),
                size,
                link,
                content,
            });
        }
    }
    // Parents before children, as in a tar, so hard links and directories apply in order.
    index.entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(index)
}
