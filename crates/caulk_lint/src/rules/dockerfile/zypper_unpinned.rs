//! DF304: zypper install without version pins.

use crate::checker::Checker;
use crate::packages::{Manager, has_extension, installs};
use crate::pins::pin_fix;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::rpm_unpinned;
use crate::rules::dockerfile::unnecessary_tools::base_name;

declare_rule! {
    /// ## What it does
    /// Checks `zypper install` (`zypper in`) for packages named without a version
    /// (`name=1.2.3`, `'name>=1.2'`, `name-1.2.3`). Local and remote `.rpm` files, paths,
    /// patterns, patches and products (`-t pattern`, `pattern:lamp_server`) and packages in
    /// variables are skipped.
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever the repositories serve on the day of the build:
    /// builds stop being reproducible, and a broken or compromised update lands in the image
    /// unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n install curl && zypper clean -a
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n install curl=8.6.0 && zypper clean -a
    /// ```
    ///
    /// ## Fix
    /// Only with `caulk fix --image IMAGE --unsafe-fixes`: the package is pinned to the version
    /// that image contains (for installs in the stages the image is built from; packages the
    /// image lacks stay as they are and are counted). Unsafe: the pinned version must remain
    /// available in the repositories the build uses.
    ///
    /// ## References
    /// - hadolint DL3037
    /// - [zypper(8): install](https://en.opensuse.org/SDB:Zypper_manual)
    pub(crate) struct ZypperUnpinned {
        code: "DF304",
        name: "zypper-unpinned",
        summary: "zypper install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3037"],
    }
}

impl DockerfileRule for ZypperUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, _, commands) in cx.runs() {
            for install in installs(commands).into_iter().filter(|i| i.manager == Manager::Zypper) {
                // `-t pattern|patch|product|srcpackage`: not packages with versions
                if install.command.flag_value(&["-t", "--type"]).is_some_and(|t| t != "package") {
                    continue;
                }
                for pkg in &install.packages {
                    let v = pkg.value.as_str();
                    if pkg.has_expansion || is_pinned(v) || !is_package_name(v) {
                        continue;
                    }
                    let fix = pin_fix(cx, index, Manager::Zypper, pkg, &base_name(Manager::Zypper, v));
                    let d = cx
                        .report(pkg.range, format!("`{v}` is installed without a version pin"))
                        .set_help(format!("pin it: `{v}=<version>` (see `zypper search -s {v}`)"));
                    if let Some(fix) = fix {
                        d.set_fix(fix);
                    }
                }
            }
        }
    }
}

fn is_package_name(v: &str) -> bool {
    let kinds = ["pattern:", "patch:", "product:", "srcpackage:", "application:"];
    !(v.is_empty()
        || v.starts_with(['.', '/', '~', '!'])
        || kinds.iter().any(|k| v.starts_with(k))
        || has_extension(v, "rpm")
        || v.contains("://")
        || v.contains(['(', '/']))
}

/// `name=1.2`, `name>=1.2`, `name<2`, or rpm-style `name-1.2.3`.
fn is_pinned(v: &str) -> bool {
    v.contains(['=', '<', '>']) || rpm_unpinned::is_pinned(v)
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::ZypperUnpinned;

    #[test]
    fn fires_on_bare_names() {
        let d = assert_fires(
            &ZypperUnpinned,
            "FROM opensuse/leap:15.6\nRUN zypper -n in curl 'git>=2.43' && zypper clean -a\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`curl`"));
    }

    #[test]
    fn global_n_does_not_hide_the_subcommand() {
        let d = assert_fires(
            &ZypperUnpinned,
            "FROM opensuse/leap:15.6\nRUN zypper -n --gpg-auto-import-keys install -y vim\n",
        );
        assert!(d[0].message.contains("`vim`"));
    }

    #[test]
    fn passes_on_pins_patterns_files_and_variables() {
        assert_passes(
            &ZypperUnpinned,
            "FROM opensuse/leap:15.6\nARG PKG\nRUN zypper -n install curl=8.6.0 'git<3' python311-3.11.9 ./x.rpm pattern:devel_basis $PKG \\\n && zypper -n install -t pattern devel_C_C++ && zypper -n refresh\n",
        );
    }
}
