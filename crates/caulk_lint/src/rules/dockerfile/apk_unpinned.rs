//! DF302: apk add without version pins.

use crate::checker::Checker;
use crate::packages::{Manager, has_extension, installs};
use crate::pins::pin_fix;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `apk add` for packages named without a version constraint (`pkg=1.2.3-r0`,
    /// `pkg~1.2`, `pkg>=1.2`). Local `.apk` files, paths, packages in variables and the name given
    /// to `--virtual` are not package names and are skipped.
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever the Alpine mirror serves on the day of the build:
    /// builds stop being reproducible, and a broken or compromised upload lands in the image
    /// unnoticed. Alpine only keeps the latest build of each package in a branch, so `~1.2`
    /// (any `1.2.x`) is usually the practical pin.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl~8.9
    /// ```
    ///
    /// ## Fix
    /// Only with `caulk fix --image IMAGE --unsafe-fixes`: the package is pinned to the version
    /// that image contains (for installs in the stages the image is built from; packages the
    /// image lacks stay as they are and are counted). Unsafe: the pinned version must remain
    /// available in the repositories the build uses.
    ///
    /// ## References
    /// - hadolint DL3018
    /// - [Alpine wiki: apk, "Holding a specific package back"](https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Holding_a_specific_package_back)
    pub(crate) struct ApkUnpinned {
        code: "DF302",
        name: "apk-unpinned",
        summary: "apk add without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3018"],
    }
}

impl DockerfileRule for ApkUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Apk) {
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    if pkg.has_expansion || is_pinned(v) {
                        continue;
                    }
                    // `shadow@community`: the tag selects a repository, the name is before it
                    let name = v.split('@').next().unwrap_or(v);
                    let help = if name == v {
                        format!("pin it: `{v}=<version>` or `{v}~<major.minor>` (see `apk policy {v}`)")
                    } else {
                        format!("add a version constraint (`=<version>` or `~<major.minor>`; see `apk policy {name}`)")
                    };
                    // a repository tag (`@community`) would have to stay after the version: left as is
                    let fix = (name == v).then(|| pin_fix(cx, index, Manager::Apk, pkg, v)).flatten();
                    let d = cx.report(pkg.range, format!("`{v}` is installed without a version pin")).set_help(help);
                    if let Some(fix) = fix {
                        d.set_fix(fix);
                    }
                }
            }
        }
    }
}

/// `pkg=1.2`, `pkg~1.2`, `pkg>1`, `pkg<2`, local `.apk` files and paths.
fn is_pinned(v: &str) -> bool {
    v.contains(['=', '~', '<', '>']) || has_extension(v, "apk") || v.contains('/')
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::ApkUnpinned;

    #[test]
    fn fires_on_bare_names() {
        let d = assert_fires(&ApkUnpinned, "FROM alpine:3.20\nRUN apk add --no-cache curl git=2.45.2-r0\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`curl`"));
    }

    #[test]
    fn fires_in_onbuild_and_sh_c() {
        assert_fires(&ApkUnpinned, "FROM alpine:3.20\nONBUILD RUN apk add bash\n");
        assert_fires(&ApkUnpinned, "FROM alpine:3.20\nRUN sh -c 'apk update && apk add --no-cache bash'\n");
    }

    #[test]
    fn repository_tag_is_not_a_pin() {
        let d = assert_fires(&ApkUnpinned, "FROM alpine:3.20\nRUN apk add --no-cache shadow@community\n");
        assert!(d[0].message.contains("`shadow@community`"));
    }

    #[test]
    fn passes_on_pins_files_variables_and_virtual_names() {
        assert_passes(
            &ApkUnpinned,
            "FROM alpine:3.20\nARG PKGS\nRUN apk add --no-cache --virtual .build-deps gcc~13.2 musl-dev=1.2.5-r0 'py3-pip>=24' ./local.apk $PKGS\nRUN apk add -X https://dl-cdn.alpinelinux.org/alpine/edge/testing -t .tmp foo=1.0\nRUN apk update && apk del curl\n",
        );
    }
}
