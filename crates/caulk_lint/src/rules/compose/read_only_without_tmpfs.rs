//! DC205: a read-only service has no writable place for the paths its image writes.

use caulk_syntax::compose::Service;

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::mounts;

/// Paths well-known images write at run time, by image name (after the last `/`).
const WRITES: [(&str, &[&str]); 6] = [
    ("nginx", &["/var/cache/nginx", "/var/run"]),
    ("httpd", &["/usr/local/apache2/logs"]),
    ("postgres", &["/var/run/postgresql"]),
    ("mysql", &["/var/run/mysqld"]),
    ("mariadb", &["/run/mysqld"]),
    ("php", &["/usr/local/var/run"]),
];

declare_rule! {
    /// ## What it does
    /// Reports services with `read_only: true` that give the program nowhere to write: no
    /// `tmpfs` or volume for `/tmp`, and, for images known to write elsewhere (nginx's
    /// `/var/cache/nginx` and pid file, PostgreSQL's and MySQL's socket directories, httpd's
    /// logs, php-fpm's run directory), none for those paths either.
    ///
    /// ## Why is this bad?
    /// The service fails at start-up or at the first upload, and the usual "fix" is to drop
    /// `read_only`, losing the protection. Temporary filesystems for cache and scratch
    /// directories keep the root read-only and the program working.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     read_only: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp:rw,noexec,nosuid,size=16m
    ///       - /var/cache/nginx:rw,noexec,nosuid,size=64m
    ///       - /var/run:rw,noexec,nosuid,size=1m
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: tmpfs](https://docs.docker.com/reference/compose-file/services/#tmpfs)
    /// - [nginx image: running as a read-only container](https://hub.docker.com/_/nginx)
    pub(crate) struct ReadOnlyWithoutTmpfs {
        code: "DC205",
        name: "read-only-without-tmpfs",
        summary: "read-only service without tmpfs for the paths it writes",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: [],
    }
}

/// Targets of `tmpfs` entries and volumes.
fn writable(service: &Service) -> Vec<String> {
    let mut out: Vec<String> = service
        .get("tmpfs")
        .map(|t| {
            t.strings()
                .into_iter()
                .filter_map(|n| n.as_str())
                .map(|s| s.split(':').next().unwrap_or(s).to_owned())
                .collect()
        })
        .unwrap_or_default();
    out.extend(mounts(service).into_iter().filter(|m| !m.read_only).map(|m| m.target));
    for p in &mut out {
        *p = p.trim_end_matches('/').to_owned();
    }
    out
}

impl ComposeRule for ReadOnlyWithoutTmpfs {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let Some(e) = service.entry("read_only") else { continue };
            if !e.value.is_true() {
                continue;
            }
            let have = writable(service);
            let covered = |p: &str| {
                have.iter().any(|w| p == w || p.starts_with(&format!("{w}/")) || (p == "/var/run" && w == "/run"))
            };
            let image = service.get("image").and_then(|n| n.as_str()).unwrap_or("");
            let name = image.split(['@', ':']).next().unwrap_or("").rsplit('/').next().unwrap_or("");
            let mut missing: Vec<&str> = vec!["/tmp"];
            if let Some((_, paths)) = WRITES.iter().find(|(img, _)| name == *img) {
                missing.extend(paths.iter());
            }
            missing.retain(|p| !covered(p));
            if missing.is_empty() {
                continue;
            }
            let list = missing.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            cx.report(
                &e.key,
                format!("service `{}` is read-only but nothing writable is mounted at {list}", service.name),
            )
            .set_help(format!(
                "add `tmpfs:` entries such as `{}:rw,noexec,nosuid,size=64m`",
                missing.first().copied().unwrap_or("/tmp")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_for_tmp_and_image_paths() {
        let d = assert_fires(
            &ReadOnlyWithoutTmpfs,
            "services:\n  w:\n    image: nginx:1.27\n    read_only: true\n    tmpfs: [/tmp]\n",
        );
        assert!(d[0].message.contains("/var/cache/nginx"), "{}", d[0].message);
        assert!(!d[0].message.contains("`/tmp`"));
        assert_fires(&ReadOnlyWithoutTmpfs, "services:\n  w:\n    image: app:1\n    read_only: true\n");
    }

    #[test]
    fn quiet_when_covered_or_not_read_only() {
        assert_passes(
            &ReadOnlyWithoutTmpfs,
            "services:\n  w:\n    image: library/nginx:1.27\n    read_only: true\n    tmpfs: [/tmp, /var/cache/nginx, /run]\n",
        );
        assert_passes(
            &ReadOnlyWithoutTmpfs,
            "services:\n  w:\n    image: app:1\n    read_only: true\n    volumes: [scratch:/tmp]\n",
        );
        assert_passes(&ReadOnlyWithoutTmpfs, "services:\n  w:\n    image: nginx:1.27\n");
    }
}
