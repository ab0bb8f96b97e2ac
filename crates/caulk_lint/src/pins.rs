//! Package versions taken from a built image, so `caulk fix --image` can pin a Dockerfile's
//! installs to exactly what that image contains (DF301–DF306 attach the pins as unsafe fixes).

use std::collections::BTreeMap;

use caulk_core::{Edit, Fix, Package, PackageType};
use caulk_syntax::shell::Word;

use crate::checker::Checker;
use crate::edits::append_to_word;
use crate::packages::Manager;

/// Versions by ecosystem, then by package name as the ecosystem compares names (pip names
/// normalised as PEP 503 says, npm and OS names as written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackagePins {
    versions: BTreeMap<PackageType, BTreeMap<String, String>>,
}

impl PackagePins {
    pub fn new() -> Self {
        Self::default()
    }

    /// The pins of an image's package inventory. When a name appears twice (several Python
    /// environments, nested `node_modules`), the first one found is kept.
    pub fn from_packages(packages: &[Package]) -> Self {
        let mut pins = Self::new();
        for p in packages {
            pins.insert(p.kind, &p.name, &p.version);
        }
        pins
    }

    /// Records `name` at `version` unless the name already has a version.
    pub fn insert(&mut self, kind: PackageType, name: &str, version: &str) {
        if name.is_empty() || version.is_empty() {
            return;
        }
        self.versions.entry(kind).or_default().entry(normalize(kind, name)).or_insert_with(|| version.to_owned());
    }

    /// The version the image has of `name` for packages installed with `manager`.
    pub fn version(&self, manager: Manager, name: &str) -> Option<&str> {
        let kind = ecosystem(manager)?;
        self.versions.get(&kind)?.get(&normalize(kind, name)).map(String::as_str)
    }

    /// Number of packages known, over all ecosystems.
    pub fn len(&self) -> usize {
        self.versions.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The unsafe fix that pins the package operand `word` of an install in instruction `index` to
/// the version the image of `caulk fix --image` contains; `name` is the package's name as the
/// manager knows it. `None` without pins, for build stages (the image holds the shipped stages'
/// packages only) and for packages the image does not contain.
pub(crate) fn pin_fix(cx: &Checker<'_>, index: usize, manager: Manager, word: &Word, name: &str) -> Option<Fix> {
    let pins = cx.settings.pins.as_deref()?;
    if !cx.is_shipped(index) || word.has_expansion || word.value.contains("npm:") {
        return None;
    }
    let version = pins.version(manager, name)?;
    let suffix = match manager {
        Manager::Apt | Manager::Apk | Manager::Zypper => format!("={version}"),
        Manager::Yum => format!("-{version}"),
        Manager::Pip => format!("=={version}"),
        Manager::Npm => format!("@{version}"),
        Manager::Gem | Manager::Go => return None,
    };
    let edit = if manager == Manager::Npm && word.value != name {
        // `pkg@latest` → `pkg@1.2.3`
        (word.range.slice(cx.text) == word.value).then(|| Edit::replace(word.range, format!("{name}{suffix}")))?
    } else {
        append_to_word(cx.text, word, &suffix)?
    };
    Some(Fix::unsafe_edit(format!("pin `{name}` to `{version}`, the version in the image"), vec![edit]))
}

/// The package type an image records for what `manager` installs.
fn ecosystem(manager: Manager) -> Option<PackageType> {
    Some(match manager {
        Manager::Apt => PackageType::Deb,
        Manager::Apk => PackageType::Apk,
        Manager::Yum | Manager::Zypper => PackageType::Rpm,
        Manager::Pip => PackageType::Python,
        Manager::Npm => PackageType::Npm,
        Manager::Gem | Manager::Go => return None,
    })
}

/// pip compares names case-insensitively with runs of `-`, `_`, `.` equal (PEP 503); dpkg, apk
/// and rpm names are lowercase in practice, npm names are case-sensitive.
fn normalize(kind: PackageType, name: &str) -> String {
    match kind {
        PackageType::Python => caulk_core::package::normalize_python_name(name),
        PackageType::Deb | PackageType::Apk | PackageType::Rpm => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use caulk_core::{Evidence, Package, PackageType};

    use super::PackagePins;
    use crate::packages::Manager;

    #[test]
    fn looks_names_up_per_ecosystem() {
        let ev = Evidence { path: "/var/lib/dpkg/status".to_owned(), layer: None, analyzer: "test" };
        let pins = PackagePins::from_packages(&[
            Package::new(PackageType::Deb, "curl", "7.58.0-2ubuntu3.24", ev.clone()),
            Package::new(PackageType::Python, "Flask_Cors", "4.0.1", ev.clone()),
            Package::new(PackageType::Rpm, "httpd", "2.4.57-5.el9", ev.clone()),
            Package::new(PackageType::Python, "flask-cors", "3.0.0", ev),
        ]);
        assert_eq!(pins.len(), 3);
        assert_eq!(pins.version(Manager::Apt, "curl"), Some("7.58.0-2ubuntu3.24"));
        assert_eq!(pins.version(Manager::Apk, "curl"), None);
        assert_eq!(pins.version(Manager::Pip, "flask.cors"), Some("4.0.1"));
        assert_eq!(pins.version(Manager::Yum, "httpd"), Some("2.4.57-5.el9"));
        assert_eq!(pins.version(Manager::Zypper, "httpd"), Some("2.4.57-5.el9"));
        assert_eq!(pins.version(Manager::Gem, "rails"), None);
    }

    fn pinned(text: &str, codes: &[&'static str]) -> String {
        let mut pins = PackagePins::new();
        pins.insert(PackageType::Deb, "curl", "7.88.1-10+deb12u8");
        pins.insert(PackageType::Python, "flask", "3.0.3");
        pins.insert(PackageType::Npm, "typescript", "5.6.2");
        pins.insert(PackageType::Rpm, "httpd", "2.4.57-5.el9");
        pins.insert(PackageType::Apk, "bash", "5.2.26-r0");
        let settings = crate::LintSettings {
            select: codes.iter().map(|c| crate::RuleSelector::Rule(c)).collect(),
            ..crate::LintSettings::default()
        };
        let out = crate::fixer::fix_dockerfile_with_pins(text, &settings, true, std::sync::Arc::new(pins));
        assert!(out.converged);
        out.text
    }

    #[test]
    fn unpinned_installs_get_the_image_versions() {
        assert_eq!(
            pinned(
                "FROM debian:12\nRUN apt-get install -y curl wget && pip install 'Flask' && npm install -g typescript@latest\n",
                &["DF301", "DF305", "DF306"]
            ),
            "FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u8 wget && pip install 'Flask==3.0.3' && npm install -g typescript@5.6.2\n"
        );
        assert_eq!(
            pinned("FROM rockylinux:9\nRUN dnf install -y httpd\n", &["DF303"]),
            "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57-5.el9\n"
        );
        assert_eq!(
            pinned("FROM alpine:3.20\nRUN apk add bash\n", &["DF302"]),
            "FROM alpine:3.20\nRUN apk add bash=5.2.26-r0\n"
        );
    }

    #[test]
    fn build_stages_and_pinned_packages_stay() {
        let text =
            "FROM debian:12 AS build\nRUN apt-get install -y curl\nFROM debian:12\nRUN apt-get install -y curl=7.0\n";
        assert_eq!(pinned(text, &["DF301"]), text);
    }
}
