//! NX701: `ssl_protocols` enables SSLv2/SSLv3/TLSv1/TLSv1.1.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `SSLv2`, `SSLv3`, `TLSv1` and `TLSv1.1` in `ssl_protocols` (http, stream and
    /// mail contexts).
    ///
    /// ## Why is this bad?
    /// These protocol versions have practical attacks (POODLE, BEAST) or rely on SHA-1/MD5,
    /// are deprecated by RFC 8996, and fail PCI DSS. Every current client speaks TLS 1.2+.
    ///
    /// ## Example
    /// ```nginx
    /// ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    /// ```
    /// Use instead:
    /// ```nginx
    /// ssl_protocols TLSv1.2 TLSv1.3;
    /// ```
    ///
    /// ## References
    /// - gixy-ng `weak_ssl_tls`
    /// - [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
    /// - [Mozilla SSL Configuration Generator](https://ssl-config.mozilla.org/)
    pub(crate) struct WeakTlsProtocols {
        code: "NX701",
        name: "weak-tls-protocols",
        summary: "obsolete SSL/TLS protocol versions enabled",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["weak_ssl_tls"],
    }
}

impl NginxRule for WeakTlsProtocols {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("ssl_protocols") {
            for a in &n.d.args {
                if matches!(a.value.as_str(), "SSLv2" | "SSLv3" | "TLSv1" | "TLSv1.1") {
                    cx.report(n.d, a.range, format!("`{}` is obsolete and attackable", a.value))
                        .set_help("use `ssl_protocols TLSv1.2 TLSv1.3;`");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WeakTlsProtocols;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_old_protocols() {
        let text = "ssl_protocols SSLv3 TLSv1 TLSv1.1 TLSv1.2;";
        let d = assert_fires(&WeakTlsProtocols, text);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].range.slice(text), "SSLv3");
    }

    #[test]
    fn passes_on_modern_protocols() {
        assert_passes(&WeakTlsProtocols, "ssl_protocols TLSv1.2 TLSv1.3;");
    }
}
