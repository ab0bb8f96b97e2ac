//! DC107: the service runs as root.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::context::is_root_user;

declare_rule! {
    /// ## What it does
    /// Reports services that run as root: `user:` set to `root` or `0` (with any group), or
    /// no `user:` while the service is built (`build:`) from a Dockerfile whose final stage
    /// sets no `USER` or a root one. Services that only name an `image:` with no `user:` are
    /// not reported, since caulk cannot see the image's user without the image.
    ///
    /// ## Why is this bad?
    /// Root in a container is root on the host's kernel, only fenced by namespaces and
    /// capabilities: any escape, writable host mount or leaked socket becomes host root. A
    /// non-root user makes most container escapes fail.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     build: .
    ///     user: root
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     build: .
    ///     user: "10001:10001"
    /// ```
    ///
    /// ## References
    /// - compose-lint CL-0018
    /// - CIS Docker Benchmark 4.1: ensure that a user for the container has been created
    /// - [Compose file reference: user](https://docs.docker.com/reference/compose-file/services/#user)
    pub(crate) struct RootUser {
        code: "DC107",
        name: "service-runs-as-root",
        summary: "service runs as root",
        severity: High,
        target: Compose,
        fix: None,
        aliases: ["CL-0018"],
    }
}

impl ComposeRule for RootUser {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, built) in cx.services() {
            match service.get("user") {
                Some(u) => {
                    let Some(s) = u.as_scalar() else { continue };
                    if !s.unresolved && is_root_user(s.value.trim()) {
                        cx.report(u, format!("service `{}` runs as root (`user: {}`)", service.name, s.value.trim()))
                            .set_help("run as an unprivileged user, e.g. `user: \"10001:10001\"`");
                    }
                }
                None => {
                    let Some(b) = built else { continue };
                    let file = b.dockerfile.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let why = match &b.user {
                        None => format!("its Dockerfile `{file}` sets no USER"),
                        Some(u) if is_root_user(u) => format!("its Dockerfile `{file}` ends with `USER {u}`"),
                        Some(_) => continue,
                    };
                    let at = service.entry("build").map_or_else(|| service.key.clone(), |e| e.key.clone());
                    cx.report(&at, format!("service `{}` runs as root: no `user:` and {why}", service.name)).set_help(
                        "add a non-root `USER` to the Dockerfile's final stage, or set `user:` on the service",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::BuiltImage;
    use crate::compose::test::{assert_fires, assert_passes, run_rule_built};

    #[test]
    fn fires_on_explicit_root() {
        assert_fires(&RootUser, "services:\n  a:\n    user: \"0:0\"\n");
        assert_fires(&RootUser, "services:\n  a:\n    user: root\n");
    }

    #[test]
    fn derives_user_from_the_built_dockerfile() {
        let text = "services:\n  a:\n    build: .\n";
        let root = BuiltImage { dockerfile: "Dockerfile".into(), user: None, healthcheck: None };
        assert_eq!(run_rule_built(&RootUser, text, &[Some(root)]).len(), 1);
        let app = BuiltImage { dockerfile: "Dockerfile".into(), user: Some("app".into()), healthcheck: None };
        assert!(run_rule_built(&RootUser, text, &[Some(app)]).is_empty());
        let root_cmd = BuiltImage { dockerfile: "Dockerfile".into(), user: None, healthcheck: None };
        assert!(
            run_rule_built(&RootUser, "services:\n  a:\n    build: .\n    user: app\n", &[Some(root_cmd)]).is_empty()
        );
    }

    #[test]
    fn quiet_on_images_without_user_and_unresolved_vars() {
        assert_passes(&RootUser, "services:\n  a:\n    image: postgres:16\n");
        assert_passes(&RootUser, "services:\n  a:\n    user: ${UID}\n");
        assert_passes(&RootUser, "services:\n  a:\n    user: \"1000:0\"\n");
    }
}
