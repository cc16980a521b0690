//! Accounts and sessions: sign-up, sign-in, sign-out, the session behind a request, profile and
//! settings, password change. The API (`api::accounts`) and the pages (`web::account_pages`,
//! `web::settings_pages`) both call these, so both apply exactly the same rules and limits.

use axum::http::{HeaderMap, HeaderValue, header};
use uuid::Uuid;

use crate::auth::{Subject, new_token};
use crate::domain::text::{MAX_NAME, check_line};
use crate::domain::{Email, Lang, LearnerRecord, Problem, check_password_policy};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::accounts::{Learner, NewLearner};

/// The learner a request acts for: a live session, and the hash of its token (to end it, or to
/// keep it when a password change ends the others).
#[derive(Debug, Clone, Copy)]
pub struct AuthLearner {
    pub id: Uuid,
    pub token_hash: [u8; 32],
}

/// Activity is recorded at most this often, so reads do not each cost a write.
const TOUCH_EVERY_SECS: i64 = 60;

/// The live session a token names, or `Unauthorized` (unknown, expired, or idle too long: an
/// ended session is deleted at once).
pub async fn authenticate(state: &AppState, token_hash: [u8; 32]) -> AppResult<AuthLearner> {
    let session = state.db.session(token_hash).await?.ok_or(AppError::Unauthorized)?;
    let now = state.clock.now();
    let idle = i64::try_from(state.config.session_idle.as_secs()).unwrap_or(i64::MAX);
    if now >= session.expires_at || now - session.last_seen_at >= idle {
        state.db.delete_session(token_hash).await?;
        return Err(AppError::Unauthorized);
    }
    if now - session.last_seen_at >= TOUCH_EVERY_SECS {
        state.db.touch_session(token_hash, now).await?;
    }
    Ok(AuthLearner { id: session.learner_id, token_hash })
}

/// The password policy with the account's own words (its email, its local part, its name) as
/// what a password must not be built from; a refusal names `path`.
fn check_new_password(path: &str, password: &str, email: &str, name: &str) -> AppResult<()> {
    let local = email.split('@').next().unwrap_or("");
    let mut inputs = vec![email, local];
    inputs.extend(name.split_whitespace());
    check_password_policy(password, &inputs).map_err(|e| AppError::validation(path, e))
}

/// Creates an account: every rule checked, the password hashed off the async threads. Errors
/// name the field (`email`, `name`, `password`). Each client address may create
/// `Config::signups_per_hour` accounts an hour (429 beyond); the use is taken before the work,
/// so parallel sign-ups cannot overdraw it, and given back when no account results.
pub async fn sign_up(state: &AppState, email: &str, password: String, name: &str, ip: &str) -> AppResult<Learner> {
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

/// A session just opened, and the cookie that carries it.
pub struct OpenedSession {
    pub token: String,
    pub expires_at: i64,
    pub cookie: HeaderValue,
}

/// Checks the credentials (throttled per account and address; the same failure for an
/// unknown email and a wrong password) and opens a session.
pub async fn sign_in(state: &AppState, email: &str, password: String, ip: &str) -> AppResult<OpenedSession> {
    let typed = email;
    // An unparseable email cannot be an account: same answer as a wrong password.
    let email = Email::parse(typed).map(|e| e.to_string()).unwrap_or_else(|_| typed.to_lowercase());
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

/// Ends the session on the server; the headers tell the browser to forget it.
pub async fn sign_out(state: &AppState, who: AuthLearner) -> AppResult<HeaderMap> {
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

/// Checks the current password, applies the policy to the new one, stores it and ends every
/// other session of the account. A wrong current password is `Forbidden`; a weak new one is a
/// validation error on `new_password`. The check of the current password is throttled like a
/// login (a stolen session must not become a way to guess the password), per account and per
/// address.
pub async fn change_password(
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
        return Err(AppError::Forbidden(Problem::WrongCurrentPassword));
    }
    state.throttle.succeeded(Subject::PasswordChange(who.id), ip).await?;
    check_new_password("new_password", &new, &learner.email, &learner.profile.name)?;
    let new_hash = state.passwords.hash(new).await?;
    state.db.set_password(who.id, new_hash, who.token_hash, state.clock.now()).await?;
    tracing::info!(learner = %who.id, "password changed; other sessions ended");
    Ok(())
}

/// Replaces the profile shown on portfolios (the document's `learner` block), checked first.
pub async fn update_profile(state: &AppState, learner: Uuid, profile: LearnerRecord) -> AppResult<Learner> {
    profile.validate("")?;
    Ok(state.db.update_profile(learner, profile, state.clock.now()).await?)
}

/// The settings page's save: the profile, checked, and the language of the learner's pages.
pub async fn save_settings(
    state: &AppState,
    learner: Uuid,
    profile: LearnerRecord,
    page_lang: Lang,
) -> AppResult<Learner> {
    profile.validate("")?;
    Ok(state.db.save_settings(learner, profile, page_lang, state.clock.now()).await?)
}
