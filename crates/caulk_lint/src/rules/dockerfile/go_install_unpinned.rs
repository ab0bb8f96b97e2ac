//! DF308: go install without an explicit version.

use crate::checker::Checker;
use crate::packages::{Manager, installs};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `go install pkg@version` and `go get` for versions that move: `@latest`,
    /// `@upgrade`, `@patch` and branch names such as `@master`/`@main`/`@HEAD`, and `go get` of a
    /// remote package with no version at all (which resolves the latest release).
    ///
    /// Not reported: `go install ./...`, `go install .` and other local packages, and
    /// `go install example.com/cmd` without `@`: in module mode that builds the version
    /// `go.mod` requires (and fails outside a module), so it is already pinned.
    ///
    /// ## Why is this bad?
    /// `@latest` installs whatever version was tagged most recently on the day of the build:
    /// builds stop being reproducible, and a new major release or a compromised tag changes the
    /// tool baked into the image (or the binaries it builds) without any change to the
    /// Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go install github.com/go-delve/delve/cmd/dlv@latest
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go install github.com/go-delve/delve/cmd/dlv@v1.23.1
    /// ```
    ///
    /// ## References
    /// - hadolint DL3062
    /// - [go install](https://go.dev/ref/mod#go-install)
    pub(crate) struct GoInstallUnpinned {
        code: "DF308",
        name: "go-install-unpinned",
        summary: "go install without an explicit version",
        severity: Medium,
        fix: None,
        aliases: ["DL3062"],
    }
}

/// Version queries that resolve to a different version as time passes.
const MOVING: &[&str] = &["latest", "upgrade", "patch", "master", "main", "head", "trunk", "develop", "dev"];

impl DockerfileRule for GoInstallUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Go) {
                let get = install.subcommand.value == "get";
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    if pkg.has_expansion || v.starts_with(['.', '/']) {
                        continue;
                    }
                    match v.rsplit_once('@') {
                        Some((path, version)) if MOVING.contains(&version.to_ascii_lowercase().as_str()) => {
                            cx.report(pkg.range, format!("`{v}` names a moving version, not a release")).set_help(
                                format!("pin a release: `{path}@v<x.y.z>` (see `go list -m -versions {path}`)"),
                            );
                        }
                        Some(_) => {}
                        None if get && is_remote(v) => {
                            cx.report(pkg.range, format!("`go get {v}` resolves the latest version"))
                                .set_help(format!("pin a release: `go get {v}@v<x.y.z>`"));
                        }
                        None => {}
                    }
                }
            }
        }
    }
}

/// `github.com/x/y`, `golang.org/x/tools/...`: the first path element is a domain.
fn is_remote(path: &str) -> bool {
    path.split('/').next().is_some_and(|first| first.contains('.'))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::GoInstallUnpinned;

    #[test]
    fn fires_on_latest() {
        let d = assert_fires(
            &GoInstallUnpinned,
            "FROM golang:1.23\nRUN go install github.com/go-delve/delve/cmd/dlv@latest golang.org/x/tools/gopls@v0.16.1\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`github.com/go-delve/delve/cmd/dlv@latest`"));
    }

    #[test]
    fn fires_on_branches_and_unversioned_go_get() {
        assert_fires(&GoInstallUnpinned, "FROM golang:1.23\nRUN go install -ldflags '-s -w' github.com/a/b@master\n");
        let d = assert_fires(&GoInstallUnpinned, "FROM golang:1.15\nRUN go get -u github.com/golang/dep/cmd/dep\n");
        assert!(d[0].message.contains("`go get github.com/golang/dep/cmd/dep`"));
    }

    #[test]
    fn passes_on_versions_local_and_module_pinned_packages() {
        assert_passes(
            &GoInstallUnpinned,
            "FROM golang:1.23\nARG V\nRUN go install ./... && go install . && go install -tags netgo ./cmd/app && go install github.com/a/b/cmd/c\nRUN go install github.com/a/b@v1.2.3 github.com/c/d@abc1234 github.com/e/f@$V && go get ./... && go get example.com/m@v1.0.0 && go mod download\n",
        );
    }
}
