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
pub mod record;
pub mod saved;
pub mod skill;
pub mod text;

pub use account::{Email, PasswordPolicyError, check_password_policy};
pub use course::{AttestationKind, AttestationRecord, CourseRecord, FollowMode, Outcome};
pub use date::IsoDate;
pub use document::{Document, Lang, LearnerRecord, Situation, parse_document};

/// A rule broken by some input, with the JSON path of the offending value
/// (`courses[3].hours`), so that a user can find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    pub path: String,
    pub message: String,
}

/// `path: message`, or the message alone when the problem is the whole input (no path): a
/// lone leading ": " reads as a bug.
impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

/// The longest path or message a [`ValidationError`] keeps, in bytes. Errors quote what they
/// refuse (`` `Mar 15` is not a date``); a hostile file's megabyte cell or key must not come back
/// whole in the error, the API answer and the log.
pub const MAX_ERROR_LEN: usize = 1000;

impl ValidationError {
    /// A path and a message, each cut to [`MAX_ERROR_LEN`] bytes (with `…`) when longer.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: clip(path.into()), message: clip(message.into()) }
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
        assert_eq!(ValidationError::new("", "invalid JSON").to_string(), "invalid JSON");
        assert_eq!(ValidationError::new("courses[3].hours", "negative").to_string(), "courses[3].hours: negative");
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
        assert!(err.path.len() <= MAX_ERROR_LEN && err.message.len() <= MAX_ERROR_LEN);
        assert!(err.message.starts_with("unknown field `éé"), "{}", &err.message[..40]);
        let short = ValidationError::new("courses[0].hours", "must be positive");
        assert_eq!((short.path.as_str(), short.message.as_str()), ("courses[0].hours", "must be positive"));
        let exact = ValidationError::new("", "x".repeat(MAX_ERROR_LEN));
        assert_eq!(exact.message.len(), MAX_ERROR_LEN);
    }
}
