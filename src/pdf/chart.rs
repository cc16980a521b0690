//! The regularity chart of the appetite framing: courses started per year (or per quarter
//! for short records), stacked by field, drawn as vector rectangles with a legend.

use super::fonts::Weight;
use super::layout::{CONTENT_W, Canvas, Colour, MARGIN_X, MUTED, RULE, Style};
use crate::domain::Lang;
use crate::domain::portfolio::{Granularity, Timeline};

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

/// Draws the chart with its top at `top`; returns the height used.
pub fn draw(c: &mut Canvas<'_>, top: f32, t: &Timeline, lang: Lang) -> f32 {
    if t.buckets.is_empty() {
        return 0.0;
    }
    // Series: the six most frequent named fields, then everything else together.
    let named = t.fields.iter().take_while(|f| f.is_some()).count().min(PALETTE.len());
    let series = |field_index: usize| if field_index < named { field_index } else { named };
    let n_series = named + usize::from(t.fields.len() > named);
    let mut totals = vec![0usize; n_series];
    let stacks: Vec<Vec<usize>> = t
        .buckets
        .iter()
        .map(|b| {
            let mut s = vec![0usize; n_series];
            for (i, &n) in b.counts.iter().enumerate() {
                s[series(i)] += n;
                totals[series(i)] += n;
            }
            s
        })
        .collect();
    let max = t.buckets.iter().map(|b| b.total()).max().unwrap_or(0).max(1);

    let count_style = Style::new(Weight::Regular, 7.0, MUTED);
    let label_style = Style::new(Weight::Regular, 7.0, MUTED);
    let n = t.buckets.len();
    let slot = CONTENT_W / n as f32;
    let bar_w = (slot * 0.62).min(9.0);
    let base = top + 4.0 + BARS_H;
    let unit = BARS_H / max as f32;
    // A faint grid at half and full height gives the bars a scale without an axis.
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base - BARS_H, 0.4, RULE);
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base - BARS_H / 2.0, 0.4, RULE);
    let max_label = crate::i18n::integer(lang, max as u64);
    c.text(MARGIN_X, base - BARS_H - 0.8, count_style, &max_label);
    let label_every = n.div_ceil(16).max(1);
    for (i, (bucket, stack)) in t.buckets.iter().zip(&stacks).enumerate() {
        let cx = MARGIN_X + slot * (i as f32 + 0.5);
        let x = cx - bar_w / 2.0;
        let mut y = base;
        for (s, &count) in stack.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let h = count as f32 * unit;
            c.rect(x, y - h, bar_w, h, colour(s, named));
            y -= h;
        }
        let total = bucket.total();
        if total > 0 && total != max {
            let label = crate::i18n::integer(lang, total as u64);
            let w = c.width(count_style, &label);
            c.text(cx - w / 2.0, y - 1.0, count_style, &label);
        }
        if i % label_every == 0 {
            let label = match (t.granularity, bucket.quarter) {
                (Granularity::Quarter, Some(q)) if q == 1 => format!("{} {}", quarter(lang, q), bucket.year),
                (Granularity::Quarter, Some(q)) => quarter(lang, q).to_owned(),
                _ => bucket.year.to_string(),
            };
            let w = c.width(label_style, &label);
            c.text(cx - w / 2.0, base + 3.6, label_style, &label);
        }
    }
    c.hline(MARGIN_X, MARGIN_X + CONTENT_W, base, 0.8, MUTED);

    // Legend: a colour chip, the field and its number of courses, flowing on as many lines as
    // needed.
    let legend_style = Style::new(Weight::Regular, 8.0, super::layout::INK);
    let mut x = MARGIN_X;
    let mut y = base + 9.0;
    for (s, &total) in totals.iter().enumerate() {
        let name = if s < named {
            t.fields[s].clone().unwrap_or_default()
        } else {
            match lang {
                Lang::Fr => "autres".to_owned(),
                Lang::En => "other".to_owned(),
            }
        };
        let label = format!("{name} ({total})");
        let w = 3.0 + 1.5 + c.width(legend_style, &label) + 6.0;
        if x + w > MARGIN_X + CONTENT_W && x > MARGIN_X {
            x = MARGIN_X;
            y += 5.0;
        }
        c.rect(x, y - 2.6, 3.0, 3.0, colour(s, named));
        c.text(x + 4.5, y, legend_style, &label);
        x += w;
    }
    y + 2.0 - top
}

fn colour(series: usize, named: usize) -> Colour {
    if series < named { PALETTE[series] } else { OTHER }
}

fn quarter(lang: Lang, q: u8) -> &'static str {
    match (lang, q) {
        (Lang::Fr, 1) => "T1",
        (Lang::Fr, 2) => "T2",
        (Lang::Fr, 3) => "T3",
        (Lang::Fr, _) => "T4",
        (Lang::En, 1) => "Q1",
        (Lang::En, 2) => "Q2",
        (Lang::En, 3) => "Q3",
        (Lang::En, _) => "Q4",
    }
}
