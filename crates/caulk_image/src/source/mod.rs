//! Image sources: each turns a reference into a [`Plan`](crate::manifest::Plan) plus a way to
//! stream its layers, or streams a whole archive once when it cannot seek.

pub mod archive;
pub mod daemon;
pub mod layout;
pub mod registry;
pub mod rootfs;

use std::io::Read;

use crate::error::SourceError;
use crate::manifest::PlanLayer;

/// Opens layer blobs of a resolved image; shared by rayon workers.
pub trait LayerOpener: Sync {
    fn open_layer(&self, layer: &PlanLayer) -> Result<Box<dyn Read + Send + '_>, SourceError>;
}

/// Progress of reading an image, for a progress bar; the CLI implements it.
pub trait Progress: Sync {
    /// Total bytes about to be read, when known.
    fn add_total(&self, bytes: u64);
    /// Bytes read so far (stored, i.e. compressed, bytes).
    fn advance(&self, bytes: u64);
}

/// Counts stored bytes into a [`Progress`].
pub(crate) struct Reporting<'a, R> {
    pub(crate) inner: R,
    pub(crate) progress: Option<&'a dyn Progress>,
}

impl<R: Read> Read for Reporting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = self.progress {
            p.advance(n as u64);
        }
        Ok(n)
    }
}
