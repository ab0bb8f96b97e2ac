//! Why an image could not be read at all (the CLI exits with 2). Problems inside a readable image
//! are [`crate::ImageIssue`]s instead.

/// An image that cannot be opened or resolved.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("not a valid image: {0}")]
    Invalid(String),
    #[error("the image has no {wanted} variant; available: {}; choose one with --platform", available.join(", "))]
    Platform { wanted: String, available: Vec<String> },
    #[error("registry: {0}")]
    Registry(String),
    #[error("docker daemon: {0}")]
    Daemon(String),
}

impl SourceError {
    pub fn io(path: impl std::fmt::Display, source: std::io::Error) -> Self {
        Self::Io { path: path.to_string(), source }
    }
}
