//! Import and export over HTTP: the portfolio document, and the formats of other tools
//! (LinkedIn's `Certifications.csv`, the generic CSV, JSON Resume), told apart by content.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::AuthLearner;
use super::views::ImportView;
use crate::domain::Document;
use crate::domain::problem::{Expected, Problem};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::interop;
use crate::state::AppState;

/// The raw body of an import: JSON, CSV or plain text (how browsers send a `.csv` picked from
/// a disk varies), a JWT, or a badge image (PNG, SVG; also `application/octet-stream`, how
/// scripts send a file they do not type), size limited; any other content type is refused
/// with 415. The format is read from the bytes either way, never from this header. `text/plain` is
/// one an HTML form can send cross-site, but such a post is stopped by the CSRF layer and
/// carries no session cookie (`SameSite=Lax`).
pub struct ImportBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ImportBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let allowed = matches!(
            essence.as_str(),
            "application/json"
                | "text/csv"
                | "text/plain"
                | "application/jwt"
                | "application/jose"
                | "application/vc+jwt"
                | "image/png"
                | "image/svg+xml"
                | "application/octet-stream"
        ) || (essence.starts_with("application/") && essence.ends_with("+json"));
        if !allowed {
            return Err(AppError::UnsupportedMediaType(Problem::ImportContentType {
                content_type: crate::domain::text::excerpt(content_type).into_owned(),
            }));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge(Problem::BodyTooLarge)
            } else {
                AppError::BadRequest(Problem::UnreadableBody { detail: e.body_text() })
            }
        })?;
        Ok(ImportBody(bytes))
    }
}

/// Import a file into the record: all of it or nothing.
///
/// The format is read from the content. A portfolio document (`"certfolio": 1`) replaces the
/// profile with its learner block. LinkedIn's `Certifications.csv`, a CSV whose header names
/// document fields, and a JSON Resume (`certificates[]`) add their courses and leave the profile
/// as it is. Either way a course already in the record (same title, platform and start date) is
/// updated in place, keeping the fields the file leaves empty, and any other is added.
///
/// An Open Badges file (2.0 assertion or 3.0 credential as JSON, a signed JWS / VC-JWT, or a
/// baked PNG or SVG) adds one course whose attestation keeps the badge. A badge that names its
/// badge class (or a baked image that holds only its assertion's URL) is read with the
/// documents fetched there, through the guarded fetcher and within the learner's hourly
/// budget. A signature that does not match the badge data for the key of the operator's
/// `trusted-issuers.json` is refused. The badge is then checked by certfolio's verification job
/// (hosted assertion, keys, revocation and status lists, recipient); until then its level is at
/// most "badge data". A level is never taken from a document.
#[utoipa::path(post, path = "/api/v1/import", tag = "documents",
    request_body(content(
        (Document = "application/json"),
        (String = "text/csv"),
        (String = "text/plain"),
        (String = "application/jwt"),
        (Vec<u8> = "image/png"),
        (String = "image/svg+xml"),
        (Vec<u8> = "application/octet-stream"),
    ), description = "A portfolio document, a JSON Resume or an Open Badges JSON badge (as application/json), LinkedIn's Certifications.csv or a CSV whose header names document fields (as text/csv or text/plain), a signed badge (application/jwt), or a baked badge image (image/png, image/svg+xml)"),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Imported", body = ImportView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 413, description = "The file is too large", body = ErrorBody),
        (status = 415, description = "Not sent as one of the accepted content types", body = ErrorBody),
        (status = 422, description = "An unrecognised format, or a value that breaks a rule; `field` names where \
            (`courses[3].hours`, `line 4, column Started On`, `certificates[2].date`, `PNG chunk `openbadges`, \
            signature`). Nothing was stored.", body = ErrorBody),
    ))]
pub async fn import(
    State(state): State<AppState>,
    who: AuthLearner,
    ImportBody(body): ImportBody,
) -> AppResult<(StatusCode, Json<ImportView>)> {
    let incoming = crate::verify::read_import(&state, who.id, &body).await?;
    let format = incoming.format;
    let counts = state.db.import_incoming(who.id, incoming, state.clock.now()).await??;
    let total = state.db.course_count(who.id).await?;
    tracing::info!(learner = %who.id, format = format.as_str(), created = counts.created, updated = counts.updated,
        "file imported");
    Ok((StatusCode::CREATED, Json(ImportView::new(counts, total))))
}

/// The JSON an export answers, for the description: the document, or a JSON Resume.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Describes `to_json_resume`'s output; never built.
pub enum ExportedJson {
    Document(Document),
    JsonResume(JsonResume),
}

/// A JSON Resume as `interop::jsonresume::to_json_resume` writes it: `basics` and one
/// certificate per course with an attestation.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JsonResume {
    basics: JsonResumeBasics,
    certificates: Vec<JsonResumeCertificate>,
    /// Present when a course has skills: each skill once, with the courses that taught it.
    skills: Option<Vec<JsonResumeSkill>>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JsonResumeSkill {
    name: String,
    /// The titles of the courses that name this skill.
    keywords: Vec<String>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JsonResumeBasics {
    name: String,
    label: Option<String>,
    email: Option<String>,
    location: Option<JsonResumeLocation>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JsonResumeLocation {
    address: String,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JsonResumeCertificate {
    name: String,
    date: Option<String>,
    issuer: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (the portfolio document, default), `jsonresume` or `csv`.
    #[param(schema_with = export_formats)]
    format: Option<String>,
}

/// The values `format` takes, as the description declares them (read as text by the handler,
/// so that another value is a 422 naming `format`).
fn export_formats() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(EXPORT_FORMATS))
        .build()
}

const EXPORT_FORMATS: [&str; 3] = ["json", "jsonresume", "csv"];

/// Export the whole record: as a portfolio document (the input of import and of offline
/// rendering), as a JSON Resume (the courses with an attestation, as `certificates[]`), or as
/// the generic CSV (every course, formula-looking cells neutralised with a leading `'`).
#[utoipa::path(get, path = "/api/v1/export", tag = "documents",
    params(ExportQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The record: a portfolio document (`json`) or a JSON Resume \
            (`jsonresume`) as application/json, or the generic CSV (`csv`)", content(
            (ExportedJson = "application/json"),
            (String = "text/csv"),
        )),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown format; `field` is `format`", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    who: AuthLearner,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> AppResult<Response> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.body_text() }))?;
    let format = query.format.as_deref().unwrap_or("json");
    if !EXPORT_FORMATS.contains(&format) {
        let value = crate::domain::text::excerpt(format).into_owned();
        return Err(AppError::validation("format", Problem::NotA { value, expected: Expected::ExportFormat }));
    }
    let doc = state.db.export_document(who.id).await?;
    Ok(match format {
        "jsonresume" => (
            [(header::CONTENT_DISPOSITION, "attachment; filename=\"resume.json\"")],
            Json(interop::jsonresume::to_json_resume(&doc)),
        )
            .into_response(),
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"certfolio.csv\""),
            ],
            interop::csv::to_csv(&doc),
        )
            .into_response(),
        _ => ([(header::CONTENT_DISPOSITION, "inline; filename=\"certfolio.json\"")], Json(doc)).into_response(),
    })
}

/// The learner's imports that still name courses, newest first: each course's `import_id` says
/// which one last created or changed it (a bulk edit can take all the courses of one import).
#[utoipa::path(get, path = "/api/v1/imports", operation_id = "list_imports", tag = "documents",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = super::views::ImportList),
        (status = 401, description = "Not logged in", body = crate::error::ErrorBody),
    ))]
pub async fn imports(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    who: super::extract::AuthLearner,
) -> crate::error::AppResult<axum::Json<super::views::ImportList>> {
    let imports: Vec<super::views::ImportBatchView> = state
        .db
        .imports(who.id)
        .await?
        .into_iter()
        .map(|i| super::views::ImportBatchView {
            id: i.id,
            format: i.format,
            created: i.created,
            updated: i.updated,
            created_at: crate::config::rfc3339(i.created_at),
        })
        .collect();
    Ok(axum::Json(super::views::ImportList { count: imports.len(), imports }))
}
