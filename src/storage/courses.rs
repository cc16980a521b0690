//! Courses with their attestation, institutions and platforms; document import and export.

use uuid::Uuid;

use super::accounts::{load_learner, store_profile};
use super::sql::{Dialect, Row, Tx, Value, vals};
use super::{Db, Error, Result, bump_revision, is_unique_violation};
use crate::domain::badge::{BadgeCheck, BadgeData, BadgeFormat};
use crate::domain::text::normalize_name;
use crate::domain::{AttestationKind, AttestationRecord, CourseRecord, Document, FollowMode, IsoDate, Outcome};

/// A course as stored: the document's record plus its id, evidence and timestamps.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCourse {
    pub id: Uuid,
    pub record: CourseRecord,
    pub evidence: Option<EvidenceMeta>,
    /// certfolio's own checks of the course's proofs (`storage::checks`).
    pub checks: Vec<crate::domain::check::ProofCheck>,
    /// The last import that created or changed the course, if any.
    pub import_id: Option<Uuid>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The portfolio document of a profile and its stored courses (same order), for code that
/// needs both the document and what storage knows beyond it (ids, evidence).
pub fn as_document(learner: crate::domain::LearnerRecord, courses: &[StoredCourse]) -> Document {
    Document {
        certfolio: crate::domain::document::DOCUMENT_VERSION,
        learner,
        courses: courses.iter().map(|c| c.record.clone()).collect(),
        portfolios: Vec::new(),
    }
}

/// The record a portfolio is built from: the profile, and each stored course with its id and
/// evidence file (same order).
pub fn as_record(learner: crate::domain::LearnerRecord, courses: &[StoredCourse]) -> crate::domain::record::Record {
    use crate::domain::record::{EvidenceRef, HeldCourse, Record};
    Record {
        learner,
        courses: courses
            .iter()
            .map(|c| HeldCourse {
                id: c.id,
                record: c.record.clone(),
                evidence: c
                    .evidence
                    .as_ref()
                    .map(|e| EvidenceRef { file_name: e.file_name.clone(), sha256: e.sha256.clone() }),
                checks: c.checks.clone(),
            })
            .collect(),
    }
}

/// What is known of an evidence file without reading its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceMeta {
    pub id: Uuid,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub file_name: String,
    pub created_at: i64,
}

/// An import as the course list offers it: which format, when, what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBatch {
    pub id: Uuid,
    pub format: String,
    pub created: i64,
    pub updated: i64,
    pub created_at: i64,
}

/// What an import did, course by course.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

const COURSE_SELECT: &str = "
    SELECT c.id, c.title, p.name, i.name, c.field, c.themes, c.language, c.started_on, c.finished_on,
           c.hours, c.follow_mode, c.outcome, c.motive, c.notes, c.prior_mastery, c.created_at, c.updated_at,
           a.course_id, a.kind, a.issued_on, a.credential_id, a.url, a.grade, a.ects,
           e.id, e.sha256, e.size, e.media_type, e.file_name, e.created_at,
           b.payload, b.format, b.name, b.issuer, b.issued_on, b.verified_by, b.expires_at, b.revoked,
           a.expires_on, c.skills, c.import_id, c.learner_id
    FROM courses c
    LEFT JOIN platforms p ON p.id = c.platform_id
    LEFT JOIN institutions i ON i.id = c.institution_id
    LEFT JOIN attestations a ON a.course_id = c.id
    LEFT JOIN evidence e ON e.course_id = c.id
    LEFT JOIN badges b ON b.course_id = c.id";

/// The column of [`COURSE_SELECT`] that names the course's learner.
const COURSE_OWNER: usize = 41;

fn corrupt(idx: usize, what: String) -> Error {
    Error::Corrupt(format!("column {idx}: {what}"))
}

fn opt_date(row: &Row, idx: usize) -> Result<Option<IsoDate>> {
    let raw: Option<String> = row.get(idx)?;
    raw.map(|s| IsoDate::parse(&s).map_err(|e| corrupt(idx, e.to_string()))).transpose()
}

fn opt_enum<T>(row: &Row, idx: usize, parse: fn(&str) -> Option<T>) -> Result<Option<T>> {
    let raw: Option<String> = row.get(idx)?;
    raw.map(|s| parse(&s).ok_or_else(|| corrupt(idx, format!("unknown value `{s}`")))).transpose()
}

/// The badge columns (30–37): the payload and, when it was checked, the check.
fn badge_from_row(row: &Row) -> Result<Option<BadgeData>> {
    let Some(payload) = row.get::<Option<String>>(30)? else { return Ok(None) };
    let check = match opt_enum(row, 31, BadgeFormat::from_str_opt)? {
        None => None,
        Some(format) => Some(BadgeCheck {
            format,
            name: row.get::<Option<String>>(32)?.unwrap_or_default(),
            issuer: row.get(33)?,
            issued_on: opt_date(row, 34)?,
            verified_by: row.get(35)?,
            expires_at: row.get(36)?,
            revoked: row.get(37)?,
        }),
    };
    Ok(Some(BadgeData { payload, check }))
}

fn course_from_row(row: &Row) -> Result<StoredCourse> {
    let themes: String = row.get(5)?;
    let themes: Vec<String> = serde_json::from_str(&themes).map_err(|e| corrupt(5, e.to_string()))?;
    let has_attestation: Option<String> = row.get(17)?;
    let attestation = match has_attestation {
        None => None,
        Some(_) => Some(AttestationRecord {
            kind: opt_enum(row, 18, AttestationKind::from_str_opt)?,
            issued_on: opt_date(row, 19)?,
            expires_on: opt_date(row, 38)?,
            credential_id: row.get(20)?,
            url: row.get(21)?,
            grade: row.get(22)?,
            ects: row.get(23)?,
            badge: badge_from_row(row)?,
        }),
    };
    let evidence_id: Option<String> = row.get(24)?;
    let evidence = match evidence_id {
        None => None,
        Some(_) => Some(EvidenceMeta {
            id: row.get(24)?,
            sha256: row.get(25)?,
            size: row.get(26)?,
            media_type: row.get(27)?,
            file_name: row.get(28)?,
            created_at: row.get(29)?,
        }),
    };
    Ok(StoredCourse {
        id: row.get(0)?,
        record: CourseRecord {
            title: row.get(1)?,
            platform: row.get(2)?,
            institution: row.get(3)?,
            field: row.get(4)?,
            themes,
            skills: {
                let raw: String = row.get(39)?;
                serde_json::from_str(&raw).map_err(|e| corrupt(39, e.to_string()))?
            },
            language: row.get(6)?,
            started_on: opt_date(row, 7)?,
            finished_on: opt_date(row, 8)?,
            hours: row.get(9)?,
            follow_mode: opt_enum(row, 10, FollowMode::from_str_opt)?,
            outcome: opt_enum(row, 11, Outcome::from_str_opt)?,
            motive: row.get(12)?,
            notes: row.get(13)?,
            prior_mastery: row.get(14)?,
            attestation,
        },
        evidence,
        checks: Vec::new(),
        import_id: row.get::<Option<String>>(40)?.and_then(|s| Uuid::parse_str(&s).ok()),
        created_at: row.get(15)?,
        updated_at: row.get(16)?,
    })
}

pub(super) fn list(tx: &Tx<'_>, learner: Uuid) -> Result<Vec<StoredCourse>> {
    let mut courses = tx
        .query(&format!("{COURSE_SELECT} WHERE c.learner_id = $1 ORDER BY c.seq"), vals![learner])?
        .iter()
        .map(course_from_row)
        .collect::<Result<Vec<_>>>()?;
    let mut checks = super::checks::of_learner(tx, learner)?;
    for c in &mut courses {
        c.checks = checks.remove(&c.id).unwrap_or_default();
    }
    Ok(courses)
}

/// One course of this learner; another learner's id is [`Error::NotFound`], exactly like a
/// missing one, because the owner is part of the query.
pub(super) fn get(tx: &Tx<'_>, learner: Uuid, id: Uuid) -> Result<StoredCourse> {
    // By the primary key alone, the owner compared here: with `learner_id = $1` in the query,
    // PostgreSQL could keep a plan made while the table was small that walks the learner's
    // index and filters on the id, a scan of every course of the learner per read.
    let mut course = course_row(tx, learner, id)?;
    course.checks = super::checks::of_course(tx, id)?;
    Ok(course)
}

/// The course without its checks, in one statement (see `get`).
fn course_row(tx: &Tx<'_>, learner: Uuid, id: Uuid) -> Result<StoredCourse> {
    let row = tx.query_one(&format!("{COURSE_SELECT} WHERE c.id = $1"), vals![id])?;
    if row.get::<Uuid>(COURSE_OWNER)? != learner {
        return Err(Error::NotFound);
    }
    course_from_row(&row)
}

/// The id of the learner's institution (or platform) of that name, created on first use, and
/// its display name: the first spelling met is kept.
fn named_row(
    tx: &Tx<'_>,
    table: &str,
    learner: Uuid,
    name: Option<&str>,
    now: i64,
) -> Result<Option<(String, String)>> {
    let Some(name) = name else { return Ok(None) };
    let norm = normalize_name(name);
    let existing = tx.query_opt(
        &format!("SELECT id, name FROM {table} WHERE learner_id = $1 AND norm_name = $2"),
        vals![learner, norm],
    )?;
    if let Some(row) = existing {
        return Ok(Some((row.get(0)?, row.get(1)?)));
    }
    let id = Uuid::new_v4().to_string();
    let shown = name.trim().to_owned();
    tx.execute(
        &format!("INSERT INTO {table} (id, learner_id, name, norm_name, created_at) VALUES ($1, $2, $3, $4, $5)"),
        vals![id, learner, shown, norm, now],
    )?;
    Ok(Some((id, shown)))
}

/// The position of the learner's next course, taken from the learner row in the statement that
/// also bumps the record revision (so a new course bumps it here, first; a concurrent writer of
/// the same learner waits on that row instead of racing for the same position). Computed once
/// from the courses for records made before the counter existed. `$1` is the learner.
const TAKE_SEQ: &str = "UPDATE learners SET revision = revision + 1,
        course_seq = coalesce(course_seq, (SELECT coalesce(max(seq), 0) FROM courses WHERE learner_id = $1)) + 1
     WHERE id = $1 RETURNING course_seq";

/// A new course's row, from `write_course`'s values; `{seq}` is where its position comes from.
const INSERT_COURSE: &str = "INSERT INTO courses (id, learner_id, seq, identity, title, platform_id, institution_id,
        field, themes, language, started_on, finished_on, hours, follow_mode, outcome, motive, notes, prior_mastery,
        created_at, updated_at, skills)";
const INSERT_VALUES: &str =
    "$1, $2, {seq}, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19";

/// SQLite: the position taken by [`TAKE_SEQ`] first, then bound as `$20`.
static INSERT_AFTER_SEQ: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{INSERT_COURSE} VALUES ({})", INSERT_VALUES.replace("{seq}", "$20")));

/// PostgreSQL: the position taken in the statement that inserts (a data-modifying WITH, which
/// SQLite has not): one statement per course added instead of two, in the part of a write that
/// one learner's writes take in turn. No learner row: nothing inserted, not found.
static INSERT_TAKING_SEQ: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH s AS ({}) {INSERT_COURSE} SELECT {} FROM s",
        TAKE_SEQ.replace("$1", "$2"),
        INSERT_VALUES.replace("{seq}", "s.course_seq")
    )
});

fn conflict() -> Error {
    Error::Conflict(crate::domain::Problem::CourseExists)
}

/// Inserts or updates (when `existing` is given) the course row and its attestation, and bumps
/// the record revision. The names the platform and institution are stored under (the first
/// spelling met), which are what the course now reads back with.
fn write_course(
    tx: &Tx<'_>,
    learner: Uuid,
    id: Uuid,
    existing: bool,
    c: &CourseRecord,
    now: i64,
) -> Result<StoredNames> {
    let (platform, platform_name) = named_row(tx, "platforms", learner, c.platform.as_deref(), now)?.unzip();
    let (institution, institution_name) =
        named_row(tx, "institutions", learner, c.institution.as_deref(), now)?.unzip();
    let themes = serde_json::to_string(&c.themes).map_err(|e| Error::Corrupt(e.to_string()))?;
    let skills = serde_json::to_string(&c.skills).map_err(|e| Error::Corrupt(e.to_string()))?;
    let values = vals![
        id,
        learner,
        c.identity(),
        c.title,
        platform,
        institution,
        c.field,
        themes,
        c.language,
        c.started_on.map(|d| d.to_string()),
        c.finished_on.map(|d| d.to_string()),
        c.hours,
        c.follow_mode.map(FollowMode::as_str),
        c.outcome.map(Outcome::as_str),
        c.motive,
        c.notes,
        c.prior_mastery,
        now,
        skills,
    ];
    let result = if existing {
        // The revision is bumped at the end, with the other changes.
        tx.execute(
            "UPDATE courses SET identity = $3, title = $4, platform_id = $5, institution_id = $6, field = $7,
                themes = $8, language = $9, started_on = $10, finished_on = $11, hours = $12, follow_mode = $13,
                outcome = $14, motive = $15, notes = $16, prior_mastery = $17, updated_at = $18, skills = $19
             WHERE id = $1 AND learner_id = $2",
            values,
        )
    } else if tx.dialect() == Dialect::Postgres {
        tx.execute(&INSERT_TAKING_SEQ, values)
    } else {
        let seq = Value::Int(tx.query_value(TAKE_SEQ, vals![learner])?);
        let values = [values, std::slice::from_ref(&seq)].concat();
        tx.execute(&INSERT_AFTER_SEQ, &values)
    };
    match result {
        Err(e) if is_unique_violation(&e) => return Err(conflict()),
        Err(e) => return Err(e),
        Ok(0) => return Err(Error::NotFound),
        Ok(_) => {}
    }
    if existing {
        // A new id has nothing to replace (and reading for it would only widen what a
        // serializable engine must watch).
        tx.execute("DELETE FROM badges WHERE course_id = $1", vals![id])?;
        tx.execute("DELETE FROM attestations WHERE course_id = $1", vals![id])?;
    }
    if let Some(a) = &c.attestation {
        tx.execute(
            "INSERT INTO attestations (course_id, kind, issued_on, credential_id, url, grade, ects, expires_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vals![
                id,
                a.kind.map(AttestationKind::as_str),
                a.issued_on.map(|d| d.to_string()),
                a.credential_id,
                a.url,
                a.grade,
                a.ects,
                a.expires_on.map(|d| d.to_string())
            ],
        )?;
        if let Some(b) = &a.badge {
            let check = b.check.as_ref();
            tx.execute(
                "INSERT INTO badges (course_id, payload, format, name, issuer, issued_on, verified_by, expires_at,
                    revoked, checked_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                vals![
                    id,
                    b.payload,
                    check.map(|c| c.format.as_str()),
                    check.map(|c| c.name.as_str()),
                    check.and_then(|c| c.issuer.as_deref()),
                    check.and_then(|c| c.issued_on).map(|d| d.to_string()),
                    check.and_then(|c| c.verified_by.as_deref()),
                    check.and_then(|c| c.expires_at),
                    check.is_some_and(|c| c.revoked),
                    now
                ],
            )?;
        }
    }
    // The checks the course now calls for: a changed badge or link is queued for the job.
    super::checks::sync(tx, learner, id, c, !existing, now)?;
    if existing {
        bump_revision(tx, learner)?;
    }
    Ok(StoredNames { platform: platform_name, institution: institution_name })
}

/// A course's platform and institution as stored (see [`write_course`]).
struct StoredNames {
    platform: Option<String>,
    institution: Option<String>,
}

impl Db {
    pub async fn list_courses(&self, learner: Uuid) -> Result<Vec<StoredCourse>> {
        self.read(move |tx| list(tx, learner)).await
    }

    pub async fn course(&self, learner: Uuid, id: Uuid) -> Result<StoredCourse> {
        self.read(move |tx| get(tx, learner, id)).await
    }

    pub async fn course_count(&self, learner: Uuid) -> Result<usize> {
        self.read(move |tx| {
            let n: i64 = tx.query_value("SELECT count(*) FROM courses WHERE learner_id = $1", vals![learner])?;
            Ok(usize::try_from(n).unwrap_or_default())
        })
        .await
    }

    /// Adds a course (validated by the caller); [`Error::Conflict`] if one with the same
    /// identity exists. The course as stored, made from what the write stored rather than read
    /// back: a new course has no evidence, no import and no checks but those the write queued,
    /// and its platform and institution are named as stored (the test
    /// `a_new_course_is_answered_as_it_reads_back` holds the two equal). A read-back was a
    /// second statement of five joins per course added, the heaviest of the write on
    /// PostgreSQL.
    pub async fn create_course(&self, learner: Uuid, record: CourseRecord, now: i64) -> Result<StoredCourse> {
        let id = Uuid::new_v4();
        let (record, checks) = self
            .write_for(learner, move |tx| {
                let StoredNames { platform, institution } = write_course(tx, learner, id, false, &record, now)?;
                let stored = CourseRecord { platform, institution, ..record.clone() };
                Ok((stored, super::checks::queued_for_new(&record)))
            })
            .await?;
        Ok(StoredCourse { id, record, evidence: None, checks, import_id: None, created_at: now, updated_at: now })
    }

    /// Replaces a course's fields, keeping its id, position and evidence; the course as stored.
    ///
    /// It is read back in a snapshot of its own rather than in the write: on PostgreSQL, every
    /// row a SERIALIZABLE transaction reads is watched until it ends, and the read-back's index
    /// pages are shared with other learners' courses, so reading there made concurrent writers
    /// of different learners abort each other. What this shows is the committed course, or a
    /// later version if the learner changed it again meanwhile (gone: not found, as it then is).
    pub async fn update_course(&self, learner: Uuid, id: Uuid, record: CourseRecord, now: i64) -> Result<StoredCourse> {
        self.write_for(learner, move |tx| write_course(tx, learner, id, true, &record, now)).await?;
        super::read_back(self.course(learner, id).await)
    }

    /// Edits the courses `ids` of this learner with `edit`, in one transaction: every course
    /// read, edited and written, or none (the first course the edit makes invalid is the inner
    /// error, naming it). The number of courses the edit changed.
    pub async fn edit_courses(
        &self,
        learner: Uuid,
        ids: Vec<Uuid>,
        edit: crate::domain::bulk::BulkSet,
        now: i64,
    ) -> Result<std::result::Result<usize, crate::domain::ValidationError>> {
        self.write_for(learner, move |tx| {
            let mut changed = 0;
            for (i, id) in ids.iter().enumerate() {
                let before = get(tx, learner, *id)?.record;
                let mut after = before.clone();
                if let Err(e) = edit.apply(&mut after) {
                    // Nothing is written: the transaction rolls back with the error.
                    return Err(Error::Invalid(crate::domain::ValidationError::new(
                        format!("ids[{i}], {}", e.path),
                        e.problem,
                    )));
                }
                if after != before {
                    write_course(tx, learner, *id, true, &after, now)?;
                    changed += 1;
                }
            }
            Ok(changed)
        })
        .await
        .map(Ok)
        .or_else(|e| match e {
            Error::Invalid(v) => Ok(Err(v)),
            other => Err(other),
        })
    }

    pub async fn delete_course(&self, learner: Uuid, id: Uuid) -> Result<()> {
        self.write_for(learner, move |tx| {
            let n = tx.execute("DELETE FROM courses WHERE id = $1 AND learner_id = $2", vals![id, learner])?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            bump_revision(tx, learner)
        })
        .await
    }

    /// Imports a validated document in one transaction: all of it or nothing. The learner's
    /// profile takes the document's learner block; a course whose identity is already in the
    /// record is updated in place (its id and evidence kept), any other is added, in document
    /// order.
    pub async fn import_document(&self, learner: Uuid, doc: Document, now: i64) -> Result<ImportCounts> {
        self.write_for(learner, move |tx| import_in(tx, learner, &doc, now, crate::interop::Format::Document.as_str()))
            .await
    }

    /// Imports a file read by `Incoming::read`: the record is read, the file applied to it
    /// (a document as it is, other tools' courses merged) and the result written, all in one
    /// write transaction, so a profile or course edited meanwhile is neither overwritten with a
    /// stale copy nor lost. A rule broken only once merged is the inner error, and nothing is
    /// stored.
    pub async fn import_incoming(
        &self,
        learner: Uuid,
        incoming: crate::interop::incoming::Incoming,
        now: i64,
    ) -> Result<std::result::Result<ImportCounts, crate::domain::ValidationError>> {
        self.write_for(learner, move |tx| {
            let profile = load_learner(tx, learner)?.profile;
            let records = list(tx, learner)?.into_iter().map(|c| c.record).collect();
            let current = Document {
                certfolio: crate::domain::document::DOCUMENT_VERSION,
                learner: profile,
                courses: records,
                portfolios: Vec::new(),
            };
            let format = incoming.format.as_str();
            match incoming.clone().apply(&current) {
                Ok(doc) => import_in(tx, learner, &doc, now, format).map(Ok),
                Err(e) => Ok(Err(e)),
            }
        })
        .await
    }

    /// The learner's imports that still name courses, newest first.
    pub async fn imports(&self, learner: Uuid) -> Result<Vec<ImportBatch>> {
        self.read(move |tx| {
            // Import ids are UUIDv7, ordered by their making: imports of the same second keep
            // their order.
            tx.query(
                "SELECT i.id, i.format, i.created, i.updated, i.created_at FROM imports i
                 WHERE i.learner_id = $1 AND EXISTS (SELECT 1 FROM courses c WHERE c.import_id = i.id)
                 ORDER BY i.created_at DESC, i.id DESC",
                vals![learner],
            )?
            .iter()
            .map(|r| {
                Ok(ImportBatch {
                    id: r.get(0)?,
                    format: r.get(1)?,
                    created: r.get(2)?,
                    updated: r.get(3)?,
                    created_at: r.get(4)?,
                })
            })
            .collect()
        })
        .await
    }

    /// The learner's profile and courses (with evidence), read in one snapshot.
    pub async fn record(&self, learner: Uuid) -> Result<(crate::domain::LearnerRecord, Vec<StoredCourse>)> {
        self.read(move |tx| Ok((load_learner(tx, learner)?.profile, list(tx, learner)?))).await
    }

    /// The learner's whole record as a portfolio document, courses in the learner's order.
    pub async fn export_document(&self, learner: Uuid) -> Result<Document> {
        self.read(move |tx| {
            let profile = load_learner(tx, learner)?.profile;
            let stored = list(tx, learner)?;
            let place = |id: Uuid| stored.iter().position(|c| c.id == id);
            let portfolios =
                super::portfolios::list_in(tx, learner)?.into_iter().map(|p| p.settings.map_known(place)).collect();
            let courses = stored.into_iter().map(|c| c.record).collect();
            Ok(Document { certfolio: crate::domain::document::DOCUMENT_VERSION, learner: profile, courses, portfolios })
        })
        .await
    }
}

/// Imports a validated document inside `tx`: the profile replaced when it differs, each course
/// updated in place when its identity is already in the record, added otherwise.
fn import_in(tx: &Tx<'_>, learner: Uuid, doc: &Document, now: i64, format: &str) -> Result<ImportCounts> {
    let before = load_learner(tx, learner)?;
    if before.profile != doc.learner {
        store_profile(tx, learner, &doc.learner, now)?;
    }
    let mut counts = ImportCounts::default();
    // The id of each document course once stored: saved portfolios name courses by place.
    let mut ids: Vec<Uuid> = Vec::with_capacity(doc.courses.len());
    let mut touched: Vec<Uuid> = Vec::new();
    for course in &doc.courses {
        let existing: Option<Uuid> = tx
            .query_opt(
                "SELECT id FROM courses WHERE learner_id = $1 AND identity = $2",
                vals![learner, course.identity()],
            )?
            .map(|r| r.get(0))
            .transpose()?;
        match existing {
            None => {
                let id = Uuid::new_v4();
                write_course(tx, learner, id, false, course, now)?;
                ids.push(id);
                touched.push(id);
                counts.created += 1;
            }
            Some(id) => {
                ids.push(id);
                if get(tx, learner, id)?.record == *course {
                    counts.unchanged += 1;
                } else {
                    write_course(tx, learner, id, true, course, now)?;
                    touched.push(id);
                    counts.updated += 1;
                }
            }
        }
    }
    // The import itself, and the courses it created or changed, so that they can be found again.
    if counts.created + counts.updated > 0 {
        let import_id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO imports (id, learner_id, format, created, updated, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            vals![
                import_id,
                learner,
                format,
                i64::try_from(counts.created).unwrap_or(i64::MAX),
                i64::try_from(counts.updated).unwrap_or(i64::MAX),
                now
            ],
        )?;
        for id in &touched {
            tx.execute("UPDATE courses SET import_id = $2 WHERE id = $1", vals![id, import_id])?;
        }
    }
    // The document's portfolios replace those of the same name; others are kept.
    for p in &doc.portfolios {
        let saved = p.map_refs(|place| ids.get(place).copied()).ok_or_else(|| {
            Error::Corrupt("a portfolio names a course past the document's end (checked before import)".into())
        })?;
        super::portfolios::put_by_name(tx, learner, &saved, now)?;
    }
    if !doc.portfolios.is_empty() {
        super::portfolios::bump_revision(tx, learner)?;
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::badge::{BadgeCheck, BadgeFormat};

    /// `create_course` answers with the course as the write stored it, not read back: each
    /// course of the 24-course record, one with a checked badge and one naming a platform
    /// already stored under another spelling, is answered exactly as it then reads back.
    #[tokio::test]
    async fn a_new_course_is_answered_as_it_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let learner = super::super::tests::learner(&db).await;
        let doc = std::fs::read(format!("{}/tests/fixtures/doc24.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut records = crate::domain::document::parse_document(&doc).unwrap().courses;
        let mut badged = records[0].clone();
        badged.title = "Badged".into();
        badged.attestation = Some(AttestationRecord {
            kind: Some(AttestationKind::Completion),
            badge: Some(crate::domain::badge::BadgeData {
                payload: r#"{"@context":"https://w3id.org/openbadges/v2"}"#.into(),
                check: Some(BadgeCheck {
                    format: BadgeFormat::Ob2,
                    name: "Rust".into(),
                    issuer: Some("Ferris".into()),
                    issued_on: Some(IsoDate::parse("2024-03-01").unwrap()),
                    verified_by: Some("https://issuer.example/key".into()),
                    expires_at: Some(1_900_000_000),
                    revoked: false,
                }),
            }),
            ..AttestationRecord::default()
        });
        records.push(badged);
        let first = records.iter().find_map(|r| r.platform.clone()).expect("a course names a platform");
        let mut respelled = records[1].clone();
        respelled.title = "Respelled".into();
        respelled.platform = Some(format!("  {}  ", first.to_uppercase()));
        records.push(respelled);
        for (i, record) in records.into_iter().enumerate() {
            let mut answered = db.create_course(learner, record, 100 + i as i64).await.unwrap();
            let mut stored = db.course(learner, answered.id).await.unwrap();
            // Checks are read in their own order: compared in one order.
            stored.checks.sort_by_key(|c| format!("{c:?}"));
            answered.checks.sort_by_key(|c| format!("{c:?}"));
            assert_eq!(answered, stored, "course {i}");
        }
        let respelled = db.list_courses(learner).await.unwrap().pop().unwrap();
        assert_eq!(respelled.record.platform.as_deref(), Some(first.trim()), "the first spelling is kept");
    }
}
