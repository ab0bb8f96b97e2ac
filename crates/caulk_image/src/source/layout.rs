//! OCI image layouts in a directory: `index.json`, `oci-layout` and `blobs/<alg>/<hex>`.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::SourceError;
use crate::manifest::{MetaStore, PlanLayer};
use crate::source::LayerOpener;

/// A directory holding an OCI layout (or an unpacked docker-save archive).
#[derive(Debug)]
pub struct DirStore {
    root: PathBuf,
    json_limit: u64,
}

impl DirStore {
    pub fn new(root: &Path, json_limit: u64) -> Self {
        Self { root: root.to_owned(), json_limit }
    }

    /// The file for `key`, refusing keys that could leave the directory.
    fn file(&self, key: &str) -> Result<PathBuf, SourceError> {
        if key.starts_with('/') || key.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(SourceError::Invalid(format!("refusing to read `{key}` outside the layout")));
        }
        Ok(self.root.join(key))
    }
}

impl MetaStore for DirStore {
    fn read_meta(&self, key: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let path = self.file(key)?;
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SourceError::io(path.display(), e)),
        };
        let mut buf = Vec::new();
        file.take(self.json_limit + 1).read_to_end(&mut buf).map_err(|e| SourceError::io(path.display(), e))?;
        if buf.len() as u64 > self.json_limit {
            return Err(SourceError::Invalid(format!("`{key}` is larger than {} bytes", self.json_limit)));
        }
        Ok(Some(buf))
    }
}

impl LayerOpener for DirStore {
    fn open_layer(&self, layer: &PlanLayer) -> Result<Box<dyn Read + Send + '_>, SourceError> {
        let path = self.file(&layer.key)?;
        let file = File::open(&path).map_err(|e| SourceError::io(path.display(), e))?;
        Ok(Box::new(file))
    }
}
