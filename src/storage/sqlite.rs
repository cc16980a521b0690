//! The SQLite engine: connections with the durability settings, and transactions on them.
//!
//! One writer thread owns the only connection that writes, and every write is a
//! `BEGIN IMMEDIATE` transaction on it: writes are serialised in our process, and against
//! other processes (a second instance, `certfolio import` or `backup` while the service runs)
//! the immediate lock plus `busy_timeout` means waiting, not failing. A few reader threads hold
//! read-only connections; WAL lets them read while a write is in progress. Every connection
//! runs with `synchronous=FULL`, so a write acknowledged after `COMMIT` survives `kill -9` and
//! power loss alike.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::sql::{Dialect, Engine, FailureKind, Rewrites, Row, Tx, Value};
use super::{Error, Mode, Result, Worker};

/// How long a connection waits for another process's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

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

/// A worker thread's connection.
pub(super) struct SqliteWorker {
    conn: Connection,
    rewrites: Rewrites,
}

impl SqliteWorker {
    pub(super) fn new(conn: Connection) -> SqliteWorker {
        SqliteWorker { conn, rewrites: Rewrites::default() }
    }
}

impl Worker for SqliteWorker {
    fn transaction(&mut self, mode: Mode, f: &mut dyn FnMut(&Tx<'_>) -> Result<()>) -> Result<()> {
        // SQLite serialises writers itself (the immediate lock): nothing to retry.
        let behavior = match mode {
            Mode::Read | Mode::ReadOne => TransactionBehavior::Deferred,
            Mode::Write | Mode::Counting => TransactionBehavior::Immediate,
        };
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let engine = SqliteTx { conn: &tx, rewrites: &self.rewrites };
        f(&Tx::new(&engine))?;
        match mode {
            Mode::Read | Mode::ReadOne => tx.finish()?,
            Mode::Write | Mode::Counting => tx.commit()?,
        }
        Ok(())
    }

    fn stop(&mut self) {
        // The service is stopping. Let SQLite refresh its statistics; failure here costs
        // nothing but a slower plan next time.
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

struct SqliteTx<'a> {
    conn: &'a Connection,
    rewrites: &'a Rewrites,
}

impl Engine for SqliteTx<'_> {
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        let sql = self.rewrites.get(sql);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n = stmt.execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let sql = self.rewrites.get(sql);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Real(r) => Value::Real(r),
                    ValueRef::Text(t) => Value::Text(
                        String::from_utf8(t.to_vec()).map_err(|_| Error::Corrupt(format!("column {i}: not UTF-8")))?,
                    ),
                    ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

impl rusqlite::types::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as V;
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(V::Null),
            Value::Int(i) => ToSqlOutput::Owned(V::Integer(*i)),
            Value::Real(r) => ToSqlOutput::Owned(V::Real(*r)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Bool(b) => ToSqlOutput::Owned(V::Integer(i64::from(*b))),
        })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let kind = match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                FailureKind::UniqueViolation
            }
            _ => FailureKind::Other,
        };
        Error::Database(super::sql::DbFailure { kind, message: e.to_string() })
    }
}
