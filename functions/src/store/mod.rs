//! D1 adapters: the core's storage traits implemented with parameterized SQL only.

pub mod bot;
pub mod events;
pub mod fulfil;
pub mod shop;

use worker::wasm_bindgen::JsValue;
use worker::D1Database;

/// A D1 or binding failure as the bot's storage error.
pub fn db_err(e: impl std::fmt::Display) -> wavegate_bot::store::StoreError {
    wavegate_bot::store::StoreError(e.to_string())
}

/// A value bound to a `?` placeholder. Integers travel as JS numbers (D1 has no BigInt);
/// everything we store fits in 53 bits (Telegram ids are 52-bit, times are unix seconds).
pub enum Sql<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl Sql<'_> {
    fn js(&self) -> JsValue {
        match self {
            Sql::Int(n) => JsValue::from_f64(*n as f64),
            Sql::Text(s) => JsValue::from_str(s),
            Sql::Null => JsValue::NULL,
        }
    }
}

impl<'a> From<&'a str> for Sql<'a> {
    fn from(s: &'a str) -> Self {
        Sql::Text(s)
    }
}

impl From<i64> for Sql<'_> {
    fn from(n: i64) -> Self {
        Sql::Int(n)
    }
}

impl<'a> From<Option<&'a str>> for Sql<'a> {
    fn from(s: Option<&'a str>) -> Self {
        s.map_or(Sql::Null, Sql::Text)
    }
}

/// Prepares `sql` with its arguments bound.
pub fn statement(db: &D1Database, sql: &str, args: &[Sql]) -> worker::Result<worker::D1PreparedStatement> {
    let values: Vec<JsValue> = args.iter().map(Sql::js).collect();
    db.prepare(sql).bind(&values)
}

/// Runs a write and returns how many rows it changed.
pub async fn execute(db: &D1Database, sql: &str, args: &[Sql<'_>]) -> worker::Result<usize> {
    let result = statement(db, sql, args)?.run().await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0))
}

/// The first row of a query, deserialized.
pub async fn first<T: serde::de::DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[Sql<'_>],
) -> worker::Result<Option<T>> {
    statement(db, sql, args)?.first::<T>(None).await
}

/// Rows changed by the `i`-th statement of a batch.
pub fn changes(results: &[worker::D1Result], i: usize) -> usize {
    results.get(i).and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0)
}
