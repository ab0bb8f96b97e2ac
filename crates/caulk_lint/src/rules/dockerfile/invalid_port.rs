//! DF609: EXPOSE of a port outside 0-65535.

use caulk_syntax::dockerfile::{Body, Keyword};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// Checks every `EXPOSE` argument, after variable expansion, for what the builder rejects:
    /// a port outside 0–65535, a value that is not a number, a range whose end is below its
    /// start (`9000-8000`), or a protocol other than `tcp`, `udp` or `sctp`.
    ///
    /// ## Why is this bad?
    /// The build fails at the `EXPOSE` line (`invalid containerPort`, `invalid proto`), usually
    /// after a typo (`80800`, `8080/tpc`) or a variable holding something else than a port.
    /// Arguments with variables that cannot be resolved are not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80800/tcp
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8080/tcp
    /// ```
    ///
    /// ## References
    /// - hadolint DL3011, Trivy AVD-DS-0008
    /// - [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
    pub(crate) struct InvalidPort {
        code: "DF609",
        name: "invalid-port",
        summary: "EXPOSE of a port outside 0-65535",
        severity: High,
        fix: None,
        aliases: ["DL3011", "AVD-DS-0008"],
    }
}

impl DockerfileRule for InvalidPort {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.instructions() {
            let (Keyword::Expose, Body::List { items, .. }) = (inst.keyword, &inst.body) else { continue };
            for item in items {
                let expanded = cx.model.expand(cx.df, i, &item.value);
                if !expanded.is_resolved() {
                    continue;
                }
                for spec in expanded.value.split_whitespace() {
                    let Some(problem) = port_problem(spec) else { continue };
                    let raw = item.value.as_str();
                    let shown = if raw == spec { format!("`{spec}`") } else { format!("`{raw}` (= `{spec}`)") };
                    cx.report(item.range, format!("EXPOSE {shown}: {problem}"))
                        .set_help("expose a port between 0 and 65535, optionally with `/tcp`, `/udp` or `/sctp` (`EXPOSE 8080/tcp`)");
                }
            }
        }
    }
}

/// What is wrong with a port spec (`80`, `80/udp`, `8000-8010/tcp`, `127.0.0.1:80:80`), if anything.
fn port_problem(spec: &str) -> Option<String> {
    // `[ip:][host:]container`: only the container part is exposed
    let container = spec.rsplit(':').next().unwrap_or(spec);
    let (ports, proto) = match container.split_once('/') {
        Some((p, proto)) => (p, proto),
        None => (container, ""),
    };
    if !proto.is_empty() && !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
        return Some(format!("protocol `{proto}` is not `tcp`, `udp` or `sctp`"));
    }
    let (start, end) = match ports.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (ports, None),
    };
    let s = match port_number(start, ports) {
        Ok(s) => s,
        Err(problem) => return Some(problem),
    };
    let e = match end.map(|e| port_number(e, ports)) {
        None => return None,
        Some(Ok(e)) => e,
        Some(Err(problem)) => return Some(problem),
    };
    (e < s).then(|| format!("the range `{ports}` ends before it starts"))
}

/// Parses one port of `ports` (the whole spec, for the message).
fn port_number(text: &str, ports: &str) -> Result<u32, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{ports}` is not a port number"));
    }
    match text.parse::<u32>() {
        Ok(n) if n <= 65535 => Ok(n),
        _ => Err(format!("port `{text}` is outside 0-65535")),
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{InvalidPort, port_problem};

    #[test]
    fn fires_on_out_of_range_and_bad_protocol() {
        let d = assert_fires(&InvalidPort, "FROM nginx\nEXPOSE 80 80800/tcp 8080/tpc\n");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("`80800`"), "{}", d[0].message);
        assert!(d[1].message.contains("protocol `tpc`"), "{}", d[1].message);
    }

    #[test]
    fn fires_through_variables() {
        let d = assert_fires(&InvalidPort, "FROM nginx\nARG PORT=99999\nEXPOSE $PORT\n");
        assert!(d[0].message.contains("`$PORT` (= `99999`)"), "{}", d[0].message);
    }

    #[test]
    fn passes_on_valid_ports_ranges_and_unresolved_variables() {
        assert_passes(
            &InvalidPort,
            "FROM nginx\nEXPOSE 0 80 443/tcp 53/udp 53/UDP 8000-8010 9000-9001/tcp 65535 $PORT 7000/\n",
        );
        assert_passes(&InvalidPort, "FROM nginx\nENV PORTS=\"80 443\"\nEXPOSE $PORTS\n");
    }

    #[test]
    fn problems() {
        assert!(port_problem("http").is_some_and(|p| p.contains("not a port number")));
        assert!(port_problem("9000-8000").is_some_and(|p| p.contains("ends before")));
        assert!(port_problem("8000-70000").is_some_and(|p| p.contains("`70000`")));
        assert_eq!(port_problem("127.0.0.1:8080:80/tcp"), None);
        assert_eq!(port_problem("-1").map(|p| p.contains("not a port number")), Some(true));
    }
}
