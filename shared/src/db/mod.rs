//! The database the shop's stores run on: a small trait over what D1 offers — statements with
//! positional `?N` parameters, run (rows changed), first row, all rows, and an atomic batch.
//!
//! The Worker implements it on D1 (`functions/src/store/d1.rs`); the native tests implement it
//! on SQLite with the real `d1-migrations/` applied ([`sqlite`], feature `sqlite`), so the SQL
//! that production runs is the SQL the shop's tests run. [`Counted`] counts round trips for the
//! request log and `scripts/bench`.

#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::cell::Cell;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A value bound to a `?N` placeholder. Integers travel to D1 as JS numbers (D1 has no
/// BigInt); everything we store fits in 53 bits (Telegram ids are 52-bit, times are seconds).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Int(i64::from(n))
    }
}

impl From<bool> for Arg {
    fn from(b: bool) -> Self {
        Arg::Int(i64::from(b))
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl<T: Into<Arg>> From<Option<T>> for Arg {
    fn from(v: Option<T>) -> Self {
        v.map_or(Arg::Null, Into::into)
    }
}

/// One SQL statement with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: &'static str,
    pub args: Vec<Arg>,
}

/// `stmt!(sql, a, b, …)`: a [`Statement`] with each argument converted by `Arg::from`. A
/// literal statement is compacted by [`sql!`] at compile time.
#[macro_export]
macro_rules! stmt {
    ($sql:literal $(, $arg:expr)* $(,)?) => {
        $crate::db::Statement { sql: $crate::sql!($sql), args: vec![$($crate::db::Arg::from($arg)),*] }
    };
    ($sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::db::Statement { sql: $sql, args: vec![$($crate::db::Arg::from($arg)),*] }
    };
}

/// `sql!("…")`: the statement as written, without the indentation after each line break,
/// computed at compile time. The SQL stays readable in the source, and the bundle does not
/// carry ~12 KB of spaces (1.3 KiB gzipped). Line breaks stay, so `--` comments keep ending
/// where they did.
#[macro_export]
macro_rules! sql {
    ($sql:expr) => {{
        const RAW: &str = $sql;
        const LEN: usize = $crate::db::compact_len(RAW);
        const BYTES: [u8; LEN] = $crate::db::compact::<LEN>(RAW);
        const SQL: &str = match ::core::str::from_utf8(&BYTES) {
            Ok(sql) => sql,
            Err(_) => panic!("compacted SQL is not UTF-8"),
        };
        SQL
    }};
}

/// The length of `sql` once the spaces after each line break are dropped.
pub const fn compact_len(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let (mut i, mut len, mut line_start) = (0, 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if !(line_start && b == b' ') {
            len += 1;
        }
        line_start = b == b'\n' || (line_start && b == b' ');
        i += 1;
    }
    len
}

/// `sql` with the spaces after each line break dropped (see [`sql!`]).
pub const fn compact<const N: usize>(sql: &str) -> [u8; N] {
    let bytes = sql.as_bytes();
    let mut out = [0u8; N];
    let (mut i, mut j, mut line_start) = (0, 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if !(line_start && b == b' ') {
            out[j] = b;
            j += 1;
        }
        line_start = b == b'\n' || (line_start && b == b' ');
        i += 1;
    }
    out
}

/// A row as column name → JSON value (integers as JSON integers).
pub type Row = Map<String, Value>;

/// Why a database call failed. The split decides retries: an unavailable database is worth
/// another try; a statement the database refused fails the same way forever.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database refused the statement: {0}")]
    Invalid(String),
}

impl DbError {
    /// Classifies a database's error text: constraint, syntax and schema errors are the
    /// statement's fault; anything else (network, overload, reset) is the database's.
    pub fn from_message(message: impl Into<String>) -> DbError {
        let message = message.into();
        let lower = message.to_ascii_lowercase();
        let invalid =
            ["constraint", "syntax error", "no such", "datatype mismatch", "too many sql variables"]
                .iter()
                .any(|marker| lower.contains(marker));
        if invalid {
            DbError::Invalid(message)
        } else {
            DbError::Unavailable(message)
        }
    }
}

#[allow(async_fn_in_trait)]
pub trait Db {
    /// Runs a write; returns how many rows it changed.
    async fn run(&self, statement: &Statement) -> Result<usize, DbError>;
    async fn first(&self, statement: &Statement) -> Result<Option<Row>, DbError>;
    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, DbError>;
    /// Runs the statements in order as one transaction (all or nothing); returns the rows
    /// each one changed.
    async fn batch(&self, statements: &[Statement]) -> Result<Vec<usize>, DbError>;
}

/// Decodes a row into `T`.
pub fn decode<T: DeserializeOwned>(row: Row) -> Result<T, DbError> {
    serde_json::from_value(Value::Object(row)).map_err(|e| DbError::Invalid(format!("unexpected row: {e}")))
}

/// The first row of a query, decoded.
pub async fn first<T: DeserializeOwned>(db: &impl Db, statement: &Statement) -> Result<Option<T>, DbError> {
    db.first(statement).await?.map(decode).transpose()
}

/// Every row of a query, decoded.
pub async fn all<T: DeserializeOwned>(db: &impl Db, statement: &Statement) -> Result<Vec<T>, DbError> {
    db.all(statement).await?.into_iter().map(decode).collect()
}

/// A database that counts its round trips (a batch is one), for the request log and the bench.
pub struct Counted<D> {
    pub inner: D,
    trips: Cell<u32>,
}

impl<D> Counted<D> {
    pub fn new(inner: D) -> Self {
        Self { inner, trips: Cell::new(0) }
    }

    pub fn round_trips(&self) -> u32 {
        self.trips.get()
    }

    fn trip(&self) {
        self.trips.set(self.trips.get() + 1);
    }
}

impl<D: Db> Db for Counted<D> {
    async fn run(&self, statement: &Statement) -> Result<usize, DbError> {
        self.trip();
        self.inner.run(statement).await
    }

    async fn first(&self, statement: &Statement) -> Result<Option<Row>, DbError> {
        self.trip();
        self.inner.first(statement).await
    }

    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, DbError> {
        self.trip();
        self.inner.all(statement).await
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<usize>, DbError> {
        self.trip();
        self.inner.batch(statements).await
    }
}

impl<D: Db> Db for &D {
    async fn run(&self, statement: &Statement) -> Result<usize, DbError> {
        (**self).run(statement).await
    }

    async fn first(&self, statement: &Statement) -> Result<Option<Row>, DbError> {
        (**self).first(statement).await
    }

    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, DbError> {
        (**self).all(statement).await
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<usize>, DbError> {
        (**self).batch(statements).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_and_syntax_errors_are_final_and_the_rest_retryable() {
        assert!(matches!(
            DbError::from_message("D1_ERROR: UNIQUE constraint failed: orders.public_id"),
            DbError::Invalid(_)
        ));
        assert!(matches!(DbError::from_message("D1_ERROR: no such column: x"), DbError::Invalid(_)));
        assert!(matches!(
            DbError::from_message("D1_ERROR: Network connection lost."),
            DbError::Unavailable(_)
        ));
        assert!(matches!(DbError::from_message("D1 DB is overloaded"), DbError::Unavailable(_)));
    }

    #[test]
    fn stmt_converts_each_argument() {
        let s = stmt!("SELECT ?1, ?2, ?3, ?4", 7_i64, "x", None::<i64>, true);
        assert_eq!(s.args, vec![Arg::Int(7), Arg::Text("x".into()), Arg::Null, Arg::Int(1)]);
    }
}

#[cfg(test)]
mod sql_tests {
    #[test]
    fn sql_drops_only_the_indentation_after_line_breaks() {
        const SQL: &str = crate::sql!("SELECT a,  b\n       FROM t -- why\n   WHERE x = '  y'");
        assert_eq!(SQL, "SELECT a,  b\nFROM t -- why\nWHERE x = '  y'");
        assert_eq!(crate::sql!(""), "");
    }
}
