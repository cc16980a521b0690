//! Evidence files: stored as BLOBs so that a file and its record commit together, and a
//! backup of the database is a backup of everything.

use rusqlite::params;
use uuid::Uuid;

use super::courses::{EvidenceMeta, get};
use super::{Db, Error, OptionalExt, Result, uuid_at};
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

impl Db {
    /// Attaches (or replaces) the evidence file of one of the learner's courses.
    pub async fn put_evidence(
        &self,
        learner: Uuid,
        course: Uuid,
        file: NewEvidence,
        quota: Quota,
        now: i64,
    ) -> Result<EvidenceMeta> {
        self.write(move |tx| {
            let previous = get(tx, learner, course)?.evidence;
            let (files, bytes): (i64, i64) = tx.query_row(
                "SELECT count(*), coalesce(sum(size), 0) FROM evidence WHERE learner_id = ?1",
                [learner.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // A replacement frees what it replaces.
            let (files, bytes) = match &previous {
                Some(p) => (files - 1, bytes - p.size),
                None => (files, bytes),
            };
            let size = i64::try_from(file.bytes.len()).map_err(|e| Error::Corrupt(e.to_string()))?;
            if files + 1 > quota.max_files {
                return Err(Error::QuotaExceeded(Problem::QuotaFiles { files, max: quota.max_files }));
            }
            if bytes + size > quota.max_bytes {
                return Err(Error::QuotaExceeded(Problem::QuotaBytes { bytes: bytes + size, max: quota.max_bytes }));
            }
            tx.execute("DELETE FROM evidence WHERE course_id = ?1", [course.to_string()])?;
            let id = Uuid::new_v4();
            tx.execute(
                "INSERT INTO evidence (id, course_id, learner_id, sha256, size, media_type, file_name, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id.to_string(),
                    course.to_string(),
                    learner.to_string(),
                    file.sha256,
                    size,
                    file.media_type,
                    file.file_name,
                    now
                ],
            )?;
            tx.execute(
                "INSERT INTO evidence_blobs (evidence_id, bytes) VALUES (?1, ?2)",
                params![id.to_string(), file.bytes],
            )?;
            Ok(EvidenceMeta {
                id,
                sha256: file.sha256,
                size,
                media_type: file.media_type.to_owned(),
                file_name: file.file_name,
                created_at: now,
            })
        })
        .await
    }

    /// The evidence of one of the learner's courses, with its bytes.
    pub async fn evidence_file(&self, learner: Uuid, course: Uuid) -> Result<(EvidenceMeta, Vec<u8>)> {
        self.read(move |tx| {
            tx.query_row(
                "SELECT e.id, e.sha256, e.size, e.media_type, e.file_name, e.created_at, b.bytes
                 FROM evidence e JOIN evidence_blobs b ON b.evidence_id = e.id
                 WHERE e.course_id = ?1 AND e.learner_id = ?2",
                [course.to_string(), learner.to_string()],
                |r| {
                    Ok((
                        EvidenceMeta {
                            id: uuid_at(r, 0)?,
                            sha256: r.get(1)?,
                            size: r.get(2)?,
                            media_type: r.get(3)?,
                            file_name: r.get(4)?,
                            created_at: r.get(5)?,
                        },
                        r.get(6)?,
                    ))
                },
            )
            .found()
        })
        .await
    }

    pub async fn delete_evidence(&self, learner: Uuid, course: Uuid) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM evidence WHERE course_id = ?1 AND learner_id = ?2",
                [course.to_string(), learner.to_string()],
            )?;
            if n == 0 { Err(Error::NotFound) } else { Ok(()) }
        })
        .await
    }
}
