//! NX705: `ssl_ecdh_curve` names weak curves, no curve clients support, or post-quantum
//! groups that older OpenSSL rejects.

use caulk_core::TextRange;
use caulk_syntax::nginx::Arg;

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reads the colon-separated group list of `ssl_ecdh_curve` (http, stream and mail) and
    /// reports:
    /// - legacy curves below 128-bit security (`secp192r1`/`prime192v1`, `secp224r1`,
    ///   `secp160*`, …) and the binary `sect*` curves;
    /// - a list without any group that browsers and common TLS clients offer (X25519, P-256,
    ///   P-384), such as a brainpool-only or `secp521r1`-only list;
    /// - post-quantum hybrids (`X25519MLKEM768`, `SecP256r1MLKEM768`, the `X25519Kyber768`
    ///   drafts) without the `?` prefix.
    ///
    /// ## Why is this bad?
    /// The curve protects the key exchange, so a weak curve weakens every session key. A list
    /// that clients cannot match makes ECDHE fail: handshakes break, or fall back to key
    /// exchanges without forward secrecy where those are still enabled. nginx hands the list to
    /// OpenSSL, which rejects the whole list when it does not know one name; post-quantum
    /// groups exist only from OpenSSL 3.5, so on an older library (Debian 12, Ubuntu 24.04)
    /// nginx refuses to start, or a reload silently keeps the old configuration. OpenSSL 3.3+
    /// skips unknown names written with a leading `?`.
    ///
    /// ## Example
    /// ```nginx
    /// ssl_ecdh_curve secp224r1:brainpoolP256r1;
    /// ```
    /// Use instead:
    /// ```nginx
    /// ssl_ecdh_curve X25519:prime256v1:secp384r1;
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `ssl_ecdh_curve` (post-quantum groups without `?`)
    /// - [nginx: ssl_ecdh_curve](https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_ecdh_curve)
    /// - [RFC 8422 §5.1.1: deprecated curves](https://www.rfc-editor.org/rfc/rfc8422#section-5.1.1)
    /// - [Mozilla Server Side TLS](https://wiki.mozilla.org/Security/Server_Side_TLS)
    pub(crate) struct SslEcdhCurve {
        code: "NX705",
        name: "ssl-ecdh-curve",
        summary: "`ssl_ecdh_curve` with weak, unsupported or fragile groups",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["ssl_ecdh_curve"],
    }
}

/// Why a group in the list is weak, if it is.
fn weakness(group: &str) -> Option<String> {
    let g = group.to_ascii_lowercase();
    if ["sect", "c2pnb", "c2tnb", "c2onb"].iter().any(|p| g.starts_with(p)) {
        return Some("a binary curve, deprecated by RFC 8422".to_owned());
    }
    let bits = match g.as_str() {
        "secp112r1" | "secp112r2" | "secp128r1" | "secp128r2" => 56,
        "secp160k1" | "secp160r1" | "secp160r2" | "brainpoolp160r1" | "brainpoolp160t1" => 80,
        "secp192k1" | "secp192r1" | "prime192v1" | "prime192v2" | "prime192v3" | "p-192" | "brainpoolp192r1"
        | "brainpoolp192t1" => 96,
        "secp224k1" | "secp224r1" | "p-224" | "brainpoolp224r1" | "brainpoolp224t1" => 112,
        "prime239v1" | "prime239v2" | "prime239v3" => 120,
        _ => return None,
    };
    Some(format!("a legacy curve with about {bits}-bit security (128 is the minimum today)"))
}

/// Whether clients at large offer this group (alone or inside a hybrid).
fn widely_supported(group: &str) -> bool {
    matches!(
        group.to_ascii_lowercase().as_str(),
        "x25519" | "prime256v1" | "secp256r1" | "p-256" | "secp384r1" | "p-384"
    )
}

fn is_post_quantum(group: &str) -> bool {
    let g = group.to_ascii_uppercase();
    g.contains("MLKEM") || g.contains("KYBER")
}

/// The range of `value[start..start + len]` inside argument `a`, or the whole argument when
/// the raw word does not map byte for byte onto its value (escapes).
fn sub_range(a: &Arg, start: usize, len: usize) -> TextRange {
    let raw = (a.range.end - a.range.start) as usize;
    let quotes = if a.quote.is_some() { 2 } else { 0 };
    if raw != a.value.len() + quotes {
        return a.range;
    }
    let offset = u32::try_from(start + quotes / 2).unwrap_or(0);
    let len = u32::try_from(len).unwrap_or(0);
    TextRange::new(a.range.start + offset, a.range.start + offset + len)
}

impl NginxRule for SslEcdhCurve {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("ssl_ecdh_curve") {
            let Some(a) = n.d.args.first() else { continue };
            if a.value.contains('$') || a.value.eq_ignore_ascii_case("auto") {
                continue;
            }
            let mut groups = Vec::new();
            let mut start = 0;
            for part in a.value.split(':') {
                if !part.is_empty() {
                    groups.push((start, part));
                }
                start += part.len() + 1;
            }
            for &(at, raw) in &groups {
                let (tolerant, name) = match raw.strip_prefix('?') {
                    Some(rest) => (true, rest),
                    None => (false, raw),
                };
                if let Some(why) = weakness(name) {
                    cx.report(n.d, sub_range(a, at, raw.len()), format!("`{name}` in `ssl_ecdh_curve` is {why}"))
                        .set_help("remove it; use `ssl_ecdh_curve X25519:prime256v1:secp384r1;` (or leave the default, `auto`)");
                } else if is_post_quantum(name) && !tolerant {
                    cx.report(
                        n.d,
                        sub_range(a, at, raw.len()),
                        format!("`{name}` in `ssl_ecdh_curve` exists only from OpenSSL 3.5: with an older OpenSSL nginx rejects the whole list and does not start"),
                    )
                    .set_help(format!("write it `?{name}` (skipped where unknown; needs OpenSSL 3.3+), or leave it out where nginx runs an older OpenSSL"));
                }
            }
            if !groups.is_empty() && !groups.iter().any(|(_, g)| widely_supported(g.trim_start_matches('?'))) {
                cx.report(
                    n.d,
                    a.range,
                    format!("`ssl_ecdh_curve {}` offers none of X25519, P-256 or P-384: most clients cannot complete an ECDHE key exchange", a.value),
                )
                .set_help("include the groups clients support: `ssl_ecdh_curve X25519:prime256v1:secp384r1;`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SslEcdhCurve;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_weak_curves() {
        let text = "ssl_ecdh_curve X25519:secp224r1:sect283k1;";
        let d = assert_fires(&SslEcdhCurve, text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].range.slice(text), "secp224r1");
        assert_eq!(d[1].range.slice(text), "sect283k1");
        let text = "ssl_ecdh_curve 'prime192v1';";
        let d = assert_fires(&SslEcdhCurve, text);
        // the curve inside the quotes, and the list as a whole (no curve clients support)
        assert_eq!(d.len(), 2);
        assert!(d.iter().any(|d| d.range.slice(text) == "prime192v1"));
    }

    #[test]
    fn fires_on_lists_clients_cannot_use() {
        let text = "http { ssl_ecdh_curve brainpoolP256r1:brainpoolP384r1; }";
        let d = assert_fires(&SslEcdhCurve, text);
        assert_eq!(d[0].range.slice(text), "brainpoolP256r1:brainpoolP384r1");
        assert_fires(&SslEcdhCurve, "ssl_ecdh_curve secp521r1;");
    }

    #[test]
    fn fires_on_post_quantum_without_question_mark() {
        let text = "ssl_ecdh_curve X25519MLKEM768:X25519:prime256v1;";
        let d = assert_fires(&SslEcdhCurve, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "X25519MLKEM768");
    }

    #[test]
    fn passes_on_modern_lists() {
        assert_passes(&SslEcdhCurve, "ssl_ecdh_curve auto;");
        assert_passes(&SslEcdhCurve, "ssl_ecdh_curve X25519:prime256v1:secp384r1;");
        assert_passes(&SslEcdhCurve, "ssl_ecdh_curve secp384r1;");
        assert_passes(&SslEcdhCurve, "ssl_ecdh_curve X25519:prime256v1:secp521r1:secp384r1;");
        assert_passes(&SslEcdhCurve, "ssl_ecdh_curve ?X25519MLKEM768:X25519:prime256v1;");
        assert_passes(&SslEcdhCurve, "ssl_ecdh_curve X25519:brainpoolP256r1tls13;");
    }
}
