//! DC201: the container engine's socket is mounted into a service.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::mounts;

/// Sockets that give control of the host's container engine.
const SOCKETS: [&str; 5] = ["docker.sock", "podman.sock", "containerd.sock", "crio.sock", "dockershim.sock"];

declare_rule! {
    /// ## What it does
    /// Reports volumes that bind the host's container engine socket (`/var/run/docker.sock`,
    /// Podman's, containerd's or CRI-O's) into a service, read-only or not.
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the engine can start a privileged container that mounts the host's
    /// root filesystem: the socket is root on the host. `:ro` does not help, since it only
    /// stops the file from being replaced, not API calls over it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    /// Use instead (a filtering proxy that only allows the calls the service needs):
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1
    ///     environment:
    ///       DOCKER_HOST: tcp://socket-proxy:2375
    /// ```
    ///
    /// ## References
    /// - KICS "Docker Socket Mounted In Container"; compose-lint CL-0001
    /// - CIS Docker Benchmark 5.31: ensure that the Docker socket is not mounted inside any containers
    /// - [Docker engine security: the attack surface of the daemon](https://docs.docker.com/engine/security/#docker-daemon-attack-surface)
    pub(crate) struct DockerSocket {
        code: "DC201",
        name: "docker-socket-mounted",
        summary: "container engine socket mounted into a service",
        severity: Critical,
        target: Compose,
        fix: None,
        aliases: ["CL-0001", "d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"],
    }
}

impl ComposeRule for DockerSocket {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            for m in mounts(service) {
                let Some(sock) = SOCKETS.iter().find(|s| m.source.ends_with(*s)) else { continue };
                if !m.is_bind() {
                    continue;
                }
                let ro = if m.read_only { " (read-only does not limit API calls)" } else { "" };
                cx.report(m.node, format!("service `{}` mounts the host's `{sock}`{ro}: it controls the host's container engine", service.name))
                    .set_help("remove the mount, or put a filtering socket proxy in front that only allows the API calls the service needs");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_short_and_long_syntax() {
        assert_fires(&DockerSocket, "services:\n  a:\n    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]\n");
        assert_fires(
            &DockerSocket,
            "services:\n  a:\n    volumes:\n      - type: bind\n        source: /run/podman/podman.sock\n        target: /var/run/docker.sock\n",
        );
    }

    #[test]
    fn quiet_on_named_volumes_and_other_paths() {
        assert_passes(
            &DockerSocket,
            "services:\n  a:\n    volumes: [data:/var/lib/docker.socket-data, ./conf:/etc/app:ro]\n",
        );
    }
}
