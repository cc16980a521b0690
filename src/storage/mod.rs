//! The only module that touches the database and the object store.
//!
//! Two engines behind one set of queries: SQLite (the zero-setup default, one file in the data
//! folder) and PostgreSQL (N stateless instances on one database; CockroachDB and YugabyteDB
//! speak its protocol, see docs/DEPLOY.md). Every query is written once, in the SQL both accept
//! (`sql.rs` holds the few differences); each engine has its own migrations (`migrations.rs`).
//!
//! Handlers never block an async thread on the database: they send a closure to a pool of
//! worker threads over a bounded channel and await its answer. A closure gets a [`Tx`], runs in
//! one transaction and is answered only after `COMMIT` returns. On SQLite, one writer thread runs
//! every write as `BEGIN IMMEDIATE` and a few readers read in WAL snapshots (`sqlite.rs`); on
//! PostgreSQL, every worker reads and writes on its own connection, writes `SERIALIZABLE`, and a
//! write the server aborts with SQLSTATE 40001 is run again (`pg.rs`). So a write closure must be
//! re-runnable: it may only act through its transaction (the compiler holds it to `Fn`), and
//! whatever goes elsewhere (an evidence file into the object store) is done before it, by the
//! async caller.
//!
//! A write is acknowledged only after `COMMIT` returns; SQLite runs `synchronous=FULL` and
//! PostgreSQL's commit is durable by default, so a 2xx answer survives `kill -9` and power loss.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::oneshot;
use uuid::Uuid;

pub mod accounts;
pub mod backup;
pub mod checks;
mod coalesce;
pub mod copy;
pub mod courses;
pub mod evidence;
pub mod files;
pub mod institutions;
pub mod leases;
pub mod limits;
mod migrations;
pub mod pending;
mod pg;
mod pool;
pub mod portfolios;
pub mod sessions;
pub mod shares;
pub mod sql;
mod sqlite;

pub use backup::{BackupReport, backup_to};
pub use courses::{EvidenceMeta, ImportCounts, StoredCourse};
pub use sql::{Dialect, Row, Tx, Value};
pub use sqlite::{BUSY_TIMEOUT, open_connection};

/// The database file inside the data folder (the default `--database`).
pub const DB_FILE: &str = "certfolio.sqlite3";
/// The object store's folder inside the data folder (the default `--files`).
pub const FILES_DIR: &str = "files";
const SQLITE_READERS: usize = 2;
/// Connections (and worker threads) per instance on PostgreSQL, unless told otherwise.
pub const DEFAULT_CONNECTIONS: usize = 8;
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
    Database(sql::DbFailure),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("cannot use the data folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("the database worker stopped")]
    Closed,
    /// A rule broken by the data a write computed (a bulk edit); the transaction rolled back.
    #[error("{0}")]
    Invalid(crate::domain::ValidationError),
    /// The object store failed or refused (the message names the object, never a secret).
    #[error("file store: {0}")]
    Files(String),
    /// An attempt budget is spent: wait this many seconds (the transaction rolled back).
    #[error("too many attempts; wait {0} s")]
    Throttled(u64),
    /// Refused for a reason told to the operator or read by the caller, never to a client: a
    /// copy into a target that is not empty, or a transaction abandoned on purpose to be run
    /// again (an object being swept, an upload that may not wait).
    #[error("{0}")]
    Refused(String),
    /// A write committed, then what reads it back for the answer failed (a failover between
    /// the two): the change is stored, and the caller must be told so, not that it failed.
    #[error("stored, but reading it back failed: {0}")]
    StoredNotRead(Box<Error>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The same failure for another caller (a batch's writes each get one): storage failures
    /// are kept as they are; the rest (which a batch's `BEGIN` or `COMMIT` does not give) as
    /// their message.
    fn duplicate(&self) -> Error {
        match self {
            Error::Database(f) => Error::Database(f.clone()),
            Error::Closed => Error::Closed,
            Error::NotFound => Error::NotFound,
            other => Error::Corrupt(other.to_string()),
        }
    }
}

/// The read that answers a committed write: its failure says the change is stored
/// ([`Error::StoredNotRead`]). Not found stays so (the record was changed again meanwhile).
pub(crate) fn read_back<T>(read: Result<T>) -> Result<T> {
    read.map_err(|e| match e {
        Error::NotFound => Error::NotFound,
        other => Error::StoredNotRead(Box::new(other)),
    })
}

/// Whether `e` is a `UNIQUE` (or primary key) violation, on either engine.
pub(crate) fn is_unique_violation(e: &Error) -> bool {
    matches!(e, Error::Database(f) if f.kind == sql::FailureKind::UniqueViolation)
}

/// The kind of transaction a closure runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Read,
    /// A read made of one statement, which is its own snapshot: on PostgreSQL it runs without
    /// `BEGIN` and `COMMIT` (one round trip instead of three; the page views' lookups go
    /// further, see [`Db::lookup`]); a second statement is refused. The same as `Read` on
    /// SQLite.
    ReadOne,
    Write,
    /// A write whose statements are each an atomic upsert, ordered by the row locks they take
    /// (attempt counters): READ COMMITTED on PostgreSQL, so that a flood on one row queues
    /// instead of failing serialization; the same as `Write` on SQLite.
    Counting,
}

/// A worker thread's connection, on either engine.
pub(crate) trait Worker: Send {
    /// Runs `f` in one transaction (again, from the start, while the engine says it must);
    /// commits when it returns `Ok`, rolls back otherwise.
    fn transaction(&mut self, mode: Mode, f: &mut dyn FnMut(&Tx<'_>) -> Result<()>) -> Result<()>;
    /// The service is stopping (all handles are gone).
    fn stop(&mut self);
}

type Job = Box<dyn FnOnce(&mut dyn Worker) + Send + 'static>;

/// `--database`: where the database is.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (or a path): the file, created when missing.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, as libpq takes it (several hosts, `sslmode`,
    /// `target_session_attrs`…). Kept whole; shown only with its password hidden.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseUrl {
    /// Reads `--database`; the error says what is wrong without repeating a password.
    pub fn parse(text: &str) -> Result<DatabaseUrl, String> {
        let text = text.trim();
        if let Some(path) = text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err("sqlite:// needs a file path (sqlite://./data/certfolio.sqlite3)".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            text.parse::<postgres::Config>().map_err(|e| format!("not a usable PostgreSQL URL ({e})"))?;
            return Ok(DatabaseUrl::Postgres(text.to_owned()));
        }
        let scheme = text.split_once("://").map_or("", |(s, _)| s);
        Err(format!("`{scheme}://…` is not sqlite://PATH or postgres://…"))
    }

    /// The URL with any password replaced by `***`, for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            DatabaseUrl::Sqlite(_) => Dialect::Sqlite,
            DatabaseUrl::Postgres(_) => Dialect::Postgres,
        }
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`.
fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, tail) = rest.split_once('/').map_or((rest, None), |(a, t)| (a, Some(t)));
    let authority = match authority.rsplit_once('@') {
        Some((user, hosts)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{hosts}"),
            None => format!("{user}@{hosts}"),
        },
        None => authority.to_owned(),
    };
    let tail = tail.map(|t| {
        let (path, query) = t.split_once('?').map_or((t, None), |(p, q)| (p, Some(q)));
        match query {
            None => path.to_owned(),
            Some(q) => {
                let q: Vec<String> = q
                    .split('&')
                    .map(|kv| match kv.split_once('=') {
                        Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                        _ => kv.to_owned(),
                    })
                    .collect();
                format!("{path}?{}", q.join("&"))
            }
        }
    });
    match tail {
        Some(t) => format!("{scheme}://{authority}/{t}"),
        None => format!("{scheme}://{authority}"),
    }
}

/// Everything needed to open the storage of an installation.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseUrl,
    pub files: files::FilesUrl,
    /// PostgreSQL connections (worker threads) of this instance.
    pub connections: usize,
    /// CA certificates trusted for TLS to PostgreSQL, besides Mozilla's roots.
    pub database_ca: Vec<rustls::pki_types::CertificateDer<'static>>,
}

impl Settings {
    /// The zero-setup default: SQLite and the files folder, both in `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Settings {
        Settings {
            database: DatabaseUrl::Sqlite(data_dir.join(DB_FILE)),
            files: files::FilesUrl::Local(data_dir.join(FILES_DIR)),
            connections: DEFAULT_CONNECTIONS,
            database_ca: Vec::new(),
        }
    }
}

/// A cheap, clonable handle on the database and the file store. The worker threads stop
/// when the last handle is dropped.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    writer: pool::Queue,
    readers: pool::Queue,
    dialect: Dialect,
    /// The database, for messages (password hidden).
    location: String,
    /// The SQLite file, when it is one.
    path: Option<PathBuf>,
    files: files::FileStore,
    /// The writes waiting for each learner whose writes are being run (see [`Db::write_for`]):
    /// an entry exists exactly while a task runs that learner's writes.
    learner_writes: std::sync::Mutex<std::collections::HashMap<Uuid, Vec<LearnerWrite>>>,
    /// Concurrent opens of one share link (see `shares::share_by_token`).
    share_lookups: coalesce::Coalescer<[u8; 32], Option<(shares::Share, i64)>>,
    /// Concurrent lookups of one session (see `sessions::session`).
    session_lookups: coalesce::Coalescer<[u8; 32], Option<sessions::SessionRow>>,
    /// PostgreSQL's connection for [`Db::lookup`] (none on SQLite).
    lookups: Option<pg::Lookups>,
}

/// Writes of one learner committed together at most (a bound on one transaction's size).
const BATCH_MAX: usize = 32;

type Output = Box<dyn std::any::Any + Send>;
/// A write closure whose output's type is erased (its caller downcasts it back).
type ErasedWrite = Box<dyn Fn(&Tx<'_>) -> Result<Output> + Send>;

/// A write waiting for its learner's turn: the closure, with its output's type erased, and
/// where to answer.
struct LearnerWrite {
    f: ErasedWrite,
    answer: oneshot::Sender<Result<Output>>,
}

impl Db {
    /// Opens (creating if needed) the default storage in `data_dir`: SQLite and the files folder.
    pub fn open_in(data_dir: &Path) -> Result<Db> {
        Db::open(&Settings::in_data_dir(data_dir))
    }

    /// Opens the storage `settings` name, migrates the database to the current schema (or
    /// waits while another instance does) and starts the worker threads.
    pub fn open(settings: &Settings) -> Result<Db> {
        let files = files::FileStore::open(&settings.files)?;
        let (writer_tx, writer_rx) = pool::queue(QUEUE_DEPTH);
        let (readers_tx, readers_rx) = match settings.database {
            DatabaseUrl::Sqlite(_) => pool::queue(QUEUE_DEPTH),
            // One pool: every connection reads and writes.
            DatabaseUrl::Postgres(_) => (writer_tx.clone(), writer_rx.clone()),
        };
        let mut lookups = None;
        let path = match &settings.database {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
                }
                let mut writer = sqlite::SqliteWorker::new(open_connection(path, false)?);
                migrations::run(&mut writer, Dialect::Sqlite)?;
                spawn_worker("certfolio-db-writer", Box::new(writer), writer_rx)?;
                for i in 0..SQLITE_READERS {
                    let conn = open_connection(path, true)?;
                    // A second guard: even a bug cannot write through a reader.
                    conn.execute_batch("PRAGMA query_only = ON;")?;
                    spawn_worker(
                        &format!("certfolio-db-reader-{i}"),
                        Box::new(sqlite::SqliteWorker::new(conn)),
                        readers_rx.clone(),
                    )?;
                }
                Some(path.clone())
            }
            DatabaseUrl::Postgres(url) => {
                let target = pg::Target::new(url, &settings.database_ca).map_err(Error::Migration)?;
                // The synchronous client runs a runtime of its own, which must not start on an
                // async thread (the caller's may be one): the first worker connects and migrates
                // on its own thread, and says how it went before taking jobs.
                let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<()>>();
                let first = target.clone();
                let jobs = writer_rx.clone();
                std::thread::Builder::new()
                    .name("certfolio-db-0".into())
                    .spawn(move || {
                        let migrated = first.connect().and_then(|client| {
                            let mut worker = pg::PgWorker::new(first.clone(), Some(client));
                            migrations::run(&mut worker, Dialect::Postgres).map(|()| worker)
                        });
                        match migrated {
                            Ok(mut worker) => {
                                let _ = ready_tx.send(Ok(()));
                                jobs.work(&mut worker);
                            }
                            Err(e) => {
                                let _ = ready_tx.send(Err(e));
                            }
                        }
                    })
                    .map_err(|source| Error::Io { path: PathBuf::from("certfolio-db-0"), source })?;
                ready_rx.recv().map_err(|_| Error::Closed)??;
                for i in 1..settings.connections.max(1) {
                    // Connected on first use, so a start does not wait for N connections.
                    let worker = pg::PgWorker::new(target.clone(), None);
                    spawn_worker(&format!("certfolio-db-{i}"), Box::new(worker), writer_rx.clone())?;
                }
                lookups = Some(pg::Lookups::new(target));
                None
            }
        };
        Ok(Db {
            inner: Arc::new(Inner {
                writer: writer_tx,
                readers: readers_tx,
                dialect: settings.database.dialect(),
                location: settings.database.redacted(),
                path,
                files,
                learner_writes: std::sync::Mutex::default(),
                share_lookups: coalesce::Coalescer::default(),
                session_lookups: coalesce::Coalescer::default(),
                lookups,
            }),
        })
    }

    /// The SQLite file, when the database is one.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    pub fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// The database, for messages (any password hidden).
    pub fn location(&self) -> &str {
        &self.inner.location
    }

    pub fn files(&self) -> &files::FileStore {
        &self.inner.files
    }

    /// Runs `f` in a read transaction (one consistent snapshot).
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        run(&self.inner.readers, Mode::Read, f).await
    }

    /// Runs `f`, which makes exactly one statement, as a read (see [`Mode::ReadOne`]); a
    /// closure that makes a second one gets an error instead of a torn snapshot.
    pub async fn read_one<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        run(&self.inner.readers, Mode::ReadOne, f).await
    }

    /// The row (at most one) that `sql`, one statement, reads now: `before_send` runs right
    /// before the statement is sent (for [`coalesce::Claim::now`]). The reads every page view
    /// makes: on PostgreSQL they are sent from the caller's own task on a connection of their
    /// own (`pg::Lookups`), not handed to a worker thread; on SQLite they run as
    /// [`Db::read_one`] (there is no connection to share between threads there).
    pub(crate) async fn lookup<B>(&self, sql: String, params: Vec<Value>, before_send: B) -> Result<Option<Row>>
    where
        B: Fn() + Send + Sync + 'static,
    {
        match &self.inner.lookups {
            Some(lookups) => lookups.row(&sql, &params, &before_send).await,
            None => {
                self.read_one(move |tx| {
                    before_send();
                    tx.query_opt(&sql, &params)
                })
                .await
            }
        }
    }

    /// Runs `f` in a write transaction; commits when `f` returns `Ok`, rolls back otherwise.
    /// The answer comes only after `COMMIT` returns. `f` may run more than once (see the
    /// module's documentation): it must act only through its transaction.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        run(&self.inner.writer, Mode::Write, f).await
    }

    /// Runs `f` as a write that changes `learner`'s record (the same contract as [`Db::write`]).
    ///
    /// Every such write bumps the learner row (the revision), so on PostgreSQL two at once
    /// would make one of them fail serialization and start again. This instance therefore runs
    /// one learner's writes one batch at a time, in the order they came: the writes that
    /// arrived while a batch ran are committed together in the next one (a group commit, one
    /// `COMMIT` for all, each write seeing those before it). A batch in which one write fails
    /// is rolled back and its writes are run again one transaction each, so each gets its own
    /// answer; a batch whose `COMMIT` got no answer is not run again (its writes may be stored)
    /// and each of its writes gets the error, never an acknowledgement. Writes of the same
    /// learner from other instances still meet at the row, and are retried.
    /// SQLite's single writer already takes writes one at a time, each commit in-process.
    pub async fn write_for<T, F>(&self, learner: Uuid, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        if self.inner.dialect == Dialect::Sqlite {
            return self.write(f).await;
        }
        let (answer, answered) = oneshot::channel();
        let write = LearnerWrite { f: Box::new(move |tx| f(tx).map(|v| Box::new(v) as Output)), answer };
        let lead = {
            let mut waiting = self.inner.learner_writes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match waiting.get_mut(&learner) {
                Some(queue) => {
                    queue.push(write);
                    false
                }
                None => {
                    waiting.insert(learner, vec![write]);
                    true
                }
            }
        };
        if lead {
            // A task of its own, so that a caller who goes away (a closed connection drops its
            // future) does not leave the writes queued behind it without a runner.
            let db = self.clone();
            tokio::spawn(async move { db.run_learner_writes(learner).await });
        }
        let out = answered.await.map_err(|_| Error::Closed)??;
        out.downcast::<T>().map(|b| *b).map_err(|_| Error::Corrupt("a write answered with another type".into()))
    }

    /// Runs `learner`'s waiting writes, a batch at a time, until none is left: one job on one
    /// worker thread, which takes each next batch itself (no hop back to an async task between
    /// two batches of a busy learner).
    async fn run_learner_writes(&self, learner: Uuid) {
        let db = self.clone();
        let job: Job = Box::new(move |worker| {
            loop {
                let batch = {
                    let mut waiting = db.inner.learner_writes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    let Some(queue) = waiting.get_mut(&learner) else { return };
                    if queue.is_empty() {
                        waiting.remove(&learner);
                        return;
                    }
                    let n = queue.len().min(BATCH_MAX);
                    queue.drain(..n).collect::<Vec<_>>()
                };
                run_batch(worker, batch);
            }
        });
        if self.inner.writer.send(job).await.is_err() {
            // The workers are gone: the waiting writes are dropped, and their callers told so.
            self.inner.learner_writes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&learner);
        }
    }

    /// Runs `f` as a counting write (see [`Mode::Counting`]): only for closures made of atomic
    /// upserts, each of which is right on its own at READ COMMITTED (`limits.rs`).
    pub(crate) async fn write_counting<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        run(&self.inner.writer, Mode::Counting, f).await
    }

    /// Answers when the database does (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        self.read(|tx| tx.query_value::<i64>("SELECT count(*) FROM schema_migrations", &[])).await?;
        Ok(())
    }
}

async fn run<T, F>(queue: &pool::Queue, mode: Mode, f: F) -> Result<T>
where
    T: Send + 'static,
    F: Fn(&Tx<'_>) -> Result<T> + Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move |worker| {
        let _ = tx.send(run_on(worker, mode, &f));
    });
    queue.send(job).await.map_err(|_| Error::Closed)?;
    rx.await.map_err(|_| Error::Closed)?
}

/// Runs `f` in one transaction of `mode` on `worker`, and its output. A panic in one closure
/// must not kill the worker (and with it every later request): it is an error, and the
/// transaction guard rolls back while unwinding.
fn run_on<T>(worker: &mut dyn Worker, mode: Mode, f: &dyn Fn(&Tx<'_>) -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut out = None;
        worker.transaction(mode, &mut |t| {
            out = Some(f(t)?);
            Ok(())
        })?;
        out.ok_or(Error::Closed)
    }))
    .unwrap_or_else(|_| Err(Error::Corrupt("a database job panicked".into())))
}

/// Runs a batch of one learner's writes on `worker`: together in one transaction, or, when one
/// of them fails, each in its own (see [`Db::write_for`]).
fn run_batch(worker: &mut dyn Worker, batch: Vec<LearnerWrite>) {
    if batch.len() > 1 {
        let mut outs: Vec<Output> = Vec::with_capacity(batch.len());
        // Whether a write of the last attempt failed (then nothing was committed).
        let mut failed_inside = false;
        let together = std::panic::catch_unwind(AssertUnwindSafe(|| {
            worker.transaction(Mode::Write, &mut |tx| {
                outs.clear();
                failed_inside = true;
                for w in &batch {
                    outs.push((w.f)(tx)?);
                }
                failed_inside = false;
                Ok(())
            })
        }));
        match together {
            Ok(Ok(())) => {
                for (w, out) in batch.into_iter().zip(outs) {
                    let _ = w.answer.send(Ok(out));
                }
                return;
            }
            // Failed at BEGIN or COMMIT: not run again, since a COMMIT without an answer may
            // have stored it; every write gets the error.
            Ok(Err(e)) if !failed_inside => {
                for w in batch {
                    let _ = w.answer.send(Err(e.duplicate()));
                }
                return;
            }
            // A write failed or panicked: the transaction rolled back; each on its own below.
            Ok(Err(_)) | Err(_) => {}
        }
    }
    for w in batch {
        let _ = w.answer.send(run_on(worker, Mode::Write, &w.f));
    }
}

fn spawn_worker(name: &str, mut worker: Box<dyn Worker>, jobs: pool::Jobs) -> Result<()> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || jobs.work(worker.as_mut()))
        .map(|_| ())
        .map_err(|source| Error::Io { path: PathBuf::from(name), source })
}

/// Bumps the learner's record revision, in the transaction that changes what a portfolio shows
/// (profile, courses, attestations, badges, evidence, institutions, saved portfolios): pages
/// and PDFs cached by revision, on every instance, are then stale at once.
pub(crate) fn bump_revision(tx: &Tx<'_>, learner: Uuid) -> Result<()> {
    tx.execute("UPDATE learners SET revision = revision + 1 WHERE id = $1", sql::vals![learner])?;
    Ok(())
}

/// SHA-256 of `bytes`, as lower-case hex (how evidence and uploads are named in the store).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new account on `db`, for tests of what it records.
    pub(super) async fn learner(db: &Db) -> Uuid {
        let new = accounts::NewLearner {
            id: Uuid::new_v4(),
            email: "a@example.org".into(),
            password_hash: "x".into(),
            name: "A".into(),
            now: 1,
        };
        db.create_learner(new).await.unwrap().id
    }

    /// A course committed and then not read back (a failover between the two) was answered as
    /// a database that could not be reached: the read-back's failure now says it is stored.
    #[test]
    fn a_read_back_that_fails_says_the_write_is_stored() {
        let lost = || {
            Err::<(), _>(Error::Database(sql::DbFailure { kind: sql::FailureKind::Connection, message: "x".into() }))
        };
        assert!(matches!(read_back(lost()), Err(Error::StoredNotRead(e)) if matches!(*e, Error::Database(_))));
        assert!(matches!(read_back(Err::<(), _>(Error::Closed)), Err(Error::StoredNotRead(_))));
        assert!(matches!(read_back(Err::<(), _>(Error::NotFound)), Err(Error::NotFound)));
        assert!(matches!(read_back(Ok(7)), Ok(7)));
    }

    /// A reader whose database has gone (a failover between a write's COMMIT and its read-back).
    struct Unreachable;

    impl Worker for Unreachable {
        fn transaction(&mut self, _: Mode, _: &mut dyn FnMut(&Tx<'_>) -> Result<()>) -> Result<()> {
            Err(Error::Database(sql::DbFailure { kind: sql::FailureKind::Connection, message: "gone".into() }))
        }
        fn stop(&mut self) {}
    }

    /// The case scripts/failover.sh found: a course committed, its read-back met a database
    /// that had stopped answering, and the answer said the database "cannot be reached". (A
    /// new course is no longer read back; a changed one still is.)
    #[tokio::test]
    async fn a_course_stored_then_not_read_back_is_answered_as_stored() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let learner = learner(&db).await;
        let record: crate::domain::CourseRecord = serde_json::from_str(r#"{"title":"Rust"}"#).unwrap();
        let id = db.create_course(learner, record, 2).await.unwrap().id;
        // The same installation, its readers replaced by ones whose database is gone.
        let Ok(inner) = Arc::try_unwrap(db.inner) else { panic!("the database is shared") };
        let (readers, jobs) = pool::queue(4);
        spawn_worker("unreachable-reader", Box::new(Unreachable), jobs).unwrap();
        let db = Db { inner: Arc::new(Inner { readers, ..inner }) };
        let changed: crate::domain::CourseRecord = serde_json::from_str(r#"{"title":"Rust, again"}"#).unwrap();
        let answer = db.update_course(learner, id, changed, 3).await;
        assert!(matches!(answer, Err(Error::StoredNotRead(_))), "{answer:?}");
        let stored = db
            .write(move |tx| tx.query_value::<i64>("SELECT count(*) FROM courses WHERE title = 'Rust, again'", &[]))
            .await
            .unwrap();
        assert_eq!(stored, 1, "the course is stored, as the answer says");
    }

    #[tokio::test]
    async fn every_connection_has_the_durability_settings() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let check = |tx: &Tx<'_>| {
            let get = |p: &str| tx.query_value::<Value>(&format!("PRAGMA {p}"), &[]).unwrap();
            assert_eq!(get("journal_mode"), Value::Text("wal".into()));
            assert_eq!(get("synchronous"), Value::Int(2));
            assert_eq!(get("foreign_keys"), Value::Int(1));
            let Value::Int(t) = get("busy_timeout") else { panic!() };
            assert!(t >= 5000);
            Ok(())
        };
        // The writer, and each reader (asked several times so that every thread answers).
        db.write(check).await.unwrap();
        for _ in 0..8 {
            db.read(check).await.unwrap();
        }
    }

    #[tokio::test]
    async fn readers_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path()).unwrap();
        let err = db.read(|tx| tx.execute("DELETE FROM learners", &[])).await;
        assert!(err.is_err());
    }

    #[test]
    fn database_urls_are_read_and_shown_without_secrets() {
        let pg =
            DatabaseUrl::parse("postgres://app:s3cret@db1:5432,db2:5432/certfolio?target_session_attrs=read-write")
                .unwrap();
        assert_eq!(pg.redacted(), "postgres://app:***@db1:5432,db2:5432/certfolio?target_session_attrs=read-write");
        assert!(!format!("{pg:?}").contains("s3cret"));
        let q = DatabaseUrl::parse("postgresql://app@db/c?password=s3cret&sslmode=require").unwrap();
        assert_eq!(q.redacted(), "postgresql://app@db/c?password=***&sslmode=require");
        assert!(
            matches!(DatabaseUrl::parse("sqlite://./data/x.sqlite3"), Ok(DatabaseUrl::Sqlite(p)) if p == Path::new("./data/x.sqlite3"))
        );
        assert!(
            matches!(DatabaseUrl::parse("sqlite:///srv/c.db"), Ok(DatabaseUrl::Sqlite(p)) if p == Path::new("/srv/c.db"))
        );
        assert!(DatabaseUrl::parse("mysql://x").unwrap_err().contains("mysql://"));
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        let bad = DatabaseUrl::parse("postgres://u:pw@h/db?sslmode=sometimes").unwrap_err();
        assert!(!bad.contains("pw@"), "{bad}");
    }

    #[tokio::test]
    async fn a_database_made_by_rusqlite_migration_is_adopted_and_moved_on() {
        // The schema as earlier builds left it: migrations 1–9 (before imports) or 1–11 (main's
        // imports and proof checks, the databases in the field) and `PRAGMA user_version`.
        for upto in [9, 11] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(DB_FILE);
            {
                let conn = open_connection(&path, false).unwrap();
                for m in migrations::tests_support::legacy(upto) {
                    conn.execute_batch(m).unwrap();
                }
                conn.execute_batch(&format!("PRAGMA user_version = {upto};")).unwrap();
            }
            let db = Db::open_in(dir.path()).unwrap();
            let versions: Vec<i64> = db
                .read(|tx| {
                    tx.query("SELECT version FROM schema_migrations ORDER BY version", &[])?
                        .iter()
                        .map(|r| r.get(0))
                        .collect()
                })
                .await
                .unwrap();
            assert_eq!(versions, (1..=migrations::latest(Dialect::Sqlite)).collect::<Vec<_>>(), "from {upto}");
            let triggers: i64 = db
                .read(|tx| tx.query_value("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", &[]))
                .await
                .unwrap();
            assert_eq!(triggers, 0, "no trigger left (from {upto})");
            let tables: i64 = db
                .read(|tx| {
                    tx.query_value(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table'
                         AND name IN ('imports', 'proof_checks', 'proof_check_changes', 'throttle', 'pending_imports')",
                        &[],
                    )
                })
                .await
                .unwrap();
            assert_eq!(tables, 5, "from {upto}");
        }
    }
}
