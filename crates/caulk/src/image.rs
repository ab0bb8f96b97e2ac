//! Reading images for `scan` and `sbom`: options from flags, and a progress bar on a terminal.

use std::io::IsTerminal;

use caulk_image::source::Progress;
use caulk_image::source::registry::RegistryOptions;
use caulk_image::{Image, Platform, ReadOptions, read_image};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ImageOpts;

/// A byte-counting progress bar on standard error.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn add_total(&self, bytes: u64) {
        self.0.inc_length(bytes);
    }

    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
}

/// Reads one image with the flags' platform and registry settings. The progress bar is drawn only
/// when standard error is a terminal and `--no-progress` is absent.
pub(crate) fn read(reference: &str, opts: &ImageOpts) -> Result<Image, caulk_image::SourceError> {
    let platform = opts.platform.as_deref().map(Platform::parse).transpose()?;
    let bar = (!opts.no_progress && std::io::stderr().is_terminal()).then(|| {
        let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_message(short(reference));
        Bar(pb)
    });
    let options = ReadOptions {
        platform,
        registry: RegistryOptions { insecure: opts.insecure_registry.clone(), ..RegistryOptions::default() },
        progress: bar.as_ref().map(|b| b as &dyn Progress),
        ..ReadOptions::default()
    };
    let result = read_image(reference, &options);
    if let Some(b) = bar {
        b.0.finish_and_clear();
    }
    result
}

fn short(reference: &str) -> String {
    let name = reference.rsplit('/').next().unwrap_or(reference);
    if name.chars().count() > 40 {
        format!("{}…", name.chars().take(39).collect::<String>())
    } else {
        name.to_owned()
    }
}

/// `os/arch[/variant]` from the configuration.
pub(crate) fn platform(image: &Image) -> Option<String> {
    let c = &image.config;
    if c.os.is_empty() || c.architecture.is_empty() {
        return None;
    }
    Some(match &c.variant {
        Some(v) => format!("{}/{}/{v}", c.os, c.architecture),
        None => format!("{}/{}", c.os, c.architecture),
    })
}
