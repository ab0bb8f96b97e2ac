//! Real OSV records from `../shared/data/vuln`, packed the way osv.dev packs its per-ecosystem
//! `all.zip` exports (one `<id>.json` member per advisory, at the root).
#![allow(dead_code)]

use std::io::{Cursor, Read, Write};
use std::path::Path;

/// One advisory as published, with the first package it affects.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub id: String,
    pub json: Vec<u8>,
    pub ecosystem: String,
    pub package: String,
}

/// The first `count` members of a `.tar.gz` of OSV JSON files that are current advisories (not
/// withdrawn) naming at least one affected package, in archive order.
pub(crate) fn records(archive: &Path, count: usize) -> Vec<Record> {
    let file = std::fs::File::open(archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for entry in tar.entries().expect("tar entries") {
        let mut entry = entry.expect("tar entry");
        let is_json = entry.path().is_ok_and(|p| p.extension().is_some_and(|e| e == "json"));
        if !is_json {
            continue;
        }
        let mut json = Vec::new();
        entry.read_to_end(&mut json).expect("reading a tar member");
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&json) else { continue };
        if value.get("withdrawn").is_some() {
            continue;
        }
        let package = &value["affected"][0]["package"];
        let (Some(id), Some(ecosystem), Some(name)) =
            (value["id"].as_str(), package["ecosystem"].as_str(), package["name"].as_str())
        else {
            continue;
        };
        out.push(Record { id: id.to_owned(), ecosystem: ecosystem.to_owned(), package: name.to_owned(), json });
        if out.len() == count {
            break;
        }
    }
    assert_eq!(out.len(), count, "{} holds fewer than {count} usable records", archive.display());
    out
}

/// An `all.zip` of `records`.
pub(crate) fn all_zip(records: &[Record]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for r in records {
        zip.start_file(format!("{}.json", r.id), options).expect("zip member");
        zip.write_all(&r.json).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// A package name as the store keeps it: PyPI names normalised per PEP 503, others unchanged.
pub(crate) fn stored_name(ecosystem: &str, name: &str) -> String {
    if ecosystem != "PyPI" {
        return name.to_owned();
    }
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}
