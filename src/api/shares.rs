//! Share links: one per recipient, each with its own framing, language, optional expiry and
//! label, and a view log. The token is shown once, at creation; only its hash is stored.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiJson, AuthLearner, parse_id};
use crate::config::rfc3339;
use crate::domain::portfolio::{Framing, Scope, Spec};
use crate::domain::{Lang, Problem};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::service::shares::{self, Created, Listed, ShareOf, ShareRequest};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShareBody {
    /// Required unless `portfolio` is given (the saved portfolio then says everything).
    #[serde(default)]
    pub framing: Option<Framing>,
    /// A saved portfolio (`/api/v1/portfolios`) to share: its framing, options, choices and
    /// statement. Give no framing, field, theme or include flag beside it.
    #[serde(default)]
    pub portfolio: Option<Uuid>,
    /// With `portfolio`: the link follows the portfolio's later edits (else it shows it as it is
    /// now, whatever is edited later). Stated on the recruiter's page.
    #[serde(default)]
    pub follow: bool,
    /// Legitimacy in a discipline: every course of this field.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub field: Option<String>,
    /// Legitimacy in one theme: only the courses with this theme.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub theme: Option<String>,
    /// The page's language; default: the learner's.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Legitimacy: also show the field's courses followed without a certificate.
    #[serde(default)]
    pub include_uncertified: bool,
    /// Legitimacy: also show expired certificates (marked as expired).
    #[serde(default)]
    pub include_expired: bool,
    /// Who the link is for ("Acme, tech lead"): shown to the learner only.
    #[serde(default)]
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub label: Option<String>,
    /// RFC 3339 time after which the link answers 404.
    #[serde(default)]
    #[schema(example = "2026-12-31T23:59:59Z")]
    pub expires_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareView {
    pub id: Uuid,
    pub framing: Framing,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    pub include_uncertified: bool,
    pub include_expired: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// The saved portfolio the link was made from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<ShareSourceView>,
    /// `active`, `expired` or `revoked`.
    pub status: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Page views (GET of the page; HEAD and prefetches are not counted). Approximate: the
    /// last seconds of views may be lost in a crash.
    pub views: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_viewed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_viewed_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareSourceView {
    /// `null` once the portfolio was deleted (the link shows it as it was).
    pub id: Option<Uuid>,
    pub name: String,
    /// The link shows the portfolio's later edits; else it shows it as it was when made.
    pub follows: bool,
}

/// The creation answer: the only time the token and full URL are shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedShare {
    #[serde(flatten)]
    pub share: ShareView,
    /// 32 random bytes, base64url (43 characters). Not stored: keep the URL.
    pub token: String,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareList {
    pub count: usize,
    pub shares: Vec<ShareView>,
}

fn view(listed: Listed) -> ShareView {
    let Listed { share, status, views, first_viewed_at, last_viewed_at } = listed;
    let (field, theme) = match share.spec.scope {
        Scope::All => (None, None),
        Scope::Field(f) => (Some(f), None),
        Scope::Theme(t) => (None, Some(t)),
    };
    ShareView {
        id: share.id,
        framing: share.spec.framing,
        field,
        theme,
        lang: share.lang,
        include_uncertified: share.spec.include_uncertified,
        include_expired: share.spec.include_expired,
        portfolio: share.source.map(|s| ShareSourceView { id: s.id, name: s.name, follows: s.follows }),
        label: share.label,
        expires_at: share.expires_at.map(rfc3339),
        status: status.as_str().into(),
        created_at: rfc3339(share.created_at),
        revoked_at: share.revoked_at.map(rfc3339),
        views,
        first_viewed_at: first_viewed_at.map(rfc3339),
        last_viewed_at: last_viewed_at.map(rfc3339),
    }
}

/// Create a share link.
#[utoipa::path(post, path = "/api/v1/shares", operation_id = "create_share", tag = "shares", request_body = NewShareBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Created; the token and URL are shown this once", body = CreatedShare),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Bad framing, field, theme, language or expiry; `field` names it", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    who: AuthLearner,
    ApiJson(body): ApiJson<NewShareBody>,
) -> AppResult<(StatusCode, Json<CreatedShare>)> {
    let created = shares::create(&state, who.id, request(body)?).await?;
    Ok((StatusCode::CREATED, Json(created_view(&state, created))))
}

/// The body as the service's request: a field or a theme (not both), an RFC 3339 expiry.
fn request(body: NewShareBody) -> AppResult<ShareRequest> {
    let field = body.field.filter(|f| !f.trim().is_empty());
    let theme = body.theme.filter(|t| !t.trim().is_empty());
    let scope = match (field, theme) {
        (Some(_), Some(_)) => return Err(AppError::validation("theme", Problem::FieldOrTheme)),
        (Some(f), None) => Scope::Field(f),
        (None, Some(t)) => Scope::Theme(t),
        (None, None) => Scope::All,
    };
    let what = match body.portfolio {
        Some(id) => {
            if body.framing.is_some() || scope != Scope::All || body.include_uncertified || body.include_expired {
                return Err(AppError::validation("portfolio", Problem::SavedPortfolioAlone));
            }
            ShareOf::Saved { id, follow: body.follow }
        }
        None => {
            if body.follow {
                return Err(AppError::validation("follow", Problem::FollowNeedsPortfolio));
            }
            let framing = body.framing.ok_or_else(|| AppError::validation("framing", Problem::FramingOrPortfolio))?;
            ShareOf::Spec(Spec {
                framing,
                scope,
                include_uncertified: body.include_uncertified,
                include_expired: body.include_expired,
                shape: Default::default(),
            })
        }
    };
    let expires_at = body.expires_at.as_deref().map(rfc3339_time).transpose()?;
    Ok(ShareRequest { what, lang: body.lang, label: body.label, expires_at })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareChange {
    /// RFC 3339 time after which the link answers 404; `null` for never.
    #[schema(example = "2027-06-30T23:59:59Z")]
    pub expires_at: Option<String>,
}

/// An expiry given as RFC 3339, as Unix seconds (the service checks it is in the future).
fn rfc3339_time(raw: &str) -> AppResult<i64> {
    let t = time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).map_err(|_| {
        AppError::validation("expires_at", Problem::NotATime { value: crate::domain::text::excerpt(raw).into_owned() })
    })?;
    Ok(t.unix_timestamp())
}

/// Change a live link's expiry (or remove it).
#[utoipa::path(patch, path = "/api/v1/shares/{id}", operation_id = "change_share", tag = "shares",
    params(("id" = uuid::Uuid, Path, description = "Share link id")),
    request_body = ShareChange,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = ShareView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such live link among this learner's", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Not an RFC 3339 time, or not in the future", body = ErrorBody),
    ))]
pub async fn change(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ShareChange>,
) -> AppResult<Json<ShareView>> {
    let id = parse_id(&id)?;
    let at = body.expires_at.as_deref().map(rfc3339_time).transpose()?;
    Ok(Json(view(shares::change_expiry(&state, who.id, id, at).await?)))
}

/// Replace a link: a new URL for the same portfolio, the old link revoked at once.
#[utoipa::path(post, path = "/api/v1/shares/{id}/replace", operation_id = "replace_share", tag = "shares",
    params(("id" = uuid::Uuid, Path, description = "Share link id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The new link; its token and URL are shown this once", body = CreatedShare),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such live link among this learner's", body = ErrorBody),
    ))]
pub async fn replace(
    State(state): State<AppState>,
    who: AuthLearner,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<CreatedShare>)> {
    let created = shares::replace(&state, who.id, parse_id(&id)?).await?;
    Ok((StatusCode::CREATED, Json(created_view(&state, created))))
}

/// The creation answer for a link just made.
fn created_view(state: &AppState, created: Created) -> CreatedShare {
    let share = view(shares::listed(state, created.share, state.clock.now()));
    CreatedShare { share, token: created.token, url: created.url }
}

/// The learner's share links with their views, newest first.
#[utoipa::path(get, path = "/api/v1/shares", operation_id = "list_shares", tag = "shares",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = ShareList),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, who: AuthLearner) -> AppResult<Json<ShareList>> {
    let shares: Vec<ShareView> = shares::list(&state, who.id).await?.into_iter().map(view).collect();
    Ok(Json(ShareList { count: shares.len(), shares }))
}

/// Revoke a share link: it answers 404 from the next request on.
#[utoipa::path(delete, path = "/api/v1/shares/{id}", operation_id = "revoke_share", tag = "shares",
    params(("id" = uuid::Uuid, Path, description = "Share link id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such link among this learner's", body = ErrorBody),
    ))]
pub async fn revoke(State(state): State<AppState>, who: AuthLearner, Path(id): Path<String>) -> AppResult<StatusCode> {
    shares::revoke(&state, who.id, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
