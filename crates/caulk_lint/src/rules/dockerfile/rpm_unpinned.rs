//! DF303: yum/dnf/microdnf install without version pins.

use crate::checker::Checker;
use crate::packages::{Manager, has_extension, invocations};
use crate::pins::pin_fix;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::unnecessary_tools::base_name;

declare_rule! {
    /// ## What it does
    /// Checks `yum install`, `dnf install`, `microdnf install` and `tdnf install` (also
    /// `reinstall`) for packages named without a version (`name-version[-release]`,
    /// `name-1.2*`, `'name >= 1.2'`), and `dnf module install` for modules without a stream
    /// (`nodejs:20`). Local and remote `.rpm` files, paths, `@group`s, capabilities such as
    /// `'dnf-command(config-manager)'` and packages in variables are skipped; `groupinstall`
    /// installs groups, which have no versions.
    ///
    /// A word counts as versioned when it ends in a dash followed by a version (`-1.2.3`,
    /// `-1.2*`, `-2:8.0-1.el9`); a name like `java-17-openjdk` is a name, not a pin.
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever the repositories serve on the day of the build:
    /// builds stop being reproducible, and a broken or compromised update lands in the image
    /// unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## Fix
    /// Only with `caulk fix --image IMAGE --unsafe-fixes`: the package is pinned to the version
    /// that image contains (for installs in the stages the image is built from; packages the
    /// image lacks stay as they are and are counted). Unsafe: the pinned version must remain
    /// available in the repositories the build uses.
    ///
    /// ## References
    /// - hadolint DL3033 (yum), DL3041 (dnf, microdnf)
    /// - [dnf: specifying packages](https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label)
    pub(crate) struct RpmUnpinned {
        code: "DF303",
        name: "rpm-unpinned",
        summary: "yum/dnf/microdnf install without version pins",
        severity: Medium,
        fix: None,
        aliases: ["DL3033", "DL3041"],
    }
}

impl DockerfileRule for RpmUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        for (index, _, commands) in cx.runs() {
            for inv in invocations(commands).filter(|i| i.manager == Manager::Yum) {
                let program = inv.program;
                let operands = inv.operands();
                if inv.is_sub(&["install", "reinstall", "in"]) {
                    for pkg in operands {
                        let v = pkg.value.as_str();
                        if pkg.has_expansion || is_pinned(v) || !is_package_name(v) {
                            continue;
                        }
                        let fix = pin_fix(cx, index, Manager::Yum, pkg, &base_name(Manager::Yum, v));
                        let d = cx
                            .report(pkg.range, format!("`{v}` is installed without a version pin"))
                            .set_help(format!("pin it: `{v}-<version>` (see `{program} list --showduplicates {v}`)"));
                        if let Some(fix) = fix {
                            d.set_fix(fix);
                        }
                    }
                } else if inv.is_sub(&["module"]) && operands.first().is_some_and(|w| w.value == "install") {
                    for module in operands.into_iter().skip(1) {
                        let v = module.value.as_str();
                        if module.has_expansion || v.contains(':') || !is_package_name(v) {
                            continue;
                        }
                        cx.report(module.range, format!("module `{v}` is installed without a stream"))
                            .set_help(format!("name the stream: `{v}:<stream>` (see `{program} module list {v}`)"));
                    }
                }
            }
        }
    }
}

/// Whether `v` names a package by name (not a file, URL, path, group or capability).
fn is_package_name(v: &str) -> bool {
    !(v.is_empty()
        || v.starts_with(['@', '.', '/', '~'])
        || has_extension(v, "rpm")
        || v.contains("://")
        || v.contains(['(', '/']))
}

fn is_version_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '~' | '^' | '_' | ':' | '+' | '*')
}

fn is_versionish(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit()) && s.chars().all(is_version_char)
}

/// `name-1.2.3`, `name-1.2*`, `name-2:8.0-1.el9`, `'name >= 1.2'`.
pub(crate) fn is_pinned(v: &str) -> bool {
    if v.contains(['<', '>', '=']) {
        return true;
    }
    let segs: Vec<&str> = v.split('-').collect();
    let n = segs.len();
    if n < 2 {
        return false;
    }
    let last = segs.get(n - 1).copied().unwrap_or("");
    let prev = if n >= 3 { segs.get(n - 2).copied() } else { None };
    let dotted = |s: &str| s.contains(['.', '*', ':']);
    // name-version
    (is_versionish(last) && (dotted(last) || prev.is_some_and(is_versionish)))
        // name-version-release (a release has a digit: `1.el9`, `r2`)
        || prev.is_some_and(|p| is_versionish(p) && dotted(p) && last.chars().all(is_version_char) && last.contains(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{RpmUnpinned, is_pinned};

    #[test]
    fn fires_on_bare_names() {
        let d = assert_fires(
            &RpmUnpinned,
            "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 java-17-openjdk && dnf clean all\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`java-17-openjdk`"));
    }

    #[test]
    fn fires_for_yum_microdnf_and_modules() {
        assert_fires(&RpmUnpinned, "FROM centos:7\nRUN yum -y install epel-release\n");
        assert_fires(
            &RpmUnpinned,
            "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y shadow-utils\n",
        );
        let d = assert_fires(&RpmUnpinned, "FROM rockylinux:9\nRUN dnf module install -y nodejs\n");
        assert!(d[0].message.contains("module `nodejs`"));
    }

    #[test]
    fn passes_on_versions_files_groups_and_variables() {
        assert_passes(
            &RpmUnpinned,
            "FROM rockylinux:9\nARG PKG\nRUN dnf install -y gcc-c++-11.4.1 'python3 >= 3.9' vim-enhanced-2:8.2.2637-20.el9_1 nginx-1.20* ./x.rpm https://example.com/y.rpm @development-tools 'dnf-command(config-manager)' $PKG \\\n && dnf module install -y nodejs:20/common && dnf groupinstall -y 'Development Tools' && dnf clean all\n",
        );
    }

    #[test]
    fn version_heuristics() {
        assert!(is_pinned("curl-7.76.1"));
        assert!(is_pinned("libX11-1.6.8-5.el8.x86_64"));
        assert!(is_pinned("python3-3.9.18-1.el9"));
        assert!(!is_pinned("python3-devel"));
        assert!(!is_pinned("gcc-toolset-12"));
        assert!(!is_pinned("java-1.8.0-openjdk"));
        assert!(!is_pinned("java-1.8.0-openjdk-devel"));
        assert!(!is_pinned("curl"));
    }
}
