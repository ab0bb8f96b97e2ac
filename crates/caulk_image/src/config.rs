//! The image configuration (Docker and OCI share its shape): runtime settings, layer digests and
//! the history that tells which instruction made each layer.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The parts of an image configuration caulk reads. Unknown fields are ignored.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ImageConfig {
    pub architecture: String,
    pub os: String,
    pub variant: Option<String>,
    pub created: Option<String>,
    pub config: RuntimeConfig,
    pub rootfs: RootFs,
    pub history: Vec<History>,
}

/// What a container gets when it starts.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RuntimeConfig {
    pub user: Option<String>,
    pub env: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    pub volumes: Option<BTreeMap<String, serde_json::Value>>,
    pub working_dir: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
    pub stop_signal: Option<String>,
    pub healthcheck: Option<Healthcheck>,
    pub shell: Option<Vec<String>>,
}

/// `HEALTHCHECK` as stored: `["NONE"]` disables an inherited one.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Healthcheck {
    pub test: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RootFs {
    #[serde(rename = "type")]
    pub kind: String,
    pub diff_ids: Vec<String>,
}

/// One build step. Steps with `empty_layer` made no layer (ENV, CMD, …).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct History {
    pub created: Option<String>,
    pub created_by: Option<String>,
    pub comment: Option<String>,
    pub empty_layer: bool,
}

impl ImageConfig {
    /// Parses a configuration document; `Err` carries serde's position.
    pub fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// `Env` as (name, value) pairs.
    pub fn env(&self) -> impl Iterator<Item = (&str, &str)> {
        self.config.env.iter().flatten().map(|e| e.split_once('=').unwrap_or((e.as_str(), "")))
    }

    /// The history entry that created each layer, in layer order (history steps with
    /// `empty_layer` made no layer).
    pub fn layer_history(&self) -> Vec<Option<&History>> {
        let mut out: Vec<Option<&History>> = self.history.iter().filter(|h| !h.empty_layer).map(Some).collect();
        let layers = self.rootfs.diff_ids.len().max(out.len());
        out.resize(layers, None);
        out
    }

    /// How many of the first layers belong to the base image, guessed like Trivy does: base
    /// images end with `CMD`/`ENTRYPOINT`, so the last such history step that is followed by
    /// more layers marks the end of the base. `0` when there is no such step.
    pub fn base_layer_count(&self) -> usize {
        let mut layers_before = 0usize;
        let mut base = 0usize;
        let total_layers = self.history.iter().filter(|h| !h.empty_layer).count();
        for h in &self.history {
            if h.empty_layer {
                let by = h.created_by.as_deref().unwrap_or("");
                let is_end = by.contains("#(nop) CMD")
                    || by.contains("#(nop)  CMD")
                    || by.contains("#(nop) ENTRYPOINT")
                    || by.contains("#(nop)  ENTRYPOINT")
                    || by.starts_with("CMD ")
                    || by.starts_with("ENTRYPOINT ");
                if is_end && layers_before < total_layers && layers_before > 0 {
                    base = layers_before;
                }
            } else {
                layers_before += 1;
            }
        }
        base
    }
}

/// Cleans a history `created_by` for display: drops the `/bin/sh -c #(nop) ` noise.
pub fn instruction_text(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_prefix("/bin/sh -c #(nop) ").map_or(s, str::trim_start);
    let s = match s.strip_prefix("/bin/sh -c ") {
        Some(rest) => return format!("RUN {}", rest.trim()),
        None => s,
    };
    s.trim_end_matches(" # buildkit").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(by: &str, empty: bool) -> History {
        History { created_by: Some(by.into()), empty_layer: empty, ..History::default() }
    }

    #[test]
    fn base_layers_end_at_the_last_inherited_cmd() {
        let cfg = ImageConfig {
            history: vec![
                h("/bin/sh -c #(nop) ADD file:abc in / ", false),
                h("/bin/sh -c #(nop)  CMD [\"bash\"]", true),
                h("RUN /bin/sh -c apt-get update # buildkit", false),
                h("CMD [\"python\"]", true),
            ],
            ..ImageConfig::default()
        };
        assert_eq!(cfg.base_layer_count(), 1);
        assert_eq!(instruction_text("/bin/sh -c #(nop)  CMD [\"bash\"]"), "CMD [\"bash\"]");
        assert_eq!(instruction_text("/bin/sh -c apt-get update"), "RUN apt-get update");
        assert_eq!(instruction_text("RUN /bin/sh -c apt-get update # buildkit"), "RUN /bin/sh -c apt-get update");
    }

    #[test]
    fn a_lone_base_image_has_no_base_layers() {
        let cfg =
            ImageConfig { history: vec![h("ADD rootfs", false), h("CMD [\"sh\"]", true)], ..ImageConfig::default() };
        assert_eq!(cfg.base_layer_count(), 0);
    }
}
