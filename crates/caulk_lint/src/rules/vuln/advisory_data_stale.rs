//! VU004: the advisory data is more than a week old.

use crate::vuln::{STALE_AFTER_DAYS, VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Reports when the newest import in the advisory store is more than 7 days old.
    ///
    /// ## Why is this bad?
    /// Dozens of advisories are published every day; a week-old store misses the newest ones,
    /// which are often the ones being exploited.
    ///
    /// ## Example
    /// A CI cache holding an advisory store downloaded a month ago.
    ///
    /// Use instead: run `caulk db update` daily (or refresh the offline copies you import).
    ///
    /// ## References
    /// - [OSV data exports](https://google.github.io/osv.dev/data/#data-dumps)
    pub(crate) struct AdvisoryDataStale {
        code: "VU004",
        name: "advisory-data-stale",
        summary: "advisory data older than 7 days",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for AdvisoryDataStale {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        if let Some(days) = facts.data_age_days.filter(|d| *d > STALE_AFTER_DAYS) {
            out.push(VulnNote::new(
                format!("the advisory data is {days} days old; advisories published since are not known"),
                "run `caulk db update`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vuln::run;

    #[test]
    fn fires_after_a_week() {
        let facts = VulnFacts { data_age_days: Some(8), ..VulnFacts::default() };
        assert_eq!(run(&AdvisoryDataStale, &facts).len(), 1);
    }

    #[test]
    fn quiet_within_a_week() {
        let facts = VulnFacts { data_age_days: Some(7), ..VulnFacts::default() };
        assert!(run(&AdvisoryDataStale, &facts).is_empty());
        assert!(run(&AdvisoryDataStale, &VulnFacts::default()).is_empty());
    }
}
