//! Go modules compiled into ELF binaries, read from the build information the Go linker embeds,
//! plus the Go standard library at the toolchain's version: most Go CVEs are in the standard
//! library, and a statically linked binary carries its own copy.
//!
//! The blob starts with `\xff Go buildinf:` on a 16-byte boundary, in `.go.buildinfo` when the
//! binary has sections and otherwise in the first writable, non-executable segment. Go 1.18 and
//! later write the toolchain version and the module information inline after the 32-byte header
//! (flag bit 2); older toolchains store two pointers to Go strings, resolved here through the
//! ELF program headers as `debug/buildinfo` does.
//!
//! Reported: the main module when it has a real version (`(devel)` builds are skipped), every
//! `dep` (its `=>` replacement when there is one; replacements by local directories, version
//! `(devel)`, are skipped because nothing published can be matched against them), and `stdlib`
//! at the toolchain's version as a semantic version (`go1.22.5` → `v1.22.5`). Binaries built
//! outside module mode (GOPATH builds, as Debian makes them) yield `stdlib` only. Every package
//! carries the binary's `GOARCH` as its architecture.

use std::fmt::Write as _;

use caulk_core::{Evidence, Package, PackageType};
use memchr::memmem;
use object::Endianness;
use object::elf::{FileHeader32, FileHeader64, PF_W, PF_X, PT_LOAD, SHT_NOBITS};
use object::read::elf::{FileHeader, ProgramHeader, SectionHeader};

use crate::analyzer::{AnalyzerOutput, StreamAnalyzer};

const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER: usize = 32;
const ALIGN: usize = 16;
/// How far into the data section Go's own reader looks for the blob.
const SEARCH: usize = 64 * 1024;
/// Longest string read through a pointer (Go refuses more than 4 GiB; buffers are smaller anyway).
const MAX_STRING: u64 = 16 << 20;

pub(crate) struct GoBinary;

impl StreamAnalyzer for GoBinary {
    fn name(&self) -> &'static str {
        "gobinary"
    }

    fn executables(&self) -> bool {
        true
    }

    fn wants(&self, head: &[u8]) -> bool {
        head.starts_with(b"\x7fELF")
    }

    fn analyze(&self, path: &str, content: &[u8], layer: u32, out: &mut AnalyzerOutput) {
        if let Some(info) = BuildInfo::parse(content) {
            out.packages.extend(info.packages(path, Some(layer)));
        }
    }
}

/// What the Go linker recorded about a binary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BuildInfo {
    /// Toolchain version as written (`go1.22.5`, `go1.21rc2`, `devel go1.23-abc`).
    pub(crate) go_version: String,
    /// Import path of the main package (`path` line).
    pub(crate) path: Option<String>,
    pub(crate) main: Option<Module>,
    pub(crate) deps: Vec<Module>,
    pub(crate) goos: Option<String>,
    pub(crate) goarch: Option<String>,
}

/// One module line (`mod` or `dep`) with its replacement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Module {
    pub(crate) path: String,
    pub(crate) version: String,
    pub(crate) replace: Option<Box<Module>>,
}

impl Module {
    /// The module whose code is in the binary: the replacement when there is one.
    fn effective(&self) -> &Module {
        self.replace.as_deref().unwrap_or(self)
    }
}

impl BuildInfo {
    /// Finds and decodes the build information of an ELF binary, or of any buffer holding the
    /// inline (Go ≥ 1.18) format. `None` when there is none or it does not decode.
    pub(crate) fn parse(data: &[u8]) -> Option<Self> {
        let elf = Elf::parse(data);
        let (version, modinfo) = elf
            .as_ref()
            .and_then(|e| {
                let region = e.data_start()?;
                decode(find_blob(region)?, Some(e))
            })
            .or_else(|| scan_inline(data))?;
        let mut info = parse_modinfo(&modinfo);
        info.go_version = version;
        Some(info)
    }

    /// The packages to report for the binary at `path`.
    pub(crate) fn packages(&self, path: &str, layer: Option<u32>) -> Vec<Package> {
        let pkg = |name: &str, version: String| Package {
            arch: self.goarch.clone(),
            ..Package::new(
                PackageType::Go,
                name,
                version,
                Evidence { path: path.to_owned(), layer, analyzer: "gobinary" },
            )
        };
        let mut out = Vec::new();
        let modules = self.main.iter().chain(&self.deps).map(Module::effective);
        for m in modules {
            if has_version(&m.version) {
                out.push(pkg(&m.path, m.version.clone()));
            }
        }
        if let Some(v) = stdlib_version(&self.go_version) {
            out.push(pkg("stdlib", v));
        }
        out
    }
}

fn has_version(v: &str) -> bool {
    !v.is_empty() && v != "(devel)"
}

/// Looks for the magic on a 16-byte boundary of `region`, as Go does, and returns the blob.
fn find_blob(region: &[u8]) -> Option<&[u8]> {
    let finder = memmem::Finder::new(MAGIC);
    let mut from = 0;
    while let Some(i) = finder.find(region.get(from..)?) {
        let at = from + i;
        if at % ALIGN == 0 && region.len() - at >= HEADER {
            return region.get(at..);
        }
        from = (at + ALIGN) & !(ALIGN - 1);
    }
    None
}

/// Decodes a blob that starts with the magic: `(toolchain version, module information)`.
fn decode(blob: &[u8], elf: Option<&Elf<'_>>) -> Option<(String, String)> {
    let ptr_size = usize::from(*blob.get(14)?);
    let flags = *blob.get(15)?;
    let (version, modinfo) = if flags & 2 != 0 {
        let rest = blob.get(HEADER..)?;
        let (version, rest) = varint_string(rest)?;
        let (modinfo, _) = varint_string(rest).unwrap_or((&[], &[]));
        (version.to_vec(), modinfo.to_vec())
    } else {
        let elf = elf?;
        let big = flags & 1 != 0;
        let read_ptr = |b: &[u8]| -> Option<u64> {
            match (ptr_size, big) {
                (4, false) => Some(u64::from(u32::from_le_bytes(b.get(..4)?.try_into().ok()?))),
                (4, true) => Some(u64::from(u32::from_be_bytes(b.get(..4)?.try_into().ok()?))),
                (8, false) => Some(u64::from_le_bytes(b.get(..8)?.try_into().ok()?)),
                (8, true) => Some(u64::from_be_bytes(b.get(..8)?.try_into().ok()?)),
                _ => None,
            }
        };
        let read_string = |addr: u64| -> Option<&[u8]> {
            let hdr = elf.read(addr, 2 * ptr_size as u64)?;
            let data = read_ptr(hdr)?;
            let len = read_ptr(hdr.get(ptr_size..)?)?;
            if len > MAX_STRING {
                return None;
            }
            elf.read(data, len)
        };
        let version = read_string(read_ptr(blob.get(16..)?)?)?;
        let modinfo = read_ptr(blob.get(16 + ptr_size..)?).and_then(read_string).unwrap_or_default();
        (version.to_vec(), modinfo.to_vec())
    };
    let version = String::from_utf8(version).ok()?;
    if !(version.starts_with("go") || version.starts_with("devel")) {
        return None;
    }
    Some((version, unframe(&modinfo)))
}

/// Strips the 16-byte sentinels around the module information (`cmd/go`'s infoStart/infoEnd).
fn unframe(modinfo: &[u8]) -> String {
    let n = modinfo.len();
    if n >= 33 && modinfo.get(n - 17) == Some(&b'\n') {
        String::from_utf8_lossy(&modinfo[16..n - 16]).into_owned()
    } else {
        String::new()
    }
}

/// A uvarint length followed by that many bytes; returns the bytes and what follows.
fn varint_string(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut len: u64 = 0;
    let mut shift = 0u32;
    let mut used = 0;
    loop {
        let b = *data.get(used)?;
        used += 1;
        if shift > 63 {
            return None;
        }
        len |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let len = usize::try_from(len).ok()?;
    let rest = data.get(used..)?;
    if len > rest.len() {
        return None;
    }
    Some(rest.split_at(len))
}

/// The inline format anywhere in the buffer, for binaries whose ELF structure does not lead to it.
fn scan_inline(data: &[u8]) -> Option<(String, String)> {
    let finder = memmem::Finder::new(MAGIC);
    let mut from = 0;
    while let Some(i) = finder.find(data.get(from..)?) {
        let at = from + i;
        if at % ALIGN == 0
            && let Some(blob) = data.get(at..)
            && blob.get(15).is_some_and(|f| f & 2 != 0)
            && let Some(found) = decode(blob, None)
        {
            return Some(found);
        }
        from = at + 1;
    }
    None
}

/// Parses the text `go version -m` prints, minus the toolchain line.
pub(crate) fn parse_modinfo(text: &str) -> BuildInfo {
    let mut info = BuildInfo::default();
    // Which module the next `=>` line replaces: the main module or the last dependency.
    let mut last_is_main = false;
    for line in text.lines() {
        let mut fields = line.split('\t');
        let key = fields.next().unwrap_or("");
        let mut module = || Module {
            path: fields.next().unwrap_or("").to_owned(),
            version: fields.next().unwrap_or("").to_owned(),
            replace: None,
        };
        match key {
            "path" => info.path = Some(module().path),
            "mod" => {
                info.main = Some(module());
                last_is_main = true;
            }
            "dep" => {
                info.deps.push(module());
                last_is_main = false;
            }
            "=>" => {
                let replacement = Some(Box::new(module()));
                let target = if last_is_main { info.main.as_mut() } else { info.deps.last_mut() };
                if let Some(t) = target {
                    t.replace = replacement;
                }
            }
            "build" => {
                let setting = line.strip_prefix("build\t").unwrap_or("");
                if let Some((k, v)) = setting.split_once('=') {
                    let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
                    match k {
                        "GOOS" => info.goos = Some(v.to_owned()),
                        "GOARCH" => info.goarch = Some(v.to_owned()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    info
}

/// The toolchain version as the semantic version Go's vulnerability database uses for `stdlib`:
/// `go1.22.5` → `v1.22.5`, `go1.20` → `v1.20.0`, `go1.21rc2` → `v1.21.0-rc.2`. Suffixes after the
/// version (` X:boringcrypto`, `-bigcorp`) are dropped; `devel` toolchains have none.
pub(crate) fn stdlib_version(toolchain: &str) -> Option<String> {
    let tag = toolchain.split_whitespace().next()?.strip_prefix("go")?;
    let number = |s: &str| -> (Option<u64>, usize) {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (s[..n].parse().ok(), n)
    };
    let (major, n) = number(tag);
    let major = major?;
    let mut rest = &tag[n..];
    let mut parts = [0u64; 2];
    for part in &mut parts {
        let Some(r) = rest.strip_prefix('.') else { break };
        let (v, n) = number(r);
        let Some(v) = v else { break };
        *part = v;
        rest = &r[n..];
    }
    let mut out = format!("v{major}.{}.{}", parts[0], parts[1]);
    for pre in ["alpha", "beta", "rc"] {
        if let Some(r) = rest.strip_prefix(pre) {
            if let (Some(n), _) = number(r) {
                let _ = write!(out, "-{pre}.{n}");
            }
            break;
        }
    }
    Some(out)
}

/// The parts of an ELF file the binary analyzers need (this one and `rustaudit`): named sections
/// and loadable segments.
pub(crate) struct Elf<'a> {
    data: &'a [u8],
    sections: Vec<Section<'a>>,
    loads: Vec<Segment>,
}

struct Section<'a> {
    name: &'a [u8],
    /// File bytes from the section's start to the end of the file (empty for `SHT_NOBITS`).
    from: &'a [u8],
    size: usize,
}

#[derive(Clone, Copy)]
struct Segment {
    vaddr: u64,
    offset: u64,
    filesz: u64,
    flags: u32,
}

impl<'a> Elf<'a> {
    /// Parses the headers of a 32- or 64-bit ELF file of either byte order.
    pub(crate) fn parse(data: &'a [u8]) -> Option<Self> {
        match data.get(..5)? {
            [0x7f, b'E', b'L', b'F', 1] => Self::parse_as::<FileHeader32<Endianness>>(data),
            [0x7f, b'E', b'L', b'F', 2] => Self::parse_as::<FileHeader64<Endianness>>(data),
            _ => None,
        }
    }

    fn parse_as<H: FileHeader<Endian = Endianness>>(data: &'a [u8]) -> Option<Self> {
        let header = H::parse(data).ok()?;
        let endian = header.endian().ok()?;
        let loads = header
            .program_headers(endian, data)
            .unwrap_or_default()
            .iter()
            .filter(|p| p.p_type(endian) == PT_LOAD)
            .map(|p| Segment {
                vaddr: p.p_vaddr(endian).into(),
                offset: p.p_offset(endian).into(),
                filesz: p.p_filesz(endian).into(),
                flags: p.p_flags(endian),
            })
            .collect();
        let mut sections = Vec::new();
        if let Ok(table) = header.sections(endian, data) {
            for s in table.iter() {
                let Ok(name) = table.section_name(endian, s) else { continue };
                let (offset, size): (u64, u64) = (s.sh_offset(endian).into(), s.sh_size(endian).into());
                let from = if s.sh_type(endian) == SHT_NOBITS {
                    &[][..]
                } else {
                    usize::try_from(offset).ok().and_then(|o| data.get(o..)).unwrap_or_default()
                };
                let size = usize::try_from(size).unwrap_or(usize::MAX).min(from.len());
                sections.push(Section { name, from, size });
            }
        }
        Some(Self { data, sections, loads })
    }

    /// The bytes of the section called `name`, when it exists and lies inside the file.
    pub(crate) fn section(&self, name: &[u8]) -> Option<&'a [u8]> {
        self.sections.iter().find(|s| s.name == name).and_then(|s| s.from.get(..s.size))
    }

    /// Where Go's reader starts looking: `.go.buildinfo`, else the first writable, non-executable
    /// segment; up to 64 KiB of it.
    fn data_start(&self) -> Option<&'a [u8]> {
        if let Some(s) = self.sections.iter().find(|s| s.name == b".go.buildinfo") {
            return s.from.get(..SEARCH.min(s.from.len()));
        }
        let seg = self.loads.iter().find(|p| p.flags & (PF_X | PF_W) == PF_W)?;
        let start = usize::try_from(seg.offset).ok()?;
        let len = usize::try_from(seg.filesz).unwrap_or(usize::MAX).min(SEARCH);
        let from = self.data.get(start..)?;
        from.get(..len.min(from.len()))
    }

    /// `len` bytes at virtual address `addr`, through the loadable segments.
    fn read(&self, addr: u64, len: u64) -> Option<&'a [u8]> {
        let seg = self.loads.iter().find(|p| p.vaddr <= addr && addr - p.vaddr < p.filesz)?;
        if len > seg.filesz - (addr - seg.vaddr) {
            return None;
        }
        let start = usize::try_from(seg.offset.checked_add(addr - seg.vaddr)?).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.data.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Module information framed by the 16-byte sentinels `cmd/go` writes.
    fn framed(text: &str) -> Vec<u8> {
        let mut v = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6".to_vec();
        v.extend_from_slice(text.as_bytes());
        v.extend_from_slice(b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2");
        v
    }

    fn uvarint(mut n: usize, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    /// A Go ≥ 1.18 blob: header with flag bit 2, then the two varint-prefixed strings.
    fn inline_blob(version: &str, modinfo: &[u8]) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&[8, 2]);
        b.resize(HEADER, 0);
        uvarint(version.len(), &mut b);
        b.extend_from_slice(version.as_bytes());
        uvarint(modinfo.len(), &mut b);
        b.extend_from_slice(modinfo);
        b
    }

    const MODINFO: &str = "path\texample.com/app/cmd/app\n\
        mod\texample.com/app\tv1.4.0\th1:abc=\n\
        dep\tgithub.com/pkg/errors\tv0.9.1\th1:xyz=\n\
        dep\tgolang.org/x/net\tv0.10.0\th1:old=\n\
        =>\tgolang.org/x/net\tv0.23.0\th1:new=\n\
        dep\texample.com/local\tv0.0.0-00010101000000-000000000000\n\
        =>\t./local\t(devel)\t\n\
        build\t-compiler=gc\n\
        build\t-ldflags=\"-s -w\"\n\
        build\tCGO_ENABLED=0\n\
        build\tGOARCH=arm64\n\
        build\tGOOS=linux\n";

    fn names(pkgs: &[Package]) -> Vec<(String, String)> {
        pkgs.iter().map(|p| (p.name.clone(), p.version.clone())).collect()
    }

    #[test]
    fn inline_format_without_elf() {
        // Padding puts the blob on a 16-byte boundary, after a decoy magic that is not aligned.
        let mut data = vec![0u8; 35];
        data.extend_from_slice(MAGIC);
        data.resize(64, 0);
        data.extend_from_slice(&inline_blob("go1.22.5", &framed(MODINFO)));
        let info = BuildInfo::parse(&data).expect("build info");
        assert_eq!(info.go_version, "go1.22.5");
        assert_eq!(info.path.as_deref(), Some("example.com/app/cmd/app"));
        assert_eq!((info.goos.as_deref(), info.goarch.as_deref()), (Some("linux"), Some("arm64")));
        let pkgs = info.packages("/app", Some(2));
        assert_eq!(
            names(&pkgs),
            [
                ("example.com/app".into(), "v1.4.0".into()),
                ("github.com/pkg/errors".into(), "v0.9.1".into()),
                ("golang.org/x/net".into(), "v0.23.0".into()),
                ("stdlib".into(), "v1.22.5".into()),
            ]
        );
        assert!(pkgs.iter().all(|p| p.kind == PackageType::Go
            && p.arch.as_deref() == Some("arm64")
            && p.evidence == Evidence { path: "/app".into(), layer: Some(2), analyzer: "gobinary" }));
        assert_eq!(pkgs[3].purl(), "pkg:golang/stdlib@v1.22.5");
    }

    #[test]
    fn devel_main_module_is_skipped_but_deps_are_not() {
        let info = parse_modinfo("mod\texample.com/app\t(devel)\t\ndep\tgithub.com/a/b\tv1.0.0\th1:x=\n");
        let mut info = info;
        info.go_version = "go1.21.0".into();
        assert_eq!(
            names(&info.packages("/x", None)),
            [("github.com/a/b".into(), "v1.0.0".into()), ("stdlib".into(), "v1.21.0".into())]
        );
    }

    #[test]
    fn gopath_build_has_only_stdlib() {
        let blob = inline_blob("go1.19.8", &[]);
        let info = BuildInfo::parse(&blob).unwrap();
        assert_eq!(names(&info.packages("/x", None)), [("stdlib".into(), "v1.19.8".into())]);
    }

    #[test]
    fn toolchain_versions() {
        for (tag, want) in [
            ("go1.22.5", Some("v1.22.5")),
            ("go1.20", Some("v1.20.0")),
            ("go1", Some("v1.0.0")),
            ("go1.21rc2", Some("v1.21.0-rc.2")),
            ("go1.9beta1", Some("v1.9.0-beta.1")),
            ("go1.22.5 X:boringcrypto", Some("v1.22.5")),
            ("go1.22.5-bigcorp", Some("v1.22.5")),
            ("devel go1.23-abc123 Tue", None),
            ("", None),
            ("gox", None),
        ] {
            assert_eq!(stdlib_version(tag).as_deref(), want, "{tag}");
        }
    }

    #[test]
    fn framing_is_required() {
        assert_eq!(unframe(b"mod\tx\tv1\n"), "");
        assert_eq!(unframe(&framed("dep\ta\tv1\n")), "dep\ta\tv1\n");
    }

    /// A minimal ELF with one loadable, writable segment mapping the whole file at `base`, no
    /// sections, and the pre-1.18 pointer format: the blob points at two Go string headers.
    fn pointer_elf(big: bool, wide: bool, version: &str, modinfo: &[u8]) -> Vec<u8> {
        let base: u64 = 0x40_0000;
        let (ehsize, phsize) = if wide { (64usize, 56usize) } else { (52, 32) };
        let ptr = if wide { 8 } else { 4 };
        let mut f = vec![0u8; ehsize + phsize];
        let put = |f: &mut Vec<u8>, at: usize, v: u64, n: usize| {
            let bytes = if big { v.to_be_bytes()[8 - n..].to_vec() } else { v.to_le_bytes()[..n].to_vec() };
            f[at..at + n].copy_from_slice(&bytes);
        };
        // Data after the headers, 16-aligned: blob, then string headers, then string bytes.
        let blob_at = (ehsize + phsize).next_multiple_of(16);
        f.resize(blob_at, 0);
        let hdr_at = blob_at + HEADER;
        let strings_at = hdr_at + 4 * ptr;
        f.extend_from_slice(MAGIC);
        f.extend_from_slice(&[ptr as u8, u8::from(big)]);
        f.resize(hdr_at + 4 * ptr, 0);
        f.extend_from_slice(version.as_bytes());
        f.extend_from_slice(modinfo);
        let va = |off: usize| base + off as u64;
        put(&mut f, blob_at + 16, va(hdr_at), ptr);
        put(&mut f, blob_at + 16 + ptr, va(hdr_at + 2 * ptr), ptr);
        put(&mut f, hdr_at, va(strings_at), ptr);
        put(&mut f, hdr_at + ptr, version.len() as u64, ptr);
        put(&mut f, hdr_at + 2 * ptr, va(strings_at + version.len()), ptr);
        put(&mut f, hdr_at + 3 * ptr, modinfo.len() as u64, ptr);
        let len = f.len() as u64;
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = if wide { 2 } else { 1 };
        f[5] = if big { 2 } else { 1 };
        f[6] = 1;
        put(&mut f, 16, 2, 2); // ET_EXEC
        put(&mut f, 18, 62, 2);
        put(&mut f, 20, 1, 4);
        if wide {
            put(&mut f, 32, 64, 8); // e_phoff
            put(&mut f, 52, 64, 2); // e_ehsize
            put(&mut f, 54, 56, 2); // e_phentsize
            put(&mut f, 56, 1, 2); // e_phnum
            put(&mut f, 58, 64, 2); // e_shentsize
            let p = 64;
            put(&mut f, p, 1, 4); // PT_LOAD
            put(&mut f, p + 4, 6, 4); // PF_R | PF_W
            put(&mut f, p + 8, 0, 8); // p_offset
            put(&mut f, p + 16, base, 8); // p_vaddr
            put(&mut f, p + 32, len, 8); // p_filesz
            put(&mut f, p + 40, len, 8); // p_memsz
        } else {
            put(&mut f, 28, 52, 4);
            put(&mut f, 40, 52, 2);
            put(&mut f, 42, 32, 2);
            put(&mut f, 44, 1, 2);
            put(&mut f, 46, 40, 2);
            let p = 52;
            put(&mut f, p, 1, 4);
            put(&mut f, p + 4, 0, 4);
            put(&mut f, p + 8, base, 4);
            put(&mut f, p + 16, len, 4);
            put(&mut f, p + 20, len, 4);
            put(&mut f, p + 24, 6, 4);
        }
        f
    }

    #[test]
    fn pointer_format_through_program_headers() {
        for (big, wide) in [(false, true), (true, true), (false, false), (true, false)] {
            let elf = pointer_elf(big, wide, "go1.16.15", &framed(MODINFO));
            let info = BuildInfo::parse(&elf).unwrap_or_else(|| panic!("big={big} wide={wide}"));
            assert_eq!(info.go_version, "go1.16.15");
            assert_eq!(info.main.as_ref().map(|m| m.version.as_str()), Some("v1.4.0"));
            assert_eq!(info.deps.len(), 3);
            assert_eq!(info.packages("/x", None).last().map(|p| p.version.as_str()), Some("v1.16.15"));
        }
    }

    #[test]
    fn dangling_pointers_are_not_followed() {
        let mut elf = pointer_elf(false, true, "go1.16.15", &framed(MODINFO));
        // Point the version string header far outside every segment.
        let blob = memmem::find(&elf, MAGIC).unwrap();
        elf[blob + 16..blob + 24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(BuildInfo::parse(&elf), None);
    }

    #[test]
    fn truncated_inline_blobs_do_not_decode() {
        let blob = inline_blob("go1.22.5", &framed(MODINFO));
        for n in 0..40 {
            assert_eq!(BuildInfo::parse(&blob[..n]), None, "{n}");
        }
        // A huge varint length is refused rather than trusted.
        let mut bad = MAGIC.to_vec();
        bad.extend_from_slice(&[8, 2]);
        bad.resize(HEADER, 0);
        bad.extend_from_slice(&[0xff; 12]);
        assert_eq!(BuildInfo::parse(&bad), None);
    }

    #[test]
    fn non_go_elf_yields_nothing() {
        let data = std::fs::read("/bin/true").unwrap_or_else(|_| b"\x7fELF".to_vec());
        let mut out = AnalyzerOutput::default();
        GoBinary.analyze("/bin/true", &data, 0, &mut out);
        assert!(out.packages.is_empty() && out.issues.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048), cut in 0usize..2048) {
            let _ = BuildInfo::parse(&bytes);
            let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
            elf.extend_from_slice(&bytes);
            let _ = BuildInfo::parse(&elf);
            let mut blob = inline_blob("go1.22.5", &framed(MODINFO));
            blob.extend_from_slice(&bytes);
            blob.truncate(cut.max(HEADER));
            let _ = BuildInfo::parse(&blob);
            let mut ptr = pointer_elf(false, true, "go1.16", &framed(MODINFO));
            let at = cut % ptr.len();
            for (i, b) in bytes.iter().take(16).enumerate() {
                if let Some(x) = ptr.get_mut(at + i) { *x ^= b; }
            }
            let _ = BuildInfo::parse(&ptr);
            let _ = parse_modinfo(&String::from_utf8_lossy(&bytes));
        }
    }
}
