//! End-of-life data for base images and language runtimes, so rules can tell when a `FROM` image
//! (`ubuntu:18.04`, `python:3.9-slim-buster`, `node:16`) no longer gets security fixes. The table
//! comes from endoflife.date via `cargo xtask generate` (`data/eol.tsv`); this module embeds it
//! and maps image references to the product release cycles they contain.

// Rules consume this module; until every accessor has a caller, unused items are expected.

use std::sync::LazyLock;

static DATA: LazyLock<EolData> = LazyLock::new(|| EolData::parse(include_str!("../data/eol.tsv")));

/// The embedded end-of-life table and its provenance.
#[derive(Debug)]
pub(crate) struct EolData {
    /// The endoflife.date commit the table was generated from.
    pub(crate) source_commit: &'static str,
    /// The date of the data (`YYYY-MM-DD`); end dates announced later are not known.
    pub(crate) source_date: &'static str,
    products: Vec<Product>,
}

#[derive(Debug)]
struct Product {
    key: &'static str,
    title: &'static str,
    releases: Vec<Release>,
}

#[derive(Debug)]
struct Release {
    cycle: &'static str,
    codename: Option<&'static str>,
    released: Option<&'static str>,
    eol: EolDate,
    lts: bool,
    extended_support: Option<EolDate>,
}

/// When support for a release cycle ends (or ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EolDate {
    /// Support ends, or ended, on this `YYYY-MM-DD` date.
    On(&'static str),
    /// Support has ended; the data gives no date.
    Ended,
    /// Support has not ended and no end date is announced.
    NotEnded,
}

impl EolDate {
    fn parse(text: &'static str) -> Option<Self> {
        match text {
            "true" => Some(Self::Ended),
            "false" => Some(Self::NotEnded),
            d if is_date(d) => Some(Self::On(d)),
            _ => None,
        }
    }

    /// Whether support has ended by `today` (`YYYY-MM-DD`); an end date equal to `today` counts.
    pub(crate) fn ended_on_or_before(self, today: &str) -> bool {
        match self {
            Self::On(date) => date <= today,
            Self::Ended => true,
            Self::NotEnded => false,
        }
    }

    /// The end date, when the data has one.
    pub(crate) fn date(self) -> Option<&'static str> {
        match self {
            Self::On(date) => Some(date),
            Self::Ended | Self::NotEnded => None,
        }
    }
}

/// What an [`EolFinding`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EolKind {
    /// The operating system the image is built on (`ubuntu:18.04`, the `buster` in `python:3.9-buster`).
    Os,
    /// A language runtime or server the image provides (`python:3.9`, `postgres:11`).
    Runtime,
}

/// One product release cycle found in an image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EolFinding {
    pub(crate) kind: EolKind,
    /// The endoflife.date product key (`ubuntu`, `python`, `nodejs`, `eclipse-temurin`).
    pub(crate) product: &'static str,
    /// The product's display name (`Ubuntu`, `Python`, `Node.js`).
    pub(crate) title: &'static str,
    /// The release cycle (`18.04`, `3.9`, `16`).
    pub(crate) cycle: String,
    /// The cycle's codename (`Bionic Beaver`, `Buster`), when it has one.
    pub(crate) codename: Option<&'static str>,
    /// When the cycle was first released (`YYYY-MM-DD`).
    pub(crate) release_date: Option<&'static str>,
    /// End of (security) support.
    pub(crate) eol: EolDate,
    /// Whether this is a long-term-support cycle (or is scheduled to become one).
    pub(crate) lts: bool,
    /// End of extended, usually paid, support (Ubuntu Pro, Debian ELTS, RHEL ELS), when the data has it.
    pub(crate) extended_support: Option<EolDate>,
}

impl EolFinding {
    /// Whether support has ended by `today` (`YYYY-MM-DD`).
    pub(crate) fn ended_on_or_before(&self, today: &str) -> bool {
        self.eol.ended_on_or_before(today)
    }

    /// The end-of-support date (`YYYY-MM-DD`), when known.
    pub(crate) fn eol_date(&self) -> Option<&'static str> {
        self.eol.date()
    }

    /// The end of extended support (`YYYY-MM-DD`), when the data has a date for it.
    pub(crate) fn extended_support_end(&self) -> Option<&'static str> {
        self.extended_support.and_then(EolDate::date)
    }

    /// A display name for messages: `Ubuntu 18.04 (Bionic Beaver)`, `Python 3.9`.
    pub(crate) fn label(&self) -> String {
        match self.codename {
            Some(codename) => format!("{} {} ({codename})", self.title, self.cycle),
            None => format!("{} {}", self.title, self.cycle),
        }
    }
}

impl EolData {
    /// The embedded table, parsed on first use.
    pub(crate) fn get() -> &'static Self {
        &DATA
    }

    /// Parses the generated TSV; malformed lines are skipped (the file is generated and tested).
    fn parse(text: &'static str) -> Self {
        let mut data = Self { source_commit: "", source_date: "", products: Vec::new() };
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&'static str> = line.split('\t').collect();
            match *fields.as_slice() {
                ["source", commit, date] => {
                    data.source_commit = commit;
                    data.source_date = date;
                }
                [key, title, cycle, codename, released, eol, lts, extended] => {
                    let Some(eol) = EolDate::parse(eol) else { continue };
                    let release = Release {
                        cycle,
                        codename: Some(codename).filter(|c| *c != "-"),
                        released: Some(released).filter(|d| is_date(d)),
                        eol,
                        lts: lts != "false",
                        extended_support: EolDate::parse(extended),
                    };
                    match data.products.last_mut() {
                        Some(product) if product.key == key => product.releases.push(release),
                        _ => data.products.push(Product { key, title, releases: vec![release] }),
                    }
                }
                _ => {}
            }
        }
        data
    }

    fn product(&self, key: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.key == key)
    }

    /// The release of `key` that a tag fragment names: a version (`3.9.18`, `v2.10`, `8u372`), a
    /// codename (`bionic`, `bookworm`, node's `hydrogen`) or a literal cycle (`20h2`).
    fn resolve(&self, key: &str, text: &str) -> Option<(&Product, &Release)> {
        let product = self.product(key)?;
        let release = match parse_version(text) {
            Some(version) => product.by_version(&version),
            None => product.by_codename(text),
        }
        .or_else(|| product.releases.iter().find(|r| r.cycle.eq_ignore_ascii_case(text)))?;
        Some((product, release))
    }

    fn finding(&self, kind: EolKind, key: &str, text: &str) -> Option<EolFinding> {
        let (product, release) = self.resolve(key, text)?;
        Some(EolFinding {
            kind,
            product: product.key,
            title: product.title,
            cycle: release.cycle.to_owned(),
            codename: release.codename,
            release_date: release.released,
            eol: release.eol,
            lts: release.lts,
            extended_support: release.extended_support,
        })
    }
}

/// Node.js LTS codenames, which the official image uses as tags (`node:hydrogen-alpine`); the data
/// has no codenames for Node.js.
const NODE_CODENAMES: &[(&str, &str)] = &[
    ("argon", "4"),
    ("boron", "6"),
    ("carbon", "8"),
    ("dubnium", "10"),
    ("erbium", "12"),
    ("fermium", "14"),
    ("gallium", "16"),
    ("hydrogen", "18"),
    ("iron", "20"),
    ("jod", "22"),
    ("krypton", "24"),
];

impl Product {
    /// The cycle a version belongs to: the longest leading run of components that is a cycle
    /// (`3.9.18` → `3.9`, `16.20.2` → `16`, `8.6` → `8`). A version coarser than the cycles names
    /// the newest cycle of that series, as floating tags do (`postgres:9` → `9.6`, `tomcat:10` →
    /// `10.1`), except for products whose cycles are not series (`ubuntu`'s `YY.MM`).
    fn by_version(&self, version: &[&str]) -> Option<&Release> {
        for n in (1..=version.len()).rev() {
            let prefix = version.iter().take(n).copied();
            if let Some(r) = self.releases.iter().find(|r| r.cycle.split('.').eq(prefix.clone())) {
                return Some(r);
            }
        }
        if matches!(self.key, "ubuntu" | "amazon-linux") || self.key.starts_with("windows") {
            return None;
        }
        self.releases
            .iter()
            .filter(|r| {
                let mut parts = r.cycle.split('.');
                version.iter().all(|v| parts.next() == Some(*v)) && parts.next().is_some()
            })
            .filter_map(|r| numeric(r.cycle).map(|n| (n, r)))
            .max_by(|(a, _), (b, _)| a.cmp(b))
            .map(|(_, r)| r)
    }

    fn by_codename(&self, text: &str) -> Option<&Release> {
        match self.key {
            "debian" | "ubuntu" => self.releases.iter().find(|r| {
                r.codename.and_then(|c| c.split_whitespace().next()).is_some_and(|w| w.eq_ignore_ascii_case(text))
            }),
            "nodejs" => {
                let (_, cycle) = NODE_CODENAMES.iter().find(|(name, _)| *name == text)?;
                self.releases.iter().find(|r| r.cycle == *cycle)
            }
            _ => None,
        }
    }
}

fn numeric(cycle: &str) -> Option<Vec<u64>> {
    cycle.split('.').map(|c| c.parse().ok()).collect()
}

/// The dotted numeric prefix of a tag fragment (`3.9.18`, `8` of `8u372`, `17.0.6` of
/// `17.0.6_10`, `2.10` of `v2.10`); `None` when it has none or holds a variable reference.
fn parse_version(text: &str) -> Option<Vec<&str>> {
    if text.contains(['$', '{', '}']) {
        return None;
    }
    let text = text.strip_prefix('v').filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit())).unwrap_or(text);
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let version = text.get(..end).filter(|v| !v.is_empty())?;
    let parts: Vec<&str> = version.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    Some(parts)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// An image repository whose tags name a product release.
#[derive(Clone, Copy)]
struct ImageSpec {
    paths: &'static [&'static str],
    /// The product the tag's leading version belongs to; `None` for images whose tags only name an
    /// OS (`buildpack-deps:bullseye`, `nvidia/cuda:12.2.0-base-ubuntu22.04`).
    product: Option<&'static str>,
    kind: EolKind,
    /// Words before the version (`centos` in `centos:centos7`, `open` in `open-11-jdk`), either
    /// glued to it or a separate `-` word, each with the product it selects instead (`stream9`).
    prefixes: &'static [(&'static str, Option<&'static str>)],
}

const fn os(paths: &'static [&'static str], product: &'static str) -> ImageSpec {
    ImageSpec { paths, product: Some(product), kind: EolKind::Os, prefixes: &[] }
}

const fn rt(paths: &'static [&'static str], product: &'static str) -> ImageSpec {
    ImageSpec { paths, product: Some(product), kind: EolKind::Runtime, prefixes: &[] }
}

const fn prefixed(spec: ImageSpec, prefixes: &'static [(&'static str, Option<&'static str>)]) -> ImageSpec {
    ImageSpec { prefixes, ..spec }
}

/// Known images, by path without registry or `library/`. Only these are matched: an image merely
/// named like a product (`myorg/ubuntu-tools`) says nothing about what it contains.
const IMAGES: &[ImageSpec] = &[
    // Operating systems.
    os(&["ubuntu"], "ubuntu"),
    os(&["debian", "bitnami/minideb"], "debian"),
    os(&["alpine"], "alpine-linux"),
    prefixed(os(&["centos", "centos/centos"], "centos"), &[("centos", None), ("stream", Some("centos-stream"))]),
    os(&["rockylinux", "rockylinux/rockylinux"], "rocky-linux"),
    os(&["almalinux", "almalinuxorg/almalinux"], "almalinux"),
    os(&["fedora", "fedora/fedora"], "fedora"),
    os(&["amazonlinux", "amazonlinux/amazonlinux"], "amazon-linux"),
    os(&["opensuse/leap", "opensuse"], "opensuse"),
    os(&["suse/sle15", "bci/bci-base", "bci/bci-minimal", "bci/bci-micro", "bci/bci-init", "bci/bci-busybox"], "sles"),
    os(&["oraclelinux"], "oracle-linux"),
    os(&["photon"], "vmware-photon"),
    prefixed(os(&["windows/servercore"], "windows-server-core"), &[("ltsc", None)]),
    prefixed(os(&["windows/nanoserver"], "windows-nano-server"), &[("ltsc", None)]),
    prefixed(os(&["windows/server"], "windows-server"), &[("ltsc", None)]),
    ImageSpec { paths: &["buildpack-deps", "nvidia/cuda"], product: None, kind: EolKind::Os, prefixes: &[] },
    // Language runtimes.
    rt(&["python", "bitnami/python", "circleci/python", "cimg/python"], "python"),
    rt(&["node", "bitnami/node", "circleci/node", "cimg/node"], "nodejs"),
    rt(&["golang", "bitnami/golang", "circleci/golang", "cimg/go"], "go"),
    rt(&["ruby", "bitnami/ruby", "circleci/ruby", "cimg/ruby"], "ruby"),
    rt(&["php", "bitnami/php-fpm", "circleci/php", "cimg/php"], "php"),
    rt(&["perl"], "perl"),
    rt(&["rust", "cimg/rust", "circleci/rust"], "rust"),
    rt(
        &[
            "dotnet/aspnet",
            "dotnet/runtime",
            "dotnet/runtime-deps",
            "dotnet/sdk",
            "dotnet/core/aspnet",
            "dotnet/core/runtime",
            "dotnet/core/runtime-deps",
            "dotnet/core/sdk",
        ],
        "dotnet",
    ),
    rt(&["erlang"], "erlang"),
    rt(&["elixir"], "elixir"),
    prefixed(
        rt(&["denoland/deno"], "deno"),
        &[("alpine", None), ("debian", None), ("distroless", None), ("ubuntu", None), ("bin", None)],
    ),
    rt(&["oven/bun"], "bun"),
    rt(&["openjdk"], "openjdk-builds-from-oracle"),
    rt(&["eclipse-temurin"], "eclipse-temurin"),
    rt(&["amazoncorretto"], "amazon-corretto"),
    prefixed(rt(&["ibm-semeru-runtimes"], "ibm-semeru"), &[("open", None), ("certified", None)]),
    rt(&["sapmachine"], "sapmachine"),
    rt(
        &["azul/zulu-openjdk", "azul/zulu-openjdk-alpine", "azul/zulu-openjdk-debian", "azul/zulu-openjdk-centos"],
        "azul-zulu",
    ),
    rt(
        &[
            "bellsoft/liberica-openjdk-alpine",
            "bellsoft/liberica-openjdk-alpine-musl",
            "bellsoft/liberica-openjdk-debian",
            "bellsoft/liberica-openjdk-centos",
            "bellsoft/liberica-openjre-alpine",
            "bellsoft/liberica-openjre-alpine-musl",
            "bellsoft/liberica-openjre-debian",
            "bellsoft/liberica-openjre-centos",
        ],
        "bellsoft-liberica",
    ),
    rt(&["openjdk/jdk"], "microsoft-build-of-openjdk"),
    // Servers and databases.
    rt(&["nginx", "bitnami/nginx", "nginxinc/nginx-unprivileged"], "nginx"),
    rt(&["httpd", "bitnami/apache"], "apache-http-server"),
    rt(&["tomcat", "bitnami/tomcat"], "tomcat"),
    rt(&["jetty"], "eclipse-jetty"),
    rt(&["haproxy", "bitnami/haproxy"], "haproxy"),
    rt(&["traefik"], "traefik"),
    rt(&["postgres", "bitnami/postgresql", "postgis/postgis"], "postgresql"),
    rt(&["mysql", "bitnami/mysql", "mysql/mysql-server"], "mysql"),
    rt(&["mariadb", "bitnami/mariadb"], "mariadb"),
    rt(&["redis", "bitnami/redis"], "redis"),
    rt(&["valkey/valkey", "bitnami/valkey"], "valkey"),
    rt(&["mongo", "bitnami/mongodb", "mongodb/mongodb-community-server"], "mongodb"),
    rt(&["memcached", "bitnami/memcached"], "memcached"),
    rt(&["rabbitmq", "bitnami/rabbitmq"], "rabbitmq"),
    rt(&["elasticsearch", "elasticsearch/elasticsearch", "bitnami/elasticsearch"], "elasticsearch"),
    rt(&["kibana", "kibana/kibana"], "kibana"),
    rt(&["logstash", "logstash/logstash"], "logstash"),
];

/// OS names as they appear in tags of other images, glued to a version (`alpine3.17`, `centos7`,
/// `ubi9`, `al2023`, `ubuntu22.04`) or, when `pairs`, followed by one (`debian-11`,
/// `nanoserver-ltsc2022`).
const OS_MARKERS: &[(&str, &str, bool)] = &[
    ("alpine", "alpine-linux", true),
    ("debian", "debian", true),
    ("ubuntu", "ubuntu", true),
    ("centos", "centos", true),
    ("rhel", "rhel", true),
    ("ubi", "rhel", false),
    ("rockylinux", "rocky-linux", true),
    ("almalinux", "almalinux", true),
    ("oraclelinux", "oracle-linux", true),
    ("ol", "oracle-linux", false),
    ("amazonlinux", "amazon-linux", true),
    ("al", "amazon-linux", false),
    ("fedora", "fedora", true),
    ("photon", "vmware-photon", true),
    ("windowsservercore", "windows-server-core", true),
    ("nanoserver", "windows-nano-server", true),
];

/// Red Hat UBI runtime images (`ubi8/python-39`, `rhel8/mariadb-1011`): name, product, and how many
/// leading digits of the glued version are the major (`0`: all of them).
const UBI_RUNTIMES: &[(&str, &str, usize)] = &[
    ("python", "python", 1),
    ("nodejs", "nodejs", 0),
    ("openjdk", "red-hat-build-of-openjdk", 0),
    ("ruby", "ruby", 1),
    ("php", "php", 1),
    ("perl", "perl", 1),
    ("dotnet", "dotnet", 1),
    ("nginx", "nginx", 1),
    ("httpd", "apache-http-server", 1),
    ("postgresql", "postgresql", 0),
    ("mysql", "mysql", 1),
    ("mariadb", "mariadb", 2),
    ("redis", "redis", 1),
];

/// The end-of-life facts an image reference implies: the language runtime or server it provides
/// and the OS it is built on, each at most once (runtime first). `path` is the repository path
/// without registry (`python`, `library/python`, `ubi8/ubi-minimal`, `distroless/python3-debian11`)
/// and `tag` the tag, if any. Unknown images, tags without a version (`latest`, `slim`) and cycles
/// the data lacks give nothing.
pub(crate) fn lookup_image(path: &str, tag: Option<&str>) -> Vec<EolFinding> {
    let data = EolData::get();
    let path = path.trim().to_ascii_lowercase();
    let path = path.strip_prefix("library/").unwrap_or(&path);
    let tag = tag.map(str::to_ascii_lowercase).unwrap_or_default();
    let tokens: Vec<&str> = if tag.is_empty() { Vec::new() } else { tag.split('-').collect() };
    let mut findings = Vec::new();

    if let Some(found) = path_versioned(data, path) {
        return found;
    }
    let Some(spec) = IMAGES.iter().find(|s| s.paths.contains(&path)) else {
        return findings;
    };
    let mut consumed = 0;
    if let Some((product, version, used)) = leading_version(spec, &tokens)
        && let Some(f) = data.finding(spec.kind, product, version)
    {
        findings.push(f);
        consumed = used;
    }
    if (spec.kind == EolKind::Runtime || spec.product.is_none())
        && let Some(f) = tag_os(data, &tokens, consumed)
    {
        findings.push(f);
    }
    findings
}

/// The release cycle of the endoflife.date product `product` that `version` (a version such as
/// `3.19.4`, or a codename such as `bookworm`) belongs to; for facts read from an image
/// (os-release, runtime version files) rather than from an image reference.
pub(crate) fn lookup_release(kind: EolKind, product: &str, version: &str) -> Option<EolFinding> {
    EolData::get().finding(kind, product, version)
}

/// The product and version text at the start of a tag, and how many `-` words they took.
fn leading_version<'t>(spec: &ImageSpec, tokens: &[&'t str]) -> Option<(&'static str, &'t str, usize)> {
    let first = *tokens.first()?;
    for &(prefix, alternative) in spec.prefixes {
        let product = alternative.or(spec.product)?;
        if first == prefix {
            return tokens.get(1).map(|v| (product, *v, 2));
        }
        if let Some(rest) = first.strip_prefix(prefix)
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            return Some((product, rest, 1));
        }
    }
    Some((spec.product?, first, 1))
}

/// The first OS named among the tag words after `skip`.
fn tag_os(data: &EolData, tokens: &[&str], skip: usize) -> Option<EolFinding> {
    tokens.iter().enumerate().skip(skip).find_map(|(i, t)| os_word(data, t, tokens.get(i + 1).copied()))
}

/// The OS one tag word names: a Debian or Ubuntu codename, or an OS marker with its version.
fn os_word(data: &EolData, word: &str, next: Option<&str>) -> Option<EolFinding> {
    for key in ["debian", "ubuntu"] {
        if parse_version(word).is_none()
            && let Some(f) = data.finding(EolKind::Os, key, word)
        {
            return Some(f);
        }
    }
    OS_MARKERS.iter().find_map(|&(name, key, pairs)| {
        let rest = word.strip_prefix(name)?;
        let version = match (rest.is_empty(), next) {
            (false, _) => rest,
            (true, Some(next)) if pairs => next,
            _ => return None,
        };
        let version = version.strip_prefix("ltsc").unwrap_or(version);
        if !version.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        // `ubuntu2204` spells 22.04 without the dot.
        let dotted;
        let version = match version.as_bytes() {
            [_, _, _, _] if key == "ubuntu" && version.bytes().all(|b| b.is_ascii_digit()) => {
                dotted = format!("{}.{}", version.get(..2)?, version.get(2..)?);
                dotted.as_str()
            }
            _ => version,
        };
        data.finding(EolKind::Os, key, version)
    })
}

/// Images whose path names the release: Red Hat UBI/RHEL (`redhat/ubi8`, `ubi8/ubi-minimal`,
/// `ubi9/python-311`), distroless (`distroless/nodejs18-debian11`) and AlmaLinux's variant images
/// (`almalinux/9-minimal`). `None` when the path is not one of these.
fn path_versioned(data: &EolData, path: &str) -> Option<Vec<EolFinding>> {
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        [single] | ["redhat", single] => {
            let major = rhel_major(single, true)?;
            Some(data.finding(EolKind::Os, "rhel", major).into_iter().collect())
        }
        [namespace, name] if rhel_major(namespace, false).is_some() => {
            let major = rhel_major(namespace, false)?;
            let runtime = ubi_runtime(data, name);
            Some(runtime.into_iter().chain(data.finding(EolKind::Os, "rhel", major)).collect())
        }
        ["distroless", name] => {
            let words: Vec<&str> = name.split('-').collect();
            let runtime = words.iter().find_map(|w| {
                let version = w.strip_prefix("nodejs")?;
                data.finding(EolKind::Runtime, "nodejs", version)
            });
            let os = tag_os(data, &words, 0);
            Some(runtime.into_iter().chain(os).collect())
        }
        ["almalinux" | "almalinuxorg", name] => {
            let (major, _variant) = name.split_once('-')?;
            if !major.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(data.finding(EolKind::Os, "almalinux", major).into_iter().collect())
        }
        _ => None,
    }
}

/// The major version in `ubi8`, `rhel7` (and with `variants`, `ubi8-minimal`, `-micro`, `-init`).
fn rhel_major(segment: &str, variants: bool) -> Option<&str> {
    let rest = segment.strip_prefix("ubi").or_else(|| segment.strip_prefix("rhel"))?;
    let (major, variant) = match rest.split_once('-') {
        Some((major, variant)) if variants => (major, Some(variant)),
        Some(_) => return None,
        None => (rest, None),
    };
    let valid = !major.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && variant.is_none_or(|v| matches!(v, "minimal" | "micro" | "init"));
    valid.then_some(major)
}

/// The runtime of a UBI image name: `python-39` → Python 3.9, `nodejs-18-minimal` → Node.js 18.
fn ubi_runtime(data: &EolData, name: &str) -> Option<EolFinding> {
    let mut words = name.split('-');
    let (base, digits) = (words.next()?, words.next()?);
    let &(_, key, major_len) = UBI_RUNTIMES.iter().find(|(n, _, _)| *n == base)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let version = match (major_len, digits.get(..major_len), digits.get(major_len..)) {
        (1.., Some(major), Some(minor)) if !minor.is_empty() => format!("{major}.{minor}"),
        _ => digits.to_owned(),
    };
    data.finding(EolKind::Runtime, key, &version)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-22";

    fn find(image: &str) -> Vec<EolFinding> {
        let (path, tag) = match image.rsplit_once(':') {
            Some((p, t)) => (p, Some(t)),
            None => (image, None),
        };
        lookup_image(path, tag)
    }

    /// `(product, cycle, ended by TODAY, eol date)` per finding.
    fn summary(image: &str) -> Vec<(&'static str, String, bool, Option<&'static str>)> {
        find(image)
            .into_iter()
            .map(|f| {
                let (ended, date) = (f.ended_on_or_before(TODAY), f.eol_date());
                (f.product, f.cycle, ended, date)
            })
            .collect()
    }

    fn one(image: &str) -> (&'static str, String, bool, Option<&'static str>) {
        let mut s = summary(image);
        assert_eq!(s.len(), 1, "{image}: {s:?}");
        s.remove(0)
    }

    #[test]
    fn embedded_data_parses_completely() {
        let data = EolData::get();
        assert_eq!(data.source_commit, "a70eca337600e7d721dc48112c271f98661d208b");
        assert_eq!(data.source_date, "2026-08-22");
        let text = include_str!("../data/eol.tsv");
        let rows = text.lines().filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("source\t")).count();
        assert_eq!(data.products.iter().map(|p| p.releases.len()).sum::<usize>(), rows);
        for spec in IMAGES {
            if let Some(key) = spec.product {
                assert!(data.product(key).is_some(), "{key}");
            }
            for (_, alt) in spec.prefixes {
                assert!(alt.is_none_or(|k| data.product(k).is_some()));
            }
        }
        for (_, key, _) in OS_MARKERS {
            assert!(data.product(key).is_some(), "{key}");
        }
        for (_, key, _) in UBI_RUNTIMES {
            assert!(data.product(key).is_some(), "{key}");
        }
    }

    #[test]
    fn ended_os_images() {
        // Dates as in endoflife.json (commit a70eca3, 2026-08-22).
        let bionic = ("ubuntu", "18.04".to_owned(), true, Some("2023-05-31"));
        assert_eq!(one("ubuntu:18.04"), bionic);
        assert_eq!(one("ubuntu:bionic"), bionic);
        assert_eq!(one("ubuntu:bionic-20230530"), bionic);
        assert_eq!(one("ubuntu:18.04.6"), bionic);
        let stretch = ("debian", "9".to_owned(), true, Some("2020-07-18"));
        assert_eq!(one("debian:stretch"), stretch);
        assert_eq!(one("debian:stretch-slim"), stretch);
        assert_eq!(one("debian:9-slim"), stretch);
        assert_eq!(one("debian:9"), stretch);
        assert_eq!(one("debian:11.7").1, "11");
        assert_eq!(one("alpine:3.12"), ("alpine-linux", "3.12".to_owned(), true, Some("2022-05-01")));
        assert_eq!(one("alpine:3.12.1").1, "3.12");
        assert_eq!(one("alpine:3.20"), ("alpine-linux", "3.20".to_owned(), true, Some("2026-04-01")));
        assert_eq!(one("alpine:3.21"), ("alpine-linux", "3.21".to_owned(), true, Some("2026-11-01")));
        let centos7 = ("centos", "7".to_owned(), true, Some("2024-06-30"));
        assert_eq!(one("centos:7"), centos7);
        assert_eq!(one("centos:centos7"), centos7);
        assert_eq!(one("centos:centos7.9.2009"), centos7);
        assert_eq!(one("library/centos:7"), centos7);
        assert_eq!(one("centos/centos:stream8"), ("centos-stream", "8".to_owned(), true, Some("2024-05-31")));
        assert_eq!(one("amazonlinux:2"), ("amazon-linux", "2".to_owned(), true, Some("2026-06-30")));
        assert_eq!(one("amazonlinux:2.0.20230307.0").1, "2");
        assert_eq!(one("rockylinux:8").1, "8");
        assert_eq!(one("almalinux:8.6"), ("almalinux", "8".to_owned(), false, Some("2029-05-31")));
        assert_eq!(one("fedora:35"), ("fedora", "35".to_owned(), true, Some("2022-12-13")));
        assert_eq!(one("opensuse/leap:15.3"), ("opensuse", "15.3".to_owned(), true, Some("2022-12-31")));
        assert_eq!(one("oraclelinux:7-slim"), ("oracle-linux", "7".to_owned(), true, Some("2024-12-31")));
        assert_eq!(one("photon:3.0"), ("vmware-photon", "3.0".to_owned(), true, Some("2025-10-02")));
        assert_eq!(one("windows/servercore:ltsc2019").1, "2019");
        assert_eq!(
            one("windows/nanoserver:20H2"),
            ("windows-nano-server", "20h2".to_owned(), true, Some("2022-08-09"))
        );
    }

    #[test]
    fn path_versioned_images() {
        assert_eq!(one("redhat/ubi8"), ("rhel", "8".to_owned(), false, Some("2029-05-31")));
        assert_eq!(one("ubi8/ubi-minimal:8.6").1, "8");
        assert_eq!(one("ubi7").1, "7");
        assert_eq!(one("redhat/ubi9-minimal").1, "9");
        assert_eq!(one("almalinux/8-base").0, "almalinux");
        assert_eq!(
            summary("ubi8/python-39:1-117"),
            [
                ("python", "3.9".to_owned(), true, Some("2025-10-31")),
                ("rhel", "8".to_owned(), false, Some("2029-05-31")),
            ]
        );
        let openjdk: Vec<_> = find("ubi8/openjdk-11-runtime").into_iter().map(|f| (f.product, f.cycle)).collect();
        assert_eq!(openjdk, [("red-hat-build-of-openjdk", "11".to_owned()), ("rhel", "8".to_owned())]);
        assert_eq!(summary("rhel8/mariadb-1011").first().map(|s| s.1.as_str()), Some("10.11"));
        assert_eq!(summary("distroless/python3-debian11"), [("debian", "11".to_owned(), true, Some("2024-08-14"))]);
        let node: Vec<_> =
            find("distroless/nodejs18-debian12:nonroot").into_iter().map(|f| (f.kind, f.product, f.cycle)).collect();
        assert_eq!(node, [(EolKind::Runtime, "nodejs", "18".to_owned()), (EolKind::Os, "debian", "12".to_owned())]);
        assert!(find("myorg/ubi8-tools:1").is_empty());
        assert!(find("ubi8-tools").is_empty());
    }

    #[test]
    fn ended_runtimes() {
        let py39 = ("python", "3.9".to_owned(), true, Some("2025-10-31"));
        assert_eq!(one("python:3.9"), py39);
        assert_eq!(one("python:3.9-slim"), py39);
        assert_eq!(one("python:3.9.18-slim"), py39);
        assert_eq!(one("bitnami/python:3.9"), py39);
        assert_eq!(
            summary("python:3.9-slim-buster"),
            [py39.clone(), ("debian", "10".to_owned(), true, Some("2022-09-10"))]
        );
        assert_eq!(one("python:3.10"), ("python", "3.10".to_owned(), true, Some("2026-10-31")));
        assert_eq!(one("python:2"), ("python", "2.7".to_owned(), true, Some("2020-01-01")));
        let node16 = ("nodejs", "16".to_owned(), true, Some("2023-09-11"));
        assert_eq!(one("node:16"), node16);
        assert_eq!(one("node:16.20.2"), node16);
        assert_eq!(one("node:gallium"), node16);
        assert_eq!(
            summary("node:16-alpine3.15"),
            [node16.clone(), ("alpine-linux", "3.15".to_owned(), true, Some("2023-11-01"))]
        );
        assert_eq!(summary("node:16-bullseye").get(1).map(|s| (s.0, s.1.as_str())), Some(("debian", "11")));
        assert_eq!(
            summary("python:3.11-alpine3.17").get(1).map(|s| (s.0, s.1.as_str())),
            Some(("alpine-linux", "3.17"))
        );
        assert_eq!(one("golang:1.19"), ("go", "1.19".to_owned(), true, Some("2023-09-06")));
        assert_eq!(one("php:7.4-fpm"), ("php", "7.4".to_owned(), true, Some("2022-11-28")));
        assert_eq!(one("ruby:2.7-slim").1, "2.7");
        assert_eq!(one("openjdk:11-jre").0, "openjdk-builds-from-oracle");
        assert_eq!(
            summary("eclipse-temurin:11-jdk-focal"),
            [
                ("eclipse-temurin", "11".to_owned(), false, Some("2027-10-31")),
                ("ubuntu", "20.04".to_owned(), true, Some("2025-05-31")),
            ]
        );
        assert_eq!(one("eclipse-temurin:17.0.6_10-jre").1, "17");
        assert_eq!(one("amazoncorretto:8").0, "amazon-corretto");
        assert_eq!(
            summary("amazoncorretto:8-al2-jdk").get(1).map(|s| (s.0, s.1.as_str())),
            Some(("amazon-linux", "2"))
        );
        assert_eq!(one("ibm-semeru-runtimes:open-11-jre").0, "ibm-semeru");
        assert_eq!(one("dotnet/aspnet:6.0"), ("dotnet", "6".to_owned(), true, Some("2024-11-12")));
        assert_eq!(one("dotnet/core/sdk:3.1").1, "3.1");
        assert_eq!(
            summary("dotnet/runtime:6.0-nanoserver-1809").get(1).map(|s| (s.0, s.1.as_str())),
            Some(("windows-nano-server", "1809"))
        );
        assert_eq!(one("postgres:9.6").1, "9.6");
        assert_eq!(one("postgres:9").1, "9.6");
        assert_eq!(one("postgres:11.22").1, "11");
        assert_eq!(one("mysql:5.7.42").1, "5.7");
        assert_eq!(one("mariadb:10.5").1, "10.5");
        assert_eq!(one("redis:6.0").1, "6.0");
        assert_eq!(one("mongo:4.4").1, "4.4");
        assert_eq!(summary("mongo:4.4-focal").get(1).map(|s| s.1.as_str()), Some("20.04"));
        assert_eq!(one("nginx:1.21").1, "1.21");
        assert_eq!(one("traefik:v2.10").1, "2.10");
        assert_eq!(one("tomcat:9").1, "9.0");
        assert_eq!(one("httpd:2.2").0, "apache-http-server");
        assert_eq!(
            summary("bitnami/node:16.20.2-debian-11-r0").get(1).map(|s| (s.0, s.1.as_str())),
            Some(("debian", "11"))
        );
        assert_eq!(summary("nvidia/cuda:11.8.0-runtime-ubuntu18.04"), [bionic_summary()]);
        assert_eq!(one("buildpack-deps:buster-scm").1, "10");
    }

    fn bionic_summary() -> (&'static str, String, bool, Option<&'static str>) {
        ("ubuntu", "18.04".to_owned(), true, Some("2023-05-31"))
    }

    #[test]
    fn supported_images() {
        for image in [
            "python:3.13-slim",
            "node:22",
            "ubuntu:24.04",
            "ubuntu:noble",
            "alpine:3.22",
            "debian:trixie",
            "postgres:17",
        ] {
            let s = summary(image);
            assert_eq!(s.len(), 1, "{image}: {s:?}");
            assert!(s.iter().all(|f| !f.2), "{image}: {s:?}");
        }
        assert_eq!(one("python:3"), ("python", "3.14".to_owned(), false, Some("2030-10-31")));
        assert_eq!(one("oraclelinux:10"), ("oracle-linux", "10".to_owned(), false, None));
        let f = find("ubuntu:jammy");
        assert_eq!(f.first().and_then(EolFinding::extended_support_end), Some("2032-04-09"));
        assert_eq!(f.first().map(EolFinding::label).as_deref(), Some("Ubuntu 22.04 (Jammy Jellyfish)"));
    }

    #[test]
    fn nothing_for_unknown_or_unversioned() {
        for image in [
            "ubuntu:latest",
            "ubuntu",
            "ubuntu:rolling",
            "ubuntu:18",
            "python",
            "python:slim",
            "python:latest",
            "node:lts",
            "node:lts-alpine",
            "node:alpine",
            "alpine:edge",
            "debian:sid",
            "debian:stable-slim",
            "golang:1.9",
            "python:${PYTHON_VERSION}-slim",
            "python:3.${MINOR}",
            "scratch",
            "myorg/ubuntu-tools:1.0",
            "myorg/python:3.9",
            "example/app:3.9-buster",
            "distroless/static",
        ] {
            assert!(find(image).is_empty(), "{image}: {:?}", summary(image));
        }
        // A codename alone still names the OS of a runtime image.
        assert_eq!(summary("python:bookworm"), [("debian", "12".to_owned(), true, Some("2026-07-11"))]);
    }

    #[test]
    fn eol_date_semantics() {
        assert!(EolDate::On("2026-11-22").ended_on_or_before(TODAY));
        assert!(!EolDate::On("2026-11-23").ended_on_or_before(TODAY));
        assert!(EolDate::Ended.ended_on_or_before(TODAY));
        assert!(!EolDate::NotEnded.ended_on_or_before(TODAY));
        assert_eq!(EolDate::Ended.date(), None);
        let node3 = one("node:3");
        assert_eq!((node3.2, node3.3), (true, None));
    }
}
