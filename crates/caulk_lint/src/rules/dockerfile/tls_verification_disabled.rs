//! DF505: TLS certificate verification disabled.

use caulk_core::TextRange;
use caulk_syntax::dockerfile::{Body, Keyword};
use caulk_syntax::shell::{Command, Word, basename};

use crate::checker::Checker;
use crate::rule::DockerfileRule;

/// curl's short options that take a value: in a cluster like `-sSo`, letters after one of these
/// belong to the value.
const CURL_SHORT_VALUE: &str = "dHXuAebcCEFmorTwxyYzKDUQPt";

/// Programs whose arguments may write a TLS setting into a configuration file or pass one on.
const CONFIG_WRITERS: &[&str] = &[
    "echo",
    "printf",
    "sed",
    "yum",
    "dnf",
    "microdnf",
    "tdnf",
    "yum-config-manager",
    "zypper",
    "apt-get",
    "apt",
    "mvn",
    "mvnw",
    "crudini",
];

const HELP: &str = "remove it; if the server uses a private CA, install the CA certificate in the image \
(`COPY ca.crt /usr/local/share/ca-certificates/` + `update-ca-certificates`) or point the tool at it \
(`curl --cacert`, `PIP_CERT`, `NODE_EXTRA_CA_CERTS`, `GIT_SSL_CAINFO`)";

declare_rule! {
    /// ## What it does
    /// Checks for settings that turn off TLS certificate verification, in `RUN` (and shell-form
    /// `CMD`, `ENTRYPOINT`, `HEALTHCHECK`) commands and in `ENV`/`ARG`:
    /// - `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip install --trusted-host`,
    ///   `uv --allow-insecure-host`, `--insecure-skip-tls-verify` (kubectl, helm),
    ///   `--tls-verify=false` (podman, skopeo, buildah), `go get -insecure`;
    /// - `git config http.sslVerify false` and `git -c http.sslVerify=false`, `npm`/`yarn`/`pnpm`
    ///   `config set strict-ssl false`, `conda config --set ssl_verify false`, `composer config
    ///   disable-tls true`;
    /// - `sslverify=0` for yum/dnf (`--setopt` or written into a repo file), apt's
    ///   `Acquire::https::Verify-Peer "false"`, `strict-ssl=false` written to `.npmrc`, Maven's
    ///   `-Dmaven.wagon.http.ssl.insecure=true`;
    /// - the environment variables `NODE_TLS_REJECT_UNAUTHORIZED=0`, `GIT_SSL_NO_VERIFY`,
    ///   `PYTHONHTTPSVERIFY=0`, `NPM_CONFIG_STRICT_SSL=false`, `YARN_ENABLE_STRICT_SSL=false`,
    ///   `PIP_TRUSTED_HOST`, `UV_INSECURE_HOST`, `GOINSECURE`, `BUNDLE_SSL_VERIFY_MODE=0`,
    ///   `CONDA_SSL_VERIFY=false`, set with `ENV`, `ARG` or in a command.
    ///
    /// ## Why is this bad?
    /// Without certificate verification anyone on the network path (a proxy, a compromised
    /// Wi-Fi, a hijacked DNS entry) can serve their own packages, scripts or binaries, and the
    /// build runs them. In `ENV`, the setting also ships in the image and weakens every
    /// connection the application makes at run time.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSLk https://internal.example.com/tool -o /usr/local/bin/tool
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
    /// RUN update-ca-certificates \
    ///  && curl -fsSL https://internal.example.com/tool -o /usr/local/bin/tool
    /// ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt
    /// ```
    ///
    /// ## References
    /// - Checkov CKV2_DOCKER_2 (curl), CKV2_DOCKER_3 (wget), CKV2_DOCKER_4 (pip),
    ///   CKV2_DOCKER_5 (`PYTHONHTTPSVERIFY`), CKV2_DOCKER_6 (`NODE_TLS_REJECT_UNAUTHORIZED`),
    ///   CKV2_DOCKER_12 (`NPM_CONFIG_STRICT_SSL`), CKV2_DOCKER_13 (npm/yarn `strict-ssl`),
    ///   CKV2_DOCKER_14 (`GIT_SSL_NO_VERIFY`), CKV2_DOCKER_15 (yum/dnf `sslverify`),
    ///   CKV2_DOCKER_16 (`PIP_TRUSTED_HOST`)
    /// - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    pub(crate) struct TlsVerificationDisabled {
        code: "DF505",
        name: "tls-verification-disabled",
        summary: "TLS certificate verification disabled",
        severity: High,
        fix: None,
        aliases: ["CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6", "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16"],
    }
}

/// One finding: where, and the message.
struct Finding {
    range: TextRange,
    message: String,
}

impl DockerfileRule for TlsVerificationDisabled {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut findings: Vec<Finding> = Vec::new();
        for (i, inst) in cx.instructions() {
            match (&inst.body, inst.keyword) {
                (Body::Pairs(pairs), Keyword::Env | Keyword::Arg) => {
                    for kv in pairs {
                        let Some(raw) = &kv.value else { continue };
                        let expanded = cx.model.expand(cx.df, i, &raw.value);
                        if !expanded.is_resolved() {
                            continue;
                        }
                        let key = &kv.key.value;
                        if let Some(tool) = insecure_env(key, &expanded.value) {
                            let kw = inst.keyword.as_str();
                            findings.push(Finding {
                                range: kv.range,
                                message: format!(
                                    "{kw} `{key}={}` disables TLS certificate verification for {tool}",
                                    expanded.value.trim()
                                ),
                            });
                        }
                    }
                }
                _ => {
                    for cmd in cx.commands(i) {
                        check_command(cmd, &mut findings);
                    }
                }
            }
        }
        findings.sort_by_key(|f| (f.range.start, f.range.end));
        findings.dedup_by_key(|f| f.range);
        for f in findings {
            cx.report(f.range, f.message).set_help(HELP);
        }
    }
}

/// The tool whose TLS verification `key=value` turns off, if it does.
fn insecure_env(key: &str, value: &str) -> Option<&'static str> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    match key.to_ascii_uppercase().as_str() {
        "NODE_TLS_REJECT_UNAUTHORIZED" if v == "0" => Some("Node.js"),
        // git only checks that the variable is set
        "GIT_SSL_NO_VERIFY" if !v.is_empty() => Some("git"),
        "PYTHONHTTPSVERIFY" if v == "0" => Some("Python's `urllib`"),
        "NPM_CONFIG_STRICT_SSL" if lower == "false" => Some("npm"),
        "YARN_STRICT_SSL" | "YARN_ENABLE_STRICT_SSL" if lower == "false" => Some("yarn"),
        "PIP_TRUSTED_HOST" if !v.is_empty() => Some("pip"),
        "UV_INSECURE_HOST" if !v.is_empty() => Some("uv"),
        "GOINSECURE" if !v.is_empty() => Some("the go command"),
        "GOFLAGS" if v.split_whitespace().any(|f| f == "-insecure" || f == "--insecure") => Some("the go command"),
        "BUNDLE_SSL_VERIFY_MODE" if v == "0" => Some("Bundler"),
        "CONDA_SSL_VERIFY" if is_false(&lower) => Some("conda"),
        _ => None,
    }
}

fn is_false(v: &str) -> bool {
    matches!(v.trim_matches(['"', '\'', ';', ' ']).to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off")
}

fn is_true(v: &str) -> bool {
    matches!(v.trim_matches(['"', '\'', ';', ' ']).to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}

fn push(findings: &mut Vec<Finding>, range: TextRange, message: String) {
    findings.push(Finding { range, message });
}

/// Finds the settings of one shell command that disable verification.
fn check_command(cmd: &Command, findings: &mut Vec<Finding>) {
    // environment assignments: `X=1 cmd`, `env X=1 cmd`, `export X=1`
    let program_index = cmd.program_index().unwrap_or(cmd.words.len());
    let declares = cmd
        .words
        .first()
        .is_some_and(|w| matches!(w.value.as_str(), "export" | "declare" | "typeset" | "readonly" | "local"));
    let env_words = cmd
        .assignments
        .iter()
        .chain(cmd.words.iter().take(program_index))
        .chain(cmd.words.iter().skip(1).filter(|_| declares));
    for w in env_words {
        let Some((k, v)) = w.value.split_once('=') else { continue };
        if w.has_expansion {
            continue;
        }
        if let Some(tool) = insecure_env(k, v) {
            push(findings, w.range, format!("`{}` disables TLS certificate verification for {tool}", w.value));
        }
    }
    let Some(program) = cmd.program() else { return };
    let program = basename(program);
    let args = cmd.args();
    match program {
        "curl" => {
            if let Some(w) = curl_insecure(args) {
                push(findings, w.range, format!("`curl {}` skips TLS certificate verification", w.value));
            }
        }
        "git" => key_value(args, findings, program, |k| k.starts_with("http.") && k.ends_with(".sslverify"), is_false),
        "npm" | "pnpm" | "yarn" => {
            key_value(
                args,
                findings,
                program,
                |k| matches!(k, "strict-ssl" | "--strict-ssl" | "enablestrictssl"),
                is_false,
            );
            for w in args.iter().filter(|w| w.value == "--no-strict-ssl") {
                push(findings, w.range, format!("`{program} --no-strict-ssl` skips TLS certificate verification"));
            }
        }
        "conda" | "mamba" | "micromamba" => key_value(args, findings, program, |k| k == "ssl_verify", is_false),
        "composer" => key_value(args, findings, program, |k| k == "disable-tls", is_true),
        "go" => {
            for w in args.iter().filter(|w| w.value == "-insecure") {
                push(findings, w.range, "`go -insecure` fetches modules without TLS verification".to_owned());
            }
        }
        _ => {}
    }
    // `python -m pip …` is pip
    let tool = if args.windows(2).any(|p| matches!(p, [m, pip] if m.value == "-m" && pip.value == "pip")) {
        "pip"
    } else {
        program
    };
    for (n, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        let flag = v.split_once('=').map_or(v, |(f, _)| f);
        let value = v.split_once('=').map(|(_, x)| x);
        match flag {
            "--trusted-host" | "--allow-insecure-host" => {
                // the host is the inline value or the next word
                let (host, range) = match (value, args.get(n + 1)) {
                    (Some(h), _) => (h.to_owned(), w.range),
                    (None, Some(next)) => (next.value.clone(), w.range.cover(next.range)),
                    (None, None) => continue,
                };
                push(
                    findings,
                    range,
                    format!("`{tool} {flag} {host}` accepts any certificate (or plain HTTP) from `{host}`"),
                );
            }
            "--no-check-certificate"
            | "--insecure-skip-tls-verify"
            | "--tls-verify"
            | "--src-tls-verify"
            | "--dest-tls-verify"
            | "--check-certificate"
                if disables_verification(flag, value) =>
            {
                push(findings, w.range, format!("`{tool} {v}` skips TLS certificate verification"));
            }
            _ => {}
        }
    }
    if CONFIG_WRITERS.contains(&program) {
        for (n, w) in cmd.words.iter().enumerate() {
            if w.has_expansion && !w.value.contains('=') {
                continue;
            }
            let text = if program == "sed" { sed_replacement(&w.value) } else { Some(w.value.as_str()) };
            let next = cmd.words.get(n + 1).map(|x| x.value.as_str());
            if let Some(setting) = text.and_then(|t| insecure_setting(t, next)) {
                push(findings, w.range, format!("`{setting}` turns off TLS certificate verification"));
            }
        }
    }
}

/// curl's long options that take a value (the common ones): their value is not an option.
const CURL_LONG_VALUE: &[&str] = &[
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--header",
    "--output",
    "--user",
    "--url",
    "--cacert",
    "--capath",
    "--cert",
    "--key",
    "--form",
    "--request",
    "--user-agent",
    "--referer",
    "--cookie",
    "--config",
    "--proxy",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "--write-out",
    "--upload-file",
    "--range",
    "--resolve",
    "--json",
];

/// Whether a verification flag with its inline value (`--tls-verify=false`) turns checks off.
fn disables_verification(flag: &str, value: Option<&str>) -> bool {
    match flag {
        "--no-check-certificate" => true,
        "--insecure-skip-tls-verify" => value.is_none_or(is_true),
        _ => value.is_some_and(is_false),
    }
}

/// The first `-k`/`--insecure`/`--proxy-insecure` among curl's arguments, values of other
/// options skipped.
fn curl_insecure(args: &[Word]) -> Option<&Word> {
    let mut skip = false;
    for w in args {
        let v = w.value.as_str();
        if std::mem::take(&mut skip) {
            continue;
        }
        if v == "--" {
            return None;
        }
        if let Some(long) = v.strip_prefix("--") {
            if matches!(long, "insecure" | "proxy-insecure") {
                return Some(w);
            }
            skip = CURL_LONG_VALUE.contains(&v);
            continue;
        }
        let Some(cluster) = v.strip_prefix('-') else { continue };
        if cluster.is_empty() || !cluster.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        // letters after an option that takes a value are that value
        let flags: String = cluster.chars().take_while(|c| !CURL_SHORT_VALUE.contains(*c)).collect();
        if flags.contains('k') {
            return Some(w);
        }
        // `-o file`: the option ends the cluster, its value is the next word
        skip = flags.len() + 1 == cluster.len();
    }
    None
}

/// `<key> <value>` or `<key>=<value>` pairs (`git config http.sslVerify false`,
/// `npm config set strict-ssl=false`) where the key matches and the value disables verification.
fn key_value(
    args: &[Word],
    findings: &mut Vec<Finding>,
    program: &str,
    key: impl Fn(&str) -> bool,
    bad: impl Fn(&str) -> bool,
) {
    for (n, w) in args.iter().enumerate() {
        let lower = w.value.to_ascii_lowercase();
        let (k, inline) = match lower.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (lower.clone(), None),
        };
        if !key(&k) {
            continue;
        }
        let (value, range) = match inline {
            Some(v) => (v, w.range),
            None => match args.get(n + 1) {
                Some(next) => (next.value.clone(), w.range.cover(next.range)),
                None => continue,
            },
        };
        if bad(&value) {
            push(
                findings,
                range,
                format!(
                    "`{program} … {} {}` turns off TLS certificate verification",
                    w.value.split('=').next().unwrap_or(&w.value),
                    value.trim()
                ),
            );
        }
    }
}

/// The replacement text of a sed `s` command (`s/a/b/g` → `b`): what sed writes.
fn sed_replacement(expr: &str) -> Option<&str> {
    let rest = expr.strip_prefix('s')?;
    let delim = rest.chars().next()?;
    if delim.is_alphanumeric() || delim.is_whitespace() {
        return None;
    }
    let mut parts = rest.get(delim.len_utf8()..)?.split(delim);
    parts.next()?;
    parts.next()
}

/// A TLS-disabling setting written in configuration syntax inside `text`, given the word after it.
fn insecure_setting(text: &str, next: Option<&str>) -> Option<String> {
    let norm: String =
        text.chars().filter(|c| !matches!(c, ' ' | '\t' | '"' | '\'')).collect::<String>().to_ascii_lowercase();
    let value_after = |key: &str| -> Option<String> {
        let at = norm.find(key)? + key.len();
        let rest = norm.get(at..).unwrap_or("");
        let rest = rest.strip_prefix(['=', ':']).unwrap_or(rest);
        let v: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect();
        if v.is_empty() { next.map(str::to_ascii_lowercase) } else { Some(v) }
    };
    for key in ["sslverify", "ssl_verify", "strict-ssl", "check_certificate", "verify-peer", "verify-host"] {
        if norm.contains(key) && value_after(key).as_deref().is_some_and(is_false) {
            return Some(match key {
                "verify-peer" | "verify-host" => format!(
                    "Acquire::https::{}",
                    if key == "verify-peer" { "Verify-Peer false" } else { "Verify-Host false" }
                ),
                k => format!("{k}={}", value_after(k).unwrap_or_default()),
            });
        }
    }
    for key in ["ssl.insecure", "ssl.allowall"] {
        if norm.contains(key) && value_after(key).as_deref().is_some_and(is_true) {
            return Some(format!("maven.wagon.http.{key}=true"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::{TlsVerificationDisabled, insecure_setting, sed_replacement};

    #[test]
    fn fires_on_download_tools() {
        let text = "FROM alpine\nRUN curl -fsSLk https://x | tar x && wget --no-check-certificate https://y\n\
                    RUN pip install --trusted-host pypi.example.com flask && python -m pip install --trusted-host=h x\n";
        let d = assert_fires(&TlsVerificationDisabled, text);
        assert_eq!(d.len(), 4, "{:#?}", d.iter().map(|d| &d.message).collect::<Vec<_>>());
        assert!(d[0].message.contains("`curl -fsSLk`"), "{}", d[0].message);
        assert_eq!(d[0].range.slice(text), "-fsSLk");
        assert!(d[1].message.contains("--no-check-certificate"), "{}", d[1].message);
        assert!(
            d[2].message.contains("`pip --trusted-host pypi.example.com` accepts any certificate"),
            "{}",
            d[2].message
        );
        assert_eq!(d[2].range.slice(text), "--trusted-host pypi.example.com");
        assert!(d[3].message.contains("`pip --trusted-host h`"), "{}", d[3].message);
    }

    #[test]
    fn fires_on_tls_verify_flags() {
        let text = "FROM alpine\nRUN helm repo add --insecure-skip-tls-verify x https://x && skopeo copy --src-tls-verify=false a b\n";
        let d = assert_fires(&TlsVerificationDisabled, text);
        assert_eq!(d.len(), 2);
        assert!(d[1].message.contains("`skopeo --src-tls-verify=false`"), "{}", d[1].message);
    }

    #[test]
    fn fires_on_config_commands() {
        let text = "FROM node:22\nRUN git config --global http.sslVerify false && npm config set strict-ssl false \
                    && yarn config set strict-ssl=false && git -c http.sslVerify=false clone https://x\n\
                    RUN dnf install -y --setopt=sslverify=0 x && echo 'sslverify = false' >> /etc/yum.conf\n\
                    RUN echo 'Acquire::https::Verify-Peer \"false\";' > /etc/apt/apt.conf.d/99insecure\n";
        let d = assert_fires(&TlsVerificationDisabled, text);
        assert_eq!(d.len(), 7, "{:#?}", d.iter().map(|d| &d.message).collect::<Vec<_>>());
        assert_eq!(d[0].range.slice(text), "http.sslVerify false");
    }

    #[test]
    fn fires_on_environment() {
        let text = "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 PYTHONHTTPSVERIFY=0\nARG GIT_SSL_NO_VERIFY=1\n\
                    RUN GIT_SSL_NO_VERIFY=true git clone x && export NPM_CONFIG_STRICT_SSL=false\nENV PIP_TRUSTED_HOST=\"pypi.org files.pythonhosted.org\"\n";
        let d = assert_fires(&TlsVerificationDisabled, text);
        assert_eq!(d.len(), 6, "{:#?}", d.iter().map(|d| &d.message).collect::<Vec<_>>());
        assert!(
            d[0].message.contains("ENV `NODE_TLS_REJECT_UNAUTHORIZED=0`") && d[0].message.contains("Node.js"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn passes_on_verified_and_unrelated() {
        assert_passes(
            &TlsVerificationDisabled,
            "FROM node:22\nRUN curl -fsSL -o /x https://x && curl -XPOST -H 'k: v' https://y && wget -q https://z\n\
             RUN git config --global http.sslVerify true && npm config set strict-ssl true && pip install --cert /ca.pem x\n\
             RUN sed -i 's/sslverify=0/sslverify=1/' /etc/yum.conf && grep sslverify=0 /etc/yum.conf || true\n\
             ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 PIP_TRUSTED_HOST= NODE_EXTRA_CA_CERTS=/ca.pem\n\
             ENV X=$NODE_TLS_REJECT_UNAUTHORIZED\nRUN curl --cacert /ca.pem https://x -d '-k'\n\
             RUN kubectl --insecure-skip-tls-verify=false get pods && skopeo copy --src-tls-verify=true a b\n",
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(sed_replacement("s|a|b|g"), Some("b"));
        assert_eq!(sed_replacement("/x/d"), None);
        assert!(insecure_setting("check_certificate = off", None).is_some());
        assert!(insecure_setting("strict-ssl", Some("false")).is_some());
        assert!(insecure_setting("-Dmaven.wagon.http.ssl.insecure=true", None).is_some());
        assert!(insecure_setting("sslverify=1", None).is_none());
    }
}
