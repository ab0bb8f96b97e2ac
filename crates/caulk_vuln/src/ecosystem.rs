//! Where an installed package is looked up: the OSV ecosystem(s) of its distribution release or
//! language, the name advisories use for it, and the version text and ordering to compare, so
//! the matcher never guesses how a distribution spells its releases.

use caulk_core::package::normalize_python_name;
use caulk_core::{Distro, Package, PackageType};

use crate::version::Ecosystem;

/// The OSV ecosystems that describe an operating-system release, from os-release `ID` and
/// `VERSION_ID`. `known` is what the advisory store holds (sorted); it is needed where the
/// ecosystem names are not derivable from os-release alone (Red Hat's CPE suffixes, SUSE's
/// modules). Empty for distributions OSV does not cover.
///
/// Debian testing and unstable images carry a codename (`trixie`, `sid`) instead of a number;
/// their packages descend from unstable's, so they are matched against `Debian:sid`.
pub fn os_ecosystems(distro: &Distro, known: &[String]) -> Vec<String> {
    let id = distro.id.trim().to_ascii_lowercase();
    let version = distro.version_id.trim();
    // `/etc/debian_version` fallbacks can leave `trixie/sid`.
    let version = version.split('/').next().unwrap_or(version);
    let mut parts = version.split('.');
    let major = parts.next().filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()));
    let minor = parts.next().map(|m| m.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""));
    let major_minor = || major.map(|m| format!("{m}.{}", minor.filter(|n| !n.is_empty()).unwrap_or("0")));
    let one = |s: Option<String>| s.into_iter().collect::<Vec<_>>();
    match id.as_str() {
        "debian" => match major {
            Some(m) => vec![format!("Debian:{m}")],
            None if !version.is_empty() => vec!["Debian:sid".to_owned()],
            None => Vec::new(),
        },
        "ubuntu" => one(ubuntu(major, minor)),
        "alpine" => one(major_minor().map(|v| format!("Alpine:v{v}"))),
        "almalinux" => one(major.map(|m| format!("AlmaLinux:{m}"))),
        "rocky" => one(major.map(|m| format!("Rocky Linux:{m}"))),
        "rhel" => major.map(|m| red_hat(m, known)).unwrap_or_default(),
        "wolfi" => vec!["Wolfi".to_owned()],
        "chainguard" => vec!["Chainguard".to_owned()],
        "azurelinux" => one(major.map(|m| format!("Azure Linux:{m}"))),
        "mariner" => one(major_minor().map(|v| format!("Mariner:{v}"))),
        "photon" => one(major_minor().map(|v| format!("Photon OS:{v}"))),
        "opensuse-leap" => one(major_minor().map(|v| format!("openSUSE:Leap {v}"))),
        "opensuse-tumbleweed" => vec!["openSUSE:Tumbleweed".to_owned()],
        "sles" => major.map(|m| suse_enterprise(m, minor, known)).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `Ubuntu:22.04:LTS` for LTS releases (even year, April), `Ubuntu:23.10` otherwise.
fn ubuntu(major: Option<&str>, minor: Option<&str>) -> Option<String> {
    let (yy, mm) = (major?, minor.filter(|m| !m.is_empty())?);
    let year: u32 = yy.parse().ok()?;
    let lts = year.is_multiple_of(2) && mm == "04";
    Some(if lts { format!("Ubuntu:{yy}.{mm}:LTS") } else { format!("Ubuntu:{yy}.{mm}") })
}

/// Red Hat's ecosystems are CPE suffixes (`Red Hat:enterprise_linux:9::baseos`,
/// `Red Hat:rhel_eus:9.2::appstream`); a RHEL image matches those of the RHEL products whose
/// release is its major version. Layered products with release numbers of their own
/// (`Red Hat:openstack:9::el7`) are not RHEL. Without any in the store, the two main
/// repositories are named so the report can say they have no data.
fn red_hat(major: &str, known: &[String]) -> Vec<String> {
    let mut out: Vec<String> = known
        .iter()
        .filter(|e| {
            let mut fields = e.split(':');
            fields.next() == Some("Red Hat")
                && fields.next().is_some_and(|p| p == "enterprise_linux" || p.starts_with("rhel"))
                && fields.next() == Some(major)
        })
        .cloned()
        .collect();
    if out.is_empty() {
        out = ["appstream", "baseos"].iter().map(|repo| format!("Red Hat:enterprise_linux:{major}::{repo}")).collect();
    }
    out
}

/// SUSE names releases by their marketing names: `SUSE:Linux Enterprise Server 15 SP5`, and
/// the modules a SLES system draws packages from (`SUSE:Linux Enterprise Module for
/// Basesystem 15 SP5`) when the store has them.
fn suse_enterprise(major: &str, minor: Option<&str>, known: &[String]) -> Vec<String> {
    let release = match minor.filter(|m| !m.is_empty() && *m != "0") {
        Some(sp) => format!("{major} SP{sp}"),
        None => major.to_owned(),
    };
    let mut out = vec![format!("SUSE:Linux Enterprise Server {release}")];
    out.extend(
        known
            .iter()
            .filter(|e| {
                e.strip_prefix("SUSE:Linux Enterprise Module for ")
                    .and_then(|rest| rest.strip_suffix(release.as_str()))
                    .is_some_and(|module| module.ends_with(' '))
            })
            .cloned(),
    );
    out.sort();
    out.dedup();
    out
}

/// How one installed package is looked up in the advisory store and compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageKey {
    /// OSV ecosystems to query (an OS release may have several, e.g. Red Hat's repositories).
    pub ecosystems: Vec<String>,
    /// Names to query in each ecosystem: the source package for dpkg and apk; the binary and
    /// the source package for rpm (AlmaLinux and Rocky list binary packages, Red Hat both); the
    /// PEP 503 name for PyPI; the module path for Go (`stdlib` for the standard library);
    /// `group:artifact` for Maven.
    pub names: Vec<String>,
    /// The version to compare: the source version of a dpkg binary package when it differs
    /// (binNMUs), the full `epoch:version-release` for rpm, a Go version without its `v`/`go`.
    pub version: String,
    /// The ordering for `ECOSYSTEM` ranges.
    pub ordering: Ecosystem,
}

/// The lookup key of `package`; `None` when caulk cannot match it (an OS package of a
/// distribution OSV does not cover, a Maven artifact without a group, an empty version).
/// `distro` is the image's; an OS package's own `distro` takes precedence.
pub fn package_key(package: &Package, distro: Option<&Distro>, known: &[String]) -> Option<PackageKey> {
    let os = match package.distro.as_ref().or(distro) {
        Some(d) if package.kind.is_os() => os_ecosystems(d, known),
        _ => Vec::new(),
    };
    key_with(package, &os)
}

/// [`package_key`] with the OS ecosystems already resolved (the matcher resolves them once per
/// distribution, not per package).
pub(crate) fn key_with(package: &Package, os_ecosystems: &[String]) -> Option<PackageKey> {
    let ordering = ordering(package.kind);
    let ecosystems: Vec<String> = match package.kind {
        PackageType::Deb | PackageType::Apk | PackageType::Rpm => {
            os_ecosystems.iter().filter(|e| Ecosystem::from_osv(e) == Some(ordering)).cloned().collect()
        }
        PackageType::Python => vec!["PyPI".to_owned()],
        PackageType::Npm => vec!["npm".to_owned()],
        PackageType::Go => vec!["Go".to_owned()],
        PackageType::Cargo => vec!["crates.io".to_owned()],
        PackageType::Maven => vec!["Maven".to_owned()],
    };
    if ecosystems.is_empty() || package.name.is_empty() || package.version.trim().is_empty() {
        return None;
    }
    let names = match package.kind {
        PackageType::Deb | PackageType::Apk => vec![package.advisory_name().to_owned()],
        PackageType::Rpm => {
            let mut names = vec![package.name.clone()];
            if let Some(src) = package.source_name.as_deref().filter(|s| !s.is_empty() && *s != package.name) {
                names.push(src.to_owned());
            }
            names
        }
        PackageType::Python => vec![normalize_python_name(&package.name)],
        PackageType::Maven => {
            let (group, artifact) = package.name.split_once(':')?;
            if group.is_empty() || artifact.is_empty() {
                return None;
            }
            vec![package.name.clone()]
        }
        PackageType::Npm | PackageType::Go | PackageType::Cargo => vec![package.name.clone()],
    };
    let version = match package.kind {
        PackageType::Deb => package.source_version.as_deref().filter(|v| !v.is_empty()).unwrap_or(&package.version),
        PackageType::Go => {
            let v = package.version.as_str();
            v.strip_prefix("go").or_else(|| v.strip_prefix('v')).unwrap_or(v)
        }
        _ => &package.version,
    };
    Some(PackageKey { ecosystems, names, version: version.to_owned(), ordering })
}

/// The ordering a package type's versions follow.
fn ordering(kind: PackageType) -> Ecosystem {
    match kind {
        PackageType::Deb => Ecosystem::Debian,
        PackageType::Apk => Ecosystem::Apk,
        PackageType::Rpm => Ecosystem::Rpm,
        PackageType::Python => Ecosystem::PyPI,
        PackageType::Npm => Ecosystem::Npm,
        PackageType::Go => Ecosystem::Go,
        PackageType::Cargo => Ecosystem::Cargo,
        PackageType::Maven => Ecosystem::Maven,
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::Evidence;

    use super::*;

    fn distro(id: &str, version: &str) -> Distro {
        Distro { id: id.into(), version_id: version.into() }
    }

    fn os(id: &str, version: &str) -> Vec<String> {
        os_ecosystems(&distro(id, version), &[])
    }

    #[test]
    fn release_suffixes() {
        assert_eq!(os("debian", "12"), ["Debian:12"]);
        assert_eq!(os("debian", "trixie"), ["Debian:sid"]);
        assert_eq!(os("debian", "trixie/sid"), ["Debian:sid"]);
        assert!(os("debian", "").is_empty());
        assert_eq!(os("ubuntu", "22.04"), ["Ubuntu:22.04:LTS"]);
        assert_eq!(os("ubuntu", "23.04"), ["Ubuntu:23.04"]);
        assert_eq!(os("ubuntu", "24.10"), ["Ubuntu:24.10"]);
        assert_eq!(os("alpine", "3.19.4"), ["Alpine:v3.19"]);
        assert_eq!(os("alpine", "3.21.0_alpha20240807"), ["Alpine:v3.21"]);
        assert_eq!(os("almalinux", "9.0"), ["AlmaLinux:9"]);
        assert_eq!(os("rocky", "8.9"), ["Rocky Linux:8"]);
        assert_eq!(os("wolfi", "20230201"), ["Wolfi"]);
        assert_eq!(os("chainguard", ""), ["Chainguard"]);
        assert_eq!(os("azurelinux", "3.0"), ["Azure Linux:3"]);
        assert_eq!(os("mariner", "2.0"), ["Mariner:2.0"]);
        assert_eq!(os("photon", "5.0"), ["Photon OS:5.0"]);
        assert_eq!(os("opensuse-leap", "15.5"), ["openSUSE:Leap 15.5"]);
        assert!(os("arch", "").is_empty());
        assert!(os("centos", "7").is_empty());
    }

    #[test]
    fn red_hat_uses_the_stores_cpe_suffixes_for_the_major_release() {
        let known: Vec<String> = [
            "AlmaLinux:9",
            "Red Hat:enterprise_linux:8::baseos",
            "Red Hat:enterprise_linux:9::appstream",
            "Red Hat:enterprise_linux:9::baseos",
            "Red Hat:openstack:9::el7",
            "Red Hat:rhel_eus:9.2::baseos",
            "Red Hat:rhel_els:9",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            os_ecosystems(&distro("rhel", "9.4"), &known),
            ["Red Hat:enterprise_linux:9::appstream", "Red Hat:enterprise_linux:9::baseos", "Red Hat:rhel_els:9"]
        );
        assert_eq!(
            os_ecosystems(&distro("rhel", "7.9"), &known),
            ["Red Hat:enterprise_linux:7::appstream", "Red Hat:enterprise_linux:7::baseos"]
        );
    }

    #[test]
    fn sles_adds_the_modules_of_its_service_pack() {
        let known: Vec<String> = [
            "SUSE:Linux Enterprise Module for Basesystem 15 SP5",
            "SUSE:Linux Enterprise Module for Basesystem 15 SP6",
            "SUSE:Linux Enterprise Module for Python 3 15 SP5",
            "SUSE:Linux Enterprise Server 15 SP5",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            os_ecosystems(&distro("sles", "15.5"), &known),
            [
                "SUSE:Linux Enterprise Module for Basesystem 15 SP5",
                "SUSE:Linux Enterprise Module for Python 3 15 SP5",
                "SUSE:Linux Enterprise Server 15 SP5"
            ]
        );
        assert_eq!(os_ecosystems(&distro("sles", "15"), &[]), ["SUSE:Linux Enterprise Server 15"]);
    }

    fn pkg(kind: PackageType, name: &str, version: &str) -> Package {
        Package::new(kind, name, version, Evidence { path: "/x".into(), layer: Some(0), analyzer: "test" })
    }

    #[test]
    fn keys_per_package_type() {
        let deb12 = distro("debian", "12");
        let mut libc = pkg(PackageType::Deb, "libc6", "2.36-9+deb12u4+b1");
        libc.source_name = Some("glibc".into());
        libc.source_version = Some("2.36-9+deb12u4".into());
        let key = package_key(&libc, Some(&deb12), &[]).unwrap();
        assert_eq!(key.ecosystems, ["Debian:12"]);
        assert_eq!(key.names, ["glibc"]);
        assert_eq!(key.version, "2.36-9+deb12u4");
        assert_eq!(key.ordering, Ecosystem::Debian);

        let mut rpm = pkg(PackageType::Rpm, "glibc-common", "2.34-28.el9_0");
        rpm.source_name = Some("glibc".into());
        let key = package_key(&rpm, Some(&distro("almalinux", "9.0")), &[]).unwrap();
        assert_eq!(
            (key.ecosystems.as_slice(), key.names.as_slice()),
            (&["AlmaLinux:9".to_owned()][..], &["glibc-common".to_owned(), "glibc".to_owned()][..])
        );

        let key = package_key(&pkg(PackageType::Python, "Flask_Login", "0.6.0"), None, &[]).unwrap();
        assert_eq!((key.ecosystems[0].as_str(), key.names[0].as_str()), ("PyPI", "flask-login"));
        let key = package_key(&pkg(PackageType::Go, "stdlib", "v1.22.5"), None, &[]).unwrap();
        assert_eq!((key.names[0].as_str(), key.version.as_str()), ("stdlib", "1.22.5"));
        assert_eq!(package_key(&pkg(PackageType::Go, "stdlib", "go1.21.0"), None, &[]).unwrap().version, "1.21.0");
        assert_eq!(
            package_key(&pkg(PackageType::Cargo, "time", "0.1.0"), None, &[]).unwrap().ecosystems,
            ["crates.io"]
        );
        assert!(package_key(&pkg(PackageType::Maven, "log4j-core", "2.14.1"), None, &[]).is_none());
        assert!(
            package_key(&pkg(PackageType::Maven, "org.apache.logging.log4j:log4j-core", "2.14.1"), None, &[]).is_some()
        );
        // OS packages need a distribution OSV covers, with the right ordering.
        assert!(package_key(&pkg(PackageType::Deb, "bash", "5.2-1"), None, &[]).is_none());
        assert!(package_key(&pkg(PackageType::Deb, "bash", "5.2-1"), Some(&distro("arch", "")), &[]).is_none());
        assert!(package_key(&pkg(PackageType::Rpm, "bash", "5.2-1"), Some(&deb12), &[]).is_none());
    }
}
