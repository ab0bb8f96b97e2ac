//! IM101: the image runs as root.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Checks the user the image's containers start as (`User` in the configuration):
    /// - unset or empty: no `USER` anywhere in the build, so the process runs as root;
    /// - explicitly root: `root`, `0`, `root:root`, `0:0`, `root:<group>`;
    /// - a user name that `/etc/passwd` maps to UID 0.
    ///
    /// Not reported: root filesystems read from a directory (they have no configuration),
    /// Windows images, and images whose `ENTRYPOINT`/`CMD` drop privileges
    /// themselves — through `gosu`, `su-exec`, `setpriv`, `runuser`, `s6-setuidgid`, `chpst`,
    /// or an entrypoint script next to an installed `gosu`/`su-exec` (the official `postgres`
    /// and `redis` images).
    ///
    /// ## Why is this bad?
    /// A process running as root in the container is root on the host's kernel: a container
    /// escape, a writable host mount or a mis-set capability turns an application bug into a
    /// host compromise, and inside the container it can rewrite every file, install tools and
    /// read every secret.
    ///
    /// ## Example
    /// An image built from:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --system --uid 10001 app
    /// COPY app.py /app/
    /// USER 10001
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## References
    /// - Dockle CIS-DI-0001 (which misses `0` and `root:root`); Trivy AVD-DS-0002 on image configurations
    /// - CIS Docker Benchmark 4.1: create a user for the container
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    pub(crate) struct RootUser {
        code: "IM101",
        name: "image-root-user",
        summary: "containers of the image run as root",
        severity: High,
        target: Image,
        fix: None,
        aliases: ["CIS-DI-0001", "AVD-DS-0002"],
    }
}

/// Programs that switch to another user before running a command.
const PRIVILEGE_DROPPERS: &[&str] = &["gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst", "setuidgid"];

const HELP: &str = "create an unprivileged user and end the build with it: `RUN useradd --system --uid 10001 app` then `USER 10001` (or run with `--user 10001`)";

impl ImageRule for RootUser {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        if !cx.has_config() {
            return;
        }
        let config = &cx.image.config;
        if config.os.eq_ignore_ascii_case("windows") || drops_privileges(cx) {
            return;
        }
        let user = config.config.user.as_deref().map_or("", str::trim);
        let name = user.split_once(':').map_or(user, |(u, _)| u).trim();
        if name.is_empty() {
            cx.report_config(&["USER"], "the image sets no USER, so its containers run as root (UID 0)").set_help(HELP);
            return;
        }
        if name == "root" || name == "0" {
            cx.report_config(&["USER"], format!("USER is explicitly `{user}`: containers run as root (UID 0)"))
                .set_help(HELP);
            return;
        }
        if name.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        if cx.accounts.user(name).is_some_and(|a| a.uid == 0) {
            cx.report_config(&["USER"], format!("USER `{user}` has UID 0 in /etc/passwd: containers run as root"))
                .set_help(HELP);
        }
    }
}

/// Whether the container's command drops root itself.
fn drops_privileges(cx: &ImageChecker<'_>) -> bool {
    let rc = &cx.image.config.config;
    let argv: Vec<&str> = rc.entrypoint.iter().flatten().chain(rc.cmd.iter().flatten()).map(String::as_str).collect();
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_owned();
    if argv.iter().any(|w| PRIVILEGE_DROPPERS.contains(&base(w).as_str())) {
        return true;
    }
    let has_entrypoint = rc.entrypoint.as_ref().is_some_and(|e| !e.is_empty());
    has_entrypoint && !cx.programs(|n| n == "gosu" || n == "su-exec").is_empty()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, debian, run_rule};

    #[test]
    fn fires_on_unset_and_explicit_root() {
        let d = assert_fires(&RootUser, &debian("13", "trixie"));
        assert!(d[0].message.contains("sets no USER"), "{}", d[0].message);
        for user in ["root", "0", "0:0", "root:root"] {
            let image = debian("13", "trixie").config("User", json!(user)).step(&format!("USER {user}"));
            let d = assert_fires(&RootUser, &image);
            assert!(d[0].message.contains("explicitly"), "{}", d[0].message);
            let loc = d[0].image.as_deref().expect("location");
            assert_eq!(loc.instruction.as_deref(), Some(format!("USER {user}").as_str()));
            assert_eq!(loc.base_layer, Some(false));
        }
        let toor = debian("13", "trixie")
            .layer("RUN useradd", |l| l.file("/etc/passwd", "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n"))
            .config("User", json!("toor"));
        assert!(assert_fires(&RootUser, &toor)[0].message.contains("UID 0 in /etc/passwd"));
    }

    #[test]
    fn quiet_for_unprivileged_users_and_privilege_droppers() {
        assert_passes(&RootUser, &debian("13", "trixie").config("User", json!("10001")));
        assert_passes(&RootUser, &debian("13", "trixie").config("User", json!("nobody:nogroup")));
        assert_passes(&RootUser, &debian("13", "trixie").config("Cmd", json!(["gosu", "app", "server"])));
        let postgres = debian("13", "trixie")
            .layer("RUN install gosu", |l| l.dir("/usr/local").dir("/usr/local/bin").exec("/usr/local/bin/gosu"))
            .config("Entrypoint", json!(["docker-entrypoint.sh"]));
        assert_passes(&RootUser, &postgres);
        assert_passes(&RootUser, &TestImage::new().windows().layer("ADD x /", |l| l.file("/x", "y")));
    }

    #[test]
    fn quiet_on_root_filesystems_without_configuration() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("etc")).expect("mkdir");
        std::fs::write(dir.path().join("etc/passwd"), "root:x:0:0::/root:/bin/sh\n").expect("write");
        let image =
            caulk_image::read_image(&format!("dir:{}", dir.path().display()), &caulk_image::ReadOptions::default())
                .expect("rootfs");
        assert!(run_rule(&RootUser, &image).is_empty());
        assert!(run_rule(&crate::rules::image::no_healthcheck::NoHealthcheck, &image).is_empty());
    }
}
