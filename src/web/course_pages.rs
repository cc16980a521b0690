//! The learner's courses as pages: list (filtered by field and outcome), add, edit, delete
//! with a confirmation step. The form maps onto the document's `CourseRecord`, so the pages
//! obey exactly the rules of the API and of imports; a refused value is shown next to its
//! field with everything typed kept, and nothing is saved.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::SignedIn;
use super::forms::{self, FieldError, FormFields};
use super::{Page, html, private};
use crate::domain::problem::Expected;
use crate::domain::text::excerpt;
use crate::domain::{AttestationKind, CourseRecord, IsoDate, Lang, Outcome, Problem, ValidationError};
use crate::error::AppError;
use crate::i18n::{self, CourseLabels};
use crate::service::{courses, evidence};
use crate::state::AppState;
use crate::storage::{EvidenceMeta, StoredCourse};

fn labels(lang: Lang) -> &'static CourseLabels {
    &crate::i18n::strings(lang).courses
}

const OUTCOMES: [Outcome; 5] =
    [Outcome::Completed, Outcome::Audited, Outcome::Disengaged, Outcome::Sampled, Outcome::InProgress];
const KINDS: [AttestationKind; 6] = [
    AttestationKind::Participation,
    AttestationKind::Completion,
    AttestationKind::Achievement,
    AttestationKind::VerifiedCertificate,
    AttestationKind::Badge,
    AttestationKind::EctsCredits,
];

pub struct Row {
    pub id: Uuid,
    pub title: String,
    pub place: String,
    pub period: String,
    pub outcome: String,
    pub kind: String,
}

#[derive(Template)]
#[template(path = "courses.html")]
struct ListPage {
    page: Page,
    t: &'static CourseLabels,
    rows: Vec<Row>,
    fields: Vec<(String, bool)>,
    outcomes: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = labels(lang);
    let courses = match state.db.list_courses(who.id).await {
        Ok(c) => c,
        Err(e) => return AppError::from(e).into_response(),
    };
    let field = q.field.filter(|f| !f.is_empty());
    let outcome = q.outcome.as_deref().and_then(Outcome::from_str_opt);
    let mut fields: Vec<String> = courses.iter().filter_map(|c| c.record.field.clone()).collect();
    fields.sort();
    fields.dedup();
    let rows = courses
        .iter()
        .filter(|c| field.as_ref().is_none_or(|f| c.record.field.as_ref() == Some(f)))
        .filter(|c| outcome.is_none_or(|o| c.record.outcome == Some(o)))
        .map(|c| row(c, lang))
        .collect();
    let page = ListPage {
        page: Page::learner(lang, t.courses.into(), "/courses"),
        t,
        rows,
        fields: fields.into_iter().map(|f| (f.clone(), field.as_ref() == Some(&f))).collect(),
        outcomes: OUTCOMES.iter().map(|o| (o.as_str(), i18n::outcome(lang, *o), outcome == Some(*o))).collect(),
    };
    private(html(StatusCode::OK, page.render()))
}

fn row(c: &StoredCourse, lang: Lang) -> Row {
    let r = &c.record;
    Row {
        id: c.id,
        title: r.title.clone(),
        place: [r.institution.clone(), r.platform.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · "),
        period: list_period(lang, r),
        outcome: r.outcome.map(|o| i18n::outcome(lang, o).to_owned()).unwrap_or_default(),
        kind: r
            .attestation
            .as_ref()
            .map(|a| a.kind.map_or(i18n::attestation_generic(lang), |k| i18n::attestation_kind(lang, k)).to_owned())
            .unwrap_or_default(),
    }
}

/// When a course was followed, in words ("février – avril 2015"); a course known only by its
/// certificate (a LinkedIn line) by the month it was issued.
pub(crate) fn list_period(lang: Lang, r: &CourseRecord) -> String {
    i18n::period(lang, r.started_on, r.finished_on)
        .or_else(|| r.attestation.as_ref().and_then(|a| a.issued_on).map(|d| i18n::month_year(lang, d)))
        .unwrap_or_default()
}

/// What the course form sends: strings, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct CourseForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub platform: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub started_on: String,
    #[serde(default)]
    pub finished_on: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub credential_id: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub issued_on: String,
    #[serde(default)]
    pub expires_on: String,
}

/// The form's field a validation path belongs to (`attestation.url` → `url`).
fn form_field(path: &str) -> &str {
    path.strip_prefix("attestation.").unwrap_or(path)
}

impl CourseForm {
    fn of(existing: &CourseRecord) -> CourseForm {
        let a = existing.attestation.as_ref();
        CourseForm {
            title: existing.title.clone(),
            institution: existing.institution.clone().unwrap_or_default(),
            platform: existing.platform.clone().unwrap_or_default(),
            field: existing.field.clone().unwrap_or_default(),
            hours: existing.hours.map(|h| h.to_string()).unwrap_or_default(),
            started_on: existing.started_on.map(|d| d.to_string()).unwrap_or_default(),
            finished_on: existing.finished_on.map(|d| d.to_string()).unwrap_or_default(),
            outcome: existing.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
            kind: a.and_then(|a| a.kind).map(|k| k.as_str().to_owned()).unwrap_or_default(),
            credential_id: a.and_then(|a| a.credential_id.clone()).unwrap_or_default(),
            url: a.and_then(|a| a.url.clone()).unwrap_or_default(),
            issued_on: a.and_then(|a| a.issued_on).map(|d| d.to_string()).unwrap_or_default(),
            expires_on: a.and_then(|a| a.expires_on).map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The record this form describes, on top of `base` (the fields the form does not show,
    /// such as themes or motive, are kept), or the first field at fault and why.
    fn to_record(&self, base: Option<&CourseRecord>) -> Result<CourseRecord, ValidationError> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
        let date = |name: &str, s: &str| -> Result<Option<IsoDate>, ValidationError> {
            match opt(s) {
                None => Ok(None),
                Some(v) => IsoDate::parse(&v).map(Some).map_err(|p| ValidationError::new(name, p)),
            }
        };
        let hours = match opt(&self.hours) {
            None => None,
            Some(v) => Some(v.replace(',', ".").parse::<f64>().map_err(|_| {
                ValidationError::new("hours", Problem::NotANumberOfHours { value: excerpt(&v).into_owned() })
            })?),
        };
        let not_a = |name: &str, v: &str, expected| {
            ValidationError::new(name, Problem::NotA { value: excerpt(v).into_owned(), expected })
        };
        let outcome = match opt(&self.outcome) {
            None => None,
            Some(v) => Some(Outcome::from_str_opt(&v).ok_or_else(|| not_a("outcome", &v, Expected::Outcome))?),
        };
        let kind = match opt(&self.kind) {
            None => None,
            Some(v) => {
                Some(AttestationKind::from_str_opt(&v).ok_or_else(|| not_a("kind", &v, Expected::AttestationKind))?)
            }
        };
        let mut record = base.cloned().unwrap_or_else(|| CourseRecord::titled(""));
        record.title = self.title.trim().to_owned();
        record.institution = opt(&self.institution);
        record.platform = opt(&self.platform);
        record.field = opt(&self.field);
        record.hours = hours;
        record.started_on = date("started_on", &self.started_on)?;
        record.finished_on = date("finished_on", &self.finished_on)?;
        record.outcome = outcome;
        let (credential_id, url) = (opt(&self.credential_id), opt(&self.url));
        let issued_on = date("issued_on", &self.issued_on)?;
        let expires_on = date("expires_on", &self.expires_on)?;
        let previous = record.attestation.take();
        let certified =
            kind.is_some() || credential_id.is_some() || url.is_some() || issued_on.is_some() || expires_on.is_some();
        record.attestation = if certified {
            let mut a = previous.unwrap_or_default();
            a.kind = kind;
            a.credential_id = credential_id;
            a.url = url;
            a.issued_on = issued_on;
            a.expires_on = expires_on;
            Some(a)
        } else {
            None
        };
        record.validate("")?;
        Ok(record)
    }
}

/// The course form's fields, each with its label.
struct CourseFields;

impl FormFields for CourseFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        Some(match field {
            "title" => t.title,
            "institution" => t.institution,
            "platform" => t.platform,
            "field" => t.field,
            "hours" => t.hours,
            "started_on" => t.start_date,
            "finished_on" => t.end_date,
            "outcome" => t.outcome,
            "kind" => t.attestation_kind,
            "credential_id" => t.credential_id,
            "url" => t.verification_url,
            "issued_on" => t.issued_on,
            "expires_on" => t.expires_on,
            _ => return None,
        })
    }

    fn field_of(path: &str) -> &str {
        form_field(path)
    }

    /// A course already recorded under this title, platform and start date.
    fn field_for(e: &AppError) -> Option<&'static str> {
        matches!(e, AppError::Conflict(_)).then_some("title")
    }
}

/// The evidence form's one field: every refusal of a file is about it.
struct EvidenceFields;

impl FormFields for EvidenceFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        (field == "file").then_some(labels(lang).evidence_file)
    }

    fn field_of(_path: &str) -> &str {
        "file"
    }

    fn field_for(e: &AppError) -> Option<&'static str> {
        matches!(e, AppError::BadRequest(_) | AppError::PayloadTooLarge(_) | AppError::UnsupportedMediaType(_))
            .then_some("file")
    }
}

#[derive(Template)]
#[template(path = "course_form.html")]
struct FormPage {
    page: Page,
    t: &'static CourseLabels,
    action: String,
    heading: &'static str,
    form: CourseForm,
    /// The field refused, and the message beside it.
    error_field: String,
    error: Option<String>,
    /// A refusal about a part of the record the form does not show: said in the alert.
    elsewhere: Option<String>,
    outcomes: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    /// The course being edited (none on the "add" form): its evidence file can be managed.
    course: Option<Uuid>,
    evidence: Option<EvidenceMeta>,
    evidence_size: String,
    evidence_error: Option<String>,
    notice: Option<&'static str>,
}

impl FormPage {
    fn new(lang: Lang, action: String, heading: &'static str, form: CourseForm, error: Option<FieldError>) -> Self {
        let t = labels(lang);
        let (error_field, error, elsewhere) = match error {
            Some(e) if e.placed => (e.field, Some(e.message), None),
            Some(e) => (e.field, None, Some(e.message)),
            None => (String::new(), None, None),
        };
        FormPage {
            // The edit form posts to `/courses/{id}`, which answers POST only: the language switch
            // must come back to the page that shows the form.
            page: Page::learner(
                lang,
                heading.into(),
                &if action == "/courses/new" { action.clone() } else { format!("{action}/edit") },
            ),
            t,
            action,
            heading,
            form,
            error_field,
            error,
            elsewhere,
            outcomes: OUTCOMES.iter().map(|o| (o.as_str(), i18n::outcome(lang, *o))).collect(),
            kinds: KINDS.iter().map(|k| (k.as_str(), i18n::attestation_kind(lang, *k))).collect(),
            course: None,
            evidence: None,
            evidence_size: String::new(),
            evidence_error: None,
            notice: None,
        }
    }

    /// The edit form of a stored course, with its evidence file.
    fn of_course(lang: Lang, course: &StoredCourse, form: CourseForm, error: Option<FieldError>) -> Self {
        let t = labels(lang);
        let mut page = FormPage::new(lang, format!("/courses/{}", course.id), t.edit_course, form, error);
        page.course = Some(course.id);
        page.evidence_size = course.evidence.as_ref().map(|e| file_size(lang, e.size)).unwrap_or_default();
        page.evidence = course.evidence.clone();
        page
    }

    /// The message for one field, when it is the one at fault.
    fn error_for(&self, field: &str) -> Option<&str> {
        (self.error_field == field).then_some(self.error.as_deref()).flatten()
    }
}

pub async fn new_form(SignedIn { lang, .. }: SignedIn) -> Response {
    let t = labels(lang);
    let page = FormPage::new(lang, "/courses/new".into(), t.add_course, CourseForm::default(), None);
    private(html(StatusCode::OK, page.render()))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Form(form): Form<CourseForm>,
) -> Response {
    let checked = form.to_record(None);
    let attempt = async { courses::create(&state, who.id, checked?).await };
    forms::submit::<CourseFields, _, _, _>(
        lang,
        attempt,
        |_| Redirect::to("/courses").into_response(),
        |refused| async move {
            let t = labels(lang);
            let page = FormPage::new(lang, "/courses/new".into(), t.add_course, form, Some(refused));
            html(StatusCode::UNPROCESSABLE_ENTITY, page.render())
        },
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    let t = labels(lang);
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match state.db.course(who.id, id).await {
        Ok(c) => {
            let mut page = FormPage::of_course(lang, &c, CourseForm::of(&c.record), None);
            page.notice = match q.done.as_deref() {
                Some("uploaded") => Some(t.uploaded),
                Some("removed") => Some(t.removed),
                _ => None,
            };
            private(html(StatusCode::OK, page.render()))
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CourseForm>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    let existing = match state.db.course(who.id, id).await {
        Ok(c) => c,
        Err(e) => return AppError::from(e).into_response(),
    };
    let checked = form.to_record(Some(&existing.record));
    let attempt = async { courses::update(&state, who.id, id, checked?).await };
    forms::submit::<CourseFields, _, _, _>(
        lang,
        attempt,
        |_| Redirect::to("/courses").into_response(),
        |refused| async move {
            html(StatusCode::UNPROCESSABLE_ENTITY, FormPage::of_course(lang, &existing, form, Some(refused)).render())
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "course_delete.html")]
struct DeletePage {
    page: Page,
    t: &'static CourseLabels,
    id: Uuid,
    title: String,
}

pub async fn delete_form(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let t = labels(lang);
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match state.db.course(who.id, id).await {
        Ok(c) => private(html(
            StatusCode::OK,
            DeletePage {
                page: Page::learner(lang, t.delete.into(), &format!("/courses/{id}/delete")),
                t,
                id,
                title: c.record.title,
            }
            .render(),
        )),
        Err(e) => AppError::from(e).into_response(),
    }
}

pub async fn delete(State(state): State<AppState>, SignedIn { who, .. }: SignedIn, Path(id): Path<String>) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match courses::delete(&state, who.id, id).await {
        Ok(()) => Redirect::to("/courses").into_response(),
        Err(e) => e.into_response(),
    }
}

/// "1,2 Mio" / "1.2 MiB", "35 Kio" / "35 KiB".
fn file_size(lang: Lang, bytes: i64) -> String {
    #[allow(clippy::cast_precision_loss)] // sizes are at most a few MiB.
    let b = bytes.max(0) as f64;
    let (kib, mib) = i18n::words(lang).size_units();
    let (value, unit) = if b >= 1024.0 * 1024.0 { (b / (1024.0 * 1024.0), mib) } else { ((b / 1024.0).max(0.1), kib) };
    format!("{}\u{a0}{unit}", i18n::decimal(lang, value))
}

/// Uploads the course's evidence file through the API's own checks and limits
/// (`service::evidence::upload`); a refused file is shown next to the file field, nothing stored.
pub async fn upload_evidence(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    let course = match state.db.course(who.id, id).await {
        Ok(c) => c,
        Err(e) => return AppError::from(e).into_response(),
    };
    forms::submit::<EvidenceFields, _, _, _>(
        lang,
        evidence::upload(&state, who.id, id, &headers, multipart),
        |_| Redirect::to(&format!("/courses/{id}/edit?done=uploaded")).into_response(),
        |refused| async move {
            let mut page = FormPage::of_course(lang, &course, CourseForm::of(&course.record), None);
            page.evidence_error = Some(refused.message);
            html(StatusCode::UNPROCESSABLE_ENTITY, page.render())
        },
    )
    .await
}

/// Downloads the course's evidence file, exactly as uploaded (the API's safe attachment).
pub async fn download_evidence(
    State(state): State<AppState>,
    SignedIn { who, .. }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match evidence::download(&state, who.id, id).await {
        Ok(file) => private(file),
        Err(e) => e.into_response(),
    }
}

pub async fn remove_evidence(
    State(state): State<AppState>,
    SignedIn { who, .. }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match evidence::remove(&state, who.id, id).await {
        Ok(()) => Redirect::to(&format!("/courses/{id}/edit?done=removed")).into_response(),
        Err(e) => e.into_response(),
    }
}
