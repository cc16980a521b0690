//! Share links and the registry of generated PDFs.

use uuid::Uuid;

use super::sql::{Row, vals};
use super::{Db, Error, Result};
use crate::domain::Lang;
use crate::domain::portfolio::{Framing, Scope, Spec};

#[derive(Debug, Clone)]
pub struct NewShare {
    pub token_hash: [u8; 32],
    pub spec: Spec,
    pub lang: Option<Lang>,
    pub label: Option<String>,
    pub expires_at: Option<i64>,
    /// Made from a saved portfolio: its id, whether the link follows its later edits, and its
    /// settings as they are now (what a link that does not follow keeps showing).
    pub portfolio: Option<(Uuid, bool, crate::domain::saved::SavedPortfolio)>,
}

/// The saved portfolio a link was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareSource {
    /// `None` once that portfolio was deleted (the link then shows its snapshot).
    pub id: Option<Uuid>,
    pub name: String,
    /// The link shows the portfolio's later edits (else it shows it as it was when made).
    pub follows: bool,
}

/// A share link as stored (never its token).
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub id: Uuid,
    pub learner_id: Uuid,
    pub spec: Spec,
    pub lang: Option<Lang>,
    pub label: Option<String>,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
    pub view_count: i64,
    pub first_viewed_at: Option<i64>,
    pub last_viewed_at: Option<i64>,
    pub source: Option<ShareSource>,
}

impl Share {
    /// Whether the link opens at `now`: not revoked, not expired.
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|t| now < t)
    }
}

type ShareClaim = super::coalesce::Claim<[u8; 32], Option<(Share, i64)>>;

const SHARE_COLUMNS: &str = "id, learner_id, framing, field, theme, lang, include_uncertified, label, expires_at, \
                             revoked_at, created_at, view_count, first_viewed_at, last_viewed_at, include_expired, \
                             portfolio_id, follows, snapshot, \
                             (SELECT settings FROM portfolios WHERE portfolios.id = shares.portfolio_id)";

fn settings_at(row: &Row, idx: usize) -> Result<Option<crate::domain::saved::SavedPortfolio>> {
    let raw: Option<String> = row.get(idx)?;
    raw.map(|r| serde_json::from_str(&r).map_err(|e| Error::Corrupt(format!("column {idx}: {e}")))).transpose()
}

/// A link's spec: from its saved portfolio (as it is now when the link follows it, else as it
/// was when the link was made), else from its own columns.
fn share_from_row(row: &Row) -> Result<Share> {
    let mut share = plain_share_from_row(row)?;
    let portfolio_id: Option<String> = row.get(15)?;
    let follows: bool = row.get(16)?;
    let snapshot = settings_at(row, 17)?;
    let current = settings_at(row, 18)?;
    let shown = if follows { current.clone().or(snapshot.clone()) } else { snapshot.clone().or(current.clone()) };
    if let Some(settings) = shown {
        share.spec = settings.spec();
        share.lang = settings.lang.or(share.lang);
        share.source = Some(ShareSource {
            id: portfolio_id.and_then(|id| Uuid::parse_str(&id).ok()).filter(|_| current.is_some()),
            name: settings.name.clone(),
            follows,
        });
    }
    Ok(share)
}

fn plain_share_from_row(row: &Row) -> Result<Share> {
    let framing: String = row.get(2)?;
    let field: Option<String> = row.get(3)?;
    let theme: Option<String> = row.get(4)?;
    let lang: Option<String> = row.get(5)?;
    let scope = match (field, theme) {
        (Some(f), _) => Scope::Field(f),
        (None, Some(t)) => Scope::Theme(t),
        (None, None) => Scope::All,
    };
    Ok(Share {
        id: row.get(0)?,
        learner_id: row.get(1)?,
        spec: Spec {
            framing: Framing::from_str_opt(&framing).unwrap_or(Framing::Appetite),
            scope,
            include_uncertified: row.get(6)?,
            include_expired: row.get(14)?,
            shape: Default::default(),
        },
        lang: lang.as_deref().and_then(Lang::from_str_opt),
        label: row.get(7)?,
        expires_at: row.get(8)?,
        revoked_at: row.get(9)?,
        created_at: row.get(10)?,
        view_count: row.get(11)?,
        first_viewed_at: row.get(12)?,
        last_viewed_at: row.get(13)?,
        source: None,
    })
}

fn scope_columns(scope: &Scope) -> (Option<&str>, Option<&str>) {
    match scope {
        Scope::All => (None, None),
        Scope::Field(f) => (Some(f.as_str()), None),
        Scope::Theme(t) => (None, Some(t.as_str())),
    }
}

/// Views counted in memory since the last flush: (count, first, last) per share.
pub type ViewBatch = Vec<(Uuid, i64, i64, i64)>;

/// A generated PDF, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedPdf {
    pub sha256: String,
    pub code: String,
    pub learner_name: String,
    pub share_id: Option<Uuid>,
    pub framing: String,
    pub scope: Option<String>,
    pub lang: String,
    pub size: i64,
    pub created_at: i64,
    /// The fingerprint of what the PDF shows (`issue::content_key`), when it was recorded.
    pub content_key: Option<String>,
}

fn pdf_from_row(row: &Row) -> Result<GeneratedPdf> {
    let share: Option<String> = row.get(3)?;
    Ok(GeneratedPdf {
        sha256: row.get(0)?,
        code: row.get(1)?,
        learner_name: row.get(2)?,
        share_id: share.and_then(|s| Uuid::parse_str(&s).ok()),
        framing: row.get(4)?,
        scope: row.get(5)?,
        lang: row.get(6)?,
        size: row.get(7)?,
        created_at: row.get(8)?,
        content_key: row.get(9)?,
    })
}

const PDF_COLUMNS: &str = "sha256, code, learner_name, share_id, framing, scope, lang, size, created_at, content_key";

impl Db {
    pub async fn create_share(&self, learner: Uuid, new: NewShare, now: i64) -> Result<Share> {
        let snapshot = new
            .portfolio
            .as_ref()
            .map(|(_, _, settings)| serde_json::to_string(settings))
            .transpose()
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        self.write(move |tx| {
            // UUIDv7: ids that grow with time keep links made in one second in order.
            let id = Uuid::now_v7();
            let (field, theme) = scope_columns(&new.spec.scope);
            tx.execute(
                "INSERT INTO shares (id, learner_id, token_hash, framing, field, theme, lang, include_uncertified,
                                     label, expires_at, created_at, include_expired, portfolio_id, follows, snapshot)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                vals![
                    id,
                    learner,
                    new.token_hash,
                    new.spec.framing.as_str(),
                    field,
                    theme,
                    new.lang.map(Lang::as_str),
                    new.spec.include_uncertified,
                    new.label,
                    new.expires_at,
                    now,
                    new.spec.include_expired,
                    new.portfolio.as_ref().map(|(id, _, _)| id.to_string()),
                    new.portfolio.as_ref().is_some_and(|(_, follows, _)| *follows),
                    snapshot
                ],
            )?;
            share_from_row(&tx.query_one(&format!("SELECT {SHARE_COLUMNS} FROM shares WHERE id = $1"), vals![id])?)
        })
        .await
    }

    /// The learner's links, newest first.
    pub async fn list_shares(&self, learner: Uuid) -> Result<Vec<Share>> {
        self.read(move |tx| {
            tx.query(
                &format!("SELECT {SHARE_COLUMNS} FROM shares WHERE learner_id = $1 ORDER BY created_at DESC, id DESC"),
                vals![learner],
            )?
            .iter()
            .map(share_from_row)
            .collect()
        })
        .await
    }

    /// Revokes one of the learner's links (at once: the next read of it is a 404).
    pub async fn revoke_share(&self, learner: Uuid, id: Uuid, now: i64) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE shares SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND learner_id = $2",
                vals![id, learner, now],
            )?;
            if n == 0 { Err(Error::NotFound) } else { Ok(()) }
        })
        .await
    }

    /// Sets (or clears, `None`) a live link's expiry.
    pub async fn set_share_expiry(&self, learner: Uuid, id: Uuid, expires_at: Option<i64>) -> Result<Share> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE shares SET expires_at = $3 WHERE id = $1 AND learner_id = $2 AND revoked_at IS NULL",
                vals![id, learner, expires_at],
            )?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            share_from_row(&tx.query_one(&format!("SELECT {SHARE_COLUMNS} FROM shares WHERE id = $1"), vals![id])?)
        })
        .await
    }

    /// Replaces a link in one transaction: a copy of it under a new token (same framing, label,
    /// expiry, source; no views yet), the old one revoked. For a link whose URL was lost or
    /// sent to the wrong person.
    pub async fn replace_share(&self, learner: Uuid, id: Uuid, token_hash: [u8; 32], now: i64) -> Result<Share> {
        self.write(move |tx| {
            let new_id = Uuid::now_v7();
            let n = tx.execute(
                "INSERT INTO shares (id, learner_id, token_hash, framing, field, theme, lang, include_uncertified,
                                     label, expires_at, created_at, include_expired, portfolio_id, follows, snapshot)
                 SELECT $3, learner_id, $4, framing, field, theme, lang, include_uncertified, label, expires_at, $5,
                        include_expired, portfolio_id, follows, snapshot
                 FROM shares WHERE id = $1 AND learner_id = $2 AND revoked_at IS NULL",
                vals![id, learner, new_id, token_hash, now],
            )?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            tx.execute("UPDATE shares SET revoked_at = $2 WHERE id = $1", vals![id, now])?;
            share_from_row(&tx.query_one(&format!("SELECT {SHARE_COLUMNS} FROM shares WHERE id = $1"), vals![new_id])?)
        })
        .await
    }

    /// The link a token opens, live or not (the caller decides; all dead links look alike),
    /// with its owner's record revision (for page caching). Read from the database each time,
    /// so a revocation made on any instance is seen at once; concurrent opens of one link
    /// share a query that started after they asked (`coalesce.rs`), which gives each the same
    /// guarantee. On SQLite too: there the lookup is no round trip, but its hand-off to a
    /// storage thread and back was most of what a cached page cost beyond a static file.
    pub async fn share_by_token(&self, token_hash: [u8; 32]) -> Result<Option<(Share, i64)>> {
        let db = self.clone();
        self.inner
            .share_lookups
            .get(token_hash, move |hash, claim| {
                let db = db.clone();
                async move { db.share_by_token_now(hash, claim).await }
            })
            .await
    }

    async fn share_by_token_now(&self, token_hash: [u8; 32], claim: ShareClaim) -> Result<Option<(Share, i64)>> {
        self.lookup(
            format!(
                "SELECT {SHARE_COLUMNS}, (SELECT revision FROM learners WHERE id = shares.learner_id)
                 FROM shares WHERE token_hash = $1"
            ),
            vals![token_hash].to_vec(),
            move || claim.now(),
        )
        .await?
        .map(|r| Ok((share_from_row(&r)?, r.get(19)?)))
        .transpose()
    }

    /// Adds counted views in one transaction.
    pub async fn add_views(&self, batch: ViewBatch) -> Result<()> {
        self.write(move |tx| {
            // Additive, so that every instance's counts add up.
            for (id, count, first, last) in &batch {
                tx.execute(
                    "UPDATE shares SET view_count = view_count + $2,
                            first_viewed_at = coalesce(first_viewed_at, $3),
                            last_viewed_at = CASE WHEN last_viewed_at IS NULL OR last_viewed_at < $4 THEN $4
                                                  ELSE last_viewed_at END
                     WHERE id = $1",
                    vals![id, count, first, last],
                )?;
            }
            Ok(())
        })
        .await
    }

    pub async fn register_pdf(&self, learner: Uuid, pdf: GeneratedPdf) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO generated_pdfs
                    (sha256, code, learner_id, learner_name, share_id, framing, scope, lang, size, created_at,
                     content_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT DO NOTHING",
                vals![
                    pdf.sha256,
                    pdf.code,
                    learner,
                    pdf.learner_name,
                    pdf.share_id,
                    pdf.framing,
                    pdf.scope,
                    pdf.lang,
                    pdf.size,
                    pdf.created_at,
                    pdf.content_key
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// The PDF last registered for `learner` with this content fingerprint (the key covers the
    /// link, so one link's PDF is never another's).
    pub async fn pdf_by_content(&self, learner: Uuid, content_key: String) -> Result<Option<GeneratedPdf>> {
        self.read(move |tx| {
            tx.query_opt(
                &format!(
                    "SELECT {PDF_COLUMNS} FROM generated_pdfs WHERE learner_id = $1 AND content_key = $2
                     ORDER BY created_at DESC, sha256 LIMIT 1"
                ),
                vals![learner, content_key],
            )?
            .map(|r| pdf_from_row(&r))
            .transpose()
        })
        .await
    }

    /// Keeps a link's token until `expires_at`, for the page that shows it; drops expired ones.
    pub async fn put_share_reveal(
        &self,
        learner: Uuid,
        share: Uuid,
        token: String,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        self.write(move |tx| {
            tx.execute("DELETE FROM share_reveals WHERE expires_at <= $1", vals![now])?;
            tx.execute(
                "INSERT INTO share_reveals (share_id, learner_id, token, expires_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (share_id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at",
                vals![share, learner, token, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    /// The token of a link `learner` just made, while it may still be shown.
    pub async fn share_reveal(&self, learner: Uuid, share: Uuid, now: i64) -> Result<Option<String>> {
        self.read(move |tx| {
            tx.query_opt(
                "SELECT token FROM share_reveals WHERE share_id = $1 AND learner_id = $2 AND expires_at > $3",
                vals![share, learner, now],
            )?
            .map(|r| r.get(0))
            .transpose()
        })
        .await
    }

    /// The learner's record revision (bumped by every change to what a portfolio shows).
    pub async fn revision(&self, learner: Uuid) -> Result<i64> {
        self.read_one(move |tx| tx.query_value("SELECT revision FROM learners WHERE id = $1", vals![learner])).await
    }

    pub async fn pdf_by_sha256(&self, sha256: String) -> Result<Option<GeneratedPdf>> {
        self.read(move |tx| {
            tx.query_opt(&format!("SELECT {PDF_COLUMNS} FROM generated_pdfs WHERE sha256 = $1"), vals![sha256])?
                .map(|r| pdf_from_row(&r))
                .transpose()
        })
        .await
    }

    pub async fn pdf_by_code(&self, code: String) -> Result<Option<GeneratedPdf>> {
        self.read(move |tx| {
            tx.query_opt(&format!("SELECT {PDF_COLUMNS} FROM generated_pdfs WHERE code = $1"), vals![code])?
                .map(|r| pdf_from_row(&r))
                .transpose()
        })
        .await
    }
}
