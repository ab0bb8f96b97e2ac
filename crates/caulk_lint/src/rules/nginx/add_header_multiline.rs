//! NX105: a header value written over several lines.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `add_header` and `more_set_headers` values that contain a line break (a quoted
    /// value continued on the next line).
    ///
    /// ## Why is this bad?
    /// nginx sends the line break as is: an obsolete folded header that many clients and
    /// proxies reject or split, so the policy (often a long `Content-Security-Policy`) is
    /// ignored or truncated.
    ///
    /// ## Example
    /// ```nginx
    /// add_header Content-Security-Policy "default-src 'self';
    ///     script-src 'self'";
    /// ```
    /// Use instead:
    /// ```nginx
    /// add_header Content-Security-Policy "default-src 'self'; script-src 'self'" always;
    /// ```
    ///
    /// ## References
    /// - gixy `add_header_multiline`
    /// - [RFC 9112 §5.2: obsolete line folding](https://www.rfc-editor.org/rfc/rfc9112#section-5.2)
    pub(crate) struct AddHeaderMultiline {
        code: "NX105",
        name: "add-header-multiline",
        summary: "header value spans several lines",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["add_header_multiline"],
    }
}

impl NginxRule for AddHeaderMultiline {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for n in &cx.model.nodes {
            if !(n.d.is("add_header") || n.d.is("more_set_headers")) {
                continue;
            }
            if let Some(a) = n.d.args.iter().find(|a| a.value.contains('\n')) {
                cx.report(n.d, a.range, "header value contains a line break").set_help("write the value on one line");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AddHeaderMultiline;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        assert_fires(&AddHeaderMultiline, "add_header Content-Security-Policy \"a;\n  b\";");
        assert_passes(&AddHeaderMultiline, "add_header Content-Security-Policy \"a; b\";");
    }
}
