//! The engine-neutral transaction every query runs in: one SQL text per query, values bound as
//! [`Value`]s, rows read back as owned [`Row`]s with typed getters.
//!
//! SQL is written once, in the subset SQLite and PostgreSQL (and so CockroachDB and YugabyteDB)
//! share, with PostgreSQL's `$1` placeholders. The differences live here and nowhere else:
//! - placeholders: `$N` becomes `?N` for SQLite ([`Tx`] rewrites it, outside string literals);
//! - booleans: bound as `Value::Bool`, stored as `BOOLEAN` on PostgreSQL and `0/1` on SQLite,
//!   read back as `bool` from either;
//! - integers are 64-bit everywhere (`BIGINT` in the PostgreSQL schema), reals are doubles,
//!   bytes are `BYTEA`/`BLOB`, UUIDs are text;
//! - errors: a unique violation, a serialization failure (SQLSTATE 40001, retried by the
//!   engine's worker) and a lost connection are told apart, whatever the engine said.
//!
//! Times are computed by the application and bound (never `now()` or `strftime`), so that both
//! engines and the tests' manual clock agree.

use std::cell::RefCell;
use std::collections::HashMap;

use uuid::Uuid;

use super::{Error, Result};

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
}

/// What a database failure was, as far as the code above storage needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// A `UNIQUE` or primary key constraint refused the row.
    UniqueViolation,
    /// The engine aborted the transaction to keep it serializable (SQLSTATE 40001, or a
    /// deadlock, 40P01): running it again is the fix.
    Serialization,
    /// The connection broke or could not be made.
    Connection,
    /// The connection broke while `COMMIT` was on its way: the transaction may or may not be
    /// stored, and must not be run again blindly (it is not, and its caller is told so).
    CommitUnknown,
    Other,
}

/// A failure the database reported, with its kind and its message (never shown to clients).
#[derive(Debug, Clone)]
pub struct DbFailure {
    pub kind: FailureKind,
    pub message: String,
}

impl std::fmt::Display for DbFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Which SQL dialect a transaction speaks (for the few statements that must differ, such as
/// migrations and the copy's table listing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A row read from a query, its values in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// The value at `idx`, converted; a value of another type is [`Error::Corrupt`] naming the
    /// column's place.
    pub fn get<T: FromValue>(&self, idx: usize) -> Result<T> {
        let value = self.0.get(idx).ok_or_else(|| Error::Corrupt(format!("no column {idx} in the row")))?;
        T::from_value(value).map_err(|why| Error::Corrupt(format!("column {idx}: {why}")))
    }

    pub fn values(&self) -> &[Value] {
        &self.0
    }
}

/// Conversion from a stored value.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> std::result::Result<Self, String>;
}

fn unexpected(v: &Value, want: &str) -> String {
    let got = match v {
        Value::Null => "NULL",
        Value::Int(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Bytes(_) => "bytes",
        Value::Bool(_) => "a boolean",
    };
    format!("expected {want}, found {got}")
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(unexpected(other, "an integer")),
        }
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(r) => Ok(*r),
            // SQLite stores a whole REAL that came in as an integer as an integer.
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => Ok(*i as f64),
            other => Err(unexpected(other, "a real")),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Int(0) => Ok(false),
            Value::Int(1) => Ok(true),
            other => Err(unexpected(other, "a boolean")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(unexpected(other, "text")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Bytes(b) => Ok(b.clone()),
            other => Err(unexpected(other, "bytes")),
        }
    }
}

impl FromValue for Uuid {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Uuid::parse_str(s).map_err(|e| format!("not a UUID ({e})")),
            other => Err(unexpected(other, "a UUID as text")),
        }
    }
}

impl FromValue for Value {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        Ok(v.clone())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// Conversion to a bound value (by reference: a closure that may run again keeps its data).
pub trait ToValue {
    fn to_value(&self) -> Value;
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}

impl ToValue for i32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToValue for Uuid {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Bytes(self.clone())
    }
}

impl<const N: usize> ToValue for [u8; N] {
    fn to_value(&self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// Bound values for a statement: `vals![id, name, now]` (each taken by reference).
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => {
        &[$($crate::storage::sql::ToValue::to_value(&$v)),*][..]
    };
}
pub use crate::vals;

/// What an engine's transaction can do; [`Tx`] is what queries see.
pub(super) trait Engine {
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64>;
    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Several statements without parameters (migrations).
    fn batch(&self, sql: &str) -> Result<()>;
    fn dialect(&self) -> Dialect;
}

/// A transaction on either engine. Queries are written with `$N` placeholders.
pub struct Tx<'a> {
    engine: &'a dyn Engine,
}

impl<'a> Tx<'a> {
    pub(super) fn new(engine: &'a dyn Engine) -> Tx<'a> {
        Tx { engine }
    }

    pub fn dialect(&self) -> Dialect {
        self.engine.dialect()
    }

    /// Runs a statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        self.engine.execute(sql, params)
    }

    /// Every row a query returns.
    pub fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.engine.query(sql, params)
    }

    /// The first row, if any.
    pub fn query_opt(&self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.engine.query(sql, params)?.into_iter().next())
    }

    /// The first row; none is [`Error::NotFound`] (a missing id and another learner's id
    /// give the same answer, since the owner is part of the query).
    pub fn query_one(&self, sql: &str, params: &[Value]) -> Result<Row> {
        self.query_opt(sql, params)?.ok_or(Error::NotFound)
    }

    /// The first column of the first row, which must exist (counts, sums).
    pub fn query_value<T: FromValue>(&self, sql: &str, params: &[Value]) -> Result<T> {
        self.query_one(sql, params)?.get(0)
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        self.engine.batch(sql)
    }
}

/// `$N` → `?N`, leaving string literals, quoted names and comments alone: the one rewrite
/// SQLite needs (its `$1` would be a *named* parameter, numbered by first appearance).
pub(super) fn sqlite_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut line_comment = false;
    while let Some(c) = chars.next() {
        if line_comment {
            line_comment = c != '\n';
            out.push(c);
            continue;
        }
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    out.push(c);
                }
                '-' if chars.peek() == Some(&'-') => {
                    line_comment = true;
                    out.push(c);
                }
                '$' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('?'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// Rewritten SQL texts, per SQLite connection (each query's text is rewritten once).
#[derive(Default)]
pub(super) struct Rewrites(RefCell<HashMap<String, std::sync::Arc<str>>>);

impl Rewrites {
    pub(super) fn get(&self, sql: &str) -> std::sync::Arc<str> {
        if let Some(done) = self.0.borrow().get(sql) {
            return done.clone();
        }
        let done: std::sync::Arc<str> = sqlite_placeholders(sql).into();
        let mut map = self.0.borrow_mut();
        // Queries are a fixed set of texts; this only guards against a bug building texts.
        if map.len() > 4096 {
            map.clear();
        }
        map.insert(sql.to_owned(), done.clone());
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_literals_only() {
        assert_eq!(
            sqlite_placeholders("SELECT a FROM t WHERE b = $2 AND c = $10"),
            "SELECT a FROM t WHERE b = ?2 AND c = ?10"
        );
        assert_eq!(sqlite_placeholders("SELECT '$1', \"$2\", $3 -- $4\n, $5"), "SELECT '$1', \"$2\", ?3 -- $4\n, ?5");
        assert_eq!(sqlite_placeholders("SELECT 'it''s $1', $1"), "SELECT 'it''s $1', ?1");
    }

    #[test]
    fn values_convert_both_ways() {
        let row = Row(vec![Value::Int(1), Value::Bool(true), Value::Null, Value::Text(Uuid::nil().to_string())]);
        assert!(row.get::<bool>(0).unwrap(), "SQLite's 1 is true");
        assert_eq!(row.get::<i64>(1).unwrap(), 1);
        assert_eq!(row.get::<Option<String>>(2).unwrap(), None);
        assert_eq!(row.get::<Uuid>(3).unwrap(), Uuid::nil());
        assert!(row.get::<String>(0).is_err());
        assert!(row.get::<i64>(9).is_err());
        let bound = vals![1i64, "x", Some(2.5), None::<String>, true];
        assert_eq!(bound, &[Value::Int(1), Value::Text("x".into()), Value::Real(2.5), Value::Null, Value::Bool(true)]);
    }
}
