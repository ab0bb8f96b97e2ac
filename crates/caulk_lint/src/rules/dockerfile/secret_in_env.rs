//! DF504: secret in ENV or ARG.

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// TODO
    ///
    /// ## Why is this bad?
    /// TODO
    ///
    /// ## Example
    /// ```dockerfile
    /// TODO
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// TODO
    /// ```
    ///
    /// ## References
    /// - TODO
    pub(crate) struct SecretInEnv {
        code: "DF504",
        name: "secret-in-env",
        summary: "secret in ENV or ARG",
        severity: Critical,
        fix: None,
        aliases: ["AVD-DS-0031"],
    }
}

impl DockerfileRule for SecretInEnv {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
