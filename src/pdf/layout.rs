//! A small layout layer over printpdf's operations: measured text, greedy line wrapping,
//! blocks kept on one page, page breaks, and a footer stamped on every page once the page
//! count is known.
//!
//! Coordinates are millimetres from the top-left corner of an A4 page (what a designer
//! measures); they are turned into PDF points from the bottom-left only when ops are emitted.
//! Each page keeps its graphics and its text apart, and the text goes out in one text section
//! per page, after the graphics: text always sits on top of fills, and no text op can escape a
//! `BT`/`ET` pair (the blank-page trap of printpdf #254).

use printpdf::{
    Actions, BorderArray, Color, FontId, LinePoint, LinkAnnotation, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect,
    Rgb, TextItem, TextMatrix,
};

use super::fonts::{Fonts, PT, Weight};

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN_X: f32 = 20.0;
pub const TOP: f32 = 18.0;
/// Content stops here; the footer lives below, its baseline 11 mm above the page edge.
pub const BOTTOM: f32 = PAGE_H - 22.0;
pub const FOOTER_BASELINE: f32 = PAGE_H - 11.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    pub const fn hex(rgb: u32) -> Colour {
        Colour(((rgb >> 16) & 0xff) as f32 / 255.0, ((rgb >> 8) & 0xff) as f32 / 255.0, (rgb & 0xff) as f32 / 255.0)
    }

    fn pdf(self) -> Color {
        Color::Rgb(Rgb { r: self.0, g: self.1, b: self.2, icc_profile: None })
    }
}

pub const INK: Colour = Colour::hex(0x1f2430);
pub const MUTED: Colour = Colour::hex(0x5d6675);
pub const ACCENT: Colour = Colour::hex(0x1d4e89);
pub const RULE: Colour = Colour::hex(0xd5dbe3);
pub const PANEL: Colour = Colour::hex(0xf2f5f9);
/// Marks that take something away from a claim (expired, revoked).
pub const ALERT: Colour = Colour::hex(0x8a1c1c);

/// A text style: face, size in points, colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub weight: Weight,
    pub size: f32,
    pub colour: Colour,
}

impl Style {
    pub const fn new(weight: Weight, size: f32, colour: Colour) -> Style {
        Style { weight, size, colour }
    }

    /// A comfortable line pitch for this size, in millimetres.
    pub fn leading(&self) -> f32 {
        self.size * 1.38 * PT
    }

    /// Height of capitals above the baseline, in millimetres (Noto Sans: 0.714 em).
    pub fn cap(&self) -> f32 {
        self.size * 0.714 * PT
    }
}

#[derive(Default)]
struct PageOps {
    graphics: Vec<Op>,
    text: Vec<Op>,
    links: Vec<Op>,
    /// Text state already set in this page's text section, to skip redundant ops.
    font: Option<(Weight, u32)>,
    colour: Option<(u32, u32, u32)>,
}

pub struct Canvas<'f> {
    pub fonts: &'f Fonts,
    font_ids: [FontId; 3],
    /// Finished pages, then the one being drawn on.
    done: Vec<PageOps>,
    page: PageOps,
    /// The cursor: top of the next block, in millimetres from the top of the page.
    pub y: f32,
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts, font_ids: [FontId; 3]) -> Canvas<'f> {
        Canvas { fonts, font_ids, done: Vec::new(), page: PageOps::default(), y: TOP }
    }

    pub fn page_count(&self) -> usize {
        self.done.len() + 1
    }

    pub fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = TOP;
    }

    /// Room left on this page below the cursor.
    pub fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    /// Starts a new page unless `height` millimetres fit below the cursor. A block taller
    /// than a whole page is drawn from the top of a fresh page and runs as far as it goes.
    pub fn keep(&mut self, height: f32) {
        if height > self.room() && self.y > TOP + 0.01 {
            self.new_page();
        }
    }

    pub fn width(&self, style: Style, text: &str) -> f32 {
        self.fonts.face(style.weight).width_mm(text, style.size)
    }

    /// Greedy word wrap on measured widths. Breaks only at ordinary spaces (no-break spaces
    /// hold "12 h" together); a word wider than the line is cut between characters.
    pub fn wrap(&self, style: Style, text: &str, width: f32) -> Vec<String> {
        let face = self.fonts.face(style.weight);
        let space = face.width_mm(" ", style.size);
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let w = face.width_mm(word, style.size);
            if !line.is_empty() && line_w + space + w <= width {
                line.push(' ');
                line.push_str(word);
                line_w += space + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if w <= width {
                line.push_str(word);
                line_w = w;
            } else {
                // Hard-break an overlong word (a long URL or identifier).
                line_w = 0.0;
                for c in word.chars() {
                    let cw = face.width_mm(c.encode_utf8(&mut [0; 4]), style.size);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Shortens `text` with an ellipsis so that it fits `width` (for one-line labels).
    pub fn fit(&self, style: Style, text: &str, width: f32) -> String {
        if self.width(style, text) <= width {
            return text.to_owned();
        }
        let mut out = String::new();
        for c in text.chars() {
            out.push(c);
            if self.width(style, &format!("{out}…")) > width {
                out.pop();
                break;
            }
        }
        format!("{}…", out.trim_end())
    }

    /// Draws one line of text with its baseline at `baseline` (mm from the top). Callers wrap
    /// or fit what they draw; as a last guard, a line that would still cross the right margin
    /// is shortened with an ellipsis, so that no input, however long, leaves the text area.
    pub fn text(&mut self, x: f32, baseline: f32, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let room = MARGIN_X + CONTENT_W - x;
        let fitted;
        let text = if self.width(style, text) > room + 0.01 {
            fitted = self.fit(style, text, room);
            fitted.as_str()
        } else {
            text
        };
        let id = self.font_ids[style.weight as usize].clone();
        let page = &mut self.page;
        let key = (style.weight, style.size.to_bits());
        if page.font != Some(key) {
            page.text.push(Op::SetFont { font: PdfFontHandle::External(id), size: Pt(style.size) });
            page.font = Some(key);
        }
        let c = style.colour;
        let ckey = (c.0.to_bits(), c.1.to_bits(), c.2.to_bits());
        if page.colour != Some(ckey) {
            page.text.push(Op::SetFillColor { col: c.pdf() });
            page.colour = Some(ckey);
        }
        page.text.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(mm(x), mm(PAGE_H - baseline)) });
        page.text.push(Op::ShowText { items: vec![TextItem::Text(printable(text))] });
    }

    /// Draws text ending at `right`.
    pub fn text_right(&mut self, right: f32, baseline: f32, style: Style, text: &str) {
        let w = self.width(style, text);
        self.text(right - w, baseline, style, text);
    }

    /// Draws wrapped lines from `top`; returns the height used.
    pub fn paragraph(&mut self, x: f32, top: f32, width: f32, style: Style, text: &str) -> f32 {
        let lines = self.wrap(style, text, width);
        let lead = style.leading();
        for (i, line) in lines.iter().enumerate() {
            self.text(x, top + style.cap() + i as f32 * lead, style, line);
        }
        lines_height(lines.len(), style)
    }

    pub fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, colour: Colour) {
        let page = &mut self.page;
        page.graphics.push(Op::SetFillColor { col: colour.pdf() });
        let mut r = Rect::from_xywh(mm(x), mm(PAGE_H - top - h), mm(w), mm(h));
        r.mode = Some(PaintMode::Fill);
        page.graphics.push(Op::DrawRectangle { rectangle: r });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, thickness_pt: f32, colour: Colour) {
        let page = &mut self.page;
        page.graphics.push(Op::SetOutlineColor { col: colour.pdf() });
        page.graphics.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        let p = |x: f32| LinePoint { p: Point { x: mm(x), y: mm(PAGE_H - y) }, bezier: false };
        page.graphics.push(Op::DrawLine { line: printpdf::Line { points: vec![p(x1), p(x2)], is_closed: false } });
    }

    /// A clickable area over text already drawn. The border is zero-width, so viewers draw no
    /// box (printpdf's default is a visible cyan one); the text's colour marks the link.
    pub fn link(&mut self, x: f32, top: f32, w: f32, h: f32, url: &str) {
        let page = &mut self.page;
        let rect = Rect::from_xywh(mm(x), mm(PAGE_H - top - h), mm(w), mm(h));
        page.links.push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                rect,
                Actions::uri(url.to_owned()),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                None,
                None,
            ),
        });
    }

    /// Lays out every page: graphics, then one text section, then link annotations.
    /// `footer(canvas, n, total)` is called once per page, after the content, so it can show
    /// "page n / N".
    pub fn finish(mut self, footer: impl Fn(&mut Canvas<'f>, usize, usize)) -> Vec<printpdf::PdfPage> {
        let mut pages = std::mem::take(&mut self.done);
        pages.push(std::mem::take(&mut self.page));
        let total = pages.len();
        let mut out = Vec::with_capacity(total);
        for (i, page) in pages.into_iter().enumerate() {
            self.page = page;
            footer(&mut self, i + 1, total);
            let page = std::mem::take(&mut self.page);
            let mut ops = page.graphics;
            ops.reserve(page.text.len() + page.links.len() + 2);
            ops.push(Op::StartTextSection);
            ops.extend(page.text);
            ops.push(Op::EndTextSection);
            ops.extend(page.links);
            out.push(printpdf::PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
        out
    }
}

/// Height of `n` lines of `style`, from the top of the first line's capitals to the last
/// baseline plus the descent, so that stacked blocks do not collide.
pub fn lines_height(n: usize, style: Style) -> f32 {
    if n == 0 { 0.0 } else { style.cap() + (n - 1) as f32 * style.leading() + style.size * 0.26 * PT }
}

/// The text as drawn. No-break spaces have done their work (wrapping never splits at them);
/// in the file they become ordinary spaces, because PDF text extraction (poppler, and
/// copy-paste in most viewers) turns them into spaces anyway. Drawing spaces makes what a
/// reader copies exactly what the file holds.
/// Invisible format characters (`fonts::is_invisible`) are left out rather than drawn as
/// missing-glyph boxes.
fn printable(text: &str) -> String {
    use super::fonts::{is_invisible, is_no_break_space};
    if text.chars().any(|c| is_no_break_space(c) || is_invisible(c)) {
        text.chars().filter(|c| !is_invisible(*c)).map(|c| if is_no_break_space(c) { ' ' } else { c }).collect()
    } else {
        text.to_owned()
    }
}

fn mm(v: f32) -> Pt {
    Pt(v / PT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::fonts;

    fn canvas() -> Canvas<'static> {
        let f = fonts().expect("fonts");
        Canvas::new(f, [FontId("F0".into()), FontId("F1".into()), FontId("F2".into())])
    }

    #[test]
    fn wrapping_respects_the_width_and_keeps_every_word() {
        let c = canvas();
        let style = Style::new(Weight::Regular, 10.0, INK);
        let text = "Cours suivis pour apprendre, sans viser d’attestation : autant d’heures de travail personnel.";
        let lines = c.wrap(style, text, 50.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(c.width(style, l) <= 50.0 + 1e-3, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn no_break_spaces_hold_and_long_words_are_cut() {
        let c = canvas();
        let style = Style::new(Weight::Regular, 10.0, INK);
        let lines = c.wrap(style, "aaaa 1\u{202f}240\u{a0}h", c.width(style, "aaaa 1 24"));
        assert_eq!(lines, ["aaaa", "1\u{202f}240\u{a0}h"]);
        let url = "https://verify.example.org/0123456789abcdef0123456789abcdef";
        let lines = c.wrap(style, url, 30.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn keep_moves_a_block_that_does_not_fit_to_a_new_page() {
        let mut c = canvas();
        c.y = BOTTOM - 10.0;
        c.keep(5.0);
        assert_eq!(c.page_count(), 1);
        c.keep(20.0);
        assert_eq!(c.page_count(), 2);
        assert_eq!(c.y, TOP);
        // Already at the top: a too-tall block does not make an empty page.
        c.keep(500.0);
        assert_eq!(c.page_count(), 2);
    }

    #[test]
    fn fit_adds_an_ellipsis_only_when_needed() {
        let c = canvas();
        let style = Style::new(Weight::Regular, 9.0, INK);
        assert_eq!(c.fit(style, "Inria", 50.0), "Inria");
        let short = c.fit(style, "Université Paris-Saclay et École polytechnique", 25.0);
        assert!(short.ends_with('…') && c.width(style, &short) <= 25.0, "{short}");
    }
}
