//! The learner's record as pure data: types, parsing and validation rules.
//!
//! Nothing here knows about HTTP or SQL, so the same rules serve the JSON API, the command
//! line, the importers and (later) the offline PDF renderer.

pub mod account;
pub mod advice;
pub mod assurance;
pub mod badge;
pub mod course;
pub mod date;
pub mod document;
pub mod evidence;
pub mod institution;
pub mod portfolio;
pub mod text;

pub use account::{Email, PasswordPolicyError, check_password_policy};
pub use course::{AttestationKind, AttestationRecord, CourseRecord, FollowMode, Outcome};
pub use date::IsoDate;
pub use document::{Document, Lang, LearnerRecord, Situation, parse_document};

/// A rule broken by some input, with the JSON path of the offending value
/// (`courses[3].hours`), so that a user can find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ValidationError {
    pub path: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }
}

/// Joins a JSON path prefix and a field name: `join("courses[2]", "hours")`.
pub(crate) fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() { field.to_owned() } else { format!("{prefix}.{field}") }
}
