//! Schema migrations, one numbered list per engine (`migrations/sqlite/`, `migrations/postgres/`),
//! each file DDL only. Applied versions are rows of `schema_migrations`; each migration runs in
//! one transaction with its row, so it is applied once or not at all (and its DDL is written
//! idempotently besides, for engines whose DDL is not transactional).
//!
//! With N instances starting at once, one migrates and the others wait: the migrator holds the
//! `schema` row of `leases` (an upsert that takes the row only when it is free or expired: no
//! advisory locks, which CockroachDB does not have), renews it between migrations, and frees it
//! at the end; the others poll until the schema is current. A migrator that dies leaves a lease
//! that expires, and the next instance carries on from the last migration committed.
//!
//! SQLite databases made before this mechanism kept their version in `PRAGMA user_version`
//! (rusqlite_migration): those versions are recorded as applied the first time.

use std::time::{Duration, Instant};

use super::sql::{Dialect, Tx, vals};
use super::{Error, Mode, Result, Worker};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

macro_rules! migration {
    ($version:expr, $engine:literal, $file:literal) => {
        Migration { version: $version, name: $file, sql: include_str!(concat!("migrations/", $engine, "/", $file)) }
    };
}

const SQLITE: &[Migration] = &[
    migration!(1, "sqlite", "0001_init.sql"),
    migration!(2, "sqlite", "0002_shares.sql"),
    migration!(3, "sqlite", "0003_revision.sql"),
    migration!(4, "sqlite", "0004_pages.sql"),
    migration!(5, "sqlite", "0005_badges.sql"),
    migration!(6, "sqlite", "0006_pdf_content.sql"),
    migration!(7, "sqlite", "0007_expiry.sql"),
    migration!(8, "sqlite", "0008_share_reveals.sql"),
    migration!(9, "sqlite", "0009_skills_portfolios.sql"),
    migration!(10, "sqlite", "0010_imports.sql"),
    migration!(11, "sqlite", "0011_proof_checks.sql"),
    migration!(12, "sqlite", "0012_scale_out.sql"),
    migration!(13, "sqlite", "0013_course_seq.sql"),
];

const POSTGRES: &[Migration] =
    &[migration!(1, "postgres", "0001_schema.sql"), migration!(2, "postgres", "0002_course_seq.sql")];

fn list(dialect: Dialect) -> &'static [Migration] {
    match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    }
}

/// The schema version this build brings each engine to.
pub fn latest(dialect: Dialect) -> i64 {
    list(dialect).last().map_or(0, |m| m.version)
}

/// The bookkeeping tables, created before anything else (idempotent, same text on both engines).
const BOOTSTRAP: &str = "
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version    BIGINT PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at BIGINT NOT NULL
    );
    -- Named leases: `schema` while an instance migrates, and one per background job (the job
    -- runs on whichever instance holds it; see `Db::claim`).
    CREATE TABLE IF NOT EXISTS leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at BIGINT NOT NULL
    );";

/// How long the migrator's lease lasts without renewal (it renews it after each migration).
const LEASE_SECS: i64 = 120;
/// How long an instance waits for another one's migration before giving up.
const WAIT_FOR: Duration = Duration::from_secs(15 * 60);

pub(super) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn applied(tx: &Tx<'_>) -> Result<i64> {
    tx.query_value::<Option<i64>>("SELECT max(version) FROM schema_migrations", &[]).map(Option::unwrap_or_default)
}

/// Brings the database to the latest schema, or waits while another instance does.
pub(super) fn run(worker: &mut dyn Worker, dialect: Dialect) -> Result<()> {
    let latest = latest(dialect);
    bootstrap(worker, dialect)?;
    let holder = uuid::Uuid::new_v4().to_string();
    let started = Instant::now();
    loop {
        let current = read(worker, applied)?;
        if current > latest {
            return Err(Error::Migration(format!(
                "the database is at schema version {current}, newer than this build of certfolio knows \
                 ({latest}): run the newer version"
            )));
        }
        if current == latest {
            return Ok(());
        }
        if super::leases::take(worker, "schema", &holder, now(), LEASE_SECS)? {
            let result = apply_pending(worker, dialect, &holder);
            // Freed even after a failure, so that another instance may try at once.
            let freed = super::leases::free(worker, "schema", &holder);
            result?;
            freed?;
            continue;
        }
        if started.elapsed() > WAIT_FOR {
            return Err(Error::Migration("another instance has held the schema lease for too long".into()));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn read<T: Default>(worker: &mut dyn Worker, f: impl Fn(&Tx<'_>) -> Result<T>) -> Result<T> {
    let mut out = T::default();
    worker.transaction(Mode::Write, &mut |tx| {
        out = f(tx)?;
        Ok(())
    })?;
    Ok(out)
}

fn bootstrap(worker: &mut dyn Worker, dialect: Dialect) -> Result<()> {
    let mut tries = 0;
    loop {
        tries += 1;
        let done = worker.transaction(Mode::Write, &mut |tx| {
            tx.batch(BOOTSTRAP)?;
            if dialect == Dialect::Sqlite {
                adopt_user_version(tx)?;
            }
            Ok(())
        });
        match done {
            // Two instances creating the tables at the same moment: PostgreSQL may refuse the
            // second `CREATE TABLE IF NOT EXISTS` with a unique violation on its catalogue.
            Err(Error::Database(f)) if f.kind == super::sql::FailureKind::UniqueViolation && tries < 5 => {
                std::thread::sleep(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

/// Records the migrations an older build applied through `PRAGMA user_version`.
fn adopt_user_version(tx: &Tx<'_>) -> Result<()> {
    let user_version: i64 = tx.query_value("PRAGMA user_version", &[])?;
    if user_version == 0 || applied(tx)? > 0 {
        return Ok(());
    }
    for m in SQLITE.iter().filter(|m| m.version <= user_version) {
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            vals![m.version, m.name, now()],
        )?;
    }
    Ok(())
}

fn apply_pending(worker: &mut dyn Worker, dialect: Dialect, holder: &str) -> Result<()> {
    for m in list(dialect) {
        let done = read(worker, |tx| {
            Ok(tx.query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", vals![m.version])?.is_some())
        })?;
        if done {
            continue;
        }
        tracing::info!(version = m.version, name = m.name, "applying a schema migration");
        worker
            .transaction(Mode::Write, &mut |tx| {
                tx.batch(m.sql)?;
                if dialect == Dialect::Sqlite {
                    let broken: Option<super::sql::Row> = tx.query_opt("PRAGMA foreign_key_check", &[])?;
                    if broken.is_some() {
                        return Err(Error::Migration(format!("{} leaves rows naming missing rows", m.name)));
                    }
                }
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    vals![m.version, m.name, now()],
                )?;
                Ok(())
            })
            .map_err(|e| Error::Migration(format!("{}: {e}", m.name)))?;
        if !super::leases::renew(worker, "schema", holder, now(), LEASE_SECS)? {
            return Err(Error::Migration("the schema lease was lost while migrating".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_numbered_in_order_without_gaps() {
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            for (i, m) in list(dialect).iter().enumerate() {
                assert_eq!(m.version, i64::try_from(i).unwrap() + 1, "{}", m.name);
                assert!(m.name.starts_with(&format!("{:04}_", m.version)), "{}", m.name);
            }
        }
    }

    #[test]
    fn migrations_are_ddl_only_and_postgres_ones_idempotent() {
        for m in POSTGRES {
            for statement in strip_comments(m.sql).split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let s = statement.to_ascii_uppercase();
                assert!(
                    s.starts_with("CREATE TABLE IF NOT EXISTS")
                        || s.starts_with("CREATE INDEX IF NOT EXISTS")
                        || s.starts_with("CREATE UNIQUE INDEX IF NOT EXISTS")
                        || s.starts_with("ALTER TABLE")
                            && (s.contains("ADD COLUMN IF NOT EXISTS") || s.contains("DROP COLUMN IF EXISTS"))
                        || s.starts_with("DROP TABLE IF EXISTS")
                        || s.starts_with("DROP INDEX IF EXISTS"),
                    "{}: not idempotent DDL: {statement}",
                    m.name
                );
                for trap in ["SERIAL", "TRIGGER", "ADVISORY"] {
                    assert!(!s.contains(trap), "{}: {trap} in {statement}", m.name);
                }
            }
        }
        // SQLite's from this mechanism on: DDL only as well (their transaction makes them atomic).
        for m in SQLITE.iter().filter(|m| m.version >= 12) {
            for statement in strip_comments(m.sql).split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let s = statement.to_ascii_uppercase();
                assert!(
                    [
                        "CREATE TABLE IF NOT EXISTS",
                        "CREATE INDEX IF NOT EXISTS",
                        "DROP TRIGGER IF EXISTS",
                        "ALTER TABLE"
                    ]
                    .iter()
                    .any(|p| s.starts_with(p)),
                    "{}: not DDL: {statement}",
                    m.name
                );
            }
        }
    }

    fn strip_comments(sql: &str) -> String {
        sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n").trim().to_owned()
    }
}

#[cfg(test)]
pub(super) mod tests_support {
    /// The SQL of migrations 1–`upto`, as the builds before this mechanism (rusqlite_migration)
    /// applied them: 9 before issue 12's imports, 11 (imports, proof checks) for main's last.
    pub fn legacy(upto: i64) -> Vec<&'static str> {
        super::SQLITE.iter().filter(|m| m.version <= upto).map(|m| m.sql).collect()
    }
}
