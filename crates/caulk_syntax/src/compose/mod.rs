//! docker-compose files: a typed model with spans (filled in by the compose parser).
//!
//! [`yaml`] builds a YAML tree with byte ranges (aliases expanded under a budget, merge keys
//! applied), [`interpolate`] substitutes `${VAR}` forms, and [`project`] loads a whole project as
//! `docker compose` does (override files, `.env`, `include`, `extends`) into merged services.

pub mod interpolate;
pub mod project;
pub mod yaml;

pub use project::{
    ComposeFile, FileRole, FileSource, Fs, LoadError, LoadErrorKind, Project, Service, is_override_file, load,
    parse_str,
};
pub use yaml::{Entry, FileId, Node, NodeKind, Scalar};
