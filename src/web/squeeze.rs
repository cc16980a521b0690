//! Rendered HTML without the templates' indentation.
//!
//! askama's `minimize` (askama.toml) collapses whitespace next to template tags, but the
//! indentation of the markup between them stays: a twelfth of the recruiter's page. Here each
//! run of whitespace that spans lines becomes its line breaks alone. Browsers render the result
//! the same: a run of spaces and line breaks is one space in normal text, and under
//! `white-space: pre-line` (a learner's statement) spaces around a line break are dropped while
//! the line breaks stay. Elements whose whitespace is shown as written (`pre`, `textarea`) and
//! whose content is not HTML (`script`, `style`) are copied unchanged.

/// Elements copied as they are, lowercase.
const VERBATIM: [&str; 4] = ["pre", "textarea", "script", "style"];

pub fn squeeze_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((start, name)) = next_verbatim(rest) {
        squeeze_into(&mut out, &rest[..start]);
        let body = &rest[start..];
        // Through the closing tag, or to the end if it never closes (nothing is dropped).
        let end = find_ci(body, &format!("</{name}"))
            .map_or(body.len(), |i| body[i..].find('>').map_or(body.len(), |j| i + j + 1));
        out.push_str(&body[..end]);
        rest = &body[end..];
    }
    squeeze_into(&mut out, rest);
    out
}

/// Where the next verbatim element opens in `s`, and its name.
fn next_verbatim(s: &str) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find('<').map(|i| from + i) {
        for name in VERBATIM {
            let after = i + 1 + name.len();
            let named = bytes.get(i + 1..after).is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()));
            // `<pre>` and `<pre class=…>`, not `<prefix>`.
            if named && bytes.get(after).is_none_or(|b| *b == b'>' || b.is_ascii_whitespace() || *b == b'/') {
                return Some((i, name));
            }
        }
        from = i + 1;
    }
    None
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn squeeze_into(out: &mut String, s: &str) {
    let mut chars = s.char_indices().peekable();
    let mut copied = 0;
    while let Some((i, c)) = chars.next() {
        if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, c)) = chars.peek() {
            if !matches!(c, ' ' | '\t' | '\n' | '\r') {
                break;
            }
            end = j + 1;
            chars.next();
        }
        let lines = s[i..end].bytes().filter(|b| *b == b'\n').count();
        if lines > 0 {
            out.push_str(&s[copied..i]);
            out.extend(std::iter::repeat_n('\n', lines));
            copied = end;
        }
    }
    out.push_str(&s[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_goes_and_every_gap_and_line_break_stays() {
        let html = "<ul>\n    <li>a  b</li>\n\n    <li>c</li>\r\n  </ul> <p>x\ty</p>";
        assert_eq!(squeeze_lines(html), "<ul>\n<li>a  b</li>\n\n<li>c</li>\n</ul> <p>x\ty</p>");
    }

    #[test]
    fn preformatted_text_and_scripts_are_copied_as_written() {
        let html = "<div>\n  <PRE class=\"x\">  a\n    b</Pre>\n  <textarea>\n  t\n</textarea>\n  \
                    <script>\n  let s = 1;\n</script><prefix>\n  q</prefix>";
        assert_eq!(
            squeeze_lines(html),
            "<div>\n<PRE class=\"x\">  a\n    b</Pre>\n<textarea>\n  t\n</textarea>\n\
             <script>\n  let s = 1;\n</script><prefix>\nq</prefix>"
        );
    }

    #[test]
    fn an_unclosed_verbatim_element_keeps_the_rest_whole() {
        let html = "<p>\n  a</p><pre>\n  b\n  c";
        assert_eq!(squeeze_lines(html), "<p>\na</p><pre>\n  b\n  c");
    }

    #[test]
    fn text_outside_ascii_is_untouched() {
        let html = "<p>Développeuse\n    web · « Nancy »\u{a0} </p>";
        assert_eq!(squeeze_lines(html), "<p>Développeuse\nweb · « Nancy »\u{a0} </p>");
    }
}
