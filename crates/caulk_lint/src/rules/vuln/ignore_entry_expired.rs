//! VU005: a `.caulkignore` entry has expired and its vulnerability is reported again.

use crate::vuln::{VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Reports `.caulkignore` entries whose `until=` date has passed while the vulnerability they
    /// name is still present in the image. The vulnerability is reported again.
    ///
    /// ## Why is this bad?
    /// An ignore with an expiry date is a promise to revisit a risk. When the date passes and the
    /// package is still vulnerable, the decision has to be made again: upgrade, or renew the entry
    /// with a fresh reason.
    ///
    /// ## Example
    /// `CVE-2023-4911 until=2025-01-31 # glibc upgrade scheduled for January`
    ///
    /// Use instead: upgrade the package, or renew the entry with a new date and reason.
    ///
    /// ## References
    /// - [Trivy: ignore file with expiration](https://trivy.dev/latest/docs/configuration/filtering/#trivyignore)
    pub(crate) struct IgnoreEntryExpired {
        code: "VU005",
        name: "ignore-entry-expired",
        summary: "a .caulkignore entry past its expiry date names a present vulnerability",
        severity: Medium,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for IgnoreEntryExpired {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        for e in &facts.expired_ignores {
            out.push(VulnNote::new(
                format!(
                    "{}:{}: the ignore of `{}` expired on {}; the vulnerability is reported again",
                    e.file,
                    e.line,
                    e.id,
                    e.until.as_deref().unwrap_or("?")
                ),
                "upgrade the package, or renew the entry with a new `until=` date and reason",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vuln::run;
    use crate::vuln::IgnoreEntryRef;

    #[test]
    fn fires_on_an_expired_entry() {
        let facts = VulnFacts {
            expired_ignores: vec![IgnoreEntryRef {
                file: ".caulkignore".into(),
                line: 3,
                id: "CVE-2023-4911".into(),
                until: Some("2025-01-31".into()),
            }],
            ..VulnFacts::default()
        };
        let notes = run(&IgnoreEntryExpired, &facts);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.starts_with(".caulkignore:3: the ignore of `CVE-2023-4911` expired on 2025-01-31"));
    }

    #[test]
    fn quiet_without_expired_entries() {
        assert!(run(&IgnoreEntryExpired, &VulnFacts::default()).is_empty());
    }
}
