//! The learner's courses, each with its attestation. Every query names the owner, so another
//! learner's id is "not found", exactly like a missing one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::extract::{ApiJson, AuthLearner, parse_id};
use super::views::{CourseList, CourseView};
use crate::domain::CourseRecord;
use crate::error::{AppResult, ErrorBody};
use crate::service::courses;
use crate::state::AppState;

/// The learner's courses, in the learner's order.
#[utoipa::path(get, path = "/api/v1/courses", operation_id = "list_courses", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = CourseList),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, who: AuthLearner) -> AppResult<Json<CourseList>> {
    let now = state.clock.now();
    let courses: Vec<CourseView> =
        state.db.list_courses(who.id).await?.into_iter().map(|c| CourseView::of(c, now)).collect();
    Ok(Json(CourseList { count: courses.len(), courses }))
}

/// Add a course.
#[utoipa::path(post, path = "/api/v1/courses", operation_id = "create_course", tag = "courses", request_body = CourseRecord,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, body = CourseView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 409, description = "The same course (title, platform, start date) is already recorded", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    who: AuthLearner,
    ApiJson(record): ApiJson<CourseRecord>,
) -> AppResult<(StatusCode, Json<CourseView>)> {
    let course = courses::create(&state, who.id, record).await?;
    Ok((StatusCode::CREATED, Json(CourseView::of(course, state.clock.now()))))
}

/// One course.
#[utoipa::path(get, path = "/api/v1/courses/{id}", operation_id = "show_course", tag = "courses",
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = CourseView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such course in this record", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
) -> AppResult<Json<CourseView>> {
    Ok(Json(CourseView::of(state.db.course(who.id, parse_id(&id)?).await?, state.clock.now())))
}

/// Replace a course's fields (its id, position and evidence are kept).
#[utoipa::path(put, path = "/api/v1/courses/{id}", operation_id = "replace_course", tag = "courses", request_body = CourseRecord,
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = CourseView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such course in this record", body = ErrorBody),
        (status = 409, description = "Another course has the same title, platform and start date", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    ))]
pub async fn replace(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
    ApiJson(record): ApiJson<CourseRecord>,
) -> AppResult<Json<CourseView>> {
    let course = courses::update(&state, who.id, parse_id(&id)?, record).await?;
    Ok(Json(CourseView::of(course, state.clock.now())))
}

/// Delete a course, with its attestation and evidence.
#[utoipa::path(delete, path = "/api/v1/courses/{id}", operation_id = "delete_course", tag = "courses",
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such course in this record", body = ErrorBody),
    ))]
pub async fn delete(State(state): State<AppState>, who: AuthLearner, Path(id): Path<String>) -> AppResult<StatusCode> {
    courses::delete(&state, who.id, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    /// The courses to edit (ids of this learner's courses).
    #[schema(max_items = 5000)]
    pub ids: Vec<uuid::Uuid>,
    /// What to set on each: a key left out is left as it is; `null` clears it.
    pub set: crate::domain::bulk::BulkSet,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BulkDone {
    /// How many of the courses the edit changed (a course already so is unchanged).
    pub changed: usize,
    pub unchanged: usize,
}

/// Edit many courses at once: a field, themes, skills, outcome, follow mode or prior mastery,
/// in one transaction (all the courses or none).
#[utoipa::path(post, path = "/api/v1/courses/bulk", operation_id = "edit_courses", tag = "courses", request_body = BulkBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = BulkDone),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "A course id is not in this record (nothing changed)", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Nothing to set, no course, or a value a course cannot take; `field` names it", body = ErrorBody),
    ))]
pub async fn bulk(
    State(state): State<AppState>,
    who: AuthLearner,
    ApiJson(body): ApiJson<BulkBody>,
) -> AppResult<Json<BulkDone>> {
    let total = body.ids.len();
    let changed = courses::edit_many(&state, who.id, body.ids, body.set).await?;
    Ok(Json(BulkDone { changed, unchanged: total - changed }))
}
