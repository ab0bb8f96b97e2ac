//! DF409: package manager left usable in the shipped image.

use caulk_syntax::dockerfile::{Base, ImageRef, Keyword};
use caulk_syntax::shell::Command;

use crate::checker::Checker;
use crate::packages::{Manager, invocation};
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::no_user::{is_windows_image, root_stage};

declare_rule! {
    /// ## What it does
    /// Reports, once on the final stage's `FROM`, a final image that keeps a usable OS package
    /// manager: apt/dpkg, apk, dnf/yum/microdnf/rpm or zypper. The manager is known from the
    /// base image (Debian, Ubuntu, Alpine, Fedora, RHEL UBI, Rocky, Alma, Amazon Linux,
    /// openSUSE, and official language images built on them, e.g. `python:3.12-slim` is
    /// Debian, `node:22-alpine` is Alpine) or from the shipped stages using it in a RUN.
    ///
    /// Not reported: `scratch`, distroless, Chainguard (non `-dev`), `*-static`, `chiseled`,
    /// UBI/BCI `micro` and `busybox` images (no package manager), unknown bases that the
    /// Dockerfile never uses a package manager in, Windows images, and images that remove the
    /// manager in a shipped stage (`rm -rf /sbin/apk /etc/apk /lib/apk`,
    /// `rm -f /usr/bin/apt* /usr/bin/dpkg*`, `rm -rf /var/lib/dpkg`,
    /// `apt-get purge --allow-remove-essential apt`, `dpkg -P apt dpkg`, `apk del apk-tools`,
    /// `rpm -e --nodeps dnf yum rpm`, …).
    ///
    /// ## Why is this bad?
    /// Whoever gets code execution in the container can use the package manager to install
    /// whatever they need next (compilers, scanners, reverse-shell tools); the manager and its
    /// database also add size and CVEs. Production images that need no runtime installs are
    /// better built on distroless or scratch, or strip the manager in their last step. This is
    /// advice (info): removing it also blocks debugging with it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache ca-certificates
    /// COPY app /app
    /// USER 10001
    /// CMD ["/app"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache ca-certificates \
    ///  && rm -rf /sbin/apk /etc/apk /lib/apk /usr/share/apk
    /// COPY app /app
    /// USER 10001
    /// CMD ["/app"]
    /// ```
    /// or a `gcr.io/distroless/static-debian12:nonroot` final stage.
    ///
    /// ## References
    /// - [Distroless images](https://github.com/GoogleContainerTools/distroless)
    /// - [Docker docs: multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub(crate) struct PackageManagerInFinalImage {
        code: "DF409",
        name: "package-manager-in-final-image",
        summary: "package manager left usable in the shipped image",
        severity: Info,
        fix: None,
        aliases: [],
    }
}

/// An OS package-manager family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pm {
    Apt,
    Apk,
    Rpm,
    Zypper,
}

impl Pm {
    const fn name(self) -> &'static str {
        match self {
            Self::Apt => "apt/dpkg",
            Self::Apk => "apk",
            Self::Rpm => "dnf/yum/rpm",
            Self::Zypper => "zypper/rpm",
        }
    }

    const fn removal_hint(self) -> &'static str {
        match self {
            Self::Apt => "`apt-get purge -y --allow-remove-essential apt` then `rm -rf /var/lib/dpkg /usr/bin/dpkg*`",
            Self::Apk => "`rm -rf /sbin/apk /etc/apk /lib/apk /usr/share/apk`",
            Self::Rpm => "`rpm -e --nodeps dnf yum microdnf` then `rm -rf /var/lib/rpm /usr/bin/rpm`",
            Self::Zypper => "`rpm -e --nodeps zypper` then `rm -rf /var/lib/rpm /usr/bin/rpm`",
        }
    }

    /// Paths whose removal disables the manager (binaries by prefix, databases exactly).
    const fn binaries(self) -> &'static [&'static str] {
        match self {
            Self::Apt => &["/usr/bin/apt", "/usr/bin/dpkg", "/bin/apt", "/bin/dpkg"],
            Self::Apk => &["/sbin/apk", "/usr/sbin/apk", "/bin/apk", "/usr/bin/apk"],
            Self::Rpm => {
                &["/usr/bin/rpm", "/bin/rpm", "/usr/bin/dnf", "/usr/bin/yum", "/usr/bin/microdnf", "/usr/bin/tdnf"]
            }
            Self::Zypper => &["/usr/bin/zypper", "/usr/bin/rpm", "/bin/rpm"],
        }
    }

    const fn databases(self) -> &'static [&'static str] {
        match self {
            Self::Apt => &["/var/lib/dpkg"],
            Self::Apk => &["/lib/apk", "/lib/apk/db", "/etc/apk"],
            Self::Rpm | Self::Zypper => &["/var/lib/rpm", "/usr/lib/sysimage/rpm"],
        }
    }

    /// Packages whose removal removes the manager.
    const fn packages(self) -> &'static [&'static str] {
        match self {
            Self::Apt => &["apt", "dpkg"],
            Self::Apk => &["apk-tools"],
            Self::Rpm => &["rpm", "dnf", "yum", "microdnf", "tdnf"],
            Self::Zypper => &["zypper", "rpm"],
        }
    }
}

/// What the base image is known to ship.
enum Known {
    Manager(Pm),
    Nothing,
    Unknown,
}

/// Official images built on Debian/Ubuntu unless their tag says otherwise.
const DEBIAN_FAMILY: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "python",
    "node",
    "ruby",
    "php",
    "golang",
    "rust",
    "perl",
    "openjdk",
    "eclipse-temurin",
    "nginx",
    "httpd",
    "postgres",
    "redis",
    "haproxy",
    "elixir",
    "erlang",
    "gcc",
    "maven",
    "gradle",
    "pypy",
    "julia",
    "r-base",
    "kong",
    "ghost",
    "wordpress",
    "drupal",
    "nextcloud",
    "rabbitmq",
    "mongo",
    "mariadb",
    "memcached",
    "tomcat",
    "jetty",
    "groovy",
    "clojure",
    "swift",
];

fn classify(image: &ImageRef) -> Known {
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let path = image.path.as_str();
    let name = image.name();
    let host = image.registry_host();
    let tag_has = |words: &[&str]| words.iter().any(|w| tag.contains(w));
    let ubi = path.split('/').any(is_ubi_segment);
    if path.contains("distroless")
        || name.ends_with("-static")
        || tag_has(&["distroless", "chiseled"])
        || name == "busybox"
        || (name.ends_with("micro") && (ubi || path.starts_with("bci/")))
        || (host == "cgr.dev" && !tag.contains("dev") && name != "wolfi-base")
    {
        return Known::Nothing;
    }
    if name == "alpine" || tag.contains("alpine") || name == "wolfi-base" || host == "cgr.dev" {
        return Known::Manager(Pm::Apk);
    }
    let rpm_names = ["fedora", "centos", "rockylinux", "almalinux", "oraclelinux", "amazonlinux", "photon"];
    if ubi || rpm_names.contains(&name) || tag_has(&["azurelinux", "cbl-mariner"]) {
        return Known::Manager(Pm::Rpm);
    }
    if path.starts_with("opensuse/") || path.starts_with("suse/") || path.starts_with("bci/") {
        return Known::Manager(Pm::Zypper);
    }
    if tag_has(&["oraclelinux", "amazonlinux", "corretto", "ubi", "centos", "rockylinux", "almalinux", "fedora"]) {
        return Known::Manager(Pm::Rpm);
    }
    if tag_has(&[
        "bookworm", "bullseye", "buster", "stretch", "trixie", "jammy", "focal", "noble", "bionic", "xenial", "slim",
    ]) {
        return Known::Manager(Pm::Apt);
    }
    let official = image.is_docker_hub() && !image.hub_path().contains('/');
    let microsoft = host == "mcr.microsoft.com" && (path.starts_with("devcontainers/") || path.starts_with("dotnet/"));
    if (official && DEBIAN_FAMILY.contains(&name)) || microsoft {
        return Known::Manager(Pm::Apt);
    }
    Known::Unknown
}

/// `ubi`, `ubi9`, `ubi8-minimal`, `ubi-micro`: Red Hat Universal Base Image path segments.
fn is_ubi_segment(segment: &str) -> bool {
    segment.strip_prefix("ubi").is_some_and(|rest| {
        let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        digits.is_empty() || digits.starts_with('-')
    })
}

/// The manager an OS package command uses.
fn pm_of_command(cmd: &Command) -> Option<Pm> {
    match cmd.program()? {
        "dpkg" | "apt-get" | "apt" => Some(Pm::Apt),
        "rpm" => Some(Pm::Rpm),
        _ => match invocation(cmd)?.manager {
            Manager::Apt => Some(Pm::Apt),
            Manager::Apk => Some(Pm::Apk),
            Manager::Yum => Some(Pm::Rpm),
            Manager::Zypper => Some(Pm::Zypper),
            _ => None,
        },
    }
}

/// Whether `cmd` deletes `pm`'s binaries or database, or uninstalls the manager itself.
fn removes(cmd: &Command, pm: Pm) -> bool {
    if cmd.is("rm") {
        return cmd.operands(&[]).any(|w| {
            let v = w.value.trim_end_matches('/');
            !w.has_expansion && (pm.binaries().iter().any(|b| v.starts_with(b)) || pm.databases().contains(&v))
        });
    }
    let uninstalls = match cmd.program() {
        Some("dpkg") => cmd.has_flag(&["-r", "-P", "--remove", "--purge"]),
        Some("rpm") => cmd.has_flag(&["-e", "--erase"]),
        _ => invocation(cmd).is_some_and(|inv| inv.is_sub(&["remove", "purge", "del", "erase", "rm"])),
    };
    uninstalls && cmd.operands(&[]).any(|w| pm.packages().contains(&w.value.as_str()))
}

impl DockerfileRule for PackageManagerInFinalImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(fin) = cx.model.final_stage() else { return };
        let root = root_stage(cx.model, fin);
        let known = match &root.base {
            Base::Image(image) if is_windows_image(image) => return,
            Base::Image(image) => classify(image),
            Base::Scratch => Known::Nothing,
            Base::Stage(_) | Base::Unresolved { .. } => Known::Unknown,
        };
        let mut used = None;
        let mut commands = Vec::new();
        for (i, inst) in cx.shipped_instructions() {
            if inst.keyword == Keyword::Run {
                for cmd in cx.commands(i) {
                    if used.is_none() {
                        used = pm_of_command(cmd);
                    }
                    commands.push(cmd);
                }
            }
        }
        let pm = match known {
            Known::Manager(pm) => pm,
            Known::Nothing => return,
            Known::Unknown => match used {
                Some(pm) => pm,
                None => return,
            },
        };
        if commands.iter().any(|c| removes(c, pm)) {
            return;
        }
        let base = root.base_text.trim();
        let name = pm.name();
        cx.report(fin.base_range, format!("the final image keeps the `{name}` package manager (from `{base}`)"))
            .set_help(format!(
                "build the final stage on distroless or scratch, or remove the manager in the last RUN, e.g. {}",
                pm.removal_hint()
            ));
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::PackageManagerInFinalImage;

    #[test]
    fn fires_on_full_distributions() {
        let text = "FROM python:3.9-slim\nUSER app\nCMD [\"python\", \"app.py\"]\n";
        let d = assert_fires(&PackageManagerInFinalImage, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "python:3.9-slim");
        assert!(d[0].message.contains("`apt/dpkg`"));
        let d = assert_fires(&PackageManagerInFinalImage, "FROM node:22-alpine\n");
        assert!(d[0].message.contains("`apk`"));
        let d = assert_fires(&PackageManagerInFinalImage, "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\n");
        assert!(d[0].message.contains("dnf"));
        let d = assert_fires(&PackageManagerInFinalImage, "FROM mycorp/base:1.0\nRUN apk add --no-cache tzdata\n");
        assert!(d[0].message.contains("`apk`"));
        assert_fires(&PackageManagerInFinalImage, "FROM ubuntu:24.04 AS base\nFROM base\nCMD [\"x\"]\n");
        assert_fires(&PackageManagerInFinalImage, "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n");
        assert_fires(&PackageManagerInFinalImage, "FROM registry.access.redhat.com/ubi8:8.10\n");
    }

    #[test]
    fn passes_on_minimal_images() {
        assert_passes(
            &PackageManagerInFinalImage,
            "FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\n",
        );
        assert_passes(&PackageManagerInFinalImage, "FROM gcr.io/distroless/python3-debian12:nonroot\n");
        assert_passes(&PackageManagerInFinalImage, "FROM cgr.dev/chainguard/static:latest\n");
        assert_passes(&PackageManagerInFinalImage, "FROM mcr.microsoft.com/dotnet/runtime:8.0-jammy-chiseled\n");
        assert_passes(&PackageManagerInFinalImage, "FROM registry.access.redhat.com/ubi9/ubi-micro:9.4\n");
        assert_passes(&PackageManagerInFinalImage, "FROM mycorp/base:1.0\nRUN echo hi\n");
        assert_passes(&PackageManagerInFinalImage, "FROM ubiquiti/unifi:1.0\n");
        assert_passes(&PackageManagerInFinalImage, "FROM python:3.12-windowsservercore\n");
    }

    #[test]
    fn passes_when_removed() {
        assert_passes(
            &PackageManagerInFinalImage,
            "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates && rm -rf /sbin/apk /etc/apk /lib/apk /usr/share/apk\n",
        );
        assert_passes(
            &PackageManagerInFinalImage,
            "FROM debian:12-slim\nRUN apt-get purge -y --allow-remove-essential apt\n",
        );
        assert_passes(
            &PackageManagerInFinalImage,
            "FROM debian:12-slim AS base\nFROM base\nRUN rm -f /usr/bin/apt* /usr/bin/dpkg*\n",
        );
    }
}
