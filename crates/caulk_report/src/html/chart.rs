//! Inline SVG charts for the HTML reports: plain bars, grouped bars and horizontal bars, drawn
//! with fixed geometry so the same report always gives the same bytes. No script, no fonts.

use std::fmt::Write;

use super::esc;

/// One bar: what it counts, how many, its fill.
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: u64,
    pub(crate) color: &'static str,
}

/// Bars that share an axis label (one image, one severity).
pub(crate) struct Group {
    pub(crate) label: String,
    pub(crate) bars: Vec<Bar>,
}

/// One horizontal bar with its own value text and a tooltip.
pub(crate) struct Row {
    pub(crate) label: String,
    pub(crate) value: u64,
    pub(crate) value_label: String,
    pub(crate) color: &'static str,
    pub(crate) tooltip: String,
}

const AXIS: &str = "#8a8f98";
const INK: &str = "#2b2f36";

/// Formats a coordinate with at most one decimal, so output is byte-stable.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}

#[allow(clippy::cast_precision_loss)]
fn frac(value: u64, max: u64) -> f64 {
    if max == 0 { 0.0 } else { value as f64 / max as f64 }
}

fn open(out: &mut String, title: &str, width: f64, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {w} {h}" width="{w}" height="{h}"><title>{t}</title>"#,
        t = esc(title),
        w = n(width),
        h = n(height)
    );
}

fn legend(out: &mut String, items: &[(&str, &str)], x: f64, y: f64) {
    let mut cx = x;
    for (label, color) in items {
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="10" height="10" rx="2" fill="{color}"/><text x="{}" y="{}" font-size="11" fill="{INK}">{}</text>"#,
            n(cx),
            n(y - 9.0),
            n(cx + 14.0),
            n(y),
            esc(label)
        );
        #[allow(clippy::cast_precision_loss)]
        let w = label.chars().count() as f64 * 6.2 + 26.0;
        cx += w;
    }
}

/// Vertical bars with their value above and label below.
pub(crate) fn bars(title: &str, bars: &[Bar]) -> String {
    let (left, top, plot_h, slot) = (16.0, 24.0, 150.0, 84.0);
    #[allow(clippy::cast_precision_loss)]
    let width = left * 2.0 + slot * bars.len().max(1) as f64;
    let height = top + plot_h + 34.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let mut out = String::new();
    open(&mut out, title, width, height);
    let base = top + plot_h;
    for (k, b) in bars.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = left + slot * k as f64 + 14.0;
        let h = plot_h * frac(b.value, max);
        let _ = write!(
            out,
            r#"<g><title>{}: {}</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/><text x="{}" y="{}" font-size="13" font-weight="600" text-anchor="middle" fill="{INK}">{}</text><text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{INK}">{}</text></g>"#,
            esc(&b.label),
            b.value,
            n(x),
            n(base - h),
            n(slot - 28.0),
            n(h),
            b.color,
            n(x + (slot - 28.0) / 2.0),
            n(base - h - 6.0),
            b.value,
            n(x + (slot - 28.0) / 2.0),
            n(base + 18.0),
            esc(&b.label)
        );
    }
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{b}" x2="{}" y2="{b}" stroke="{AXIS}" stroke-width="1"/></svg>"#,
        n(left),
        n(width - left),
        b = n(base)
    );
    out
}

/// Groups of bars side by side (one group per image, or per severity), with a legend on top.
pub(crate) fn grouped(title: &str, groups: &[Group], legend_items: &[(&str, &str)]) -> String {
    let per = groups.iter().map(|g| g.bars.len()).max().unwrap_or(1).max(1);
    let (left, top, plot_h, bar_w, gap) = (16.0, 40.0, 150.0, 22.0, 40.0);
    #[allow(clippy::cast_precision_loss)]
    let group_w = bar_w * per as f64 + gap;
    #[allow(clippy::cast_precision_loss)]
    let width = (left * 2.0 + group_w * groups.len().max(1) as f64).max(420.0);
    let height = top + plot_h + 40.0;
    let max = groups.iter().flat_map(|g| &g.bars).map(|b| b.value).max().unwrap_or(0);
    let mut out = String::new();
    open(&mut out, title, width, height);
    legend(&mut out, legend_items, left, 16.0);
    let base = top + plot_h;
    // labels at 12px average about 6.5px a character; longer ones are cut to their group's width
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let label_chars = ((group_w - 6.0) / 6.5).max(4.0) as usize;
    for (gk, g) in groups.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let gx = left + group_w * gk as f64 + gap / 2.0;
        out.push_str("<g>");
        for (k, b) in g.bars.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = gx + bar_w * k as f64;
            let h = plot_h * frac(b.value, max);
            let _ = write!(
                out,
                r#"<g><title>{} — {}: {}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                esc(&g.label),
                esc(&b.label),
                b.value,
                n(x + 1.0),
                n(base - h),
                n(bar_w - 2.0),
                n(h),
                b.color
            );
            if b.value > 0 {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{INK}">{}</text>"#,
                    n(x + bar_w / 2.0),
                    n(base - h - 4.0),
                    b.value
                );
            }
            out.push_str("</g>");
        }
        #[allow(clippy::cast_precision_loss)]
        let cx = gx + bar_w * g.bars.len() as f64 / 2.0;
        if g.bars.iter().all(|b| b.value == 0) {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{AXIS}">none</text>"#,
                n(cx),
                n(base - 6.0)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{INK}">{}</text></g>"#,
            n(cx),
            n(base + 18.0),
            esc(&truncate(&g.label, label_chars))
        );
    }
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{b}" x2="{}" y2="{b}" stroke="{AXIS}" stroke-width="1"/></svg>"#,
        n(left),
        n(width - left),
        b = n(base)
    );
    out
}

/// Horizontal bars, one per row, label on the left and value on the right.
pub(crate) fn hbars(title: &str, rows: &[Row], legend_items: &[(&str, &str)]) -> String {
    let (label_w, top, row_h, plot_w, value_w) = (56.0, 30.0, 22.0, 520.0, 90.0);
    let width = label_w + plot_w + value_w;
    #[allow(clippy::cast_precision_loss)]
    let height = top + row_h * rows.len() as f64 + 8.0;
    let max = rows.iter().map(|r| r.value).max().unwrap_or(0);
    let mut out = String::new();
    open(&mut out, title, width, height);
    legend(&mut out, legend_items, label_w, 14.0);
    for (k, r) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = top + row_h * k as f64;
        // a visible sliver even for empty layers, so every row reads as a bar
        let w = (plot_w * frac(r.value, max)).max(2.0);
        let _ = write!(
            out,
            r#"<g><title>{}</title><text x="{}" y="{}" font-size="12" text-anchor="end" fill="{INK}">{}</text><rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/><text x="{}" y="{}" font-size="12" fill="{INK}">{}</text></g>"#,
            esc(&r.tooltip),
            n(label_w - 8.0),
            n(y + 14.0),
            esc(&r.label),
            n(label_w),
            n(y + 3.0),
            n(w),
            n(row_h - 6.0),
            r.color,
            n(label_w + w + 6.0),
            n(y + 14.0),
            esc(&r.value_label)
        );
    }
    out.push_str("</svg>");
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(
            "t<1>",
            &[
                Bar { label: "a&b".to_owned(), value: 4, color: "#000" },
                Bar { label: "c".to_owned(), value: 2, color: "#111" },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains("t&lt;1&gt;") && svg.contains("a&amp;b"), "{svg}");
        // the largest bar takes the plot's full height (150), the other half of it
        assert!(svg.contains(r##"height="150" rx="3" fill="#000""##), "{svg}");
        assert!(svg.contains(r##"height="75" rx="3" fill="#111""##), "{svg}");
    }

    #[test]
    fn empty_charts_do_not_divide_by_zero() {
        let svg = hbars("x", &[], &[]);
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        let svg = grouped("x", &[Group { label: "g".to_owned(), bars: Vec::new() }], &[]);
        assert!(!svg.contains("NaN"), "{svg}");
        let svg = bars("x", &[Bar { label: "z".to_owned(), value: 0, color: "#000" }]);
        assert!(!svg.contains("NaN"), "{svg}");
    }
}
