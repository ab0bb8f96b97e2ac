//! NX905: `worker_rlimit_nofile` too low for `worker_connections`.

use crate::nginx::{Ctx, NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a `worker_rlimit_nofile` lower than twice `worker_connections` (when both are
    /// set).
    ///
    /// ## Why is this bad?
    /// A proxied request uses two file descriptors (client and upstream). Under load the worker
    /// runs out of descriptors long before it reaches `worker_connections`, and nginx answers
    /// with "Too many open files" errors: an easy denial of service.
    ///
    /// ## Example
    /// ```nginx
    /// worker_rlimit_nofile 1024;
    /// events { worker_connections 1024; }
    /// ```
    /// Use instead:
    /// ```nginx
    /// worker_rlimit_nofile 4096;
    /// events { worker_connections 1024; }
    /// ```
    ///
    /// ## References
    /// - gixy-ng `worker_rlimit_nofile_vs_connections`
    /// - [nginx core: worker_rlimit_nofile](https://nginx.org/en/docs/ngx_core_module.html#worker_rlimit_nofile)
    pub(crate) struct WorkerRlimitNofile {
        code: "NX905",
        name: "worker-rlimit-nofile",
        summary: "`worker_rlimit_nofile` below twice `worker_connections`",
        severity: Medium,
        target: Nginx,
        fix: None,
        aliases: ["worker_rlimit_nofile_vs_connections"],
    }
}

impl NginxRule for WorkerRlimitNofile {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let Some(limit) = model.nodes.iter().find(|n| n.d.is("worker_rlimit_nofile") && n.ctx == Ctx::Main) else {
            return;
        };
        let Some(conns) = model.nodes.iter().find(|n| n.d.is("worker_connections") && n.ctx == Ctx::Events) else {
            return;
        };
        let (Ok(l), Ok(c)) = (limit.d.arg(0).parse::<u64>(), conns.d.arg(0).parse::<u64>()) else { return };
        if l < c.saturating_mul(2) {
            let range = limit.d.args.first().map_or(limit.d.range, |a| a.range);
            cx.report(limit.d, range, format!("`worker_rlimit_nofile {l}` is below twice `worker_connections {c}`: workers run out of file descriptors under load"))
                .set_help(format!("set `worker_rlimit_nofile {};` or more", c.saturating_mul(2)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WorkerRlimitNofile;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_and_passes() {
        let text = "worker_rlimit_nofile 1024; events { worker_connections 1024; } http {}";
        let d = assert_fires(&WorkerRlimitNofile, text);
        assert_eq!(d[0].range.slice(text), "1024");
        assert_passes(&WorkerRlimitNofile, "worker_rlimit_nofile 4096; events { worker_connections 1024; } http {}");
        assert_passes(&WorkerRlimitNofile, "events { worker_connections 1024; } http {}");
    }
}
