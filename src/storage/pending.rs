//! Import uploads waiting for the learner's confirmation: a row each (whose, from which
//! address, the file's name, size and SHA-256, until when) and the bytes in the object store,
//! so that a preview made on one instance is confirmed on another. Which uploads make room for
//! a new one is the caller's rule (`state::pending::plan`), applied here in one transaction.

use bytes::Bytes;
use uuid::Uuid;

use super::sql::{Tx, vals};
use super::{Db, Error, Result};

/// An upload waiting, as the room rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: Uuid,
    pub learner: Uuid,
    pub address: String,
    pub size: usize,
    pub expires_at: i64,
}

/// An upload waiting for confirmation, as its learner sees it.
pub struct Waiting {
    pub file_name: String,
    pub bytes: Bytes,
}

/// The rule deciding whether a new upload of `size` bytes by `learner` from `address` may wait,
/// given every upload waiting now: the ids to remove to make room, or why it may not.
pub type Plan<R> = fn(entries: &[Entry], learner: Uuid, address: &str, size: usize, now: i64) -> Result<Vec<Uuid>, R>;

fn entries(tx: &Tx<'_>) -> Result<Vec<Entry>> {
    tx.query("SELECT id, learner_id, address, size, expires_at FROM pending_imports ORDER BY expires_at, id", &[])?
        .iter()
        .map(|r| {
            Ok(Entry {
                id: r.get(0)?,
                learner: r.get(1)?,
                address: r.get(2)?,
                size: usize::try_from(r.get::<i64>(3)?).unwrap_or(0),
                expires_at: r.get(4)?,
            })
        })
        .collect()
}

impl Db {
    /// Keeps `bytes` for `learner` until `expires_at` if `plan` finds room (removing the
    /// uploads it names); the id to confirm it with, or `plan`'s refusal.
    #[allow(clippy::too_many_arguments)] // each is one column of the row, named at the call
    pub async fn put_pending<R: Send + 'static>(
        &self,
        learner: Uuid,
        address: String,
        file_name: String,
        bytes: Bytes,
        now: i64,
        expires_at: i64,
        plan: Plan<R>,
    ) -> Result<Result<Uuid, R>> {
        let size = bytes.len();
        // Refused before anything is written to the store, when it is clear already.
        let probe = address.clone();
        if let Err(refused) = self.read(move |tx| Ok(plan(&entries(tx)?, learner, &probe, size, now))).await? {
            return Ok(Err(refused));
        }
        let refusal = std::sync::Arc::new(std::sync::Mutex::new(None::<R>));
        let kept = refusal.clone();
        let result = self
            .write_naming(bytes, move |tx, sha256| match plan(&entries(tx)?, learner, &address, size, now) {
                Err(r) => {
                    *kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(r);
                    Err(Error::Refused(REFUSED.into()))
                }
                Ok(evict) => {
                    for id in &evict {
                        tx.execute("DELETE FROM pending_imports WHERE id = $1", vals![id])?;
                    }
                    let id = Uuid::new_v4();
                    tx.execute(
                        "INSERT INTO pending_imports (id, learner_id, address, file_name, sha256, size, expires_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        vals![
                            id,
                            learner,
                            address,
                            file_name,
                            sha256,
                            i64::try_from(size).unwrap_or(i64::MAX),
                            expires_at
                        ],
                    )?;
                    Ok(id)
                }
            })
            .await;
        match result {
            Ok(id) => Ok(Ok(id)),
            Err(Error::Refused(m)) if m == REFUSED => {
                let refused = refusal.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
                refused.map(Err).ok_or_else(|| Error::Corrupt("a refused upload without its reason".into()))
            }
            Err(e) => Err(e),
        }
    }

    /// The upload `id` if it is `learner`'s and has not expired (it stays waiting).
    pub async fn pending(&self, learner: Uuid, id: Uuid, now: i64) -> Result<Option<Waiting>> {
        let row = self
            .read(move |tx| {
                tx.query_opt(
                    "SELECT file_name, sha256 FROM pending_imports WHERE id = $1 AND learner_id = $2 AND expires_at > $3",
                    vals![id, learner, now],
                )?
                .map(|r| Ok::<_, Error>((r.get::<String>(0)?, r.get::<String>(1)?)))
                .transpose()
            })
            .await?;
        self.waiting(row).await
    }

    /// Removes and returns the upload `id` if it is `learner`'s and has not expired. Another
    /// learner's id is left alone, as if it did not exist. (The bytes stay in the store until
    /// the sweep: another row may name them.)
    pub async fn take_pending(&self, learner: Uuid, id: Uuid, now: i64) -> Result<Option<Waiting>> {
        let row = self
            .write(move |tx| {
                tx.query_opt(
                    "DELETE FROM pending_imports WHERE id = $1 AND learner_id = $2 RETURNING file_name, sha256, expires_at",
                    vals![id, learner],
                )?
                .map(|r| Ok::<_, Error>((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?)))
                .transpose()
            })
            .await?;
        self.waiting(row.filter(|(_, _, expires_at)| *expires_at > now).map(|(name, sha, _)| (name, sha))).await
    }

    async fn waiting(&self, row: Option<(String, String)>) -> Result<Option<Waiting>> {
        let Some((file_name, sha256)) = row else { return Ok(None) };
        match self.files().get(&sha256).await? {
            Some(bytes) => Ok(Some(Waiting { file_name, bytes })),
            None => Err(Error::Files(format!("sha256/{sha256}: a waiting upload's bytes are not in the store"))),
        }
    }

    /// Forgets uploads past their time.
    pub async fn purge_pending(&self, now: i64) -> Result<u64> {
        self.write(move |tx| tx.execute("DELETE FROM pending_imports WHERE expires_at <= $1", vals![now])).await
    }
}

/// The conflict `put_pending` rolls back with when the rule refuses (never reaches a caller).
const REFUSED: &str = "the upload may not wait";
