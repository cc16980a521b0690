//! The learner's first pages: home, sign up, sign in, sign out, and the dashboard.
//!
//! Forms post same-origin (the CSRF layer refuses cross-site posts), are validated on the
//! server with the message next to the field, and keep what was typed (never the password).
//! Private pages are `no-store`, so after signing out the back button shows nothing private.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Page, SignedIn, html, pick_lang};
use crate::domain::Lang;
use crate::error::AppError;
use crate::extract::{AuthLearner, ClientIp};
use crate::i18n::{self, UiLabels};
use crate::service::accounts;
use crate::state::AppState;

pub(crate) fn ui(lang: Lang) -> &'static UiLabels {
    &crate::i18n::strings(lang).ui
}

/// A form field's value and, when it was refused, why.
#[derive(Default)]
pub struct Field {
    pub value: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    t: &'static UiLabels,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    page: Page,
    t: &'static UiLabels,
    name: Field,
    email: Field,
    password: Field,
    error: bool,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    t: &'static UiLabels,
    email: Field,
    error: Option<String>,
}

pub async fn home(headers: HeaderMap) -> Response {
    let lang = pick_lang(&headers);
    let t = ui(lang);
    html(StatusCode::OK, HomePage { page: Page::public(lang, "certfolio".into(), "/"), t }.render())
}

pub async fn signup_form(headers: HeaderMap) -> Response {
    let lang = pick_lang(&headers);
    let t = ui(lang);
    let page = SignupPage {
        page: Page::public(lang, t.sign_up.into(), "/signup"),
        t,
        name: Field::default(),
        email: Field::default(),
        password: Field::default(),
        error: false,
    };
    html(StatusCode::OK, page.render())
}

#[derive(Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn signup(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignupForm>,
) -> Response {
    let lang = pick_lang(&headers);
    let t = ui(lang);
    let password = form.password.clone();
    let created = accounts::sign_up(&state, &form.email, form.password, &form.name, &ip).await;
    let failure = match created {
        Ok(_) => match accounts::sign_in(&state, &form.email, password, &ip).await {
            Ok(session) => {
                let mut r = Redirect::to("/dashboard").into_response();
                r.headers_mut().insert(header::SET_COOKIE, session.cookie);
                return r;
            }
            Err(e) => e,
        },
        Err(e) => e,
    };
    let mut name = Field { value: form.name, error: None };
    let mut email = Field { value: form.email, error: None };
    let mut password = Field::default();
    let status = failure.status();
    match &failure {
        AppError::Validation(v) => {
            let target = match v.path.as_str() {
                "name" => &mut name,
                "password" => &mut password,
                _ => &mut email,
            };
            target.error = Some(v.message_in(lang));
        }
        AppError::Conflict(p) => email.error = Some(i18n::problem(lang, p)),
        other => {
            let mut r = other_error(other, lang);
            if let AppError::TooManyRequests { retry_after } = other {
                r.headers_mut().insert(header::RETRY_AFTER, (*retry_after).into());
            }
            return r;
        }
    }
    let page =
        SignupPage { page: Page::public(lang, t.sign_up.into(), "/signup"), t, name, email, password, error: true };
    html(status, page.render())
}

pub async fn login_form(headers: HeaderMap) -> Response {
    let lang = pick_lang(&headers);
    let t = ui(lang);
    html(
        StatusCode::OK,
        LoginPage { page: Page::public(lang, t.sign_in.into(), "/login"), t, email: Field::default(), error: None }
            .render(),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = pick_lang(&headers);
    let t = ui(lang);
    match accounts::sign_in(&state, &form.email, form.password, &ip).await {
        Ok(session) => {
            let mut r = Redirect::to("/dashboard").into_response();
            r.headers_mut().insert(header::SET_COOKIE, session.cookie);
            r
        }
        Err(e @ (AppError::InvalidCredentials | AppError::TooManyRequests { .. })) => {
            let status = e.status();
            let page = LoginPage {
                page: Page::public(lang, t.sign_in.into(), "/login"),
                t,
                email: Field { value: form.email, error: None },
                error: Some(e.public_message()),
            };
            let mut r = html(status, page.render());
            if let AppError::TooManyRequests { retry_after } = e {
                r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            }
            r
        }
        Err(other) => other_error(&other, lang),
    }
}

pub async fn logout(State(state): State<AppState>, who: Option<AuthLearner>) -> Response {
    let mut r = Redirect::to("/").into_response();
    if let Some(who) = who {
        match accounts::sign_out(&state, who).await {
            Ok(headers) => r.headers_mut().extend(headers),
            Err(e) => return e.into_response(),
        }
    }
    r
}

/// Imports `data/sample-portfolio.json` (compiled in) into an empty record, so that a newcomer
/// sees a real portfolio at once. Refused when the record already has courses.
pub async fn import_sample(State(state): State<AppState>, SignedIn { who, .. }: SignedIn) -> Response {
    match state.db.course_count(who.id).await {
        Ok(0) => {}
        Ok(_) => return Redirect::to("/dashboard").into_response(),
        Err(e) => return AppError::from(e).into_response(),
    }
    let doc = match crate::domain::parse_document(include_bytes!("../../data/sample-portfolio.json")) {
        Ok(d) => d,
        Err(e) => return AppError::internal(format!("the bundled sample is invalid: {e}")).into_response(),
    };
    // The sample fills the record, not the account: the learner keeps their own name.
    let current = match state.db.learner(who.id).await {
        Ok(l) => l.profile,
        Err(e) => return AppError::from(e).into_response(),
    };
    let doc = crate::domain::Document { learner: current, ..doc };
    match state.db.import_document(who.id, doc, state.clock.now()).await {
        Ok(_) => Redirect::to("/dashboard").into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

pub(crate) fn framing_name(framing: crate::domain::portfolio::Framing, lang: Lang) -> &'static str {
    let l = i18n::labels(lang);
    match framing {
        crate::domain::portfolio::Framing::Appetite => l.appetite_title,
        crate::domain::portfolio::Framing::Legitimacy => l.legitimacy_field_title,
    }
}

/// An error no form field explains: the generic message page.
fn other_error(e: &AppError, lang: Lang) -> Response {
    let t = ui(lang);
    super::message_page(e.status(), lang, t.form_error, &e.public_message())
}
