//! Sessions, stored by the SHA-256 of their token.

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::{Db, Result, uuid_at};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRow {
    pub learner_id: Uuid,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

impl Db {
    pub async fn create_session(
        &self,
        token_hash: [u8; 32],
        learner_id: Uuid,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, learner_id, created_at, last_seen_at, expires_at)
                 VALUES (?1, ?2, ?3, ?3, ?4)",
                params![token_hash.as_slice(), learner_id.to_string(), now, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn session(&self, token_hash: [u8; 32]) -> Result<Option<SessionRow>> {
        self.read(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT learner_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?1",
                    [token_hash.as_slice()],
                    |r| {
                        Ok(SessionRow {
                            learner_id: uuid_at(r, 0)?,
                            created_at: r.get(1)?,
                            last_seen_at: r.get(2)?,
                            expires_at: r.get(3)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    /// Records activity for the idle timeout.
    pub async fn touch_session(&self, token_hash: [u8; 32], now: i64) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND last_seen_at < ?2",
                params![token_hash.as_slice(), now],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn delete_session(&self, token_hash: [u8; 32]) -> Result<()> {
        self.write(move |tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash.as_slice()])?;
            Ok(())
        })
        .await
    }

    /// Forgets sessions past their absolute limit or idle for longer than `idle_secs`.
    pub async fn purge_sessions(&self, now: i64, idle_secs: i64) -> Result<usize> {
        self.write(move |tx| {
            Ok(tx.execute(
                "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?1 - ?2",
                params![now, idle_secs],
            )?)
        })
        .await
    }
}
