//! Errors on pages are answered as pages. A handler (or an extractor, or a layer) answers an
//! `AppError` the one way it knows: the contract's JSON, which `/api` keeps. Everywhere else
//! this layer turns any error answer that is not already a page (that JSON, axum's plain-text
//! rejections, the cross-site check's and the timeout's empty bodies, a caught panic) into an
//! HTML page in the reader's language, with the site header, the page CSP and the error's
//! own status and headers (`Retry-After`). One error type, one mapping per door.
//!
//! The reader's language is the one the learner pages already use: the learner's choice once
//! `SignedIn` has run (it says so through [`Reader`]), else the session's learner's, else the
//! `lang` cookie or the browser's. A client that asks for JSON (`Accept: application/json`,
//! as scripts posting to `/verify` do) keeps the JSON.

use std::sync::{Arc, OnceLock};

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{Nav, Page, nav_labels, pick_lang};
use crate::domain::Lang;
use crate::error::{Answered, AppError};
use crate::i18n::{self, ErrorLabels};
use crate::state::AppState;

/// Set by `SignedIn` when a learner page knows who reads it, for the error page of that
/// request to speak their language and show their menu.
#[derive(Clone, Default)]
pub struct Reader(Arc<OnceLock<Lang>>);

impl Reader {
    pub fn signed_in(&self, lang: Lang) {
        // Set once per request: a second extractor says the same.
        let _ = self.0.set(lang);
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: Page,
    heading: &'a str,
    text: &'a str,
    back: (&'static str, &'static str),
}

/// The layer (`app::build_app`): see the module comment.
pub async fn error_pages(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/") || path == "/healthz" {
        return next.run(request).await;
    }
    let reader = Reader::default();
    request.extensions_mut().insert(reader.clone());
    // Only what choosing the language and the answer's form needs, not the whole request.
    let mut asked = HeaderMap::new();
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE, header::ACCEPT] {
        for v in request.headers().get_all(&name) {
            asked.append(name.clone(), v.clone());
        }
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_page || wants_json(&asked) {
        return response;
    }
    let (lang, signed_in) = match reader.0.get() {
        Some(lang) => (*lang, true),
        None => session_lang(&state, &asked).await.map_or_else(|| (pick_lang(&asked), false), |l| (l, true)),
    };
    let answered = response.extensions().get::<Answered>().map(|a| a.0.clone());
    let retry_after = response.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse().ok());
    let t = &i18n::strings(lang).errors;
    let (heading, text) = words(t, lang, status, answered.as_deref(), retry_after);
    // The recruiter's pages have no site header (their language is the portfolio's).
    let page = if path.starts_with("/s/") {
        Page::new(lang, heading.to_owned())
    } else {
        let nav = Nav { t: nav_labels(lang), lang: lang.as_str(), signed_in, here: path };
        Page { lang: lang.as_str(), title: heading.to_owned(), nav: Some(nav), script: false }
    };
    let back = if signed_in { ("/dashboard", t.back_dashboard) } else { ("/", t.back_home) };
    let rendered = ErrorPage { page, heading, text: &text, back }.render();
    let (mut parts, _) = response.into_parts();
    let page = super::html(status, rendered);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in page.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    // An error page says something about this moment only: never kept by a cache.
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, page.into_body())
}

/// A client that prefers JSON to HTML (a script), as it says in `Accept`.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"))
}

/// The page language of the learner whose session cookie this is, when it is a live one (an
/// error answered before any learner page's extractor ran: an unknown address, say).
async fn session_lang(state: &AppState, headers: &HeaderMap) -> Option<Lang> {
    let token = crate::extract::cookie_in(headers, state.config.session_cookie_name())?;
    if !crate::auth::looks_like_token(&token) {
        return None;
    }
    let who = crate::service::accounts::authenticate(state, crate::auth::hash_token(&token)).await.ok()?;
    let chosen = state.db.page_lang(who.id).await.ok()?;
    Some(chosen.unwrap_or_else(|| pick_lang(headers)))
}

/// The heading and the sentence of the page for `status`: the error's own words when it is a
/// refusal the reader can act on, the status's otherwise.
fn words(
    t: &'static ErrorLabels,
    lang: Lang,
    status: StatusCode,
    answered: Option<&AppError>,
    retry_after: Option<u64>,
) -> (&'static str, String) {
    match status {
        StatusCode::NOT_FOUND => (t.not_found_title, t.not_found_text.to_owned()),
        StatusCode::GONE => (t.gone_title, t.gone_text.to_owned()),
        StatusCode::FORBIDDEN => (t.forbidden_title, t.forbidden_text.to_owned()),
        StatusCode::METHOD_NOT_ALLOWED => (t.method_title, t.method_text.to_owned()),
        StatusCode::REQUEST_TIMEOUT => (t.timeout_title, t.timeout_text.to_owned()),
        StatusCode::TOO_MANY_REQUESTS => {
            (t.too_many_title, t.too_many_text.replace("{}", &i18n::integer(lang, retry_after.unwrap_or(60))))
        }
        // A database that does not answer says whether the change may have been saved.
        StatusCode::SERVICE_UNAVAILABLE => match answered {
            Some(e @ AppError::DatabaseDown { .. }) => (t.unavailable_title, sentence(lang, e)),
            _ => (t.busy_title, t.busy_text.to_owned()),
        },
        s if s.is_server_error() => (t.internal_title, t.internal_text.to_owned()),
        _ => (t.refused_title, answered.map_or_else(|| t.refused_text.to_owned(), |e| sentence(lang, e))),
    }
}

/// An error as a sentence of the page: where (a path or a place in a file, in the page's
/// language), then what is wrong.
fn sentence(lang: Lang, e: &AppError) -> String {
    let said = match e {
        AppError::Validation(v) if !v.path.is_empty() => {
            format!("{}{}{}", i18n::location(lang, &v.path), i18n::colon(lang), v.message_in(lang))
        }
        other => other.message_in(lang),
    };
    let mut said = i18n::capitalise_first(&said);
    if !said.ends_with(['.', '!', '?', '…']) {
        said.push('.');
    }
    said
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Problem;

    #[test]
    fn a_refusal_is_said_with_its_place_in_the_pages_language() {
        let e = AppError::validation("line 4, column Started On", Problem::NotAMonthYear { value: "someday".into() });
        assert_eq!(
            sentence(Lang::Fr, &e),
            "Ligne 4, colonne Started On\u{a0}: «\u{a0}someday\u{a0}» n’est pas une date comme «\u{a0}Mar 2015\u{a0}» ou «\u{a0}2015\u{a0}»."
        );
        assert_eq!(
            sentence(Lang::En, &e),
            "Line 4, column Started On: `someday` is not a date like `Mar 2015` or `2015`."
        );
        let t = &i18n::strings(Lang::Fr).errors;
        let (heading, text) = words(t, Lang::Fr, StatusCode::TOO_MANY_REQUESTS, None, Some(30));
        assert_eq!(
            (heading, text.as_str()),
            ("Trop de tentatives", "Trop de tentatives en peu de temps\u{202f}: réessayez dans 30 secondes.")
        );
        assert_eq!(words(t, Lang::Fr, StatusCode::NOT_FOUND, Some(&AppError::NotFound), None).0, "Page introuvable");
    }

    /// A change cut by a failover: the page says it may be saved, not that the service is busy.
    #[test]
    fn a_database_that_stopped_answering_is_said_as_such_on_the_page() {
        let t = &i18n::strings(Lang::En).errors;
        let e = AppError::DatabaseDown { change: crate::error::ChangeLeft::Unknown };
        let (heading, text) = words(t, Lang::En, StatusCode::SERVICE_UNAVAILABLE, Some(&e), None);
        assert_eq!(heading, "Service unavailable");
        assert!(text.starts_with("The database stopped answering") && text.contains("may or may not"), "{text}");
        let busy = words(t, Lang::En, StatusCode::SERVICE_UNAVAILABLE, Some(&AppError::Unavailable), None);
        assert_eq!(busy.0, "Service busy");
    }
}
