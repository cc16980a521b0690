//! A known issuer's verification page: fetched, and read for the learner's name and the
//! course's title. A page that answers and names both is "issuer page checked"; one that
//! answers without naming them raises nothing; one that does not answer is "link broken".
//!
//! What is read is the page as served: a platform whose certificate page is filled in by
//! script after loading shows neither name in its HTML, and is reported as not naming them
//! (honestly: certfolio did not see them).

use crate::domain::check::{CheckResult, NotChecked, Outcome, PageFinding, Reason, Source, What};
use crate::domain::issuers::known_issuer;
use crate::domain::text::normalize_name;
use crate::fetch::Expect;

use super::fetching::Fetch;

pub(super) async fn check(f: &mut Fetch, url: &str, learner: &str, course: &str) -> CheckResult {
    let mut r = CheckResult::new(Outcome::NotChecked, f.online());
    let Some((issuer, host)) = known_issuer(url) else {
        r.problem = Some(NotChecked {
            what: What::Page,
            url: Some(url.to_owned()),
            reason: Reason::new("unsupported", "not a page of a known issuer"),
        });
        return r;
    };
    r.signer = Some(host.clone());
    r.source = Some(Source::Fetched { host: host.clone(), url: url.to_owned() });
    match f.get(url, &[Expect::Html]).await {
        Ok(page) => {
            let text = visible_text(&String::from_utf8_lossy(&page.body));
            let names = |what: &str| {
                let wanted = normalize_name(what);
                !wanted.is_empty() && text.contains(&wanted)
            };
            let finding = PageFinding {
                host,
                issuer: issuer.name.to_owned(),
                learner: learner.to_owned(),
                course: course.to_owned(),
                names_learner: names(learner),
                names_course: names(course),
            };
            r.outcome = if finding.names_learner && finding.names_course {
                Outcome::PageChecked
            } else {
                Outcome::PageUnconfirmed
            };
            r.page = Some(finding);
        }
        Err(reason) => {
            // The page does not answer: gone, no such host, no connection, a broken certificate
            // or too slow. Anything else (offline, a refused address, not HTML, busy) says
            // nothing about the page.
            let broken = matches!(
                reason.code.as_str(),
                "status"
                    | "dns"
                    | "connect"
                    | "tls"
                    | "timeout"
                    | "connect_timeout"
                    | "too_many_redirects"
                    | "malformed"
            );
            r.outcome = if broken { Outcome::LinkBroken } else { Outcome::NotChecked };
            r.problem = Some(NotChecked { what: What::Page, url: Some(url.to_owned()), reason });
        }
    }
    r
}

/// The text a reader sees, folded like names are compared (no accents, case or extra spaces):
/// tags dropped, script and style contents dropped, common character references decoded.
pub(super) fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let after = &rest[open..];
        let starts = |p: &str| after.len() >= p.len() && after.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
        let next = if starts("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            let body_end = if starts("<script") {
                find_ci(after, "</script")
            } else if starts("<style") {
                find_ci(after, "</style")
            } else {
                Some(0)
            };
            body_end.and_then(|i| after[i..].find('>').map(|c| i + c + 1))
        };
        match next {
            Some(n) => rest = &after[n..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    normalize_name(&decode_references(&out))
}

/// Where `needle` (ASCII) first occurs in `hay`, whatever the case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len()) + 1)
        .find(|&i| h.len() >= i + n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let n = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_as_a_reader_sees_it() {
        let html = r#"<html><head><style>.x{}</style><script>var n = "Alex Martin";</script></head>
            <body><h1>Machine&nbsp;Learning for <b>Everyone</b></h1><!-- Alex -->
            <p>Completed by L&#233;a&#x20;Moreau &amp; friends</p></body></html>"#;
        let text = visible_text(html);
        assert!(text.contains("machine learning for everyone"), "{text}");
        assert!(text.contains("completed by lea moreau & friends"), "{text}");
        assert!(!text.contains("alex"), "script and comments are not read: {text}");
        assert_eq!(visible_text("<p unclosed"), "");
        assert_eq!(visible_text("a &bogus; b"), "a &bogus; b");
    }
}
