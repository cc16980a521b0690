//! certfolio's own checks of the proofs a course holds (`proof_checks`, SQLite migration 0011): kept in
//! step with each course as it is written, claimed by the verification job, and answered with
//! the latest result and its history of changes.
//!
//! The job runs on one instance at a time (`crate::jobs`, a lease per period), and each check is
//! claimed besides in the write transaction that reads it (a lease with an expiry, so that a
//! crashed worker's checks come back; serializable on PostgreSQL, `BEGIN IMMEDIATE` on SQLite),
//! and a result is written only while the course still holds the subject it is about.
//! A result, or a check being queued, changes what pages show: the learner's revision is bumped
//! in the same transaction (no triggers). Running the
//! same check twice gives the same row (last result wins; "since" moves only when the outcome
//! changes), so a check is idempotent whoever runs it.

use std::collections::HashMap;

use uuid::Uuid;

use super::sql::{Row, Tx, vals};
use super::{Db, Error, Result, bump_revision};
use crate::domain::CourseRecord;
use crate::domain::check::{CheckKind, CheckResult, Outcome, ProofCheck, wanted};

/// A check claimed by a worker, with everything it needs to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub course_id: Uuid,
    pub learner_id: Uuid,
    pub kind: CheckKind,
    pub subject: String,
    pub lease_id: String,
    pub title: String,
    pub url: Option<String>,
    pub payload: Option<String>,
    /// The learner's name, as the profile gives it (what an issuer's page must name).
    pub learner_name: String,
    /// The learner's login email and contact email (a badge's recipient must be one of them).
    pub emails: Vec<String>,
}

/// A change of a check's outcome, for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckChange {
    pub course_id: Uuid,
    pub title: String,
    pub kind: CheckKind,
    pub from: Option<Outcome>,
    pub to: Outcome,
    pub at: i64,
}

/// How much work the job may take for one learner: at most `per_hour` checks claimed in any
/// hour (a learner cannot make the server fetch at will by adding links).
#[derive(Debug, Clone, Copy)]
pub struct ClaimLimits {
    pub batch: usize,
    pub lease_secs: i64,
    pub per_hour: u32,
}

/// Brings the course's check rows in step with what it holds: a new or changed subject is
/// queued with its old result cleared; a proof the course no longer has loses its row. Whether
/// a row was added, changed or removed (the caller bumps the learner's revision then).
pub(super) fn sync(
    tx: &Tx<'_>,
    learner: Uuid,
    course: Uuid,
    record: &CourseRecord,
    fresh: bool,
    now: i64,
) -> Result<bool> {
    let wanted = wanted(record);
    let mut changed = 0;
    for kind in [CheckKind::Badge, CheckKind::Link] {
        match wanted.iter().find(|(k, _)| *k == kind) {
            // A course just inserted has no checks to drop.
            None if fresh => {}
            None => {
                changed += tx.execute(
                    "DELETE FROM proof_checks WHERE course_id = $1 AND kind = $2",
                    vals![course, kind.as_str()],
                )?;
            }
            Some((_, subject)) => {
                changed += tx.execute(
                    "INSERT INTO proof_checks (course_id, kind, learner_id, subject, due_at, queued)
                     VALUES ($1, $2, $3, $4, $5, TRUE)
                     ON CONFLICT (course_id, kind) DO UPDATE SET
                        subject = excluded.subject, outcome = NULL, result = NULL, checked_at = NULL,
                        since = NULL, due_at = excluded.due_at, queued = TRUE, lease_id = NULL, lease_until = NULL
                     WHERE proof_checks.subject <> excluded.subject",
                    vals![course, kind.as_str(), learner, subject, now],
                )?;
            }
        }
    }
    Ok(changed > 0)
}

/// The checks `sync` gives a course just inserted, as `of_course` would read them then: each
/// proof the course holds, queued, never checked.
pub(super) fn queued_for_new(record: &CourseRecord) -> Vec<ProofCheck> {
    let mut checks: Vec<ProofCheck> = wanted(record)
        .into_iter()
        .map(|(kind, subject)| ProofCheck { kind, subject, result: None, checked_at: None, since: None, queued: true })
        .collect();
    checks.sort_by(|a, b| a.kind.as_str().cmp(b.kind.as_str()));
    checks
}

fn check_from_row(row: &Row) -> Result<(Uuid, ProofCheck)> {
    let kind: String = row.get(1)?;
    let kind = CheckKind::from_str_opt(&kind).ok_or_else(|| Error::Corrupt(format!("check kind `{kind}`")))?;
    let result: Option<String> = row.get(3)?;
    // A result this version cannot read (written by another) is treated as never checked: the
    // level falls back to what the file says, and the next run replaces it.
    let result = result.and_then(|r| serde_json::from_str::<CheckResult>(&r).ok());
    Ok((
        row.get(0)?,
        ProofCheck {
            kind,
            subject: row.get(2)?,
            result,
            checked_at: row.get(4)?,
            since: row.get(5)?,
            queued: row.get(6)?,
        },
    ))
}

const CHECK_COLUMNS: &str = "course_id, kind, subject, result, checked_at, since, queued";

/// Every check of the learner's courses, by course.
pub(super) fn of_learner(tx: &Tx<'_>, learner: Uuid) -> Result<HashMap<Uuid, Vec<ProofCheck>>> {
    let rows = tx.query(
        &format!("SELECT {CHECK_COLUMNS} FROM proof_checks WHERE learner_id = $1 ORDER BY course_id, kind"),
        vals![learner],
    )?;
    let mut out: HashMap<Uuid, Vec<ProofCheck>> = HashMap::new();
    for row in &rows {
        let (course, check) = check_from_row(row)?;
        out.entry(course).or_default().push(check);
    }
    Ok(out)
}

pub(super) fn of_course(tx: &Tx<'_>, course: Uuid) -> Result<Vec<ProofCheck>> {
    tx.query(&format!("SELECT {CHECK_COLUMNS} FROM proof_checks WHERE course_id = $1 ORDER BY kind"), vals![course])?
        .iter()
        .map(|r| check_from_row(r).map(|(_, c)| c))
        .collect()
}

fn claim_in(tx: &Tx<'_>, now: i64, limits: ClaimLimits) -> Result<Vec<Claim>> {
    let hour_ago = now - 3600;
    let per_hour = i64::from(limits.per_hour);
    let scan = i64::try_from(limits.batch.saturating_mul(4).max(1)).unwrap_or(i64::MAX);
    let candidates = tx.query(
        "SELECT c.course_id, c.kind, c.learner_id, c.subject FROM proof_checks c
         WHERE c.due_at <= $1 AND (c.lease_until IS NULL OR c.lease_until < $1)
           AND (SELECT count(*) FROM proof_checks r WHERE r.learner_id = c.learner_id AND r.attempted_at > $2) < $3
         ORDER BY c.due_at, c.course_id, c.kind LIMIT $4",
        vals![now, hour_ago, per_hour, scan],
    )?;
    let mut used: HashMap<Uuid, i64> = HashMap::new();
    let mut claims = Vec::new();
    for row in &candidates {
        if claims.len() >= limits.batch {
            break;
        }
        let (course, kind, learner, subject): (Uuid, String, Uuid, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let count = match used.get(&learner) {
            Some(n) => *n,
            None => tx.query_value::<i64>(
                "SELECT count(*) FROM proof_checks WHERE learner_id = $1 AND attempted_at > $2",
                vals![learner, hour_ago],
            )?,
        };
        if count >= per_hour {
            used.insert(learner, count);
            continue;
        }
        let lease_id = Uuid::new_v4().to_string();
        let n = tx.execute(
            "UPDATE proof_checks SET lease_id = $3, lease_until = $4, attempted_at = $5
             WHERE course_id = $1 AND kind = $2 AND (lease_until IS NULL OR lease_until < $5)",
            vals![course, kind, lease_id, now + limits.lease_secs, now],
        )?;
        if n == 0 {
            continue;
        }
        used.insert(learner, count + 1);
        let details = tx.query_opt(
            "SELECT co.title, a.url, b.payload, l.name, l.email, l.contact_email
             FROM courses co JOIN learners l ON l.id = co.learner_id
             LEFT JOIN attestations a ON a.course_id = co.id
             LEFT JOIN badges b ON b.course_id = co.id
             WHERE co.id = $1",
            vals![course],
        )?;
        let Some(d) = details else { continue };
        let (title, url, payload, learner_name, email, contact): (
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            Option<String>,
        ) = (d.get(0)?, d.get(1)?, d.get(2)?, d.get(3)?, d.get(4)?, d.get(5)?);
        let mut emails = vec![email];
        if let Some(c) = contact.filter(|c| !emails.iter().any(|e| e.eq_ignore_ascii_case(c))) {
            emails.push(c);
        }
        claims.push(Claim {
            course_id: course,
            learner_id: learner,
            kind: CheckKind::from_str_opt(&kind).ok_or_else(|| Error::Corrupt(format!("check kind `{kind}`")))?,
            subject,
            lease_id,
            title,
            url,
            payload,
            learner_name,
            emails,
        });
    }
    Ok(claims)
}

/// Whether a result was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Written; `changed` when the outcome differs from the previous one.
    Written { changed: bool },
    /// The course no longer holds what was checked (or was deleted): the result is dropped.
    Stale,
}

fn store_in(tx: &Tx<'_>, claim: &Claim, result: &CheckResult, at: i64, next_due: i64) -> Result<Stored> {
    let previous = tx.query_opt(
        "SELECT outcome, since, subject FROM proof_checks WHERE course_id = $1 AND kind = $2",
        vals![claim.course_id, claim.kind.as_str()],
    )?;
    let Some(previous) = previous else { return Ok(Stored::Stale) };
    let (outcome, since, subject): (Option<String>, Option<i64>, String) =
        (previous.get(0)?, previous.get(1)?, previous.get(2)?);
    if subject != claim.subject {
        return Ok(Stored::Stale);
    }
    let before = outcome.as_deref().and_then(Outcome::from_str_opt);
    let changed = before != Some(result.outcome);
    let since = if changed { at } else { since.unwrap_or(at) };
    let json = serde_json::to_string(result).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.execute(
        "UPDATE proof_checks SET outcome = $4, result = $5, checked_at = $6, since = $7, due_at = $8, queued = FALSE,
            lease_id = NULL, lease_until = NULL
         WHERE course_id = $1 AND kind = $2 AND subject = $3",
        vals![claim.course_id, claim.kind.as_str(), claim.subject, result.outcome.as_str(), json, at, since, next_due],
    )?;
    if changed {
        // No SERIAL (CockroachDB makes it non-sequential): the next id is taken in this
        // transaction, which is serializable (a concurrent writer is retried).
        tx.execute(
            "INSERT INTO proof_check_changes (id, course_id, learner_id, kind, from_outcome, to_outcome, at)
             VALUES ((SELECT COALESCE(max(id), 0) + 1 FROM proof_check_changes), $1, $2, $3, $4, $5, $6)",
            vals![
                claim.course_id,
                claim.learner_id,
                claim.kind.as_str(),
                before.map(Outcome::as_str),
                result.outcome.as_str(),
                at
            ],
        )?;
    }
    // The result is on the pages (the record revision caches them).
    bump_revision(tx, claim.learner_id)?;
    Ok(Stored::Written { changed })
}

impl Db {
    /// Claims up to `limits.batch` checks due at `now`, oldest first, within each learner's
    /// hourly budget. A claimed check is leased for `limits.lease_secs`: another worker skips
    /// it until then.
    pub async fn claim_checks(&self, now: i64, limits: ClaimLimits) -> Result<Vec<Claim>> {
        self.write(move |tx| claim_in(tx, now, limits)).await
    }

    /// Writes a check's result (obtained at `at`; next due at `next_due`), if the course still
    /// holds the subject it is about.
    pub async fn store_check(&self, claim: Claim, result: CheckResult, at: i64, next_due: i64) -> Result<Stored> {
        self.write(move |tx| store_in(tx, &claim, &result, at, next_due)).await
    }

    /// "Check now": every check of the learner is due at `now`. Returns how many.
    pub async fn request_checks(&self, learner: Uuid, now: i64) -> Result<usize> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE proof_checks SET due_at = $2, queued = TRUE WHERE learner_id = $1",
                vals![learner, now],
            )?;
            if n > 0 {
                bump_revision(tx, learner)?;
            }
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
        .await
    }

    /// Moves the learner's checks last made before `cutoff` to the front of the queue (a share
    /// page is being read with results older than the re-check age). Returns how many.
    pub async fn hurry_checks(&self, learner: Uuid, cutoff: i64) -> Result<usize> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE proof_checks SET due_at = 0 WHERE learner_id = $1 AND due_at > 0
                   AND (checked_at IS NULL OR checked_at < $2)",
                vals![learner, cutoff],
            )?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
        .await
    }

    /// The learner's changes of outcome since `since`, newest first (at most 100).
    pub async fn check_changes(&self, learner: Uuid, since: i64) -> Result<Vec<CheckChange>> {
        self.read(move |tx| {
            let rows = tx.query(
                "SELECT ch.course_id, co.title, ch.kind, ch.from_outcome, ch.to_outcome, ch.at
                 FROM proof_check_changes ch JOIN courses co ON co.id = ch.course_id
                 WHERE ch.learner_id = $1 AND ch.at >= $2 ORDER BY ch.at DESC, ch.id DESC LIMIT 100",
                vals![learner, since],
            )?;
            let mut out = Vec::new();
            for r in &rows {
                let (course_id, title, kind, from, to, at): (Uuid, String, String, Option<String>, String, i64) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                let (Some(kind), Some(to)) = (CheckKind::from_str_opt(&kind), Outcome::from_str_opt(&to)) else {
                    continue;
                };
                out.push(CheckChange {
                    course_id,
                    title,
                    kind,
                    from: from.as_deref().and_then(Outcome::from_str_opt),
                    to,
                    at,
                });
            }
            Ok(out)
        })
        .await
    }

    /// Queues the checks of courses written before checks existed (a database from an earlier
    /// version): run once when the job starts. Returns how many courses were looked at.
    pub async fn queue_missing_checks(&self, now: i64) -> Result<usize> {
        self.write(move |tx| {
            let missing = tx.query(
                "SELECT c.id, c.learner_id FROM courses c JOIN attestations a ON a.course_id = c.id
                 WHERE (a.url IS NOT NULL OR EXISTS (SELECT 1 FROM badges b WHERE b.course_id = c.id))
                   AND NOT EXISTS (SELECT 1 FROM proof_checks p WHERE p.course_id = c.id)
                 LIMIT 100000",
                &[],
            )?;
            let mut learners = std::collections::BTreeSet::new();
            for r in &missing {
                let (course, learner): (Uuid, Uuid) = (r.get(0)?, r.get(1)?);
                let held = super::courses::get(tx, learner, course)?;
                if sync(tx, learner, course, &held.record, false, now)? {
                    learners.insert(learner);
                }
            }
            for learner in learners {
                bump_revision(tx, learner)?;
            }
            Ok(missing.len())
        })
        .await
    }

    /// How many checks are due at `now` (the job's backlog).
    pub async fn checks_due(&self, now: i64) -> Result<usize> {
        self.read(move |tx| {
            let n: i64 = tx.query_value("SELECT count(*) FROM proof_checks WHERE due_at <= $1", vals![now])?;
            Ok(usize::try_from(n).unwrap_or_default())
        })
        .await
    }
}
