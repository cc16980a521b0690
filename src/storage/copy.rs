//! `certfolio copy`: a whole installation from one storage to another (SQLite → PostgreSQL to
//! move up, and back), files included, checked by counts and hashes.
//!
//! The source is read in one transaction (one consistent snapshot); every evidence file it
//! names is copied into the target store first, checked by hash (objects before the rows that
//! name them, as always); then every row is written in one transaction on the target, which
//! must be empty (it is checked again inside that transaction): the copy is all there or not
//! at all. Afterwards the target is read back and compared table by table — row counts and a
//! SHA-256 over every value, in a form that does not depend on the engine — and each file is
//! read back from the target store and checked against its name.
//!
//! What is copied is what an installation holds for good: accounts, sessions, the records,
//! share links, the registry of issued PDFs, saved portfolios. Attempt counters, uploads
//! waiting for confirmation, leases and the schema's bookkeeping are not (each engine's
//! migrations make the latter). The whole source is held in memory during the copy.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::sql::{Row, Tx, Value};
use super::{Db, Error, Result};

/// The tables copied, parents before children, with their columns (the same on both engines).
const TABLES: &[(&str, &[&str])] = &[
    (
        "learners",
        &[
            "id",
            "email",
            "password_hash",
            "name",
            "headline",
            "contact_email",
            "location",
            "situation",
            "lang",
            "created_at",
            "updated_at",
            "revision",
            "ui_lang",
            "course_seq",
        ],
    ),
    ("sessions", &["token_hash", "learner_id", "created_at", "last_seen_at", "expires_at"]),
    ("institutions", &["id", "learner_id", "name", "norm_name", "country", "kind", "website", "created_at"]),
    ("imports", &["id", "learner_id", "format", "created", "updated", "created_at"]),
    ("platforms", &["id", "learner_id", "name", "norm_name", "website", "created_at"]),
    (
        "courses",
        &[
            "id",
            "learner_id",
            "seq",
            "identity",
            "title",
            "platform_id",
            "institution_id",
            "field",
            "themes",
            "language",
            "started_on",
            "finished_on",
            "hours",
            "follow_mode",
            "outcome",
            "motive",
            "notes",
            "prior_mastery",
            "created_at",
            "updated_at",
            "skills",
            "import_id",
        ],
    ),
    ("attestations", &["course_id", "kind", "issued_on", "credential_id", "url", "grade", "ects", "expires_on"]),
    (
        "badges",
        &[
            "course_id",
            "payload",
            "format",
            "name",
            "issuer",
            "issued_on",
            "verified_by",
            "expires_at",
            "revoked",
            "checked_at",
        ],
    ),
    ("evidence", &["id", "course_id", "learner_id", "sha256", "size", "media_type", "file_name", "created_at"]),
    ("portfolios", &["id", "learner_id", "name", "settings", "created_at", "updated_at"]),
    (
        "shares",
        &[
            "id",
            "learner_id",
            "token_hash",
            "framing",
            "field",
            "theme",
            "lang",
            "include_uncertified",
            "label",
            "expires_at",
            "revoked_at",
            "created_at",
            "view_count",
            "first_viewed_at",
            "last_viewed_at",
            "include_expired",
            "portfolio_id",
            "follows",
            "snapshot",
        ],
    ),
    (
        "generated_pdfs",
        &[
            "sha256",
            "code",
            "learner_id",
            "learner_name",
            "share_id",
            "framing",
            "scope",
            "lang",
            "size",
            "created_at",
            "content_key",
        ],
    ),
    ("share_reveals", &["share_id", "learner_id", "token", "expires_at"]),
    (
        "proof_checks",
        &[
            "course_id",
            "kind",
            "learner_id",
            "subject",
            "outcome",
            "result",
            "checked_at",
            "since",
            "due_at",
            "queued",
            "lease_id",
            "lease_until",
            "attempted_at",
        ],
    ),
    ("proof_check_changes", &["id", "course_id", "learner_id", "kind", "from_outcome", "to_outcome", "at"]),
];

/// What a table holds, in a form both engines give alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub table: &'static str,
    pub rows: usize,
    /// SHA-256 over every row (sorted by their encoding), hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<TableDigest>,
    /// Evidence files copied and checked.
    pub files: usize,
}

/// A value as the digest sees it: booleans as 0/1 (SQLite has no booleans), everything else
/// with its type and length, so that no two different rows encode alike.
fn encode(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.extend_from_slice(b"N;"),
        Value::Int(i) => out.extend_from_slice(format!("I{i};").as_bytes()),
        Value::Bool(b) => out.extend_from_slice(format!("I{};", i64::from(*b)).as_bytes()),
        Value::Real(r) => out.extend_from_slice(format!("R{r:?};").as_bytes()),
        Value::Text(s) => {
            out.extend_from_slice(format!("T{}:", s.len()).as_bytes());
            out.extend_from_slice(s.as_bytes());
            out.push(b';');
        }
        Value::Bytes(b) => {
            out.extend_from_slice(format!("X{}:", b.len()).as_bytes());
            out.extend_from_slice(b);
            out.push(b';');
        }
    }
}

fn digest(table: &'static str, rows: &[Row]) -> TableDigest {
    let mut encoded: Vec<Vec<u8>> = rows
        .iter()
        .map(|r| {
            let mut e = Vec::new();
            for v in r.values() {
                encode(v, &mut e);
            }
            e
        })
        .collect();
    // Sorted here, not by the engines: text order depends on their collations.
    encoded.sort();
    let mut h = Sha256::new();
    for e in &encoded {
        h.update(u64::try_from(e.len()).unwrap_or(u64::MAX).to_le_bytes());
        h.update(e);
    }
    TableDigest { table, rows: rows.len(), sha256: super::sha256_hex(&h.finalize()) }
}

fn read_all(tx: &Tx<'_>) -> Result<Vec<(&'static str, Vec<Row>)>> {
    TABLES
        .iter()
        .map(|(table, columns)| Ok((*table, tx.query(&format!("SELECT {} FROM {table}", columns.join(", ")), &[])?)))
        .collect()
}

/// Counts and digests of every copied table of `db` (also what `copy` prints).
pub async fn digests(db: &Db) -> Result<Vec<TableDigest>> {
    let all = db.read(read_all).await?;
    Ok(all.iter().map(|(t, rows)| digest(t, rows)).collect())
}

fn rows_in(tx: &Tx<'_>) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (table, _) in TABLES.iter().chain(std::iter::once(&("pending_imports", &[][..]))) {
        out.push((*table, tx.query_value::<i64>(&format!("SELECT count(*) FROM {table}"), &[])?));
    }
    Ok(out)
}

/// Copies everything `from` holds into `to`, which must hold nothing yet (see the module's
/// documentation). The target's digests are compared with the source's before this returns.
pub async fn copy_installation(from: &Db, to: &Db) -> Result<CopyReport> {
    let occupied: Vec<String> =
        to.read(rows_in).await?.into_iter().filter(|(_, n)| *n > 0).map(|(t, n)| format!("{t} ({n} rows)")).collect();
    if !occupied.is_empty() {
        return Err(Error::Refused(format!(
            "the target is not empty ({}); copy into a new, empty database",
            occupied.join(", ")
        )));
    }
    from.move_legacy_evidence().await?;
    let source = from.read(read_all).await?;
    let expected: Vec<TableDigest> = source.iter().map(|(t, rows)| digest(t, rows)).collect();

    // Files first: every object a row will name is in the target store before the rows commit.
    let names: BTreeSet<String> = source
        .iter()
        .filter(|(t, _)| *t == "evidence")
        .flat_map(|(_, rows)| rows.iter().map(|r| r.get::<String>(3)))
        .collect::<Result<_>>()?;
    for sha256 in &names {
        let bytes = from
            .files()
            .get(sha256)
            .await?
            .ok_or_else(|| Error::Files(format!("sha256/{sha256}: named by the source but not in its store")))?;
        let stored = to.files().put(bytes).await?;
        if stored != *sha256 {
            return Err(Error::Files(format!("sha256/{sha256}: stored under another name ({stored})")));
        }
    }

    let rows = std::sync::Arc::new(source);
    to.write(move |tx| {
        let occupied = rows_in(tx)?.into_iter().find(|(_, n)| *n > 0);
        if let Some((table, n)) = occupied {
            return Err(Error::Refused(format!("the target was written to during the copy ({table}: {n} rows)")));
        }
        for ((table, columns), (_, rows)) in TABLES.iter().zip(rows.iter()) {
            let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO {table} ({}) VALUES ({})", columns.join(", "), placeholders.join(", "));
            for row in rows {
                tx.execute(&sql, row.values())?;
            }
        }
        Ok(())
    })
    .await?;

    let copied = digests(to).await?;
    for (want, got) in expected.iter().zip(&copied) {
        if want != got {
            return Err(Error::Corrupt(format!(
                "{}: the copy differs from the source ({} rows, sha256 {} ≠ {} rows, sha256 {})",
                want.table, got.rows, got.sha256, want.rows, want.sha256
            )));
        }
    }
    for sha256 in &names {
        // `get` checks the bytes against their name.
        if to.files().get(sha256).await?.is_none() {
            return Err(Error::Files(format!("sha256/{sha256}: missing from the target store after the copy")));
        }
    }
    Ok(CopyReport { tables: copied, files: names.len() })
}
