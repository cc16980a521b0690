//! Settings (`/settings`: name, headline, situation, contact, language; password change) and
//! the header's language switch (`POST /lang`).
//!
//! The profile form maps onto the document's `LearnerRecord`, so it obeys the rules of the API
//! and of imports; the password form goes through the API's own `replace_password` (same
//! policy, other sessions ended). A refused value is shown next to its field, everything typed
//! kept (never a password), and nothing is saved.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::account_pages::Field;
use super::forms::{self, FormFields};
use super::{LANG_COOKIE, Page, SignedIn, html, private};
use crate::domain::problem::Expected;
use crate::domain::{Lang, LearnerRecord, Problem, Situation, ValidationError};
use crate::error::AppError;
use crate::extract::{AuthLearner, ClientIp};
use crate::i18n::SettingsLabels;
use crate::service::accounts;
use crate::state::AppState;

fn labels(lang: Lang) -> &'static SettingsLabels {
    &crate::i18n::strings(lang).settings
}

/// What the profile form sends, as typed.
#[derive(Deserialize, Default)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    headline: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    situation: String,
    #[serde(default)]
    lang: String,
}

impl ProfileForm {
    fn of(p: &LearnerRecord, page_lang: Lang) -> ProfileForm {
        ProfileForm {
            name: p.name.clone(),
            headline: p.headline.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            location: p.location.clone().unwrap_or_default(),
            situation: p.situation.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            lang: page_lang.as_str().to_owned(),
        }
    }

    /// The profile and page language this form describes, or the field at fault and why.
    fn to_profile(&self) -> Result<(LearnerRecord, Lang), ValidationError> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
        let situation = match opt(&self.situation) {
            None => None,
            Some(v) => Some(Situation::from_str_opt(&v).ok_or_else(|| {
                let value = crate::domain::text::excerpt(&v).into_owned();
                ValidationError::new("situation", Problem::NotA { value, expected: Expected::Situation })
            })?),
        };
        let lang = Lang::from_str_opt(self.lang.trim())
            .ok_or_else(|| ValidationError::new("lang", Problem::ChooseALanguage))?;
        let profile = LearnerRecord {
            name: self.name.trim().to_owned(),
            headline: opt(&self.headline),
            email: opt(&self.email),
            location: opt(&self.location),
            situation,
            lang: Some(lang),
        };
        profile.validate("")?;
        Ok((profile, lang))
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    t: &'static SettingsLabels,
    form: ProfileForm,
    error_field: String,
    error: Option<String>,
    current_password: Field,
    new_password: Field,
    notice: Option<&'static str>,
    /// Every language, each named in itself.
    languages: Vec<(&'static str, &'static str)>,
}

impl SettingsPage {
    fn new(lang: Lang, form: ProfileForm) -> SettingsPage {
        let t = labels(lang);
        SettingsPage {
            page: Page::learner(lang, t.settings.into(), "/settings"),
            t,
            form,
            error_field: String::new(),
            error: None,
            current_password: Field::default(),
            new_password: Field::default(),
            notice: None,
            languages: crate::i18n::languages(),
        }
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        (self.error_field == field).then_some(self.error.as_deref()).flatten()
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(State(state): State<AppState>, SignedIn { who, lang }: SignedIn, Query(q): Query<Done>) -> Response {
    let learner = match state.db.learner(who.id).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let mut page = SettingsPage::new(lang, ProfileForm::of(&learner.profile, lang));
    page.notice = match q.done.as_deref() {
        Some("profile") => Some(page.t.saved),
        Some("password") => Some(page.t.password_changed),
        _ => None,
    };
    private(html(StatusCode::OK, page.render()))
}

pub async fn save(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Form(form): Form<ProfileForm>,
) -> Response {
    let checked = form.to_profile();
    let attempt = async {
        let (profile, page_lang) = checked?;
        accounts::save_settings(&state, who.id, profile, page_lang).await
    };
    forms::submit::<ProfileFields, _, _, _>(
        lang,
        attempt,
        |_| Redirect::to("/settings?done=profile").into_response(),
        |refused| async move {
            let mut page = SettingsPage::new(lang, form);
            page.error_field = refused.field;
            page.error = Some(refused.message);
            html(StatusCode::UNPROCESSABLE_ENTITY, page.render())
        },
    )
    .await
}

/// The profile form's fields, each with its label.
struct ProfileFields;

impl FormFields for ProfileFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        Some(match field {
            "name" => t.name,
            "headline" => t.headline,
            "email" => t.contact_email,
            "location" => t.location,
            "situation" => t.situation,
            "lang" => t.language,
            _ => return None,
        })
    }
}

/// The password form's fields: a wrong or throttled current password is about the first.
struct PasswordFields;

impl FormFields for PasswordFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        Some(match field {
            "current_password" => t.current_password,
            "new_password" => t.new_password,
            _ => return None,
        })
    }

    fn field_for(e: &AppError) -> Option<&'static str> {
        matches!(e, AppError::Forbidden(_) | AppError::TooManyRequests { .. }).then_some("current_password")
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> Response {
    let state = &state;
    let attempt = accounts::change_password(state, &who, form.current_password, form.new_password, &ip);
    forms::submit::<PasswordFields, _, _, _>(
        lang,
        attempt,
        |()| Redirect::to("/settings?done=password").into_response(),
        |refused| async move {
            // The profile as stored, beside the password form that was refused (never its values).
            let learner = match state.db.learner(who.id).await {
                Ok(l) => l,
                Err(e) => return AppError::from(e).into_response(),
            };
            let mut page = SettingsPage::new(lang, ProfileForm::of(&learner.profile, lang));
            let field =
                if refused.field == "current_password" { &mut page.current_password } else { &mut page.new_password };
            field.error = Some(refused.message);
            html(StatusCode::UNPROCESSABLE_ENTITY, page.render())
        },
    )
    .await
}

/// The header's language switch.
#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// Remembers the chosen language: in the account when signed in, and in a `lang` cookie in any
/// case (so the pages stay in that language after signing out), then returns to the page.
pub async fn switch_lang(
    State(state): State<AppState>,
    who: Option<AuthLearner>,
    Form(form): Form<LangForm>,
) -> Response {
    let back = super::local_path(&form.back).unwrap_or("/");
    let Some(lang) = Lang::from_str_opt(form.lang.trim()) else { return Redirect::to(back).into_response() };
    if let Some(who) = who
        && let Err(e) = state.db.set_page_lang(who.id, lang).await
    {
        return AppError::from(e).into_response();
    }
    let mut r = Redirect::to(back).into_response();
    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}", lang.as_str());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
