//! The Open Badges text chunk of a baked PNG, read without decoding the image.
//!
//! A baked badge is an ordinary PNG with one text chunk added: keyword `openbadges` (Open
//! Badges 2.0, `iTXt`, or `tEXt` in early bakers) or `openbadgecredential` (3.0, `iTXt`). Only
//! the chunk list is walked: pixels are never decompressed, so an image claiming 100000×100000
//! pixels costs what its bytes cost. Every length is checked against the file before it is
//! used, and compressed text is inflated to at most [`MAX_TEXT`] bytes.

use std::io::Read;

use crate::domain::ValidationError;
use crate::domain::problem::{BadgeProblem as B, PngTextFault as T};

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Decompressed text larger than this is refused: a badge is kilobytes, and a small zTXt chunk
/// could otherwise inflate to gigabytes.
pub const MAX_TEXT: usize = 1024 * 1024;

/// The PNG spec's own limit on a chunk length (2^31 − 1).
const MAX_CHUNK: usize = 0x7fff_ffff;

/// Which baking the chunk's keyword says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baking {
    /// `openbadges`: an Open Badges 2.0 (or older) assertion, a signed assertion or a URL.
    OpenBadges,
    /// `openbadgecredential`: an Open Badges 3.0 credential, as JSON or a VC-JWT.
    OpenBadgeCredential,
}

/// The text a badge image carries, and under which keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baked {
    pub baking: Baking,
    pub text: String,
}

fn err(problem: B) -> ValidationError {
    ValidationError::new("PNG", problem)
}

/// The badge text of a baked PNG. A PNG without one, a truncated or corrupt chunk list, or a
/// chunk whose checksum is wrong is refused with where the problem is.
pub fn badge_chunk(bytes: &[u8]) -> Result<Baked, ValidationError> {
    if bytes.get(..8) != Some(SIGNATURE.as_slice()) {
        return Err(err(B::NotPng));
    }
    let mut pos = 8usize;
    let mut index = 0usize;
    loop {
        let header = bytes.get(pos..pos.saturating_add(8)).ok_or_else(|| err(B::PngTruncated { pos }))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let name = String::from_utf8_lossy(&kind).into_owned();
        if len > MAX_CHUNK || !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(err(B::PngChunk { index, pos }));
        }
        let data_start = pos + 8;
        let end = data_start.checked_add(len).and_then(|e| e.checked_add(4)).filter(|e| *e <= bytes.len());
        let Some(end) = end else {
            return Err(err(B::PngChunkTooLong { name, pos, len }));
        };
        if index == 0 && &kind != b"IHDR" {
            return Err(err(B::PngNoHeader));
        }
        let is_text = matches!(&kind, b"tEXt" | b"iTXt" | b"zTXt");
        if is_text {
            let (data, crc) = (&bytes[data_start..end - 4], &bytes[end - 4..end]);
            if let Some(baking) = keyword_baking(data) {
                // Checked only for the chunk we read: the others (pixels included) are skipped.
                let mut sum = flate2::Crc::new();
                sum.update(&kind);
                sum.update(data);
                if sum.sum().to_be_bytes() != crc {
                    return Err(err(B::PngCrc { name, pos }));
                }
                let text = chunk_text(&kind, data).map_err(|fault| err(B::PngText { name, pos, fault }))?;
                return Ok(Baked { baking, text });
            }
        }
        if &kind == b"IEND" {
            return Err(err(B::PngNotBaked));
        }
        pos = end;
        index += 1;
    }
}

fn keyword_baking(data: &[u8]) -> Option<Baking> {
    let keyword = data.split(|b| *b == 0).next()?;
    match keyword {
        b"openbadges" => Some(Baking::OpenBadges),
        b"openbadgecredential" => Some(Baking::OpenBadgeCredential),
        _ => None,
    }
}

/// The text of a tEXt (Latin-1), zTXt (zlib, Latin-1) or iTXt (UTF-8, maybe zlib) chunk.
fn chunk_text(kind: &[u8; 4], data: &[u8]) -> Result<String, T> {
    let nul = data.iter().position(|b| *b == 0).ok_or(T::NoKeywordSeparator)?;
    let rest = &data[nul + 1..];
    match kind {
        b"tEXt" => Ok(latin1(rest)),
        b"zTXt" => {
            let (&method, compressed) = rest.split_first().ok_or(T::NoCompressionMethod)?;
            if method != 0 {
                return Err(T::UnknownCompressionMethod { method });
            }
            Ok(latin1(&inflate(compressed)?))
        }
        _ => {
            let (&flag, rest) = rest.split_first().ok_or(T::NoCompressionFlag)?;
            let (&method, rest) = rest.split_first().ok_or(T::NoCompressionMethod)?;
            // Language tag, then translated keyword, each NUL-terminated.
            let lang_end = rest.iter().position(|b| *b == 0).ok_or(T::NoLanguageTerminator)?;
            let rest = &rest[lang_end + 1..];
            let tr_end = rest.iter().position(|b| *b == 0).ok_or(T::NoTranslatedKeywordTerminator)?;
            let text = &rest[tr_end + 1..];
            let raw = match (flag, method) {
                (0, _) => text.to_vec(),
                (1, 0) => inflate(text)?,
                _ => return Err(T::UnknownCompression { flag, method }),
            };
            if raw.len() > MAX_TEXT {
                return Err(T::TooLarge { max: MAX_TEXT });
            }
            String::from_utf8(raw).map_err(|_| T::NotUtf8)
        }
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from(*b)).collect()
}

/// zlib-inflates at most `MAX_TEXT` bytes; more is refused rather than truncated.
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, T> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_TEXT as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| T::DoesNotInflate { detail: e.to_string() })?;
    if out.len() > MAX_TEXT {
        return Err(T::InflatesTooLarge { max: MAX_TEXT });
    }
    Ok(out)
}

/// Builds a PNG chunk (length, type, data, CRC): for tests and fuzz seeds.
pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut sum = flate2::Crc::new();
    sum.update(kind);
    sum.update(data);
    out.extend_from_slice(&sum.sum().to_be_bytes());
    out
}

/// A PNG of the given size whose only content is an `iTXt` badge chunk (no pixel data at all:
/// this reader never needs it). For tests and fuzz seeds.
pub fn baked(width: u32, height: u32, keyword: &str, text: &str) -> Vec<u8> {
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut itxt = keyword.as_bytes().to_vec();
    itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
    itxt.extend_from_slice(text.as_bytes());
    let mut out = SIGNATURE.to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"iTXt", &itxt));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::interop::test_support::real;

    #[test]
    fn real_baked_images_give_their_text() {
        let b = badge_chunk(&real("openbadges2/baked_ob2_json_itxt.png")).unwrap();
        assert_eq!(b.baking, Baking::OpenBadges);
        assert!(b.text.starts_with("{\"@context\""));
        let b = badge_chunk(&real("openbadges2/legacy_ob1_baked_text_url.png")).unwrap();
        assert_eq!(b.text, "https://example.org/assertion");
        let b = badge_chunk(&real("openbadges3/ob3_baked_jwt_itxt.png")).unwrap();
        assert_eq!(b.baking, Baking::OpenBadgeCredential);
        assert!(b.text.starts_with("eyJ"));
        let e = badge_chunk(&real("openbadges2/bad_png_unbaked_bakery.png")).unwrap_err();
        assert!(e.message().contains("no Open Badges data"), "{}", e.message());
    }

    #[test]
    fn compressed_text_is_read_and_bounded() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, b"{\"a\": 1}").unwrap();
        let compressed = z.finish().unwrap();
        let mut data = b"openbadges\0\x01\x00\0\0".to_vec();
        data.extend_from_slice(&compressed);
        let mut png = baked(1, 1, "x", "");
        let iend = png.len() - 12;
        png.splice(iend..iend, chunk(b"iTXt", &data));
        assert_eq!(badge_chunk(&png).unwrap().text, "{\"a\": 1}");

        // A zlib bomb: 64 MiB of zeros compress to ~64 KiB.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut z, &vec![b' '; 64 << 20]).unwrap();
        let mut data = b"openbadges\0\0".to_vec();
        data.extend_from_slice(&z.finish().unwrap());
        let mut png = baked(1, 1, "x", "");
        png.splice(iend..iend, chunk(b"zTXt", &data));
        assert!(badge_chunk(&png).unwrap_err().message().contains("more than"));
    }

    #[test]
    fn broken_files_are_refused_without_panicking() {
        let good = baked(100_000, 100_000, "openbadges", "{}");
        assert_eq!(badge_chunk(&good).unwrap().text, "{}");
        // Reading stops at the badge chunk: a file cut after it (IEND lost) still gives it.
        let badge_end = good.len() - 12;
        for cut in 0..badge_end {
            assert!(badge_chunk(&good[..cut]).is_err(), "{cut}");
        }
        assert!(badge_chunk(&good[..badge_end]).is_ok());
        let mut bad_crc = good.clone();
        let last = bad_crc.len() - 13;
        bad_crc[last] ^= 1;
        assert!(badge_chunk(&bad_crc).unwrap_err().message().contains("CRC"));
        let mut huge = good.clone();
        huge[33..37].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
        assert!(badge_chunk(&huge).unwrap_err().message().contains("more than the file holds"));
        for i in 0..good.len() {
            for v in [0u8, 0xff, b'{'] {
                let mut m = good.clone();
                m[i] = v;
                let _ = badge_chunk(&m);
            }
        }
    }
}
