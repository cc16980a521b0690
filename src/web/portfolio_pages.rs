//! The portfolio builder (`/portfolio`: framing with the advice, field or theme from the
//! learner's own record, language; download the PDF; create a share link) and the list of
//! share links (`/shares`: views, last view, revoke).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Page, SignedIn, html, private};
use crate::api::extract::AuthLearner;
use crate::api::shares::{NewShareBody, create_share, list_shares};
use crate::app::AppState;
use crate::domain::Lang;
use crate::domain::advice::advise;
use crate::domain::portfolio::{Framing, Scope, Spec};
use crate::error::AppError;
use crate::i18n;
use crate::issue::PdfRequest;
use crate::presentation::Portfolio;

pub struct BuilderLabels {
    pub portfolio: &'static str,
    pub preview_heading: &'static str,
    pub preview_button: &'static str,
    pub framing: &'static str,
    pub appetite: &'static str,
    pub legitimacy: &'static str,
    pub scope: &'static str,
    pub whole_record: &'static str,
    pub field_prefix: &'static str,
    pub theme_prefix: &'static str,
    pub language: &'static str,
    pub include_uncertified: &'static str,
    pub advised: &'static str,
    pub download_pdf: &'static str,
    pub share_heading: &'static str,
    pub label: &'static str,
    pub expires_in_days: &'static str,
    pub create_share: &'static str,
    pub shares: &'static str,
    pub link_created: &'static str,
    pub link_once: &'static str,
    pub views: &'static str,
    pub last_view: &'static str,
    pub status: &'static str,
    pub revoke: &'static str,
    pub no_shares: &'static str,
    /// After "Create share link", when the link can no longer be shown.
    pub link_gone: &'static str,
    pub include_expired: &'static str,
    pub preview_empty: &'static str,
    pub dashboard: &'static str,
    pub courses: &'static str,
    pub empty: &'static str,
}

pub static FR: BuilderLabels = BuilderLabels {
    preview_heading: "Aperçu du portfolio",
    preview_button: "Mettre à jour l’aperçu",
    portfolio: "Mon portfolio",
    framing: "Cadrage",
    appetite: "Appétence pour l’autoformation",
    legitimacy: "Légitimité dans un domaine ou une thématique",
    scope: "Domaine ou thématique",
    whole_record: "Tout le dossier",
    field_prefix: "Domaine",
    theme_prefix: "Thématique",
    language: "Langue",
    include_uncertified: "Inclure les cours suivis sans attestation",
    advised: "Conseillé",
    download_pdf: "Télécharger le PDF",
    share_heading: "Partager avec un recruteur",
    label: "Pour qui (visible de vous seul)",
    expires_in_days: "Expire dans (jours, vide : jamais)",
    create_share: "Créer le lien de partage",
    shares: "Mes liens de partage",
    link_created: "Lien créé",
    link_once: "Copiez ce lien maintenant : il n’est plus affiché au-delà de 15 minutes.",
    views: "Vues",
    last_view: "Dernière vue",
    status: "État",
    revoke: "Révoquer",
    no_shares: "Aucun lien pour l’instant.",
    link_gone: "Ce lien a été créé, mais il ne peut plus être affiché : il n’est montré qu’une fois. S’il est perdu, révoquez-le et créez-en un autre.",
    include_expired: "Inclure les attestations expirées (marquées comme telles)",
    preview_empty: "Ce choix ne montre aucun cours pour l’instant.",
    dashboard: "Tableau de bord",
    courses: "Mes cours",
    empty: "Ajoutez un cours avant de composer un portfolio.",
};

pub static EN: BuilderLabels = BuilderLabels {
    preview_heading: "Preview of the portfolio",
    preview_button: "Update the preview",
    portfolio: "My portfolio",
    framing: "Framing",
    appetite: "Appetite for self-training",
    legitimacy: "Legitimacy in a field or theme",
    scope: "Field or theme",
    whole_record: "The whole record",
    field_prefix: "Field",
    theme_prefix: "Theme",
    language: "Language",
    include_uncertified: "Include courses followed without a certificate",
    advised: "Advised",
    download_pdf: "Download PDF",
    share_heading: "Share with a recruiter",
    label: "Who it is for (only you see this)",
    expires_in_days: "Expires in (days, empty: never)",
    create_share: "Create share link",
    shares: "My share links",
    link_created: "Link created",
    link_once: "Copy this link now: it is not shown again after 15 minutes.",
    views: "Views",
    last_view: "Last view",
    status: "Status",
    revoke: "Revoke",
    no_shares: "No links yet.",
    link_gone: "This link was created, but it can no longer be shown: it is shown only once. If it is lost, revoke it and create another.",
    include_expired: "Include expired certificates (marked as such)",
    preview_empty: "This choice shows no course yet.",
    dashboard: "Dashboard",
    courses: "My courses",
    empty: "Add a course before composing a portfolio.",
};

fn labels(lang: Lang) -> &'static BuilderLabels {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct BuilderPage {
    page: Page,
    t: &'static BuilderLabels,
    /// The recruiter page's words, for the preview (the same partial renders both).
    l: &'static super::labels::PageLabels,
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
            return Err(AppError::validation("framing", format!("`{}` is not a framing", self.framing)));
        }
        let (spec, lang) = self.asked();
        if spec.framing == Framing::Legitimacy && spec.scope == Scope::All {
            return Err(AppError::validation("scope", "the legitimacy framing needs a field or a theme"));
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
    let (profile, courses) = match state.db.record(who.id).await {
        Ok(r) => r,
        Err(e) => return AppError::from(e).into_response(),
    };
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
        l: super::labels::page_labels(pdf_lang),
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
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    private(html(status, page.render()))
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
        let created = match state.db.share_reveal(who.id, id, state.clock.now()).await {
            Ok(Some(token)) => {
                Some((labels(lang).link_created.to_owned(), format!("{}/s/{token}", state.config.public_url)))
            }
            Ok(None) => None,
            Err(e) => return AppError::from(e).into_response(),
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
        Err(e) => builder_with(&state, who, lang, None, Some(e.public_message()), Some(choice.asked())).await,
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
        Err(e) => builder_with(&state, who, lang, None, Some(e.public_message()), Some(choice.asked())).await,
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

/// How long a link just made can be shown again (a refresh, a back button) before only its
/// replacement can give the learner a URL to copy.
const REVEAL_SECS: i64 = 15 * 60;

/// `POST /portfolio/share`: creates the link, then redirects (post/redirect/get) to the builder
/// showing it, so that refreshing the page never creates a second link.
pub async fn share(
    State(state): State<AppState>,
    SignedIn { who, lang: ui_lang }: SignedIn,
    Form(form): Form<ShareForm>,
) -> Response {
    let result = async {
        let (spec, lang) = form.choice.spec()?;
        let expires_at = match form.expires_in_days.trim() {
            "" => None,
            days => {
                let days: i64 = days
                    .parse()
                    .ok()
                    .filter(|d| (1..=3650).contains(d))
                    .ok_or_else(|| AppError::validation("expires_in_days", "a number of days from 1 to 3650"))?;
                let at = time::OffsetDateTime::from_unix_timestamp(state.clock.now() + days * 86_400)
                    .map_err(AppError::internal)?;
                Some(at.format(&time::format_description::well_known::Rfc3339).map_err(AppError::internal)?)
            }
        };
        let (field, theme) = match spec.scope {
            Scope::All => (None, None),
            Scope::Field(f) => (Some(f), None),
            Scope::Theme(t) => (None, Some(t)),
        };
        let body = NewShareBody {
            framing: Some(spec.framing),
            portfolio: None,
            follow: false,
            field,
            theme,
            lang,
            include_uncertified: spec.include_uncertified,
            include_expired: spec.include_expired,
            label: Some(form.label.trim().to_owned()).filter(|l| !l.is_empty()),
            expires_at,
        };
        let created = create_share(&state, who, body).await?;
        let now = state.clock.now();
        state.db.put_share_reveal(who.id, created.share.id, created.token.clone(), now + REVEAL_SECS, now).await?;
        Ok::<_, AppError>(created.share.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/portfolio?created={id}")).into_response(),
        Err(e) => builder_with(&state, who, ui_lang, None, Some(e.public_message()), Some(form.choice.asked())).await,
    }
}

#[derive(Template)]
#[template(path = "shares.html")]
struct SharesPage {
    page: Page,
    t: &'static BuilderLabels,
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
}

pub async fn shares(State(state): State<AppState>, SignedIn { who, lang }: SignedIn) -> Response {
    let t = labels(lang);
    let list = match list_shares(&state, who).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let rows = list
        .shares
        .into_iter()
        .map(|s| {
            let framing = match (&s.field, &s.theme) {
                (Some(f), _) => format!("{} — {f}", t.legitimacy),
                (None, Some(th)) => format!("{} — {th}", t.legitimacy),
                _ => t.appetite.to_owned(),
            };
            ShareRow {
                id: s.id.to_string(),
                label: s.label.unwrap_or_default(),
                framing,
                active: s.status == "active",
                status: s.status,
                views: i18n::integer(lang, u64::try_from(s.views).unwrap_or(0)),
                last_view: s.last_viewed_at.unwrap_or_default(),
            }
        })
        .collect();
    private(html(
        StatusCode::OK,
        SharesPage { page: Page::learner(lang, t.shares.into(), "/shares"), t, rows }.render(),
    ))
}

pub async fn revoke(State(state): State<AppState>, SignedIn { who, .. }: SignedIn, Path(id): Path<String>) -> Response {
    let Ok(id) = uuid::Uuid::parse_str(&id) else { return AppError::NotFound.into_response() };
    match state.db.revoke_share(who.id, id, state.clock.now()).await {
        Ok(()) => Redirect::to("/shares").into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
