//! NX808: a main nginx.conf without `worker_processes`.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports a main configuration file — one with an `events` or `http` block at the top
    /// level — that does not set `worker_processes`. Included fragments (files of `server` or
    /// `location` blocks) are not main files and are not checked.
    ///
    /// ## Why is this bad?
    /// `worker_processes` defaults to 1: however many cores the host or container has, nginx
    /// handles every connection, TLS handshake and gzip in a single process, so one core caps
    /// throughput, and a burst of handshakes or a blocking disk read stalls every other
    /// client — a cheap denial of service.
    /// `auto` starts one worker per CPU core.
    ///
    /// ## Example
    /// ```nginx
    /// events { worker_connections 1024; }
    /// http { server { listen 80; } }
    /// ```
    /// Use instead:
    /// ```nginx
    /// worker_processes auto;
    /// events { worker_connections 1024; }
    /// http { server { listen 80; } }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `missing_worker_processes`
    /// - [nginx core: worker_processes](https://nginx.org/en/docs/ngx_core_module.html#worker_processes)
    pub(crate) struct MissingWorkerProcesses {
        code: "NX808",
        name: "missing-worker-processes",
        summary: "`worker_processes` not set: nginx runs one worker",
        severity: Low,
        target: Nginx,
        fix: None,
        aliases: ["missing_worker_processes"],
    }
}

impl NginxRule for MissingWorkerProcesses {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        let model = cx.model;
        let top = model.tree;
        let block = |name: &str| top.iter().find(|d| d.is(name) && d.block.is_some());
        let Some(anchor) = block("events").or_else(|| block("http")) else { return };
        // an include we could not read may set it
        if top.iter().any(|d| d.is("worker_processes") || d.is("include")) {
            return;
        }
        cx.report(
            anchor,
            anchor.name_range,
            "`worker_processes` is not set: nginx runs a single worker process and uses one CPU core",
        )
        .set_help("add `worker_processes auto;` at the top of nginx.conf (one worker per CPU core)");
    }
}

#[cfg(test)]
mod tests {
    use super::MissingWorkerProcesses;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_main_file_without_workers() {
        let text = "events { worker_connections 1024; }\nhttp { server { listen 80; } }";
        let d = assert_fires(&MissingWorkerProcesses, text);
        assert_eq!(d[0].range.slice(text), "events");
        let text = "http { server { listen 80; } }";
        let d = assert_fires(&MissingWorkerProcesses, text);
        assert_eq!(d[0].range.slice(text), "http");
    }

    #[test]
    fn passes_when_set_or_not_a_main_file() {
        assert_passes(&MissingWorkerProcesses, "worker_processes auto; events {} http {}");
        assert_passes(&MissingWorkerProcesses, "worker_processes 1; events {}");
        // fragments included from nginx.conf
        assert_passes(&MissingWorkerProcesses, "server { listen 80; location / { root /srv; } }");
        assert_passes(&MissingWorkerProcesses, "location / { root /srv; }");
        assert_passes(&MissingWorkerProcesses, "upstream app { server app:8080; } server { listen 80; }");
        // set in a file we could not read
        assert_passes(&MissingWorkerProcesses, "include /etc/nginx/main.d/*.conf; events {} http {}");
    }
}
