//! The Dockerfile engine: BuildKit-compatible parsing, variable expansion, image references,
//! and the semantic model (stages, their graph, parsed RUN bodies) that rules read.

pub mod ast;
pub mod expand;
pub mod image_ref;
pub mod model;
mod parser;
mod words;

pub use ast::{
    Body, CommandLine, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, Keyword, Spanned,
};
pub use expand::{Expanded, expand_word};
pub use image_ref::ImageRef;
pub use model::{Base, Model, Stage};
pub use parser::parse;
