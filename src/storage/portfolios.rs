//! Saved portfolios (issue 12): one row per portfolio a learner keeps, its settings as JSON.
//! Every change bumps the learner's record revision in the same transaction, so that a share
//! page following the portfolio is rendered again at once.

use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::{Db, Error, Result, is_unique_violation, uuid_at};
use crate::domain::saved::{MAX_SAVED, SavedPortfolio};

/// A saved portfolio as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPortfolio {
    pub id: Uuid,
    pub settings: SavedPortfolio,
    pub created_at: i64,
    pub updated_at: i64,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredPortfolio> {
    let raw: String = row.get(1)?;
    let settings = serde_json::from_str(&raw)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(StoredPortfolio { id: uuid_at(row, 0)?, settings, created_at: row.get(2)?, updated_at: row.get(3)? })
}

const COLUMNS: &str = "id, settings, created_at, updated_at";

fn conflict(name: &str) -> Error {
    Error::Conflict(format!("a portfolio named `{name}` already exists; choose another name"))
}

pub(super) fn bump_revision(tx: &rusqlite::Connection, learner: Uuid) -> Result<()> {
    tx.execute("UPDATE learners SET revision = revision + 1 WHERE id = ?1", [learner.to_string()])?;
    Ok(())
}

pub(super) fn list_in(tx: &rusqlite::Connection, learner: Uuid) -> Result<Vec<StoredPortfolio>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM portfolios WHERE learner_id = ?1 ORDER BY created_at, rowid"
    ))?;
    let rows = stmt.query_map([learner.to_string()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Writes `settings` as the portfolio named so (created when no such name exists), in `tx`.
pub(super) fn put_by_name(tx: &rusqlite::Connection, learner: Uuid, settings: &SavedPortfolio, now: i64) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| Error::Corrupt(e.to_string()))?;
    let existing: Option<String> = tx
        .query_row(
            "SELECT id FROM portfolios WHERE learner_id = ?1 AND name = ?2",
            params![learner.to_string(), settings.name],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => {
            tx.execute("UPDATE portfolios SET settings = ?2, updated_at = ?3 WHERE id = ?1", params![id, json, now])?;
        }
        None => {
            tx.execute(
                "INSERT INTO portfolios (id, learner_id, name, settings, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![Uuid::new_v4().to_string(), learner.to_string(), settings.name, json, now],
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
            tx.query_row(
                &format!("SELECT {COLUMNS} FROM portfolios WHERE id = ?1 AND learner_id = ?2"),
                [id.to_string(), learner.to_string()],
                from_row,
            )
            .optional()?
            .ok_or(Error::NotFound)
        })
        .await
    }

    /// Keeps a new portfolio (validated by the caller); a name already used is a conflict.
    pub async fn create_portfolio(&self, learner: Uuid, settings: SavedPortfolio, now: i64) -> Result<StoredPortfolio> {
        self.write(move |tx| {
            let count: i64 =
                tx.query_row("SELECT count(*) FROM portfolios WHERE learner_id = ?1", [learner.to_string()], |r| {
                    r.get(0)
                })?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_SAVED {
                return Err(Error::QuotaExceeded(format!("at most {MAX_SAVED} portfolios are kept; delete one first")));
            }
            let id = Uuid::new_v4();
            let json = serde_json::to_string(&settings).map_err(|e| Error::Corrupt(e.to_string()))?;
            match tx.execute(
                "INSERT INTO portfolios (id, learner_id, name, settings, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![id.to_string(), learner.to_string(), settings.name, json, now],
            ) {
                Err(e) if is_unique_violation(&e) => return Err(conflict(&settings.name)),
                other => other?,
            };
            bump_revision(tx, learner)?;
            Ok(StoredPortfolio { id, settings, created_at: now, updated_at: now })
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
        self.write(move |tx| {
            let json = serde_json::to_string(&settings).map_err(|e| Error::Corrupt(e.to_string()))?;
            let n = match tx.execute(
                "UPDATE portfolios SET name = ?3, settings = ?4, updated_at = ?5 WHERE id = ?1 AND learner_id = ?2",
                params![id.to_string(), learner.to_string(), settings.name, json, now],
            ) {
                Err(e) if is_unique_violation(&e) => return Err(conflict(&settings.name)),
                other => other?,
            };
            if n == 0 {
                return Err(Error::NotFound);
            }
            bump_revision(tx, learner)?;
            tx.query_row(&format!("SELECT {COLUMNS} FROM portfolios WHERE id = ?1"), [id.to_string()], from_row)
                .map_err(Error::from)
        })
        .await
    }

    pub async fn delete_portfolio(&self, learner: Uuid, id: Uuid) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM portfolios WHERE id = ?1 AND learner_id = ?2",
                [id.to_string(), learner.to_string()],
            )?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            bump_revision(tx, learner)
        })
        .await
    }
}
