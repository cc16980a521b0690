//! Evidence files: their row in the database (hash, size, type, name), their bytes in the
//! object store under their SHA-256, written before the row commits (see `files`).
//!
//! SQLite databases of earlier builds kept the bytes in `evidence_blobs`; they are moved out
//! by [`Db::move_legacy_evidence`] (run by `serve` and `copy` before anything else), each blob
//! written to the store, read back and checked by hash, and only then deleted.

use bytes::Bytes;
use uuid::Uuid;

use super::courses::{EvidenceMeta, get};
use super::files::ORPHAN_GRACE_SECS;
use super::sql::{Dialect, Tx, vals};
use super::{Db, Error, Result, bump_revision};
use crate::domain::Problem;

#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub media_type: &'static str,
    pub file_name: String,
}

/// Per-learner limits on evidence (ASVS V5.2.4).
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub max_files: i64,
    pub max_bytes: i64,
}

/// What a sweep of the object store did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Objects no row named, older than the grace period: removed.
    pub removed: usize,
    /// Objects no row named yet, written less than the grace period ago: kept for now.
    pub young: usize,
    /// Objects a row names.
    pub named: usize,
}

/// A sweep's mark older than this belongs to a sweep that died: it no longer holds writers.
const STALE_SWEEP_SECS: i64 = 600;

fn being_swept(tx: &Tx<'_>, sha256: &str, now: i64) -> Result<bool> {
    Ok(tx
        .query_opt("SELECT 1 FROM sweeping WHERE sha256 = $1 AND since > $2", vals![sha256, now - STALE_SWEEP_SECS])?
        .is_some())
}

fn named(tx: &Tx<'_>, sha256: &str) -> Result<bool> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM evidence WHERE sha256 = $1 UNION ALL SELECT 1 FROM pending_imports WHERE sha256 = $1",
            vals![sha256],
        )?
        .is_some())
}

impl Db {
    /// Writes `bytes` to the object store, then runs `f` in a write transaction that may name
    /// the object (its SHA-256 is `f`'s second argument). Should the orphan sweep be removing
    /// that very object at that moment, the transaction is abandoned, the object written again
    /// once the sweep is done with it, and `f` run again: a committed row never names a
    /// missing object.
    pub(super) async fn write_naming<T, F>(&self, bytes: Bytes, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>, &str) -> Result<T> + Send + Sync + 'static,
    {
        let f = std::sync::Arc::new(f);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let sha256 = self.files().put(bytes.clone()).await?;
            let g = f.clone();
            let now = super::migrations::now();
            let result = self
                .write(move |tx| {
                    if being_swept(tx, &sha256, now)? {
                        return Err(Error::Refused(SWEPT.into()));
                    }
                    g(tx, &sha256)
                })
                .await;
            match result {
                Err(Error::Refused(m)) if m == SWEPT && attempts < 100 => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    }

    /// Attaches (or replaces) the evidence file of one of the learner's courses.
    pub async fn put_evidence(
        &self,
        learner: Uuid,
        course: Uuid,
        file: NewEvidence,
        quota: Quota,
        now: i64,
    ) -> Result<EvidenceMeta> {
        // Nothing is written to the store for a course that is not the learner's.
        self.read(move |tx| get(tx, learner, course).map(|_| ())).await?;
        let size = i64::try_from(file.bytes.len()).map_err(|e| Error::Corrupt(e.to_string()))?;
        let NewEvidence { bytes, sha256: expected, media_type, file_name } = file;
        self.write_naming(Bytes::from(bytes), move |tx, sha256| {
            if sha256 != expected {
                return Err(Error::Corrupt("the evidence's SHA-256 is not that of its bytes".into()));
            }
            let previous = get(tx, learner, course)?.evidence;
            let row = tx.query_one(
                "SELECT count(*), CAST(coalesce(sum(size), 0) AS BIGINT) FROM evidence WHERE learner_id = $1",
                vals![learner],
            )?;
            let (files, bytes): (i64, i64) = (row.get(0)?, row.get(1)?);
            // A replacement frees what it replaces.
            let (files, bytes) = match &previous {
                Some(p) => (files - 1, bytes - p.size),
                None => (files, bytes),
            };
            if files + 1 > quota.max_files {
                return Err(Error::QuotaExceeded(Problem::QuotaFiles { files, max: quota.max_files }));
            }
            if bytes + size > quota.max_bytes {
                return Err(Error::QuotaExceeded(Problem::QuotaBytes { bytes: bytes + size, max: quota.max_bytes }));
            }
            tx.execute("DELETE FROM evidence WHERE course_id = $1", vals![course])?;
            let id = Uuid::new_v4();
            tx.execute(
                "INSERT INTO evidence (id, course_id, learner_id, sha256, size, media_type, file_name, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                vals![id, course, learner, sha256, size, media_type, file_name, now],
            )?;
            bump_revision(tx, learner)?;
            Ok(EvidenceMeta {
                id,
                sha256: sha256.to_owned(),
                size,
                media_type: media_type.to_owned(),
                file_name: file_name.clone(),
                created_at: now,
            })
        })
        .await
    }

    /// The evidence of one of the learner's courses, with its bytes (checked against its hash).
    pub async fn evidence_file(&self, learner: Uuid, course: Uuid) -> Result<(EvidenceMeta, Vec<u8>)> {
        let sqlite = self.dialect() == Dialect::Sqlite;
        let (meta, legacy) = self
            .read(move |tx| {
                let r = tx.query_one(
                    "SELECT id, sha256, size, media_type, file_name, created_at FROM evidence
                     WHERE course_id = $1 AND learner_id = $2",
                    vals![course, learner],
                )?;
                let meta = EvidenceMeta {
                    id: r.get(0)?,
                    sha256: r.get(1)?,
                    size: r.get(2)?,
                    media_type: r.get(3)?,
                    file_name: r.get(4)?,
                    created_at: r.get(5)?,
                };
                // A blob an earlier build stored that has not been moved out yet.
                let legacy: Option<Vec<u8>> = if sqlite {
                    tx.query_opt("SELECT bytes FROM evidence_blobs WHERE evidence_id = $1", vals![meta.id])?
                        .map(|r| r.get(0))
                        .transpose()?
                } else {
                    None
                };
                Ok((meta, legacy))
            })
            .await?;
        if let Some(bytes) = legacy {
            return Ok((meta, bytes));
        }
        match self.files().get(&meta.sha256).await? {
            Some(bytes) => Ok((meta, bytes.to_vec())),
            None => {
                Err(Error::Files(format!("sha256/{}: named by evidence {} but not in the store", meta.sha256, meta.id)))
            }
        }
    }

    pub async fn delete_evidence(&self, learner: Uuid, course: Uuid) -> Result<()> {
        self.write_for(learner, move |tx| {
            let n =
                tx.execute("DELETE FROM evidence WHERE course_id = $1 AND learner_id = $2", vals![course, learner])?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            // The object stays until the sweep: another row may name the same bytes.
            bump_revision(tx, learner)
        })
        .await
    }

    /// Moves the evidence blobs an earlier build kept in the SQLite database out to the object
    /// store, one at a time: written, read back and checked against the evidence's SHA-256,
    /// then deleted from the database. A blob whose bytes do not match its hash is left where
    /// it is (and named in the error). Returns how many were moved; nothing to do on PostgreSQL.
    pub async fn move_legacy_evidence(&self) -> Result<usize> {
        if self.dialect() != Dialect::Sqlite {
            return Ok(0);
        }
        let mut moved = 0;
        loop {
            let next = self
                .read(|tx| {
                    tx.query_opt(
                        "SELECT b.evidence_id, e.sha256, b.bytes FROM evidence_blobs b
                         JOIN evidence e ON e.id = b.evidence_id ORDER BY b.evidence_id LIMIT 1",
                        &[],
                    )?
                    .map(|r| Ok::<_, Error>((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<Vec<u8>>(2)?)))
                    .transpose()
                })
                .await?;
            let Some((id, sha256, bytes)) = next else { break };
            if super::sha256_hex(&bytes) != sha256 {
                return Err(Error::Corrupt(format!(
                    "evidence {id}: its stored bytes do not match its SHA-256 {sha256}; left in the database"
                )));
            }
            let expected = sha256.clone();
            let evidence = id.clone();
            self.write_naming(Bytes::from(bytes), move |_tx, stored| {
                if stored != expected {
                    return Err(Error::Corrupt(format!("evidence {evidence}: stored under another hash")));
                }
                Ok(())
            })
            .await?;
            match self.files().get(&sha256).await? {
                Some(back) if super::sha256_hex(&back) == sha256 => {}
                _ => return Err(Error::Files(format!("sha256/{sha256}: not found again after writing it"))),
            }
            let evidence = id.clone();
            self.write(move |tx| tx.execute("DELETE FROM evidence_blobs WHERE evidence_id = $1", vals![evidence]))
                .await?;
            moved += 1;
        }
        if moved > 0 {
            tracing::info!(moved, store = %self.files().describe(), "evidence files moved out of the database");
        }
        Ok(moved)
    }

    /// Removes the objects no row names that were written more than [`ORPHAN_GRACE_SECS`]
    /// before `now` (Unix seconds, the store's clock). Each removal is marked in `sweeping`
    /// first, in a transaction that checks again that no row names the object, so that a write
    /// naming it meanwhile waits and writes it again (see `write_naming`).
    pub async fn sweep_orphans(&self, now: i64) -> Result<SweepReport> {
        let mut report = SweepReport::default();
        for object in self.files().list().await? {
            let sha256 = object.sha256.clone();
            let young = object.modified > now - ORPHAN_GRACE_SECS;
            let marked = self
                .write(move |tx| {
                    if named(tx, &sha256)? {
                        return Ok(Some(false));
                    }
                    if young {
                        return Ok(None);
                    }
                    tx.execute(
                        "INSERT INTO sweeping (sha256, since) VALUES ($1, $2)
                         ON CONFLICT (sha256) DO UPDATE SET since = excluded.since",
                        vals![sha256, now],
                    )?;
                    Ok(Some(true))
                })
                .await?;
            match marked {
                None => report.young += 1,
                Some(false) => report.named += 1,
                Some(true) => {
                    self.files().delete(&object.sha256).await?;
                    let sha256 = object.sha256.clone();
                    self.write(move |tx| tx.execute("DELETE FROM sweeping WHERE sha256 = $1", vals![sha256])).await?;
                    report.removed += 1;
                }
            }
        }
        Ok(report)
    }
}

/// The conflict `write_naming` retries on (never reaches a caller).
const SWEPT: &str = "the object is being swept";
