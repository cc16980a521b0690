//! Saved portfolios (issue 12): one row per portfolio a learner keeps, its settings as JSON.
//! Every change bumps the learner's record revision in the same transaction, so that a share
//! page following the portfolio is rendered again at once.

use uuid::Uuid;

use super::sql::{Row, Tx, vals};
use super::{Db, Error, Result, is_unique_violation};
use crate::domain::saved::{MAX_SAVED, SavedPortfolio};

/// A saved portfolio as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPortfolio {
    pub id: Uuid,
    pub settings: SavedPortfolio,
    pub created_at: i64,
    pub updated_at: i64,
}

fn from_row(row: &Row) -> Result<StoredPortfolio> {
    let raw: String = row.get(1)?;
    let settings = serde_json::from_str(&raw).map_err(|e| Error::Corrupt(format!("portfolio settings: {e}")))?;
    Ok(StoredPortfolio { id: row.get(0)?, settings, created_at: row.get(2)?, updated_at: row.get(3)? })
}

const COLUMNS: &str = "id, settings, created_at, updated_at";

fn conflict(name: &str) -> Error {
    Error::Conflict(crate::domain::Problem::PortfolioNameTaken {
        name: crate::domain::text::excerpt(name).into_owned(),
    })
}

pub(super) use super::bump_revision;

/// In the order they were made: by time, then by id (UUIDv7 ids, which grow with time, are
/// given to new portfolios so that two made in one second keep their order on any engine).
pub(super) fn list_in(tx: &Tx<'_>, learner: Uuid) -> Result<Vec<StoredPortfolio>> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM portfolios WHERE learner_id = $1 ORDER BY created_at, id"),
        vals![learner],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// Writes `settings` as the portfolio named so (created when no such name exists), in `tx`.
pub(super) fn put_by_name(tx: &Tx<'_>, learner: Uuid, settings: &SavedPortfolio, now: i64) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| Error::Corrupt(e.to_string()))?;
    let existing =
        tx.query_opt("SELECT id FROM portfolios WHERE learner_id = $1 AND name = $2", vals![learner, settings.name])?;
    match existing {
        Some(row) => {
            let id: String = row.get(0)?;
            tx.execute("UPDATE portfolios SET settings = $2, updated_at = $3 WHERE id = $1", vals![id, json, now])?;
        }
        None => {
            tx.execute(
                "INSERT INTO portfolios (id, learner_id, name, settings, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
                vals![Uuid::now_v7(), learner, settings.name, json, now],
            )?;
        }
    }
    Ok(())
}

impl Db {
    pub async fn list_portfolios(&self, learner: Uuid) -> Result<Vec<StoredPortfolio>> {
        self.read(move |tx| list_in(tx, learner)).await
    }

    /// One of the learner's portfolios; another learner's id is [`Error::NotFound`].
    pub async fn portfolio(&self, learner: Uuid, id: Uuid) -> Result<StoredPortfolio> {
        self.read(move |tx| {
            from_row(&tx.query_one(
                &format!("SELECT {COLUMNS} FROM portfolios WHERE id = $1 AND learner_id = $2"),
                vals![id, learner],
            )?)
        })
        .await
    }

    /// Keeps a new portfolio (validated by the caller); a name already used is a conflict.
    pub async fn create_portfolio(&self, learner: Uuid, settings: SavedPortfolio, now: i64) -> Result<StoredPortfolio> {
        self.write_for(learner, move |tx| {
            let count: i64 = tx.query_value("SELECT count(*) FROM portfolios WHERE learner_id = $1", vals![learner])?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_SAVED {
                return Err(Error::QuotaExceeded(crate::domain::Problem::PortfolioQuota { max: MAX_SAVED }));
            }
            let id = Uuid::now_v7();
            let json = serde_json::to_string(&settings).map_err(|e| Error::Corrupt(e.to_string()))?;
            match tx.execute(
                "INSERT INTO portfolios (id, learner_id, name, settings, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
                vals![id, learner, settings.name, json, now],
            ) {
                Err(e) if is_unique_violation(&e) => return Err(conflict(&settings.name)),
                other => other?,
            };
            bump_revision(tx, learner)?;
            Ok(StoredPortfolio { id, settings: settings.clone(), created_at: now, updated_at: now })
        })
        .await
    }

    /// Replaces a portfolio's settings (validated by the caller).
    pub async fn update_portfolio(
        &self,
        learner: Uuid,
        id: Uuid,
        settings: SavedPortfolio,
        now: i64,
    ) -> Result<StoredPortfolio> {
        self.write_for(learner, move |tx| {
            let json = serde_json::to_string(&settings).map_err(|e| Error::Corrupt(e.to_string()))?;
            let n = match tx.execute(
                "UPDATE portfolios SET name = $3, settings = $4, updated_at = $5 WHERE id = $1 AND learner_id = $2",
                vals![id, learner, settings.name, json, now],
            ) {
                Err(e) if is_unique_violation(&e) => return Err(conflict(&settings.name)),
                other => other?,
            };
            if n == 0 {
                return Err(Error::NotFound);
            }
            bump_revision(tx, learner)?;
            from_row(&tx.query_one(&format!("SELECT {COLUMNS} FROM portfolios WHERE id = $1"), vals![id])?)
        })
        .await
    }

    pub async fn delete_portfolio(&self, learner: Uuid, id: Uuid) -> Result<()> {
        self.write_for(learner, move |tx| {
            let n = tx.execute("DELETE FROM portfolios WHERE id = $1 AND learner_id = $2", vals![id, learner])?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            bump_revision(tx, learner)
        })
        .await
    }
}
