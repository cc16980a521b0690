//! Which format a file is in, read from its content: a file name or a content type says what
//! the sender believes, the bytes say what it is.

use crate::domain::ValidationError;
use crate::domain::problem::{Problem, Unrecognised};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The portfolio document (JSON with `"certfolio": 1`).
    Document,
    /// A JSON Resume (`basics` or `certificates`, no `certfolio`).
    JsonResume,
    /// LinkedIn's `Certifications.csv` (its exact header).
    LinkedIn,
    /// A CSV whose header row names document fields.
    Csv,
    /// An Open Badges 2.0 or 3.0 badge: JSON, a compact JWS, or a baked PNG or SVG image.
    OpenBadges,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Document => "portfolio document",
            Format::JsonResume => "JSON Resume",
            Format::LinkedIn => "LinkedIn Certifications.csv",
            Format::Csv => "CSV",
            Format::OpenBadges => "Open Badges",
        }
    }
}

/// The header of every LinkedIn `Certifications.csv` export seen (fixtures/real/NOTES.md).
pub const LINKEDIN_HEADER: [&str; 6] = ["Name", "Url", "Authority", "Started On", "Finished On", "License Number"];

/// The bytes without a UTF-8 byte-order mark (spreadsheets write one).
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn unrecognised(why: Unrecognised) -> ValidationError {
    ValidationError::new("", Problem::Unrecognised(why))
}

/// Tells the format of `bytes`. JSON that does not parse is reported as a document (the format
/// a JSON upload most likely is), so its error is the document parser's precise one.
pub fn detect(bytes: &[u8]) -> Result<Format, ValidationError> {
    let body = strip_bom(bytes);
    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    match first {
        None => return Err(unrecognised(Unrecognised::Empty)),
        Some(b'{') => return detect_json(body),
        Some(b'[') => return Err(unrecognised(Unrecognised::JsonArray)),
        Some(_) => {}
    }
    // A PNG is only ever a baked badge here; one without badge data is refused by its parser,
    // which can say so precisely.
    if body.starts_with(b"\x89PNG") {
        return Ok(Format::OpenBadges);
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(unrecognised(Unrecognised::NotText));
    };
    let trimmed = text.trim();
    if trimmed.starts_with('<') {
        let head = trimmed.get(..trimmed.len().min(4096)).unwrap_or(trimmed).to_ascii_lowercase();
        if head.contains("<svg") || trimmed.contains("openbadges") {
            return Ok(Format::OpenBadges);
        }
        return Err(unrecognised(Unrecognised::NotSvg));
    }
    if super::jws::looks_like(trimmed) {
        return Ok(Format::OpenBadges);
    }
    let header = csv_header(body).ok_or_else(|| unrecognised(Unrecognised::NotCsvHeader))?;
    if header.iter().map(String::as_str).eq(LINKEDIN_HEADER) {
        return Ok(Format::LinkedIn);
    }
    if header.iter().any(|h| super::csv::is_column(h)) {
        return Ok(Format::Csv);
    }
    Err(unrecognised(Unrecognised::NoKnownColumn))
}

fn detect_json(body: &[u8]) -> Result<Format, ValidationError> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(Format::Document);
    };
    if map.contains_key("certfolio") {
        Ok(Format::Document)
    } else if map.contains_key("basics") || map.contains_key("certificates") {
        Ok(Format::JsonResume)
    } else if is_open_badges(&map) {
        Ok(Format::OpenBadges)
    } else {
        Err(unrecognised(Unrecognised::UnknownJson))
    }
}

/// The marks of Open Badges JSON of any generation: an Open Badges or credentials context, a
/// badge or credential type, or the fields a 1.0 / 0.5 assertion or badge class has.
fn is_open_badges(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    let context = map.get("@context").map(ToString::to_string).unwrap_or_default();
    let types = map.get("type").map(ToString::to_string).unwrap_or_default();
    context.contains("openbadges")
        || context.contains("/credentials/")
        || ["Assertion", "BadgeClass", "Credential", "Issuer"].iter().any(|t| types.contains(t))
        || map.contains_key("vc")
        || (map.contains_key("badge") && (map.contains_key("recipient") || map.contains_key("issuedOn")))
        || map.contains_key("verify")
        || (map.contains_key("criteria") && map.contains_key("issuer"))
}

/// The first record of a CSV text, cells trimmed, with the delimiter the generic format allows
/// (a comma, or a semicolon as French spreadsheets write).
fn csv_header(body: &[u8]) -> Option<Vec<String>> {
    let delimiter = super::csv::delimiter(body);
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).from_reader(body);
    let record = reader.records().next()?.ok()?;
    Some(record.iter().map(|c| c.trim().to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::interop::test_support::real;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(detect(br#"{"certfolio": 1, "learner": {"name": "x"}}"#).unwrap(), Format::Document);
        assert_eq!(detect(br#"{"certfolio": 1, "#).unwrap(), Format::Document);
        assert_eq!(detect(b"\xEF\xBB\xBF title,platform\nx,y\n").unwrap(), Format::Csv);
        assert_eq!(detect(b"title;hours\nx;3\n").unwrap(), Format::Csv);
        assert_eq!(detect(&real("jsonresume/complete-resume.json")).unwrap(), Format::JsonResume);
        assert_eq!(detect(&real("jsonresume/career-changer.resume.json")).unwrap(), Format::JsonResume);
        for f in ["bsdpunk", "dineshbarri", "jayaprakash"] {
            assert_eq!(detect(&real(&format!("linkedin/Certifications.{f}.csv"))).unwrap(), Format::LinkedIn);
        }
    }

    #[test]
    fn open_badges_files_are_told_by_content() {
        for f in [
            "openbadges2/baked_ob2_json_itxt.png",
            "openbadges2/bad_png_unbaked_bakery.png",
            "openbadges2/assertion_hosted.json",
            "openbadges2/assertion_signed.jws",
            "openbadges2/badgeclass.json",
            "openbadges2/legacy_ob05_assertion.json",
            "openbadges2/legacy_ob1_badgeclass.json",
            "openbadges2/baked_svg_assertion_bakery.svg",
            "openbadges3/ob3_baked_json.svg",
            "openbadges3/ob3_simple_vcjwt.jwt",
            "openbadges3/ob3_vc1_simple.json",
            "openbadges3/ob3_endorsement.json",
        ] {
            assert_eq!(detect(&real(f)).unwrap(), Format::OpenBadges, "{f}");
        }
    }

    #[test]
    fn anything_else_is_unrecognised() {
        for bad in [
            real("europass/Europass_CV_V3.4.0_Example.xml"),
            real("europass/Europass_JSON_V3.4.0_ECV_Example.json"),
            b"".to_vec(),
            b"  \n ".to_vec(),
            b"[1, 2]".to_vec(),
            b"hello, world\n".to_vec(),
            b"\xff\xfe\x00garbage".to_vec(),
        ] {
            let err = detect(&bad).unwrap_err();
            assert!(err.message().starts_with("unrecognised format"), "{}", err.message());
        }
    }
}
