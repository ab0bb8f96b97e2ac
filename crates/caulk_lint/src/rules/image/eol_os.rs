//! IM201: the image's operating system is past end of life.

use caulk_image::OsRelease;

use crate::eol::{EolData, EolFinding, EolKind, lookup_release};
use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reads the operating system from the image (`/etc/os-release`, or `/etc/alpine-release`,
    /// `/etc/debian_version`) and checks its release against end-of-life data (endoflife.date,
    /// embedded in caulk): Debian 11, Ubuntu 18.04, Alpine 3.18, CentOS 7, RHEL 7, Amazon Linux
    /// 2018.03, Fedora 39, openSUSE Leap 15.5 and their like are reported once their security
    /// support has ended. Extended support (Ubuntu Pro/ESM, Debian LTS and ELTS, RHEL ELS) is
    /// mentioned with its end date but does not count, as in DF101: it needs a subscription or
    /// different repositories, or covers only part of the packages.
    ///
    /// Unlike the Dockerfile rule DF101, which reads the `FROM` tag, this reads what is really
    /// in the image, so it also catches images built on a floating tag long ago.
    ///
    /// ## Why is this bad?
    /// An end-of-life distribution gets no more security fixes: every vulnerability published
    /// after its end date stays in the image for good, and `apt-get upgrade` cannot fix it.
    ///
    /// ## Example
    /// An image whose `/etc/os-release` says `VERSION_ID="18.04"` (Ubuntu 18.04, end of
    /// standard support 2023-05-31).
    ///
    /// Use instead: rebuild on a supported release (`ubuntu:24.04`, `debian:13-slim`).
    ///
    /// ## References
    /// - [endoflife.date](https://endoflife.date)
    /// - Trivy marks end-of-life OS versions (`--exit-on-eol`); caulk DF101 for Dockerfiles
    pub(crate) struct EolOs {
        code: "IM201",
        name: "image-eol-os",
        summary: "the image's operating system is past end of life",
        severity: High,
        target: Image,
        fix: None,
        aliases: [],
    }
}

/// The endoflife.date product of an os-release `ID`.
fn product(os: &OsRelease) -> Option<&'static str> {
    Some(match os.id.as_str() {
        "debian" => "debian",
        "ubuntu" => "ubuntu",
        "alpine" => "alpine-linux",
        "centos" if os.pretty_name.as_deref().is_some_and(|p| p.contains("Stream")) => "centos-stream",
        "centos" => "centos",
        "rhel" => "rhel",
        "rocky" => "rocky-linux",
        "almalinux" => "almalinux",
        "fedora" => "fedora",
        "amzn" => "amazon-linux",
        "opensuse-leap" => "opensuse",
        "sles" | "sle-micro" => "sles",
        "ol" => "oracle-linux",
        "photon" => "vmware-photon",
        _ => return None,
    })
}

/// The release an image's os-release names, from the embedded data.
pub(crate) fn os_release_eol(os: &OsRelease) -> Option<EolFinding> {
    let key = product(os)?;
    let version = if os.version_id.is_empty() { os.version_codename.as_deref()? } else { os.version_id.as_str() };
    lookup_release(EolKind::Os, key, version)
}

/// "reached end of life on 2023-05-31, so it gets no more security fixes (extended support …)".
pub(crate) fn ended_text(f: &EolFinding, today: &str) -> String {
    let when = f.eol_date().map_or_else(|| "is past end of life".to_owned(), |d| format!("reached end of life on {d}"));
    let extended = f
        .extended_support_end()
        .filter(|d| *d > today)
        .map(|d| format!(" (extended support, where available, runs until {d})"))
        .unwrap_or_default();
    format!("{when}: it gets no more security fixes{extended}")
}

impl ImageRule for EolOs {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let Some(os) = cx.image.os.clone() else { return };
        let Some(f) = os_release_eol(&os) else { return };
        if !f.ended_on_or_before(cx.today) {
            return;
        }
        let message = format!("the image runs {}, which {}", f.label(), ended_text(&f, cx.today));
        let data = EolData::get();
        cx.report_path(&os.path, message).set_help(format!(
            "rebuild on a supported {} release; see https://endoflife.date/{} (data of {})",
            f.title, f.product, data.source_date
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, debian};

    fn with_os_release(text: &str) -> TestImage {
        TestImage::new().layer("ADD x /", |l| l.dir("/etc").file("/etc/os-release", text))
    }

    #[test]
    fn fires_on_ended_releases() {
        let d = assert_fires(&EolOs, &with_os_release("ID=ubuntu\nVERSION_ID=\"18.04\"\nVERSION_CODENAME=bionic\n"));
        assert!(d[0].message.starts_with("the image runs Ubuntu 18.04 (Bionic Beaver), which reached end of life on 2023-05-31: it gets no more security fixes"), "{}", d[0].message);
        assert_eq!(d[0].image.as_deref().and_then(|l| l.path.as_deref()), Some("/etc/os-release"));
        assert_fires(&EolOs, &debian("11", "bullseye"));
        assert_fires(&EolOs, &with_os_release("ID=alpine\nVERSION_ID=3.18.4\n"));
        assert_fires(
            &EolOs,
            &with_os_release("ID=\"centos\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n"),
        );
        // Debian 12's security support ended on 2026-07-11 (LTS continues, not counted)
        let d = assert_fires(&EolOs, &debian("12", "bookworm"));
        assert!(d[0].message.contains("2026-07-11") && d[0].message.contains("until 2028-06-30"), "{}", d[0].message);
        // no os-release, only alpine-release
        assert_fires(
            &EolOs,
            &TestImage::new().layer("ADD x /", |l| l.dir("/etc").file("/etc/alpine-release", "3.12.0\n")),
        );
    }

    #[test]
    fn quiet_on_supported_or_unknown() {
        assert_passes(&EolOs, &debian("13", "trixie"));
        assert_passes(&EolOs, &with_os_release("ID=ubuntu\nVERSION_ID=\"24.04\"\n"));
        assert_passes(&EolOs, &with_os_release("ID=alpine\nVERSION_ID=3.22.1\n"));
        assert_passes(&EolOs, &with_os_release("ID=wolfi\nVERSION_ID=20230201\n"));
        assert_passes(&EolOs, &TestImage::new().layer("ADD x /", |l| l.file("/app", "x")));
    }
}
