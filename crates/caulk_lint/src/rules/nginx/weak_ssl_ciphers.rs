//! NX702: `ssl_ciphers` enables broken cipher families.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `ssl_ciphers` lists that enable (rather than exclude with `!` or `-`) broken
    /// families: `NULL`/`eNULL`/`aNULL`, `EXPORT`, `RC4`, `DES`/`3DES`, `MD5`, `LOW`, anonymous
    /// `ADH`/`AECDH`, or everything (`ALL`, `DEFAULT` without exclusions).
    ///
    /// ## Why is this bad?
    /// These ciphers offer no encryption, no authentication, or keys breakable in hours
    /// (SWEET32, RC4 biases, FREAK/Logjam for EXPORT): a network attacker reads or alters
    /// the traffic the TLS was supposed to protect.
    ///
    /// ## Example
    /// ```nginx
    /// ssl_ciphers ALL:RC4+RSA:+HIGH:+MEDIUM;
    /// ```
    /// Use instead:
    /// ```nginx
    /// ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    /// ```
    ///
    /// ## References
    /// - gixy-ng `weak_ssl_tls`
    /// - [Mozilla SSL Configuration Generator](https://ssl-config.mozilla.org/)
    pub(crate) struct WeakSslCiphers {
        code: "NX702",
        name: "weak-ssl-ciphers",
        summary: "weak or null ciphers enabled",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: [],
    }
}

/// The first weak cipher family a cipher string enables, if any.
fn weak(list: &str) -> Option<&str> {
    let entries: Vec<&str> = list.split([':', ',', ' ']).filter(|e| !e.is_empty()).collect();
    let excluded =
        |name: &str| entries.iter().any(|e| e.strip_prefix(['!', '-']).is_some_and(|x| x.eq_ignore_ascii_case(name)));
    for e in &entries {
        if e.starts_with(['!', '-', '@']) {
            continue;
        }
        let e = e.trim_start_matches('+');
        for part in e.split('+') {
            let upper = part.to_ascii_uppercase();
            let bad = matches!(
                upper.as_str(),
                "NULL"
                    | "ENULL"
                    | "ANULL"
                    | "EXPORT"
                    | "EXP"
                    | "RC4"
                    | "DES"
                    | "3DES"
                    | "MD5"
                    | "LOW"
                    | "ADH"
                    | "AECDH"
            ) || upper.contains("-RC4-")
                || upper.ends_with("-MD5")
                || upper.starts_with("EXP-")
                || upper.contains("DES-CBC")
                || upper.starts_with("NULL-");
            if bad && !excluded(part) {
                return Some(part);
            }
        }
        if e.eq_ignore_ascii_case("ALL") && !(excluded("aNULL") && excluded("eNULL")) {
            return Some(e);
        }
    }
    None
}

impl NginxRule for WeakSslCiphers {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("ssl_ciphers") {
            let Some(a) = n.d.args.first() else { continue };
            if let Some(w) = weak(&a.value) {
                cx.report(n.d, a.range, format!("`ssl_ciphers` enables weak ciphers (`{w}`)"))
                    .set_help("use the Mozilla \"intermediate\" list, e.g. `ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{WeakSslCiphers, weak};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn classifies_cipher_strings() {
        assert_eq!(weak("ALL:RC4+RSA:+HIGH"), Some("ALL"));
        assert_eq!(weak("HIGH:!aNULL:!MD5"), None);
        assert_eq!(weak("ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA"), Some("DES-CBC3-SHA"));
        assert_eq!(weak("EECDH+AESGCM:EDH+AESGCM"), None);
        assert_eq!(weak("HIGH:MEDIUM:RC4"), Some("RC4"));
    }

    #[test]
    fn fires_and_passes() {
        let text = "ssl_ciphers \"HIGH:RC4:!aNULL\";";
        let d = assert_fires(&WeakSslCiphers, text);
        assert_eq!(d[0].range.slice(text), "\"HIGH:RC4:!aNULL\"");
        assert_passes(&WeakSslCiphers, "ssl_ciphers HIGH:!aNULL:!MD5;");
    }
}
