//! The recruiter's page behind a share link, `GET /s/{token}`, its PDF and evidence files.
//!
//! The page shows the portfolio the link's framing selects, as `presentation` words it for the
//! PDF and the API alike: each claim with its level of proof, and a summary of those levels at
//! the top. Unknown, revoked and expired tokens all get the same 404 page.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::{Page, html, message_page};
use crate::auth::{hash_token, looks_like_token};
use crate::domain::Lang;
use crate::domain::portfolio::{Spec, select};
use crate::domain::record::Record;
use crate::error::AppError;
use crate::extract::client_ip;
use crate::i18n::PageLabels;
use crate::presentation::{Portfolio, present};
use crate::state::AppState;
use crate::storage::courses::as_record;
use crate::storage::shares::Share;

/// A live share link and its owner's record revision, or the reason to answer 404/429.
/// `request` is read only for a miss (the reader's address and language): a hit costs the
/// lookup alone.
async fn open(state: &AppState, token: &str, request: &Parts) -> Result<(Share, i64), Response> {
    // Read from the database every time (one indexed lookup, which also brings the record's
    // revision): a revocation made on any instance is seen at once.
    let share = if looks_like_token(token) { state.db.share_by_token(hash_token(token)).await } else { Ok(None) };
    match share {
        Ok(Some((share, revision))) if share.is_live(state.clock.now()) => Ok((share, revision)),
        Ok(_) => Err(missed(state, request).await),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

/// The one answer for every unknown, revoked or expired token (nothing tells them apart; the
/// language is the reader's, from their browser); 429 instead once this address has missed
/// too often.
async fn missed(state: &AppState, request: &Parts) -> Response {
    let lang = super::pick_lang(&request.headers);
    let ip = client_ip(request, &state.config.trusted_proxies);
    match state.miss_budget.take(&ip, state.clock.now()).await {
        Err(e) => AppError::from(e).into_response(),
        Ok(Ok(())) => {
            let l = &crate::i18n::strings(lang).public;
            message_page(StatusCode::NOT_FOUND, lang, l.not_found_title, l.not_found_text)
        }
        Ok(Err(retry_after)) => {
            let l = &crate::i18n::strings(lang).public;
            let mut r = message_page(StatusCode::TOO_MANY_REQUESTS, lang, l.too_many_title, l.too_many_text);
            r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            r
        }
    }
}

/// Link checkers and browsers' speculative loads are not readers.
fn is_prefetch(headers: &HeaderMap) -> bool {
    let says = |name: &str| {
        headers.get(name).is_some_and(|v| v.as_bytes().windows(8).any(|w| w.eq_ignore_ascii_case(b"prefetch")))
    };
    says("sec-purpose") || says("purpose") || says("x-purpose") || says("x-moz")
}

/// Every answer under `/s/`, errors included, is marked as a capability URL's: never indexed,
/// never leaked through `Referer`, never cached. Set by each handler rather than by a layer on
/// the routes: a layer costs every view a boxed future and a copy of the route's service, a
/// tenth of what a cached page cost beyond a static file.
fn capability(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

// The handlers take the request whole (it has no body) rather than a copy of its headers and
// an address and language worked out up front: on a cached page those were a tenth of the
// handler's time, and only a miss needs them. A path the router matched but could not decode
// gets axum's own answer, marked like the rest.
pub async fn page(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    capability(match token {
        Ok(Path(token)) => page_for(&state, &token, request).await,
        Err(rejection) => rejection.into_response(),
    })
}

pub async fn pdf(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    capability(match token {
        Ok(Path(token)) => pdf_for(&state, &token, request).await,
        Err(rejection) => rejection.into_response(),
    })
}

pub async fn evidence(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    request: Request,
) -> Response {
    capability(match path {
        Ok(Path((token, course))) => evidence_for(&state, &token, &course, request).await,
        Err(rejection) => rejection.into_response(),
    })
}

async fn page_for(state: &AppState, token: &str, request: Request) -> Response {
    let (request, _) = request.into_parts();
    let (share, revision) = match open(state, token, &request).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let now = state.clock.now();
    if request.method == Method::GET && !is_prefetch(&request.headers) {
        state.views.record(share.id, now);
    }
    if let Some(page) = state.page_cache.get(share.id, revision, now) {
        return super::html_bytes(StatusCode::OK, page);
    }
    let (profile, courses) = match state.db.record(share.learner_id).await {
        Ok(r) => r,
        Err(e) => return AppError::from(e).into_response(),
    };
    let record = as_record(profile, &courses);
    // The page shows the stored checks and never waits; results past the re-check age are
    // moved to the front of the verification job's queue.
    crate::verify::hurry_if_stale(state, share.learner_id, &record);
    let lang = share.lang.or(record.learner.lang).unwrap_or_default();
    // A certificate that expires later changes the page without changing the record: the
    // cached page is stale from that moment.
    let stale_at = crate::issue::next_change(&record, now);
    let mut page = SharePage::build(&record, &share.spec, lang, token, now);
    page.source_note = share.source.as_ref().map(|s| {
        let l = &crate::i18n::strings(lang).public;
        if s.follows {
            l.follows_note.to_owned()
        } else {
            l.snapshot_note.replace("{date}", &crate::i18n::day_month_year_of(lang, share.created_at))
        }
    });
    match page.render() {
        Ok(page) => {
            let page = axum::body::Bytes::from(super::squeeze::squeeze_lines(&page));
            state.page_cache.put(share.id, revision, stale_at, page.clone());
            super::html_bytes(StatusCode::OK, page)
        }
        Err(e) => html(StatusCode::OK, Err(e)),
    }
}

async fn pdf_for(state: &AppState, token: &str, request: Request) -> Response {
    let (request, _) = request.into_parts();
    let (share, revision) = match open(state, token, &request).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reader_lang = super::pick_lang(&request.headers);
    let request = crate::issue::PdfRequest {
        learner: share.learner_id,
        spec: share.spec.clone(),
        lang: share.lang,
        share: Some(share.id),
        revision,
    };
    match crate::issue::issue_pdf(state, request).await {
        Ok(issued) => crate::issue::pdf_response(&issued, "attachment"),
        // A recruiter's browser gets a page, not JSON, when every render slot is taken.
        Err(AppError::Unavailable) => {
            let l = &crate::i18n::strings(reader_lang).public;
            let mut r = message_page(StatusCode::SERVICE_UNAVAILABLE, reader_lang, l.busy_title, l.busy_text);
            r.headers_mut().insert(header::RETRY_AFTER, crate::error::RETRY_BUSY_SECS.into());
            r
        }
        // The record changed since the link was made and now selects nothing.
        Err(AppError::Validation(_)) => {
            let l = &crate::i18n::strings(reader_lang).public;
            message_page(StatusCode::NOT_FOUND, reader_lang, l.not_found_title, l.empty)
        }
        Err(e) => e.into_response(),
    }
}

/// An evidence file shown on the page; only courses the link's framing shows are reachable.
async fn evidence_for(state: &AppState, token: &str, course: &str, request: Request) -> Response {
    let (request, _) = request.into_parts();
    let share = match open(state, token, &request).await {
        Ok((s, _)) => s,
        Err(r) => return r,
    };
    let Ok(course) = Uuid::parse_str(course) else { return missed(state, &request).await };
    let visible = match state.db.record(share.learner_id).await {
        Ok((profile, courses)) => {
            let record = as_record(profile, &courses);
            select(&record, &share.spec, state.clock.now()).is_ok_and(|p| p.shown().iter().any(|c| c.id == course))
        }
        Err(e) => return AppError::from(e).into_response(),
    };
    if !visible {
        return missed(state, &request).await;
    }
    match state.db.evidence_file(share.learner_id, course).await {
        Ok((meta, bytes)) => {
            crate::service::evidence::file_response(&meta.media_type, &meta.file_name, &meta.sha256, bytes)
        }
        Err(_) => missed(state, &request).await,
    }
}

/// The recruiter's page: the portfolio as `presentation` builds it, rendered by the shared
/// `portfolio_body.html` (the builder's preview renders the same), with the page's own words.
#[derive(Template)]
#[template(path = "share.html")]
pub struct SharePage {
    pub page: Page,
    pub l: &'static PageLabels,
    /// `None` when the record no longer selects anything (a field emptied since the link was
    /// made): an honest empty page, not an error.
    pub p: Option<Portfolio>,
    pub name: String,
    /// Where an entry's evidence file is downloaded: this prefix, the course's id, the suffix.
    pub evidence_base: String,
    pub evidence_suffix: &'static str,
    pub pdf_href: String,
    /// A link made from a saved portfolio says whether it shows it as it was or as it is now.
    pub source_note: Option<String>,
}

impl SharePage {
    /// `now` (Unix seconds) is when expiry is read against.
    pub fn build(record: &Record, spec: &Spec, lang: Lang, token: &str, now: i64) -> SharePage {
        let l = &crate::i18n::strings(lang).public;
        let p = present(record, spec, lang, now).ok().filter(|p| !p.is_empty());
        SharePage {
            page: Page::new(lang, format!("{} {}", l.portfolio_of, record.learner.name)),
            l,
            p,
            name: record.learner.name.clone(),
            evidence_base: format!("/s/{token}/evidence/"),
            evidence_suffix: "",
            pdf_href: format!("/s/{token}/portfolio.pdf"),
            source_note: None,
        }
    }
}
