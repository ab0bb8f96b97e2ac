//! VU003: a version that could not be compared, so a package may be unchecked.

use crate::vuln::{VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Reports installed versions (and advisory versions) that do not follow their ecosystem's
    /// version rules, so the advisory ranges they meet could not be evaluated.
    ///
    /// ## Why is this bad?
    /// A package whose version cannot be ordered is neither proven vulnerable nor proven safe.
    /// Scanners that skip such packages silently under-report; caulk counts and names them.
    ///
    /// ## Example
    /// A Python distribution installed from a local build with version `dev-snapshot`, which is
    /// not a PEP 440 version.
    ///
    /// Use instead: install released versions, or build with a valid version string.
    ///
    /// ## References
    /// - [PEP 440 version scheme](https://peps.python.org/pep-0440/)
    pub(crate) struct VersionNotComparable {
        code: "VU003",
        name: "version-not-comparable",
        summary: "a package version that advisory ranges could not be compared with",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for VersionNotComparable {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        for v in &facts.not_comparable {
            out.push(VulnNote::new(
                format!(
                    "`{}` version `{}` could not be compared in `{}`: {}",
                    v.package, v.version, v.ecosystem, v.message
                ),
                "this package's advisories were not evaluated; check it by hand",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vuln::run;
    use crate::vuln::NotComparable;

    #[test]
    fn fires_per_version() {
        let facts = VulnFacts {
            not_comparable: vec![NotComparable {
                package: "mylib".into(),
                version: "dev-snapshot".into(),
                ecosystem: "PyPI".into(),
                message: "not a PEP 440 version".into(),
            }],
            ..VulnFacts::default()
        };
        let notes = run(&VersionNotComparable, &facts);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("`mylib` version `dev-snapshot`"), "{}", notes[0].message);
    }

    #[test]
    fn quiet_when_everything_compares() {
        assert!(run(&VersionNotComparable, &VulnFacts::default()).is_empty());
    }
}
