//! The learner's first pages: home, sign up, sign in, sign out, and the dashboard.
//!
//! Forms post same-origin (the CSRF layer refuses cross-site posts), are validated on the
//! server with the message next to the field, and keep what was typed (never the password).
//! Private pages are `no-store`, so after signing out the back button shows nothing private.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::{self, FormFields};
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
    /// Where to go once signed up (a path of this site), carried by the form.
    next: String,
    login_href: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    t: &'static UiLabels,
    email: Field,
    error: Option<String>,
    /// Where to go once signed in (a path of this site), carried by the form.
    next: String,
    signup_href: String,
}

pub async fn home(headers: HeaderMap) -> Response {
    let lang = pick_lang(&headers);
    let t = ui(lang);
    html(StatusCode::OK, HomePage { page: Page::public(lang, "certfolio".into(), "/"), t }.render())
}

/// Where to go once signed in (or signed up): a page of this site that was asked for.
#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    next: String,
}

impl Next {
    /// The page to return to, when it is one of this site's.
    fn path(&self) -> Option<&str> {
        super::local_path(&self.next)
    }

    /// `path` with this `next` carried along (the sign-up and sign-in pages link each other).
    fn on(&self, path: &str) -> String {
        match self.path() {
            Some(next) => {
                format!("{path}?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
            }
            None => path.to_owned(),
        }
    }

    /// Where success goes: the page asked for, else the dashboard.
    fn done(&self) -> &str {
        self.path().unwrap_or("/dashboard")
    }
}

fn signup_page(lang: Lang, next: &Next, name: Field, email: Field, password: Field, error: bool) -> SignupPage {
    let t = ui(lang);
    SignupPage {
        page: Page::public(lang, t.sign_up.into(), &next.on("/signup")),
        t,
        name,
        email,
        password,
        error,
        next: next.path().unwrap_or_default().to_owned(),
        login_href: next.on("/login"),
    }
}

pub async fn signup_form(headers: HeaderMap, Query(next): Query<Next>) -> Response {
    let lang = pick_lang(&headers);
    let page = signup_page(lang, &next, Field::default(), Field::default(), Field::default(), false);
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
    #[serde(flatten)]
    next: Next,
}

/// The sign-up form's fields: an email already taken is about the email.
struct SignupFields;

impl FormFields for SignupFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = ui(lang);
        Some(match field {
            "name" => t.name,
            "email" => t.email,
            "password" => t.password,
            _ => return None,
        })
    }

    fn field_for(e: &AppError) -> Option<&'static str> {
        matches!(e, AppError::Conflict(_)).then_some("email")
    }
}

/// Creates the account and signs it in, then goes where the visitor was going.
pub async fn signup(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignupForm>,
) -> Response {
    let lang = pick_lang(&headers);
    let SignupForm { name, email, password, next } = form;
    let attempt = async {
        accounts::sign_up(&state, &email, password.clone(), &name, &ip).await?;
        accounts::sign_in(&state, &email, password, &ip).await
    };
    let done = |session: accounts::OpenedSession| {
        let mut r = Redirect::to(next.done()).into_response();
        r.headers_mut().insert(header::SET_COOKIE, session.cookie);
        r
    };
    let (typed_name, typed_email, next) = (&name, &email, &next);
    forms::submit::<SignupFields, _, _, _>(lang, attempt, done, |refused| async move {
        // Everything typed comes back but the password, which is never echoed.
        let typed = |value: &String| Field { value: value.clone(), error: None };
        let mut fields = [typed(typed_name), typed(typed_email), Field::default()];
        let at = match refused.field.as_str() {
            "name" => 0,
            "password" => 2,
            _ => 1,
        };
        fields[at].error = Some(refused.message);
        let [name, email, password] = fields;
        html(StatusCode::UNPROCESSABLE_ENTITY, signup_page(lang, next, name, email, password, true).render())
    })
    .await
}

fn login_page(lang: Lang, next: &Next, email: Field, error: Option<String>) -> LoginPage {
    let t = ui(lang);
    LoginPage {
        page: Page::public(lang, t.sign_in.into(), &next.on("/login")),
        t,
        email,
        error,
        next: next.path().unwrap_or_default().to_owned(),
        signup_href: next.on("/signup"),
    }
}

pub async fn login_form(headers: HeaderMap, Query(next): Query<Next>) -> Response {
    let lang = pick_lang(&headers);
    html(StatusCode::OK, login_page(lang, &next, Field::default(), None).render())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(flatten)]
    next: Next,
}

/// Signs in, then returns to the page that was asked for (`next`, a path of this site only),
/// else the dashboard. A wrong password or too many attempts is said on the page.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = pick_lang(&headers);
    match accounts::sign_in(&state, &form.email, form.password, &ip).await {
        Ok(session) => {
            let mut r = Redirect::to(form.next.done()).into_response();
            r.headers_mut().insert(header::SET_COOKIE, session.cookie);
            r
        }
        Err(e @ (AppError::InvalidCredentials | AppError::TooManyRequests { .. })) => {
            let said = format!("{}.", i18n::capitalise_first(&e.message_in(lang)));
            let page = login_page(lang, &form.next, Field { value: form.email, error: None }, Some(said));
            let mut r = html(e.status(), page.render());
            if let AppError::TooManyRequests { retry_after } = e {
                r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            }
            r
        }
        Err(other) => other.into_response(),
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
