//! Shared helpers for the version-ordering tests: locating `../shared`, the CI/skip policy for
//! reference tools, reading `.tar.gz` members through `tar`, pulling strings out of JSON text, and a
//! small deterministic random source.
#![allow(dead_code, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// Compares every pair with caulk and sets the answers beside the reference tool's, given in the
/// same notation (`<`, `=`, `>`, or `E` for a version that is not one). Returns the pairs that
/// disagree, described with `tool`'s name, and how many pairs caulk rejected.
pub(crate) fn disagreements(
    ecosystem: caulk_vuln::version::Ecosystem,
    pairs: &[(String, String)],
    reference: &[String],
    tool: &str,
) -> (Vec<String>, usize) {
    let mut mismatches = Vec::new();
    let mut rejected = 0;
    for ((a, b), want) in pairs.iter().zip(reference) {
        let got = match caulk_vuln::version::compare(ecosystem, a, b) {
            Ok(std::cmp::Ordering::Less) => "<",
            Ok(std::cmp::Ordering::Equal) => "=",
            Ok(std::cmp::Ordering::Greater) => ">",
            Err(_) => {
                rejected += 1;
                "E"
            }
        };
        // Both sides must also agree on what is not a version (`E`).
        if got != want {
            mismatches.push(format!("{a} vs {b}: {tool} {want}, caulk {got}"));
        }
    }
    (mismatches, rejected)
}

/// Whether we run in CI, where missing references must fail instead of skip.
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// `../shared/data`, or `None` (after printing why) outside CI when it is missing.
pub(crate) fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(!in_ci(), "shared data missing at {} (required in CI)", dir.display());
    eprintln!("skipping: shared data not found at {}", dir.display());
    None
}

/// Applies the skip policy to a reference tool: true when usable; panics in CI when it is not.
pub(crate) fn reference_available(name: &str, available: bool) -> bool {
    if !available {
        assert!(!in_ci(), "reference implementation `{name}` is missing (required in CI)");
        eprintln!("skipping: reference implementation `{name}` is not available");
    }
    available
}

/// The concatenated contents of the members of `archive` matching the `tar` wildcard `pattern`.
pub(crate) fn tar_gz_cat(archive: &std::path::Path, pattern: &str) -> String {
    let out = Command::new("tar")
        .arg("-xzOf")
        .arg(archive)
        .args(["--wildcards", pattern])
        .output()
        .unwrap_or_else(|e| panic!("running tar on {}: {e}", archive.display()));
    assert!(
        out.status.success(),
        "tar -xzOf {} {pattern}: {}",
        archive.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Reads a JSON string literal starting just after its opening quote; returns it and the rest.
fn json_string(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, c)| c)).collect();
                    out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// Every string value of `"key"` in `text`: a string value, or the strings of an array value.
pub(crate) fn json_strings(text: &str, key: &str) -> Vec<String> {
    let needle = format!("\"{key}\"");
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(pos) = rest.find(&needle) {
        rest = &rest[pos + needle.len()..];
        let after = rest.trim_start();
        let Some(after) = after.strip_prefix(':') else { continue };
        let after = after.trim_start();
        if let Some(body) = after.strip_prefix('"') {
            if let Some((s, r)) = json_string(body) {
                found.push(s);
                rest = r;
            }
        } else if let Some(mut body) = after.strip_prefix('[') {
            loop {
                body = body.trim_start().trim_start_matches(',').trim_start();
                let Some(b) = body.strip_prefix('"') else { break };
                let Some((s, r)) = json_string(b) else { break };
                found.push(s);
                body = r;
            }
            rest = body;
        }
    }
    found
}

/// Encodes strings as a JSON array of pairs.
pub(crate) fn json_pairs(pairs: &[(String, String)]) -> String {
    fn enc(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
    let mut out = String::from("[");
    for (i, (a, b)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        enc(a, &mut out);
        out.push(',');
        enc(b, &mut out);
        out.push(']');
    }
    out.push(']');
    out
}

/// A tiny deterministic xorshift generator, so failures reproduce.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Pairs for a differential test: neighbours in sorted order within each group (close versions
/// are where orderings disagree), then random pairs across everything, deduplicated, at most `cap`.
pub(crate) fn pairs_from(groups: &[Vec<String>], cap: usize, rng: &mut Rng) -> Vec<(String, String)> {
    let mut pairs = std::collections::BTreeSet::new();
    let all: Vec<&String> = groups.iter().flatten().collect();
    for g in groups {
        let mut g = g.clone();
        g.sort();
        g.dedup();
        for w in g.windows(2) {
            pairs.insert((w[0].clone(), w[1].clone()));
        }
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    // Keep a deterministic sample of the neighbours, then fill with random pairs.
    while pairs.len() > cap * 3 / 4 {
        let i = rng.below(pairs.len());
        pairs.swap_remove(i);
    }
    if !all.is_empty() {
        while pairs.len() < cap {
            let (a, b) = (rng.pick(&all), rng.pick(&all));
            pairs.push((a.clone(), b.clone()));
        }
    }
    pairs
}
