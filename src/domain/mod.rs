//! The learner's record as pure data: types, parsing and validation rules.
//!
//! Nothing here knows about HTTP or SQL, so the same rules serve the JSON API, the command
//! line, the importers and (later) the offline PDF renderer.

pub mod account;
pub mod advice;
pub mod assurance;
pub mod badge;
pub mod bulk;
pub mod check;
pub mod course;
pub mod date;
pub mod document;
pub mod evidence;
pub mod institution;
pub mod issuers;
pub mod portfolio;
pub mod problem;
pub mod record;
pub mod saved;
pub mod skill;
pub mod text;

pub use account::{Email, PasswordPolicyError, check_password_policy};
pub use course::{AttestationKind, AttestationRecord, CourseRecord, FollowMode, Outcome};
pub use date::IsoDate;
pub use document::{Document, Lang, LearnerRecord, Situation, parse_document};
pub use problem::Problem;

/// A rule broken by some input, with the JSON path of the offending value
/// (`courses[3].hours`, or `line 4, column Started On` in a CSV), so that a user can find and
/// fix it. The problem is data; [`ValidationError::message`] words it in English (the API's and
/// the command line's language), [`ValidationError::message_in`] in any language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub path: String,
    pub problem: Problem,
}

/// `path: message`, or the message alone when the problem is the whole input (no path): a
/// lone leading ": " reads as a bug.
impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self.message();
        if self.path.is_empty() { f.write_str(&message) } else { write!(f, "{}: {message}", self.path) }
    }
}

impl std::error::Error for ValidationError {}

/// The longest path or message a [`ValidationError`] keeps, in bytes. Errors quote what they
/// refuse (`` `Mar 15` is not a date``); a hostile file's megabyte cell or key must not come back
/// whole in the error, the API answer and the log.
pub const MAX_ERROR_LEN: usize = 1000;

impl ValidationError {
    /// A path, cut to [`MAX_ERROR_LEN`] bytes (with `…`) when longer, and what is wrong there.
    pub fn new(path: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self { path: clip(path.into()), problem: problem.into() }
    }

    /// The problem in English, at most [`MAX_ERROR_LEN`] bytes.
    pub fn message(&self) -> String {
        self.message_in(Lang::En)
    }

    /// The problem in `lang`, at most [`MAX_ERROR_LEN`] bytes.
    pub fn message_in(&self, lang: Lang) -> String {
        clip(crate::i18n::problem(lang, &self.problem))
    }
}

/// `text` cut at a character boundary to at most [`MAX_ERROR_LEN`] bytes, `…` included.
fn clip(mut text: String) -> String {
    if text.len() > MAX_ERROR_LEN {
        let mut end = MAX_ERROR_LEN - '…'.len_utf8();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod display_tests {
    use super::ValidationError;

    #[test]
    fn an_error_of_the_whole_input_has_no_leading_colon() {
        use super::Problem;
        assert_eq!(ValidationError::new("", Problem::FileEmpty).to_string(), "the file is empty");
        assert_eq!(
            ValidationError::new("courses[3].title", Problem::Empty).to_string(),
            "courses[3].title: must not be empty"
        );
    }
}

/// Joins a JSON path prefix and a field name: `join("courses[2]", "hours")`.
pub(crate) fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() { field.to_owned() } else { format!("{prefix}.{field}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found writing the fuzz targets' contract (`fuzz_entry`): a document whose unknown key or bad
    /// value is a megabyte long came back whole in the error's path and message.
    #[test]
    fn errors_keep_at_most_max_error_len_bytes_of_path_and_message() {
        let key = "é".repeat(1 << 20);
        let doc = format!(r#"{{"certfolio": 1, "learner": {{"name": "x", "{key}": 1}}}}"#);
        let err = parse_document(doc.as_bytes()).unwrap_err();
        assert!(err.path.starts_with("learner.éé") && err.path.ends_with('…'), "{}", &err.path[..40]);
        assert!(err.path.len() <= MAX_ERROR_LEN && err.message().len() <= MAX_ERROR_LEN);
        assert!(err.message().starts_with("unknown field `éé"), "{}", &err.message()[..40]);
        let short = ValidationError::new("courses[0].hours", Problem::Empty);
        assert_eq!((short.path.as_str(), short.message().as_str()), ("courses[0].hours", "must not be empty"));
        let long = ValidationError::new("", Problem::Invalid { detail: "x".repeat(2 * MAX_ERROR_LEN) });
        assert_eq!(long.message().len(), MAX_ERROR_LEN);
        assert_eq!(long.message_in(Lang::Fr).len(), MAX_ERROR_LEN);
    }
}
