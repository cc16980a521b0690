//! The recruiter's page behind a share link, `GET /s/{token}`, its PDF and evidence files.
//!
//! The page shows what the link's framing selects (the same rules as the PDF:
//! `domain::portfolio::select`), each claim with its level of proof, and a summary of those
//! levels at the top. Unknown, revoked and expired tokens all get the same 404 page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::labels::{PageLabels, assurance_label, page_labels, summary_sentence};
use super::{Page, html, message_page};
use crate::api::extract::ClientIp;
use crate::app::AppState;
use crate::auth::{hash_token, looks_like_token};
use crate::domain::assurance::{Assurance, AssuranceSummary, assurance_of, badge_status};
use crate::domain::portfolio::{Framing, Portfolio, Scope, Spec, select};
use crate::domain::{CourseRecord, Document, Lang};
use crate::error::AppError;
use crate::i18n::{self, Labels};
use crate::storage::StoredCourse;
use crate::storage::courses::as_document;
use crate::storage::shares::Share;

/// A live share link and its owner's record revision, or the reason to answer 404/429.
async fn open(state: &AppState, token: &str, ip: &str, lang: Lang) -> Result<(Share, i64), Response> {
    let share = if looks_like_token(token) {
        let hash = hash_token(token);
        let generation = state.db.generation();
        match state.token_cache.get(&hash, generation) {
            Some(hit) => Ok(Some(hit)),
            None => {
                let read = state.db.share_by_token(hash).await;
                if let Ok(Some((share, revision))) = &read {
                    state.token_cache.put(hash, share.clone(), *revision, generation);
                }
                read
            }
        }
    } else {
        Ok(None)
    };
    match share {
        Ok(Some((share, revision))) if share.is_live(state.clock.now()) => Ok((share, revision)),
        Ok(_) => Err(missed(state, ip, lang)),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

/// The one answer for every unknown, revoked or expired token (nothing tells them apart; the
/// language is the reader's, from their browser); 429 instead once this address has missed
/// too often.
fn missed(state: &AppState, ip: &str, lang: Lang) -> Response {
    match state.miss_budget.take(ip, state.clock.now()) {
        Ok(()) => {
            let l = page_labels(lang);
            message_page(StatusCode::NOT_FOUND, lang, l.not_found_title, l.not_found_text)
        }
        Err(retry_after) => {
            let l = page_labels(lang);
            let mut r = message_page(StatusCode::TOO_MANY_REQUESTS, lang, l.too_many_title, l.too_many_text);
            r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            r
        }
    }
}

/// Link checkers and browsers' speculative loads are not readers.
fn is_prefetch(headers: &HeaderMap) -> bool {
    let says = |name: &str| {
        headers.get(name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.to_ascii_lowercase().contains("prefetch"))
    };
    says("sec-purpose") || says("purpose") || says("x-purpose") || says("x-moz")
}

pub async fn page(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Response {
    let (share, revision) = match open(&state, &token, &ip, super::pick_lang(&headers)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if method == Method::GET && !is_prefetch(&headers) {
        state.views.record(share.id, state.clock.now());
    }
    if let Some(page) = state.page_cache.get(share.id, revision) {
        return super::html_bytes(StatusCode::OK, page);
    }
    let (profile, courses) = match state.db.record(share.learner_id).await {
        Ok(r) => r,
        Err(e) => return AppError::from(e).into_response(),
    };
    let lang = share.lang.or(profile.lang).unwrap_or_default();
    let doc = as_document(profile, &courses);
    let now = state.clock.now();
    // A badge that expires later changes the page without changing the record: such a page is
    // not cached (the cache is keyed by record revision), so the expiry shows on its date.
    let changes_with_time = courses
        .iter()
        .any(|c| crate::domain::assurance::badge_check(&c.record).and_then(|b| b.expires_at).is_some_and(|t| t > now));
    match SharePage::build(&doc, &courses, &share.spec, lang, &token, now).render() {
        Ok(page) => {
            let page = axum::body::Bytes::from(page);
            if !changes_with_time {
                state.page_cache.put(share.id, revision, page.clone());
            }
            super::html_bytes(StatusCode::OK, page)
        }
        Err(e) => html(StatusCode::OK, Err(e)),
    }
}

pub async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Response {
    let reader_lang = super::pick_lang(&headers);
    let (share, revision) = match open(&state, &token, &ip, reader_lang).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let request = crate::issue::PdfRequest {
        learner: share.learner_id,
        spec: share.spec.clone(),
        lang: share.lang,
        share: Some(share.id),
        revision,
    };
    match crate::issue::issue_pdf(&state, request).await {
        Ok(issued) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"portfolio-{}.pdf\"", issued.code)),
            ],
            issued.bytes,
        )
            .into_response(),
        // A recruiter's browser gets a page, not JSON, when every render slot is taken.
        Err(AppError::Unavailable) => {
            let l = page_labels(reader_lang);
            let mut r = message_page(StatusCode::SERVICE_UNAVAILABLE, reader_lang, l.busy_title, l.busy_text);
            r.headers_mut().insert(header::RETRY_AFTER, crate::error::RETRY_BUSY_SECS.into());
            r
        }
        Err(e) => e.into_response(),
    }
}

/// An evidence file shown on the page; only courses the link's framing shows are reachable.
pub async fn evidence(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((token, course)): Path<(String, String)>,
) -> Response {
    let lang = super::pick_lang(&headers);
    let share = match open(&state, &token, &ip, lang).await {
        Ok((s, _)) => s,
        Err(r) => return r,
    };
    let Ok(course) = Uuid::parse_str(&course) else { return missed(&state, &ip, lang) };
    let visible = match state.db.record(share.learner_id).await {
        Ok((profile, courses)) => {
            let doc = as_document(profile, &courses);
            select(&doc, &share.spec).is_ok_and(|p| p.shown().iter().any(|c| id_of(&doc, &courses, c) == Some(course)))
        }
        Err(e) => return AppError::from(e).into_response(),
    };
    if !visible {
        return missed(&state, &ip, lang);
    }
    match state.db.evidence_file(share.learner_id, course).await {
        Ok((meta, bytes)) => {
            crate::api::evidence::file_response(&meta.media_type, &meta.file_name, &meta.sha256, bytes)
        }
        Err(_) => missed(&state, &ip, lang),
    }
}

/// The stored course behind a record of the document (same position).
fn id_of(doc: &Document, courses: &[StoredCourse], record: &CourseRecord) -> Option<Uuid> {
    let index = doc.courses.iter().position(|c| std::ptr::eq(c, record))?;
    courses.get(index).map(|c| c.id)
}

#[derive(Template)]
#[template(path = "share.html")]
pub struct SharePage {
    pub page: Page,
    pub l: &'static PageLabels,
    pub name: String,
    pub headline: Option<String>,
    pub contact: Vec<String>,
    pub heading: String,
    pub cover: String,
    pub figures: Vec<(String, String)>,
    pub summary: String,
    pub sections: Vec<Section>,
    pub pdf_href: String,
    pub empty: bool,
}

pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub intro: Option<String>,
    pub groups: Vec<Group>,
}

pub struct Group {
    pub heading: Option<String>,
    pub courses: Vec<CourseItem>,
}

pub struct CourseItem {
    pub title: String,
    pub institution: Option<String>,
    pub platform: Option<String>,
    pub period: Option<String>,
    pub hours: Option<String>,
    pub kind: Option<String>,
    pub grade: Option<String>,
    pub credential: Option<String>,
    pub verify_url: Option<String>,
    pub evidence: Option<EvidenceLink>,
    pub assurance: &'static str,
    pub assurance_class: &'static str,
    /// "badge expired" / "badge revoked", beside the level.
    pub badge_status: Option<&'static str>,
    pub badge_status_class: &'static str,
    pub mastery: Option<&'static str>,
    pub status: Option<&'static str>,
}

pub struct EvidenceLink {
    pub href: String,
    pub name: String,
    pub sha256: String,
}

/// Page 1 of a portfolio, as the builder previews it before any PDF or link is made: the same
/// heading, cover sentence, figures and claim summary as the PDF's first page and the
/// recruiter's page, then its first entries.
pub struct Preview {
    pub heading: String,
    pub cover: String,
    pub figures: Vec<(String, String)>,
    pub summary: String,
    pub section: String,
    pub entries: Vec<CourseItem>,
    /// Entries of the portfolio not shown in the preview.
    pub more: usize,
}

/// How many entries the builder's preview of page 1 shows.
const PREVIEW_ENTRIES: usize = 4;

/// The preview of what `spec` selects, or `None` when it selects nothing.
pub fn preview(doc: &Document, courses: &[StoredCourse], spec: &Spec, lang: Lang, now: i64) -> Option<Preview> {
    let page = SharePage::build(doc, courses, spec, lang, "preview", now);
    if page.empty {
        return None;
    }
    let section = page.sections.first().map(|s| s.heading.clone()).unwrap_or_default();
    let mut all = page.sections.into_iter().flat_map(|s| s.groups).flat_map(|g| g.courses);
    let entries: Vec<CourseItem> = all.by_ref().take(PREVIEW_ENTRIES).collect();
    Some(Preview {
        heading: page.heading,
        cover: page.cover,
        figures: page.figures,
        summary: page.summary,
        section,
        entries,
        more: all.count(),
    })
}

impl SharePage {
    /// `now` (Unix seconds) is when badge expiry is read against.
    fn build(doc: &Document, courses: &[StoredCourse], spec: &Spec, lang: Lang, token: &str, now: i64) -> SharePage {
        let l = page_labels(lang);
        let pl = i18n::labels(lang);
        let learner = &doc.learner;
        let contact: Vec<String> = [learner.email.clone(), learner.location.clone()].into_iter().flatten().collect();
        let base = SharePage {
            page: Page::new(lang, format!("{} {}", l.portfolio_of, learner.name)),
            l,
            name: learner.name.clone(),
            headline: learner.headline.clone(),
            contact,
            heading: String::new(),
            cover: String::new(),
            figures: Vec::new(),
            summary: String::new(),
            sections: Vec::new(),
            pdf_href: format!("/s/{token}/portfolio.pdf"),
            empty: true,
        };
        // The record may have changed since the link was made (a field emptied): an honest
        // empty page, not an error.
        let Ok(p) = select(doc, spec) else { return base };
        let record = Record { doc, courses, now };
        let item = |c: &CourseRecord| course_item(&record, c, lang, pl, token, p.framing);
        let mut sections = Vec::new();
        let levels: Vec<Assurance> = p.shown().into_iter().map(|c| level_of(doc, courses, c, now)).collect();
        match p.framing {
            Framing::Appetite => {
                if !p.in_progress.is_empty() {
                    sections.push(Section {
                        id: "now",
                        heading: pl.learning_now.into(),
                        intro: None,
                        groups: vec![Group { heading: None, courses: p.in_progress.iter().map(|c| item(c)).collect() }],
                    });
                }
                if !p.certified.is_empty() {
                    sections.push(Section {
                        id: "certified",
                        heading: pl.certified_courses.into(),
                        intro: None,
                        groups: vec![Group { heading: None, courses: p.certified.iter().map(|c| item(c)).collect() }],
                    });
                }
                if !p.uncertified.is_empty() {
                    sections.push(Section {
                        id: "effort",
                        heading: pl.uncertified_courses.into(),
                        intro: Some(pl.uncertified_intro.into()),
                        groups: vec![Group { heading: None, courses: p.uncertified.iter().map(|c| item(c)).collect() }],
                    });
                }
            }
            Framing::Legitimacy => {
                let groups: Vec<Group> = if p.groups.is_empty() {
                    vec![Group {
                        heading: None,
                        courses: p.certified.iter().chain(p.uncertified.iter()).map(|c| item(c)).collect(),
                    }]
                } else {
                    p.groups
                        .iter()
                        .map(|g| Group {
                            heading: Some(g.theme.clone().unwrap_or_else(|| pl.other_theme.to_owned())),
                            courses: g.certified.iter().chain(g.uncertified.iter()).map(|c| item(c)).collect(),
                        })
                        .collect()
                };
                sections.push(Section { id: "proof", heading: pl.proof.into(), intro: None, groups });
            }
        }
        let heading = match &p.scope {
            Scope::All => pl.appetite_title.to_owned(),
            Scope::Field(f) => format!("{} : {f}", pl.legitimacy_field_title),
            Scope::Theme(t) => format!("{} : {t}", pl.legitimacy_theme_title),
        };
        let heading = if lang == Lang::Fr { heading.replace(" : ", "\u{a0}: ") } else { heading.replace(" : ", ": ") };
        SharePage {
            heading,
            cover: crate::pdf::cover(&p, lang),
            figures: figures(&p, lang, pl),
            summary: summary_sentence(lang, &AssuranceSummary::of(levels)),
            sections,
            empty: false,
            ..base
        }
    }
}

/// The record a page is built from, and the time badge expiry is read against.
struct Record<'a> {
    doc: &'a Document,
    courses: &'a [StoredCourse],
    now: i64,
}

fn level_of(doc: &Document, courses: &[StoredCourse], c: &CourseRecord, now: i64) -> Assurance {
    let index = doc.courses.iter().position(|x| std::ptr::eq(x, c));
    let has_evidence = index.and_then(|i| courses.get(i)).is_some_and(|s| s.evidence.is_some());
    assurance_of(c, has_evidence, now)
}

fn figures(p: &Portfolio<'_>, lang: Lang, l: &Labels) -> Vec<(String, String)> {
    let s = &p.stats;
    let n = |v: usize| i18n::integer(lang, v as u64);
    let mut items = Vec::new();
    match p.framing {
        Framing::Appetite => {
            items.push((n(s.courses), i18n::plural_f(lang, s.courses as f64, l.fig_courses).to_owned()));
            items.push((n(s.certified), i18n::plural_f(lang, s.certified as f64, l.fig_certificates).to_owned()));
            items.push((i18n::hours(lang, s.hours), l.fig_hours.to_owned()));
            if s.continuous_years > 0 {
                items.push((i18n::years(lang, s.continuous_years), l.fig_years.to_owned()));
            }
            if let Some(rate) = s.completion_rate() {
                items.push((i18n::percent(lang, rate), l.fig_completion.to_owned()));
            }
        }
        Framing::Legitimacy => {
            items.push((n(s.certified), i18n::plural_f(lang, s.certified as f64, l.fig_certificates).to_owned()));
            items.push((i18n::hours(lang, s.certified_hours), l.fig_hours.to_owned()));
            let inst = s.certifying_institutions.len();
            items.push((n(inst), i18n::plural_f(lang, inst as f64, l.fig_institutions).to_owned()));
            if s.ects > 0.0 {
                items.push((i18n::decimal(lang, s.ects), i18n::plural_f(lang, s.ects, l.fig_ects).to_owned()));
            }
        }
    }
    items
}

fn course_item(
    record: &Record<'_>,
    c: &CourseRecord,
    lang: Lang,
    l: &Labels,
    token: &str,
    framing: Framing,
) -> CourseItem {
    let Record { doc, courses, now } = *record;
    let index = doc.courses.iter().position(|x| std::ptr::eq(x, c));
    let stored = index.and_then(|i| courses.get(i));
    let evidence = stored.and_then(|s| {
        s.evidence.as_ref().map(|e| EvidenceLink {
            href: format!("/s/{token}/evidence/{}", s.id),
            name: e.file_name.clone(),
            sha256: e.sha256.clone(),
        })
    });
    let level = assurance_of(c, evidence.is_some(), now);
    let badge_status = badge_status(c, now);
    let a = c.attestation.as_ref();
    CourseItem {
        title: c.title.clone(),
        institution: c.institution.clone(),
        platform: c.platform.clone(),
        period: i18n::period(lang, c.started_on, c.finished_on),
        hours: c.hours.map(|h| i18n::hours(lang, h)),
        kind: a.map(|a| a.kind.map_or(i18n::attestation_generic(lang), |k| i18n::attestation_kind(lang, k)).to_owned()),
        grade: a.and_then(|a| a.grade.clone()),
        credential: a.and_then(|a| a.credential_id.clone()),
        // Validated as http(s) on the way in; only such URLs become links.
        verify_url: a.and_then(|a| a.url.clone()).filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        evidence,
        assurance: assurance_label(lang, level),
        assurance_class: level.as_str(),
        badge_status: badge_status.map(|s| i18n::badge_status_label(lang, s)),
        badge_status_class: badge_status.map_or("", |s| s.as_str()),
        mastery: match (framing, c.prior_mastery, a.is_some()) {
            (Framing::Legitimacy, Some(true), true) => Some(l.prior_mastery),
            (Framing::Legitimacy, Some(false), true) => Some(l.new_skills),
            _ => None,
        },
        status: match c.outcome {
            Some(o) if a.is_none() => Some(i18n::outcome(lang, o)),
            _ => None,
        },
    }
}
