//! Which runtime and OS release a tier builds on: one that still gets security fixes on the day
//! of the rewrite (from caulk's end-of-life data), and as close to the user's as that allows.

use crate::eol::{EolKind, lookup_release};

/// A release chosen for a rewrite, and the note explaining a change from the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub(crate) version: String,
    pub(crate) note: Option<String>,
}

/// Whether release `cycle` of the endoflife.date product `product` still gets fixes on `today`.
/// Releases the data does not know count as unsupported.
pub(crate) fn supported(product: &str, cycle: &str, today: &str) -> bool {
    lookup_release(EolKind::Runtime, product, cycle).is_some_and(|f| f.cycle == cycle && !f.ended_on_or_before(today))
}

fn end_of(product: &str, cycle: &str) -> Option<&'static str> {
    lookup_release(EolKind::Runtime, product, cycle).and_then(|f| f.eol_date())
}

fn numeric(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Picks among `candidates` (the releases images exist for, newest first): the user's release when
/// it is a candidate and supported; otherwise the oldest supported candidate not older than it
/// (the smallest move off an end-of-life release); without a user release, the newest supported.
pub(crate) fn choose(
    title: &str,
    product: &str,
    user: Option<&str>,
    candidates: &[&str],
    today: &str,
) -> Option<Choice> {
    let ok: Vec<&str> = candidates.iter().copied().filter(|c| supported(product, c, today)).collect();
    let Some(user) = user else {
        return ok.first().map(|v| Choice { version: (*v).to_owned(), note: None });
    };
    if ok.contains(&user) {
        return Some(Choice { version: user.to_owned(), note: None });
    }
    let wanted = numeric(user);
    let pick = ok.iter().rev().find(|c| numeric(c) >= wanted).or_else(|| ok.first())?;
    let why = if supported(product, user, today) {
        format!("{title} {user} has no image for this tier")
    } else {
        match end_of(product, user) {
            Some(d) => format!("{title} {user} reached end of life on {d}"),
            None => format!("{title} {user} no longer gets security fixes"),
        }
    };
    let until = end_of(product, pick).map(|d| format!(", supported until {d}")).unwrap_or_default();
    Some(Choice {
        version: (*pick).to_owned(),
        note: Some(format!("{why}: the rewrite uses {title} {pick}{until}; test the program on it")),
    })
}

/// The newest supported Go release (Go keeps old programs building), never older than the user's.
pub(crate) fn go(user: Option<&str>, today: &str) -> Option<Choice> {
    let newest = (20..=60).rev().map(|m| format!("1.{m}")).find(|v| supported("go", v, today))?;
    let version = match user {
        Some(u) if numeric(u) > numeric(&newest) => u.to_owned(),
        _ => newest,
    };
    let note = user.filter(|u| *u != version).map(|u| {
        format!("Go {u} is replaced by Go {version}, the newest supported release; Go keeps old programs building")
    });
    Some(Choice { version, note })
}

/// The newest supported Alpine Linux release, for runtime stages on plain `alpine`.
pub(crate) fn alpine(today: &str) -> Option<String> {
    (18..=40).rev().map(|m| format!("3.{m}")).find(|v| {
        lookup_release(EolKind::Os, "alpine-linux", v).is_some_and(|f| f.cycle == *v && !f.ended_on_or_before(today))
    })
}

/// Rust has no end-of-life data (only the newest stable release is supported); this is the
/// oldest toolchain the rewrite will build with.
pub(crate) const RUST_MINIMUM: &str = "1.91";

/// The Rust toolchain: the user's when newer than [`RUST_MINIMUM`], else the minimum.
pub(crate) fn rust(user: Option<&str>) -> Choice {
    match user {
        Some(u) if numeric(u) >= numeric(RUST_MINIMUM) => Choice { version: u.to_owned(), note: None },
        Some(u) => Choice {
            version: RUST_MINIMUM.to_owned(),
            note: Some(format!(
                "Rust {u} is replaced by Rust {RUST_MINIMUM}; only the newest stable Rust gets fixes, so raise it as new releases come out"
            )),
        },
        None => Choice { version: RUST_MINIMUM.to_owned(), note: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-22";

    #[test]
    fn keeps_supported_and_moves_off_eol() {
        let py = ["3.14", "3.13", "3.12", "3.11", "3.10"];
        assert_eq!(choose("Python", "python", Some("3.12"), &py, TODAY).map(|c| c.version).as_deref(), Some("3.12"));
        let c = choose("Python", "python", Some("3.9"), &py, TODAY).unwrap_or_else(|| unreachable!());
        // 3.10 ended on 2026-10-31, so the smallest move is to 3.11
        assert_eq!(c.version, "3.11");
        assert!(c.note.as_deref().is_some_and(|n| n.contains("2025-10-31")), "{c:?}");
        assert_eq!(choose("Python", "python", None, &py, TODAY).map(|c| c.version).as_deref(), Some("3.14"));
        let java = ["25", "21"];
        let c = choose("Java", "eclipse-temurin", Some("17"), &java, TODAY).unwrap_or_else(|| unreachable!());
        assert_eq!(c.version, "21");
        assert!(c.note.as_deref().is_some_and(|n| n.contains("no image")), "{c:?}");
        assert_eq!(
            choose("Node.js", "nodejs", Some("18"), &["24", "22", "20"], TODAY).map(|c| c.version).as_deref(),
            Some("22")
        );
    }

    #[test]
    fn go_alpine_and_rust() {
        let g = go(Some("1.21"), TODAY).unwrap_or_else(|| unreachable!());
        assert!(supported("go", &g.version, TODAY), "{g:?}");
        assert!(g.note.is_some());
        let a = alpine(TODAY).unwrap_or_default();
        assert!(a.starts_with("3."), "{a}");
        assert_eq!(rust(Some("1.75")).version, RUST_MINIMUM);
        assert_eq!(rust(Some("1.99")).version, "1.99");
    }
}
