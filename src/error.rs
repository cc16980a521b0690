//! One error type for every handler, mapped to the contract's JSON shape
//! `{"error": {"code", "message"}}` (plus `field` when one input is to blame, and `problem`, the
//! code of what is wrong). Under `/api` that JSON is the answer; elsewhere `web::error_pages`
//! answers the same error as an HTML page in the reader's language.
//!
//! Internal failures are logged by the `log_server_errors` middleware and answered with a
//! generic message: SQL, file paths and panics never reach a client.

use std::sync::Arc;

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Lang, Problem, ValidationError};
use crate::storage;

/// Everything a handler can answer instead of success. What is wrong is data (a [`Problem`]),
/// worded in English for `/api` and in the page's language on pages (`web::error_pages`).
#[derive(Debug, Clone)]
pub enum AppError {
    Validation(ValidationError),
    BadRequest(Problem),
    Unauthorized,
    InvalidCredentials,
    Forbidden(Problem),
    NotFound,
    /// Asked for a page of something that was there and is no more (an import upload).
    Gone,
    Conflict(Problem),
    PayloadTooLarge(Problem),
    UnsupportedMediaType(Problem),
    TooManyRequests {
        retry_after: u64,
    },
    Unavailable,
    /// The database did not answer; `change` says what that left of the change being made.
    DatabaseDown {
        change: ChangeLeft,
    },
    /// The cause, for the log only: never shown.
    Internal(String),
}

/// English, for logs and the command line; an internal error shows its cause here only.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Internal(cause) => write!(f, "internal error: {cause}"),
            other => f.write_str(&other.message_in(Lang::En)),
        }
    }
}

impl std::error::Error for AppError {}

/// What a database that stopped answering left of the change a request was making: what the
/// answer may claim, and no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeLeft {
    /// It stopped before certfolio saw anything stored (not said to be nothing: a change is
    /// only known stored once its COMMIT is answered).
    NoneSeen,
    /// It stopped while the change was being committed: it may or may not be stored.
    Unknown,
    /// The change is committed; what was to read it back for the answer failed.
    Stored,
}

impl AppError {
    pub fn validation(path: impl Into<String>, problem: impl Into<Problem>) -> Self {
        AppError::Validation(ValidationError::new(path, problem))
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable | AppError::DatabaseDown { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable, machine-readable code: part of the contract, do not rename.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Gone => "gone",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Unavailable | AppError::DatabaseDown { .. } => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// What is wrong, as data. For an internal error, nothing of the cause.
    pub fn problem(&self) -> Problem {
        match self {
            AppError::Validation(v) => v.problem.clone(),
            AppError::BadRequest(p)
            | AppError::Forbidden(p)
            | AppError::Conflict(p)
            | AppError::PayloadTooLarge(p)
            | AppError::UnsupportedMediaType(p) => p.clone(),
            AppError::Unauthorized => Problem::SignInRequired,
            AppError::InvalidCredentials => Problem::WrongCredentials,
            AppError::NotFound => Problem::NotFound,
            AppError::Gone => Problem::Gone,
            AppError::TooManyRequests { retry_after } => Problem::TooManyAttempts { retry_after: *retry_after },
            AppError::Unavailable => Problem::Busy,
            AppError::DatabaseDown { change: ChangeLeft::NoneSeen } => Problem::DatabaseUnreachable,
            AppError::DatabaseDown { change: ChangeLeft::Unknown } => Problem::OutcomeUnknown,
            AppError::DatabaseDown { change: ChangeLeft::Stored } => Problem::SavedNotShown,
            AppError::Internal(_) => Problem::InternalError,
        }
    }

    /// What the client is told, in `lang` (at most `MAX_ERROR_LEN` bytes for a rule broken).
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            AppError::Validation(v) => v.message_in(lang),
            other => crate::i18n::problem(lang, &other.problem()),
        }
    }

    /// What an `/api` client is told: English.
    pub fn public_message(&self) -> String {
        self.message_in(Lang::En)
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        AppError::Validation(e)
    }
}

impl From<storage::Error> for AppError {
    fn from(e: storage::Error) -> Self {
        match e {
            storage::Error::NotFound => AppError::NotFound,
            storage::Error::Conflict(p) => AppError::Conflict(p),
            storage::Error::QuotaExceeded(p) => AppError::PayloadTooLarge(p),
            storage::Error::Invalid(v) => AppError::Validation(v),
            storage::Error::Throttled(retry_after) => AppError::TooManyRequests { retry_after },
            // The engine kept aborting the write to stay serializable, after every retry
            // (`storage::pg`): the service is overloaded, not broken, and nothing was stored. A
            // 503 with Retry-After says so and tells the client when to try again; a warning,
            // not an error, in the log.
            storage::Error::Database(f) if f.kind == storage::sql::FailureKind::Serialization => {
                tracing::warn!(cause = %f, "write abandoned after its serialization retries; answered 503");
                AppError::Unavailable
            }
            // A restart or a failover that outlasted the reconnection attempts (`storage::pg`),
            // or a COMMIT whose answer was lost on the way: a 503 that says which, not an
            // "internal error" (the operator's log has the warnings of the lost connection).
            storage::Error::Database(f) if f.kind == storage::sql::FailureKind::Connection => {
                tracing::warn!(cause = %f, "the database cannot be reached; answered 503");
                AppError::DatabaseDown { change: ChangeLeft::NoneSeen }
            }
            storage::Error::Database(f) if f.kind == storage::sql::FailureKind::CommitUnknown => {
                tracing::warn!(cause = %f, "the connection broke during COMMIT; answered 503, outcome unknown");
                AppError::DatabaseDown { change: ChangeLeft::Unknown }
            }
            // The change is committed; reading it back for the answer failed (a failover in
            // between, seen in scripts/failover.sh): said stored, so that it is not sent again.
            storage::Error::StoredNotRead(cause) => {
                tracing::warn!(cause = %cause, "a write was stored, then reading it back failed; answered 503");
                AppError::DatabaseDown { change: ChangeLeft::Stored }
            }
            other @ (storage::Error::Database(_)
            | storage::Error::Migration(_)
            | storage::Error::Io { .. }
            | storage::Error::Corrupt(_)
            | storage::Error::Files(_)
            | storage::Error::Refused(_)
            | storage::Error::Closed) => AppError::Internal(other.to_string()),
        }
    }
}

/// The body of every `/api` error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code such as `validation_failed`, `not_found`, `unauthorized`.
    pub code: String,
    pub message: String,
    /// The JSON path of the input at fault, when there is one (`courses[3].hours`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong, as a stable code (`not_a_date`, `too_long`…), for clients that word the
    /// message themselves; `message` says it in English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The error a response answers, carried in its extensions: pages re-render it as HTML in the
/// reader's language (`web::error_pages`).
#[derive(Debug, Clone)]
pub struct Answered(pub Arc<AppError>);

/// Carried in the response's extensions so that the logging middleware sees the real cause.
#[derive(Debug, Clone)]
pub struct LoggedCause(pub Arc<String>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let field = match &self {
            AppError::Validation(v) if !v.path.is_empty() => Some(v.path.clone()),
            _ => None,
        };
        let problem = match &self {
            AppError::Internal(_) => None,
            other => Some(other.problem().code().to_owned()),
        };
        let body = ErrorBody {
            error: ErrorDetail { code: self.code().into(), message: self.public_message(), field, problem },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after } = &self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        // Not when the database did not answer: a change may be stored, and a client retrying
        // blindly could make it twice.
        if let AppError::Unavailable = &self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_BUSY_SECS));
        }
        // The error itself, for the layer that answers pages with an HTML page instead
        // (`web::error_pages`); an internal error's cause goes to the log only.
        if let AppError::Internal(cause) = &self {
            response.extensions_mut().insert(LoggedCause(Arc::new(cause.clone())));
            response.extensions_mut().insert(Answered(Arc::new(AppError::Internal(String::new()))));
        } else {
            response.extensions_mut().insert(Answered(Arc::new(self)));
        }
        response
    }
}

/// What a busy service (every render slot taken) tells clients to wait, in seconds.
pub const RETRY_BUSY_SECS: u64 = 2;

/// Logs the cause of every 500 inside the request's span (axum's error-handling example:
/// `IntoResponse` stays free of side effects). A 503 is the service shedding load as designed,
/// not a fault: under a flood one line per request would fill the disk (the probe saw 58 MB of
/// log in 10 s), so they are counted and logged as one warning a second at most.
pub async fn log_server_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if let Some(LoggedCause(cause)) = response.extensions().get::<LoggedCause>() {
        tracing::error!(cause = %cause, "request failed");
    } else if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        BUSY.count();
    } else if response.status().is_server_error() {
        tracing::error!(status = %response.status(), "request failed");
    }
    response
}

/// Answers 503 counted since the last warning, and the second that warning was logged in.
struct BusyLog {
    count: std::sync::atomic::AtomicU64,
    logged_at: std::sync::atomic::AtomicU64,
}

static BUSY: BusyLog =
    BusyLog { count: std::sync::atomic::AtomicU64::new(0), logged_at: std::sync::atomic::AtomicU64::new(0) };

impl BusyLog {
    fn count(&self) {
        use std::sync::atomic::Ordering;
        self.count.fetch_add(1, Ordering::Relaxed);
        let second = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let last = self.logged_at.load(Ordering::Relaxed);
        // Only the request that moves the second forward logs, and it logs everything counted.
        if second > last && self.logged_at.compare_exchange(last, second, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            let n = self.count.swap(0, Ordering::Relaxed);
            tracing::warn!(answered_503 = n, "busy: requests refused with 503 since the last warning");
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sql::{DbFailure, FailureKind};

    /// Seen in the PostgreSQL benchmark: writes whose serialization retries ran out were 500s.
    #[test]
    fn a_write_abandoned_after_its_retries_is_a_503_with_retry_after() {
        let e: AppError =
            storage::Error::Database(DbFailure { kind: FailureKind::Serialization, message: "40001".into() }).into();
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.headers().contains_key(header::RETRY_AFTER));
        let other: AppError =
            storage::Error::Database(DbFailure { kind: FailureKind::Other, message: "disk".into() }).into();
        assert_eq!(other.into_response().status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    /// Seen in scripts/failover.sh: a write whose COMMIT was cut by the primary's switchover
    /// (stored, as it turned out) was answered "an internal error occurred". Neither answer
    /// says nothing was stored, nor invites a blind retry (a run once found stored a write
    /// whose connection was lost before its COMMIT, as certfolio saw it).
    #[test]
    fn a_lost_database_is_a_503_that_says_whether_the_change_may_be_stored() {
        let down: AppError =
            storage::Error::Database(DbFailure { kind: FailureKind::Connection, message: "refused".into() }).into();
        assert!(
            down.public_message().contains("reload first to see whether it was saved"),
            "{}",
            down.public_message()
        );
        let r = down.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(!r.headers().contains_key(header::RETRY_AFTER));
        let unknown: AppError =
            storage::Error::Database(DbFailure { kind: FailureKind::CommitUnknown, message: "closed".into() }).into();
        assert!(unknown.public_message().contains("may or may not have been saved"), "{}", unknown.public_message());
        assert!(unknown.message_in(Lang::Fr).contains("a pu être enregistrée ou non"));
        let r = unknown.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(!r.headers().contains_key(header::RETRY_AFTER), "no invitation to retry a change that may be stored");
    }

    /// Seen in scripts/failover.sh: a course stored, then its read-back cut by the failover,
    /// was answered "the database cannot be reached" (so a client would send it again).
    #[test]
    fn a_change_stored_before_the_database_stopped_answering_is_said_stored() {
        let lost = storage::Error::Database(DbFailure { kind: FailureKind::Connection, message: "refused".into() });
        let e: AppError = storage::Error::StoredNotRead(Box::new(lost)).into();
        assert_eq!(e.problem().code(), "saved_not_shown");
        assert!(e.public_message().starts_with("the change was saved"), "{}", e.public_message());
        assert!(e.public_message().contains("do not send it again"));
        assert!(e.message_in(Lang::Fr).starts_with("la modification est enregistrée"), "{}", e.message_in(Lang::Fr));
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(!r.headers().contains_key(header::RETRY_AFTER));
    }
}
