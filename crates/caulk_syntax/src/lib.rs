//! Parsers that never give up: each returns what it understood plus errors with byte ranges:
//! Dockerfile (BuildKit syntax), POSIX shell in RUN, docker-compose, nginx.

pub mod compose;
pub mod dockerfile;
pub mod nginx;
pub mod offset_map;
pub mod shell;

pub use offset_map::OffsetMap;

use caulk_core::TextRange;

/// A syntax problem found while parsing, with the range it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

impl SyntaxError {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self { range, message: message.into() }
    }
}

/// What a parser understood, plus every error it recovered from.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub ast: T,
    pub errors: Vec<SyntaxError>,
}
