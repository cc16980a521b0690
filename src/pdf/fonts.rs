//! The embedded Noto Sans family (SIL OFL 1.1, `data/fonts/LICENSE-NotoSans.txt`) and text
//! measurement. The bytes are compiled into the binary, so `certfolio render` needs no font
//! files at run time; printpdf embeds only the glyphs a PDF uses (`text_layout` subsetting).

use std::sync::OnceLock;

use printpdf::ParsedFont;

const REGULAR: &[u8] = include_bytes!("../../data/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../data/fonts/NotoSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../data/fonts/NotoSans-Italic.ttf");

/// Points to millimetres.
pub const PT: f32 = 25.4 / 72.0;

/// Advances of the first code points are kept in a table: nearly every character of a
/// French or English portfolio is below U+0250, and a table lookup is cheaper than the cmap.
const TABLE: usize = 0x250;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular = 0,
    Bold = 1,
    Italic = 2,
}

pub struct Face {
    pub parsed: ParsedFont,
    units_per_em: f32,
    advances: Vec<u16>,
}

impl Face {
    fn load(bytes: &[u8]) -> Option<Face> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        let advances = (0..TABLE as u32)
            .map(|cp| parsed.lookup_glyph_index(cp).map_or(0, |gid| parsed.get_horizontal_advance(gid)))
            .collect();
        Some(Face { parsed, units_per_em, advances })
    }

    fn advance(&self, c: char) -> u16 {
        if is_invisible(c) {
            return 0;
        }
        // No-break spaces are drawn as spaces (see `layout::printable`), so they measure as one.
        let cp = if is_no_break_space(c) { 0x20 } else { c as usize };
        if cp < TABLE {
            return self.advances[cp];
        }
        // Not in the font: printpdf draws glyph 0 (.notdef), whose advance is the one to count.
        let gid = self.parsed.lookup_glyph_index(c as u32).unwrap_or(0);
        self.parsed.get_horizontal_advance(gid)
    }

    /// Width of `text` at `size` points, in millimetres (no kerning: printpdf places glyphs
    /// by their advances alone, so this is exactly what is drawn).
    pub fn width_mm(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 / self.units_per_em * size * PT
    }

    /// Whether the font has a real glyph for `c` (tests use it to keep labels drawable).
    pub fn has_glyph(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(c as u32).is_some_and(|g| g != 0)
    }
}

/// Invisible format characters (soft hyphen, zero-width spaces and joiners, direction marks
/// and controls, the byte-order mark): Noto Sans has no glyph for them, so drawn they would
/// show as missing-glyph boxes. They are neither measured nor drawn (see `layout::printable`).
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// U+00A0 and U+202F: they keep "569 h" and "1 240" on one line while wrapping.
pub fn is_no_break_space(c: char) -> bool {
    c == '\u{a0}' || c == '\u{202f}'
}

pub struct Fonts {
    faces: [Face; 3],
}

impl Fonts {
    pub fn face(&self, w: Weight) -> &Face {
        &self.faces[w as usize]
    }

    pub fn all(&self) -> &[Face; 3] {
        &self.faces
    }
}

/// Parsed once per process (a few milliseconds), then shared by every render.
pub fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            // The three faces parse independently; on two cores this halves the start-up
            // cost that every `certfolio render` pays.
            let (regular, bold, italic) = std::thread::scope(|s| {
                let bold = s.spawn(|| Face::load(BOLD));
                let italic = s.spawn(|| Face::load(ITALIC));
                let regular = Face::load(REGULAR);
                (regular, bold.join().ok().flatten(), italic.join().ok().flatten())
            });
            Some(Fonts { faces: [regular?, bold?, italic?] })
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_parse_and_cover_french_typography() {
        let f = fonts().expect("embedded fonts parse");
        for face in f.all() {
            for c in "àâçéèêëîïôûùüÿœæÉÀÇŒ«»“”’–—·…\u{a0}\u{202f}€".chars() {
                assert!(face.has_glyph(c), "missing {c:?} (U+{:04X})", c as u32);
            }
        }
    }

    #[test]
    fn invisible_characters_have_no_width() {
        let r = fonts().expect("embedded fonts parse").face(Weight::Regular);
        assert_eq!(r.width_mm("evil\u{202e}fdp\u{200b}.png\u{feff}", 10.0), r.width_mm("evilfdp.png", 10.0));
    }

    #[test]
    fn widths_scale_with_size_and_bold_is_wider() {
        let f = fonts().expect("embedded fonts parse");
        let r = f.face(Weight::Regular);
        let w10 = r.width_mm("Légitimité", 10.0);
        assert!(w10 > 10.0 && w10 < 30.0, "{w10}");
        assert!((r.width_mm("Légitimité", 20.0) - 2.0 * w10).abs() < 1e-3);
        assert!(f.face(Weight::Bold).width_mm("Légitimité", 10.0) > w10);
        assert_eq!(r.width_mm("", 10.0), 0.0);
    }
}
