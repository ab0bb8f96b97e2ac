//! IM202: a language runtime in the image is past end of life.

use caulk_image::runtimes::{Origin, Runtime};

use crate::eol::{EolData, EolKind, lookup_release};
use crate::image::{ImageChecker, ImageRule};
use crate::rules::image::eol_os::ended_text;

declare_rule! {
    /// ## What it does
    /// Checks the language runtimes found in the image — Python, Node.js, Go, Ruby, PHP and
    /// Java, from version headers, `release` and `VERSION` files, interpreter files and the
    /// `*_VERSION` variables of official images — against end-of-life data (endoflife.date,
    /// embedded in caulk): Python 3.8, Node.js 16, Go 1.21, Ruby 3.0, PHP 8.0 and their like
    /// are reported once upstream support has ended. Java is checked for the vendor named in
    /// the JDK's `release` file (Eclipse Temurin, Amazon Corretto, Azul Zulu, Oracle, …).
    ///
    /// Only upstream builds are judged (official language images, `/usr/local`, `/opt/java`,
    /// NodeSource packages). A runtime packaged by the distribution (`python3.9` on Debian 11,
    /// `python36` on RHEL 8) is supported by the distribution for as long as the release is:
    /// IM201 covers that.
    ///
    /// ## Why is this bad?
    /// An end-of-life runtime gets no more security releases: vulnerabilities in the
    /// interpreter and its standard library (TLS, HTTP, XML parsing) stay unfixed, and libraries
    /// drop support for it, so dependency upgrades stop too.
    ///
    /// ## Example
    /// An image built `FROM python:3.8-slim` (Python 3.8, end of life 2024-10-07).
    ///
    /// Use instead: a supported release, `FROM python:3.13-slim`.
    ///
    /// ## References
    /// - [endoflife.date](https://endoflife.date)
    /// - caulk DF102 for Dockerfiles
    pub(crate) struct EolRuntime {
        code: "IM202",
        name: "image-eol-runtime",
        summary: "a language runtime in the image is past end of life",
        severity: High,
        target: Image,
        fix: None,
        aliases: [],
    }
}

/// The endoflife.date product of a runtime, `None` for Java from an unknown vendor.
fn product(r: &Runtime) -> Option<&'static str> {
    Some(match r.name {
        "python" => "python",
        "node" => "nodejs",
        "go" => "go",
        "ruby" => "ruby",
        "php" => "php",
        "java" => {
            let vendor = r.vendor.as_deref()?.to_ascii_lowercase();
            if vendor.contains("adoptium") || vendor.contains("adoptopenjdk") {
                "eclipse-temurin"
            } else if vendor.contains("amazon") {
                "amazon-corretto"
            } else if vendor.contains("azul") {
                "azul-zulu"
            } else if vendor.contains("bellsoft") {
                "bellsoft-liberica"
            } else if vendor.contains("sap") {
                "sapmachine"
            } else if vendor.contains("ibm") || vendor.contains("international business machines") {
                "ibm-semeru"
            } else if vendor.contains("microsoft") {
                "microsoft-build-of-openjdk"
            } else if vendor.contains("red hat") {
                "red-hat-build-of-openjdk"
            } else if vendor.contains("oracle") {
                "openjdk-builds-from-oracle"
            } else {
                return None;
            }
        }
        _ => return None,
    })
}

impl ImageRule for EolRuntime {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let runtimes: Vec<Runtime> = cx.runtimes.iter().filter(|r| r.origin == Origin::Upstream).cloned().collect();
        for r in runtimes {
            let Some(key) = product(&r) else { continue };
            let version = if r.name == "java" { r.cycle() } else { r.version.clone() };
            let Some(f) = lookup_release(EolKind::Runtime, key, &version) else { continue };
            if !f.ended_on_or_before(cx.today) {
                continue;
            }
            let message = format!("the image ships {} ({}), which {}", f.label(), r.version, ended_text(&f, cx.today));
            let data = EolData::get();
            cx.report_path(&r.evidence_path, message).set_help(format!(
                "rebuild with a supported {} release; see https://endoflife.date/{} (data of {})",
                f.title, f.product, data.source_date
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes, debian, dpkg_status};

    fn python(minor: &str, full: &str) -> TestImage {
        debian("13", "trixie")
            .layer("RUN build python", |l| {
                l.dir("/usr/local")
                    .dir("/usr/local/bin")
                    .exec(&format!("/usr/local/bin/python{minor}"))
                    .dir("/usr/local/lib")
                    .dir(&format!("/usr/local/lib/python{minor}"))
                    .file(&format!("/usr/local/lib/python{minor}/os.py"), "")
            })
            .config("Env", json!([format!("PYTHON_VERSION={full}")]))
    }

    #[test]
    fn fires_on_ended_upstream_runtimes() {
        let d = assert_fires(&EolRuntime, &python("3.8", "3.8.18"));
        assert!(
            d[0].message.starts_with("the image ships Python 3.8 (3.8.18), which reached end of life on 2024-10-07"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].image.as_deref().and_then(|l| l.path.as_deref()), Some("/usr/local/bin/python3.8"));
        let node = debian("13", "trixie").layer("COPY node", |l| {
            l.file(
                "/usr/local/include/node/node_version.h",
                "#define NODE_MAJOR_VERSION 16\n#define NODE_MINOR_VERSION 20\n#define NODE_PATCH_VERSION 2\n",
            )
        });
        assert!(assert_fires(&EolRuntime, &node)[0].message.contains("Node.js 16 (16.20.2)"));
        let java = debian("13", "trixie").layer("COPY jdk", |l| {
            l.file("/opt/java/openjdk/release", "IMPLEMENTOR=\"Oracle Corporation\"\nJAVA_VERSION=\"17.0.2\"\n")
        });
        assert_fires(&EolRuntime, &java);
    }

    #[test]
    fn quiet_on_supported_and_distribution_runtimes() {
        assert_passes(&EolRuntime, &python("3.13", "3.13.1"));
        // Debian 11's python3.9 is the distribution's to support
        let deb = debian("13", "trixie").layer("RUN apt-get install python3.9", |l| {
            l.exec("/usr/bin/python3.9").file("/var/lib/dpkg/status", dpkg_status(&[("python3.9", "3.9.2-1")]))
        });
        assert_passes(&EolRuntime, &deb);
        // a JDK of an unknown vendor is not judged
        let java = debian("13", "trixie").layer("COPY jdk", |l| {
            l.file("/opt/java/x/release", "IMPLEMENTOR=\"Example Corp\"\nJAVA_VERSION=\"9.0.4\"\n")
        });
        assert_passes(&EolRuntime, &java);
    }
}
