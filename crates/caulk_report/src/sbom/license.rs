//! Licence strings as packages declare them, turned into normalised SPDX expressions where they are
//! ones, so SBOM consumers can evaluate them; anything else is kept verbatim and never guessed at.

use ::spdx::lexer::{Lexer, Token};
use ::spdx::{Expression, LicenseId, ParseMode};

/// One declared licence string, classified the way both SBOM formats need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum License {
    /// A single identifier from the SPDX licence list (`MIT`, `GPL-2.0-or-later`).
    Id(String),
    /// A valid compound SPDX expression, normalised (`MIT OR Apache-2.0`, `Apache-1.0+`).
    Expression(String),
    /// Not SPDX (`BSD`, `Expat`, `GPL-2+`): kept as the package wrote it.
    Name(String),
}

impl License {
    /// The SPDX expression, if this is one.
    pub(super) fn spdx(&self) -> Option<&str> {
        match self {
            Self::Id(s) | Self::Expression(s) => Some(s),
            Self::Name(_) => None,
        }
    }
}

/// Lexing: `/` for OR, `GPL-2.0+`, deprecated identifiers and any-case terms (resolved below) are
/// accepted; imprecise names are not, because `spdx` maps `BSD` to `BSD-2-Clause`, a guess an SBOM
/// must not make.
const LEX: ParseMode = ParseMode {
    allow_slash_as_or_operator: true,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: true,
};

/// What the normalised text must parse as: the specification's grammar; deprecated identifiers
/// are still identifiers.
const CHECK: ParseMode = ParseMode { allow_deprecated: true, ..ParseMode::STRICT };

/// Classifies each non-empty string of a package's declared licences, dropping repeats.
pub(super) fn classify_all(declared: &[String]) -> Vec<License> {
    let mut out: Vec<License> = Vec::new();
    for l in declared.iter().filter_map(|s| classify(s)) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// `None` for blank strings.
pub(super) fn classify(raw: &str) -> Option<License> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    Some(match normalize(raw) {
        Some(expr) if ::spdx::license_id(&expr).is_some_and(|id| id.name == expr) => License::Id(expr),
        Some(expr) => License::Expression(expr),
        None => License::Name(raw.to_owned()),
    })
}

/// All licences of a package as one expression (`(MIT OR Apache-2.0) AND Zlib`), or `None` when
/// there are none or any of them is not SPDX.
pub(super) fn conjunction(licenses: &[License]) -> Option<String> {
    let parts: Vec<&str> = licenses.iter().map(License::spdx).collect::<Option<_>>()?;
    let joined = match parts.as_slice() {
        [] => return None,
        [one] => (*one).to_owned(),
        many => many
            .iter()
            .map(|p| if p.contains(" OR ") { format!("({p})") } else { (*p).to_owned() })
            .collect::<Vec<_>>()
            .join(" AND "),
    };
    Expression::parse_mode(&joined, CHECK).is_ok().then_some(joined)
}

/// The canonical text of an SPDX expression: identifiers in their listed case, operators upper
/// case, `GPL-2.0` → `GPL-2.0-only`, `GPL-2.0+` → `GPL-2.0-or-later`, single spaces.
fn normalize(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    // A licence is written once we know whether a `+` follows it.
    let mut pending: Option<LicenseId> = None;
    for tok in Lexer::new_mode(raw, LEX) {
        let tok = tok.ok()?.token;
        if !matches!(tok, Token::Plus)
            && let Some(id) = pending.take()
        {
            push_license(&mut out, id, false);
        }
        match tok {
            Token::Spdx(id) => pending = Some(id),
            Token::Plus => push_license(&mut out, pending.take()?, true),
            Token::Exception(e) => out.push_str(e.name),
            Token::And => out.push_str(" AND "),
            Token::Or => out.push_str(" OR "),
            Token::With => out.push_str(" WITH "),
            Token::OpenParen => out.push('('),
            Token::CloseParen => out.push(')'),
            Token::LicenseRef { doc_ref, lic_ref } => {
                if let Some(d) = doc_ref {
                    out.push_str("DocumentRef-");
                    out.push_str(d);
                    out.push(':');
                }
                out.push_str("LicenseRef-");
                out.push_str(lic_ref);
            }
            Token::AdditionRef { doc_ref, add_ref } => {
                if let Some(d) = doc_ref {
                    out.push_str("DocumentRef-");
                    out.push_str(d);
                    out.push(':');
                }
                out.push_str("AdditionRef-");
                out.push_str(add_ref);
            }
            Token::Unknown(term) => match resolve_any_case(term)? {
                Term::License(id) => pending = Some(id),
                Term::Exception(name) => out.push_str(name),
                Term::Operator(op) => out.push_str(op),
            },
        }
    }
    if let Some(id) = pending {
        push_license(&mut out, id, false);
    }
    Expression::parse_mode(&out, CHECK).ok()?;
    Some(out)
}

/// A term the lexer did not know in the case it was written.
enum Term {
    License(LicenseId),
    Exception(&'static str),
    Operator(&'static str),
}

/// SPDX identifiers and operators match case-insensitively (SPDX 2.3 annex D); the lexer only
/// knows the listed case and all-lower operators.
fn resolve_any_case(term: &str) -> Option<Term> {
    for op in [" AND ", " OR ", " WITH "] {
        if op.trim().eq_ignore_ascii_case(term) {
            return Some(Term::Operator(op));
        }
    }
    if let Some(l) = ::spdx::identifiers::LICENSES.iter().find(|l| l.name.eq_ignore_ascii_case(term)) {
        return ::spdx::license_id(l.name).map(Term::License);
    }
    ::spdx::identifiers::EXCEPTIONS.iter().find(|e| e.name.eq_ignore_ascii_case(term)).map(|e| Term::Exception(e.name))
}

/// GNU licences use `-only`/`-or-later` instead of a bare id and `+`; every other licence keeps `+`.
fn push_license(out: &mut String, id: LicenseId, or_later: bool) {
    if id.is_gnu() {
        let name = id.name;
        let later = or_later || name.ends_with("-or-later");
        let base = name.strip_suffix("-or-later").or_else(|| name.strip_suffix("-only")).unwrap_or(name);
        if let Some(gnu) = ::spdx::gnu_license_id(base, later) {
            out.push_str(gnu.name);
            return;
        }
    }
    out.push_str(id.name);
    if or_later && !id.name.ends_with("-or-later") {
        out.push('+');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Option<License> {
        classify(s)
    }

    #[test]
    fn identifiers_are_ids() {
        assert_eq!(norm("MIT"), Some(License::Id("MIT".into())));
        assert_eq!(norm(" mit "), Some(License::Id("MIT".into())));
        assert_eq!(norm("apache-2.0"), Some(License::Id("Apache-2.0".into())));
        assert_eq!(norm("GPL-2.0+"), Some(License::Id("GPL-2.0-or-later".into())));
        assert_eq!(norm("GPL-2.0"), Some(License::Id("GPL-2.0-only".into())));
        assert_eq!(norm("LGPL-2.1-or-later"), Some(License::Id("LGPL-2.1-or-later".into())));
    }

    #[test]
    fn expressions_are_normalised() {
        assert_eq!(norm("MIT OR Apache-2.0"), Some(License::Expression("MIT OR Apache-2.0".into())));
        assert_eq!(norm("mit  or  apache-2.0"), Some(License::Expression("MIT OR Apache-2.0".into())));
        assert_eq!(norm("MIT/Apache-2.0"), Some(License::Expression("MIT OR Apache-2.0".into())));
        assert_eq!(
            norm("(GPL-2.0+ WITH classpath-exception-2.0) and BSD-3-Clause"),
            Some(License::Expression("(GPL-2.0-or-later WITH Classpath-exception-2.0) AND BSD-3-Clause".into()))
        );
        assert_eq!(norm("Apache-1.0+"), Some(License::Expression("Apache-1.0+".into())));
        assert_eq!(norm("LicenseRef-acme"), Some(License::Expression("LicenseRef-acme".into())));
    }

    #[test]
    fn everything_else_is_a_name() {
        for s in ["BSD", "Expat", "GPL-2+", "Apache 2.0", "MIT OR", "(MIT", "public domain", "MIT AND AND BSD"] {
            assert_eq!(norm(s), Some(License::Name(s.to_owned())), "{s}");
        }
        assert_eq!(norm("  "), None);
        assert_eq!(norm(""), None);
    }

    #[test]
    fn conjunction_parenthesises_disjunctions() {
        let ls = classify_all(&["MIT OR Apache-2.0".into(), "Zlib".into(), String::new(), "Zlib".into()]);
        assert_eq!(ls.len(), 2);
        assert_eq!(conjunction(&ls).as_deref(), Some("(MIT OR Apache-2.0) AND Zlib"));
        assert_eq!(conjunction(&classify_all(&["MIT".into(), "BSD".into()])), None);
        assert_eq!(conjunction(&[]), None);
    }
}
