//! DF317: packages installed without signature checks.

use std::collections::BTreeSet;

use caulk_syntax::shell::{Command, Word};

use crate::checker::Checker;
use crate::packages::{FALSY, Manager, TRUTHY, invocation, sets_key};
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Reports options and settings that make a package manager install packages whose
    /// signatures it did not verify:
    /// - apt: `--allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`,
    ///   `-o APT::Get::AllowUnauthenticated=true`, `Acquire::AllowInsecureRepositories`, and
    ///   `[trusted=yes]` in a sources line;
    /// - apk: `--allow-untrusted`;
    /// - yum/dnf/microdnf/tdnf: `--nogpgcheck`, `--setopt=gpgcheck=0`, and `gpgcheck=0`
    ///   written to a `.repo` file or `dnf.conf` (`repo_gpgcheck=0`, the default, is fine);
    /// - rpm: `--nosignature`, `--nodigest`, `--noverify`, `--nofiledigest`;
    /// - zypper: `--no-gpg-checks`, `--allow-unsigned-rpm`, `addrepo --no-gpgcheck`/`-G`.
    ///
    /// `zypper --gpg-auto-import-keys` is not reported: it trusts the key of a repository the
    /// Dockerfile itself added, and signatures are still checked against it. Every stage is
    /// checked: a tampered package in a build stage can poison what it builds.
    ///
    /// ## Why is this bad?
    /// Package signatures are what ties a download to its publisher. Without them, anyone who
    /// can tamper with the mirror, a proxy or the network path (plain-HTTP mirrors are still
    /// common) can substitute a package and run code as root in the build and in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --allow-unauthenticated internal-tool
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// COPY internal-archive-keyring.gpg /usr/share/keyrings/
    /// RUN echo "deb [signed-by=/usr/share/keyrings/internal-archive-keyring.gpg] https://apt.example.com stable main" \
    ///       > /etc/apt/sources.list.d/internal.list \
    ///  && apt-get update && apt-get install -y internal-tool=1.4.2
    /// ```
    ///
    /// ## References
    /// - Checkov CKV2_DOCKER_7 (apk), CKV2_DOCKER_8 (apt-get), CKV2_DOCKER_9 (dnf/yum),
    ///   CKV2_DOCKER_10 (rpm), CKV2_DOCKER_11 (`--force-yes`)
    /// - CIS Docker Benchmark 4.11 (Dockle CIS-DI-0011): install verified packages only
    /// - [Debian wiki: SecureApt](https://wiki.debian.org/SecureApt)
    pub(crate) struct UnauthenticatedPackages {
        code: "DF317",
        name: "unauthenticated-packages",
        summary: "packages installed without signature checks",
        severity: High,
        fix: None,
        aliases: ["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11", "CIS-DI-0011"],
    }
}

/// apt configuration keys that turn verification off when true.
const APT_KEYS: &[&str] = &[
    "apt::get::allowunauthenticated",
    "acquire::allowinsecurerepositories",
    "acquire::allowdowngradetoinsecurerepositories",
];

impl DockerfileRule for UnauthenticatedPackages {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut seen = BTreeSet::new();
        for (_, _, commands) in cx.runs() {
            for cmd in commands {
                for (word, message, family) in findings(cmd) {
                    if seen.insert((word.range.start, word.range.end)) {
                        cx.report(word.range, message).set_help(help(family));
                    }
                }
            }
        }
    }
}

/// How to trust a repository properly, per package family.
#[derive(Clone, Copy)]
enum Family {
    Apt,
    Apk,
    Rpm,
}

fn help(family: Family) -> &'static str {
    match family {
        Family::Apt => {
            "remove it; install the repository's key in `/usr/share/keyrings/` and name it with `[signed-by=…]` in the sources entry"
        }
        Family::Apk => "remove it; add the repository's public key to `/etc/apk/keys/` (or sign the package)",
        Family::Rpm => {
            "remove it; import the repository's key (`rpm --import <key-url>`, or `gpgkey=` in the `.repo` file)"
        }
    }
}

fn findings(cmd: &Command) -> Vec<(&Word, String, Family)> {
    let mut out = Vec::new();
    let args = cmd.args();
    let program = cmd.program().unwrap_or("");
    let long = |flags: &[&str]| -> Vec<&Word> {
        args.iter()
            .take_while(|w| w.value != "--")
            .filter(|w| {
                flags.iter().any(|f| w.value == *f || w.value.strip_prefix(f).is_some_and(|r| r.starts_with('=')))
            })
            .collect()
    };
    let manager = Manager::of_program(program);
    let flagged: Vec<(&Word, &str, Family)> = match (manager, program) {
        (Some(Manager::Apt), _) => long(&[
            "--allow-unauthenticated",
            "--allow-insecure-repositories",
            "--allow-downgrade-to-insecure-repositories",
            "--force-yes",
        ])
        .into_iter()
        .map(|w| (w, "apt", Family::Apt))
        .collect(),
        (Some(Manager::Apk), _) => long(&["--allow-untrusted"]).into_iter().map(|w| (w, "apk", Family::Apk)).collect(),
        (Some(Manager::Yum), p) => long(&["--nogpgcheck"]).into_iter().map(|w| (w, p, Family::Rpm)).collect(),
        (Some(Manager::Zypper), _) => {
            let mut v: Vec<&Word> = long(&["--no-gpg-checks", "--allow-unsigned-rpm"]);
            if invocation(cmd).is_some_and(|inv| inv.is_sub(&["addrepo", "ar", "modifyrepo", "mr"])) {
                v.extend(long(&["--no-gpgcheck"]));
                v.extend(args.iter().filter(|w| {
                    w.value.len() > 1 && w.value.starts_with('-') && !w.value.starts_with("--") && w.value.contains('G')
                }));
            }
            v.into_iter().map(|w| (w, "zypper", Family::Rpm)).collect()
        }
        (None, "rpm") => long(&["--nosignature", "--nodigest", "--noverify", "--nofiledigest"])
            .into_iter()
            .map(|w| (w, "rpm", Family::Rpm))
            .collect(),
        _ => Vec::new(),
    };
    for (w, who, family) in flagged {
        let shown = w.value.split('=').next().unwrap_or(&w.value);
        out.push((w, format!("`{shown}` makes {who} install packages without verifying their signatures"), family));
    }
    // settings in any word: `-o KEY=true`, `--setopt=gpgcheck=0`, `echo 'gpgcheck=0' >> x.repo`, `[trusted=yes]`
    for w in args {
        if w.has_expansion && !w.value.contains('=') {
            continue;
        }
        if let Some((message, family)) = setting(&w.value) {
            out.push((w, message, family));
        }
    }
    out
}

/// A verification-disabling setting in one word, if any.
fn setting(value: &str) -> Option<(String, Family)> {
    let lower = value.to_ascii_lowercase();
    let stripped = ["--option=", "-o", "--setopt="].iter().find_map(|p| lower.strip_prefix(p)).unwrap_or(&lower);
    // `s/gpgcheck=0/gpgcheck=1/`: only the replacement is written
    let written = sed_replacement(stripped).unwrap_or(stripped);
    if let Some(key) = APT_KEYS.iter().find(|k| sets_key(written, k, TRUTHY)) {
        let key = value_case(value, key);
        return Some((format!("`{key}` makes apt accept unsigned packages or repositories"), Family::Apt));
    }
    if ["trusted=yes", "trusted: yes", "allow-insecure=yes"].iter().any(|t| written.contains(t)) {
        let message = "a sources entry marked `trusted=yes` makes apt skip signature checks for that repository";
        return Some((message.to_owned(), Family::Apt));
    }
    if sets_key(written, "gpgcheck", FALSY) || sets_key(written, "pkg_gpgcheck", FALSY) {
        let message = "`gpgcheck=0` makes yum/dnf install packages without verifying their signatures";
        return Some((message.to_owned(), Family::Rpm));
    }
    None
}

/// The replacement part of a sed `s` expression (`s/a/b/g` → `b`).
fn sed_replacement(expr: &str) -> Option<&str> {
    let rest = expr.strip_prefix('s')?;
    let delim = rest.chars().next().filter(|c| !c.is_alphanumeric() && !c.is_whitespace())?;
    let mut parts = rest.get(delim.len_utf8()..)?.split(delim);
    let _pattern = parts.next()?;
    parts.next()
}

/// `key` as written in `value` (the finding quotes the user's spelling).
fn value_case<'v>(value: &'v str, lower_key: &str) -> &'v str {
    value.to_ascii_lowercase().find(lower_key).and_then(|i| value.get(i..i + lower_key.len())).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::UnauthenticatedPackages;

    #[test]
    fn fires_on_apt_flags_and_options() {
        let d = assert_fires(
            &UnauthenticatedPackages,
            "FROM debian:12\nRUN apt-get install -y --allow-unauthenticated foo && apt-get -o APT::Get::AllowUnauthenticated=true install bar\n",
        );
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`--allow-unauthenticated`"));
        assert!(d[1].message.contains("`APT::Get::AllowUnauthenticated`"));
        assert_fires(&UnauthenticatedPackages, "FROM debian:12\nRUN apt-get install -y --force-yes foo\n");
    }

    #[test]
    fn fires_on_trusted_sources_and_other_managers() {
        let d = assert_fires(
            &UnauthenticatedPackages,
            "FROM debian:12\nRUN echo 'deb [trusted=yes] http://repo.example.com stable main' > /etc/apt/sources.list.d/x.list\n",
        );
        assert!(d[0].message.contains("trusted=yes"));
        assert_fires(
            &UnauthenticatedPackages,
            "FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted ./pkg.apk\n",
        );
        assert_fires(&UnauthenticatedPackages, "FROM rockylinux:9\nRUN dnf install -y --nogpgcheck x-1.0\n");
        assert_fires(&UnauthenticatedPackages, "FROM rockylinux:9\nRUN dnf install -y --setopt=gpgcheck=0 x-1.0\n");
        assert_fires(
            &UnauthenticatedPackages,
            "FROM rockylinux:9\nRUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/x.repo\n",
        );
        assert_fires(&UnauthenticatedPackages, "FROM rockylinux:9\nRUN rpm -ivh --nosignature x.rpm\n");
        assert_fires(
            &UnauthenticatedPackages,
            "FROM opensuse/leap\nRUN zypper --no-gpg-checks -n in x=1 && zypper ar -G https://x/repo r\n",
        );
    }

    #[test]
    fn passes_on_verified_installs() {
        assert_passes(
            &UnauthenticatedPackages,
            "FROM rockylinux:9\nRUN echo 'repo_gpgcheck=0' >> /etc/yum.repos.d/x.repo && sed -i 's/gpgcheck=0/gpgcheck=1/' /etc/yum.conf \\\n && dnf install -y x-1.0 && rpm --import https://x/key && zypper --gpg-auto-import-keys -n ref\n",
        );
        assert_passes(
            &UnauthenticatedPackages,
            "FROM debian:12\nRUN echo 'deb [signed-by=/usr/share/keyrings/x.gpg] https://x stable main' > /etc/apt/sources.list.d/x.list && apt-get -o Acquire::Retries=3 install -y --allow-downgrades foo\n",
        );
    }
}
