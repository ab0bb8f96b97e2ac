//! Reading images for `scan` and `sbom`: options from flags, and a progress bar on a terminal.

use std::io::IsTerminal;

use caulk_image::source::Progress;
use caulk_image::source::registry::RegistryOptions;
use caulk_image::{Image, ImageRef, Platform, ReadOptions, read_image};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

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

/// Reads images with the flags' platform and registry settings. Progress bars (one per image,
/// stacked) are drawn only when standard error is a terminal and `--no-progress` is absent.
pub(crate) struct Reader<'a> {
    opts: &'a ImageOpts,
    bars: Option<MultiProgress>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(opts: &'a ImageOpts) -> Self {
        let bars = (!opts.no_progress && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Self { opts, bars }
    }

    /// Reads one image; safe to call from several threads.
    pub(crate) fn read(&self, reference: &str) -> Result<Image, caulk_image::SourceError> {
        let platform = self.opts.platform.as_deref().map(Platform::parse).transpose()?;
        if self.opts.offline && matches!(ImageRef::parse(reference), ImageRef::Registry(_)) {
            return Err(caulk_image::SourceError::Usage(format!(
                "`{reference}` is a registry reference and --offline forbids pulling it; \
                 scan a `docker save` archive, an OCI layout or `docker-daemon:` instead"
            )));
        }
        let bar = self.bars.as_ref().map(|multi| {
            let pb = multi.add(ProgressBar::new(0));
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
            registry: RegistryOptions { insecure: self.opts.insecure_registry.clone(), ..RegistryOptions::default() },
            progress: bar.as_ref().map(|b| b as &dyn Progress),
            ..ReadOptions::default()
        };
        let result = read_image(reference, &options);
        if let Some(b) = bar {
            b.0.finish_and_clear();
        }
        result
    }
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
