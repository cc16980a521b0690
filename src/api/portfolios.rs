//! Saved portfolios (issue 12): `/api/v1/portfolios`. A learner keeps named portfolios
//! ("Data analyst — Acme"), each a framing with its options, the learner's choices course by
//! course and their own statement; the presentation of one (what its PDF and page say) and
//! its PDF are read from here, and a share link is made from one with `POST /api/v1/shares
//! {"portfolio": id}`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::extract::{ApiJson, AuthLearner, parse_id};
use crate::config::rfc3339;
use crate::domain::Lang;
use crate::domain::Problem;
use crate::domain::saved::SavedPortfolio;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::presentation::Portfolio;
use crate::state::AppState;
use crate::storage::portfolios::StoredPortfolio;

#[derive(Debug, Serialize)]
pub struct SavedView {
    pub id: Uuid,
    #[serde(flatten)]
    pub settings: SavedPortfolio,
    pub created_at: String,
    pub updated_at: String,
}

impl utoipa::PartialSchema for SavedView {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::domain::saved::view_schema()
    }
}

impl utoipa::ToSchema for SavedView {}

impl From<StoredPortfolio> for SavedView {
    fn from(p: StoredPortfolio) -> Self {
        SavedView {
            id: p.id,
            settings: p.settings,
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedList {
    pub count: usize,
    pub portfolios: Vec<SavedView>,
}

/// Every rule of a saved portfolio, its courses checked against the learner's record.
async fn checked(state: &AppState, who: AuthLearner, settings: &SavedPortfolio) -> AppResult<()> {
    let ids: Vec<Uuid> = state.db.list_courses(who.id).await?.into_iter().map(|c| c.id).collect();
    settings.validate("", |id| ids.contains(&id))?;
    Ok(())
}

/// The learner's saved portfolios, oldest first.
#[utoipa::path(get, path = "/api/v1/portfolios", operation_id = "list_portfolios", tag = "portfolio",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = SavedList),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, who: AuthLearner) -> AppResult<Json<SavedList>> {
    let portfolios: Vec<SavedView> = state.db.list_portfolios(who.id).await?.into_iter().map(Into::into).collect();
    Ok(Json(SavedList { count: portfolios.len(), portfolios }))
}

/// Keep a new portfolio.
#[utoipa::path(post, path = "/api/v1/portfolios", operation_id = "create_portfolio", tag = "portfolio",
    request_body = SavedPortfolio,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, body = SavedView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 409, description = "A portfolio of that name exists", body = ErrorBody),
        (status = 413, description = "The learner keeps the most portfolios allowed", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid, or a course id is not in the record; `field` names it", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    who: AuthLearner,
    ApiJson(settings): ApiJson<SavedPortfolio>,
) -> AppResult<(StatusCode, Json<SavedView>)> {
    checked(&state, who, &settings).await?;
    let saved = state.db.create_portfolio(who.id, settings, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// One saved portfolio.
#[utoipa::path(get, path = "/api/v1/portfolios/{id}", operation_id = "show_portfolio", tag = "portfolio",
    params(("id" = uuid::Uuid, Path, description = "Saved portfolio id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = SavedView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such portfolio among this learner's", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
) -> AppResult<Json<SavedView>> {
    Ok(Json(state.db.portfolio(who.id, parse_id(&id)?).await?.into()))
}

/// Replace a saved portfolio's settings (links that follow it show the change at once).
#[utoipa::path(put, path = "/api/v1/portfolios/{id}", operation_id = "replace_portfolio", tag = "portfolio",
    params(("id" = uuid::Uuid, Path, description = "Saved portfolio id")),
    request_body = SavedPortfolio,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = SavedView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such portfolio among this learner's", body = ErrorBody),
        (status = 409, description = "Another portfolio has that name", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid, or a course id is not in the record; `field` names it", body = ErrorBody),
    ))]
pub async fn replace(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
    ApiJson(settings): ApiJson<SavedPortfolio>,
) -> AppResult<Json<SavedView>> {
    let id = parse_id(&id)?;
    checked(&state, who, &settings).await?;
    Ok(Json(state.db.update_portfolio(who.id, id, settings, state.clock.now()).await?.into()))
}

/// Delete a saved portfolio. Links made from it keep showing it as it was when they were made.
#[utoipa::path(delete, path = "/api/v1/portfolios/{id}", operation_id = "delete_portfolio", tag = "portfolio",
    params(("id" = uuid::Uuid, Path, description = "Saved portfolio id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such portfolio among this learner's", body = ErrorBody),
    ))]
pub async fn delete(State(state): State<AppState>, who: AuthLearner, Path(id): Path<String>) -> AppResult<StatusCode> {
    state.db.delete_portfolio(who.id, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `fr` or `en`; default: the portfolio's language, else the learner's, else `fr`.
    #[param(value_type = Option<Lang>)]
    lang: Option<String>,
}

fn lang_of(q: Result<Query<LangQuery>, QueryRejection>) -> AppResult<Option<Lang>> {
    let Query(q) = q.map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.body_text() }))?;
    match q.lang {
        None => Ok(None),
        Some(l) => Lang::from_str_opt(&l).map(Some).ok_or_else(|| {
            let value = crate::domain::text::excerpt(&l).into_owned();
            AppError::validation("lang", Problem::NotA { value, expected: crate::domain::problem::Expected::Language })
        }),
    }
}

/// What a saved portfolio says (`presentation::Portfolio`), as its PDF and page print it.
#[utoipa::path(get, path = "/api/v1/portfolios/{id}/portfolio", operation_id = "present_portfolio", tag = "portfolio",
    params(("id" = uuid::Uuid, Path, description = "Saved portfolio id"), LangQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = Portfolio),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such portfolio among this learner's", body = ErrorBody),
        (status = 422, description = "Its field or theme no longer has a course, or an unknown language", body = ErrorBody),
    ))]
pub async fn present(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> AppResult<Json<Portfolio>> {
    let lang = lang_of(query)?;
    let saved = state.db.portfolio(who.id, parse_id(&id)?).await?;
    let (profile, courses) = state.db.record(who.id).await?;
    let record = crate::storage::courses::as_record(profile, &courses);
    let lang = lang.or(saved.settings.lang).or(record.learner.lang).unwrap_or_default();
    let p = crate::presentation::present(&record, &saved.settings.spec(), lang, state.clock.now())
        .map_err(crate::issue::select_error)?;
    Ok(Json(p))
}

/// A saved portfolio as a PDF, issued and registered like every PDF the service hands out.
#[utoipa::path(get, path = "/api/v1/portfolios/{id}/portfolio.pdf", operation_id = "portfolio_pdf", tag = "portfolio",
    params(("id" = uuid::Uuid, Path, description = "Saved portfolio id"), LangQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The portfolio", content_type = "application/pdf"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such portfolio among this learner's", body = ErrorBody),
        (status = 422, description = "It selects nothing today (what would fill it is said), or an unknown language", body = ErrorBody),
        (status = 503, description = "Too many portfolios being rendered; try again shortly", body = ErrorBody),
    ))]
pub async fn pdf(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
    query: Result<Query<LangQuery>, QueryRejection>,
) -> AppResult<Response> {
    let lang = lang_of(query)?;
    let saved = state.db.portfolio(who.id, parse_id(&id)?).await?;
    let revision = state.db.revision(who.id).await?;
    let request = crate::issue::PdfRequest {
        learner: who.id,
        spec: saved.settings.spec(),
        lang: lang.or(saved.settings.lang),
        share: None,
        revision,
    };
    let issued = crate::issue::issue_pdf(&state, request).await?;
    Ok(crate::issue::pdf_response(&issued, "inline"))
}
