//! The Open Badges element of a baked SVG, found without a full XML parser.
//!
//! A baked SVG holds one `<openbadges:assertion>` (2.0) or `<openbadges:credential>` (3.0)
//! element whose text is the badge as JSON (usually in CDATA), or whose `verify` attribute is a
//! signed badge (a JWS) or, for hosted 2.0 badges, the assertion's URL. Only that element is
//! looked for: the prefix bound to an Open Badges namespace (`openbadges` when none is
//! declared), its attributes, and its text up to the closing tag. Every search is a linear scan
//! of the text, so a hostile file costs its length, no more.

use super::png::Baking;
use crate::domain::ValidationError;
use crate::domain::problem::BadgeProblem as B;

/// The namespaces bakers bind the prefix to (2.0's and 3.0's).
const NAMESPACES: &[&str] = &[
    "http://openbadges.org",
    "https://openbadges.org",
    "https://purl.imsglobal.org/ob/v3p0",
    "http://purl.imsglobal.org/ob/v3p0",
];

fn err(problem: B) -> ValidationError {
    ValidationError::new("SVG", problem)
}

/// What the element carries: its text when it has some, else its `verify` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgBadge {
    pub baking: Baking,
    pub text: String,
}

/// The badge payload of a baked SVG.
pub fn badge_payload(bytes: &[u8]) -> Result<SvgBadge, ValidationError> {
    let text = std::str::from_utf8(super::detect::strip_bom(bytes))
        .map_err(|e| err(B::SvgNotUtf8 { detail: e.to_string() }))?;
    let mut prefixes = declared_prefixes(text);
    if prefixes.is_empty() {
        prefixes.push("openbadges".to_owned());
    }
    for prefix in &prefixes {
        for (local, baking) in [("assertion", Baking::OpenBadges), ("credential", Baking::OpenBadgeCredential)] {
            let name = format!("{prefix}:{local}");
            if let Some(found) = element(text, &name)? {
                return Ok(SvgBadge { baking, text: found });
            }
        }
    }
    Err(err(B::SvgNotBaked))
}

/// Prefixes bound to an Open Badges namespace by `xmlns:PREFIX="…"`.
fn declared_prefixes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("xmlns:") {
        rest = &rest[i + 6..];
        let Some(eq) = rest.find('=') else { break };
        let prefix = rest[..eq].trim();
        let value = rest[eq + 1..].trim_start();
        let Some(quote) = value.chars().next().filter(|q| *q == '"' || *q == '\'') else { continue };
        let Some(end) = value[1..].find(quote) else { break };
        let uri = value[1..1 + end].trim().trim_end_matches('/');
        let valid_prefix = !prefix.is_empty() && prefix.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
        if valid_prefix && NAMESPACES.contains(&uri) && !out.iter().any(|p| p == prefix) {
            out.push(prefix.to_owned());
        }
    }
    out
}

/// The payload of the first `<name …>` element: its text (CDATA unwrapped, entities decoded)
/// when not blank, else its `verify` attribute.
fn element(text: &str, name: &str) -> Result<Option<String>, ValidationError> {
    let open = format!("<{name}");
    let mut from = 0;
    let start = loop {
        let Some(i) = text.get(from..).and_then(|t| t.find(&open)) else { return Ok(None) };
        let at = from + i + open.len();
        // `<openbadges:assertionX` is another element.
        match text[at..].chars().next() {
            Some(c) if c.is_whitespace() || c == '>' || c == '/' => break at,
            None => return Err(err(B::SvgEndsInside { name: name.to_owned() })),
            Some(_) => from = at,
        }
    };
    let (attrs, self_closing, body_start) = start_tag(text, start, name)?;
    let verify = attribute(attrs, "verify");
    let body = if self_closing {
        String::new()
    } else {
        let close = format!("</{name}");
        let end = text[body_start..].find(&close).ok_or_else(|| err(B::SvgNeverClosed { name: name.to_owned() }))?;
        element_text(&text[body_start..body_start + end])
    };
    let body = body.trim();
    if !body.is_empty() {
        return Ok(Some(body.to_owned()));
    }
    match verify {
        Some(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_owned())),
        _ => Err(err(B::SvgEmpty { name: name.to_owned() })),
    }
}

/// The attribute text of a start tag beginning at `from`, whether it closes itself, and where
/// its content starts. Quotes are honoured: a `>` inside a JWS attribute cannot occur, but one
/// inside any quoted value must not end the tag.
fn start_tag<'a>(text: &'a str, from: usize, name: &str) -> Result<(&'a str, bool, usize), ValidationError> {
    let mut quote: Option<char> = None;
    for (i, c) in text[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                let attrs = &text[from..from + i];
                let self_closing = attrs.trim_end().ends_with('/');
                return Ok((attrs, self_closing, from + i + 1));
            }
            (None, _) => {}
        }
    }
    Err(err(B::SvgTagNeverClosed { name: name.to_owned() }))
}

/// The value of `name="…"` in a start tag's attribute text, entities decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        let i = rest.find(name)?;
        let before_ok = i == 0 || rest[..i].ends_with(char::is_whitespace);
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if !before_ok {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else { continue };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let end = value[1..].find(quote)?;
        return Some(decode_entities(&value[1..1 + end]));
    }
}

/// Element text: CDATA sections taken as they are, other text with entities decoded.
fn element_text(raw: &str) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find("<![CDATA[") {
        out.push_str(&decode_entities(&rest[..i]));
        let inner = &rest[i + 9..];
        match inner.find("]]>") {
            Some(end) => {
                out.push_str(&inner[..end]);
                rest = &inner[end + 3..];
            }
            None => {
                out.push_str(inner);
                rest = "";
            }
        }
    }
    out.push_str(&decode_entities(rest));
    out
}

/// The five predefined XML entities and numeric references; anything else is left as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &tail[1..e];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::interop::test_support::real;

    #[test]
    fn real_baked_svgs_give_their_payload() {
        let b = badge_payload(&real("openbadges3/ob3_baked_json.svg")).unwrap();
        assert_eq!(b.baking, Baking::OpenBadgeCredential);
        assert!(b.text.starts_with('{') && b.text.ends_with('}'), "{}", b.text);
        let b = badge_payload(&real("openbadges3/ob3_baked_jwt.svg")).unwrap();
        assert!(b.text.starts_with("eyJ"));
        let b = badge_payload(&real("openbadges2/baked_svg_assertion_bakery.svg")).unwrap();
        assert_eq!((b.baking, b.text.as_str()), (Baking::OpenBadges, r#"{"verify":{"url":"http://example.org"}}"#));
    }

    #[test]
    fn prefixes_attributes_and_entities() {
        let svg = br#"<svg xmlns:ob='https://purl.imsglobal.org/ob/v3p0'><ob:credential verify="a&amp;b"/></svg>"#;
        assert_eq!(badge_payload(svg).unwrap().text, "a&b");
        let svg = b"<svg><openbadges:assertion>{&quot;x&quot;: 1}</openbadges:assertion></svg>";
        assert_eq!(badge_payload(svg).unwrap().text, "{\"x\": 1}");
        assert!(badge_payload(b"<svg><openbadges:assertion></openbadges:assertion></svg>").is_err());
        assert!(badge_payload(b"<svg><rect/></svg>").unwrap_err().message().contains("no Open Badges data"));
    }

    #[test]
    fn truncations_never_panic() {
        let file = real("openbadges3/ob3_baked_jwt.svg");
        for cut in 0..file.len() {
            let _ = badge_payload(&file[..cut]);
        }
        assert!(badge_payload(&[0xff, 0xfe, b'<']).is_err());
    }
}
