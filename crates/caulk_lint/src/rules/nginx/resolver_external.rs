//! NX609: `resolver` points at a public DNS server.

use std::net::IpAddr;

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `resolver` address that is a public IP address (such as `8.8.8.8` or
    /// `1.1.1.1`) rather than a resolver on the host or the private network (Docker's
    /// `127.0.0.11`, a VPC resolver).
    ///
    /// ## Why is this bad?
    /// nginx's resolver uses plain UDP DNS without DNSSEC and with a guessable transaction id:
    /// on the path to a public resolver, answers can be spoofed, redirecting `proxy_pass`
    /// traffic (with its headers and cookies) to an attacker.
    ///
    /// ## Example
    /// ```nginx
    /// resolver 8.8.8.8 valid=30s;
    /// ```
    /// Use instead:
    /// ```nginx
    /// resolver 127.0.0.11 valid=30s;
    /// ```
    ///
    /// ## References
    /// - gixy-ng `resolver_external`
    /// - [nginx: resolver](https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver)
    pub(crate) struct ResolverExternal {
        code: "NX609",
        name: "resolver-external",
        summary: "`resolver` uses a public DNS server",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["resolver_external"],
    }
}

/// Whether `addr` (`8.8.8.8`, `[2001:4860::8888]:53`) is a public IP address.
fn is_public(addr: &str) -> bool {
    let host = if let Some(rest) = addr.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else if addr.matches(':').count() == 1 {
        addr.split(':').next().unwrap_or(addr)
    } else {
        addr
    };
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]))
        }
        Ok(IpAddr::V6(v6)) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
        Err(_) => false,
    }
}

impl NginxRule for ResolverExternal {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for (_, n) in cx.named("resolver") {
            for a in n.d.args.iter().filter(|a| !a.value.contains('=') && is_public(&a.value)) {
                cx.report(
                    n.d,
                    a.range,
                    format!(
                        "`resolver {}` sends DNS queries to a public server, where answers can be spoofed",
                        a.value
                    ),
                )
                .set_help("use a resolver on the host or the private network (Docker: `resolver 127.0.0.11;`)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ResolverExternal, is_public};
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn classifies_addresses() {
        assert!(is_public("8.8.8.8"));
        assert!(is_public("1.1.1.1:53"));
        assert!(is_public("[2001:4860:4860::8888]"));
        assert!(!is_public("127.0.0.11"));
        assert!(!is_public("10.0.0.2"));
        assert!(!is_public("kube-dns.kube-system.svc.cluster.local"));
        assert!(!is_public("[::1]"));
    }

    #[test]
    fn fires_and_passes() {
        let text = "resolver 127.0.0.11 8.8.8.8 valid=30s;";
        let d = assert_fires(&ResolverExternal, text);
        assert_eq!(d[0].range.slice(text), "8.8.8.8");
        assert_passes(&ResolverExternal, "resolver 127.0.0.11 valid=30s ipv6=off;");
    }
}
