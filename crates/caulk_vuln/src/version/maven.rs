//! Maven version ordering: the algorithm of Maven 3.8's `ComparableVersion`, which Maven itself and
//! the OSV `Maven` ecosystem use.
//!
//! The lowercased text splits into items at `.`, at `-` (which opens a nested list) and at every
//! letter/digit transition (which opens a nested list too; a `.X` qualifier is treated as `-X`).
//! Numbers compare numerically and are newer than strings and lists; known qualifiers order
//! `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `` = `ga` = `final` = `release` <
//! `sp` < unknown qualifiers (lexically); `a1`, `b1`, `m1` abbreviate `alpha-1`, `beta-1`,
//! `milestone-1`. Trailing zeros and release qualifiers are dropped, so `1.0.0` = `1` = `1-ga`.

use std::cmp::Ordering;

use super::{Ecosystem, VersionError, has_forbidden_char};

/// Known qualifiers in order; the empty string is the release.
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_RANK: u8 = 5;

#[derive(Debug, Clone)]
enum Item {
    /// Digits without leading zeros (`"0"` for zero).
    Int(Box<str>),
    /// A qualifier as its rank in [`QUALIFIERS`], or 7 and its text for an unknown qualifier.
    Str(u8, Box<str>),
    List(Vec<Item>),
}

impl Item {
    fn int(digits: &str) -> Self {
        let stripped = digits.trim_start_matches('0');
        Self::Int(if stripped.is_empty() { "0" } else { stripped }.into())
    }

    fn string(text: &str, followed_by_digit: bool) -> Self {
        let text = match (followed_by_digit, text) {
            (true, "a") => "alpha",
            (true, "b") => "beta",
            (true, "m") => "milestone",
            (_, "ga" | "final" | "release") => "",
            (_, "cr") => "rc",
            (_, t) => t,
        };
        match QUALIFIERS.iter().position(|q| *q == text) {
            Some(rank) => Self::Str(u8::try_from(rank).unwrap_or(u8::MAX), "".into()),
            None => Self::Str(7, text.into()),
        }
    }

    fn parsed(is_digit: bool, text: &str) -> Self {
        if is_digit { Self::int(text) } else { Self::string(text, false) }
    }

    /// Items that vanish at the end of a list: `0`, the release qualifier, an empty list.
    fn is_null(&self) -> bool {
        match self {
            Self::Int(d) => &**d == "0",
            Self::Str(rank, _) => *rank == RELEASE_RANK,
            Self::List(items) => items.is_empty(),
        }
    }

    /// Compares with the absence of an item (the other version ended).
    fn cmp_missing(&self) -> Ordering {
        match self {
            Self::Int(_) if self.is_null() => Ordering::Equal,
            Self::Int(_) => Ordering::Greater,
            Self::Str(rank, text) => (*rank, &**text).cmp(&(RELEASE_RANK, "")),
            Self::List(items) => items.iter().map(Item::cmp_missing).find(|o| o.is_ne()).unwrap_or(Ordering::Equal),
        }
    }

    fn cmp_item(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
            (Self::Int(_), _) => Ordering::Greater,
            (Self::Str(..), Self::Int(_) | Self::List(_)) => Ordering::Less,
            (Self::Str(ra, ta), Self::Str(rb, tb)) => (ra, ta).cmp(&(rb, tb)),
            (Self::List(_), Self::Int(_)) => Ordering::Less,
            (Self::List(_), Self::Str(..)) => Ordering::Greater,
            (Self::List(a), Self::List(b)) => cmp_lists(a, b),
        }
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => x.cmp_item(y),
            (Some(x), None) => x.cmp_missing(),
            (None, Some(y)) => y.cmp_missing().reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord.is_ne() {
            return ord;
        }
    }
    Ordering::Equal
}

/// Drops trailing null items, looking through (but keeping) non-null nested lists.
fn normalize(items: &mut Vec<Item>) {
    let mut i = items.len();
    while i > 0 {
        i -= 1;
        let (null, list) = match items.get(i) {
            Some(item) => (item.is_null(), matches!(item, Item::List(_))),
            None => break,
        };
        if null {
            items.remove(i);
        } else if !list {
            break;
        }
    }
}

/// A parsed Maven version.
#[derive(Debug, Clone)]
pub(crate) struct MavenVersion {
    items: Vec<Item>,
}

impl MavenVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let err = |reason: &str| VersionError::new(Ecosystem::Maven, text, reason);
        if text.is_empty() {
            return Err(err("version string is empty"));
        }
        if has_forbidden_char(text) || !text.is_ascii() {
            return Err(err("version contains whitespace, control or non-ASCII characters"));
        }
        if text.contains(['[', ']', '(', ')', ',']) {
            return Err(err("this is a version range, not a version"));
        }
        let s = text.to_ascii_lowercase();
        // The innermost list is last; each list belongs at the end of the one before it.
        let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
        let mut is_digit = false;
        let mut start = 0;
        for (i, c) in s.bytes().enumerate() {
            let piece = s.get(start..i).unwrap_or_default();
            match c {
                b'.' | b'-' => {
                    let item = if piece.is_empty() { Item::int("0") } else { Item::parsed(is_digit, piece) };
                    push(&mut stack, item);
                    start = i + 1;
                    if c == b'-' {
                        stack.push(Vec::new());
                    }
                }
                b'0'..=b'9' => {
                    if !is_digit && !piece.is_empty() {
                        // `1.0.X1` is treated like `1.0-X1`.
                        if stack.last().is_some_and(|l| !l.is_empty()) {
                            stack.push(Vec::new());
                        }
                        push(&mut stack, Item::string(piece, true));
                        start = i;
                        stack.push(Vec::new());
                    }
                    is_digit = true;
                }
                _ => {
                    if is_digit && !piece.is_empty() {
                        push(&mut stack, Item::int(piece));
                        start = i;
                        stack.push(Vec::new());
                    }
                    is_digit = false;
                }
            }
        }
        let rest = s.get(start..).unwrap_or_default();
        if !rest.is_empty() {
            if !is_digit && stack.last().is_some_and(|l| !l.is_empty()) {
                stack.push(Vec::new());
            }
            push(&mut stack, Item::parsed(is_digit, rest));
        }
        // Close the lists from the innermost out, normalizing each.
        let mut items = stack.pop().unwrap_or_default();
        normalize(&mut items);
        while let Some(mut parent) = stack.pop() {
            parent.push(Item::List(items));
            normalize(&mut parent);
            items = parent;
        }
        Ok(Self { items })
    }
}

fn push(stack: &mut [Vec<Item>], item: Item) {
    if let Some(list) = stack.last_mut() {
        list.push(item);
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}
