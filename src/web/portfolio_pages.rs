//! The portfolio builder (`/portfolio`: framing with the advice, field or theme from the
//! learner's own record, language; download the PDF; create a share link) and the list of
//! share links (`/shares`: views, last view, revoke).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::{self, FormFields};
use super::{Page, SignedIn, html, private};
use crate::domain::advice::advise;
use crate::domain::portfolio::{Framing, Scope, Spec};
use crate::domain::problem::Expected;
use crate::domain::{Lang, Problem};
use crate::error::AppError;
use crate::extract::AuthLearner;
use crate::i18n::{self, BuilderLabels, PageLabels};
use crate::issue::PdfRequest;
use crate::presentation::Portfolio;
use crate::service::shares::{self, ShareOf, ShareRequest};
use crate::state::AppState;

fn labels(lang: Lang) -> &'static BuilderLabels {
    &crate::i18n::strings(lang).builder
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct BuilderPage {
    page: Page,
    t: &'static BuilderLabels,
    /// The recruiter page's words, for the preview (the same partial renders both).
    l: &'static PageLabels,
    /// (value, label, advised) for the scope select: "", "field:X", "theme:Y".
    scopes: Vec<(String, String, bool)>,
    advised_framing: &'static str,
    reasons: Vec<String>,
    lang: &'static str,
    selected_framing: &'static str,
    selected_scope: String,
    include_uncertified: bool,
    include_expired: bool,
    /// The whole portfolio as it will print, or why it shows nothing (`p.empty`).
    preview: Option<Portfolio>,
    /// The learner's own evidence downloads: `/courses/{id}/evidence`.
    evidence_base: &'static str,
    evidence_suffix: &'static str,
    empty: bool,
    created: Option<(String, String)>,
    error: Option<String>,
    /// The languages a portfolio can be made in, each named in itself.
    languages: Vec<(&'static str, &'static str)>,
    /// The share form's label and expiry, as typed, when it was refused.
    share_label: String,
    share_days: String,
}

/// The framing, scope and language a builder form sends.
#[derive(Deserialize, Default, Clone)]
pub struct Choice {
    #[serde(default)]
    framing: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    include_uncertified: Option<String>,
    #[serde(default)]
    include_expired: Option<String>,
}

impl Choice {
    /// What the form asked for, as it asked (even when it cannot be made, so that a refused
    /// form shows the learner's choice again, not the advice).
    fn asked(&self) -> (Spec, Option<Lang>) {
        let framing = Framing::from_str_opt(&self.framing).unwrap_or(Framing::Appetite);
        let scope = match self.scope.split_once(':') {
            Some(("field", f)) if framing == Framing::Legitimacy => Scope::Field(f.to_owned()),
            Some(("theme", t)) if framing == Framing::Legitimacy => Scope::Theme(t.to_owned()),
            _ => Scope::All,
        };
        let spec = Spec {
            framing,
            scope,
            include_uncertified: self.include_uncertified.is_some(),
            include_expired: self.include_expired.is_some(),
            shape: Default::default(),
        };
        (spec, Lang::from_str_opt(&self.lang))
    }

    fn spec(&self) -> Result<(Spec, Option<Lang>), AppError> {
        if Framing::from_str_opt(&self.framing).is_none() {
            let value = crate::domain::text::excerpt(&self.framing).into_owned();
            return Err(AppError::validation("framing", Problem::NotA { value, expected: Expected::Framing }));
        }
        let (spec, lang) = self.asked();
        if spec.framing == Framing::Legitimacy && spec.scope == Scope::All {
            return Err(AppError::validation("scope", Problem::LegitimacyNeedsScope));
        }
        Ok((spec, lang))
    }
}

async fn builder(
    state: &AppState,
    who: AuthLearner,
    lang: Lang,
    created: Option<(String, String)>,
    error: Option<String>,
) -> Response {
    builder_with(state, who, lang, created, error, None).await
}

/// The builder with `chosen` options (from its "Preview" button, or a refused form) instead of
/// the advised ones, and the whole portfolio they select previewed.
async fn builder_with(
    state: &AppState,
    who: AuthLearner,
    lang: Lang,
    created: Option<(String, String)>,
    error: Option<String>,
    chosen: Option<(Spec, Option<Lang>)>,
) -> Response {
    match builder_page(state, who, lang, created, error, chosen).await {
        Ok(page) => {
            let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            private(html(status, page.render()))
        }
        Err(e) => e.into_response(),
    }
}

/// What the builder shows (see [`builder_with`]), to render.
async fn builder_page(
    state: &AppState,
    who: AuthLearner,
    lang: Lang,
    created: Option<(String, String)>,
    error: Option<String>,
    chosen: Option<(Spec, Option<Lang>)>,
) -> Result<BuilderPage, AppError> {
    let (profile, courses) = state.db.record(who.id).await?;
    let record = crate::storage::courses::as_record(profile, &courses);
    let doc = record.to_document();
    let now = state.clock.now();
    let t = labels(lang);
    let advice = (!doc.courses.is_empty()).then(|| advise(&doc, now));
    let mut fields: Vec<String> = doc.courses.iter().filter_map(|c| c.field.clone()).collect();
    fields.sort();
    fields.dedup();
    let mut themes: Vec<String> = doc.courses.iter().flat_map(|c| c.themes.iter().cloned()).collect();
    themes.sort();
    themes.dedup();
    let advised_field = advice.as_ref().and_then(|a| a.field.clone());
    let advised_theme = advice.as_ref().and_then(|a| a.theme.clone());
    let sep = i18n::colon(lang);
    let mut scopes = vec![(String::new(), t.whole_record.to_owned(), false)];
    scopes.extend(fields.into_iter().map(|f| {
        let advised = advised_field.as_ref() == Some(&f);
        (format!("field:{f}"), format!("{}{sep}{f}", t.field_prefix), advised)
    }));
    scopes.extend(themes.into_iter().map(|th| {
        let advised = advised_theme.as_ref() == Some(&th);
        (format!("theme:{th}"), format!("{}{sep}{th}", t.theme_prefix), advised)
    }));
    // What the form shows selected, and what is previewed: the learner's last choice, else the
    // advice (which never selects an empty portfolio).
    let advised_spec = Spec {
        framing: advice.as_ref().map_or(Framing::Appetite, |a| a.framing),
        scope: match (&advised_field, &advised_theme) {
            (Some(f), _) => Scope::Field(f.clone()),
            (None, Some(th)) => Scope::Theme(th.clone()),
            (None, None) => Scope::All,
        },
        include_uncertified: advice.as_ref().is_some_and(|a| a.include_uncertified),
        include_expired: false,
        shape: Default::default(),
    };
    let record_lang = doc.learner.lang.unwrap_or(lang);
    let (spec, pdf_lang) = match chosen {
        Some((spec, l)) => (spec, l.unwrap_or(record_lang)),
        None => (advised_spec, record_lang),
    };
    let selected_scope = match &spec.scope {
        Scope::All => String::new(),
        Scope::Field(f) => format!("field:{f}"),
        Scope::Theme(th) => format!("theme:{th}"),
    };
    let preview = crate::presentation::present(&record, &spec, pdf_lang, now).ok();
    let page = BuilderPage {
        page: Page::learner(lang, t.portfolio.into(), "/portfolio"),
        t,
        l: &crate::i18n::strings(pdf_lang).public,
        scopes,
        advised_framing: advice.as_ref().map_or("appetite", |a| a.framing.as_str()),
        // The reasons in the page's language, like the rest of the builder.
        reasons: advice.map(|a| i18n::advice_reasons(lang, &a.reasons)).unwrap_or_default(),
        // The PDF's language: the one chosen, else the record's, else the page's.
        lang: pdf_lang.as_str(),
        selected_framing: spec.framing.as_str(),
        selected_scope,
        include_uncertified: spec.include_uncertified,
        include_expired: spec.include_expired,
        preview,
        evidence_base: "/courses/",
        evidence_suffix: "/evidence",
        empty: doc.courses.is_empty(),
        created,
        error,
        languages: i18n::languages(),
        share_label: String::new(),
        share_days: String::new(),
    };
    Ok(page)
}

/// The builder's fields, each with its label: a refusal names what the learner chose.
struct BuilderFields;

impl FormFields for BuilderFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let t = labels(lang);
        Some(match field {
            "framing" => t.framing,
            "scope" | "field" | "theme" => t.scope,
            "lang" => t.language,
            "include_uncertified" => t.include_uncertified,
            "include_expired" => t.include_expired,
            "label" => t.label,
            "expires_in_days" | "expires_at" => t.expires_in_days,
            "courses" => t.courses,
            _ => return None,
        })
    }
}

/// A refusal of the builder's choices, as the builder says it.
fn refusal(lang: Lang, e: &AppError) -> String {
    forms::field_error::<BuilderFields>(lang, e).map_or_else(|| e.message_in(lang), |f| f.message)
}

/// `GET /portfolio`; with `framing=&scope=&lang=` (the "Preview" button) the builder with those
/// options chosen and the portfolio previewed; with `created=ID` (after "Create share link"),
/// the link just made.
pub async fn page(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(query): Query<BuilderQuery>,
) -> Response {
    if let Some(id) = query.created.as_deref().and_then(|id| uuid::Uuid::parse_str(id).ok()) {
        let created = match shares::reveal(&state, who.id, id).await {
            Ok(url) => url.map(|url| (labels(lang).link_created.to_owned(), url)),
            Err(e) => return e.into_response(),
        };
        let error = created.is_none().then(|| labels(lang).link_gone.to_owned());
        return builder(&state, who, lang, created, error).await;
    }
    let choice = query.choice;
    if choice.framing.is_empty() {
        return builder(&state, who, lang, None, None).await;
    }
    match choice.spec() {
        Ok(chosen) => builder_with(&state, who, lang, None, None, Some(chosen)).await,
        Err(e) => builder_with(&state, who, lang, None, Some(refusal(lang, &e)), Some(choice.asked())).await,
    }
}

#[derive(Deserialize, Default)]
pub struct BuilderQuery {
    #[serde(flatten)]
    choice: Choice,
    #[serde(default)]
    created: Option<String>,
}

/// `GET /portfolio.pdf?framing=&scope=&lang=`: the PDF, issued and registered like the API's.
pub async fn pdf(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(choice): Query<Choice>,
) -> Response {
    let issued = match choice.spec() {
        Ok((spec, lang)) => match state.db.revision(who.id).await {
            Ok(revision) => {
                let request = PdfRequest { learner: who.id, spec, lang, share: None, revision };
                crate::issue::issue_pdf(&state, request).await
            }
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e),
    };
    match issued {
        Ok(issued) => crate::issue::pdf_response(&issued, "attachment"),
        Err(e) => builder_with(&state, who, lang, None, Some(refusal(lang, &e)), Some(choice.asked())).await,
    }
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(flatten)]
    choice: Choice,
    #[serde(default)]
    label: String,
    #[serde(default)]
    expires_in_days: String,
}

/// `POST /portfolio/share`: creates the link, then redirects (post/redirect/get) to the builder
/// showing it, so that refreshing the page never creates a second link.
pub async fn share(
    State(state): State<AppState>,
    SignedIn { who, lang: ui_lang }: SignedIn,
    Form(form): Form<ShareForm>,
) -> Response {
    let attempt = async {
        let (spec, lang) = form.choice.spec()?;
        let expires_at = match form.expires_in_days.trim() {
            "" => None,
            days => {
                let days: i64 = days.parse().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| {
                    AppError::validation("expires_in_days", Problem::NotADayCount { min: 1, max: 3650 })
                })?;
                Some(state.clock.now() + days * 86_400)
            }
        };
        let label = Some(form.label.trim().to_owned()).filter(|l| !l.is_empty());
        let request = ShareRequest { what: ShareOf::Spec(spec), lang, label, expires_at };
        let created = shares::create(&state, who.id, request).await?;
        shares::keep_for_reveal(&state, who.id, &created).await?;
        Ok::<_, AppError>(created.share.id)
    };
    let (state, form) = (&state, &form);
    forms::submit::<BuilderFields, _, _, _>(
        ui_lang,
        attempt,
        |id| Redirect::to(&format!("/portfolio?created={id}")).into_response(),
        |refused| async move {
            // The options chosen and everything typed stay as they were.
            match builder_page(state, who, ui_lang, None, Some(refused.message), Some(form.choice.asked())).await {
                Ok(mut page) => {
                    page.share_label = form.label.clone();
                    page.share_days = form.expires_in_days.clone();
                    html(StatusCode::UNPROCESSABLE_ENTITY, page.render())
                }
                Err(e) => e.into_response(),
            }
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "shares.html")]
struct SharesPage {
    page: Page,
    t: &'static BuilderLabels,
    colon: &'static str,
    rows: Vec<ShareRow>,
}

struct ShareRow {
    id: String,
    label: String,
    framing: String,
    status: String,
    active: bool,
    views: String,
    last_view: String,
    expires: String,
}

pub async fn shares(State(state): State<AppState>, SignedIn { who, lang }: SignedIn) -> Response {
    let t = labels(lang);
    let list = match shares::list(&state, who.id).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let rows = list
        .into_iter()
        .map(|s| {
            let framing = match &s.share.spec.scope {
                Scope::Field(f) => format!("{} — {f}", t.legitimacy),
                Scope::Theme(th) => format!("{} — {th}", t.legitimacy),
                Scope::All => t.appetite.to_owned(),
            };
            ShareRow {
                id: s.share.id.to_string(),
                label: s.share.label.unwrap_or_default(),
                framing,
                active: s.status == shares::ShareStatus::Active,
                status: match s.status {
                    shares::ShareStatus::Active => t.status_active,
                    shares::ShareStatus::Expired => t.status_expired,
                    shares::ShareStatus::Revoked => t.status_revoked,
                }
                .to_owned(),
                views: i18n::integer(lang, u64::try_from(s.views).unwrap_or(0)),
                // Moments in words, with their time zone: "1 décembre 2026 à 08:24 UTC".
                last_view: s.last_viewed_at.map(|t| i18n::date_time(lang, t)).unwrap_or_default(),
                expires: s.share.expires_at.map(|t| i18n::date_time(lang, t)).unwrap_or_default(),
            }
        })
        .collect();
    private(html(
        StatusCode::OK,
        SharesPage { page: Page::learner(lang, t.shares.into(), "/shares"), t, colon: i18n::colon(lang), rows }
            .render(),
    ))
}

pub async fn revoke(State(state): State<AppState>, SignedIn { who, .. }: SignedIn, Path(id): Path<String>) -> Response {
    let Ok(id) = uuid::Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match shares::revoke(&state, who.id, id).await {
        Ok(()) => Redirect::to("/shares").into_response(),
        Err(e) => e.into_response(),
    }
}
