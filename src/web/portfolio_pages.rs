//! The portfolio builder (`/portfolio`: framing with the advice, field or theme from the
//! learner's own record, language; download the PDF; create a share link) and the list of
//! share links (`/shares`: views, last view, revoke).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
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

pub struct BuilderLabels {
    pub portfolio: &'static str,
    pub preview_heading: &'static str,
    pub preview_button: &'static str,
    /// "and N more entries" after the previewed ones.
    pub more_entries: (&'static str, &'static str),
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
    pub dashboard: &'static str,
    pub courses: &'static str,
    pub empty: &'static str,
}

pub static FR: BuilderLabels = BuilderLabels {
    preview_heading: "Aperçu de la page 1",
    preview_button: "Voir l’aperçu de la page 1",
    more_entries: ("et {} autre entrée dans le PDF", "et {} autres entrées dans le PDF"),
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
    link_once: "Copiez ce lien maintenant : il ne sera plus affiché.",
    views: "Vues",
    last_view: "Dernière vue",
    status: "État",
    revoke: "Révoquer",
    no_shares: "Aucun lien pour l’instant.",
    dashboard: "Tableau de bord",
    courses: "Mes cours",
    empty: "Ajoutez un cours avant de composer un portfolio.",
};

pub static EN: BuilderLabels = BuilderLabels {
    preview_heading: "Preview of page 1",
    preview_button: "Preview page 1",
    more_entries: ("and {} more entry in the PDF", "and {} more entries in the PDF"),
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
    link_once: "Copy this link now: it will not be shown again.",
    views: "Views",
    last_view: "Last view",
    status: "Status",
    revoke: "Revoke",
    no_shares: "No links yet.",
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
    /// (value, label, advised) for the scope select: "", "field:X", "theme:Y".
    scopes: Vec<(String, String, bool)>,
    advised_framing: &'static str,
    reasons: Vec<String>,
    lang: &'static str,
    selected_framing: &'static str,
    selected_scope: String,
    include_uncertified: bool,
    preview: Option<super::share_page::Preview>,
    more_text: Option<String>,
    name: String,
    empty: bool,
    created: Option<(String, String)>,
    error: Option<String>,
}

/// The framing, scope and language a builder form sends.
#[derive(Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    framing: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    include_uncertified: Option<String>,
}

impl Choice {
    fn spec(&self) -> Result<(Spec, Option<Lang>), AppError> {
        let framing = Framing::from_str_opt(&self.framing)
            .ok_or_else(|| AppError::validation("framing", format!("`{}` is not a framing", self.framing)))?;
        let scope = match self.scope.split_once(':') {
            Some(("field", f)) if framing == Framing::Legitimacy => Scope::Field(f.to_owned()),
            Some(("theme", t)) if framing == Framing::Legitimacy => Scope::Theme(t.to_owned()),
            _ => Scope::All,
        };
        let lang = Lang::from_str_opt(&self.lang);
        Ok((Spec { framing, scope, include_uncertified: self.include_uncertified.is_some() }, lang))
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

/// The builder with `chosen` options (from its "Preview page 1" button) instead of the advised
/// ones, and page 1 of what they select previewed.
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
    let doc = crate::storage::courses::as_document(profile, &courses);
    let t = labels(lang);
    let advice = (!doc.courses.is_empty()).then(|| advise(&doc));
    let mut fields: Vec<String> = doc.courses.iter().filter_map(|c| c.field.clone()).collect();
    fields.sort();
    fields.dedup();
    let mut themes: Vec<String> = doc.courses.iter().flat_map(|c| c.themes.iter().cloned()).collect();
    themes.sort();
    themes.dedup();
    let advised_field = advice.as_ref().and_then(|a| a.field.clone());
    let advised_theme = advice.as_ref().and_then(|a| a.theme.clone());
    let sep = if lang == Lang::Fr { "\u{a0}: " } else { ": " };
    let mut scopes = vec![(String::new(), t.whole_record.to_owned(), false)];
    scopes.extend(fields.into_iter().map(|f| {
        let advised = advised_field.as_ref() == Some(&f);
        (format!("field:{f}"), format!("{}{sep}{f}", t.field_prefix), advised)
    }));
    scopes.extend(themes.into_iter().map(|th| {
        let advised = advised_theme.as_ref() == Some(&th);
        (format!("theme:{th}"), format!("{}{sep}{th}", t.theme_prefix), advised)
    }));
    // What the form shows selected, and what page 1 previews: the learner's last choice, else
    // the advice.
    let advised_spec = Spec {
        framing: advice.as_ref().map_or(Framing::Appetite, |a| a.framing),
        scope: match (&advised_field, &advised_theme) {
            (Some(f), _) => Scope::Field(f.clone()),
            (None, Some(th)) => Scope::Theme(th.clone()),
            (None, None) => Scope::All,
        },
        include_uncertified: false,
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
    let preview = super::share_page::preview(&doc, &courses, &spec, pdf_lang, state.clock.now());
    let more_text = preview.as_ref().filter(|p| p.more > 0).map(|p| {
        let (one, many) = t.more_entries;
        let n = u64::try_from(p.more).unwrap_or(u64::MAX);
        (if n == 1 { one } else { many }).replace("{}", &i18n::integer(lang, n))
    });
    let page = BuilderPage {
        page: Page::learner(lang, t.portfolio.into(), "/portfolio"),
        t,
        scopes,
        advised_framing: advice.as_ref().map_or("appetite", |a| a.framing.as_str()),
        // The reasons in the page's language, like the rest of the builder.
        reasons: advice.map(|a| i18n::advice_reasons(lang, &a.reasons)).unwrap_or_default(),
        // The PDF's language: the one chosen, else the record's, else the page's.
        lang: pdf_lang.as_str(),
        selected_framing: spec.framing.as_str(),
        selected_scope,
        include_uncertified: spec.include_uncertified,
        preview,
        more_text,
        name: doc.learner.name.clone(),
        empty: doc.courses.is_empty(),
        created,
        error,
    };
    private(html(StatusCode::OK, page.render()))
}

/// `GET /portfolio`, and `GET /portfolio?framing=&scope=&lang=` from the "Preview page 1"
/// button: the builder with those options chosen and page 1 previewed.
pub async fn page(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Query(choice): Query<Choice>,
) -> Response {
    if choice.framing.is_empty() {
        return builder(&state, who, lang, None, None).await;
    }
    match choice.spec() {
        Ok(chosen) => builder_with(&state, who, lang, None, None, Some(chosen)).await,
        Err(e) => builder(&state, who, lang, None, Some(e.public_message())).await,
    }
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
        // The learner's own portfolio: never kept by the browser or a proxy.
        Ok(issued) => super::private(
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"portfolio-{}.pdf\"", issued.code)),
                ],
                issued.bytes,
            )
                .into_response(),
        ),
        Err(e) => builder(&state, who, lang, None, Some(e.public_message())).await,
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
            framing: spec.framing,
            field,
            theme,
            lang,
            include_uncertified: spec.include_uncertified,
            label: Some(form.label.trim().to_owned()).filter(|l| !l.is_empty()),
            expires_at,
        };
        create_share(&state, who, body).await
    }
    .await;
    match result {
        Ok(created) => {
            builder(&state, who, ui_lang, Some((labels(ui_lang).link_created.to_owned(), created.url)), None).await
        }
        Err(e) => builder(&state, who, ui_lang, None, Some(e.public_message())).await,
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
