//! Institutions (`/institutions`): each with its courses; edit name, country, kind and website;
//! merge two that are the same institution (pick both, confirm, the courses of the second move
//! to the first, the second is removed, all in one storage transaction).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::forms::{self, FieldError, FormFields};
use super::{Page, SignedIn, html, private};
use crate::domain::Lang;
use crate::domain::institution::InstitutionInfo;
use crate::error::AppError;
use crate::i18n::{self, InstitutionLabels};
use crate::service::institutions;
use crate::state::AppState;
use crate::storage::institutions::StoredInstitution;

fn labels(lang: Lang) -> &'static InstitutionLabels {
    &crate::i18n::strings(lang).institutions
}

#[derive(Template)]
#[template(path = "institutions.html")]
struct ListPage {
    page: Page,
    t: &'static InstitutionLabels,
    items: Vec<StoredInstitution>,
    course_count: Vec<String>,
    notice: Option<&'static str>,
    merge_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = labels(lang);
    let notice = match q.done.as_deref() {
        Some("merged") => Some(t.merged),
        Some("saved") => Some(t.saved),
        _ => None,
    };
    list_page(&state, who.id, lang, notice, None, StatusCode::OK).await
}

async fn list_page(
    state: &AppState,
    learner: Uuid,
    lang: Lang,
    notice: Option<&'static str>,
    merge_error: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let t = labels(lang);
    let items = match state.db.list_institutions(learner).await {
        Ok(i) => i,
        Err(e) => return AppError::from(e).into_response(),
    };
    let course_count = items.iter().map(|i| i18n::integer(lang, i.courses.len() as u64)).collect();
    let page = ListPage {
        page: Page::learner(lang, t.institutions.into(), "/institutions"),
        t,
        items,
        course_count,
        notice,
        merge_error,
    };
    private(html(status, page.render()))
}

/// What the edit form sends, as typed.
#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    website: String,
}

#[derive(Template)]
#[template(path = "institution_form.html")]
struct EditPage {
    page: Page,
    t: &'static InstitutionLabels,
    id: Uuid,
    form: EditForm,
    error_field: String,
    error: Option<String>,
}

impl EditPage {
    fn new(lang: Lang, id: Uuid, form: EditForm, error: Option<FieldError>) -> EditPage {
        let t = labels(lang);
        let (error_field, error) = match error {
            Some(e) => (e.field, Some(e.message)),
            None => (String::new(), None),
        };
        EditPage {
            page: Page::learner(lang, t.edit_heading.into(), &format!("/institutions/{id}/edit")),
            t,
            id,
            form,
            error_field,
            error,
        }
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        (self.error_field == field).then_some(self.error.as_deref()).flatten()
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match state.db.institution(who.id, id).await {
        Ok(i) => {
            let form = EditForm {
                name: i.info.name,
                country: i.info.country.unwrap_or_default(),
                kind: i.info.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
                website: i.info.website.unwrap_or_default(),
            };
            private(html(StatusCode::OK, EditPage::new(lang, id, form, None).render()))
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    let checked = InstitutionInfo::from_text(&form.name, &form.country, &form.kind, &form.website);
    let attempt = async { institutions::update(&state, who.id, id, checked?).await };
    forms::submit::<InstitutionFields, _, _, _>(
        lang,
        attempt,
        |_| Redirect::to("/institutions?done=saved").into_response(),
        |refused| async move {
            html(StatusCode::UNPROCESSABLE_ENTITY, EditPage::new(lang, id, form, Some(refused)).render())
        },
    )
    .await
}

/// The institution form's fields, each with its label.
struct InstitutionFields;

impl FormFields for InstitutionFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        Some(match field {
            "name" => t.name,
            "country" => t.country,
            "kind" => t.kind,
            "website" => t.website,
            _ => return None,
        })
    }

    /// Another institution has this name: the two are to be merged.
    fn field_for(e: &AppError) -> Option<&'static str> {
        matches!(e, AppError::Conflict(_)).then_some("name")
    }
}

#[derive(Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    keep: String,
    #[serde(default)]
    absorbed: String,
}

#[derive(Template)]
#[template(path = "institution_merge.html")]
struct MergePage {
    page: Page,
    t: &'static InstitutionLabels,
    keep: StoredInstitution,
    absorbed: StoredInstitution,
}

/// The two institutions chosen, both the learner's and different, or why not.
async fn chosen(
    state: &AppState,
    learner: Uuid,
    form: &MergeForm,
) -> Result<Option<(StoredInstitution, StoredInstitution)>, Response> {
    let (Ok(keep), Ok(absorbed)) = (Uuid::parse_str(&form.keep), Uuid::parse_str(&form.absorbed)) else {
        return Ok(None);
    };
    if keep == absorbed {
        return Ok(None);
    }
    let get = |id| state.db.institution(learner, id);
    match (get(keep).await, get(absorbed).await) {
        (Ok(k), Ok(a)) => Ok(Some((k, a))),
        (Err(e), _) | (_, Err(e)) => Err(AppError::from(e).into_response()),
    }
}

/// The confirmation step (a GET: it only shows what the merge would do).
pub async fn merge_review(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(form): Query<MergeForm>,
) -> Response {
    let t = labels(lang);
    match chosen(&state, who.id, &form).await {
        Err(r) => r,
        Ok(None) => list_page(&state, who.id, lang, None, Some(t.same_twice), StatusCode::UNPROCESSABLE_ENTITY).await,
        Ok(Some((keep, absorbed))) => {
            let page = MergePage {
                page: Page::learner(
                    lang,
                    t.merge_confirm_heading.into(),
                    &format!("/institutions/merge?keep={}&absorbed={}", keep.id, absorbed.id),
                ),
                t,
                keep,
                absorbed,
            };
            private(html(StatusCode::OK, page.render()))
        }
    }
}

pub async fn merge(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Form(form): Form<MergeForm>,
) -> Response {
    let t = labels(lang);
    match chosen(&state, who.id, &form).await {
        Err(r) => r,
        Ok(None) => list_page(&state, who.id, lang, None, Some(t.same_twice), StatusCode::UNPROCESSABLE_ENTITY).await,
        Ok(Some((keep, absorbed))) => match institutions::merge(&state, who.id, keep.id, absorbed.id).await {
            Ok(_) => Redirect::to("/institutions?done=merged").into_response(),
            Err(e) => e.into_response(),
        },
    }
}
