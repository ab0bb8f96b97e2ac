//! DC504: logging is disabled.

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports services with `logging: { driver: none }`.
    ///
    /// ## Why is this bad?
    /// Without logs there is no trace of an intrusion, of failed logins, or of what the
    /// service did before it crashed. Rotate logs (`max-size`, `max-file`) instead of turning
    /// them off.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     logging:
    ///       driver: none
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     logging:
    ///       driver: json-file
    ///       options: {max-size: 10m, max-file: "3"}
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0014
    /// - [Compose file reference: logging](https://docs.docker.com/reference/compose-file/services/#logging)
    pub(crate) struct LoggingDisabled {
        code: "DC504",
        name: "logging-disabled",
        summary: "service logging is disabled",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["CL-0014"],
    }
}

impl ComposeRule for LoggingDisabled {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let Some(driver) = service.node.path(&["logging", "driver"]) else { continue };
            if driver.as_str().is_some_and(|d| d.trim() == "none") {
                cx.report(driver, format!("service `{}` has logging disabled", service.name))
                    .set_help("use a logging driver (`json-file` or `local` with `max-size`/`max-file` rotation)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_none() {
        assert_fires(&LoggingDisabled, "services:\n  a:\n    logging: {driver: none}\n");
    }

    #[test]
    fn quiet_on_other_drivers() {
        assert_passes(&LoggingDisabled, "services:\n  a:\n    logging: {driver: local}\n  b:\n    image: x:1\n");
    }
}
