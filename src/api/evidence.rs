//! Evidence files: upload (multipart field `file`), download, delete.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa::ToSchema;

use super::extract::{AuthLearner, parse_id};
use super::views::EvidenceView;
use crate::error::{AppResult, ErrorBody};
use crate::service::evidence;
use crate::state::AppState;

/// The multipart form of an upload (for the OpenAPI description).
// `deny_unknown_fields`: the only field is `file` (another one is refused with 422).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadForm {
    /// A PDF, PNG or JPEG of at most 10 MiB, not empty.
    #[schema(format = Binary, value_type = String, min_length = 1)]
    file: Vec<u8>,
}

/// Upload the evidence file of a course (replacing any earlier one).
#[utoipa::path(post, path = "/api/v1/courses/{id}/evidence", operation_id = "upload_evidence", tag = "evidence",
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Stored; the SHA-256 is of the exact bytes uploaded", body = EvidenceView),
        (status = 400, description = "The multipart body is malformed", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such course in this record", body = ErrorBody),
        (status = 413, description = "Over 10 MiB, or over the account's quota", body = ErrorBody),
        (status = 415, description = "Not a PDF, PNG or JPEG, or not what it claims to be", body = ErrorBody),
        (status = 422, description = "No `file` field, an unknown field, or an image too large in pixels", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<EvidenceView>)> {
    let course = parse_id(&id)?;
    let meta = evidence::upload(&state, who.id, course, &headers, multipart).await?;
    Ok((StatusCode::CREATED, Json(meta.into())))
}

/// Download the evidence file of a course, exactly as uploaded.
#[utoipa::path(get, path = "/api/v1/courses/{id}/evidence", operation_id = "download_evidence", tag = "evidence",
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The file, as an attachment",
            content(("application/pdf"), ("image/png"), ("image/jpeg"))),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such course, or no evidence", body = ErrorBody),
    ))]
pub async fn download(State(state): State<AppState>, who: AuthLearner, Path(id): Path<String>) -> AppResult<Response> {
    evidence::download(&state, who.id, parse_id(&id)?).await
}

/// Remove the evidence file of a course.
#[utoipa::path(delete, path = "/api/v1/courses/{id}/evidence", operation_id = "remove_evidence", tag = "evidence",
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such course, or no evidence", body = ErrorBody),
    ))]
pub async fn remove(State(state): State<AppState>, who: AuthLearner, Path(id): Path<String>) -> AppResult<StatusCode> {
    evidence::remove(&state, who.id, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
