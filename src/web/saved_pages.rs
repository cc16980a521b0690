//! Saved portfolios as pages (issue 12): their list with a "new portfolio" form
//! (`/portfolios`), and the builder of one (`/portfolios/{id}`): name, framing, field or theme,
//! language, the include options, per course "shown: as the framing decides / always / never",
//! up to 5 pinned, the order (up/down buttons, each a submit button, so the page works without
//! a script), the personal statement; beside it, the preview of the whole portfolio from the
//! presentation model, as the PDF and the recruiter's page print it.
//!
//! Without JavaScript every change is a form submit (post/redirect/get), and "Update the
//! preview" shows the choices typed without saving them (a GET of the same fields). With
//! `/static/builder.js` each change asks `GET /portfolios/{id}?fragment=1&…` for the preview
//! alone and puts it in place; rows move at once, by keyboard (the same buttons) or pointer.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::forms::{self, FieldError, FormFields};
use super::{Page, SignedIn, html, html_scripted, private};
use crate::domain::portfolio::{Framing, Scope};
use crate::domain::problem::Expected;
use crate::domain::record::Record;
use crate::domain::saved::SavedPortfolio;
use crate::domain::{Lang, Problem};
use crate::error::AppError;
use crate::i18n::{self, BuilderLabels, PageLabels, SavedLabels};
use crate::presentation::Portfolio;
use crate::state::AppState;
use crate::storage::portfolios::StoredPortfolio;

fn labels(lang: Lang) -> &'static SavedLabels {
    &i18n::strings(lang).saved
}

/// A builder form's fields as sent (`application/x-www-form-urlencoded`, keys repeated for
/// lists: `order`, `pin`), in their order.
fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

/// The builder's choices as typed: what the page shows again, valid or not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub name: String,
    pub framing: String,
    /// `""`, `field:X` or `theme:Y`.
    pub scope: String,
    pub lang: String,
    pub include_uncertified: bool,
    pub include_expired: bool,
    pub statement: String,
    /// Every course, in the order the table shows them.
    pub rows: Vec<Uuid>,
    /// Whether the learner set the order (a move), else the framing's own order is kept.
    pub ordered: bool,
    /// `in` (always shown) or `out` (never); absent: as the framing decides.
    pub shown: HashMap<Uuid, &'static str>,
    pub pinned: HashSet<Uuid>,
    /// A course reference that is no course id at all.
    pub bad_ref: bool,
}

impl Draft {
    /// The draft of a stored portfolio, its courses in `rows` order.
    pub fn of(saved: &SavedPortfolio, rows: Vec<Uuid>) -> Draft {
        let scope = match (&saved.field, &saved.theme) {
            (Some(f), _) => format!("field:{f}"),
            (None, Some(t)) => format!("theme:{t}"),
            (None, None) => String::new(),
        };
        let mut shown = HashMap::new();
        for id in &saved.include {
            shown.insert(*id, "in");
        }
        for id in &saved.exclude {
            shown.insert(*id, "out");
        }
        Draft {
            name: saved.name.clone(),
            framing: saved.framing.as_str().to_owned(),
            scope,
            lang: saved.lang.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            include_uncertified: saved.include_uncertified,
            include_expired: saved.include_expired,
            statement: saved.statement.clone().unwrap_or_default(),
            rows,
            ordered: !saved.order.is_empty(),
            shown,
            pinned: saved.pinned.iter().copied().collect(),
            bad_ref: false,
        }
    }

    /// The draft a builder form sends; a `move=up:ID` / `move=down:ID` button moves that row.
    pub fn from_pairs(pairs: &[(String, String)], record_ids: &[Uuid]) -> Draft {
        let mut d = Draft::default();
        let mut moved = None;
        for (key, value) in pairs {
            match key.as_str() {
                "name" => d.name.clone_from(value),
                "framing" => d.framing.clone_from(value),
                "scope" => d.scope.clone_from(value),
                "lang" => d.lang.clone_from(value),
                "include_uncertified" => d.include_uncertified = true,
                "include_expired" => d.include_expired = true,
                "statement" => d.statement.clone_from(value),
                "ordered" => d.ordered = value == "1",
                "order" => match Uuid::parse_str(value) {
                    Ok(id) if !d.rows.contains(&id) => d.rows.push(id),
                    Ok(_) => {}
                    Err(_) => d.bad_ref = true,
                },
                "pin" => match Uuid::parse_str(value) {
                    Ok(id) => {
                        d.pinned.insert(id);
                    }
                    Err(_) => d.bad_ref = true,
                },
                "move" => moved = value.split_once(':').map(|(dir, id)| (dir == "down", id.to_owned())),
                other => {
                    if let Some(id) = other.strip_prefix("shown.") {
                        let Ok(id) = Uuid::parse_str(id) else {
                            d.bad_ref = true;
                            continue;
                        };
                        match value.as_str() {
                            "in" => {
                                d.shown.insert(id, "in");
                            }
                            "out" => {
                                d.shown.insert(id, "out");
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        // Courses the form did not list (added meanwhile) come last.
        for id in record_ids {
            if !d.rows.contains(id) {
                d.rows.push(*id);
            }
        }
        let at = moved.and_then(|(down, id)| {
            let id = Uuid::parse_str(&id).ok()?;
            Some((down, d.rows.iter().position(|r| *r == id)?))
        });
        if let Some((down, at)) = at {
            let to = if down { at + 1 } else { at.wrapping_sub(1) };
            if to < d.rows.len() {
                d.rows.swap(at, to);
                d.ordered = true;
            }
        }
        d
    }

    /// The portfolio these choices describe, every rule checked against the record (a refusal
    /// names the field: `name`, `framing`, `field`, `lang`, `statement`, `pinned`…).
    pub fn settings(&self, record_ids: &[Uuid]) -> Result<SavedPortfolio, AppError> {
        let framing = Framing::from_str_opt(&self.framing).ok_or_else(|| {
            let value = crate::domain::text::excerpt(&self.framing).into_owned();
            AppError::validation("framing", Problem::NotA { value, expected: Expected::Framing })
        })?;
        let (field, theme) = match (framing, self.scope.split_once(':')) {
            (Framing::Legitimacy, Some(("field", f))) => (Some(f.to_owned()), None),
            (Framing::Legitimacy, Some(("theme", t))) => (None, Some(t.to_owned())),
            _ => (None, None),
        };
        let lang = match self.lang.trim() {
            "" => None,
            l => Some(Lang::from_str_opt(l).ok_or_else(|| {
                let value = crate::domain::text::excerpt(l).into_owned();
                AppError::validation("lang", Problem::NotA { value, expected: Expected::Language })
            })?),
        };
        if self.bad_ref {
            return Err(AppError::validation("courses", Problem::NoSuchCourse));
        }
        // A textarea sends CRLF line ends; the statement keeps one character per line end.
        let statement = self.statement.replace("\r\n", "\n");
        let statement = Some(statement.trim().to_owned()).filter(|s| !s.is_empty());
        let with = |mode: &str| -> Vec<Uuid> {
            self.rows.iter().filter(|id| self.shown.get(id).copied() == Some(mode)).copied().collect()
        };
        let mut pinned: Vec<Uuid> = self.rows.iter().filter(|id| self.pinned.contains(id)).copied().collect();
        // A pin on a course the form did not list is still a pin (and refused if unknown).
        pinned.extend(self.pinned.iter().filter(|id| !self.rows.contains(id)).copied());
        let settings = SavedPortfolio {
            name: self.name.trim().to_owned(),
            framing,
            field,
            theme,
            lang,
            include_uncertified: self.include_uncertified,
            include_expired: self.include_expired,
            include: with("in"),
            exclude: with("out"),
            pinned,
            order: if self.ordered { self.rows.clone() } else { Vec::new() },
            statement,
        };
        settings.validate("", |id| record_ids.contains(&id)).map_err(AppError::Validation)?;
        Ok(settings)
    }
}

/// The builder's fields, each with its label: a refusal is named by what the learner sees.
pub struct SavedFields;

impl FormFields for SavedFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        let b = &i18n::strings(lang).builder;
        Some(match field {
            "name" => t.name,
            "framing" => b.framing,
            "field" | "theme" | "scope" => b.scope,
            "lang" => b.language,
            "statement" => t.statement,
            "pinned" => t.pin,
            "courses" => t.courses_field,
            "label" => b.label,
            "expires_in_days" | "expires_at" => b.expires_in_days,
            _ => return None,
        })
    }

    /// `pinned[2]`, `exclude[0]`: the course table; `pinned` alone: the pins.
    fn field_of(path: &str) -> &str {
        match path.split('[').next().unwrap_or(path) {
            "pinned" if !path.contains('[') => "pinned",
            "include" | "exclude" | "order" | "pinned" => "courses",
            other => other,
        }
    }

    fn field_for(e: &AppError) -> Option<&'static str> {
        matches!(e, AppError::Conflict(_)).then_some("name")
    }
}

/// The scopes a portfolio can take from this record: `("", whole record)`, `field:X`, `theme:Y`
/// (themes and skills, as the legitimacy framing matches both).
fn scopes(record: &Record, lang: Lang) -> Vec<(String, String)> {
    let t = &i18n::strings(lang).builder;
    let mut fields: Vec<String> = record.courses.iter().filter_map(|c| c.record.field.clone()).collect();
    fields.sort();
    fields.dedup();
    let mut themes: Vec<String> = record
        .courses
        .iter()
        .flat_map(|c| c.record.themes.iter().cloned().chain(c.record.skills.iter().map(|s| s.name.clone())))
        .collect();
    themes.sort();
    themes.dedup();
    let sep = i18n::colon(lang);
    let mut out = vec![(String::new(), t.whole_record.to_owned())];
    out.extend(fields.into_iter().map(|f| (format!("field:{f}"), format!("{}{sep}{f}", t.field_prefix))));
    out.extend(themes.into_iter().map(|th| (format!("theme:{th}"), format!("{}{sep}{th}", t.theme_prefix))));
    out
}

/// The table's order when the learner set none: the courses as the portfolio shows them
/// (pinned, then section by section), then the courses it leaves out, as the record lists them.
fn default_rows(record: &Record, settings: Option<&SavedPortfolio>, now: i64) -> Vec<Uuid> {
    let mut rows = Vec::new();
    if let Some(s) = settings {
        let mut spec = s.spec();
        spec.shape.order.clear();
        if let Ok(p) = crate::presentation::present(record, &spec, Lang::default(), now) {
            for e in p.sections.iter().flat_map(|s| &s.groups).flat_map(|g| &g.entries) {
                if !rows.contains(&e.id) {
                    rows.push(e.id);
                }
            }
        }
    }
    for c in &record.courses {
        if !rows.contains(&c.id) {
            rows.push(c.id);
        }
    }
    rows
}

/// The rows of a stored portfolio: its order first, then the others as [`default_rows`].
fn stored_rows(record: &Record, saved: &SavedPortfolio, now: i64) -> Vec<Uuid> {
    let ids: Vec<Uuid> = record.courses.iter().map(|c| c.id).collect();
    let mut rows: Vec<Uuid> = saved.order.iter().filter(|id| ids.contains(id)).copied().collect();
    for id in default_rows(record, Some(saved), now) {
        if !rows.contains(&id) {
            rows.push(id);
        }
    }
    rows
}

/// What the preview shows: the whole portfolio, or why it shows nothing.
#[derive(Template)]
#[template(path = "saved_preview.html")]
pub struct PreviewFragment {
    pub l: &'static PageLabels,
    pub preview: Option<Portfolio>,
    pub preview_error: Option<String>,
    pub evidence_base: &'static str,
    pub evidence_suffix: &'static str,
}

impl PreviewFragment {
    /// The preview of `draft` (its own refusal when it breaks a rule), in the portfolio's
    /// language (its own, else the record's, else the page's).
    pub fn of(record: &Record, draft: &Draft, page_lang: Lang, now: i64) -> PreviewFragment {
        let ids: Vec<Uuid> = record.courses.iter().map(|c| c.id).collect();
        let (preview, preview_error, lang) = match draft.settings(&ids) {
            Ok(settings) => {
                let lang = settings.lang.or(record.learner.lang).unwrap_or(page_lang);
                match crate::presentation::present(record, &settings.spec(), lang, now) {
                    Ok(p) => (Some(p), None, lang),
                    Err(e) => (None, Some(crate::issue::select_error(e).message_in(page_lang)), lang),
                }
            }
            Err(e) => (None, Some(refusal(page_lang, &e)), page_lang),
        };
        PreviewFragment {
            l: &i18n::strings(lang).public,
            preview,
            preview_error,
            evidence_base: "/courses/",
            evidence_suffix: "/evidence",
        }
    }
}

/// A refusal as the builder says it: the field's label, then what is wrong.
fn refusal(lang: Lang, e: &AppError) -> String {
    forms::field_error::<SavedFields>(lang, e).map_or_else(|| e.message_in(lang), |f| f.message)
}

pub struct CourseRow {
    pub id: Uuid,
    pub title: String,
    pub meta: String,
    pub shown: &'static str,
    pub pinned: bool,
    pub first: bool,
    pub last: bool,
}

/// The share form as typed, when it was refused.
#[derive(Default)]
pub struct ShareDraft {
    pub label: String,
    pub days: String,
    pub follow: bool,
    pub error: Option<FieldError>,
}

#[derive(Template)]
#[template(path = "saved_builder.html")]
struct BuilderPage {
    page: Page,
    t: &'static SavedLabels,
    b: &'static BuilderLabels,
    id: Uuid,
    draft: Draft,
    scopes: Vec<(String, String)>,
    languages: Vec<(&'static str, &'static str)>,
    rows: Vec<CourseRow>,
    /// The preview, rendered (and escaped) by its own template, the one `?fragment=1` answers.
    preview_html: String,
    /// The field refused, and the message beside it.
    error_field: String,
    error: Option<String>,
    notice: Option<&'static str>,
    share: ShareDraft,
    statement_max: usize,
}

impl BuilderPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        (self.error_field == field).then_some(self.error.as_deref()).flatten()
    }

    fn share_error_for(&self, field: &str) -> Option<&str> {
        self.share.error.as_ref().filter(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// The share form's refusal about a field it does not show (the portfolio selects nothing).
    fn share_alert(&self) -> Option<&str> {
        self.share.error.as_ref().filter(|e| !e.placed).map(|e| e.message.as_str())
    }
}

/// The builder of one portfolio showing `draft`.
fn builder_page(
    lang: Lang,
    record: &Record,
    stored: &StoredPortfolio,
    draft: Draft,
    error: Option<FieldError>,
    now: i64,
) -> BuilderPage {
    let t = labels(lang);
    let preview_html = PreviewFragment::of(record, &draft, lang, now).render().unwrap_or_default();
    let titles: HashMap<Uuid, &crate::domain::CourseRecord> =
        record.courses.iter().map(|c| (c.id, &c.record)).collect();
    let n = draft.rows.len();
    let rows = draft
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let c = titles.get(id)?;
            let meta = [
                c.institution.clone(),
                c.field.clone(),
                Some(super::course_pages::list_period(lang, c)).filter(|p| !p.is_empty()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            Some(CourseRow {
                id: *id,
                title: c.title.clone(),
                meta,
                shown: draft.shown.get(id).copied().unwrap_or("auto"),
                pinned: draft.pinned.contains(id),
                first: i == 0,
                last: i + 1 == n,
            })
        })
        .collect();
    let (error_field, error) = match error {
        Some(e) => (e.field, Some(e.message)),
        None => (String::new(), None),
    };
    let mut page = Page::learner(lang, format!("{} — {}", stored.settings.name, t.portfolios), "/portfolios");
    page.script = true;
    BuilderPage {
        page,
        t,
        b: &i18n::strings(lang).builder,
        id: stored.id,
        draft,
        scopes: scopes(record, lang),
        languages: i18n::languages(),
        rows,
        preview_html,
        error_field,
        error,
        notice: None,
        share: ShareDraft::default(),
        statement_max: crate::domain::portfolio::MAX_STATEMENT,
    }
}

async fn record_of(state: &AppState, learner: Uuid) -> Result<Record, AppError> {
    let (profile, courses) = state.db.record(learner).await?;
    Ok(crate::storage::courses::as_record(profile, &courses))
}

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

/// The builder of a stored portfolio as stored, with the share form as typed (after a refused
/// share request).
pub async fn stored_page(
    state: &AppState,
    learner: Uuid,
    lang: Lang,
    id: Uuid,
    share: ShareDraft,
) -> Result<Response, AppError> {
    let stored = state.db.portfolio(learner, id).await?;
    let record = record_of(state, learner).await?;
    let now = state.clock.now();
    let draft = Draft::of(&stored.settings, stored_rows(&record, &stored.settings, now));
    let mut page = builder_page(lang, &record, &stored, draft, None, now);
    let status = if share.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page.share = share;
    Ok(private(html_scripted(status, page.render())))
}

/// `GET /portfolios/{id}`: the builder as saved; with the form's fields (its "Update the
/// preview" button) the choices typed, unsaved; with `fragment=1` the preview alone.
pub async fn page(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let shown = async {
        let id = parse_id(&id)?;
        let stored = state.db.portfolio(who.id, id).await?;
        let record = record_of(&state, who.id).await?;
        let now = state.clock.now();
        let fields = pairs(query.as_deref().unwrap_or("").as_bytes());
        let has = |k: &str| fields.iter().any(|(key, _)| key == k);
        let ids: Vec<Uuid> = record.courses.iter().map(|c| c.id).collect();
        let draft = if has("framing") {
            Draft::from_pairs(&fields, &ids)
        } else {
            Draft::of(&stored.settings, stored_rows(&record, &stored.settings, now))
        };
        if fields.iter().any(|(k, v)| k == "fragment" && v == "1") {
            let fragment = PreviewFragment::of(&record, &draft, lang, now);
            let status = if fragment.preview_error.is_some() && fragment.preview.is_none() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            return Ok::<_, AppError>(private(html(status, fragment.render())));
        }
        let mut page = builder_page(lang, &record, &stored, draft, None, now);
        page.notice = fields.iter().find(|(k, _)| k == "done").and_then(|(_, v)| match v.as_str() {
            "saved" => Some(page.t.saved),
            _ => None,
        });
        Ok(private(html_scripted(StatusCode::OK, page.render())))
    };
    shown.await.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /portfolios/{id}`: saves the choices (a move button moves its course, then saves),
/// then back to the builder (at the moved course); a refusal shows everything typed again
/// with the message beside its field, nothing saved.
pub async fn save(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(id) = parse_id(&id) else { return AppError::NotFound.into_response() };
    let (stored, record) = match (state.db.portfolio(who.id, id).await, record_of(&state, who.id).await) {
        (Ok(s), Ok(r)) => (s, r),
        (Err(e), _) => return AppError::from(e).into_response(),
        (_, Err(e)) => return e.into_response(),
    };
    let fields = pairs(&body);
    let ids: Vec<Uuid> = record.courses.iter().map(|c| c.id).collect();
    let draft = Draft::from_pairs(&fields, &ids);
    let moved =
        fields.iter().find(|(k, _)| k == "move").and_then(|(_, v)| v.split_once(':')).map(|(_, id)| id.to_owned());
    let attempt = async {
        let settings = draft.settings(&ids)?;
        crate::service::portfolios::update(&state, who.id, id, settings).await
    };
    let (state, record, draft) = (&state, &record, draft.clone());
    forms::submit::<SavedFields, _, _, _>(
        lang,
        attempt,
        |saved| {
            let anchor = moved.and_then(|m| Uuid::parse_str(&m).ok()).map(|m| format!("#row-{m}")).unwrap_or_default();
            Redirect::to(&format!("/portfolios/{}?done=saved{anchor}", saved.id)).into_response()
        },
        |refused| async move {
            let page = builder_page(lang, record, &stored, draft, Some(refused), state.clock.now());
            html_scripted(StatusCode::UNPROCESSABLE_ENTITY, page.render())
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "portfolios.html")]
struct ListPage {
    page: Page,
    t: &'static SavedLabels,
    b: &'static BuilderLabels,
    rows: Vec<ListRow>,
    empty_record: bool,
    scopes: Vec<(String, String)>,
    languages: Vec<(&'static str, &'static str)>,
    draft: Draft,
    error_field: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

impl ListPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        (self.error_field == field).then_some(self.error.as_deref()).flatten()
    }
}

struct ListRow {
    id: Uuid,
    name: String,
    framing: String,
    updated: String,
}

/// The framing of a portfolio in words: "Legitimacy in a field or theme — data".
pub fn framing_words(lang: Lang, framing: Framing, scope: &Scope) -> String {
    let b = &i18n::strings(lang).builder;
    match (framing, scope) {
        (Framing::Appetite, _) => b.appetite.to_owned(),
        (Framing::Legitimacy, Scope::Field(x) | Scope::Theme(x)) => format!("{} — {x}", b.legitimacy),
        (Framing::Legitimacy, Scope::All) => b.legitimacy.to_owned(),
    }
}

async fn list_page(
    state: &AppState,
    learner: Uuid,
    lang: Lang,
    draft: Draft,
    error: Option<FieldError>,
    notice: Option<&'static str>,
) -> Result<ListPage, AppError> {
    let t = labels(lang);
    let record = record_of(state, learner).await?;
    let rows = state
        .db
        .list_portfolios(learner)
        .await?
        .into_iter()
        .map(|p| ListRow {
            id: p.id,
            framing: framing_words(lang, p.settings.framing, &p.settings.spec().scope),
            name: p.settings.name,
            updated: i18n::date_time(lang, p.updated_at),
        })
        .collect();
    let (error_field, error) = match error {
        Some(e) => (e.field, Some(e.message)),
        None => (String::new(), None),
    };
    Ok(ListPage {
        page: Page::learner(lang, t.portfolios.into(), "/portfolios"),
        t,
        b: &i18n::strings(lang).builder,
        rows,
        empty_record: record.courses.is_empty(),
        scopes: scopes(&record, lang),
        languages: i18n::languages(),
        draft,
        error_field,
        error,
        notice,
    })
}

/// `GET /portfolios`: the learner's saved portfolios and the form that starts a new one.
pub async fn list(State(state): State<AppState>, SignedIn { who, lang }: SignedIn, RawQuery(q): RawQuery) -> Response {
    let fields = pairs(q.as_deref().unwrap_or("").as_bytes());
    let notice = fields.iter().any(|(k, v)| k == "done" && v == "deleted").then_some(labels(lang).deleted);
    let draft = Draft { framing: "appetite".into(), ..Draft::default() };
    match list_page(&state, who.id, lang, draft, None, notice).await {
        Ok(page) => private(html(StatusCode::OK, page.render())),
        Err(e) => e.into_response(),
    }
}

/// `POST /portfolios`: keeps a new portfolio (name, framing, field or theme, language), then
/// opens its builder.
pub async fn create(State(state): State<AppState>, SignedIn { who, lang }: SignedIn, body: Bytes) -> Response {
    let fields = pairs(&body);
    let draft = Draft::from_pairs(&fields, &[]);
    let attempt = async {
        let settings = draft.settings(&[])?;
        crate::service::portfolios::create(&state, who.id, settings).await
    };
    let (state, draft) = (&state, draft.clone());
    forms::submit::<SavedFields, _, _, _>(
        lang,
        attempt,
        |saved| Redirect::to(&format!("/portfolios/{}", saved.id)).into_response(),
        |refused| async move {
            match list_page(state, who.id, lang, draft, Some(refused), None).await {
                Ok(page) => html(StatusCode::UNPROCESSABLE_ENTITY, page.render()),
                Err(e) => e.into_response(),
            }
        },
    )
    .await
}

/// `POST /portfolios/{id}/delete`: links made from it keep showing it as it was.
pub async fn delete(State(state): State<AppState>, SignedIn { who, .. }: SignedIn, Path(id): Path<String>) -> Response {
    let Ok(id) = parse_id(&id) else { return AppError::NotFound.into_response() };
    match crate::service::portfolios::delete(&state, who.id, id).await {
        Ok(()) => Redirect::to("/portfolios?done=deleted").into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /portfolios/{id}/portfolio.pdf`: the saved portfolio's PDF, issued and registered like
/// every PDF the service hands out.
pub async fn pdf(State(state): State<AppState>, SignedIn { who, .. }: SignedIn, Path(id): Path<String>) -> Response {
    let issued = async {
        let saved = state.db.portfolio(who.id, parse_id(&id)?).await?;
        let revision = state.db.revision(who.id).await?;
        let request = crate::issue::PdfRequest {
            learner: who.id,
            spec: saved.settings.spec(),
            lang: saved.settings.lang,
            share: None,
            revision,
        };
        crate::issue::issue_pdf(&state, request).await
    };
    match issued.await {
        Ok(issued) => crate::issue::pdf_response(&issued, "attachment"),
        Err(e) => e.into_response(),
    }
}

/// The preview's server time, for the benchmark: the fragment of `draft` over `record`.
pub fn render_preview(record: &Record, draft: &Draft, lang: Lang, now: i64) -> askama::Result<String> {
    PreviewFragment::of(record, draft, lang, now).render()
}
