//! Every package analyzer, by kind of package database or metadata.

mod apk;
mod dpkg;
mod gobinary;
mod java;
mod npm;
mod python;
mod rpm;
mod rustaudit;

use crate::analyzer::{FileAnalyzer, StreamAnalyzer};

/// Analyzers that parse kept metadata files after the layers are merged.
pub fn file_analyzers() -> &'static [&'static dyn FileAnalyzer] {
    &[&dpkg::Dpkg, &apk::Apk, &rpm::Rpm, &python::Python, &npm::Npm]
}

/// Analyzers that read binaries and archives while their layer streams by.
pub fn stream_analyzers() -> &'static [&'static dyn StreamAnalyzer] {
    &[&gobinary::GoBinary, &rustaudit::RustAudit, &java::Java]
}

/// Splits an RFC 822-style stanza file (dpkg status, apk installed) into paragraphs.
pub(crate) fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.trim().is_empty())
}
