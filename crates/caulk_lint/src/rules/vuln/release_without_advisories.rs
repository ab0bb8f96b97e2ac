//! VU002: the advisory store has nothing for a release the image's packages belong to.

use crate::vuln::{VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Reports each ecosystem (a distribution release such as `Debian:12`, or a language
    /// ecosystem such as `PyPI`) that the image's packages belong to but the advisory store has
    /// no advisories for, with how many packages were therefore not checked.
    ///
    /// ## Why is this bad?
    /// Matching ran, so the report has a vulnerability section, but part of the image was not
    /// looked at: a Debian 12 image scanned against a store holding only Alpine and PyPI data
    /// shows zero OS vulnerabilities whatever it contains.
    ///
    /// ## Example
    /// A store filled with `caulk db import pypa-osv.tar.gz` and an image built on `debian:12`.
    ///
    /// Use instead: `caulk db update --ecosystem Debian` (or import the release's OSV export).
    ///
    /// ## References
    /// - [OSV ecosystems](https://ossf.github.io/osv-schema/#affectedpackage-field)
    pub(crate) struct ReleaseWithoutAdvisories {
        code: "VU002",
        name: "release-without-advisories",
        summary: "packages of an ecosystem the advisory store has no data for",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for ReleaseWithoutAdvisories {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        for (ecosystem, packages) in &facts.ecosystems_without_data {
            let noun = if *packages == 1 { "package was" } else { "packages were" };
            out.push(VulnNote::new(
                format!("{packages} {noun} not checked: the advisory store has no advisories for `{ecosystem}`"),
                format!(
                    "add the data: `caulk db update --ecosystem {}`, or `caulk db import` its OSV export",
                    ecosystem.split(':').next().unwrap_or(ecosystem)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vuln::run;

    #[test]
    fn fires_per_ecosystem_without_data() {
        let facts = VulnFacts { ecosystems_without_data: vec![("Debian:12".into(), 88)], ..VulnFacts::default() };
        let notes = run(&ReleaseWithoutAdvisories, &facts);
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].message,
            "88 packages were not checked: the advisory store has no advisories for `Debian:12`"
        );
        assert!(notes[0].help.contains("--ecosystem Debian"));
    }

    #[test]
    fn quiet_when_every_ecosystem_has_data() {
        assert!(run(&ReleaseWithoutAdvisories, &VulnFacts::default()).is_empty());
    }
}
