//! Problems found while reading an image: hostile archive entries, limits crossed, unreadable
//! package databases. Each becomes a finding on the image, and the scan goes on.

use std::fmt;

/// What went wrong, so rules and reports can group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IssueKind {
    /// An entry whose path escapes the image root (`..`, absolute) or is not a valid path.
    PathEscape,
    /// A hard or symbolic link that points outside the image root.
    LinkEscape,
    /// A device node or FIFO in a layer.
    DeviceFile,
    /// The same path twice in one layer.
    DuplicateEntry,
    /// A size, count, ratio or depth limit was crossed; the rest of the layer was skipped.
    Limit,
    /// The layer or archive is corrupt or truncated.
    Corrupt,
    /// A package database or metadata file could not be parsed.
    Analyzer,
}

impl IssueKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PathEscape => "path-escape",
            Self::LinkEscape => "link-escape",
            Self::DeviceFile => "device-file",
            Self::DuplicateEntry => "duplicate-entry",
            Self::Limit => "limit",
            Self::Corrupt => "corrupt",
            Self::Analyzer => "analyzer",
        }
    }
}

/// One problem, located by layer and path where known.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImageIssue {
    pub kind: IssueKind,
    pub layer: Option<u32>,
    /// The entry's path as written in the archive (possibly hostile, shown escaped).
    pub path: Option<String>,
    pub message: String,
}

impl ImageIssue {
    pub fn new(kind: IssueKind, layer: Option<u32>, path: Option<String>, message: impl Into<String>) -> Self {
        Self { kind, layer, path, message: message.into() }
    }
}

impl fmt::Display for ImageIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = self.layer {
            write!(f, "layer {l}: ")?;
        }
        if let Some(p) = &self.path {
            write!(f, "{}: ", p.escape_debug())?;
        }
        f.write_str(&self.message)
    }
}
