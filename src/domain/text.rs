//! Text rules shared by every record: bounded lengths, no control characters, safe URLs,
//! and the normalised form under which two spellings of a name are the same name.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use super::{Problem, ValidationError};

/// Maximum lengths, in Unicode scalar values. Generous for real data, small enough that a
/// hostile document cannot make one record megabytes long.
pub const MAX_NAME: usize = 200;
pub const MAX_TITLE: usize = 300;
pub const MAX_SHORT: usize = 100;
pub const MAX_LONG: usize = 2000;
pub const MAX_URL: usize = 2048;
pub const MAX_THEMES: usize = 20;

/// `check_line` as an ECMA-262 pattern, for the OpenAPI description (the same literal is
/// spelled out in the `#[schema(pattern = …)]` attributes, which take literals only).
pub const LINE_PATTERN: &str =
    "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";

/// At most this many characters of a refused value are quoted back in an error message.
pub const MAX_QUOTED: usize = 60;

/// `text` as UTF-8 bytes, each percent-encoded but ASCII letters, digits and the bytes of
/// `keep` (the set differs by where the text goes: RFC 6068 for a `mailto:` query, RFC 5987
/// for a header's `filename*`).
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A refused value as an error quotes it: whole when short, else its first [`MAX_QUOTED`]
/// characters and `…`, so that a megabyte cell does not come back whole in the answer.
pub fn excerpt(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(MAX_QUOTED) {
        None => std::borrow::Cow::Borrowed(value),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &value[..end])),
    }
}

/// Unicode's `Bidi_Control` characters: invisible, they reorder the text around them, so that
/// `evil\u{202e}fdp.png` reads as "evilgnp.pdf" (the "Trojan Source" trick). Letters carry
/// their own direction; text typed or exported by a person never needs these.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn check_bidi(path: &str, value: &str) -> Result<(), ValidationError> {
    match value.chars().find(|c| is_bidi_control(*c)) {
        Some(c) => Err(ValidationError::new(path, Problem::DirectionControl { code: c as u32 })),
        None => Ok(()),
    }
}

/// A single-line text: not blank, at most `max` characters, no control characters, no
/// direction controls.
pub fn check_line(path: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(path, Problem::Empty));
    }
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::new(path, Problem::TooLong { len, max }));
    }
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new(path, Problem::NotOneLine));
    }
    check_bidi(path, value)
}

/// A free text that may span lines (motive, notes): tabs and newlines are allowed.
pub fn check_paragraph(path: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(path, Problem::Empty));
    }
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::new(path, Problem::TooLong { len, max }));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(ValidationError::new(path, Problem::ControlCharacters));
    }
    check_bidi(path, value)
}

/// Only absolute `http` and `https` URLs with a host: a `javascript:` or `data:` URL stored
/// today would become a live link on a recruiter's page tomorrow.
pub fn check_url(path: &str, value: &str) -> Result<(), ValidationError> {
    check_line(path, value, MAX_URL)?;
    let parsed = url::Url::parse(value).map_err(|reason| ValidationError::new(path, Problem::NotAUrl { reason }))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        let scheme = excerpt(parsed.scheme()).into_owned();
        return Err(ValidationError::new(path, Problem::UrlScheme { scheme }));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ValidationError::new(path, Problem::UrlNoHost));
    }
    Ok(())
}

/// The form under which names are compared: accents removed, lower case, inner spaces
/// collapsed, outer spaces trimmed. "École  Polytechnique " and "ecole polytechnique" agree.
pub fn normalize_name(value: &str) -> String {
    let folded: String = value.nfkd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_as_an_excerpt() {
        assert_eq!(excerpt("Mar 15"), "Mar 15");
        let long = "é".repeat(MAX_QUOTED + 1);
        assert_eq!(excerpt(&long), format!("{}…", "é".repeat(MAX_QUOTED)));
        assert_eq!(excerpt(&"x".repeat(MAX_QUOTED)), "x".repeat(MAX_QUOTED));
    }

    #[test]
    fn accents_case_and_spaces_do_not_make_a_new_name() {
        assert_eq!(normalize_name("École Polytechnique"), normalize_name("ecole polytechnique "));
        assert_eq!(normalize_name("  Université   Paris-Saclay"), "universite paris-saclay");
        assert_ne!(normalize_name("MIT"), normalize_name("EPFL"));
    }

    #[test]
    fn only_http_urls_are_accepted() {
        assert!(check_url("u", "https://example.org/verify/1").is_ok());
        assert!(check_url("u", "http://example.org").is_ok());
        for bad in ["javascript:alert(1)", "data:text/html,x", "ftp://example.org", "example.org", "https://"] {
            let err = check_url("u", bad).expect_err(bad);
            assert_eq!(err.path, "u");
        }
    }

    #[test]
    fn the_published_pattern_agrees_with_check_line() {
        let pattern = regex::Regex::new(LINE_PATTERN).unwrap();
        for sample in
            ["Gestion de projet", " x ", "École", "a\u{a0}b", "", "   ", "a\nb", "\u{85}", "x\u{9e}", "\t", "🌙"]
        {
            assert_eq!(pattern.is_match(sample), check_line("t", sample, MAX_TITLE).is_ok(), "{sample:?}");
        }
    }

    #[test]
    fn direction_controls_are_refused_naming_the_field() {
        for c in ['\u{202e}', '\u{202a}', '\u{2066}', '\u{2069}', '\u{200f}', '\u{061c}'] {
            let text = format!("evil{c}fdp.png");
            let err = check_line("courses[0].title", &text, MAX_TITLE).unwrap_err();
            assert_eq!(err.path, "courses[0].title");
            assert!(err.message().contains(&format!("U+{:04X}", c as u32)), "{}", err.message());
            assert!(check_paragraph("notes", &text, MAX_LONG).is_err());
        }
        // Right-to-left letters themselves are text, not controls.
        assert!(check_line("t", "جامعة القاهرة", MAX_TITLE).is_ok());
        assert!(check_line("t", "האוניברסיטה העברית", MAX_TITLE).is_ok());
    }

    #[test]
    fn lines_are_bounded_and_single() {
        assert!(check_line("t", "Gestion de projet", MAX_TITLE).is_ok());
        assert!(check_line("t", "   ", MAX_TITLE).is_err());
        assert!(check_line("t", "a\nb", MAX_TITLE).is_err());
        assert!(check_line("t", &"x".repeat(MAX_TITLE + 1), MAX_TITLE).is_err());
        assert!(check_paragraph("m", "line one\nline two", MAX_LONG).is_ok());
    }
}
