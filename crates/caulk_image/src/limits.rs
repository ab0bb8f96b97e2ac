//! Hard limits that keep hostile images from exhausting memory, disk or time.

/// Every bound applied while reading an image. Crossing one is an [`crate::ImageIssue`], never a crash.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Decompressed bytes read from one layer.
    pub layer_bytes: u64,
    /// Tar entries in one layer.
    pub layer_entries: u64,
    /// Decompressed / compressed ratio above which a layer is treated as a decompression bomb
    /// (checked once the layer has produced `ratio_floor` bytes).
    pub ratio: u64,
    pub ratio_floor: u64,
    /// Bytes of one path inside a layer.
    pub path_len: usize,
    /// Components of one path.
    pub path_depth: usize,
    /// Bytes of one file kept in memory for an analyzer or a rule.
    pub capture_file: u64,
    /// Bytes kept in memory for one layer.
    pub capture_layer: u64,
    /// Symbolic links followed while resolving one path.
    pub symlink_hops: usize,
    /// Bytes of a manifest, index or configuration document.
    pub json: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            layer_bytes: 16 << 30,
            layer_entries: 2_000_000,
            ratio: 1_000,
            ratio_floor: 256 << 20,
            path_len: 4096,
            path_depth: 256,
            capture_file: 64 << 20,
            capture_layer: 512 << 20,
            symlink_hops: 40,
            json: 16 << 20,
        }
    }
}
