//! VU001: vulnerability matching did not run.

use crate::vuln::{VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Says plainly that the image's packages were not checked for known vulnerabilities, and
    /// why: no advisory store has been downloaded or imported yet, or the store could not be read.
    /// Every other check of the image still ran.
    ///
    /// ## Why is this bad?
    /// A report without vulnerabilities looks like a clean bill of health. Without advisory data
    /// it is only silence: an image full of known-vulnerable packages would look the same.
    ///
    /// ## Example
    /// `caulk scan app.tar` on a machine where `caulk db update` never ran.
    ///
    /// Use instead: `caulk db update` (online) or `caulk db import FEEDS…` (offline copies of
    /// OSV exports, Alpine secdb, Node.js security WG), then scan again.
    ///
    /// ## References
    /// - [OSV data exports](https://google.github.io/osv.dev/data/#data-dumps)
    pub(crate) struct MatchingSkipped {
        code: "VU001",
        name: "vulnerability-matching-skipped",
        summary: "packages were not checked for known vulnerabilities",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for MatchingSkipped {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        if let Some(reason) = &facts.skipped {
            out.push(VulnNote::new(
                format!("vulnerability matching was skipped: {reason}"),
                "run `caulk db update`, or `caulk db import` offline copies of the advisory feeds, then scan again",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vuln::run;

    #[test]
    fn fires_when_matching_was_skipped() {
        let facts = VulnFacts { skipped: Some("no advisory store at /c/advisories.db".into()), ..VulnFacts::default() };
        let notes = run(&MatchingSkipped, &facts);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("/c/advisories.db"), "{}", notes[0].message);
    }

    #[test]
    fn quiet_when_matching_ran() {
        assert!(run(&MatchingSkipped, &VulnFacts::default()).is_empty());
    }
}
