//! VU007: a line of `.caulkignore` that is not a valid entry.

use crate::vuln::{VulnFacts, VulnNote, VulnRule};

declare_rule! {
    /// ## What it does
    /// Reports `.caulkignore` lines that are not valid entries: no id, an unknown `key=`, a date
    /// that is not `YYYY-MM-DD`, or no reason after `#`.
    ///
    /// ## Why is this bad?
    /// A malformed entry may not ignore what its author meant (a bad date never expires the
    /// way it should), and an ignore without a reason cannot be reviewed later.
    ///
    /// ## Example
    /// `CVE-2023-4911 until=31/01/2027`
    ///
    /// Use instead: `CVE-2023-4911 until=2027-01-31 # setuid binaries are removed in the final stage`
    ///
    /// ## References
    /// - [caulk: `.caulkignore`](https://example.invalid/caulk/docs/vulnerabilities.md)
    pub(crate) struct IgnoreFileInvalid {
        code: "VU007",
        name: "ignore-file-invalid",
        summary: "a .caulkignore line that is not a valid entry",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl VulnRule for IgnoreFileInvalid {
    fn check(&self, facts: &VulnFacts, out: &mut Vec<VulnNote>) {
        for p in &facts.ignore_problems {
            out.push(VulnNote::new(
                format!("{}:{}: {}", p.file, p.line, p.message),
                "entries read `ID [until=YYYY-MM-DD] [pkg=NAME] # reason`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::vuln::run;
    use crate::vuln::IgnoreProblemRef;

    #[test]
    fn fires_on_a_problem() {
        let facts = VulnFacts {
            ignore_problems: vec![IgnoreProblemRef {
                file: ".caulkignore".into(),
                line: 2,
                message: "`31/01/2027` is not a YYYY-MM-DD date".into(),
            }],
            ..VulnFacts::default()
        };
        assert!(run(&IgnoreFileInvalid, &facts)[0].message.starts_with(".caulkignore:2: "));
    }

    #[test]
    fn quiet_on_a_valid_file() {
        assert!(run(&IgnoreFileInvalid, &VulnFacts::default()).is_empty());
    }
}
