//! Evidence files: one uploaded file per course, read under the size limit, checked to be the
//! PDF, PNG or JPEG it claims to be, stored with its SHA-256 within the account's quota; and
//! stored files sent back safely. The API (`api::evidence`), the course page and the
//! recruiter's page all go through here, so they accept, refuse and serve files alike.

use axum::body::Body;
use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::Problem;
use crate::domain::evidence::{self, EvidenceError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::EvidenceMeta;
use crate::storage::evidence::{NewEvidence, Quota};

/// Room for multipart boundaries and part headers around a maximal file.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

fn too_large(limit: usize) -> AppError {
    AppError::PayloadTooLarge(Problem::EvidenceTooLarge { mib: limit / (1024 * 1024) })
}

fn multipart_error(e: &MultipartError, limit: usize) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limit)
    } else {
        AppError::BadRequest(Problem::MalformedMultipart { detail: e.body_text() })
    }
}

/// A file as uploaded, before it is checked.
pub struct Upload {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub content_type: Option<String>,
    pub file_name: Option<String>,
}

/// A multipart error as the service's: too large, or malformed.
pub fn multipart_error_for(e: &MultipartError, state: &AppState) -> AppError {
    multipart_error(e, state.config.evidence_max_bytes)
}

/// Refuses an announced oversize body before reading a byte of it.
fn check_announced(state: &AppState, headers: &HeaderMap) -> AppResult<()> {
    let limit = state.config.evidence_max_bytes;
    let announced =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit + MULTIPART_OVERHEAD) {
        return Err(too_large(limit));
    }
    Ok(())
}

/// Reads one multipart file field under the size limit, streamed chunk by chunk (cut off as
/// soon as it passes the limit), hashing it on the way.
pub async fn read_file(
    state: &AppState,
    headers: &HeaderMap,
    mut field: axum::extract::multipart::Field<'_>,
) -> AppResult<Upload> {
    check_announced(state, headers)?;
    let limit = state.config.evidence_max_bytes;
    let content_type = field.content_type().map(str::to_owned);
    let file_name = field.file_name().map(str::to_owned);
    let mut bytes = Vec::new();
    let mut hasher = Sha256::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e, limit))? {
        if bytes.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        hasher.update(&chunk);
        bytes.extend_from_slice(&chunk);
    }
    Ok(Upload { bytes, sha256: hex(&hasher.finalize()), content_type, file_name })
}

/// Checks that a file is the PDF, PNG or JPEG it claims to be (nothing stored).
pub fn checked(upload: Upload) -> AppResult<NewEvidence> {
    let Upload { bytes, sha256, content_type, file_name } = upload;
    let kind =
        evidence::check(&bytes, content_type.as_deref(), file_name.as_deref().unwrap_or("")).map_err(|e| match e {
            EvidenceError::UnknownContent | EvidenceError::Mismatch { .. } => AppError::UnsupportedMediaType(e.into()),
            EvidenceError::Empty | EvidenceError::TooManyPixels { .. } | EvidenceError::Malformed(_) => {
                AppError::validation("file", e)
            }
        })?;
    Ok(NewEvidence {
        file_name: evidence::display_name(file_name.as_deref(), kind),
        bytes,
        sha256,
        media_type: kind.mime(),
    })
}

/// Stores a checked file for the course, within the account's quota.
pub async fn store(state: &AppState, learner: Uuid, course: Uuid, file: NewEvidence) -> AppResult<EvidenceMeta> {
    let quota = Quota { max_files: state.config.evidence_quota_files, max_bytes: state.config.evidence_quota_bytes };
    Ok(state.db.put_evidence(learner, course, file, quota, state.clock.now()).await?)
}

/// Reads one uploaded evidence file (multipart field `file`) under the size limit, checks that
/// it is the PDF, PNG or JPEG it claims to be, and stores it for the course within the quota.
pub async fn upload(
    state: &AppState,
    learner: Uuid,
    course: Uuid,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<EvidenceMeta> {
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(Problem::NotMultipart { detail: e.body_text() }))?;
    check_announced(state, headers)?;
    let limit = state.config.evidence_max_bytes;
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| multipart_error(&e, limit))? {
        let name = field.name().unwrap_or("").to_owned();
        if name != "file" {
            return Err(AppError::validation(name, Problem::OnlyFileField));
        }
        if upload.is_some() {
            return Err(AppError::validation("file", Problem::OneFileOnly));
        }
        upload = Some(read_file(state, headers, field).await?);
    }
    let upload = upload.ok_or_else(|| AppError::validation("file", Problem::FileFieldMissing))?;
    let file = checked(upload)?;
    store(state, learner, course, file).await
}

/// A course's evidence file, exactly as uploaded, as an attachment; `NotFound` when the course
/// is not the learner's or has none.
pub async fn download(state: &AppState, learner: Uuid, course: Uuid) -> AppResult<Response> {
    let (meta, bytes) = state.db.evidence_file(learner, course).await?;
    Ok(file_response(&meta.media_type, &meta.file_name, &meta.sha256, bytes))
}

/// Removes a course's evidence file.
pub async fn remove(state: &AppState, learner: Uuid, course: Uuid) -> AppResult<()> {
    Ok(state.db.delete_evidence(learner, course).await?)
}

/// A stored file sent back safely: always an attachment, never sniffed, never able to run
/// as a page of this site (ASVS V5.4, V3.2.1).
pub fn file_response(media_type: &str, file_name: &str, sha256: &str, bytes: Vec<u8>) -> Response {
    let mut response = Body::from(bytes).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(sha256) {
        h.insert("x-content-sha256", v);
    }
    response
}

/// RFC 6266: an ASCII fallback plus the exact name percent-encoded in `filename*`.
/// `attachment` (or `inline`) with the name twice: ASCII for old clients, UTF-8 (RFC 6266) for
/// the rest; nothing in the name can break out of the header.
pub fn content_disposition_as(disposition: &str, name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "._- ()".contains(c) { c } else { '_' }).collect();
    let encoded = crate::domain::text::percent_encode(name, b"._-");
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn content_disposition(name: &str) -> String {
    content_disposition_as("attachment", name)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_file_names_are_encoded_in_the_disposition() {
        let d = content_disposition("x\"<s>é.pdf");
        assert_eq!(d, "attachment; filename=\"x__s__.pdf\"; filename*=UTF-8''x%22%3Cs%3E%C3%A9.pdf");
    }
}
