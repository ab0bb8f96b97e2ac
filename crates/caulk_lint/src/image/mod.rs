//! Container image checks: the checker image rules read (the image, its tier, runtimes, accounts
//! and build history), the rule trait, and the entry point that runs the rules on a read image.
//!
//! Findings are located by path and layer instead of a text range: the helpers here fill
//! `ImageLocation` with the layer that introduced a path, its digest, the instruction that made it
//! (secrets masked) and whether it comes from the base image, so a finding in the base layers
//! reads differently from one the user's own Dockerfile caused.

pub(crate) mod accounts;

#[cfg(test)]
pub(crate) mod test;

use caulk_core::{Diagnostic, ImageLocation, RuleMeta};
use caulk_image::Image;
use caulk_image::config::instruction_text;
use caulk_image::fs::NodeKind;
use caulk_image::runtimes::{self, Runtime};
use caulk_image::tier::{self, Tier};

use crate::rule::HasMeta;
use crate::rules::image::RULES;
use crate::secrets;
use crate::settings::LintSettings;
use accounts::Accounts;

/// An image rule: reads the image through the checker and reports findings.
pub trait ImageRule: HasMeta + Sync + Send {
    fn check(&self, cx: &mut ImageChecker<'_>);
}

/// One build step of the image history.
#[derive(Debug, Clone)]
pub struct Step {
    /// Position in the configuration's `history`.
    pub index: usize,
    /// `created_by` as recorded.
    pub created_by: String,
    /// The instruction, cleaned for display (`RUN apt-get …`, `ENV A=b`), secrets not masked.
    pub text: String,
    /// The layer it made (`None` for ENV, CMD and other configuration-only steps).
    pub layer: Option<u32>,
    /// True when the step belongs to the base image.
    pub base: bool,
}

/// The shared view every image rule reads; built once per image.
pub struct ImageChecker<'a> {
    pub image: &'a Image,
    pub settings: &'a LintSettings,
    /// `YYYY-MM-DD`, for end-of-life checks.
    pub today: &'a str,
    pub tier: &'a Tier,
    pub runtimes: &'a [Runtime],
    pub steps: &'a [Step],
    pub(crate) accounts: &'a Accounts,
    rule: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

impl ImageChecker<'_> {
    /// Whether the image has a configuration (a root filesystem read from a directory has none,
    /// so rules about what the configuration lacks do not apply).
    pub fn has_config(&self) -> bool {
        self.image.source_kind != "rootfs"
    }

    /// Where `path` is: the layer that last wrote it (following no final symlink).
    pub fn location_of_path(&self, path: &str) -> ImageLocation {
        let layer = self.image.layer_of(path).map(|(i, _)| i);
        self.location_of_layer(layer, Some(path))
    }

    /// The location of layer `layer` (its digest, instruction with secrets masked, base flag),
    /// with `path` if given.
    /// A root filesystem read from a directory is one synthetic layer, which names nothing: no
    /// layer is given for it.
    pub fn location_of_layer(&self, layer: Option<u32>, path: Option<&str>) -> ImageLocation {
        let layer = layer.filter(|_| self.has_config());
        let info = layer.and_then(|i| self.image.layers.get(i as usize));
        let has_history = !self.image.config.history.is_empty();
        ImageLocation {
            path: path.map(str::to_owned),
            layer: info.and(layer),
            layer_digest: info.and_then(|l| l.digest.clone()),
            instruction: info.and_then(|l| l.instruction.as_deref()).map(secrets::redact),
            base_layer: info.filter(|_| has_history).map(|l| l.base),
        }
    }

    /// The location of a history step: its layer if it made one, else its instruction only.
    pub fn location_of_step(&self, step: &Step) -> ImageLocation {
        let mut loc = self.location_of_layer(step.layer, None);
        loc.instruction = Some(secrets::redact(&step.text));
        loc.base_layer = Some(step.base);
        loc
    }

    /// The last history step whose instruction starts with one of `keywords` (`CMD`, `USER`):
    /// where a configuration value was set.
    pub fn last_step(&self, keywords: &[&str]) -> Option<&Step> {
        self.steps.iter().rev().find(|s| {
            let word = s.text.split_whitespace().next().unwrap_or("");
            keywords.iter().any(|k| word.eq_ignore_ascii_case(k))
        })
    }

    /// Reports a finding located at `location`.
    pub fn report_at(&mut self, location: ImageLocation, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Diagnostic::in_image(self.rule, location, message));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Reports a finding about a file of the image.
    pub fn report_path(&mut self, path: &str, message: impl Into<String>) -> &mut Diagnostic {
        let loc = self.location_of_path(path);
        self.report_at(loc, message)
    }

    /// Reports a finding about a layer (and optionally a path as written in it).
    pub fn report_layer(
        &mut self,
        layer: Option<u32>,
        path: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let loc = self.location_of_layer(layer, path);
        self.report_at(loc, message)
    }

    /// Reports a finding about the configuration, at the last step that set one of `keywords`
    /// when the history has one.
    pub fn report_config(&mut self, keywords: &[&str], message: impl Into<String>) -> &mut Diagnostic {
        let loc = self.last_step(keywords).map(|s| self.location_of_step(s)).unwrap_or_default();
        self.report_at(loc, message)
    }

    /// Programs in the usual `PATH` directories whose name satisfies `wanted`, as (name, path),
    /// each directory once even when `/bin` links to `/usr/bin`, in path order.
    pub fn programs(&self, wanted: impl Fn(&str) -> bool) -> Vec<(String, String)> {
        let fs = &self.image.fs;
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let real = match fs.resolve(dir) {
                Some((real, n)) if n.kind == NodeKind::Dir => real,
                Some(_) => continue,
                None => dir.to_owned(),
            };
            if seen.contains(&real) {
                continue;
            }
            let prefix = format!("{real}/");
            for (path, node) in fs.under(&real) {
                let Some(name) = path.strip_prefix(&prefix).filter(|n| !n.contains('/')) else { continue };
                if !wanted(name) || matches!(node.kind, NodeKind::Dir) {
                    continue;
                }
                if fs.resolve(path).is_some_and(|(_, n)| n.kind == NodeKind::File) {
                    out.push((name.to_owned(), path.to_owned()));
                }
            }
            seen.push(real);
        }
        out
    }
}

/// Metadata of every image rule, for the registry.
/// `text` (a history instruction) with recognisable secrets masked, for reports that print it.
pub fn redact_secrets(text: &str) -> String {
    secrets::redact(text)
}

pub(crate) fn rule_metas() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta())
}

/// The history as steps with their layers and base flags. The base image ends, as caulk_image
/// decides for layers, at the last inherited `CMD`/`ENTRYPOINT` followed by more layers.
pub(crate) fn steps(image: &Image) -> Vec<Step> {
    let history = &image.config.history;
    let total = history.iter().filter(|h| !h.empty_layer).count();
    let mut boundary = None;
    let mut layers_before = 0usize;
    for (i, h) in history.iter().enumerate() {
        if h.empty_layer {
            let text = instruction_text(h.created_by.as_deref().unwrap_or(""));
            let ends = text.starts_with("CMD ") || text.starts_with("ENTRYPOINT ");
            if ends && layers_before > 0 && layers_before < total {
                boundary = Some(i);
            }
        } else {
            layers_before += 1;
        }
    }
    let mut layer = 0u32;
    history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let created_by = h.created_by.clone().unwrap_or_default();
            let this = (!h.empty_layer).then(|| {
                layer += 1;
                layer - 1
            });
            Step {
                index: i,
                text: instruction_text(&created_by),
                created_by,
                layer: this.filter(|l| (*l as usize) < image.layers.len()),
                base: boundary.is_some_and(|b| i <= b),
            }
        })
        .collect()
}

/// Runs every enabled image rule on a read image. Findings are sorted by path, then code;
/// severity overrides from the settings apply. Images have no inline suppressions.
pub fn check_image(image: &Image, settings: &LintSettings) -> Vec<Diagnostic> {
    let tier = tier::classify(image);
    let runtimes = runtimes::detect(image);
    let steps = steps(image);
    let accounts = Accounts::read(&image.fs);
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if !settings.is_enabled(meta) {
            continue;
        }
        let mut cx = ImageChecker {
            image,
            settings,
            today: &settings.today,
            tier: &tier,
            runtimes: &runtimes,
            steps: &steps,
            accounts: &accounts,
            rule: meta,
            out: &mut out,
        };
        rule.check(&mut cx);
    }
    let mut out: Vec<Diagnostic> = out.into_iter().filter(|d| settings.is_enabled(d.rule)).collect();
    for d in &mut out {
        if let Some(sev) = settings.severity_override(d.rule) {
            d.severity = sev;
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.rule.code == b.rule.code && a.message == b.message && a.image == b.image);
    out
}

/// `45.2 MiB` style sizes for messages.
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    #[allow(clippy::cast_precision_loss)]
    let mut value = bytes as f64 / 1024.0;
    let mut unit = UNITS[0];
    for u in UNITS.iter().skip(1) {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use serde_json::json;

    use super::test::{Layer, TestImage, debian, dpkg_status, settings};
    use super::*;
    use crate::selection::RuleSelector;

    /// The findings as a reviewer reads them: severity, rule, message, where, help.
    fn render(diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for d in diagnostics {
            let _ = writeln!(out, "{} {} {}: {}", d.severity, d.rule.code, d.rule.name, d.message);
            let loc = d.image.as_deref().cloned().unwrap_or_default();
            let mut at = match (&loc.path, loc.layer) {
                (Some(p), Some(l)) => format!("{p}, layer {l}"),
                (Some(p), None) => p.clone(),
                (None, Some(l)) => format!("layer {l}"),
                (None, None) => "(configuration)".to_owned(),
            };
            match loc.base_layer {
                Some(true) => at.push_str(" (base image)"),
                Some(false) => at.push_str(" (own)"),
                None => {}
            }
            if let Some(i) = &loc.instruction {
                let _ = write!(at, ": `{i}`");
            }
            let _ = writeln!(out, "    at {at}");
            if let Some(h) = &d.help {
                let _ = writeln!(out, "    help: {h}");
            }
        }
        out
    }

    const UBUNTU_BIONIC: &str = "NAME=\"Ubuntu\"\nVERSION=\"18.04.6 LTS (Bionic Beaver)\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 18.04.6 LTS\"\nVERSION_ID=\"18.04\"\nVERSION_CODENAME=bionic\nUBUNTU_CODENAME=bionic\n";

    const BASE_PACKAGES: &[(&str, &str)] = &[
        ("apt", "1.6.17"),
        ("base-files", "10.1ubuntu2.12"),
        ("bash", "4.4.18-2ubuntu1.3"),
        ("dash", "0.5.8-2.10"),
        ("dpkg", "1.19.0.5ubuntu2.4"),
        ("login", "1:4.5-1ubuntu2.5"),
        ("passwd", "1:4.5-1ubuntu2.5"),
    ];

    const ADDED_PACKAGES: &[(&str, &str)] = &[
        ("curl", "7.58.0-2ubuntu3.24"),
        ("git", "1:2.17.1-1ubuntu0.18"),
        ("openssh-client", "1:7.6p1-4ubuntu0.7"),
        ("openssh-server", "1:7.6p1-4ubuntu0.7"),
        ("python3-pip", "9.0.1-2.3~ubuntu1.18.04.8"),
        ("python3.6", "3.6.9-1~18.04ubuntu1.12"),
        ("wget", "1.19.4-1ubuntu2.2"),
    ];

    const SSHD_CONFIG: &str = "#\t$OpenBSD: sshd_config,v 1.101 2017/03/14 07:19:07 djm Exp $\n\n#PermitRootLogin prohibit-password\n#StrictModes yes\nChallengeResponseAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n";

    /// The seed's insecure ml-service: `FROM ubuntu:18.04`, SSH with root login, curl/wget/git,
    /// no USER, no HEALTHCHECK, `CMD ["sh", "-c", "python3 app.py"]`, port 22.
    fn insecure_ml_service() -> TestImage {
        // python3-pip, git and openssh pull in some 170 libraries and perl modules
        let libraries: Vec<(String, String)> = (0..170).map(|i| (format!("lib{i:03}"), "1.0-1".to_owned())).collect();
        let all: Vec<(&str, &str)> = BASE_PACKAGES
            .iter()
            .chain(ADDED_PACKAGES)
            .copied()
            .chain(libraries.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .collect();
        TestImage::new()
            .layer("/bin/sh -c #(nop) ADD file:7f1a5c4e8f6d in / ", |l: Layer| {
                l.dir("/etc")
                    .file("/etc/os-release", UBUNTU_BIONIC)
                    .file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
                    .file("/etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n")
                    .file("/etc/group", "root:x:0:\ndaemon:x:1:\nshadow:x:42:\nnogroup:x:65534:\n")
                    .dir("/bin")
                    .exec("/bin/bash")
                    .exec("/bin/dash")
                    .symlink("/bin/sh", "dash")
                    .file_with("/bin/su", 0o4755, 0, "\x7fELF")
                    .dir("/usr")
                    .dir("/usr/bin")
                    .exec("/usr/bin/apt-get")
                    .exec("/usr/bin/dpkg")
                    .file_with("/usr/bin/passwd", 0o4755, 0, "\x7fELF")
                    .dir_with("/tmp", 0o1777)
                    .file("/var/lib/dpkg/status", dpkg_status(BASE_PACKAGES))
            })
            .step("/bin/sh -c #(nop)  CMD [\"/bin/bash\"]")
            .step("WORKDIR /app")
            .layer(
                "RUN /bin/sh -c apt-get update && apt-get install -y python3-pip curl wget git openssh-server openssh-client # buildkit",
                |l| {
                    l.exec("/usr/bin/python3.6")
                        .symlink("/usr/bin/python3", "python3.6")
                        .exec("/usr/bin/pip3")
                        .exec("/usr/bin/curl")
                        .exec("/usr/bin/wget")
                        .exec("/usr/bin/git")
                        .exec("/usr/bin/ssh")
                        .dir("/usr/sbin")
                        .exec("/usr/sbin/sshd")
                        .dir("/etc/ssh")
                        .file("/etc/ssh/sshd_config", SSHD_CONFIG)
                        .file_with("/etc/ssh/ssh_host_rsa_key", 0o600, 0, "-----BEGIN RSA PRIVATE KEY-----\n")
                        .file("/etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa AAAA root@buildkitsandbox\n")
                        .sized("/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_bionic_main_binary-amd64_Packages", 1 << 20)
                        .sized("/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_bionic_universe_binary-amd64_Packages", 3 << 20)
                        .file("/var/lib/dpkg/status", dpkg_status(&all))
                },
            )
            .layer("RUN /bin/sh -c echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config # buildkit", |l| {
                l.file("/etc/ssh/sshd_config", format!("{SSHD_CONFIG}PermitRootLogin yes\n"))
            })
            .layer("RUN /bin/sh -c pip3 install flask requests # buildkit", |l| {
                l.file("/usr/local/lib/python3.6/dist-packages/flask/__init__.py", "__version__ = '2.0.3'\n")
                    .sized("/root/.cache/pip/http/a/b/c/0123", 4096)
            })
            .layer("COPY ml-service/app.py /app/ # buildkit", |l| l.dir("/app").file("/app/app.py", "print('hi')\n"))
            .step("EXPOSE map[22/tcp:{} 5000/tcp:{}]")
            .step("CMD [\"/bin/sh\" \"-c\" \"python3 app.py\"]")
            .config("Env", json!(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]))
            .config("Cmd", json!(["/bin/sh", "-c", "python3 app.py"]))
            .config("WorkingDir", json!("/app"))
            .config("ExposedPorts", json!({"22/tcp": {}, "5000/tcp": {}}))
    }

    /// The seed's hardened ml-service: a python slim image on Debian 13, user 10001, a health
    /// check, exec-form command, no SSH, no download tools.
    fn hardened_ml_service() -> TestImage {
        debian("13", "trixie")
            .step("ENV PYTHON_VERSION=3.13.1")
            .layer("RUN /bin/sh -c set -eux; build python # buildkit", |l| {
                l.dir("/usr/local")
                    .dir("/usr/local/bin")
                    .exec("/usr/local/bin/python3.13")
                    .symlink("/usr/local/bin/python", "python3.13")
                    .exec("/usr/local/bin/pip")
                    .dir("/usr/local/lib")
                    .dir("/usr/local/lib/python3.13")
                    .file("/usr/local/lib/python3.13/os.py", "")
            })
            .step("CMD [\"python3\"]")
            .layer("RUN /bin/sh -c groupadd -r -g 10001 app && useradd -r -u 10001 -g app app # buildkit", |l| {
                l.file(
                    "/etc/passwd",
                    "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\napp:x:10001:10001::/home/app:/usr/sbin/nologin\n",
                )
                .file("/etc/shadow", "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\napp:!:19000::::::\n")
                .file("/etc/group", "root:x:0:\nnogroup:x:65534:\napp:x:10001:\n")
            })
            .layer("COPY --chown=app:app ml-service/app.py /app/ # buildkit", |l| {
                l.dir("/app").file_with("/app/app.py", 0o644, 10001, "print('hi')\n")
            })
            .step("USER app")
            .step("HEALTHCHECK &{[\"CMD\" \"python\" \"-c\" \"import urllib.request\"] \"30s\" \"10s\" \"5s\" \"0s\" '\\x03'}")
            .step("EXPOSE map[5000/tcp:{}]")
            .step("ENTRYPOINT [\"python\"]")
            .step("CMD [\"app.py\"]")
            .config("Env", json!(["PATH=/usr/local/bin:/usr/bin", "PYTHON_VERSION=3.13.1", "PYTHONUNBUFFERED=1", "PIP_NO_CACHE_DIR=1"]))
            .config("User", json!("app"))
            .config("Entrypoint", json!(["python"]))
            .config("Cmd", json!(["app.py"]))
            .config("ExposedPorts", json!({"5000/tcp": {}}))
            .config("Healthcheck", json!({"Test": ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:5000/health')"], "Interval": 30_000_000_000_u64}))
    }

    /// The seed's problems, by rule.
    const SEED_PROBLEMS: &[(&str, &str)] = &[
        ("IM201", "Ubuntu 18.04"),
        ("IM203", "/usr/sbin/sshd"),
        ("IM204", "PermitRootLogin yes"),
        ("IM101", "sets no USER"),
        ("IM214", "`curl`"),
        ("IM214", "`wget`"),
        ("IM214", "`git`"),
        ("IM102", "no HEALTHCHECK"),
        ("IM103", "python3 app.py"),
        ("IM104", "22/tcp"),
    ];

    #[test]
    fn seed_ml_service_insecure_and_hardened() {
        let insecure = check_image(&insecure_ml_service().build(), &settings());
        for (code, needle) in SEED_PROBLEMS {
            assert!(
                insecure.iter().any(|d| d.rule.code == *code && d.message.contains(needle)),
                "{code} `{needle}` missing:\n{}",
                render(&insecure)
            );
        }
        // findings on the user's own layers say so, base-layer ones too
        let ssh = insecure.iter().find(|d| d.rule.code == "IM203").and_then(|d| d.image.as_deref()).expect("IM203");
        assert_eq!((ssh.layer, ssh.base_layer), (Some(1), Some(false)));
        let eol = insecure.iter().find(|d| d.rule.code == "IM201").and_then(|d| d.image.as_deref()).expect("IM201");
        assert_eq!((eol.layer, eol.base_layer), (Some(0), Some(true)));
        insta::assert_snapshot!("ml_service_insecure", render(&insecure));

        let hardened = check_image(&hardened_ml_service().build(), &settings());
        let seed_codes: Vec<&str> = SEED_PROBLEMS.iter().map(|(c, _)| *c).collect();
        let unexpected: Vec<&Diagnostic> = hardened
            .iter()
            .filter(|d| seed_codes.contains(&d.rule.code) || d.severity >= caulk_core::Severity::High)
            .collect();
        assert!(unexpected.is_empty(), "{}", render(&hardened));
        insta::assert_snapshot!("ml_service_hardened", render(&hardened));
    }

    #[test]
    fn selection_and_severity_overrides_apply() {
        let image = insecure_ml_service().build();
        let only = LintSettings { select: vec![RuleSelector::Prefix("IM1".to_owned())], ..settings() };
        let found = check_image(&image, &only);
        assert!(!found.is_empty() && found.iter().all(|d| d.rule.code.starts_with("IM1")));
        // rule names select too
        let by_name =
            LintSettings { select: RuleSelector::parse("image-root-user").into_iter().collect(), ..settings() };
        let found = check_image(&image, &by_name);
        assert!(!found.is_empty() && found.iter().all(|d| d.rule.code == "IM101"));
        let mut lowered = settings();
        lowered.severity.insert("IM204", caulk_core::Severity::Low);
        lowered.ignore.push(RuleSelector::Prefix("IM3".to_owned()));
        let found = check_image(&image, &lowered);
        assert!(found.iter().any(|d| d.rule.code == "IM204" && d.severity == caulk_core::Severity::Low));
        assert!(!found.iter().any(|d| d.rule.code.starts_with("IM3")));
    }

    #[test]
    fn steps_know_their_layers_and_the_base() {
        let image = insecure_ml_service().build();
        let steps = steps(&image);
        let summary: Vec<(Option<u32>, bool)> = steps.iter().map(|s| (s.layer, s.base)).collect();
        assert_eq!(
            summary,
            [
                (Some(0), true),
                (None, true),
                (None, false),
                (Some(1), false),
                (Some(2), false),
                (Some(3), false),
                (Some(4), false),
                (None, false),
                (None, false),
            ]
        );
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(3 << 30), "3.0 GiB");
    }
}
