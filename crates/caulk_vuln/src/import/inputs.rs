//! The containers advisory documents arrive in — a JSON file, a directory tree, osv.dev's
//! per-ecosystem `all.zip`, a `.tar.gz` of a feed repository — read as streams with every
//! document's size bounded, so a huge or lying member costs a malformed entry, not memory.

use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use super::{Collector, MAX_DOCUMENT_BYTES};
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Zip,
    TarGz,
    Tar,
}

pub(super) fn read(path: &Path, collector: &mut Collector) -> Result<(), StoreError> {
    let fail = |message: String| StoreError::Input { path: path.display().to_string(), message };
    let metadata = fs::metadata(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    if metadata.is_dir() {
        return directory(path, collector).map_err(|e| fail(format!("cannot read the directory: {e}")));
    }
    let mut file = File::open(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let kind = match kind_by_name(path) {
        Some(kind) => kind,
        None => {
            let kind = sniff(&mut file).map_err(|e| fail(format!("cannot read: {e}")))?;
            file = File::open(path).map_err(|e| fail(format!("cannot read: {e}")))?;
            kind.ok_or_else(|| {
                fail(
                    "not a supported input: expected a .json file, a directory, a .zip, .tar.gz/.tgz or .tar"
                        .to_owned(),
                )
            })?
        }
    };
    let label = path.display().to_string();
    match kind {
        Kind::Json => match read_bounded(file, metadata.len()) {
            Ok(bytes) => collector.document(&label, &bytes),
            Err(message) => collector.malformed(&label, message),
        },
        Kind::Zip => zip(&label, BufReader::new(file), collector).map_err(fail)?,
        Kind::TarGz => tar(&label, flate2::read::GzDecoder::new(BufReader::new(file)), collector).map_err(fail)?,
        Kind::Tar => tar(&label, BufReader::new(file), collector).map_err(fail)?,
    }
    Ok(())
}

fn kind_by_name(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".json") {
        Some(Kind::Json)
    } else if name.ends_with(".zip") {
        Some(Kind::Zip)
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(Kind::TarGz)
    } else if name.ends_with(".tar") {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Recognises a file without a telling name (a download in a temporary file) by its first bytes.
fn sniff(file: &mut File) -> io::Result<Option<Kind>> {
    let mut head = Vec::with_capacity(512);
    file.take(512).read_to_end(&mut head)?;
    let first = head.iter().position(|b| !b.is_ascii_whitespace()).and_then(|i| head.get(i));
    Ok(if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if head.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::TarGz)
    } else if head.get(257..262) == Some(b"ustar".as_slice()) {
        Some(Kind::Tar)
    } else if head.starts_with(b"\xef\xbb\xbf") || matches!(first, Some(b'{' | b'[')) {
        Some(Kind::Json)
    } else {
        None
    })
}

fn is_json(name: &str) -> bool {
    name.len() >= 5 && name.get(name.len() - 5..).is_some_and(|e| e.eq_ignore_ascii_case(".json"))
}

/// Reads one document, refusing more than [`MAX_DOCUMENT_BYTES`] whatever size was declared.
fn read_bounded(reader: impl Read, declared: u64) -> Result<Vec<u8>, String> {
    let too_big = || format!("larger than {} MiB; not read", MAX_DOCUMENT_BYTES >> 20);
    if declared > MAX_DOCUMENT_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    reader.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Every `.json` file under `root` in sorted path order. Hidden entries (`.git`, `.github`) and
/// symlinked directories are not entered, so a checkout's tooling files and link loops stay out.
fn directory(root: &Path, collector: &mut Collector) -> io::Result<()> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    let mut first = true;
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if first => return Err(e),
            Err(e) => {
                collector.malformed(&dir.display().to_string(), format!("cannot read the directory: {e}"));
                continue;
            }
        };
        first = false;
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    collector.malformed(&dir.display().to_string(), format!("cannot read the directory: {e}"));
                    continue;
                }
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(path),
                Ok(t) if is_json(&name) && (t.is_file() || (t.is_symlink() && path.is_file())) => files.push(path),
                Ok(_) => {}
                Err(e) => collector.malformed(&path.display().to_string(), format!("cannot read: {e}")),
            }
        }
    }
    files.sort();
    for path in files {
        let label = path.display().to_string();
        let read = File::open(&path)
            .and_then(|f| Ok((f.metadata()?.len(), f)))
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|(len, f)| read_bounded(f, len));
        match read {
            Ok(bytes) => collector.document(&label, &bytes),
            Err(message) => collector.malformed(&label, message),
        }
    }
    Ok(())
}

/// Every `.json` member of a zip archive, named `archive.zip!member` in reports.
fn zip(label: &str, reader: BufReader<File>, collector: &mut Collector) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| format!("not a zip archive: {e}"))?;
    for i in 0..archive.len() {
        let mut member = match archive.by_index(i) {
            Ok(member) => member,
            Err(e) => {
                collector.malformed(&format!("{label}!#{i}"), format!("cannot read the member: {e}"));
                continue;
            }
        };
        let name = match member.name() {
            Ok(name) => name.into_owned(),
            Err(e) => {
                collector.malformed(&format!("{label}!#{i}"), format!("unreadable member name: {e}"));
                continue;
            }
        };
        if !member.is_file() || !is_json(&name) {
            continue;
        }
        let declared = member.size();
        let member_label = format!("{label}!{name}");
        match read_bounded(&mut member, declared) {
            Ok(bytes) => collector.document(&member_label, &bytes),
            Err(message) => collector.malformed(&member_label, message),
        }
    }
    Ok(())
}

/// Every `.json` regular file of a tar stream, named `archive.tar.gz!member` in reports. A stream
/// that breaks after its first member is reported and ends the archive; one that never yields a
/// member is not a tar archive at all.
fn tar(label: &str, reader: impl Read, collector: &mut Collector) -> Result<(), String> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| format!("not a tar archive: {e}"))?;
    let mut last: Option<PathBuf> = None;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => match &last {
                None => return Err(format!("not a tar archive: {e}")),
                Some(after) => {
                    collector.malformed(label, format!("archive cut short after {}: {e}", after.display()));
                    break;
                }
            },
        };
        let name = entry.path().map(std::borrow::Cow::into_owned).unwrap_or_default();
        last = Some(name.clone());
        let name = name.to_string_lossy();
        if !entry.header().entry_type().is_file() || !is_json(&name) {
            continue;
        }
        let declared = entry.size();
        let member_label = format!("{label}!{name}");
        match read_bounded(&mut entry, declared) {
            Ok(bytes) => collector.document(&member_label, &bytes),
            Err(message) => collector.malformed(&member_label, message),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_bounded() {
        assert!(read_bounded(&b"{}"[..], 2).is_ok());
        assert!(read_bounded(&b"{}"[..], MAX_DOCUMENT_BYTES + 1).unwrap_err().contains("64 MiB"));
        // A declared size that lies low is still cut at the bound.
        let endless = io::repeat(b' ');
        assert!(read_bounded(endless, 10).unwrap_err().contains("larger than"));
    }

    #[test]
    fn json_names() {
        assert!(is_json("a/B.JSON"));
        assert!(!is_json("json"));
        assert!(!is_json("a.json.gz"));
        assert_eq!(kind_by_name(Path::new("x/all.zip")), Some(Kind::Zip));
        assert_eq!(kind_by_name(Path::new("x.TGZ")), Some(Kind::TarGz));
        assert_eq!(kind_by_name(Path::new("download")), None);
    }
}
