//! The only module that touches SQLite.
//!
//! One writer thread owns the only connection that writes, and every write is a
//! `BEGIN IMMEDIATE` transaction on it: writes are serialised in our process, and against
//! other processes (`certfolio import` or `backup` while the service runs) the immediate lock
//! plus `busy_timeout` means waiting, not failing. A few reader threads hold read-only
//! connections; WAL lets them read while a write is in progress. Handlers never block an
//! async thread on SQLite: they send a closure to these threads over a bounded channel and
//! await its answer.
//!
//! A write is acknowledged only after `COMMIT` returns, and every connection runs with
//! `synchronous=FULL`, so a 2xx answer survives `kill -9` and power loss alike.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use tokio::sync::oneshot;

pub mod accounts;
pub mod backup;
pub mod checks;
pub mod courses;
pub mod evidence;
pub mod institutions;
mod migrations;
pub mod portfolios;
pub mod sessions;
pub mod shares;

pub use backup::{BackupReport, backup_to};
pub use courses::{EvidenceMeta, ImportCounts, StoredCourse};

/// The database file inside the data folder.
pub const DB_FILE: &str = "certfolio.sqlite3";
/// How long a connection waits for another process's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const READER_THREADS: usize = 2;
/// Jobs waiting for a connection; beyond this, callers wait (back-pressure, not a growing queue).
const QUEUE_DEPTH: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    /// The write would break a uniqueness rule: what is wrong, as data.
    #[error("{0}")]
    Conflict(crate::domain::Problem),
    #[error("{0}")]
    QuotaExceeded(crate::domain::Problem),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot use the data folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("the database worker stopped")]
    Closed,
    /// A rule broken by the data a write computed (a bulk edit); the transaction rolled back.
    #[error("{0}")]
    Invalid(crate::domain::ValidationError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

type Job = Box<dyn FnOnce(&mut Connection) + Send + 'static>;

/// A cheap, clonable handle on the database. The worker threads stop when the last handle
/// is dropped.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    writer: flume::Sender<Job>,
    readers: flume::Sender<Job>,
    path: PathBuf,
    /// Bumped after every committed write of this process: caches of what was read keep
    /// the value they were filled at and know they are stale when it moved.
    generation: std::sync::atomic::AtomicU64,
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir`, migrates it to the current
    /// schema and starts the worker threads.
    pub fn open_in(data_dir: &Path) -> Result<Db> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::Io { path: data_dir.to_owned(), source })?;
        Db::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Db> {
        let mut writer = open_connection(path, false)?;
        migrations::MIGRATIONS.to_latest(&mut writer)?;
        let (writer_tx, writer_rx) = flume::bounded::<Job>(QUEUE_DEPTH);
        let (readers_tx, readers_rx) = flume::bounded::<Job>(QUEUE_DEPTH);
        spawn_worker("certfolio-db-writer", writer, writer_rx)?;
        for i in 0..READER_THREADS {
            let conn = open_connection(path, true)?;
            // A second guard: even a bug cannot write through a reader.
            conn.execute_batch("PRAGMA query_only = ON;")?;
            spawn_worker(&format!("certfolio-db-reader-{i}"), conn, readers_rx.clone())?;
        }
        Ok(Db {
            inner: Arc::new(Inner {
                writer: writer_tx,
                readers: readers_tx,
                path: path.to_owned(),
                generation: std::sync::atomic::AtomicU64::new(0),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Changes with every write committed through this handle (see `Inner::generation`).
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Runs `f` in a read transaction (one consistent snapshot) on a reader connection.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    {
        run(&self.inner.readers, move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })
        .await
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction on the writer; commits when `f` returns
    /// `Ok`, rolls back otherwise. The answer comes only after `COMMIT` returns.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    {
        let out = run(&self.inner.writer, move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await;
        // Also after a failed write: the transaction may have been rolled back at commit.
        self.inner.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        out
    }

    /// Answers when the database does (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        self.read(|tx| Ok(tx.query_row("SELECT count(*) FROM learners", [], |r| r.get::<_, i64>(0))?)).await?;
        Ok(())
    }
}

async fn run<T, F>(queue: &flume::Sender<Job>, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move |conn| {
        // A panic in one job must not kill the worker (and with it every later request);
        // the transaction guard rolls back while unwinding.
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| f(conn)))
            .unwrap_or_else(|_| Err(Error::Corrupt("a database job panicked".into())));
        let _ = tx.send(result);
    });
    queue.send_async(job).await.map_err(|_| Error::Closed)?;
    rx.await.map_err(|_| Error::Closed)?
}

fn spawn_worker(name: &str, mut conn: Connection, jobs: flume::Receiver<Job>) -> Result<()> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            while let Ok(job) = jobs.recv() {
                job(&mut conn);
            }
            // All handles are gone: the service is stopping. Let SQLite refresh its
            // statistics; failure here costs nothing but a slower plan next time.
            let _ = conn.execute_batch("PRAGMA optimize;");
        })
        .map(|_| ())
        .map_err(|source| Error::Io { path: PathBuf::from(name), source })
}

/// Opens a connection with the settings every connection must have (R01): WAL,
/// `synchronous=FULL`, foreign keys enforced, and a busy timeout. Used by the service, the
/// command line and backups alike.
pub fn open_connection(path: &Path, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if !read_only {
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt(format!("could not switch the database to WAL (journal_mode is {mode})")));
        }
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
    Ok(conn)
}

/// Maps "no row" to [`Error::NotFound`] so that a missing id and another learner's id
/// give the same answer.
pub(crate) trait OptionalExt<T> {
    fn found(self) -> Result<T>;
}

impl<T> OptionalExt<T> for rusqlite::Result<T> {
    fn found(self) -> Result<T> {
        match self {
            Ok(v) => Ok(v),
            Err(rusqlite::Error::QueryReturnedNoRows) => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        }
    }
}

pub(crate) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// Reads a UUID stored as text.
pub(crate) fn uuid_at(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<uuid::Uuid> {
    let text: String = row.get(idx)?;
    uuid::Uuid::parse_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations::MIGRATIONS.validate().is_ok());
    }

    #[tokio::test]
    async fn every_connection_has_the_durability_settings() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let check = |conn: &Connection| {
            let get = |p: &str| {
                conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap()
            };
            assert_eq!(get("journal_mode"), rusqlite::types::Value::Text("wal".into()));
            assert_eq!(get("synchronous"), rusqlite::types::Value::Integer(2));
            assert_eq!(get("foreign_keys"), rusqlite::types::Value::Integer(1));
            let rusqlite::types::Value::Integer(t) = get("busy_timeout") else { panic!() };
            assert!(t >= 5000);
        };
        // The writer, and each reader (asked several times so that every thread answers).
        db.write(move |tx| {
            check(tx);
            Ok(())
        })
        .await
        .unwrap();
        for _ in 0..8 {
            db.read(move |tx| {
                check(tx);
                Ok(())
            })
            .await
            .unwrap();
        }
    }

    #[tokio::test]
    async fn readers_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let err = db.read(|tx| Ok(tx.execute("DELETE FROM learners", [])?)).await;
        assert!(err.is_err());
    }
}
