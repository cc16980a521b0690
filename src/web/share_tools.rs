//! The sharing tools (issue 12): a link made from a saved portfolio (as it is now, or following
//! its edits: the learner's choice, said on the page); the page of one link (`/shares/{id}`)
//! with the URL to copy (a button with `/static/builder.js`, the field is selectable without),
//! its QR code and a `mailto:`; the list of links with label, portfolio, expiry and views in the
//! page's language, the expiry changed and a lost link replaced in one step (the old revoked).
//!
//! Only a hash of each token is stored: the URL can be shown again only for the few minutes
//! `service::shares::keep_for_reveal` keeps it after creation; after that, "see it again"
//! is "replace it".

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::forms::{self, FieldError, FormFields};
use super::saved_pages::{ShareDraft, framing_words};
use super::{Page, SignedIn, html, html_scripted, private};
use crate::domain::{Lang, Problem};
use crate::error::AppError;
use crate::i18n::{self, BuilderLabels, SavedLabels};
use crate::service::shares::{self, Listed, ShareOf, ShareRequest, ShareStatus};
use crate::state::AppState;

fn labels(lang: Lang) -> &'static SavedLabels {
    &i18n::strings(lang).saved
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn value<'a>(fields: &'a [(String, String)], key: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

/// "30" → 30 days from `now`; empty → no expiry; anything else is refused, naming the field.
fn expiry(days: &str, now: i64) -> Result<Option<i64>, AppError> {
    match days.trim() {
        "" => Ok(None),
        d => {
            let d: i64 =
                d.parse().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| {
                    AppError::validation("expires_in_days", Problem::NotADayCount { min: 1, max: 3650 })
                })?;
            Ok(Some(now + d * 86_400))
        }
    }
}

/// The share form's fields (on the builder) and the expiry form's (on the list).
struct ShareFields;

impl FormFields for ShareFields {
    fn label(lang: Lang, field: &str) -> Option<&'static str> {
        let b = &i18n::strings(lang).builder;
        Some(match field {
            "label" => b.label,
            "expires_in_days" | "expires_at" => b.expires_in_days,
            _ => return None,
        })
    }
}

/// `POST /portfolios/{id}/share`: a link to the saved portfolio, as it is now or following it;
/// then its page (post/redirect/get: a refresh never makes a second link).
pub async fn create(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(id) = parse_id(&id) else { return AppError::NotFound.into_response() };
    // Another learner's portfolio is not found, before anything is read from the form.
    if let Err(e) = state.db.portfolio(who.id, id).await {
        return AppError::from(e).into_response();
    }
    let fields = pairs(&body);
    let label = value(&fields, "label").to_owned();
    let days = value(&fields, "expires_in_days").to_owned();
    let follow = value(&fields, "mode") == "follow";
    let attempt = async {
        let expires_at = expiry(&days, state.clock.now())?;
        let label = Some(label.trim().to_owned()).filter(|l| !l.is_empty());
        let request = ShareRequest { what: ShareOf::Saved { id, follow }, lang: None, label, expires_at };
        let created = shares::create(&state, who.id, request).await?;
        shares::keep_for_reveal(&state, who.id, &created).await?;
        Ok::<_, AppError>(created.share.id)
    };
    let (state, label, days) = (&state, &label, &days);
    forms::submit::<ShareFields, _, _, _>(
        lang,
        attempt,
        |share| Redirect::to(&format!("/shares/{share}")).into_response(),
        |refused| async move {
            let share = ShareDraft { label: label.clone(), days: days.clone(), follow, error: Some(refused) };
            super::saved_pages::stored_page(state, who.id, lang, id, share)
                .await
                .unwrap_or_else(IntoResponse::into_response)
        },
    )
    .await
}

/// One link as the pages show it.
struct ShareRow {
    id: String,
    label: String,
    framing: String,
    /// The saved portfolio it was made from, and whether it follows it, in words.
    portfolio: Option<(String, &'static str)>,
    status: &'static str,
    active: bool,
    views: String,
    last_view: String,
    expires: String,
    /// The days left, for the expiry field ("" when it never expires).
    days_left: String,
    follows: Option<bool>,
}

fn row(lang: Lang, s: Listed, now: i64) -> ShareRow {
    let b = &i18n::strings(lang).builder;
    let t = labels(lang);
    let follows = s.share.source.as_ref().map(|src| src.follows);
    ShareRow {
        id: s.share.id.to_string(),
        label: s.share.label.clone().unwrap_or_default(),
        framing: framing_words(lang, s.share.spec.framing, &s.share.spec.scope),
        portfolio: s
            .share
            .source
            .as_ref()
            .map(|src| (src.name.clone(), if src.follows { t.shows_follow } else { t.shows_snapshot })),
        active: s.status == ShareStatus::Active,
        status: match s.status {
            ShareStatus::Active => b.status_active,
            ShareStatus::Expired => b.status_expired,
            ShareStatus::Revoked => b.status_revoked,
        },
        views: i18n::integer(lang, u64::try_from(s.views).unwrap_or(0)),
        last_view: s.last_viewed_at.map(|t| i18n::date_time(lang, t)).unwrap_or_default(),
        expires: s.share.expires_at.map_or_else(|| t.never.to_owned(), |t| i18n::date_time(lang, t)),
        days_left: s
            .share
            .expires_at
            .filter(|t| *t > now)
            .map(|t| ((t - now + 86_399) / 86_400).to_string())
            .unwrap_or_default(),
        follows,
    }
}

#[derive(Template)]
#[template(path = "shares.html")]
struct SharesPage {
    page: Page,
    t: &'static SavedLabels,
    b: &'static BuilderLabels,
    rows: Vec<ShareRow>,
    notice: Option<&'static str>,
    /// The link whose expiry was refused, the message and what was typed.
    error: Option<(String, FieldError, String)>,
}

impl SharesPage {
    fn error_for(&self, id: &str) -> Option<&str> {
        self.error.as_ref().filter(|(i, _, _)| i == id).map(|(_, e, _)| e.message.as_str())
    }

    fn typed(&self, id: &str) -> Option<&str> {
        self.error.as_ref().filter(|(i, _, _)| i == id).map(|(_, _, typed)| typed.as_str())
    }
}

async fn shares_page(
    state: &AppState,
    learner: Uuid,
    lang: Lang,
    notice: Option<&'static str>,
    error: Option<(String, FieldError, String)>,
) -> Result<SharesPage, AppError> {
    let t = labels(lang);
    let b = &i18n::strings(lang).builder;
    let now = state.clock.now();
    let rows = shares::list(state, learner).await?.into_iter().map(|s| row(lang, s, now)).collect();
    Ok(SharesPage { page: Page::learner(lang, b.shares.into(), "/shares"), t, b, rows, notice, error })
}

/// `GET /shares`: every link with its label, portfolio, expiry and views.
pub async fn list(State(state): State<AppState>, SignedIn { who, lang }: SignedIn, RawQuery(q): RawQuery) -> Response {
    let fields = pairs(q.as_deref().unwrap_or("").as_bytes());
    let notice = match value(&fields, "done") {
        "expiry" => Some(labels(lang).expiry_changed),
        _ => None,
    };
    match shares_page(&state, who.id, lang, notice, None).await {
        Ok(page) => private(html(StatusCode::OK, page.render())),
        Err(e) => e.into_response(),
    }
}

/// `POST /shares/{id}/expiry`: a new expiry for a live link (days from today; empty: never).
pub async fn change_expiry(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(id) = parse_id(&id) else { return AppError::NotFound.into_response() };
    let fields = pairs(&body);
    let days = value(&fields, "expires_in_days").to_owned();
    let attempt = async {
        let at = expiry(&days, state.clock.now())?;
        shares::change_expiry(&state, who.id, id, at).await
    };
    let (state, days) = (&state, &days);
    forms::submit::<ShareFields, _, _, _>(
        lang,
        attempt,
        |_| Redirect::to("/shares?done=expiry").into_response(),
        |refused| async move {
            match shares_page(state, who.id, lang, None, Some((id.to_string(), refused, days.clone()))).await {
                Ok(page) => html(StatusCode::UNPROCESSABLE_ENTITY, page.render()),
                Err(e) => e.into_response(),
            }
        },
    )
    .await
}

/// `POST /shares/{id}/replace`: a new link for the same portfolio, the old one revoked, then
/// the new link's page.
pub async fn replace(
    State(state): State<AppState>,
    SignedIn { who, .. }: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = parse_id(&id) else { return AppError::NotFound.into_response() };
    let done = async {
        let created = shares::replace(&state, who.id, id).await?;
        shares::keep_for_reveal(&state, who.id, &created).await?;
        Ok::<_, AppError>(created.share.id)
    };
    match done.await {
        Ok(new) => Redirect::to(&format!("/shares/{new}?done=replaced")).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "share_link.html")]
struct LinkPage {
    page: Page,
    t: &'static SavedLabels,
    b: &'static BuilderLabels,
    share: ShareRow,
    /// The URL, while it may still be shown (see the module comment).
    url: Option<String>,
    qr: Option<String>,
    mailto: String,
    notice: Option<&'static str>,
}

/// Percent-encodes everything but the unreserved characters (a `mailto:` query, RFC 6068).
fn mail_encode(text: &str) -> String {
    crate::domain::text::percent_encode(text, b"-._~")
}

/// `GET /shares/{id}`: one link: what it shows, until when, its views; the URL with a copy
/// button, its QR code and an email while it can still be shown, else the way to replace it.
pub async fn link_page(
    State(state): State<AppState>,
    SignedIn { who, lang }: SignedIn,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let shown = async {
        let id = parse_id(&id)?;
        let now = state.clock.now();
        let listed =
            shares::list(&state, who.id).await?.into_iter().find(|s| s.share.id == id).ok_or(AppError::NotFound)?;
        let active = listed.status == ShareStatus::Active;
        let url = if active { shares::reveal(&state, who.id, id).await? } else { None };
        let t = labels(lang);
        let qr = url.as_deref().and_then(|u| super::qr::svg(u, t.qr));
        let mailto = url.as_deref().map_or_else(String::new, |u| {
            format!(
                "mailto:?subject={}&body={}",
                mail_encode(t.mail_subject),
                mail_encode(&format!("{} {u}", t.mail_body))
            )
        });
        let fields = pairs(q.as_deref().unwrap_or("").as_bytes());
        let notice = (value(&fields, "done") == "replaced").then_some(t.replaced);
        let mut page = Page::learner(lang, t.link_heading.into(), "/shares");
        page.script = true;
        let page = LinkPage {
            page,
            t,
            b: &i18n::strings(lang).builder,
            share: row(lang, listed, now),
            url,
            qr,
            mailto,
            notice,
        };
        Ok::<_, AppError>(private(html_scripted(StatusCode::OK, page.render())))
    };
    shown.await.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_body_is_percent_encoded_and_an_expiry_is_days_from_now() {
        assert_eq!(mail_encode("Voici : https://x.org/s/a_b-c?d"), "Voici%20%3A%20https%3A%2F%2Fx.org%2Fs%2Fa_b-c%3Fd");
        assert_eq!(expiry("", 100).unwrap(), None);
        assert_eq!(expiry(" 2 ", 100).unwrap(), Some(100 + 2 * 86_400));
        for bad in ["0", "3651", "-1", "deux", "1.5"] {
            assert!(matches!(expiry(bad, 0), Err(AppError::Validation(v)) if v.path == "expires_in_days"), "{bad}");
        }
    }
}
