//! `caulk db update`: downloads osv.dev's per-ecosystem exports (or a mirror's) with a progress
//! bar and swaps the rebuilt store in only when every download and import succeeded.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;

use anyhow::Result;
use caulk_vuln::Store;
use caulk_vuln::update::{UpdateOptions, UpdateProgress, default_ecosystems, update};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::DbUpdateArgs;
use crate::{config, db, output};

/// One byte-counting bar at a time, redrawn per ecosystem; nothing when stderr is not a terminal.
struct Bars {
    current: Mutex<Option<ProgressBar>>,
    enabled: bool,
}

impl Bars {
    fn take(&self) -> Option<ProgressBar> {
        self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

impl UpdateProgress for Bars {
    fn start(&self, ecosystem: &str, total: Option<u64>, resumed_from: u64) {
        if !self.enabled {
            return;
        }
        if let Some(old) = self.take() {
            old.finish_and_clear();
        }
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:<14} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(ecosystem.to_owned());
        bar.set_position(resumed_from);
        *self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bar);
    }

    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref() {
            bar.inc(bytes);
        }
    }

    fn finish(&self, _ecosystem: &str, _not_modified: bool) {
        if let Some(bar) = self.take() {
            bar.finish_and_clear();
        }
    }

    fn importing(&self, ecosystem: &str) {
        if self.enabled {
            output::info(&format!("importing {ecosystem}…"));
        }
    }
}

pub(crate) fn run(store_path: &Path, args: &DbUpdateArgs) -> Result<u8> {
    let loaded = config::load(args.config.as_deref(), Path::new("."))?;
    let db_config = loaded.caulk.as_ref().map(|(_, c)| &c.db);
    let mut options = UpdateOptions::new(store_path.to_owned());
    if let Some(base) = args.base_url.clone().or_else(|| db_config.and_then(|c| c.base_url.clone())) {
        options.base_url = base;
    }
    options.ecosystems = if !args.ecosystem.is_empty() {
        args.ecosystem.clone()
    } else if let Some(c) = db_config.filter(|c| !c.ecosystems.is_empty()) {
        c.ecosystems.clone()
    } else {
        previously_downloaded(store_path, &options.base_url).unwrap_or_else(default_ecosystems)
    };
    let bars = Bars { current: Mutex::new(None), enabled: !args.no_progress && std::io::stderr().is_terminal() };
    let report = update(&options, &bars)?;
    for e in &report.ecosystems {
        let what = if e.not_modified {
            format!("{} (not modified since the last update)", e.url)
        } else if let Some(from) = e.resumed_from {
            format!("{} (resumed at byte {from})", e.url)
        } else {
            e.url.clone()
        };
        output::info(&db::describe_import(&what, &e.import));
    }
    output::info(&format!("advisory store: {}", report.store_path.display()));
    Ok(0)
}

/// The ecosystems an earlier update fetched from `base` (sources whose location is
/// `{base}/{ecosystem}/all.zip`), so a plain `caulk db update` refreshes what the user chose.
fn previously_downloaded(store_path: &Path, base: &str) -> Option<Vec<String>> {
    let store = Store::open(store_path).ok()??;
    let status = store.status().ok()?;
    let prefix = format!("{}/", base.trim_end_matches('/'));
    let mut names: Vec<String> = status
        .sources
        .iter()
        .filter_map(|s| s.location.strip_prefix(&prefix)?.strip_suffix("/all.zip").map(percent_decode))
        .collect();
    names.sort();
    names.dedup();
    (!names.is_empty()).then_some(names)
}

/// Undoes the `%XX` escapes of an ecosystem in a URL path (`Rocky%20Linux`).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_escaped_ecosystems() {
        assert_eq!(percent_decode("Rocky%20Linux"), "Rocky Linux");
        assert_eq!(percent_decode("crates.io"), "crates.io");
        assert_eq!(percent_decode("bad%2"), "bad%2");
    }
}
