//! DF410: Python image without PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED.

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
    pub(crate) struct PythonEnvDefaults {
        code: "DF410",
        name: "python-env-defaults",
        summary: "Python image without PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED",
        severity: Info,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for PythonEnvDefaults {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
