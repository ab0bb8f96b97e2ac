//! NX707: `quic_bpf on` with `reuseport` QUIC listeners and several workers.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `quic_bpf on` (main context) when an http server has `listen … quic reuseport`
    /// and `worker_processes` is `auto` or more than 1.
    ///
    /// ## Why is this bad?
    /// With `quic_bpf` nginx routes QUIC packets to workers through an eBPF program attached to
    /// the `reuseport` socket group. On `nginx -s reload` the new workers get fresh sockets
    /// while the exiting workers' sockets stay in the group, so the kernel keeps sending a
    /// share of new QUIC connections to workers that are shutting down, which drop them:
    /// HTTP/3 handshakes time out after every reload for as long as old workers linger (a
    /// full restart clears it), without a line in the error log (nginx/nginx#425). HTTP/3
    /// works without `quic_bpf`; it is only needed for QUIC connection migration.
    ///
    /// ## Example
    /// ```nginx
    /// worker_processes auto;
    /// quic_bpf on;
    /// http {
    ///     server { listen 443 quic reuseport; listen 443 ssl; }
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// worker_processes auto;
    /// quic_bpf off;
    /// http {
    ///     server { listen 443 quic reuseport; listen 443 ssl; }
    /// }
    /// ```
    ///
    /// ## References
    /// - gixy-ng / Gixy-Next `quic_bpf_reuseport`
    /// - [nginx/nginx#425: new QUIC connection blocked after nginx reload](https://github.com/nginx/nginx/issues/425)
    /// - [nginx: quic_bpf](https://nginx.org/en/docs/http/ngx_http_v3_module.html#quic_bpf)
    pub(crate) struct QuicBpfReuseport {
        code: "NX707",
        name: "quic-bpf-reuseport",
        summary: "`quic_bpf on` with `reuseport` QUIC listeners and several workers",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["quic_bpf_reuseport"],
    }
}

impl NginxRule for QuicBpfReuseport {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let main = |name: &str| model.nodes.iter().find(|n| n.ctx == Ctx::Main && n.d.is(name)).map(|n| n.d);
        let Some(bpf) = main("quic_bpf").filter(|d| d.arg(0).eq_ignore_ascii_case("on")) else { return };
        // unset means one worker, where nothing is handed over
        let Some(workers) = main("worker_processes") else { return };
        let several = workers.arg(0).eq_ignore_ascii_case("auto") || workers.arg(0).parse::<u32>().is_ok_and(|n| n > 1);
        if !several {
            return;
        }
        let listen = model.servers().find_map(|s| {
            model.children(Some(s)).iter().find(|d| {
                d.is("listen")
                    && ["quic", "reuseport"]
                        .iter()
                        .all(|p| d.args.iter().skip(1).any(|a| a.value.eq_ignore_ascii_case(p)))
            })
        });
        let Some(listen) = listen else { return };
        cx.report(
            bpf,
            bpf.range,
            format!(
                "`quic_bpf on` with `listen {}` and `worker_processes {}`: after each reload a share of new HTTP/3 connections goes to exiting workers and is dropped",
                listen.args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" "),
                workers.arg(0)
            ),
        )
        .set_help("set `quic_bpf off;` (HTTP/3 works without it; only QUIC connection migration needs it) until your nginx build includes the fix for nginx/nginx#425");
    }
}

#[cfg(test)]
mod tests {
    use super::QuicBpfReuseport;
    use crate::nginx::test::{assert_fires, assert_passes};

    const HTTP: &str = "http { server { listen 443 quic reuseport; listen 443 ssl; } }";

    #[test]
    fn fires_with_bpf_reuseport_and_workers() {
        let text = format!("worker_processes auto;\nquic_bpf on;\nevents {{}}\n{HTTP}");
        let d = assert_fires(&QuicBpfReuseport, &text);
        assert_eq!(d[0].range.slice(&text), "quic_bpf on;");
        assert!(d[0].message.contains("`listen 443 quic reuseport`"), "{}", d[0].message);
        assert_fires(&QuicBpfReuseport, &format!("worker_processes 4; quic_bpf on; {HTTP}"));
    }

    #[test]
    fn passes_otherwise() {
        assert_passes(&QuicBpfReuseport, &format!("worker_processes auto; quic_bpf off; {HTTP}"));
        assert_passes(&QuicBpfReuseport, &format!("worker_processes auto; {HTTP}"));
        assert_passes(&QuicBpfReuseport, &format!("worker_processes 1; quic_bpf on; {HTTP}"));
        assert_passes(&QuicBpfReuseport, &format!("quic_bpf on; {HTTP}"));
        assert_passes(
            &QuicBpfReuseport,
            "worker_processes auto; quic_bpf on; http { server { listen 443 quic; listen 443 ssl; } }",
        );
    }
}
