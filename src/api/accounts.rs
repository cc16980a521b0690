//! Accounts and sessions over JSON: register, log in, log out, `me`, change password. The
//! rules and limits are the service's (`service::accounts`), shared with the pages.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, AuthLearner, ClientIp};
use super::views::{AccountView, SessionView};
use crate::config::rfc3339;
use crate::domain::LearnerRecord;
use crate::error::{AppResult, ErrorBody};
use crate::service::accounts;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[schema(
        example = "camille@example.org",
        max_length = 254,
        pattern = "^[^@\\s<>\\u0000-\\u001F\\u007F-\\u009F]{1,64}@[^@\\s<>.\\u0000-\\u001F\\u007F-\\u009F-]([^@\\s<>\\u0000-\\u001F\\u007F-\\u009F]*[^@\\s<>.\\u0000-\\u001F\\u007F-\\u009F-])?\\.[^@\\s<>.\\u0000-\\u001F\\u007F-\\u009F-]+$"
    )]
    pub email: String,
    /// 12 to 128 characters; common or easily guessed passwords are refused.
    #[schema(example = "lune verte et thé glacé", min_length = 12, max_length = 128)]
    pub password: String,
    #[schema(
        example = "Camille Lefèvre",
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeBody {
    pub current_password: String,
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

/// Create an account.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = RegisterBody,
    responses(
        (status = 201, description = "Account created", body = AccountView),
        (status = 409, description = "An account with this email exists", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Bad email, name or weak password", body = ErrorBody),
        (status = 429, description = "Too many accounts created from this address; see Retry-After", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RegisterBody>,
) -> AppResult<impl IntoResponse> {
    let learner = accounts::sign_up(&state, &body.email, body.password, &body.name, &ip).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(learner))))
}

/// Log in: returns a session token and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in", body = SessionView),
        (status = 401, description = "Email or password is incorrect (the same answer for both)", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "The body is not `{email, password}`", body = ErrorBody),
        (status = 429, description = "Too many failures; see Retry-After", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> AppResult<impl IntoResponse> {
    let session = accounts::sign_in(&state, &body.email, body.password, &ip).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session.cookie);
    Ok((headers, Json(SessionView { token: session.token, expires_at: rfc3339(session.expires_at) })))
}

/// Log out: the token and the cookie stop working at once.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn logout(State(state): State<AppState>, who: AuthLearner) -> AppResult<impl IntoResponse> {
    Ok((StatusCode::NO_CONTENT, accounts::sign_out(&state, who).await?))
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = AccountView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, who: AuthLearner) -> AppResult<Json<AccountView>> {
    Ok(Json(state.db.learner(who.id).await?.into()))
}

/// Replace the profile shown on portfolios (the document's `learner` block).
#[utoipa::path(put, path = "/api/v1/me", tag = "accounts", request_body = LearnerRecord,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = AccountView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
pub async fn update_me(
    State(state): State<AppState>,
    who: AuthLearner,
    ApiJson(profile): ApiJson<LearnerRecord>,
) -> AppResult<Json<AccountView>> {
    Ok(Json(accounts::update_profile(&state, who.id, profile).await?.into()))
}

/// Change the password; needs the current one, and ends every other session.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChangeBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The current password is wrong", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "The new password is too weak", body = ErrorBody),
        (status = 429, description = "Too many wrong current passwords; see Retry-After", body = ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    who: AuthLearner,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<PasswordChangeBody>,
) -> AppResult<StatusCode> {
    accounts::change_password(&state, &who, body.current_password, body.new_password, &ip).await?;
    Ok(StatusCode::NO_CONTENT)
}
