//! A QR code as inline SVG for the pages (the share link just made, on screen): vector squares
//! from the same `qrcode` crate the PDFs draw with, one `<path>`, no image and no script, so the
//! page's CSP (`img-src 'self'`, no script) is untouched.

/// The QR code of `text` (medium error correction, a 4-module quiet zone) as an SVG element
/// with `label` as its accessible name; `None` when the text is too long for a QR code.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for row in 0..width {
        let mut col = 0;
        while col < width {
            if colors[row * width + col] == qrcode::Color::Dark {
                let start = col;
                while col < width && colors[row * width + col] == qrcode::Color::Dark {
                    col += 1;
                }
                // One horizontal run per rectangle: `M x y h w v 1 h -w z`.
                let (x, y, w) = (start + quiet, row + quiet, col - start);
                path.push_str(&format!("M{x} {y}h{w}v1h-{w}z"));
            } else {
                col += 1;
            }
        }
    }
    let label = askama_escape(label);
    Some(format!(
        r##"<svg class="qr" role="img" aria-label="{label}" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##,
        px = size * 4
    ))
}

/// The few characters that matter in an attribute value.
fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_an_accessible_svg_of_squares() {
        let drawn =
            svg("https://certfolio.example.org/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde", "QR \"code\"").unwrap();
        assert!(drawn.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"QR &quot;code&quot;\""), "{drawn}");
        assert!(drawn.contains("<path d=\"M4 4h7v1h-7z"), "the finder pattern's top row: {drawn}");
        assert!(!drawn.contains("<script") && !drawn.contains("href"));
        assert!(svg(&"x".repeat(5000), "too long").is_none());
    }
}
