//! DF301: `apt-get install` without version pins.

use crate::checker::Checker;
use crate::packages::{Manager, installs};
use crate::pins::pin_fix;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::unnecessary_tools::base_name;

declare_rule! {
    /// ## What it does
    /// Checks `apt-get install` (and `apt install`) for packages named without a version pin
    /// (`pkg=version`).
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever the mirror serves on the day of the build: builds
    /// stop being reproducible, and a compromised or broken upload lands in the image unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## Fix
    /// Only with `caulk fix --image IMAGE --unsafe-fixes`: the package is pinned to the version
    /// that image contains (for installs in the stages the image is built from; packages the
    /// image lacks stay as they are and are counted). Unsafe: the pinned version must remain
    /// available in the repositories the build uses.
    ///
    /// ## References
    /// - hadolint DL3008
    /// - [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
    pub(crate) struct AptGetUnpinned {
        code: "DF301",
        name: "apt-get-unpinned",
        summary: "apt-get install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3008"],
    }
}

impl DockerfileRule for AptGetUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Apt) {
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    // `pkg=version`, `pkg/release` and local `.deb` files are pinned
                    if v.contains('=') || v.contains('/') || v.ends_with(".deb") || pkg.has_expansion {
                        continue;
                    }
                    let fix = pin_fix(cx, index, Manager::Apt, pkg, &base_name(Manager::Apt, v));
                    let d = cx
                        .report(pkg.range, format!("`{v}` is installed without a version pin"))
                        .set_help(format!("pin it: `{v}=<version>` (see `apt-cache policy {v}`)"));
                    if let Some(fix) = fix {
                        d.set_fix(fix);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::AptGetUnpinned;

    #[test]
    fn fires_on_bare_names() {
        let d =
            assert_fires(&AptGetUnpinned, "FROM debian:12\nRUN apt-get update && apt-get install -y curl wget=1.21\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`curl`"));
    }

    #[test]
    fn fires_inside_sh_c_and_onbuild() {
        assert_fires(&AptGetUnpinned, "FROM debian:12\nONBUILD RUN apt-get install -y vim\n");
    }

    #[test]
    fn passes_on_pinned_local_and_release() {
        assert_passes(
            &AptGetUnpinned,
            "FROM debian:12\nRUN apt-get install -y curl=7.88 ./x.deb git/bookworm-backports\nRUN apt-get update\n",
        );
    }
}
