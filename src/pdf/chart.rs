//! The regularity chart of the appetite framing: courses per year (or per quarter for short
//! records, placed by `domain::portfolio::course_date`), stacked by field, drawn as vector
//! rectangles with a legend.

use super::fonts::Weight;
use super::layout::{CONTENT_W, Canvas, Colour, MARGIN_X, MUTED, RULE, Style};
use crate::presentation::Chart;

/// Distinct, print-safe colours for the most frequent fields; the rest share the grey.
const PALETTE: [Colour; 6] = [
    Colour::hex(0x1d4e89),
    Colour::hex(0x2a9d8f),
    Colour::hex(0xe9a23b),
    Colour::hex(0xc4525f),
    Colour::hex(0x6a4c93),
    Colour::hex(0x7a9e3a),
];
const OTHER: Colour = Colour::hex(0xa3abb6);

const BARS_H: f32 = 30.0;

/// Draws the chart with its top at `top`; returns the height used. Every string (bar labels,
/// counts, legend) comes from the presentation model.
pub fn draw(c: &mut Canvas<'_>, top: f32, chart: &Chart) -> f32 {
    if chart.bars.is_empty() {
        return 0.0;
    }
    let max = chart.bars.iter().map(|b| b.total).max().unwrap_or(0).max(1);

    let count_style = Style::new(Weight::Regular, 7.0, MUTED);
    let label_style = Style::new(Weight::Regular, 7.0, MUTED);
    let n = chart.bars.len();
    let slot = CONTENT_W / n as f32;
    let bar_w = (slot * 0.62).min(9.0);
    // Room above the tallest bar for its count, like every other bar's.
    let count_room = 3.4;
    let base = top + count_room + BARS_H;
    let unit = BARS_H / max as f32;
    // A faint grid at half and full height gives the bars a scale without an axis.
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base - BARS_H, 0.4, RULE);
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base - BARS_H / 2.0, 0.4, RULE);
    let label_every = n.div_ceil(16).max(1);
    for (i, bar) in chart.bars.iter().enumerate() {
        let cx = MARGIN_X + slot * (i as f32 + 0.5);
        let x = cx - bar_w / 2.0;
        let mut y = base;
        for (s, &count) in bar.stack.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let h = count as f32 * unit;
            c.rect(x, y - h, bar_w, h, colour(chart, s));
            y -= h;
        }
        if bar.total > 0 {
            let w = c.width(count_style, &bar.total_text);
            c.text(cx - w / 2.0, y - 1.0, count_style, &bar.total_text);
        }
        if i % label_every == 0 {
            let w = c.width(label_style, &bar.label);
            c.text(cx - w / 2.0, base + 3.6, label_style, &bar.label);
        }
    }
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base, 0.8, MUTED);

    // Legend: a colour chip, the field and its number of courses, flowing on as many lines as
    // needed.
    let legend_style = Style::new(Weight::Regular, 8.0, super::layout::INK);
    let mut x = MARGIN_X;
    let mut y = base + 9.0;
    for (s, series) in chart.series.iter().enumerate() {
        let label = c.fit(legend_style, &series.label, CONTENT_W - 4.5);
        let w = 3.0 + 1.5 + c.width(legend_style, &label) + 6.0;
        if x + w > MARGIN_X + CONTENT_W && x > MARGIN_X {
            x = MARGIN_X;
            y += 5.0;
        }
        c.rect(x, y - 2.6, 3.0, 3.0, colour(chart, s));
        c.text(x + 4.5, y, legend_style, &label);
        x += w;
    }
    y + 2.0 - top
}

fn colour(chart: &Chart, series: usize) -> Colour {
    match chart.series.get(series) {
        Some(s) if !s.other => PALETTE.get(series).copied().unwrap_or(OTHER),
        _ => OTHER,
    }
}
