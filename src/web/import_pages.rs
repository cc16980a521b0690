//! The import page (`/import`): upload a file, see a preview of what it would change, then
//! confirm (all of it is stored, or nothing) or cancel. Also the export downloads.
//!
//! The file is read by `interop::incoming::Incoming`, the same path as the API's
//! `POST /api/v1/import` and the command line, so every format those learn is accepted here
//! with no change. Until confirmed, the upload waits apart (`state::pending`: its bytes in the
//! object store, a row naming them), never in the record; any instance can confirm it, which
//! parses it again and imports it in one transaction.

use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{Page, SignedIn, html, private};
use crate::domain::{Lang, Problem, ValidationError};
use crate::error::AppError;
use crate::extract::ClientIp;
use crate::i18n::{self, ImportLabels};
use crate::interop::incoming::{Change, changes};
use crate::state::AppState;
use crate::state::pending::Refused;

fn labels(lang: Lang) -> &'static ImportLabels {
    &crate::i18n::strings(lang).import
}

/// What went wrong with a file: where in it (`line 4, column Started On`) and why.
pub struct Refusal {
    pub at: String,
    pub message: String,
}

impl Refusal {
    /// The error in the page's language, its place in the file too (`ligne 4, colonne …`).
    fn of(e: &ValidationError, lang: Lang) -> Refusal {
        Refusal { at: i18n::location(lang, &e.path), message: e.message_in(lang) }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    page: Page,
    t: &'static ImportLabels,
    refusal: Option<Refusal>,
    problem: Option<&'static str>,
    done: Option<Vec<(&'static str, String)>>,
}

fn import_page(lang: Lang, status: StatusCode, refusal: Option<Refusal>, problem: Option<&'static str>) -> Response {
    let t = labels(lang);
    let page = ImportPage { page: Page::learner(lang, t.import.into(), "/import"), t, refusal, problem, done: None };
    private(html(status, page.render()))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    created: Option<usize>,
    #[serde(default)]
    updated: Option<usize>,
    #[serde(default)]
    unchanged: Option<usize>,
}

pub async fn page(SignedIn { lang, .. }: SignedIn, Query(q): Query<DoneQuery>) -> Response {
    let t = labels(lang);
    let done = match (q.created, q.updated, q.unchanged) {
        (Some(c), Some(u), Some(n)) => Some(counted(lang, t, [c, u, n])),
        _ => None,
    };
    let page =
        ImportPage { page: Page::learner(lang, t.import.into(), "/import"), t, refusal: None, problem: None, done };
    private(html(StatusCode::OK, page.render()))
}

/// The three counts under their heads, numbers localised.
fn counted(lang: Lang, t: &'static ImportLabels, n: [usize; 3]) -> Vec<(&'static str, String)> {
    t.counted.iter().zip(n).map(|(head, n)| (*head, i18n::integer(lang, n as u64))).collect()
}

/// Reads the multipart field `file` (the only one), at most `limit` bytes.
async fn read_file(
    multipart: Result<Multipart, MultipartRejection>,
    limit: usize,
) -> Result<(String, Bytes), ValidationError> {
    let refuse = |p: Problem| ValidationError::new("file", p);
    let malformed = |detail: String| refuse(Problem::MalformedMultipart { detail });
    let mut multipart = multipart.map_err(|e| refuse(Problem::NotMultipart { detail: e.body_text() }))?;
    let mut found = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| malformed(e.body_text()))? {
        if field.name() != Some("file") || found.is_some() {
            return Err(refuse(Problem::OneFileInField));
        }
        let name = field.file_name().unwrap_or("").to_owned();
        let mut bytes = Vec::new();
        // Cut off as soon as the file passes the limit, not after reading all of it.
        while let Some(chunk) = field.chunk().await.map_err(|e| malformed(e.body_text()))? {
            if bytes.len() + chunk.len() > limit {
                return Err(refuse(Problem::ImportTooLarge { mib: limit / (1024 * 1024) }));
            }
            bytes.extend_from_slice(&chunk);
        }
        found = Some((name, Bytes::from(bytes)));
    }
    found.filter(|(_, b)| !b.is_empty()).ok_or_else(|| refuse(Problem::ChooseAFile))
}

pub async fn upload(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    ClientIp(ip): ClientIp,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let t = labels(lang);
    let (name, bytes) = match read_file(multipart, state.config.import_max_bytes).await {
        Ok(f) => f,
        Err(e) => return import_page(lang, StatusCode::UNPROCESSABLE_ENTITY, Some(Refusal::of(&e, lang)), None),
    };
    // Checked now, so a bad file is explained at once; checked again on confirmation.
    if let Err(e) = crate::verify::read_import(&state, who.id, &bytes).await {
        return import_page(lang, StatusCode::UNPROCESSABLE_ENTITY, Some(Refusal::of(&e, lang)), None);
    }
    match state.pending_imports.put(who.id, &ip, name, bytes, state.clock.now()).await {
        Ok(Ok(id)) => Redirect::to(&format!("/import/{id}")).into_response(),
        Ok(Err(Refused::AddressFull)) => import_page(lang, StatusCode::TOO_MANY_REQUESTS, None, Some(t.address_busy)),
        Ok(Err(Refused::PoolFull)) => import_page(lang, StatusCode::SERVICE_UNAVAILABLE, None, Some(t.busy)),
        Err(e) => AppError::from(e).into_response(),
    }
}

pub struct Row {
    pub title: String,
    pub place: String,
    pub period: String,
    pub attestation: String,
    /// The level of proof the course will have once imported: a badge's is computed now,
    /// against the trust file, so the learner sees "signature verified" or not before saving.
    pub proof: String,
    pub change: &'static str,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    page: Page,
    t: &'static ImportLabels,
    id: Uuid,
    file_name: String,
    format: &'static str,
    profile: Option<String>,
    rows: Vec<Row>,
    counts: Vec<(&'static str, String)>,
}

/// The preview (a GET: it reads the record and the waiting upload, and changes neither).
pub async fn preview(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let t = labels(lang);
    let waiting = match Uuid::parse_str(&id) {
        Ok(id) => state.pending_imports.get(who.id, id, state.clock.now()).await,
        Err(_) => Ok(None),
    };
    let waiting = match waiting {
        Ok(Some(w)) => w,
        Ok(None) => return import_page(lang, StatusCode::GONE, None, Some(t.expired)),
        Err(e) => return AppError::from(e).into_response(),
    };
    let current = match state.db.export_document(who.id).await {
        Ok(d) => d,
        Err(e) => return AppError::from(e).into_response(),
    };
    let incoming = match crate::verify::read_import(&state, who.id, &waiting.bytes).await {
        Ok(i) => i,
        Err(e) => return import_page(lang, StatusCode::UNPROCESSABLE_ENTITY, Some(Refusal::of(&e, lang)), None),
    };
    let (format, replaces) = (incoming.format, incoming.replaces_profile());
    let planned = match incoming.apply(&current) {
        Ok(d) => d,
        Err(e) => return import_page(lang, StatusCode::UNPROCESSABLE_ENTITY, Some(Refusal::of(&e, lang)), None),
    };
    let profile = (replaces && planned.learner != current.learner).then(|| {
        let l = &planned.learner;
        [Some(l.name.clone()), l.headline.clone()].into_iter().flatten().collect::<Vec<_>>().join(" — ")
    });
    let (mut new, mut updated, mut unchanged) = (0usize, 0usize, 0usize);
    let rows = changes(&current, &planned)
        .into_iter()
        .map(|(change, c)| {
            let (change, class) = match change {
                Change::New => {
                    new += 1;
                    (t.new, "new")
                }
                Change::Updated => {
                    updated += 1;
                    (t.updated, "updated")
                }
                Change::Unchanged => {
                    unchanged += 1;
                    (t.unchanged, "unchanged")
                }
            };
            Row {
                title: c.title.clone(),
                place: [c.institution.clone(), c.platform.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                period: super::course_pages::list_period(lang, c),
                attestation: c
                    .attestation
                    .as_ref()
                    .map(|a| a.kind.map_or(i18n::attestation_generic(lang), |k| i18n::attestation_kind(lang, k)))
                    .unwrap_or_default()
                    .to_owned(),
                proof: {
                    let now = state.clock.now();
                    let level = i18n::assurance_label(lang, crate::domain::assurance::assurance_of(c, false, &[], now));
                    match crate::domain::assurance::badge_status(c, now) {
                        Some(status) if status != crate::domain::badge::BadgeStatus::Valid => {
                            format!("{level} ({})", i18n::badge_status_label(lang, status))
                        }
                        _ => level.to_owned(),
                    }
                },
                change,
                class,
            }
        })
        .collect();
    let counts = counted(lang, t, [new, updated, unchanged]);
    let page = PreviewPage {
        page: Page::learner(lang, t.preview.into(), &format!("/import/{id}")),
        t,
        id: Uuid::parse_str(&id).unwrap_or_default(),
        file_name: waiting.file_name,
        format: format.as_str(),
        profile,
        rows,
        counts,
    };
    private(html(StatusCode::OK, page.render()))
}

#[derive(Deserialize)]
pub struct IdForm {
    #[serde(default)]
    id: String,
}

/// Stores the waiting upload: parsed again and imported in one transaction, all or nothing.
pub async fn confirm(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Form(form): Form<IdForm>,
) -> Response {
    let t = labels(lang);
    let waiting = match Uuid::parse_str(&form.id) {
        Ok(id) => state.pending_imports.take(who.id, id, state.clock.now()).await,
        Err(_) => Ok(None),
    };
    let waiting = match waiting {
        Ok(Some(w)) => w,
        Ok(None) => return import_page(lang, StatusCode::GONE, None, Some(t.expired)),
        Err(e) => return AppError::from(e).into_response(),
    };
    let incoming = match crate::verify::read_import(&state, who.id, &waiting.bytes).await {
        Ok(i) => i,
        Err(e) => return import_page(lang, StatusCode::UNPROCESSABLE_ENTITY, Some(Refusal::of(&e, lang)), None),
    };
    match state.db.import_incoming(who.id, incoming, state.clock.now()).await {
        Ok(Ok(c)) => {
            tracing::info!(learner = %who.id, created = c.created, updated = c.updated, "file imported from the page");
            Redirect::to(&format!("/import?created={}&updated={}&unchanged={}", c.created, c.updated, c.unchanged))
                .into_response()
        }
        Ok(Err(e)) => import_page(lang, StatusCode::UNPROCESSABLE_ENTITY, Some(Refusal::of(&e, lang)), None),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// Forgets the waiting upload.
pub async fn cancel(
    State(state): State<AppState>,
    SignedIn { who, .. }: SignedIn,
    Form(form): Form<IdForm>,
) -> Response {
    if let Ok(id) = Uuid::parse_str(&form.id)
        && let Err(e) = state.pending_imports.take(who.id, id, state.clock.now()).await
    {
        return AppError::from(e).into_response();
    }
    Redirect::to("/import").into_response()
}
