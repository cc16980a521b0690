//! Share links: create one (its token shown once), list them with their views, revoke one. The
//! API (`api::shares`) and the portfolio pages (`web::portfolio_pages`) both go through here.

use uuid::Uuid;

use crate::auth::new_token;
use crate::domain::portfolio::{Scope, Spec};
use crate::domain::text::{MAX_NAME, MAX_SHORT, check_line};
use crate::domain::{Lang, Problem};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::shares::{NewShare, Share};

/// What a link shows: a framing with its options, or a saved portfolio.
pub enum ShareOf {
    Spec(Spec),
    /// A saved portfolio (`/api/v1/portfolios`); `follow`: the link shows its later edits (else
    /// it shows it as it is now).
    Saved {
        id: Uuid,
        follow: bool,
    },
}

/// What a new link shows and for how long.
pub struct ShareRequest {
    pub what: ShareOf,
    /// The page's language; `None`: the learner's.
    pub lang: Option<Lang>,
    /// Who the link is for, shown to the learner only.
    pub label: Option<String>,
    /// Unix seconds after which the link answers 404; must be in the future.
    pub expires_at: Option<i64>,
}

/// A link just made: the only time its token exists outside the recipient's hands.
pub struct Created {
    pub share: Share,
    pub token: String,
    pub url: String,
}

/// How long a link just made can be shown again on the builder (a refresh, a back button)
/// before only a new link can give the learner a URL to copy.
pub const REVEAL_SECS: i64 = 15 * 60;

/// An expiry must be in the future (a refusal names `expires_at`).
fn check_future(expires_at: Option<i64>, now: i64) -> AppResult<()> {
    if expires_at.is_some_and(|t| t <= now) {
        return Err(AppError::validation("expires_at", Problem::NotInFuture));
    }
    Ok(())
}

/// Creates a share link: every value checked (a refusal names `field`, `theme`, `label`,
/// `portfolio` or `expires_at`), and the link must show something today, by the same check as
/// the PDF.
pub async fn create(state: &AppState, learner: Uuid, request: ShareRequest) -> AppResult<Created> {
    let now = state.clock.now();
    if let Some(label) = &request.label {
        check_line("label", label, MAX_NAME)?;
    }
    check_future(request.expires_at, now)?;
    let (spec, portfolio, lang) = match request.what {
        ShareOf::Spec(spec) => {
            match &spec.scope {
                Scope::Field(f) => check_line("field", f, MAX_SHORT)?,
                Scope::Theme(t) => check_line("theme", t, MAX_SHORT)?,
                Scope::All => {}
            }
            (spec, None, request.lang)
        }
        ShareOf::Saved { id, follow } => {
            let saved = state.db.portfolio(learner, id).await.map_err(|e| match e {
                crate::storage::Error::NotFound => AppError::validation("portfolio", Problem::NoSuchPortfolio),
                other => other.into(),
            })?;
            let lang = request.lang.or(saved.settings.lang);
            (saved.settings.spec(), Some((id, follow, saved.settings)), lang)
        }
    };
    let (profile, courses) = state.db.record(learner).await?;
    let record = crate::storage::courses::as_record(profile, &courses);
    let shown_lang = lang.or(record.learner.lang).unwrap_or_default();
    let shown = crate::presentation::present(&record, &spec, shown_lang, now).map_err(crate::issue::select_error)?;
    crate::issue::refuse_empty(&shown)?;

    let token = new_token()?;
    let new = NewShare {
        token_hash: token.hash,
        spec,
        lang,
        label: request.label,
        expires_at: request.expires_at,
        portfolio,
    };
    let share = state.db.create_share(learner, new, now).await?;
    tracing::info!(learner = %learner, share = %share.id, "share link created");
    let url = format!("{}/s/{}", state.config.public_url, token.token);
    Ok(Created { share, token: token.token, url })
}

/// Keeps a link just made showable to its learner for [`REVEAL_SECS`] (the builder shows it
/// after its post/redirect/get), then forgets it.
pub async fn keep_for_reveal(state: &AppState, learner: Uuid, created: &Created) -> AppResult<()> {
    let now = state.clock.now();
    Ok(state.db.put_share_reveal(learner, created.share.id, created.token.clone(), now + REVEAL_SECS, now).await?)
}

/// The URL of a link just made, while it may still be shown.
pub async fn reveal(state: &AppState, learner: Uuid, share: Uuid) -> AppResult<Option<String>> {
    let token = state.db.share_reveal(learner, share, state.clock.now()).await?;
    Ok(token.map(|t| format!("{}/s/{t}", state.config.public_url)))
}

/// Whether a link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareStatus {
    Active,
    Expired,
    Revoked,
}

impl ShareStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShareStatus::Active => "active",
            ShareStatus::Expired => "expired",
            ShareStatus::Revoked => "revoked",
        }
    }
}

/// A link as its learner sees it: its views include those still counted in memory.
pub struct Listed {
    pub share: Share,
    pub status: ShareStatus,
    pub views: i64,
    pub first_viewed_at: Option<i64>,
    pub last_viewed_at: Option<i64>,
}

/// One link with its status and views at `now`.
pub fn listed(state: &AppState, share: Share, now: i64) -> Listed {
    let status = if share.revoked_at.is_some() {
        ShareStatus::Revoked
    } else if share.is_live(now) {
        ShareStatus::Active
    } else {
        ShareStatus::Expired
    };
    let (mut views, mut first, mut last) = (share.view_count, share.first_viewed_at, share.last_viewed_at);
    if let Some((count, f, l)) = state.views.pending(share.id) {
        views += count;
        first = Some(first.map_or(f, |x| x.min(f)));
        last = Some(last.map_or(l, |x| x.max(l)));
    }
    Listed { share, status, views, first_viewed_at: first, last_viewed_at: last }
}

/// The learner's links with their views, newest first.
pub async fn list(state: &AppState, learner: Uuid) -> AppResult<Vec<Listed>> {
    let now = state.clock.now();
    Ok(state.db.list_shares(learner).await?.into_iter().map(|s| listed(state, s, now)).collect())
}

/// Sets a live link's expiry (`None`: never), which must be in the future.
pub async fn change_expiry(state: &AppState, learner: Uuid, share: Uuid, expires_at: Option<i64>) -> AppResult<Listed> {
    let now = state.clock.now();
    check_future(expires_at, now)?;
    let share = state.db.set_share_expiry(learner, share, expires_at).await?;
    Ok(listed(state, share, now))
}

/// Replaces a link: a new URL for the same portfolio, the old link revoked at once.
pub async fn replace(state: &AppState, learner: Uuid, share: Uuid) -> AppResult<Created> {
    let token = new_token()?;
    let share = state.db.replace_share(learner, share, token.hash, state.clock.now()).await?;
    tracing::info!(learner = %learner, share = %share.id, "share link replaced; the old one revoked");
    let url = format!("{}/s/{}", state.config.public_url, token.token);
    Ok(Created { share, token: token.token, url })
}

/// Revokes a link: it answers 404 from the next request on.
pub async fn revoke(state: &AppState, learner: Uuid, share: Uuid) -> AppResult<()> {
    state.db.revoke_share(learner, share, state.clock.now()).await?;
    tracing::info!(learner = %learner, "share link revoked");
    Ok(())
}
