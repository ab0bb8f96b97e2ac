//! IM203: an SSH server is installed in the image.

use crate::image::{ImageChecker, ImageRule};

declare_rule! {
    /// ## What it does
    /// Reports an SSH server in the image: an `sshd` or `dropbear` program in the usual
    /// program directories, or an installed `openssh-server`, `openssh-server-pam`, `dropbear`,
    /// `dropbear-bin` or `tinysshd` package (dpkg, apk or rpm). SSH host keys baked into the
    /// image (`/etc/ssh/ssh_host_*_key`) are mentioned: every container of the image shares them.
    /// Clients (`ssh`, `openssh-client`) are not servers; see IM214.
    ///
    /// ## Why is this bad?
    /// A container is reached with `docker exec` or `kubectl exec`, not SSH. An SSH daemon adds
    /// a network-facing login service with its own passwords, keys and vulnerabilities, and is
    /// usually set up with weak settings: root login, password authentication, host keys shared
    /// by every container started from the image.
    ///
    /// ## Example
    /// An image built with `RUN apt-get install -y openssh-server` and `CMD ["/usr/sbin/sshd", "-D"]`.
    ///
    /// Use instead: no SSH server; `docker exec -it <container> sh` when a shell is needed.
    ///
    /// ## References
    /// - CIS Docker Benchmark 5.7: do not run sshd within containers
    /// - caulk DF204 for Dockerfiles
    pub(crate) struct SshServer {
        code: "IM203",
        name: "image-ssh-server",
        summary: "SSH server installed in the image",
        severity: High,
        target: Image,
        fix: None,
        aliases: [],
    }
}

const PACKAGES: &[&str] = &["openssh-server", "openssh-server-pam", "dropbear", "dropbear-bin", "tinysshd"];

impl ImageRule for SshServer {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let programs = cx.programs(|n| matches!(n, "sshd" | "dropbear" | "tinysshd"));
        let packages: Vec<(String, String, String)> = cx
            .image
            .packages
            .iter()
            .filter(|p| p.kind.is_os() && PACKAGES.contains(&p.name.as_str()))
            .map(|p| (p.name.clone(), p.version.clone(), p.evidence.path.clone()))
            .collect();
        if programs.is_empty() && packages.is_empty() {
            return;
        }
        let mut parts: Vec<String> = programs.iter().map(|(_, path)| format!("`{path}`")).collect();
        parts.extend(packages.iter().map(|(n, v, _)| format!("package `{n}` {v}")));
        let host_keys = cx
            .image
            .fs
            .under("/etc/ssh")
            .filter(|(p, _)| {
                let name = p.rsplit('/').next().unwrap_or("");
                name.starts_with("ssh_host_") && name.ends_with("_key")
            })
            .count();
        let keys = if host_keys > 0 {
            format!("; {host_keys} SSH host keys are baked into the image, shared by every container")
        } else {
            String::new()
        };
        let message = format!("an SSH server is installed: {}{keys}", parts.join(", "));
        let path =
            programs.first().map_or_else(|| packages.first().map(|p| p.2.clone()).unwrap_or_default(), |p| p.1.clone());
        cx.report_path(&path, message).set_help(
            "remove the SSH server (`apt-get purge openssh-server`, `apk del openssh-server`); use `docker exec` to get a shell",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{assert_fires, assert_passes, debian, dpkg_status};

    #[test]
    fn fires_on_sshd_or_its_package() {
        let image = debian("13", "trixie").layer("RUN apt-get install -y openssh-server", |l| {
            l.dir("/usr/sbin")
                .exec("/usr/sbin/sshd")
                .dir("/etc/ssh")
                .file("/etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\n")
                .file("/var/lib/dpkg/status", dpkg_status(&[("openssh-server", "1:9.2p1-2")]))
        });
        let d = assert_fires(&SshServer, &image);
        assert_eq!(
            d[0].message,
            "an SSH server is installed: `/usr/sbin/sshd`, package `openssh-server` 1:9.2p1-2; 1 SSH host keys are baked into the image, shared by every container"
        );
        assert_eq!(d[0].image.as_deref().and_then(|l| l.layer), Some(1));
        let package_only = debian("13", "trixie").layer("RUN apk add dropbear", |l| {
            l.file("/var/lib/dpkg/status", dpkg_status(&[("dropbear", "2022.83-1")]))
        });
        assert_fires(&SshServer, &package_only);
    }

    #[test]
    fn quiet_with_clients_only() {
        let image = debian("13", "trixie").layer("RUN apt-get install -y openssh-client", |l| {
            l.exec("/usr/bin/ssh").file("/var/lib/dpkg/status", dpkg_status(&[("openssh-client", "1:9.2p1-2")]))
        });
        assert_passes(&SshServer, &image);
    }
}
