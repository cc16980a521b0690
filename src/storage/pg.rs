//! The PostgreSQL engine (and the engines that speak its protocol: CockroachDB, YugabyteDB).
//!
//! A fixed set of worker threads each own one connection (the synchronous `postgres` client,
//! which runs its own small runtime: it must never be called from an async thread, and is not:
//! handlers send closures here as they do to SQLite's threads). Reads run in `REPEATABLE READ
//! READ ONLY` transactions (one snapshot), writes in `SERIALIZABLE` ones, whatever the server's
//! default, so that a write closure sees what SQLite's single writer would. A transaction the
//! server aborts to stay serializable (SQLSTATE 40001, or a deadlock, 40P01) is run again from
//! the start, after a short random pause: write closures are re-runnable by construction (they
//! only touch the transaction).
//!
//! A lost connection (a restart, a failover: 57P01, class 08, or a primary that became a
//! standby, 25006) is opened again on the next attempt; the URL may name several hosts with
//! `target_session_attrs=read-write`, so the new connection finds the new primary. A transaction
//! that had not reached `COMMIT` is then run again; one whose `COMMIT` got no answer is *not*
//! (it may have been stored): its caller gets an error, so it was never acknowledged.
//!
//! The one-statement lookups every page view makes (a share link, a session) are the
//! exception to the worker threads: [`Lookups`] sends them from the async threads on one more
//! connection, with the asynchronous client the synchronous one is built on.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, IsolationLevel, Statement};

use super::sql::{DbFailure, Dialect, Engine, FailureKind, Row, Tx, Value};
use super::{Error, Mode, Result, Worker};

/// Attempts of one transaction before a serialization failure is given up on.
const MAX_ATTEMPTS: u32 = 40;
/// How long a worker keeps trying to reconnect before failing the job in hand.
const RECONNECT_FOR: Duration = Duration::from_secs(30);

/// How to reach the server: the parsed URL and the TLS set-up (`sslmode` in the URL decides
/// whether TLS is used: `disable`, `prefer` (the default) or `require`; certificates are
/// checked against Mozilla's roots plus `--database-ca`).
#[derive(Clone)]
pub(super) struct Target {
    pub config: postgres::Config,
    /// The same URL for the asynchronous client of [`Lookups`].
    pub async_config: tokio_postgres::Config,
    pub tls: tokio_postgres_rustls::MakeRustlsConnect,
}

impl Target {
    pub(super) fn new(url: &str, extra_roots: &[rustls::pki_types::CertificateDer<'static>]) -> Result<Target, String> {
        let config: postgres::Config = url.parse().map_err(|e| format!("not a PostgreSQL URL ({e})"))?;
        let async_config: tokio_postgres::Config = url.parse().map_err(|e| format!("not a PostgreSQL URL ({e})"))?;
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for cert in extra_roots {
            roots.add(cert.clone()).map_err(|e| format!("not a usable CA certificate ({e})"))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS set-up failed: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Target { config, async_config, tls: tokio_postgres_rustls::MakeRustlsConnect::new(tls) })
    }

    pub(super) fn connect(&self) -> Result<Client> {
        let mut client = self.config.connect(self.tls.clone()).map_err(pg_error)?;
        // PostgreSQL watches what a SERIALIZABLE transaction reads with predicate locks, and a
        // sequential scan locks the whole table (its manual, "Serializable Isolation Level",
        // advises encouraging index scans): on tables still small enough for the planner to
        // prefer one (a new installation's `learners`), every write would then conflict with
        // every other and most would be aborted and run again. Every query of certfolio has an
        // index to use. Engines without this setting (CockroachDB has no predicate locks) refuse
        // it, which changes nothing there.
        if let Err(e) = client.batch_execute(NO_SEQSCAN) {
            tracing::debug!(cause = %e, "the database does not take enable_seqscan; left as it is");
        }
        Ok(client)
    }
}

const NO_SEQSCAN: &str = "SET enable_seqscan = off";

pub(super) struct PgWorker {
    target: Target,
    client: Option<Client>,
    /// Prepared statements of `client` (cleared with it, and every [`REPLAN_EVERY`]).
    statements: RefCell<HashMap<String, Statement>>,
    /// When `statements` was last emptied.
    planned_at: std::time::Instant,
}

/// How long a connection keeps its prepared statements. PostgreSQL plans a prepared statement
/// again only when a table's statistics are refreshed (autovacuum, a minute apart at best): a
/// plan made while a new installation's tables were nearly empty could otherwise outlive the
/// growth that makes it slow. Preparing again costs one round trip per statement.
const REPLAN_EVERY: Duration = Duration::from_secs(30);

impl PgWorker {
    pub(super) fn new(target: Target, client: Option<Client>) -> PgWorker {
        PgWorker { target, client, statements: RefCell::default(), planned_at: std::time::Instant::now() }
    }

    fn ensure_connected(&mut self) -> Result<()> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.statements.borrow_mut().clear();
            self.client = None;
            let started = std::time::Instant::now();
            let mut pause = Duration::from_millis(50);
            loop {
                match self.target.connect() {
                    Ok(c) => {
                        self.client = Some(c);
                        break;
                    }
                    Err(e) if started.elapsed() < RECONNECT_FOR => {
                        tracing::warn!(cause = %e, "database connection failed; trying again");
                        std::thread::sleep(pause);
                        pause = (pause * 2).min(Duration::from_secs(2));
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }
}

/// The one-statement reads that every view of a page makes (a share link, a session), made
/// from the async threads on one connection of their own instead of on a worker thread: the
/// hand-off to a worker and back (two thread wake-ups per lookup, on a machine whose cores
/// the requests need) was most of what a cached recruiter page cost beyond a static file.
/// The asynchronous client pipelines concurrent lookups on that connection; PostgreSQL answers
/// them in turn on one backend, a few microseconds each, so one connection is not what limits
/// an instance. The statement runs on its own, as [`Mode::ReadOne`] on a worker does: one
/// snapshot, taken when it starts.
pub(super) struct Lookups {
    target: Target,
    /// The connection in use; replaced (under the lock, by one caller) when it is lost.
    conn: tokio::sync::Mutex<Option<Arc<LookupConn>>>,
}

struct LookupConn {
    client: tokio_postgres::Client,
    /// Its prepared statements by text, emptied every [`REPLAN_EVERY`] as on the workers.
    statements: std::sync::Mutex<(HashMap<String, Statement>, std::time::Instant)>,
}

impl Lookups {
    pub(super) fn new(target: Target) -> Lookups {
        Lookups { target, conn: tokio::sync::Mutex::new(None) }
    }

    /// The row `sql` returns, if any (more than one is an error); `before_send` runs right
    /// before the statement is sent (again if it is sent again).
    pub(super) async fn row(
        &self,
        sql: &str,
        params: &[Value],
        before_send: &(dyn Fn() + Sync),
    ) -> Result<Option<Row>> {
        let mut attempt = 0;
        let mut broken: Option<Arc<LookupConn>> = None;
        loop {
            attempt += 1;
            let conn = self.connection(broken.take()).await?;
            match conn.row(sql, params, before_send).await {
                Ok(row) => return Ok(row),
                // A read stored nothing: it is always safe to run again.
                Err(e) if kind_of(&e) == Some(FailureKind::Serialization) && attempt < MAX_ATTEMPTS => {
                    tokio::time::sleep(retry_pause(attempt)).await;
                }
                Err(e) if kind_of(&e) == Some(FailureKind::Connection) && attempt < MAX_ATTEMPTS => {
                    tracing::warn!(cause = %e, "database connection for lookups lost; opening it again");
                    broken = Some(conn);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The connection to use: the current one, or a new one if there is none or `broken` is
    /// it (callers who found it broken together open one between them).
    async fn connection(&self, broken: Option<Arc<LookupConn>>) -> Result<Arc<LookupConn>> {
        let mut current = self.conn.lock().await;
        if let Some(c) = current.as_ref() {
            let lost = broken.as_ref().is_some_and(|b| Arc::ptr_eq(b, c)) || c.client.is_closed();
            if !lost {
                return Ok(Arc::clone(c));
            }
        }
        *current = None;
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(50);
        loop {
            match self.connect().await {
                Ok(c) => {
                    let c = Arc::new(c);
                    *current = Some(Arc::clone(&c));
                    return Ok(c);
                }
                Err(e) if started.elapsed() < RECONNECT_FOR => {
                    tracing::warn!(cause = %e, "database connection for lookups failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn connect(&self) -> Result<LookupConn> {
        let (client, connection) = self.target.async_config.connect(self.target.tls.clone()).await.map_err(pg_error)?;
        // The connection's socket is driven by a task of its own; it ends when the client is
        // dropped or the server goes away (the client then says it is closed).
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(cause = %e, "database connection for lookups ended");
            }
        });
        // The same reason as on the workers (`Target::connect`): a serializable server default
        // makes this statement take predicate locks, which must not cover whole tables.
        if let Err(e) = client.batch_execute(NO_SEQSCAN).await {
            tracing::debug!(cause = %e, "the database does not take enable_seqscan; left as it is");
        }
        Ok(LookupConn { client, statements: std::sync::Mutex::new((HashMap::new(), std::time::Instant::now())) })
    }
}

impl LookupConn {
    async fn row(&self, sql: &str, params: &[Value], before_send: &(dyn Fn() + Sync)) -> Result<Option<Row>> {
        let known = {
            let mut guard = self.statements.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (statements, planned_at) = &mut *guard;
            if planned_at.elapsed() >= REPLAN_EVERY {
                statements.clear();
                *planned_at = std::time::Instant::now();
            }
            statements.get(sql).cloned()
        };
        let stmt = match known {
            Some(s) => s,
            None => {
                let s = self.client.prepare(sql).await.map_err(pg_error)?;
                let mut guard = self.statements.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                guard.0.insert(sql.to_owned(), s.clone());
                s
            }
        };
        before_send();
        let row = self.client.query_opt(&stmt, &bind(params)).await.map_err(pg_error)?;
        row.as_ref().map(row_values).transpose()
    }
}

/// Where in a transaction a failure happened: before `COMMIT` nothing is stored, at `COMMIT`
/// nobody knows.
enum Failed {
    Before(Error),
    AtCommit(Error),
}

fn kind_of(e: &Error) -> Option<FailureKind> {
    match e {
        Error::Database(DbFailure { kind, .. }) => Some(*kind),
        _ => None,
    }
}

impl Worker for PgWorker {
    fn transaction(&mut self, mode: Mode, f: &mut dyn FnMut(&Tx<'_>) -> Result<()>) -> Result<()> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.ensure_connected()?;
            if self.planned_at.elapsed() >= REPLAN_EVERY {
                self.statements.borrow_mut().clear();
                self.planned_at = std::time::Instant::now();
            }
            let client = self.client.as_mut().ok_or(Error::Closed)?;
            let outcome = run_once(client, &self.statements, mode, f);
            let outcome = match outcome {
                Ok(()) => return Ok(()),
                Err(failed) => failed,
            };
            match outcome {
                Failed::Before(e) if kind_of(&e) == Some(FailureKind::Serialization) && attempt < MAX_ATTEMPTS => {
                    pause_before_retry(attempt);
                }
                Failed::Before(e) if kind_of(&e) == Some(FailureKind::Connection) && attempt < MAX_ATTEMPTS => {
                    tracing::warn!(cause = %e, "database connection lost; running the transaction again");
                    self.client = None;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Failed::Before(e) => return Err(e),
                Failed::AtCommit(e) => {
                    return Err(match e {
                        Error::Database(DbFailure { kind: FailureKind::Connection, message }) => {
                            self.client = None;
                            Error::Database(DbFailure { kind: FailureKind::CommitUnknown, message })
                        }
                        other => other,
                    });
                }
            }
        }
    }

    fn stop(&mut self) {}
}

/// A random pause growing with the attempts (1 ms … 64 ms), so that transactions that just
/// collided do not collide again in step.
fn pause_before_retry(attempt: u32) {
    std::thread::sleep(retry_pause(attempt));
}

fn retry_pause(attempt: u32) -> Duration {
    let cap = 1u64 << attempt.min(6);
    let mut byte = [0u8; 2];
    let jitter = if getrandom::fill(&mut byte).is_ok() { u64::from(u16::from_le_bytes(byte)) } else { 0 };
    Duration::from_micros(500 + jitter % (cap * 1000))
}

fn run_once(
    client: &mut Client,
    statements: &RefCell<HashMap<String, Statement>>,
    mode: Mode,
    f: &mut dyn FnMut(&Tx<'_>) -> Result<()>,
) -> Result<(), Failed> {
    let (isolation, read_only) = match mode {
        Mode::ReadOne => {
            // No transaction: the one statement runs on its own, atomically, in one snapshot.
            let engine = PgTx { conn: RefCell::new(Conn::Single(client, false)), statements };
            return f(&Tx::new(&engine)).map_err(Failed::Before);
        }
        Mode::Read => (IsolationLevel::RepeatableRead, true),
        Mode::Write => (IsolationLevel::Serializable, false),
        Mode::Counting => (IsolationLevel::ReadCommitted, false),
    };
    let tx = client
        .build_transaction()
        .isolation_level(isolation)
        .read_only(read_only)
        .start()
        .map_err(|e| Failed::Before(pg_error(e)))?;
    let engine = PgTx { conn: RefCell::new(Conn::Tx(tx)), statements };
    f(&Tx::new(&engine)).map_err(Failed::Before)?;
    let Conn::Tx(tx) = engine.conn.into_inner() else { unreachable!("a transaction was started above") };
    tx.commit().map_err(|e| {
        let e = pg_error(e);
        // A serialization failure reported at COMMIT stored nothing: it is retried like any.
        if kind_of(&e) == Some(FailureKind::Serialization) { Failed::Before(e) } else { Failed::AtCommit(e) }
    })
}

/// What a closure's statements run on: a transaction, or the bare connection for one
/// statement (whether it has been made).
enum Conn<'a> {
    Tx(postgres::Transaction<'a>),
    Single(&'a mut Client, bool),
}

impl Conn<'_> {
    fn client(&mut self) -> Result<&mut dyn ClientLike> {
        match self {
            Conn::Tx(tx) => Ok(tx),
            Conn::Single(_, true) => {
                Err(Error::Corrupt("a one-statement read made a second statement (use Db::read for a snapshot)".into()))
            }
            Conn::Single(client, used) => {
                *used = true;
                Ok(*client)
            }
        }
    }
}

/// The calls a statement needs, on a transaction or a connection alike.
trait ClientLike {
    fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error>;
    fn execute(&mut self, stmt: &Statement, params: &[&(dyn ToSql + Sync)]) -> Result<u64, postgres::Error>;
    fn query(
        &mut self,
        stmt: &Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, postgres::Error>;
    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error>;
}

macro_rules! client_like {
    ($t:ty) => {
        impl ClientLike for $t {
            fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
                <$t>::prepare(self, sql)
            }
            fn execute(&mut self, stmt: &Statement, params: &[&(dyn ToSql + Sync)]) -> Result<u64, postgres::Error> {
                <$t>::execute(self, stmt, params)
            }
            fn query(
                &mut self,
                stmt: &Statement,
                params: &[&(dyn ToSql + Sync)],
            ) -> Result<Vec<postgres::Row>, postgres::Error> {
                <$t>::query(self, stmt, params)
            }
            fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
                <$t>::batch_execute(self, sql)
            }
        }
    };
}
client_like!(Client);
client_like!(postgres::Transaction<'_>);

struct PgTx<'a> {
    conn: RefCell<Conn<'a>>,
    /// The connection's prepared statements, by text: a query is parsed and planned once per
    /// connection, then each use is one round trip.
    statements: &'a RefCell<HashMap<String, Statement>>,
}

impl PgTx<'_> {
    fn statement(&self, conn: &mut dyn ClientLike, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = conn.prepare(sql).map_err(pg_error)?;
        self.statements.borrow_mut().insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

fn bind(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Engine for PgTx<'_> {
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut conn = self.conn.borrow_mut();
        let conn = conn.client()?;
        let stmt = self.statement(conn, sql)?;
        conn.execute(&stmt, &bind(params)).map_err(pg_error)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut conn = self.conn.borrow_mut();
        let conn = conn.client()?;
        let stmt = self.statement(conn, sql)?;
        let rows = conn.query(&stmt, &bind(params)).map_err(pg_error)?;
        rows.iter().map(row_values).collect()
    }

    fn batch(&self, sql: &str) -> Result<()> {
        self.conn.borrow_mut().client()?.batch_execute(sql).map_err(pg_error)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

fn row_values(row: &postgres::Row) -> Result<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let get_err = |e: postgres::Error| Error::Corrupt(format!("column {}: {e}", column.name()));
        let value = match *ty {
            Type::BOOL => row.try_get::<_, Option<bool>>(i).map_err(get_err)?.map_or(Value::Null, Value::Bool),
            Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(get_err)?.map_or(Value::Null, Value::Int),
            Type::INT4 => {
                row.try_get::<_, Option<i32>>(i).map_err(get_err)?.map_or(Value::Null, |v| Value::Int(v.into()))
            }
            Type::INT2 => {
                row.try_get::<_, Option<i16>>(i).map_err(get_err)?.map_or(Value::Null, |v| Value::Int(v.into()))
            }
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map_err(get_err)?.map_or(Value::Null, Value::Real),
            Type::FLOAT4 => {
                row.try_get::<_, Option<f32>>(i).map_err(get_err)?.map_or(Value::Null, |v| Value::Real(v.into()))
            }
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i).map_err(get_err)?.map_or(Value::Null, Value::Text)
            }
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i).map_err(get_err)?.map_or(Value::Null, Value::Bytes),
            _ => {
                return Err(Error::Corrupt(format!(
                    "column {} is of type {ty}, which storage does not read (cast it in the query)",
                    column.name()
                )));
            }
        };
        values.push(value);
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                #[allow(clippy::cast_precision_loss)]
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound to a {ty} parameter").into()),
            },
            Value::Real(r) => match *ty {
                Type::FLOAT8 => r.to_sql(ty, out),
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => (*r as f32).to_sql(ty, out),
                _ => Err(format!("a real cannot be bound to a {ty} parameter").into()),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
            Value::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                Type::INT8 => i64::from(*b).to_sql(ty, out),
                Type::INT4 => i32::from(*b).to_sql(ty, out),
                _ => Err(format!("a boolean cannot be bound to a {ty} parameter").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked value by value in `to_sql`, which names the mismatch.
        true
    }

    to_sql_checked!();
}

/// The failure as storage reports it: its kind from the SQLSTATE, its message with the code.
pub(super) fn pg_error(e: postgres::Error) -> Error {
    let code = e.code().cloned();
    let kind = match &code {
        Some(c) if *c == SqlState::UNIQUE_VIOLATION => FailureKind::UniqueViolation,
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED => {
            FailureKind::Serialization
        }
        Some(c)
            if c.code().starts_with("08")
                || *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
                || *c == SqlState::READ_ONLY_SQL_TRANSACTION =>
        {
            FailureKind::Connection
        }
        None if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) => {
            FailureKind::Connection
        }
        _ => FailureKind::Other,
    };
    let message = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => {
            let mut m = e.to_string();
            if let Some(source) = std::error::Error::source(&e) {
                m.push_str(&format!(": {source}"));
            }
            m
        }
    };
    Error::Database(DbFailure { kind, message })
}
