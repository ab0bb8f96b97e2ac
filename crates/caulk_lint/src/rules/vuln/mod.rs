//! Vulnerability-policy rules (`VU`), one file each.

pub(crate) mod advisory_data_stale;
pub(crate) mod ignore_entry_expired;
pub(crate) mod ignore_entry_unused;
pub(crate) mod ignore_file_invalid;
pub(crate) mod matching_skipped;
pub(crate) mod release_without_advisories;
pub(crate) mod version_not_comparable;

use crate::vuln::VulnRule;

/// Every VU rule, in code order.
pub(crate) static RULES: &[&dyn VulnRule] = &[
    &matching_skipped::MatchingSkipped,
    &release_without_advisories::ReleaseWithoutAdvisories,
    &version_not_comparable::VersionNotComparable,
    &advisory_data_stale::AdvisoryDataStale,
    &ignore_entry_expired::IgnoreEntryExpired,
    &ignore_entry_unused::IgnoreEntryUnused,
    &ignore_file_invalid::IgnoreFileInvalid,
];

#[cfg(test)]
pub(crate) fn run(rule: &dyn VulnRule, facts: &crate::vuln::VulnFacts) -> Vec<crate::vuln::VulnNote> {
    let mut out = Vec::new();
    rule.check(facts, &mut out);
    out
}
