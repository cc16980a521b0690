//! certfolio's own checks of the learner's proofs (issue 13): what each found and when, the
//! changes of outcome, and "check now".

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::extract::AuthLearner;
use crate::config::rfc3339;
use crate::domain::Lang;
use crate::domain::assurance::{Assurance, assurance_of};
use crate::domain::problem::Problem;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::presentation::{CheckView, Mark};
use crate::state::AppState;

/// Changes of outcome are listed for this long.
const CHANGES_FOR_SECS: i64 = 90 * 24 * 3600;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChecksQuery {
    /// Language of the texts, `fr` or `en`; default: the learner's language, else `en`.
    #[param(value_type = Option<Lang>)]
    lang: Option<String>,
}

/// One course's proofs as certfolio checked them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseChecks {
    pub course_id: Uuid,
    pub title: String,
    /// The claim's level of proof now (see `GET /api/v1/courses`).
    pub assurance: Assurance,
    /// One per proof: its badge, its verification link.
    pub checks: Vec<CheckView>,
    /// What the checks found against the claim ("revoked since …", "link broken since …").
    pub marks: Vec<Mark>,
    /// A check of this course is waiting to run.
    pub queued: bool,
}

/// A check whose outcome changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckChangeView {
    pub course_id: Uuid,
    pub title: String,
    /// `badge` or `link`.
    pub kind: &'static str,
    /// The previous outcome (absent for the first result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'static str>,
    pub to: &'static str,
    /// The new outcome is one the learner should act on (revoked, issued to someone else,
    /// signature no longer valid, link broken…).
    pub alarm: bool,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChecksView {
    /// Courses with at least one proof certfolio checks, in the learner's order.
    pub courses: Vec<CourseChecks>,
    /// Changes of outcome over the last 90 days, newest first.
    pub changes: Vec<CheckChangeView>,
}

/// "Check now": what was queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckNowView {
    /// The learner's checks made due.
    pub queued: usize,
    /// `true` when the run finished before this answer (read the results with `GET`);
    /// `false` when it goes on in the background.
    pub finished: bool,
}

/// What certfolio checked of each proof of the learner's record, with its result, source and
/// date, and the changes of outcome (a badge revoked, a link broken…). Results are those
/// stored by the verification job: nothing is fetched for this answer.
#[utoipa::path(get, path = "/api/v1/checks", operation_id = "list_checks", tag = "courses",
    params(ChecksQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = ChecksView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Unknown language; `field` names the parameter", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    who: AuthLearner,
    query: Result<Query<ChecksQuery>, QueryRejection>,
) -> AppResult<Json<ChecksView>> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.body_text() }))?;
    let lang = super::portfolio::parse_lang(query.lang.as_deref())?;
    let (profile, courses) = state.db.record(who.id).await?;
    let lang = lang.or(profile.lang).unwrap_or(Lang::En);
    let now = state.clock.now();
    let courses = courses
        .into_iter()
        .filter_map(|c| {
            let (checks, marks) = crate::presentation::checks::views(&c.record, &c.checks, lang);
            (!checks.is_empty()).then(|| CourseChecks {
                course_id: c.id,
                assurance: assurance_of(&c.record, c.evidence.is_some(), &c.checks, now),
                queued: c.checks.iter().any(|k| k.queued),
                title: c.record.title,
                checks,
                marks,
            })
        })
        .collect();
    let changes = state
        .db
        .check_changes(who.id, now - CHANGES_FOR_SECS)
        .await?
        .into_iter()
        .map(|c| CheckChangeView {
            course_id: c.course_id,
            title: c.title,
            kind: c.kind.as_str(),
            from: c.from.map(|o| o.as_str()),
            to: c.to.as_str(),
            alarm: c.to.is_alarm(),
            at: rfc3339(c.at),
        })
        .collect();
    Ok(Json(ChecksView { courses, changes }))
}

/// "Check now": every proof of the learner's record is checked again at once (within the
/// learner's hourly budget of checks; the rest follow). At most once every 10 minutes.
#[utoipa::path(post, path = "/api/v1/checks", operation_id = "check_now", tag = "courses",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Checked: the results are stored", body = CheckNowView),
        (status = 202, description = "Queued: the checks go on in the background", body = CheckNowView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 429, description = "Asked too recently; `Retry-After` says when to ask again", body = ErrorBody),
    ))]
pub async fn check_now(State(state): State<AppState>, who: AuthLearner) -> AppResult<(StatusCode, Json<CheckNowView>)> {
    match crate::verify::check_now(&state, who.id).await? {
        Ok(done) => {
            let status = if done.finished { StatusCode::OK } else { StatusCode::ACCEPTED };
            Ok((status, Json(CheckNowView { queued: done.queued, finished: done.finished })))
        }
        Err(crate::verify::CheckNow::TooSoon(retry_after)) => Err(AppError::TooManyRequests { retry_after }),
    }
}
