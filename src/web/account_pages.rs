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
use crate::i18n;
use crate::service::accounts;
use crate::state::AppState;

/// The fixed strings of these pages.
pub struct UiLabels {
    pub sign_up: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub create_account: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub tagline: &'static str,
    pub pitch: &'static str,
    pub have_account: &'static str,
    pub no_account: &'static str,
    pub dashboard: &'static str,
    pub courses: &'static str,
    pub certificates: &'static str,
    pub hours: &'static str,
    pub advice: &'static str,
    pub empty_record: &'static str,
    pub import_sample: &'static str,
    pub form_error: &'static str,
    pub shares: &'static str,
    pub course_one: &'static str,
    pub course_many: &'static str,
    pub certified_course_one: &'static str,
    pub certified_course_many: &'static str,
    pub timeline: &'static str,
    pub expiring: &'static str,
    pub next: &'static str,
    pub build_portfolio: &'static str,
    pub step_add: &'static str,
    pub step_import: &'static str,
    /// `{n}` and `{courses}` are replaced by the number and the right form of "certified course".
    pub step_url: &'static str,
    pub step_file: &'static str,
    pub step_situation: &'static str,
    pub step_share: &'static str,
    pub step_import_more: &'static str,
    pub add_course: &'static str,
    pub import: &'static str,
    pub courses_link: &'static str,
    pub settings: &'static str,
    pub portfolio: &'static str,
}

pub static FR: UiLabels = UiLabels {
    sign_up: "Créer un compte",
    sign_in: "Se connecter",
    sign_out: "Se déconnecter",
    create_account: "Créer le compte",
    name: "Nom",
    email: "Adresse e-mail",
    password: "Mot de passe",
    password_hint: "12 caractères au moins ; quelques mots sans lien font un mot de passe solide.",
    tagline: "Vos MOOC et attestations, en portfolio vérifiable.",
    pitch: "Consignez les cours suivis, les attestations obtenues et les établissements qui les délivrent, puis faites-en un portfolio PDF et une page à partager avec un recruteur, cadrés sur votre appétence pour l’autoformation ou sur votre légitimité dans un domaine.",
    have_account: "Déjà un compte ?",
    no_account: "Pas encore de compte ?",
    dashboard: "Tableau de bord",
    courses: "cours",
    certificates: "attestations",
    hours: "heures d’étude",
    advice: "Cadrage conseillé :",
    empty_record: "Votre dossier est vide. Importez l’exemple pour découvrir certfolio en une minute.",
    import_sample: "Importer le dossier d’exemple",
    form_error: "Le formulaire contient une erreur.",
    shares: "Liens de partage",
    course_one: "cours",
    course_many: "cours",
    certified_course_one: "cours certifié",
    certified_course_many: "cours certifiés",
    timeline: "Vos cours, année par année",
    expiring: "Validité à surveiller",
    next: "Et maintenant ?",
    build_portfolio: "Composer mon portfolio",
    step_add: "Ajoutez votre premier cours, avec son attestation.",
    step_import: "Ou importez vos certifications LinkedIn, un tableur ou un autre fichier.",
    step_url: "Ajoutez l’URL de vérification de l’émetteur à {n} {courses} : le recruteur pourra les contrôler.",
    step_file: "Joignez le fichier du certificat à {n} {courses}.",
    step_situation: "Indiquez votre situation : le cadrage conseillé en tient compte.",
    step_share: "Créez un lien de partage pour un recruteur.",
    step_import_more: "D’autres certifications ailleurs ? Importez-les.",
    add_course: "Ajouter un cours",
    import: "Importer",
    courses_link: "Mes cours",
    settings: "Réglages",
    portfolio: "Mon portfolio",
};

pub static EN: UiLabels = UiLabels {
    sign_up: "Sign up",
    sign_in: "Sign in",
    sign_out: "Sign out",
    create_account: "Create account",
    name: "Name",
    email: "Email",
    password: "Password",
    password_hint: "At least 12 characters; a few unrelated words make a strong password.",
    tagline: "Your MOOCs and certificates, as a portfolio recruiters can check.",
    pitch: "Record the courses you took, the attestations you earned and the institutions behind them, then turn them into a PDF portfolio and a page to share with a recruiter, framed around your appetite for self-training or your legitimacy in a field.",
    have_account: "Already have an account?",
    no_account: "No account yet?",
    dashboard: "Dashboard",
    courses: "courses",
    certificates: "certificates",
    hours: "hours of study",
    advice: "Advised framing:",
    empty_record: "Your record is empty. Import the sample to see certfolio at work in a minute.",
    import_sample: "Import the sample record",
    form_error: "The form has an error.",
    shares: "Share links",
    course_one: "course",
    course_many: "courses",
    certified_course_one: "certified course",
    certified_course_many: "certified courses",
    timeline: "Your courses, year by year",
    expiring: "Validity to watch",
    next: "What to do next",
    build_portfolio: "Build my portfolio",
    step_add: "Add your first course, with its attestation.",
    step_import: "Or import your LinkedIn certifications, a spreadsheet or another file.",
    step_url: "Add the issuer’s verification URL to {n} {courses}: recruiters can then check them.",
    step_file: "Attach the certificate file to {n} {courses}.",
    step_situation: "Say what your situation is: the advised framing takes it into account.",
    step_share: "Create a share link for a recruiter.",
    step_import_more: "Certificates elsewhere? Import them.",
    add_course: "Add course",
    import: "Import",
    courses_link: "My courses",
    settings: "Settings",
    portfolio: "My portfolio",
};

pub(crate) fn ui(lang: Lang) -> &'static UiLabels {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
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
            target.error = Some(v.message.clone());
        }
        AppError::Conflict(m) => email.error = Some(m.clone()),
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
