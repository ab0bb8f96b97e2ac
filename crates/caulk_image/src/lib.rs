//! caulk's image reader: finds an image wherever it lives (archives, layouts, registries, the
//! Docker daemon, a directory), streams each layer once within hard limits, merges the layers as a
//! container runtime would and inventories the packages inside. It never matches vulnerabilities
//! and never decides policy; it reports what is there, with the layer and path as evidence.

pub mod analyzer;
pub mod analyzers;
pub mod capture;
pub mod config;
pub mod error;
pub mod fs;
pub mod image;
pub mod issue;
pub mod layer;
pub mod limits;
pub mod manifest;
pub mod os_release;
pub mod path;
pub mod reference;
pub mod runtimes;
pub mod source;
pub mod tier;

pub use error::SourceError;
pub use image::{Image, LayerInfo, ReadOptions, SizeStats, read_image};
pub use issue::{ImageIssue, IssueKind};
pub use limits::Limits;
pub use manifest::Platform;
pub use os_release::OsRelease;
pub use reference::ImageRef;
