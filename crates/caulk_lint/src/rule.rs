//! How a rule is declared: `declare_rule!` captures the doc comment as documentation and the
//! metadata as a `RuleMeta`, so docs and code never drift.

use caulk_core::RuleMeta;

use crate::checker::Checker;

/// Declares a rule: the doc comment is its documentation (`## What it does`, `## Why is this bad?`,
/// `## Example`, `## References`), the fields are its metadata.
macro_rules! declare_rule {
    // Dockerfile rules omit `target`
    (
        $(#[doc = $doc:expr])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $slug:literal,
            summary: $summary:literal,
            severity: $sev:ident,
            fix: $fix:ident,
            aliases: [$($alias:literal),* $(,)?] $(,)?
        }
    ) => {
        declare_rule! {
            $(#[doc = $doc])+
            $vis struct $name {
                code: $code,
                name: $slug,
                summary: $summary,
                severity: $sev,
                target: Dockerfile,
                fix: $fix,
                aliases: [$($alias),*],
            }
        }
    };
    (
        $(#[doc = $doc:expr])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $slug:literal,
            summary: $summary:literal,
            severity: $sev:ident,
            target: $target:ident,
            fix: $fix:ident,
            aliases: [$($alias:literal),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub(crate) const META: caulk_core::RuleMeta = caulk_core::RuleMeta {
                code: $code,
                name: $slug,
                summary: $summary,
                severity: caulk_core::Severity::$sev,
                target: caulk_core::TargetKind::$target,
                since: "0.1.0",
                fix: caulk_core::FixAvailability::$fix,
                aliases: &[$($alias),*],
                docs: concat!($($doc, "\n"),+),
            };
        }

        impl $crate::rule::HasMeta for $name {
            fn meta(&self) -> &'static caulk_core::RuleMeta {
                &Self::META
            }
        }
    };
}

/// Gives a rule value its static metadata (implemented by `declare_rule!`).
pub trait HasMeta {
    fn meta(&self) -> &'static RuleMeta;
}

/// A Dockerfile rule: reads the shared model through the checker and reports findings.
pub trait DockerfileRule: HasMeta + Sync + Send {
    fn check(&self, cx: &mut Checker<'_>);
}

/// The documentation of a rule with the one leading space `///` comments leave removed.
pub fn docs(meta: &RuleMeta) -> String {
    let mut out = String::with_capacity(meta.docs.len());
    for line in meta.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}
