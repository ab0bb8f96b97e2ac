//! NX901: `error_log off` writes to a file named `off`.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `error_log off`.
    ///
    /// ## Why is this bad?
    /// `off` is not a keyword for `error_log` (it is for `access_log`): nginx logs errors to a
    /// file named `off` in its prefix directory. Errors end up somewhere nobody looks, and the
    /// file grows without rotation.
    ///
    /// ## Example
    /// ```nginx
    /// error_log off;
    /// ```
    /// Use instead:
    /// ```nginx
    /// error_log /dev/stderr warn;
    /// ```
    ///
    /// ## References
    /// - gixy-ng `error_log_off`
    /// - [nginx core: error_log](https://nginx.org/en/docs/ngx_core_module.html#error_log)
    pub(crate) struct ErrorLogOff {
        code: "NX901",
        name: "error-log-off",
        summary: "`error_log off` logs to a file named `off`",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["error_log_off"],
    }
}

impl NginxRule for ErrorLogOff {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("error_log") {
            if let Some(a) = n.d.args.first().filter(|a| a.value == "off") {
                cx.report(n.d, a.range, "`error_log off` does not disable logging: errors go to a file named `off`")
                    .set_help("log to stderr with a level: `error_log /dev/stderr warn;` (or `error_log /dev/null crit;` to discard)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorLogOff;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        let text = "error_log off;";
        let d = assert_fires(&ErrorLogOff, text);
        assert_eq!(d[0].range.slice(text), "off");
        assert_passes(&ErrorLogOff, "error_log /dev/stderr warn; access_log off;");
    }
}
