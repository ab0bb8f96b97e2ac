//! DF207: EXPOSE of SSH (22) or telnet (23).

use caulk_core::{Edit, Fix, TextRange};
use caulk_syntax::dockerfile::{Body, Keyword};

use crate::checker::Checker;
use crate::edits::remove_instruction;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks `EXPOSE` in the stages that end up in the built image for the SSH port 22 or the
    /// telnet port 23: `22`, `22/tcp`, ranges that contain them (`20-25`), and variables that
    /// expand to them (`EXPOSE $SSH_PORT` with `ARG SSH_PORT=22`). UDP and SCTP ports are not
    /// SSH or telnet and are not reported; neither is EXPOSE in a build stage that is not shipped.
    ///
    /// ## Fix
    /// An unsafe fix removes the port from the `EXPOSE` (the whole instruction when no other
    /// port is left). A range that also holds other ports (`20-25`) is left for a human.
    ///
    /// ## Why is this bad?
    /// Exposing a remote-shell port advertises (and with `-P` publishes) a login service on the
    /// container. Containers are administered with `docker exec` / `kubectl exec`; an SSH or
    /// telnet daemon inside is an extra, network-facing way in (telnet even in clear text).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// EXPOSE 22 8080
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// EXPOSE 8080
    /// ```
    ///
    /// ## References
    /// - Trivy DS-0004 (AVD-DS-0004); Checkov CKV_DOCKER_1
    /// - [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
    pub(crate) struct ExposeRemoteShellPort {
        code: "DF207",
        name: "expose-remote-shell-port",
        summary: "EXPOSE of SSH (22) or telnet (23)",
        severity: High,
        fix: Sometimes,
        aliases: ["AVD-DS-0004", "CKV_DOCKER_1"],
    }
}

impl DockerfileRule for ExposeRemoteShellPort {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, inst) in cx.shipped_instructions() {
            let (Keyword::Expose, Body::List { items, json }) = (inst.keyword, &inst.body) else { continue };
            let mut flagged = Vec::new();
            let start = found.len();
            for item in items {
                let expanded = cx.model.expand(cx.df, i, &item.value);
                if !expanded.is_resolved() {
                    continue;
                }
                let Some((low, high)) = tcp_ports(&expanded.value) else { continue };
                let names: Vec<&str> = [(22, "SSH port 22"), (23, "telnet port 23")]
                    .iter()
                    .filter(|(p, _)| low <= *p && *p <= high)
                    .map(|(_, n)| *n)
                    .collect();
                if names.is_empty() {
                    continue;
                }
                let via = if item.value.contains('$') { format!(" (= `{}`)", expanded.value) } else { String::new() };
                // a range with other ports in it stays: those may be needed
                if low == high || (low >= 22 && high <= 23) {
                    flagged.push(item.range);
                }
                found.push((
                    item.range,
                    format!("EXPOSE `{}`{via} publishes the {}", item.value, names.join(" and the ")),
                    None,
                ));
            }
            if *json {
                continue;
            }
            let outer = cx.df.instructions.get(i).unwrap_or(inst);
            let all = items.iter().all(|it| flagged.contains(&it.range));
            for f in found.iter_mut().skip(start).filter(|f| flagged.contains(&f.0)) {
                let edit = if all {
                    remove_instruction(cx.text, outer)
                } else {
                    // the port and the blanks before it, when they are on its line
                    let before = cx.text.get(..f.0.start as usize).unwrap_or("");
                    let kept = before.trim_end_matches([' ', '\t']);
                    let gap = u32::try_from(before.len() - kept.len()).unwrap_or(0);
                    if gap == 0 || kept.ends_with('\n') || kept.ends_with('\\') {
                        continue;
                    }
                    Edit::delete(TextRange::new(f.0.start - gap, f.0.end))
                };
                f.2 = Some(Fix::unsafe_edit(format!("remove `{}` from EXPOSE", cx.slice(f.0)), vec![edit]));
            }
        }
        for (range, message, fix) in found {
            let d = cx.report(range, message)
                .set_help("don't run a remote-shell daemon in the container; remove the port and use `docker exec` / `kubectl exec` for access");
            if let Some(fix) = fix {
                d.set_fix(fix);
            }
        }
    }
}

/// `22`, `22/tcp`, `20-25/tcp` → the TCP port range; `None` for UDP/SCTP or unparsable text.
fn tcp_ports(spec: &str) -> Option<(u32, u32)> {
    let (ports, proto) = match spec.split_once('/') {
        Some((p, proto)) => (p, proto),
        None => (spec, "tcp"),
    };
    if !proto.eq_ignore_ascii_case("tcp") {
        return None;
    }
    let (low, high) = match ports.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let p = ports.trim().parse().ok()?;
            (p, p)
        }
    };
    Some((low, high))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::ExposeRemoteShellPort;

    #[test]
    fn fires_on_ssh_and_telnet() {
        let text = "FROM ubuntu:24.04\nEXPOSE 8080 22/tcp\n";
        let d = assert_fires(&ExposeRemoteShellPort, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "22/tcp");
        assert!(d[0].message.contains("SSH port 22"));
        let d = assert_fires(&ExposeRemoteShellPort, "FROM ubuntu:24.04\nEXPOSE 20-25\n");
        assert!(d[0].message.contains("SSH port 22 and the telnet port 23"));
        let d = assert_fires(&ExposeRemoteShellPort, "FROM ubuntu:24.04\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}\n");
        assert!(d[0].message.contains("(= `22`)"));
        assert_fires(&ExposeRemoteShellPort, "FROM ubuntu:24.04 AS base\nEXPOSE 23\nFROM base\n");
    }

    #[test]
    fn passes_on_other_ports_udp_and_build_stages() {
        assert_passes(&ExposeRemoteShellPort, "FROM ubuntu:24.04\nEXPOSE 80 443 2222 220\n");
        assert_passes(&ExposeRemoteShellPort, "FROM ubuntu:24.04\nEXPOSE 22/udp\n");
        assert_passes(&ExposeRemoteShellPort, "FROM ubuntu:24.04 AS test\nEXPOSE 22\nFROM ubuntu:24.04\nEXPOSE 80\n");
        assert_passes(&ExposeRemoteShellPort, "FROM ubuntu:24.04\nARG PORT\nEXPOSE $PORT\n");
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_removes_the_port_or_the_instruction() {
        let text = "FROM ubuntu:24.04\nEXPOSE 22 5000\n";
        let d = assert_fires(&ExposeRemoteShellPort, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM ubuntu:24.04\nEXPOSE 5000\n"));
        let text = "FROM ubuntu:24.04\nEXPOSE 8080 22/tcp\n";
        let d = assert_fires(&ExposeRemoteShellPort, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM ubuntu:24.04\nEXPOSE 8080\n"));
        let text = "FROM ubuntu:24.04\nEXPOSE 22\nCMD [\"app\"]\n";
        let d = assert_fires(&ExposeRemoteShellPort, text);
        assert_eq!(fixed(text, &d[0]).as_deref(), Some("FROM ubuntu:24.04\nCMD [\"app\"]\n"));
    }

    #[test]
    fn no_fix_for_ranges_with_other_ports() {
        let d = assert_fires(&ExposeRemoteShellPort, "FROM ubuntu:24.04\nEXPOSE 20-25 80\n");
        assert!(d[0].fix.is_none());
    }
}
