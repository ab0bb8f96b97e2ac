//! DF306: npm install of packages without versions.

use crate::checker::Checker;
use crate::packages::{Manager, installs};
use crate::pins::pin_fix;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `npm install` / `npm i` / `npm add` (and `pnpm add`) for packages named without a
    /// version: `express` or `express@latest` rather than `express@4.19.2` (scoped packages:
    /// `@scope/pkg@1.2.3`). A Git dependency must name a commit or tag (`#v1.2.3`).
    ///
    /// Not reported: `npm install` and `npm ci` without package arguments (they install what
    /// `package.json` and the lockfile say), local folders and tarballs (`./pkg`,
    /// `file:…`, `pkg.tgz`), tarball URLs and packages in variables.
    ///
    /// ## Why is this bad?
    /// An unversioned package installs whatever the registry's `latest` tag points to on the day
    /// of the build: builds stop being reproducible, a new major version can break the
    /// application, and a hijacked release (a recurring npm incident) lands in the image
    /// unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN npm install -g pm2
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN npm install -g pm2@5.4.2
    /// ```
    ///
    /// ## Fix
    /// Only with `caulk fix --image IMAGE --unsafe-fixes`: the package is pinned to the version
    /// that image contains (for installs in the stages the image is built from; packages the
    /// image lacks stay as they are and are counted). Unsafe: the pinned version must remain
    /// available in the repositories the build uses.
    ///
    /// ## References
    /// - hadolint DL3016
    /// - [npm install](https://docs.npmjs.com/cli/commands/npm-install)
    pub(crate) struct NpmUnpinned {
        code: "DF306",
        name: "npm-unpinned",
        summary: "npm install of packages without versions",
        severity: Medium,
        fix: None,
        aliases: ["DL3016"],
    }
}

impl DockerfileRule for NpmUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Npm) {
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    if pkg.has_expansion {
                        continue;
                    }
                    match classify(v) {
                        Spec::Pinned => {}
                        Spec::Bare => {
                            let fix = pin_fix(cx, index, Manager::Npm, pkg, v);
                            let d = cx
                                .report(pkg.range, format!("`{v}` is installed without a version"))
                                .set_help(format!("pin it: `{v}@<version>` (see `npm view {v} version`)"));
                            if let Some(fix) = fix {
                                d.set_fix(fix);
                            }
                        }
                        Spec::MovingTag(name) => {
                            let fix = pin_fix(cx, index, Manager::Npm, pkg, name);
                            let d = cx
                                .report(pkg.range, format!("`{v}` names a moving tag, not a version"))
                                .set_help(format!("pin it: `{name}@<version>` (see `npm view {name} version`)"));
                            if let Some(fix) = fix {
                                d.set_fix(fix);
                            }
                        }
                        Spec::GitHead => {
                            cx.report(pkg.range, format!("`{v}` installs the head of a Git branch"))
                                .set_help(format!("pin a commit or tag: `{v}#<commit-or-tag>`"));
                        }
                    }
                }
            }
        }
    }
}

enum Spec<'a> {
    Pinned,
    Bare,
    /// `pkg@latest`: the package name.
    MovingTag(&'a str),
    GitHead,
}

fn classify(v: &str) -> Spec<'_> {
    let lower = v.to_ascii_lowercase();
    if v.is_empty()
        || v.starts_with(['.', '/', '~'])
        || lower.starts_with("file:")
        || [".tgz", ".tar.gz", ".tar"].iter().any(|s| lower.ends_with(s))
    {
        return Spec::Pinned;
    }
    let git = ["git+", "git://", "github:", "gitlab:", "bitbucket:", "gist:"].iter().any(|p| lower.starts_with(p));
    // `user/repo` is GitHub shorthand
    let shorthand = !v.starts_with('@') && v.contains('/') && !v.contains(':');
    if git || shorthand {
        return if v.contains('#') { Spec::Pinned } else { Spec::GitHead };
    }
    if v.contains("://") {
        return Spec::Pinned; // a tarball URL
    }
    // `@scope/name@version`: the version is after the `@` that follows the scope
    let name_start = if v.starts_with('@') { v.find('/').map_or(v.len(), |i| i + 1) } else { 0 };
    let Some(at) = v.get(name_start..).and_then(|rest| rest.find('@')).map(|i| name_start + i) else {
        return Spec::Bare;
    };
    let name = v.get(..at).unwrap_or(v);
    let version = v.get(at + 1..).unwrap_or("");
    // `alias@npm:pkg@1.2.3`: judge the aliased spec
    if let Some(aliased) = version.strip_prefix("npm:") {
        return match classify(aliased) {
            Spec::Bare | Spec::MovingTag(_) => Spec::MovingTag(name),
            other => other,
        };
    }
    if matches!(
        version.to_ascii_lowercase().as_str(),
        "" | "latest" | "next" | "*" | "x" | "canary" | "beta" | "alpha" | "rc" | "nightly"
    ) {
        Spec::MovingTag(name)
    } else {
        Spec::Pinned
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::NpmUnpinned;

    #[test]
    fn fires_on_bare_names() {
        let d = assert_fires(&NpmUnpinned, "FROM node:22\nRUN npm install -g pm2 typescript@5.5.4\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`pm2`"));
    }

    #[test]
    fn fires_on_latest_scoped_and_git_heads() {
        let d = assert_fires(&NpmUnpinned, "FROM node:22\nRUN npm i -g npm@latest @angular/cli expressjs/express\n");
        assert_eq!(d.len(), 3);
        assert!(d[0].message.contains("moving tag"));
        assert!(d[1].message.contains("`@angular/cli`"));
        assert!(d[2].message.contains("Git branch"));
    }

    #[test]
    fn passes_on_versions_lockfile_installs_paths_and_variables() {
        assert_passes(
            &NpmUnpinned,
            "FROM node:22\nARG PKG\nRUN npm ci --omit=dev && npm install && npm install --production\nRUN npm install -g @angular/cli@18.2.1 pm2@^5 ./local-pkg file:../x pkg.tgz https://example.com/p.tgz \\\n expressjs/express#4.19.2 git+https://github.com/a/b.git#abc123 alias@npm:lodash@4.17.21 $PKG\n",
        );
    }
}
