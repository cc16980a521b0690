//! Accounts and sessions: register, log in, log out, `me`, change password.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiJson, AuthLearner, ClientIp};
use super::views::{AccountView, SessionView};
use crate::app::AppState;
use crate::auth::{Subject, new_token};
use crate::config::rfc3339;
use crate::domain::text::{MAX_NAME, check_line};
use crate::domain::{Email, LearnerRecord, check_password_policy};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::storage::accounts::NewLearner;

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

fn check_new_password(path: &str, password: &str, email: &str, name: &str) -> AppResult<()> {
    let local = email.split('@').next().unwrap_or("");
    let mut inputs = vec![email, local];
    inputs.extend(name.split_whitespace());
    check_password_policy(password, &inputs).map_err(|e| AppError::validation(path, e.to_string()))
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
    let learner = create_account(&state, &body.email, body.password, &body.name, &ip).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(learner))))
}

/// Creates an account (API and sign-up page): every rule checked, the password hashed off
/// the async threads. Errors name the field (`email`, `name`, `password`). Each client address
/// may create `Config::signups_per_hour` accounts an hour (429 beyond); the use is taken before
/// the work, so parallel sign-ups cannot overdraw it, and given back when no account results.
pub async fn create_account(
    state: &AppState,
    email: &str,
    password: String,
    name: &str,
    ip: &str,
) -> AppResult<crate::storage::accounts::Learner> {
    let email = Email::parse(email).map_err(|m| AppError::validation("email", m))?;
    check_line("name", name, MAX_NAME)?;
    check_new_password("password", &password, email.as_str(), name)?;
    if let Err(retry_after) = state.signup_budget.take(ip, state.clock.now()).await? {
        tracing::warn!(ip = %ip, "sign-ups throttled");
        return Err(AppError::TooManyRequests { retry_after });
    }
    let created = async {
        let password_hash = state.passwords.hash(password).await?;
        let new = NewLearner {
            id: Uuid::new_v4(),
            email: email.to_string(),
            password_hash,
            name: name.trim().to_owned(),
            now: state.clock.now(),
        };
        Ok::<_, AppError>(state.db.create_learner(new).await?)
    }
    .await;
    let learner = match created {
        Ok(l) => l,
        Err(e) => {
            state.signup_budget.give_back(ip).await?;
            return Err(e);
        }
    };
    tracing::info!(learner = %learner.id, "account created");
    Ok(learner)
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
    let session = open_session(&state, &body.email, body.password, &ip).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session.cookie);
    Ok((headers, Json(SessionView { token: session.token, expires_at: rfc3339(session.expires_at) })))
}

/// A session just opened, and the cookie that carries it.
pub struct OpenedSession {
    pub token: String,
    pub expires_at: i64,
    pub cookie: HeaderValue,
}

/// Checks the credentials (throttled per account and address; the same failure for an
/// unknown email and a wrong password) and opens a session (API and sign-in page).
pub async fn open_session(state: &AppState, email: &str, password: String, ip: &str) -> AppResult<OpenedSession> {
    let body_email = email;
    // An unparseable email cannot be an account: same answer as a wrong password.
    let email = Email::parse(body_email).map(|e| e.to_string()).unwrap_or_else(|_| body_email.to_lowercase());
    let now = state.clock.now();
    // Reserved before the password is checked: parallel guesses cannot all pass the check.
    if let Err(retry_after) = state.throttle.reserve(Subject::Login(&email), ip, now).await? {
        tracing::warn!(ip = %ip, "login throttled");
        return Err(AppError::TooManyRequests { retry_after });
    }
    let record = state.db.login_record(email.clone()).await?;
    let (id, hash) = match record {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let ok = state.passwords.verify(password, hash).await?;
    let Some(learner_id) = id.filter(|_| ok) else {
        tracing::warn!(ip = %ip, "login failed");
        return Err(AppError::InvalidCredentials);
    };
    state.throttle.succeeded(Subject::Login(&email), ip).await?;
    let token = new_token()?;
    let absolute = i64::try_from(state.config.session_absolute.as_secs()).unwrap_or(i64::MAX / 2);
    let expires_at = now + absolute;
    state.db.create_session(token.hash, learner_id, now, expires_at).await?;
    // Housekeeping on a path that is rare and already slow (password hashing).
    let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX / 2);
    state.db.purge_sessions(now, idle).await?;
    tracing::info!(learner = %learner_id, "logged in");
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={absolute}{}",
        state.config.session_cookie_name(),
        token.token,
        if state.config.secure_cookies() { "; Secure" } else { "" }
    );
    let cookie = HeaderValue::from_str(&cookie).map_err(AppError::internal)?;
    Ok(OpenedSession { token: token.token, expires_at, cookie })
}

/// Log out: the token and the cookie stop working at once.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ))]
pub async fn logout(State(state): State<AppState>, who: AuthLearner) -> AppResult<impl IntoResponse> {
    Ok((StatusCode::NO_CONTENT, close_session(&state, who).await?))
}

/// Ends the session on the server and tells the browser to forget it (API and sign-out).
pub async fn close_session(state: &AppState, who: AuthLearner) -> AppResult<HeaderMap> {
    state.db.delete_session(who.token_hash).await?;
    let mut headers = HeaderMap::new();
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        state.config.session_cookie_name(),
        if state.config.secure_cookies() { "; Secure" } else { "" }
    );
    headers.insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(AppError::internal)?);
    headers.insert("clear-site-data", HeaderValue::from_static("\"cookies\", \"storage\""));
    Ok(headers)
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
    profile.validate("")?;
    Ok(Json(state.db.update_profile(who.id, profile, state.clock.now()).await?.into()))
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
    replace_password(&state, &who, body.current_password, body.new_password, &ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the current password, applies the policy to the new one, stores it and ends every
/// other session of the account (the API and the settings page alike). A wrong current
/// password is `Forbidden`; a weak new one is a validation error on `new_password`. The check
/// of the current password is throttled like a login (a stolen session must not become a way
/// to guess the password), per account and per address.
pub async fn replace_password(
    state: &AppState,
    who: &AuthLearner,
    current: String,
    new: String,
    ip: &str,
) -> AppResult<()> {
    let learner = state.db.learner(who.id).await?;
    let hash = state.db.password_hash(who.id).await?;
    if let Err(retry_after) = state.throttle.reserve(Subject::PasswordChange(who.id), ip, state.clock.now()).await? {
        tracing::warn!(learner = %who.id, "password change throttled");
        return Err(AppError::TooManyRequests { retry_after });
    }
    if !state.passwords.verify(current, Some(hash)).await? {
        return Err(AppError::Forbidden("the current password is wrong".into()));
    }
    state.throttle.succeeded(Subject::PasswordChange(who.id), ip).await?;
    check_new_password("new_password", &new, &learner.email, &learner.profile.name)?;
    let new_hash = state.passwords.hash(new).await?;
    state.db.set_password(who.id, new_hash, who.token_hash, state.clock.now()).await?;
    tracing::info!(learner = %who.id, "password changed; other sessions ended");
    Ok(())
}
