//! Alpine apk version ordering (apk-tools `version.c` semantics), for Alpine, Wolfi and Chainguard.
//!
//! Grammar (Gentoo-style): `digits{.digits}[letter]{_suffix[digits]}[-rN]`. A version is a token
//! stream; two versions compare token by token by value, and where one stream continues and the
//! other does not, the longer one is newer unless it continues with a pre-release suffix
//! (`_alpha` < `_beta` < `_pre` < `_rc` < none < `_cvs` < `_svn` < `_git` < `_hg` < `_p`). Digits
//! after a `.` that start with `0` compare by their count of zeros first (apk's "leading zero" rule,
//! so `1.01` < `1.1`). apk's quirks are kept because apk itself orders this way: `1.1-r0` > `1.1`,
//! and after a `.0` component a pre-release suffix no longer sorts first (`1.0_rc1` > `1.0`).
//! Stricter than apk-tools: a version must start with a digit, and numbers of 18 or more digits
//! are rejected (as apk-tools 2.14 does) instead of overflowing.

use std::cmp::Ordering;

use super::{Ecosystem, VersionError, has_forbidden_char};

/// Token kinds in apk-tools order; the order matters when one version ends earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    DigitOrZero,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

/// A parsed apk version: its tokens, ending with an `End` sentinel.
#[derive(Debug, Clone)]
pub(crate) struct ApkVersion {
    tokens: Box<[(Kind, i64)]>,
}

impl ApkVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(Ecosystem::Apk, text, reason);
        if text.is_empty() {
            return Err(err("version string is empty"));
        }
        if has_forbidden_char(text) {
            return Err(err("version string contains whitespace or control characters"));
        }
        if !text.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(err("version does not start with a digit"));
        }
        tokenize(text.as_bytes()).map(|tokens| Self { tokens: tokens.into() }).map_err(err)
    }

    fn token(&self, i: usize) -> (Kind, i64) {
        self.tokens.get(i).copied().unwrap_or((Kind::End, 0))
    }
}

/// Reads the value of a token of kind `kind` at `s[pos..]`; returns the value, the new position, and
/// the kind forced on the next token (apk's leading-zero rule).
fn read_token(kind: Kind, s: &[u8], pos: usize) -> Result<(i64, usize, Option<Kind>), &'static str> {
    let rest = s.get(pos..).unwrap_or_default();
    let digits = |rest: &[u8]| {
        let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        let v = rest.iter().take(n).fold(0_i64, |v, &c| v.saturating_mul(10).saturating_add(i64::from(c - b'0')));
        (v, n)
    };
    match kind {
        Kind::DigitOrZero if rest.first() == Some(&b'0') => {
            let zeros = rest.iter().take_while(|&&c| c == b'0').count();
            let v = i64::try_from(zeros).unwrap_or(i64::MAX);
            Ok((-v, pos + zeros, Some(Kind::Digit)))
        }
        Kind::DigitOrZero | Kind::Digit | Kind::SuffixNo | Kind::RevisionNo => {
            let (v, n) = digits(rest);
            if n >= 18 {
                return Err("number has 18 or more digits");
            }
            Ok((v, pos + n, None))
        }
        Kind::Letter => match rest.first() {
            Some(&c) => Ok((i64::from(c), pos + 1, None)),
            None => Err("letter expected"),
        },
        Kind::Suffix => {
            if let Some((i, p)) = PRE_SUFFIXES.iter().enumerate().find(|(_, p)| rest.starts_with(p.as_bytes())) {
                let v = i64::try_from(i).unwrap_or(0) - 4;
                Ok((v, pos + p.len(), None))
            } else if let Some((i, p)) = POST_SUFFIXES.iter().enumerate().find(|(_, p)| rest.starts_with(p.as_bytes()))
            {
                Ok((i64::try_from(i).unwrap_or(0), pos + p.len(), None))
            } else {
                Err("unknown suffix (expected _alpha, _beta, _pre, _rc, _cvs, _svn, _git, _hg or _p)")
            }
        }
        Kind::End => Err("unexpected text after the end"),
    }
}

/// apk-tools' `next_token`: the kind of the token starting at `s[*pos]`, consuming its separator.
fn next_kind(kind: Kind, s: &[u8], pos: &mut usize) -> Result<Kind, &'static str> {
    let Some(&c) = s.get(*pos) else { return Ok(Kind::End) };
    let next = if matches!(kind, Kind::Digit | Kind::DigitOrZero) && c.is_ascii_lowercase() {
        Kind::Letter
    } else if kind == Kind::Letter && c.is_ascii_digit() {
        Kind::Digit
    } else if kind == Kind::Suffix && c.is_ascii_digit() {
        Kind::SuffixNo
    } else {
        let next = match c {
            b'.' => Kind::DigitOrZero,
            b'_' => Kind::Suffix,
            b'-' if s.get(*pos + 1) == Some(&b'r') => {
                *pos += 1;
                Kind::RevisionNo
            }
            _ => return Err("unexpected character"),
        };
        *pos += 1;
        next
    };
    let allowed_backwards = matches!(
        (next, kind),
        (Kind::DigitOrZero, Kind::Digit) | (Kind::Suffix, Kind::SuffixNo) | (Kind::Digit, Kind::Letter)
    );
    if next < kind && !allowed_backwards {
        return Err("version parts are out of order");
    }
    Ok(next)
}

fn tokenize(s: &[u8]) -> Result<Vec<(Kind, i64)>, &'static str> {
    let mut tokens = Vec::new();
    let mut kind = Kind::Digit;
    let mut pos = 0;
    while kind != Kind::End {
        let (value, end, forced) = read_token(kind, s, pos)?;
        tokens.push((kind, value));
        pos = end;
        kind = if pos >= s.len() {
            Kind::End
        } else if let Some(forced) = forced {
            forced
        } else {
            next_kind(kind, s, &mut pos)?
        };
    }
    tokens.push((Kind::End, 0));
    Ok(tokens)
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut i = 0;
        loop {
            let ((_, av), (_, bv)) = (self.token(i), other.token(i));
            if av != bv {
                return av.cmp(&bv);
            }
            let ((at, an), (bt, bn)) = (self.token(i + 1), other.token(i + 1));
            if at == bt {
                if at == Kind::End {
                    return Ordering::Equal;
                }
                i += 1;
                continue;
            }
            // Equal so far; the one that goes on is newer, unless it goes on with a pre-release suffix.
            if at == Kind::Suffix && an < 0 {
                return Ordering::Less;
            }
            if bt == Kind::Suffix && bn < 0 {
                return Ordering::Greater;
            }
            return bt.cmp(&at);
        }
    }
}
