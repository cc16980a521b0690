//! Portfolio document import and export over HTTP.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{HeaderMap, header};

use super::extract::{AuthLearner, JsonBody};
use super::views::ImportView;
use crate::app::AppState;
use crate::domain::{Document, parse_document};
use crate::error::{AppResult, ErrorBody};

/// Import a portfolio document: all of it or nothing.
///
/// The learner block replaces the profile; a course already in the record (same title,
/// platform and start date) is updated in place, any other is added.
#[utoipa::path(post, path = "/api/v1/import", tag = "documents", request_body = Document,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Imported", body = ImportView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 413, description = "The document is too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The document breaks a rule; `field` names where. Nothing was stored.", body = ErrorBody),
    ))]
pub async fn import(
    State(state): State<AppState>,
    who: AuthLearner,
    JsonBody(body): JsonBody,
) -> AppResult<(StatusCode, Json<ImportView>)> {
    let doc = parse_document(&body)?;
    let counts = state.db.import_document(who.id, doc, state.clock.now()).await?;
    let total = state.db.course_count(who.id).await?;
    tracing::info!(learner = %who.id, created = counts.created, updated = counts.updated, "document imported");
    Ok((StatusCode::CREATED, Json(ImportView::new(counts, total))))
}

/// Export the whole record as a portfolio document (the input of import and of offline rendering).
#[utoipa::path(get, path = "/api/v1/export", tag = "documents",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The portfolio document", body = Document),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn export(State(state): State<AppState>, who: AuthLearner) -> AppResult<(HeaderMap, Json<Document>)> {
    let doc = state.db.export_document(who.id).await?;
    let mut headers = HeaderMap::new();
    headers
        .insert(header::CONTENT_DISPOSITION, header::HeaderValue::from_static("inline; filename=\"certfolio.json\""));
    Ok((headers, Json(doc)))
}
