//! Server-rendered HTML: the recruiter's page behind a share link, PDF verification, and
//! the few static files they need. Templates live in `templates/` and are compiled in
//! (askama escapes every value; nothing here marks learner text as safe).

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::domain::Lang;
use crate::i18n::NavLabels;
use crate::state::AppState;

pub mod account_pages;
pub mod course_pages;
pub mod dashboard;
pub mod error_pages;
pub mod forms;
pub mod import_pages;
pub mod institution_pages;
pub mod portfolio_pages;
pub mod qr;
pub mod saved_pages;
pub mod settings_pages;
pub mod share_page;
pub mod share_tools;
mod squeeze;
pub mod verify;

/// What every page template knows about itself.
pub struct Page {
    pub lang: &'static str,
    pub title: String,
    /// The site header (menu and language switch); `None` on the recruiter's pages, whose
    /// language is the portfolio's and whose bytes are cached per link.
    pub nav: Option<Nav>,
    /// The page loads `/static/builder.js` (and is answered with [`html_scripted`]'s CSP).
    pub script: bool,
}

/// The site header: where the reader is (marked `aria-current`) and the other language.
pub struct Nav {
    pub t: &'static NavLabels,
    /// The page's language code.
    pub lang: &'static str,
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
                ("/portfolios", t.saved_portfolios),
                ("/shares", t.shares),
                ("/settings", t.settings),
            ]
        } else if self.here == "/login" {
            vec![("/signup", t.sign_up)]
        } else {
            vec![("/login", t.sign_in)]
        }
    }

    /// The other languages the switch offers: code and name, each written in itself.
    pub fn others(&self) -> Vec<(&'static str, &'static str)> {
        crate::i18n::languages().into_iter().filter(|(code, _)| *code != self.lang).collect()
    }

    /// Whether `href` is this page (or the section it belongs to: a course's edit page is
    /// under "My courses").
    pub fn is_current(&self, href: &str) -> bool {
        self.here == href || (href != "/" && self.here.starts_with(&format!("{href}/")))
    }
}

pub fn nav_labels(lang: Lang) -> &'static NavLabels {
    &crate::i18n::strings(lang).nav
}

impl Page {
    /// A page without the site header (the recruiter's pages, bare messages).
    pub fn new(lang: Lang, title: String) -> Page {
        Page { lang: lang.as_str(), title, nav: None, script: false }
    }

    /// A visitor's page at `here`, with the way in and the language switch.
    pub fn public(lang: Lang, title: String, here: &str) -> Page {
        let nav = Nav { t: nav_labels(lang), lang: lang.as_str(), signed_in: false, here: here.to_owned() };
        Page { lang: lang.as_str(), title, nav: Some(nav), script: false }
    }

    /// A signed-in learner's page at `here`, with their menu and the language switch.
    pub fn learner(lang: Lang, title: String, here: &str) -> Page {
        let nav = Nav { t: nav_labels(lang), lang: lang.as_str(), signed_in: true, here: here.to_owned() };
        Page { lang: lang.as_str(), title, nav: Some(nav), script: false }
    }
}

/// A signed-in learner and the language of their pages: the one they chose (header switch or
/// settings), else their profile's, else the `lang` cookie or the browser's, else French.
/// Pages that take it send anyone else to the sign-in page.
pub struct SignedIn {
    pub who: crate::extract::AuthLearner,
    pub lang: Lang,
}

impl axum::extract::FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::OptionalFromRequestParts;
        let who = <crate::extract::AuthLearner as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(who) = who else {
            // Back to the page asked for once signed in; a form's post is not a page to return to.
            let to = if parts.method == axum::http::Method::GET { sign_in_then(&parts.uri) } else { "/login".into() };
            return Err(axum::response::Redirect::to(&to).into_response());
        };
        let chosen = state.db.page_lang(who.id).await.map_err(|e| crate::error::AppError::from(e).into_response())?;
        let lang = chosen.unwrap_or_else(|| pick_lang(&parts.headers));
        // An error answered by this page is a page in this language, with this learner's menu.
        if let Some(reader) = parts.extensions.get::<error_pages::Reader>() {
            reader.signed_in(lang);
        }
        Ok(SignedIn { who, lang })
    }
}

/// Pages load only same-origin styles; no script at all, no frames, forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// The builder and the link page: the same, plus the one same-origin script (`/static/builder.js`,
/// never inline) and its requests for the preview, to this site only.
const CSP_SCRIPTED: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                            frame-ancestors 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'";

pub fn router(state: &AppState) -> Router<AppState> {
    let upload_limit = state.config.evidence_max_bytes + crate::service::evidence::MULTIPART_OVERHEAD;
    let import_limit = state.config.import_max_bytes + crate::service::evidence::MULTIPART_OVERHEAD;
    let shared = Router::new()
        .route("/s/{token}", get(share_page::page))
        .route("/s/{token}/portfolio.pdf", get(share_page::pdf))
        // Each marks its answers as a capability URL's (`share_page::capability`).
        .route("/s/{token}/evidence/{course}", get(share_page::evidence));
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
        .route(
            "/courses/new",
            get(course_pages::new_form).post(course_pages::create).layer(DefaultBodyLimit::max(upload_limit)),
        )
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
        .route("/shares", get(share_tools::list))
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
        .route("/static/builder.js", get(builder_script))
        .route("/portfolios", get(saved_pages::list).post(saved_pages::create))
        .route("/portfolios/{id}", get(saved_pages::page).post(saved_pages::save))
        .route("/portfolios/{id}/delete", axum::routing::post(saved_pages::delete))
        .route("/portfolios/{id}/portfolio.pdf", get(saved_pages::pdf))
        .route("/portfolios/{id}/share", axum::routing::post(share_tools::create))
        .route("/shares/{id}", get(share_tools::link_page))
        .route("/shares/{id}/expiry", axum::routing::post(share_tools::change_expiry))
        .route("/shares/{id}/replace", axum::routing::post(share_tools::replace))
        .route("/courses/bulk", axum::routing::post(course_pages::bulk))
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

/// A page that loads `/static/builder.js`: [`html`] with the CSP that allows it.
pub fn html_scripted(status: StatusCode, rendered: askama::Result<String>) -> Response {
    let mut r = html(status, rendered);
    if r.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html")) {
        r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP_SCRIPTED));
    }
    r
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

async fn builder_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        include_str!("../../templates/builder.js"),
    )
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../templates/style.css"),
    )
}

/// `path` when it is a path of this site, to return to after a form (the language switch,
/// signing in): never a way to send someone elsewhere (`//evil.example`, `https://…`,
/// `/\evil.example`, which browsers read as `//`).
pub fn local_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 512
        && path.chars().all(|c| c.is_ascii_graphic());
    ok.then_some(path)
}

/// The sign-in page that comes back to `uri` once signed in (a page's address, GET only).
fn sign_in_then(uri: &axum::http::Uri) -> String {
    match uri.path_and_query().map(axum::http::uri::PathAndQuery::as_str).and_then(local_path) {
        Some(next) if next != "/" => {
            format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
        }
        _ => "/login".to_owned(),
    }
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

#[cfg(test)]
mod tests {
    use super::{local_path, sign_in_then};

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(local_path("/courses/abc/edit"), Some("/courses/abc/edit"));
        assert_eq!(local_path("/portfolio?framing=appetite"), Some("/portfolio?framing=appetite"));
        for evil in ["//evil.example/x", "https://evil.example", "/\\evil.example", "", "evil", "/a b", "/\u{e9}"] {
            assert_eq!(local_path(evil), None, "{evil:?}");
        }
    }

    #[test]
    fn signing_in_returns_to_the_page_asked_for() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert_eq!(sign_in_then(&uri("/courses/abc/edit")), "/login?next=%2Fcourses%2Fabc%2Fedit");
        assert_eq!(
            sign_in_then(&uri("/portfolio?framing=appetite&lang=fr")),
            "/login?next=%2Fportfolio%3Fframing%3Dappetite%26lang%3Dfr"
        );
        assert_eq!(sign_in_then(&uri("/")), "/login");
    }
}
