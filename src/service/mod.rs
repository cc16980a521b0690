//! The jobs both doors of the service do: the JSON API (`api`) and the pages (`web`) call these
//! functions, so that a rule, a limit or a log line is written once. Each takes the state and
//! plain values (never a request) and answers an `AppError`, in which storage errors have
//! become the service's own (`error::AppError::from`, the one place that reads them).
//!
//! - `accounts`: sign-up, sign-in and the session behind a request, sign-out, profile and
//!   settings, password change.
//! - `courses`: saving (create, update) and deleting a course.
//! - `evidence`: evidence upload, download, removal; files sent back safely.
//! - `shares`: share links made, listed with their views, revoked.
//! - `institutions`: editing and merging institutions.

pub mod accounts;
pub mod courses;
pub mod evidence;
pub mod institutions;
pub mod shares;
