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
use crate::domain::skill::Skill;
use crate::domain::text::excerpt;
use crate::domain::{AttestationKind, CourseRecord, FollowMode, IsoDate, Lang, Outcome, Problem, ValidationError};
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
    pub skills: String,
    /// Ticked for the bulk edit (every course of the import asked for).
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "courses.html")]
struct ListPage {
    page: Page,
    t: &'static CourseLabels,
    rows: Vec<Row>,
    fields: Vec<(String, bool)>,
    outcomes: Vec<(&'static str, &'static str, bool)>,
    skills: Vec<(String, bool)>,
    /// (id, "LinkedIn CSV — 1 December 2026 · 22", selected).
    imports: Vec<(String, String, bool)>,
    notice: Option<String>,
    bulk_error: Option<String>,
    modes: Vec<(&'static str, &'static str)>,
    /// The bulk form as typed, when it was refused.
    bulk: BulkForm,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    skill: Option<String>,
    /// The courses of one import, all ticked for a bulk edit.
    #[serde(default)]
    import: Option<String>,
    /// After a bulk edit: how many courses it changed, and when it began. The number is said
    /// only when the record holds at least that many courses changed since.
    #[serde(default)]
    changed: Option<usize>,
    #[serde(default)]
    at: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    match list_page(&state, who.id, lang, q, None, BulkForm::default()).await {
        Ok(page) => private(html(StatusCode::OK, page.render())),
        Err(e) => e.into_response(),
    }
}

async fn list_page(
    state: &AppState,
    learner: Uuid,
    lang: Lang,
    q: ListQuery,
    bulk_error: Option<String>,
    bulk: BulkForm,
) -> Result<ListPage, AppError> {
    let t = labels(lang);
    let courses = state.db.list_courses(learner).await?;
    let imports = state.db.imports(learner).await?;
    let field = q.field.filter(|f| !f.is_empty());
    let skill = q.skill.filter(|f| !f.is_empty());
    let outcome = q.outcome.as_deref().and_then(Outcome::from_str_opt);
    let import = q.import.as_deref().and_then(|i| Uuid::parse_str(i).ok());
    let mut fields: Vec<String> = courses.iter().filter_map(|c| c.record.field.clone()).collect();
    fields.sort();
    fields.dedup();
    let mut skills: Vec<String> = courses.iter().flat_map(|c| c.record.skills.iter().map(|s| s.name.clone())).collect();
    skills.sort();
    skills.dedup();
    let ticked: Vec<Uuid> = bulk.courses.clone();
    let rows = courses
        .iter()
        .filter(|c| field.as_ref().is_none_or(|f| c.record.field.as_ref() == Some(f)))
        .filter(|c| outcome.is_none_or(|o| c.record.outcome == Some(o)))
        .filter(|c| skill.as_ref().is_none_or(|s| c.record.skills.iter().any(|k| &k.name == s)))
        .filter(|c| import.is_none_or(|i| c.import_id == Some(i)))
        .map(|c| {
            let mut r = row(c, lang);
            r.checked = import.is_some() || ticked.contains(&c.id);
            r
        })
        .collect();
    let now = state.clock.now();
    // Never more than the record holds: at least that many courses changed since it began.
    let since = |at: i64| courses.iter().filter(|c| c.updated_at >= at).count();
    let notice =
        q.changed.zip(q.at).filter(|(n, at)| *at <= now && now - at <= 600 && since(*at) >= *n).map(|(n, _)| {
            let one = i18n::words(lang).singular(u64::try_from(n).unwrap_or(u64::MAX));
            (if one { t.bulk_changed_one } else { t.bulk_changed_many }).replace("{}", &i18n::integer(lang, n as u64))
        });
    let imports = imports
        .iter()
        .map(|b| {
            let n = courses.iter().filter(|c| c.import_id == Some(b.id)).count();
            (
                b.id.to_string(),
                format!("{} — {} · {}", b.format, i18n::date_time(lang, b.created_at), n),
                import == Some(b.id),
            )
        })
        .collect();
    Ok(ListPage {
        page: Page::learner(lang, t.courses.into(), "/courses"),
        t,
        rows,
        fields: fields.into_iter().map(|f| (f.clone(), field.as_ref() == Some(&f))).collect(),
        outcomes: OUTCOMES.iter().map(|o| (o.as_str(), i18n::outcome(lang, *o), outcome == Some(*o))).collect(),
        skills: skills.into_iter().map(|s| (s.clone(), skill.as_ref() == Some(&s))).collect(),
        imports,
        notice,
        bulk_error,
        modes: vec![("prescribed", t.prescribed), ("selective", t.selective)],
        bulk,
    })
}

/// The bulk edit form as sent: the courses ticked and what to set (empty: leave as it is;
/// `clear`: no value).
#[derive(Default)]
pub struct BulkForm {
    courses: Vec<Uuid>,
    field: String,
    themes: String,
    skills: String,
    outcome: String,
    follow_mode: String,
    prior_mastery: String,
    bad_ref: bool,
}

impl BulkForm {
    fn read(raw: &[u8]) -> BulkForm {
        let mut f = BulkForm::default();
        for (k, v) in url::form_urlencoded::parse(raw).into_owned() {
            match k.as_str() {
                "course" => match Uuid::parse_str(&v) {
                    Ok(id) => f.courses.push(id),
                    Err(_) => f.bad_ref = true,
                },
                "field" => f.field = v,
                "themes" => f.themes = v,
                "skills" => f.skills = v,
                "outcome" => f.outcome = v,
                "follow_mode" => f.follow_mode = v,
                "prior_mastery" => f.prior_mastery = v,
                _ => {}
            }
        }
        f
    }

    /// What to set, each value checked (a refusal names its field).
    fn set(&self) -> Result<crate::domain::bulk::BulkSet, AppError> {
        let not_a = |name: &str, v: &str, expected| {
            AppError::validation(name, Problem::NotA { value: excerpt(v).into_owned(), expected })
        };
        if self.bad_ref {
            return Err(AppError::validation("ids", Problem::NoSuchCourse));
        }
        let field = Some(self.field.trim().to_owned()).filter(|f| !f.is_empty()).map(Some);
        let themes = Some(parse_themes(&self.themes)).filter(|t| !t.is_empty());
        let skills = Some(parse_skills(&self.skills)).filter(|s| !s.is_empty());
        let outcome = match self.outcome.as_str() {
            "" => None,
            "clear" => Some(None),
            v => Some(Some(Outcome::from_str_opt(v).ok_or_else(|| not_a("outcome", v, Expected::Outcome))?)),
        };
        let follow_mode = match self.follow_mode.as_str() {
            "" => None,
            "clear" => Some(None),
            v => Some(Some(
                FollowMode::from_str_opt(v)
                    .ok_or_else(|| not_a("follow_mode", v, Expected::OneOf(&["prescribed", "selective"])))?,
            )),
        };
        let prior_mastery = match self.prior_mastery.as_str() {
            "" => None,
            "clear" => Some(None),
            "yes" => Some(Some(true)),
            "no" => Some(Some(false)),
            v => return Err(not_a("prior_mastery", v, Expected::YesNo)),
        };
        Ok(crate::domain::bulk::BulkSet { field, themes, skills, outcome, follow_mode, prior_mastery })
    }
}

/// The bulk form's fields, each with its label.
struct BulkFields;

impl FormFields for BulkFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        Some(match field {
            "ids" => t.bulk_courses,
            "set" => t.bulk_heading,
            "field" => t.field,
            "themes" => t.themes,
            "skills" => t.skills,
            "outcome" => t.outcome,
            "follow_mode" => t.follow_mode,
            "prior_mastery" => t.prior_mastery,
            _ => return None,
        })
    }

    /// `ids[3], set.themes[0]` (a course the edit makes invalid): the value set.
    fn field_of(path: &str) -> &str {
        let last = path.rsplit(", ").next().unwrap_or(path);
        let last = last.strip_prefix("set.").unwrap_or(last);
        last.split(['[', '.']).next().unwrap_or(last)
    }
}

/// `POST /courses/bulk`: the values set on every course ticked, in one transaction (all or
/// none); then the list says how many changed.
pub async fn bulk(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    body: axum::body::Bytes,
) -> Response {
    let form = BulkForm::read(&body);
    let began = state.clock.now();
    let (courses_ticked, set) = (form.courses.clone(), form.set());
    let attempt = async { courses::edit_many(&state, who.id, courses_ticked, set?).await };
    let state = &state;
    forms::submit::<BulkFields, _, _, _>(
        lang,
        attempt,
        |n| Redirect::to(&format!("/courses?changed={n}&at={began}")).into_response(),
        |refused| async move {
            let message = format!("{} {}", labels(lang).bulk_error, refused.message);
            match list_page(state, who.id, lang, ListQuery::default(), Some(message), form).await {
                Ok(page) => html(StatusCode::UNPROCESSABLE_ENTITY, page.render()),
                Err(e) => e.into_response(),
            }
        },
    )
    .await
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
        skills: r.skills.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", "),
        checked: false,
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
    /// Comma-separated.
    #[serde(default)]
    pub themes: String,
    /// One per line: `name`, or `name | framework URI`.
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub ects: String,
    #[serde(default)]
    pub follow_mode: String,
    /// `yes`, `no` or empty (not said).
    #[serde(default)]
    pub prior_mastery: String,
    #[serde(default)]
    pub motive: String,
    #[serde(default)]
    pub notes: String,
}

/// The form's field a validation path belongs to (`attestation.url` → `url`, `themes[2]` →
/// `themes`, `skills[0].uri` → `skills`).
fn form_field(path: &str) -> &str {
    let path = path.strip_prefix("attestation.").unwrap_or(path);
    path.split(['[', '.']).next().unwrap_or(path)
}

/// Skills as the form shows them: one per line, `name | uri` when it has a framework URI.
fn skills_text(skills: &[Skill]) -> String {
    skills
        .iter()
        .map(|s| match &s.uri {
            Some(uri) => format!("{} | {uri}", s.name),
            None => s.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The skills typed, one per line (`name | uri`), blank lines left out.
fn parse_skills(text: &str) -> Vec<Skill> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((name, uri)) => {
                Skill { name: name.trim().to_owned(), uri: Some(uri.trim().to_owned()).filter(|u| !u.is_empty()) }
            }
            None => Skill::named(l),
        })
        .collect()
}

/// The themes typed, comma-separated, blanks left out.
fn parse_themes(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
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
            themes: existing.themes.join(", "),
            skills: skills_text(&existing.skills),
            language: existing.language.clone().unwrap_or_default(),
            grade: a.and_then(|a| a.grade.clone()).unwrap_or_default(),
            ects: a.and_then(|a| a.ects).map(|e| e.to_string()).unwrap_or_default(),
            follow_mode: existing.follow_mode.map(|m| m.as_str().to_owned()).unwrap_or_default(),
            prior_mastery: match existing.prior_mastery {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
            motive: existing.motive.clone().unwrap_or_default(),
            notes: existing.notes.clone().unwrap_or_default(),
        }
    }

    /// The record this form describes, on top of `base` (what the form does not show, such as
    /// a badge's check, is kept), or the first field at fault and why.
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
        let follow_mode = match opt(&self.follow_mode) {
            None => None,
            Some(v) => Some(
                FollowMode::from_str_opt(&v)
                    .ok_or_else(|| not_a("follow_mode", &v, Expected::OneOf(&["prescribed", "selective"])))?,
            ),
        };
        let prior_mastery = match self.prior_mastery.trim() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            v => return Err(not_a("prior_mastery", v, Expected::YesNo)),
        };
        let ects = match opt(&self.ects) {
            None => None,
            Some(v) => Some(v.replace(',', ".").parse::<f64>().map_err(|_| not_a("ects", &v, Expected::Ects))?),
        };
        // A textarea sends CRLF line ends.
        let para = |s: &str| opt(&s.replace("\r\n", "\n"));
        let mut record = base.cloned().unwrap_or_else(|| CourseRecord::titled(""));
        record.themes = parse_themes(&self.themes);
        record.skills = parse_skills(&self.skills);
        record.language = opt(&self.language);
        record.follow_mode = follow_mode;
        record.prior_mastery = prior_mastery;
        record.motive = para(&self.motive);
        record.notes = para(&self.notes);
        record.title = self.title.trim().to_owned();
        record.institution = opt(&self.institution);
        record.platform = opt(&self.platform);
        record.field = opt(&self.field);
        record.hours = hours;
        record.started_on = date("started_on", &self.started_on)?;
        record.finished_on = date("finished_on", &self.finished_on)?;
        record.outcome = outcome;
        let (credential_id, url, grade) = (opt(&self.credential_id), opt(&self.url), opt(&self.grade));
        let issued_on = date("issued_on", &self.issued_on)?;
        let expires_on = date("expires_on", &self.expires_on)?;
        let previous = record.attestation.take();
        let certified = kind.is_some()
            || credential_id.is_some()
            || url.is_some()
            || issued_on.is_some()
            || expires_on.is_some()
            || grade.is_some()
            || ects.is_some();
        record.attestation = if certified {
            let mut a = previous.unwrap_or_default();
            a.kind = kind;
            a.credential_id = credential_id;
            a.url = url;
            a.issued_on = issued_on;
            a.expires_on = expires_on;
            a.grade = grade;
            a.ects = ects;
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
            "themes" => t.themes,
            "skills" => t.skills,
            "language" => t.language,
            "grade" => t.grade,
            "ects" => t.ects,
            "follow_mode" => t.follow_mode,
            "prior_mastery" => t.prior_mastery,
            "motive" => t.motive,
            "notes" => t.notes,
            "file" => t.evidence_file,
            _ => return None,
        })
    }

    fn field_of(path: &str) -> &str {
        form_field(path)
    }

    /// A course already recorded under this title, platform and start date; a file refused.
    fn field_for(e: &AppError) -> Option<&'static str> {
        match e {
            AppError::Conflict(_) => Some("title"),
            AppError::PayloadTooLarge(_) | AppError::UnsupportedMediaType(_) => Some("file"),
            _ => None,
        }
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

/// The new-course form as sent: its fields, and the certificate file when one was chosen.
struct NewCourse {
    form: CourseForm,
    file: Option<evidence::Upload>,
}

/// Reads the new-course form: multipart (with its optional file, under the evidence limit)
/// or, from a client without files, url-encoded.
async fn read_new_course(state: &AppState, request: axum::extract::Request) -> Result<NewCourse, Response> {
    use axum::extract::FromRequest;
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<CourseForm>::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        return Ok(NewCourse { form, file: None });
    }
    let headers = request.headers().clone();
    let mut multipart = axum::extract::Multipart::from_request(request, state)
        .await
        .map_err(|e| AppError::BadRequest(Problem::NotMultipart { detail: e.body_text() }).into_response())?;
    let mut fields = serde_json::Map::new();
    let mut file = None;
    let failed = |e: &axum::extract::multipart::MultipartError| evidence::multipart_error_for(e, state).into_response();
    while let Some(field) = multipart.next_field().await.map_err(|e| failed(&e))? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let upload = evidence::read_file(state, &headers, field).await.map_err(IntoResponse::into_response)?;
            // A file input left empty still sends a part, with no name and no bytes.
            if !upload.bytes.is_empty() || upload.file_name.as_deref().is_some_and(|n| !n.is_empty()) {
                file = Some(upload);
            }
        } else {
            let text = field.text().await.map_err(|e| failed(&e))?;
            fields.insert(name, serde_json::Value::String(text));
        }
    }
    // Unknown keys are ignored, as a url-encoded form's are.
    let form: CourseForm = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| AppError::BadRequest(Problem::BadQuery { detail: e.to_string() }).into_response())?;
    Ok(NewCourse { form, file })
}

/// `POST /courses/new`: the course, and its certificate file when one was chosen: the file is
/// checked first, so a refused file saves nothing; then the course's page says it was saved.
pub async fn create(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    request: axum::extract::Request,
) -> Response {
    let NewCourse { form, file } = match read_new_course(&state, request).await {
        Ok(n) => n,
        Err(refused) => return refused,
    };
    let checked = form.to_record(None);
    let attempt = async {
        let record = checked?;
        let file = file.map(evidence::checked).transpose()?;
        let course = courses::create(&state, who.id, record).await?;
        // The course is saved; a file refused now (the account's quota) is said on its page.
        let refused = match file {
            Some(f) => evidence::store(&state, who.id, course.id, f).await.err(),
            None => None,
        };
        Ok::<_, AppError>((course, refused))
    };
    forms::submit::<CourseFields, _, _, _>(
        lang,
        attempt,
        |(course, refused)| match refused {
            None => Redirect::to(&format!("/courses/{}/edit?done=saved", course.id)).into_response(),
            Some(e) => {
                let mut page = FormPage::of_course(lang, &course, CourseForm::of(&course.record), None);
                page.notice = Some(labels(lang).saved);
                page.evidence_error = Some(
                    forms::field_error::<EvidenceFields>(lang, &e).map_or_else(|| e.message_in(lang), |f| f.message),
                );
                private(html(StatusCode::UNPROCESSABLE_ENTITY, page.render()))
            }
        },
        |refused| async move {
            let t = labels(lang);
            let page = if refused.field == "file" {
                let mut page = FormPage::new(lang, "/courses/new".into(), t.add_course, form, None);
                page.evidence_error = Some(refused.message);
                page
            } else {
                FormPage::new(lang, "/courses/new".into(), t.add_course, form, Some(refused))
            };
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
                Some("saved") => Some(t.saved),
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
        |_| Redirect::to(&format!("/courses/{id}/edit?done=saved")).into_response(),
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
