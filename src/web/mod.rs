//! Server-rendered HTML: the recruiter's page behind a share link, PDF verification, and
//! the few static files they need. Templates live in `templates/` and are compiled in
//! (askama escapes every value; nothing here marks learner text as safe).

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;
use crate::domain::Lang;

pub mod account_pages;
pub mod course_pages;
pub mod dashboard;
pub mod import_pages;
pub mod institution_pages;
pub mod labels;
pub mod limits;
pub mod pending;
pub mod portfolio_pages;
pub mod settings_pages;
pub mod share_page;
pub mod verify;

/// What every page template knows about itself.
pub struct Page {
    pub lang: &'static str,
    pub title: String,
    /// The site header (menu and language switch); `None` on the recruiter's pages, whose
    /// language is the portfolio's and whose bytes are cached per link.
    pub nav: Option<Nav>,
}

/// The site header: where the reader is (marked `aria-current`) and the other language.
pub struct Nav {
    pub t: &'static NavLabels,
    pub signed_in: bool,
    /// The path of this page: the current menu entry, and where the language switch returns.
    pub here: String,
}

impl Nav {
    /// The menu entries: the learner's pages once signed in, else the way in.
    pub fn links(&self) -> Vec<(&'static str, &'static str)> {
        let t = self.t;
        if self.signed_in {
            vec![
                ("/dashboard", t.dashboard),
                ("/courses", t.courses),
                ("/institutions", t.institutions),
                ("/import", t.import),
                ("/portfolio", t.portfolio),
                ("/shares", t.shares),
                ("/settings", t.settings),
            ]
        } else if self.here == "/login" {
            vec![("/signup", t.sign_up)]
        } else {
            vec![("/login", t.sign_in)]
        }
    }

    /// Whether `href` is this page (or the section it belongs to: a course's edit page is
    /// under "My courses").
    pub fn is_current(&self, href: &str) -> bool {
        self.here == href || (href != "/" && self.here.starts_with(&format!("{href}/")))
    }
}

pub struct NavLabels {
    pub skip: &'static str,
    pub menu: &'static str,
    pub dashboard: &'static str,
    pub courses: &'static str,
    pub institutions: &'static str,
    pub import: &'static str,
    pub portfolio: &'static str,
    pub shares: &'static str,
    pub settings: &'static str,
    pub sign_in: &'static str,
    pub sign_up: &'static str,
    pub sign_out: &'static str,
    pub language: &'static str,
    /// The other language: its code and its name, written in that language.
    pub other_code: &'static str,
    pub other_name: &'static str,
}

pub static NAV_FR: NavLabels = NavLabels {
    skip: "Aller au contenu",
    menu: "Menu principal",
    dashboard: "Tableau de bord",
    courses: "Mes cours",
    institutions: "Établissements",
    import: "Importer",
    portfolio: "Portfolio",
    shares: "Liens de partage",
    settings: "Réglages",
    sign_in: "Se connecter",
    sign_up: "Créer un compte",
    sign_out: "Se déconnecter",
    language: "Langue",
    other_code: "en",
    other_name: "English",
};

pub static NAV_EN: NavLabels = NavLabels {
    skip: "Skip to content",
    menu: "Main menu",
    dashboard: "Dashboard",
    courses: "My courses",
    institutions: "Institutions",
    import: "Import",
    portfolio: "Portfolio",
    shares: "Share links",
    settings: "Settings",
    sign_in: "Sign in",
    sign_up: "Sign up",
    sign_out: "Sign out",
    language: "Language",
    other_code: "fr",
    other_name: "Français",
};

pub fn nav_labels(lang: Lang) -> &'static NavLabels {
    match lang {
        Lang::Fr => &NAV_FR,
        Lang::En => &NAV_EN,
    }
}

impl Page {
    /// A page without the site header (the recruiter's pages, bare messages).
    pub fn new(lang: Lang, title: String) -> Page {
        Page { lang: lang.as_str(), title, nav: None }
    }

    /// A visitor's page at `here`, with the way in and the language switch.
    pub fn public(lang: Lang, title: String, here: &str) -> Page {
        let nav = Nav { t: nav_labels(lang), signed_in: false, here: here.to_owned() };
        Page { lang: lang.as_str(), title, nav: Some(nav) }
    }

    /// A signed-in learner's page at `here`, with their menu and the language switch.
    pub fn learner(lang: Lang, title: String, here: &str) -> Page {
        let nav = Nav { t: nav_labels(lang), signed_in: true, here: here.to_owned() };
        Page { lang: lang.as_str(), title, nav: Some(nav) }
    }
}

/// A signed-in learner and the language of their pages: the one they chose (header switch or
/// settings), else their profile's, else the `lang` cookie or the browser's, else French.
/// Pages that take it send anyone else to the sign-in page.
pub struct SignedIn {
    pub who: crate::api::extract::AuthLearner,
    pub lang: Lang,
}

impl axum::extract::FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::OptionalFromRequestParts;
        let who =
            <crate::api::extract::AuthLearner as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
        let Some(who) = who else { return Err(axum::response::Redirect::to("/login").into_response()) };
        let chosen = state.db.page_lang(who.id).await.map_err(|e| crate::error::AppError::from(e).into_response())?;
        Ok(SignedIn { who, lang: chosen.unwrap_or_else(|| pick_lang(&parts.headers)) })
    }
}

/// Pages load only same-origin styles; no script at all, no frames, forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: &AppState) -> Router<AppState> {
    let upload_limit = state.config.evidence_max_bytes + crate::api::evidence::MULTIPART_OVERHEAD;
    let import_limit = state.config.import_max_bytes + crate::api::evidence::MULTIPART_OVERHEAD;
    let shared = Router::new()
        .route("/s/{token}", get(share_page::page))
        .route("/s/{token}/portfolio.pdf", get(share_page::pdf))
        .route("/s/{token}/evidence/{course}", get(share_page::evidence))
        // A capability URL: never indexed, never leaked through Referer, never cached.
        .layer(axum::middleware::map_response(|mut r: Response| async move {
            let h = r.headers_mut();
            h.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
            h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }));
    Router::new()
        .merge(shared)
        .route("/verify", get(verify::form).post(verify::check).layer(DefaultBodyLimit::max(upload_limit)))
        .route("/verify/{code}", get(verify::code))
        .route("/", get(account_pages::home))
        .route("/signup", get(account_pages::signup_form).post(account_pages::signup))
        .route("/login", get(account_pages::login_form).post(account_pages::login))
        .route("/logout", axum::routing::post(account_pages::logout))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard/import-sample", axum::routing::post(account_pages::import_sample))
        .route("/dashboard/check-now", axum::routing::post(dashboard::check_now))
        .route("/courses", get(course_pages::list))
        .route("/courses/new", get(course_pages::new_form).post(course_pages::create))
        .route("/courses/{id}", axum::routing::post(course_pages::update))
        .route("/courses/{id}/edit", get(course_pages::edit_form))
        .route(
            "/courses/{id}/evidence",
            get(course_pages::download_evidence)
                .post(course_pages::upload_evidence)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/courses/{id}/evidence/delete", axum::routing::post(course_pages::remove_evidence))
        .route("/courses/{id}/delete", get(course_pages::delete_form).post(course_pages::delete))
        .route("/portfolio", get(portfolio_pages::page))
        .route("/portfolio.pdf", get(portfolio_pages::pdf))
        .route("/portfolio/share", axum::routing::post(portfolio_pages::share))
        .route("/shares", get(portfolio_pages::shares))
        .route("/shares/{id}/revoke", axum::routing::post(portfolio_pages::revoke))
        .route("/institutions", get(institution_pages::list))
        .route("/institutions/merge", get(institution_pages::merge_review).post(institution_pages::merge))
        .route("/institutions/{id}", axum::routing::post(institution_pages::update))
        .route("/institutions/{id}/edit", get(institution_pages::edit_form))
        .route("/import", get(import_pages::page).post(import_pages::upload).layer(DefaultBodyLimit::max(import_limit)))
        .route("/import/{id}", get(import_pages::preview))
        .route("/import/confirm", axum::routing::post(import_pages::confirm))
        .route("/import/cancel", axum::routing::post(import_pages::cancel))
        .route("/settings", get(settings_pages::page).post(settings_pages::save))
        .route("/settings/password", axum::routing::post(settings_pages::change_password))
        .route("/lang", axum::routing::post(settings_pages::switch_lang))
        .route("/robots.txt", get(robots))
        .route("/static/style.css", get(style))
}

/// A private page: never stored by the browser or a proxy, so that after signing out the
/// back button shows nothing private.
pub fn private(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Answers a rendered template as an HTML page with the page security headers.
pub fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(body) => html_bytes(status, axum::body::Bytes::from(body)),
        Err(e) => crate::error::AppError::internal(format!("template: {e}")).into_response(),
    }
}

/// An HTML page from bytes already rendered (shared, not copied).
pub fn html_bytes(status: StatusCode, body: axum::body::Bytes) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    r
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    page: Page,
    heading: &'a str,
    text: &'a str,
}

/// A page that only says something (not found, too many requests…).
pub fn message_page(status: StatusCode, lang: Lang, heading: &str, text: &str) -> Response {
    html(status, MessagePage { page: Page::new(lang, heading.to_owned()), heading, text }.render())
}

async fn robots() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "User-agent: *\nDisallow: /s/\nDisallow: /api/\n")
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../templates/style.css"),
    )
}

/// The cookie that remembers a visitor's language choice (the header's switch).
pub const LANG_COOKIE: &str = "lang";

/// A visitor's page language: the `lang` cookie set by the header's switch, else the first of
/// French or English the browser lists in `Accept-Language`, else French.
pub fn pick_lang(headers: &axum::http::HeaderMap) -> Lang {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(name, value)| (name == LANG_COOKIE).then(|| Lang::from_str_opt(value.trim())).flatten());
    chosen.unwrap_or_else(|| accept_language(headers))
}

fn accept_language(headers: &axum::http::HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut tags: Vec<(f32, usize, &str)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.trim().split(';');
            let tag = bits.next()?.trim();
            let q = bits.find_map(|b| b.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            Some((q, i, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.iter()
        .find_map(|(_, _, tag)| {
            let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
            Lang::from_str_opt(&primary)
        })
        .unwrap_or_default()
}
