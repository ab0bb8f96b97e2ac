//! Readers for the compose value forms several rules share: `security_opt` entries, volume
//! mounts (short and long syntax), published ports, resource limits.

use caulk_syntax::compose::{Node, NodeKind, Service};

/// `security_opt` entries as (key, value, node): `no-new-privileges:true`, `seccomp=unconfined`.
pub(crate) fn security_opts(service: &Service) -> Vec<(String, String, &Node)> {
    let Some(opts) = service.get("security_opt") else { return Vec::new() };
    opts.strings()
        .into_iter()
        .filter_map(|n| {
            let s = n.as_str()?.trim();
            let (k, v) = s.split_once([':', '=']).unwrap_or((s, ""));
            Some((k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase(), n))
        })
        .collect()
}

/// A volume or bind mount of a service.
pub(crate) struct Mount<'a> {
    /// Host path (binds) or volume name; empty for anonymous volumes.
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// `bind`, `volume`, `tmpfs`, ...
    pub kind: String,
    pub node: &'a Node,
}

impl Mount<'_> {
    /// A bind mount of a host path (as opposed to a named volume).
    pub(crate) fn is_bind(&self) -> bool {
        self.kind == "bind" || (self.kind == "volume" && is_host_path(&self.source))
    }
}

fn is_host_path(s: &str) -> bool {
    s.starts_with('/') || s.starts_with('.') || s.starts_with('~') || s.starts_with('$')
}

/// Every entry of `volumes:`.
pub(crate) fn mounts(service: &Service) -> Vec<Mount<'_>> {
    let Some(items) = service.get("volumes").and_then(Node::as_seq) else { return Vec::new() };
    let mut out = Vec::new();
    for n in items {
        match &n.kind {
            NodeKind::Scalar(s) => {
                let parts: Vec<&str> = s.value.split(':').collect();
                let (source, target, mode) = match parts.as_slice() {
                    [t] => ("", *t, ""),
                    [s, t] => (*s, *t, ""),
                    [s, t, m, ..] => (*s, *t, *m),
                    [] => continue,
                };
                let read_only = mode.split(',').any(|m| m == "ro" || m == "readonly");
                let kind = if is_host_path(source) { "bind" } else { "volume" };
                out.push(Mount {
                    source: source.to_owned(),
                    target: target.to_owned(),
                    read_only,
                    kind: kind.to_owned(),
                    node: n,
                });
            }
            NodeKind::Map(_) => {
                let get = |k: &str| n.get(k).and_then(Node::as_str).unwrap_or("").to_owned();
                out.push(Mount {
                    source: get("source"),
                    target: get("target"),
                    read_only: n.get("read_only").is_some_and(Node::is_true),
                    kind: if get("type").is_empty() { "volume".to_owned() } else { get("type") },
                    node: n,
                });
            }
            NodeKind::Seq(_) => {}
        }
    }
    out
}

/// A published port.
#[allow(clippy::struct_field_names)]
pub(crate) struct Port<'a> {
    /// `None`: all interfaces.
    pub host_ip: Option<String>,
    /// First published host port; `None` when Docker picks one.
    pub host_port: Option<u32>,
    pub container_port: Option<u32>,
    pub node: &'a Node,
}

fn first_port(s: &str) -> Option<u32> {
    s.split('-').next()?.trim().parse().ok()
}

/// Every entry of `ports:` (short `[ip:][host:]container[/proto]` and long syntax).
pub(crate) fn ports(service: &Service) -> Vec<Port<'_>> {
    let Some(items) = service.get("ports").and_then(Node::as_seq) else { return Vec::new() };
    let mut out = Vec::new();
    for n in items {
        match &n.kind {
            NodeKind::Scalar(s) => {
                let spec = s.value.split('/').next().unwrap_or("").trim();
                // `[::1]:8080:80` and `127.0.0.1:8080:80`
                let (ip, rest) = if let Some(r) = spec.strip_prefix('[') {
                    match r.split_once("]:") {
                        Some((ip, rest)) => (Some(ip.to_owned()), rest),
                        None => (None, spec),
                    }
                } else {
                    let parts: Vec<&str> = spec.splitn(3, ':').collect();
                    if parts.len() == 3 {
                        let ip = parts.first().copied().unwrap_or("");
                        (Some(ip.to_owned()), spec.get(ip.len() + 1..).unwrap_or(""))
                    } else {
                        (None, spec)
                    }
                };
                let (host, container) = match rest.split_once(':') {
                    Some((h, c)) => (first_port(h), first_port(c)),
                    None => (None, first_port(rest)),
                };
                let host_ip = ip.filter(|i| !i.is_empty());
                out.push(Port { host_ip, host_port: host, container_port: container, node: n });
            }
            NodeKind::Map(_) => {
                let published = n.get("published").and_then(Node::as_str).and_then(first_port);
                let target = n.get("target").and_then(Node::as_str).and_then(first_port);
                let host_ip = n.get("host_ip").and_then(Node::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
                out.push(Port { host_ip, host_port: published, container_port: target, node: n });
            }
            NodeKind::Seq(_) => {}
        }
    }
    out
}

/// Whether `host_ip` (or its absence) means every interface.
pub(crate) fn all_interfaces(host_ip: Option<&str>) -> bool {
    matches!(host_ip, None | Some("0.0.0.0" | "::" | "[::]"))
}

/// A limit set at service level (`key`) or under `deploy.resources.limits.<limit>`.
pub(crate) fn limit<'a>(service: &'a Service, keys: &[&str], limit: &str) -> Option<&'a Node> {
    keys.iter()
        .find_map(|k| service.get(k))
        .or_else(|| service.node.path(&["deploy", "resources", "limits", limit]))
        .filter(|n| !n.is_null() && !matches!(n.as_str(), Some("0" | "-1" | "")))
}
