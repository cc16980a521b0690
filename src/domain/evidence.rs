//! What an evidence file may be: a PDF, a PNG or a JPEG, judged by its first bytes, which
//! must agree with what the client declared (type and file extension). An HTML page named
//! `certificate.pdf` is refused, and so is an image so large that decoding it would flood
//! memory.

use super::text::excerpt;

/// The accepted types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Pdf,
    Png,
    Jpeg,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
        }
    }

    fn from_mime(mime: &str) -> Option<MediaType> {
        match mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase().as_str() {
            "application/pdf" => Some(MediaType::Pdf),
            "image/png" => Some(MediaType::Png),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(MediaType::Jpeg),
            _ => None,
        }
    }

    fn from_extension(name: &str) -> Option<MediaType> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(MediaType::Pdf),
            "png" => Some(MediaType::Png),
            "jpg" | "jpeg" => Some(MediaType::Jpeg),
            _ => None,
        }
    }
}

/// The type the content itself says it is, from its magic bytes.
pub fn sniff(head: &[u8]) -> Option<MediaType> {
    if head.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else {
        None
    }
}

/// Why a file is refused as evidence (worded by `crate::i18n`, in English by `Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceError {
    Empty,
    /// Neither a PDF, a PNG nor a JPEG.
    UnknownContent,
    /// The content is `actual` (a media type) but the client said otherwise.
    Mismatch {
        actual: &'static str,
        declared: Declared,
    },
    TooManyPixels {
        width: u32,
        height: u32,
    },
    Malformed(Malformation),
}

/// What the client declared a file to be: a media type, or a name with another extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    Type(String),
    Name(String),
}

/// What is wrong inside an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    PngWithoutHeader,
    JpegOutOfStep,
    JpegSegmentLength,
    JpegWithoutFrame,
}

impl std::fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::problem(super::Lang::En, &super::Problem::Evidence(self.clone())))
    }
}

impl std::error::Error for EvidenceError {}

/// 50 megapixels: a phone photo of a certificate is a fraction of that.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Checks a whole file against what the client declared (`content_type` of the multipart
/// part, `file_name`); `application/octet-stream` or no type leaves the extension to agree.
pub fn check(bytes: &[u8], content_type: Option<&str>, file_name: &str) -> Result<MediaType, EvidenceError> {
    if bytes.is_empty() {
        return Err(EvidenceError::Empty);
    }
    let actual = sniff(bytes).ok_or(EvidenceError::UnknownContent)?;
    let declared_type = content_type.filter(|t| !t.starts_with("application/octet-stream"));
    if let Some(declared) = declared_type
        && MediaType::from_mime(declared) != Some(actual)
    {
        return Err(EvidenceError::Mismatch {
            actual: actual.mime(),
            declared: Declared::Type(excerpt(declared).into_owned()),
        });
    }
    if file_name.contains('.') && MediaType::from_extension(file_name) != Some(actual) {
        return Err(EvidenceError::Mismatch {
            actual: actual.mime(),
            declared: Declared::Name(excerpt(file_name).into_owned()),
        });
    }
    if let Some((width, height)) = dimensions(actual, bytes)?
        && u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(EvidenceError::TooManyPixels { width, height });
    }
    Ok(actual)
}

/// Image dimensions read from the header alone (never decoding pixels).
fn dimensions(kind: MediaType, b: &[u8]) -> Result<Option<(u32, u32)>, EvidenceError> {
    match kind {
        MediaType::Pdf => Ok(None),
        MediaType::Png => {
            // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
            if b.len() < 24 || &b[12..16] != b"IHDR" {
                return Err(EvidenceError::Malformed(Malformation::PngWithoutHeader));
            }
            let w = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
            let h = u32::from_be_bytes([b[20], b[21], b[22], b[23]]);
            Ok(Some((w, h)))
        }
        MediaType::Jpeg => jpeg_dimensions(b).map(Some),
    }
}

/// Walks the JPEG markers to the first start-of-frame, which holds the dimensions.
fn jpeg_dimensions(b: &[u8]) -> Result<(u32, u32), EvidenceError> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return Err(EvidenceError::Malformed(Malformation::JpegOutOfStep));
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if i + 9 > b.len() {
                break;
            }
            let h = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let w = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            return Ok((w, h));
        }
        if len < 2 {
            return Err(EvidenceError::Malformed(Malformation::JpegSegmentLength));
        }
        i += 2 + len;
    }
    Err(EvidenceError::Malformed(Malformation::JpegWithoutFrame))
}

/// The client's file name reduced to display text: its last path component, without
/// control characters, at most 200 characters. It is never used as a path.
pub fn display_name(raw: Option<&str>, kind: MediaType) -> String {
    let base = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    // Direction controls are dropped too: `evil\u{202e}fdp.png` must not display as "evilgnp.pdf".
    let clean: String =
        base.chars().filter(|c| !c.is_control() && !super::text::is_bidi_control(*c)).take(200).collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        format!("evidence.{}", kind.extension())
    } else {
        clean.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn content_decides_and_must_agree_with_the_declaration() {
        let pdf = b"%PDF-1.7\n...";
        assert_eq!(check(pdf, Some("application/pdf"), "c.pdf"), Ok(MediaType::Pdf));
        assert_eq!(check(pdf, None, "certificate"), Ok(MediaType::Pdf));
        let html = b"<!doctype html><script>alert(1)</script>";
        assert_eq!(check(html, Some("application/pdf"), "c.pdf"), Err(EvidenceError::UnknownContent));
        assert!(matches!(check(&png(10, 10), Some("application/pdf"), "c.png"), Err(EvidenceError::Mismatch { .. })));
        assert!(matches!(check(&png(10, 10), Some("image/png"), "c.pdf"), Err(EvidenceError::Mismatch { .. })));
        assert!(check(b"GIF89a....", None, "x.gif").is_err());
        assert_eq!(check(b"", None, "x.pdf"), Err(EvidenceError::Empty));
    }

    #[test]
    fn pixel_floods_are_refused_from_the_header() {
        assert_eq!(check(&png(100, 100), Some("image/png"), "x.png"), Ok(MediaType::Png));
        assert_eq!(
            check(&png(100_000, 100_000), Some("image/png"), "x.png"),
            Err(EvidenceError::TooManyPixels { width: 100_000, height: 100_000 })
        );
    }

    #[test]
    fn jpeg_dimensions_come_from_the_frame_header() {
        // SOI, APP0 (len 16), SOF0 with height 480 and width 640.
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        j.extend_from_slice(&[0; 14]);
        j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03]);
        assert_eq!(jpeg_dimensions(&j), Ok((640, 480)));
        assert!(jpeg_dimensions(&[0xFF, 0xD8, 0xFF]).is_err());
    }

    #[test]
    fn file_names_are_display_text_only() {
        assert_eq!(display_name(Some("../../x\"<s>.pdf"), MediaType::Pdf), "x\"<s>.pdf");
        assert_eq!(display_name(Some("C:\\docs\\cert.png"), MediaType::Png), "cert.png");
        assert_eq!(display_name(Some(".."), MediaType::Pdf), "evidence.pdf");
        assert_eq!(display_name(None, MediaType::Jpeg), "evidence.jpg");
        assert_eq!(display_name(Some("evil\u{202e}fdp.png"), MediaType::Png), "evilfdp.png", "no reordering");
    }
}
