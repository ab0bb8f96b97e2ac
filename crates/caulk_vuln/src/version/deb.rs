//! dpkg version ordering (Debian policy §5.6.12), for Debian and Ubuntu packages.
//!
//! `[epoch:]upstream[-revision]`: epochs compare numerically, then upstream and revision with
//! dpkg's `verrevcmp`: alternating non-digit and digit runs, non-digits ordered `~` < end < letters
//! < other characters, digit runs numerically. Parsing follows dpkg's `parseversion`: its errors are
//! errors here, its warnings (e.g. upstream not starting with a digit) are accepted as dpkg does.

use std::cmp::Ordering;

use super::{Ecosystem, VersionError, has_forbidden_char};

/// A parsed dpkg version.
#[derive(Debug, Clone)]
pub(crate) struct DebVersion {
    epoch: u32,
    upstream: Box<str>,
    revision: Box<str>,
}

impl DebVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(Ecosystem::Debian, text, reason);
        // dpkg strips surrounding whitespace, but rejects it inside.
        let s = text.trim();
        if s.is_empty() {
            return Err(err("version string is empty"));
        }
        if has_forbidden_char(s) {
            return Err(err("version string has embedded spaces"));
        }
        let (epoch, rest) = match s.split_once(':') {
            Some((e, rest)) => {
                if e.is_empty() {
                    return Err(err("epoch in version is empty"));
                }
                if !e.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err("epoch in version is not number"));
                }
                let epoch = e
                    .parse::<u32>()
                    .ok()
                    .filter(|&n| i32::try_from(n).is_ok())
                    .ok_or_else(|| err("epoch in version is too big"))?;
                if rest.is_empty() {
                    return Err(err("nothing after colon in version number"));
                }
                (epoch, rest)
            }
            None => (0, s),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((u, r)) => {
                if r.is_empty() {
                    return Err(err("revision number is empty"));
                }
                (u, r)
            }
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(err("upstream version is empty"));
        }
        let allowed_upstream = |c: char| c.is_ascii_alphanumeric() || ".-+~:".contains(c);
        if !upstream.chars().all(allowed_upstream) {
            return Err(err("invalid character in version number"));
        }
        if !revision.chars().all(|c| c.is_ascii_alphanumeric() || ".+~".contains(c)) {
            return Err(err("invalid character in revision number"));
        }
        Ok(Self { epoch, upstream: upstream.into(), revision: revision.into() })
    }
}

impl PartialEq for DebVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DebVersion {}

impl PartialOrd for DebVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DebVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream.as_bytes(), other.upstream.as_bytes()))
            .then_with(|| verrevcmp(self.revision.as_bytes(), other.revision.as_bytes()))
    }
}

/// Weight of a non-digit character; `None` (end of string) and digits weigh 0.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

fn is_digit(c: Option<&u8>) -> bool {
    c.is_some_and(u8::is_ascii_digit)
}

/// dpkg's `verrevcmp` over one part (upstream or revision).
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // Non-digit prefix, compared character by character.
        while (i < a.len() && !is_digit(a.get(i))) || (j < b.len() && !is_digit(b.get(j))) {
            let (wa, wb) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if wa != wb {
                return wa.cmp(&wb);
            }
            i += 1;
            j += 1;
        }
        // Digit run, compared numerically: skip leading zeros, then longer wins, then first difference.
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while is_digit(a.get(i)) && is_digit(b.get(j)) {
            if first_diff == Ordering::Equal {
                first_diff = a.get(i).cmp(&b.get(j));
            }
            i += 1;
            j += 1;
        }
        if is_digit(a.get(i)) {
            return Ordering::Greater;
        }
        if is_digit(b.get(j)) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        DebVersion::parse(a).unwrap().cmp(&DebVersion::parse(b).unwrap())
    }

    #[test]
    fn policy_examples() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0-0"), Ordering::Equal);
        assert_eq!(cmp("1:0.1", "2.0"), Ordering::Greater);
        assert_eq!(cmp("1.0a", "1.0+"), Ordering::Less);
        assert_eq!(cmp("1.0~~", "1.0~"), Ordering::Less);
        assert_eq!(cmp("1.001", "1.1"), Ordering::Equal);
    }
}
