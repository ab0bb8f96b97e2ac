//! Writing the rewritten Dockerfile: lines, exec-form JSON, and the pieces every tier shares
//! (environment, ports, health checks, the program's command).

use super::detect::App;

/// Health check timing shared by every tier.
const HEALTH_TIMING: &str = "--interval=30s --timeout=5s --start-period=15s --retries=3";

/// A Dockerfile being written, line by line.
#[derive(Debug, Default)]
pub(crate) struct Out {
    lines: Vec<String>,
}

impl Out {
    pub(crate) fn line(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
    }

    /// A blank line, unless the last one already is.
    pub(crate) fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// A `# caulk:` comment the user should read, wrapped at 100 columns.
    pub(crate) fn caulk(&mut self, text: &str) {
        let mut line = "# caulk:".to_owned();
        for word in text.split_whitespace() {
            if line.len() + 1 + word.len() > 100 && line.len() > 9 {
                self.lines.push(std::mem::replace(&mut line, "#       ".to_owned()));
            }
            line.push(' ');
            line.push_str(word);
        }
        self.lines.push(line);
    }

    pub(crate) fn finish(mut self) -> String {
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }

    /// `ENV` with `pairs`, one per line.
    pub(crate) fn env(&mut self, pairs: &[(String, String)]) {
        if pairs.is_empty() {
            return;
        }
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.line(format!("ENV {}", body.join(" \\\n    ")));
    }

    /// The original's labels, volumes and stop signal.
    pub(crate) fn metadata(&mut self, app: &App) {
        if !app.labels.is_empty() {
            let body: Vec<String> = app.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            self.line(format!("LABEL {}", body.join(" \\\n      ")));
        }
        if !app.volumes.is_empty() {
            self.line(format!("VOLUME {}", exec(&app.volumes)));
        }
        if let Some(s) = &app.stop_signal {
            self.line(format!("STOPSIGNAL {s}"));
        }
    }

    pub(crate) fn expose(&mut self, app: &App) {
        if !app.ports.is_empty() {
            self.line(format!("EXPOSE {}", app.ports.join(" ")));
        }
    }

    /// `HEALTHCHECK … CMD [probe]` for a probe that fetches `url`, with a comment when the URL is a guess.
    pub(crate) fn healthcheck(&mut self, probe: &[String], guess: Option<&str>) {
        if let Some(g) = guess {
            self.caulk(g);
        }
        self.line(format!("HEALTHCHECK {HEALTH_TIMING} \\\n    CMD {}", exec(probe)));
    }

    /// `HEALTHCHECK NONE`, explained.
    pub(crate) fn no_healthcheck(&mut self, why: &str) {
        self.caulk(why);
        self.line("HEALTHCHECK NONE");
    }

    /// ENTRYPOINT (when non-empty) and CMD (when non-empty), in exec form.
    pub(crate) fn command(&mut self, entrypoint: &[String], cmd: &[String]) {
        if !entrypoint.is_empty() {
            self.line(format!("ENTRYPOINT {}", exec(entrypoint)));
        }
        if !cmd.is_empty() {
            self.line(format!("CMD {}", exec(cmd)));
        }
    }
}

/// `["a", "b"]` with JSON escapes.
/// `word` as one POSIX shell word: as it is when it holds nothing the shell would interpret,
/// else single-quoted (`wheel<0.46` unquoted would redirect standard input).
pub(crate) fn shell_word(word: &str) -> String {
    let plain = !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-+=/:@,%^".contains(&b));
    if plain { word.to_owned() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

pub(crate) fn exec(words: &[String]) -> String {
    let quoted: Vec<String> =
        words.iter().map(|w| serde_json::to_string(w).unwrap_or_else(|_| format!("\"{w}\""))).collect();
    format!("[{}]", quoted.join(", "))
}

/// Owned words from string slices.
pub(crate) fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The URL a health check probes, and a note when caulk had to guess part of it.
pub(crate) fn health_url(app: &App, default_port: u16) -> (String, Option<String>) {
    let (port, port_known) = match app.port() {
        Some(p) => (p, true),
        None => (default_port, false),
    };
    let path = app.health_path.clone().unwrap_or_else(|| "/".to_owned());
    let url = format!("http://127.0.0.1:{port}{path}");
    let guess = match (port_known, app.health_path.is_some()) {
        (true, true) => None,
        (true, false) => Some(format!(
            "no health endpoint found in the sources; this probes `{path}` on port {port}: point it at one that checks the service"
        )),
        (false, true) => {
            Some(format!("no port is EXPOSEd; this probes port {port}: change it to the port the program listens on"))
        }
        (false, false) => Some(format!(
            "no port is EXPOSEd and no health endpoint found; this probes `{url}`: change it to the program's port and health endpoint"
        )),
    };
    (url, guess)
}

/// A Python one-liner that fails when `url` does not answer with a success status.
pub(crate) fn python_probe(python: &str, url: &str) -> Vec<String> {
    vec![
        python.to_owned(),
        "-c".to_owned(),
        format!("import urllib.request; urllib.request.urlopen('{url}', timeout=4)"),
    ]
}

/// A Node.js one-liner that fails when `url` does not answer with a success status.
pub(crate) fn node_probe(node: &str, url: &str) -> Vec<String> {
    vec![
        node.to_owned(),
        "-e".to_owned(),
        format!(
            "require('http').get('{url}', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))"
        ),
    ]
}

/// BusyBox `wget` (present on Alpine) asking for `url` without downloading it.
pub(crate) fn wget_probe(url: &str) -> Vec<String> {
    words(&["wget", "-q", "--spider", url])
}
