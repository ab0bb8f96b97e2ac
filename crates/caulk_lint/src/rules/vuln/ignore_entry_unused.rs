//! VU006: a `.caulkignore` entry matched nothing.

use crate::vuln::{VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Reports `.caulkignore` entries that matched no vulnerability in any image of the run.
    ///
    /// ## Why is this bad?
    /// A stale entry hides nothing today but will silently hide the vulnerability if the package
    /// comes back at a vulnerable version. Entries for fixed issues should be deleted.
    ///
    /// ## Example
    /// `CVE-2021-44228 # log4j is not used` after log4j was removed from the image.
    ///
    /// Use instead: delete the entry.
    ///
    /// ## References
    /// - [Trivy: ignore file](https://trivy.dev/latest/docs/configuration/filtering/#trivyignore)
    pub(crate) struct IgnoreEntryUnused {
        code: "VU006",
        name: "ignore-entry-unused",
        summary: "a .caulkignore entry that matched no vulnerability",
        severity: Info,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for IgnoreEntryUnused {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        for e in &facts.unused_ignores {
            out.push(VulnNote::new(
                format!("{}:{}: `{}` matched no vulnerability in this run", e.file, e.line, e.id),
                "delete the entry so it cannot hide the vulnerability if it comes back",
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
    fn fires_on_an_unused_entry() {
        let facts = VulnFacts {
            unused_ignores: vec![IgnoreEntryRef {
                file: ".caulkignore".into(),
                line: 1,
                id: "CVE-2021-44228".into(),
                until: None,
            }],
            ..VulnFacts::default()
        };
        assert_eq!(
            run(&IgnoreEntryUnused, &facts)[0].message,
            ".caulkignore:1: `CVE-2021-44228` matched no vulnerability in this run"
        );
    }

    #[test]
    fn quiet_when_every_entry_is_used() {
        assert!(run(&IgnoreEntryUnused, &VulnFacts::default()).is_empty());
    }
}
