//! IM302: bytes written by one layer and hidden by a later one.

use caulk_core::Severity;

use crate::image::{ImageChecker, ImageRule, human_bytes};

/// Waste above this many bytes, with efficiency below [`EFFICIENCY`], is worth fixing.
const WASTE_BYTES: u64 = 10 << 20;
const EFFICIENCY: f64 = 0.95;

declare_rule! {
    /// ## What it does
    /// Measures, like `dive`, the bytes of files that one layer writes and a later layer
    /// overwrites or deletes: they are still downloaded and stored, but no container sees
    /// them. Reported as low when more than 10 MiB is wasted and the image efficiency
    /// (visible bytes / all bytes) is below 95%, as info when there is some waste below that,
    /// and not at all when nothing is wasted. The finding points at the layer that hides the
    /// most.
    ///
    /// ## Why is this bad?
    /// Deleting a file in a later `RUN` does not make the image smaller: the earlier layer
    /// still carries it (and a secret deleted that way is still in the image). Wasted bytes
    /// cost pull time, registry storage and cold-start latency on every node.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y build-essential
    /// RUN make && apt-get purge -y build-essential && rm -rf /var/lib/apt/lists/*
    /// ```
    /// Use instead: clean up in the same `RUN`, or build in a separate stage:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y build-essential \
    ///  && make && apt-get purge -y build-essential && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - [dive](https://github.com/wagoodman/dive): image efficiency and wasted space
    /// - [Docker docs: multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub(crate) struct WastedSpace {
        code: "IM302",
        name: "image-wasted-space",
        summary: "bytes written by one layer and hidden by a later one",
        severity: Low,
        target: Image,
        fix: None,
        aliases: [],
    }
}

impl ImageRule for WastedSpace {
    fn check(&self, cx: &mut ImageChecker<'_>) {
        let size = cx.image.size;
        if size.wasted == 0 {
            return;
        }
        let worst = cx
            .image
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.wasted_below > 0)
            .max_by_key(|(i, l)| (l.wasted_below, std::cmp::Reverse(*i)))
            .map(|(i, l)| (i as u32, l.wasted_below));
        let which = worst.map_or_else(String::new, |(i, b)| format!("; layer {i} hides the most ({})", human_bytes(b)));
        // rounded down, so an image with any waste never shows 100%
        let efficiency = (size.efficiency * 1000.0).floor() / 10.0;
        let message = format!(
            "{} of files are written by one layer and hidden or deleted by a later one (image efficiency {efficiency:.1}%){which}",
            human_bytes(size.wasted),
        );
        let significant = size.wasted > WASTE_BYTES && size.efficiency < EFFICIENCY;
        let d = cx.report_layer(worst.map(|(i, _)| i), None, message);
        d.set_help("delete files in the same RUN that creates them, or copy only the results out of a build stage");
        if !significant {
            d.severity = Severity::Info;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::test::{TestImage, assert_fires, assert_passes};

    #[test]
    fn low_for_large_waste_info_for_small() {
        let big = TestImage::new()
            .layer("RUN download", |l| l.dir("/opt").sized("/opt/sdk.tar", 12 << 20).sized("/opt/keep", 1 << 20))
            .layer("RUN rm /opt/sdk.tar", |l| l.whiteout("/opt/sdk.tar"));
        let d = assert_fires(&WastedSpace, &big);
        assert_eq!(d[0].severity, Severity::Low);
        assert_eq!(
            d[0].message,
            "12.0 MiB of files are written by one layer and hidden or deleted by a later one (image efficiency 7.6%); layer 1 hides the most (12.0 MiB)"
        );
        assert_eq!(d[0].image.as_deref().and_then(|l| l.layer), Some(1));
        let small =
            TestImage::new().layer("RUN a", |l| l.file("/etc/x", "1234")).layer("RUN b", |l| l.file("/etc/x", "12"));
        assert_eq!(assert_fires(&WastedSpace, &small)[0].severity, Severity::Info);
    }

    #[test]
    fn quiet_without_waste() {
        assert_passes(&WastedSpace, &TestImage::new().layer("COPY app /", |l| l.sized("/app", 1 << 20)));
    }
}
