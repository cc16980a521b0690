//! Sessions, stored by the SHA-256 of their token.

use uuid::Uuid;

use super::sql::vals;
use super::{Db, Result};

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
                 VALUES ($1, $2, $3, $3, $4)",
                vals![token_hash, learner_id, now, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    /// The session a token names. Read from the database each time, so a sign-out or a
    /// password change on any instance ends it at once; on PostgreSQL, concurrent requests
    /// with one token share a query that started after they asked (`coalesce.rs`).
    pub async fn session(&self, token_hash: [u8; 32]) -> Result<Option<SessionRow>> {
        if self.dialect() == super::Dialect::Sqlite {
            return self.session_now(token_hash, None).await;
        }
        let db = self.clone();
        self.inner
            .session_lookups
            .get(token_hash, move |hash, claim| {
                let db = db.clone();
                async move { db.session_now(hash, Some(claim)).await }
            })
            .await
    }

    async fn session_now(
        &self,
        token_hash: [u8; 32],
        claim: Option<super::coalesce::Claim<[u8; 32], Option<SessionRow>>>,
    ) -> Result<Option<SessionRow>> {
        self.lookup(
            "SELECT learner_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1".to_owned(),
            vals![token_hash].to_vec(),
            move || claim.iter().for_each(super::coalesce::Claim::now),
        )
        .await?
        .map(|r| {
            Ok(SessionRow {
                learner_id: r.get(0)?,
                created_at: r.get(1)?,
                last_seen_at: r.get(2)?,
                expires_at: r.get(3)?,
            })
        })
        .transpose()
    }

    /// Records activity for the idle timeout.
    pub async fn touch_session(&self, token_hash: [u8; 32], now: i64) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2",
                vals![token_hash, now],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn delete_session(&self, token_hash: [u8; 32]) -> Result<()> {
        self.write(move |tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = $1", vals![token_hash])?;
            Ok(())
        })
        .await
    }

    /// Forgets sessions past their absolute limit or idle for longer than `idle_secs`.
    pub async fn purge_sessions(&self, now: i64, idle_secs: i64) -> Result<usize> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                vals![now, now.saturating_sub(idle_secs)],
            )?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
        .await
    }
}
