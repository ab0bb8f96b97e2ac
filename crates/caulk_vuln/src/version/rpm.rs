//! RPM version ordering (`rpmvercmp` over epoch, version, release), for AlmaLinux, Rocky, Red Hat,
//! SUSE, Azure Linux and the other rpm-based distributions.
//!
//! `[epoch:]version[-release]`: the epoch compares numerically (absent = 0), then version and
//! release with `rpmvercmp`: runs of ASCII letters or digits, everything else separates; `~` sorts
//! before anything (even the end), `^` after the end but before any further segment; a numeric
//! segment is newer than an alphabetic one; numbers compare without leading zeros.

use std::cmp::Ordering;

use super::{Ecosystem, VersionError, has_forbidden_char};

/// A parsed rpm EVR.
#[derive(Debug, Clone)]
pub(crate) struct RpmVersion {
    epoch: u64,
    version: Box<str>,
    release: Box<str>,
}

impl RpmVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(Ecosystem::Rpm, text, reason);
        if text.is_empty() {
            return Err(err("version string is empty"));
        }
        if has_forbidden_char(text) {
            return Err(err("version string contains whitespace or control characters"));
        }
        // Like rpm's parser, an epoch is a run of digits followed by `:`; anything else is version text.
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (epoch, rest) = match text.get(digits..).and_then(|r| r.strip_prefix(':')) {
            Some(rest) => {
                let e = text.get(..digits).unwrap_or_default();
                if e.is_empty() {
                    return Err(err("epoch is empty"));
                }
                (e.parse::<u64>().map_err(|_| err("epoch is too big"))?, rest)
            }
            None => (0, text),
        };
        let (version, release) = match rest.rsplit_once('-') {
            Some((v, r)) => {
                if r.is_empty() {
                    return Err(err("release is empty"));
                }
                (v, r)
            }
            None => (rest, ""),
        };
        if version.is_empty() {
            return Err(err("version is empty"));
        }
        Ok(Self { epoch, version: version.into(), release: release.into() })
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| rpmvercmp(self.version.as_bytes(), other.version.as_bytes()))
            .then_with(|| rpmvercmp(self.release.as_bytes(), other.release.as_bytes()))
    }
}

fn is_separator(c: u8) -> bool {
    !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// The length of the run at the start of `s` whose bytes satisfy `pred`.
fn run(s: &[u8], pred: impl Fn(&u8) -> bool) -> usize {
    s.iter().take_while(|c| pred(c)).count()
}

/// rpm's `rpmvercmp` over one part (version or release).
fn rpmvercmp(mut a: &[u8], mut b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    loop {
        a = a.get(run(a, |&c| is_separator(c))..).unwrap_or_default();
        b = b.get(run(b, |&c| is_separator(c))..).unwrap_or_default();
        if a.is_empty() && b.is_empty() {
            return Ordering::Equal;
        }
        let (ca, cb) = (a.first().copied(), b.first().copied());
        // `~` sorts before everything, the end included.
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            a = a.get(1..).unwrap_or_default();
            b = b.get(1..).unwrap_or_default();
            continue;
        }
        // `^` sorts after the end, but before anything else.
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            a = a.get(1..).unwrap_or_default();
            b = b.get(1..).unwrap_or_default();
            continue;
        }
        if a.is_empty() || b.is_empty() {
            break;
        }
        let numeric = a.first().is_some_and(u8::is_ascii_digit);
        let class: fn(&u8) -> bool = if numeric { u8::is_ascii_digit } else { u8::is_ascii_alphabetic };
        let (la, lb) = (run(a, class), run(b, class));
        let (seg_a, seg_b) = (a.get(..la).unwrap_or_default(), b.get(..lb).unwrap_or_default());
        if seg_b.is_empty() {
            // Different segment types: numeric is newer than alphabetic.
            return if numeric { Ordering::Greater } else { Ordering::Less };
        }
        let ord = if numeric {
            let za = seg_a.get(run(seg_a, |&c| c == b'0')..).unwrap_or_default();
            let zb = seg_b.get(run(seg_b, |&c| c == b'0')..).unwrap_or_default();
            za.len().cmp(&zb.len()).then_with(|| za.cmp(zb))
        } else {
            seg_a.cmp(seg_b)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        a = a.get(la..).unwrap_or_default();
        b = b.get(lb..).unwrap_or_default();
    }
    // Whichever still has segments is newer.
    if a.is_empty() { Ordering::Less } else { Ordering::Greater }
}
