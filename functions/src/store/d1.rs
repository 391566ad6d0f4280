//! [`Db`] on D1: statements bound with JS values, rows read back as JSON.

use serde_json::Value;
use std::cell::Cell;
use wavegate_shared::db::{Arg, Db, DbError, Row, Statement};
use worker::wasm_bindgen::JsValue;

use worker::{D1Database, D1PreparedStatement};

/// D1, counting the rows it reads and writes as D1 reports them (what D1 bills): the request
/// log's `d1_rows_read`/`d1_rows_written`, from which docs/OPERATIONS.md's cost model is
/// measured (`scripts/bench --cost`).
pub struct D1Db(pub D1Database, pub Cell<(u64, u64)>);

impl D1Db {
    pub fn new(db: D1Database) -> D1Db {
        D1Db(db, Cell::new((0, 0)))
    }

    /// Rows read and written so far.
    pub fn rows(&self) -> (u64, u64) {
        self.1.get()
    }

    fn bill(&self, result: &worker::D1Result) {
        if let Ok(Some(meta)) = result.meta() {
            let (read, written) = self.1.get();
            let add = |n: Option<usize>| n.unwrap_or(0) as u64;
            self.1.set((read + add(meta.rows_read), written + add(meta.rows_written)));
        }
    }
}

fn js(arg: &Arg) -> JsValue {
    match arg {
        // D1 has no BigInt: integers travel as numbers (everything stored fits in 53 bits).
        Arg::Int(n) => JsValue::from_f64(*n as f64),
        Arg::Text(s) => JsValue::from_str(s),
        Arg::Null => JsValue::NULL,
    }
}

fn error(e: worker::Error) -> DbError {
    DbError::from_message(e.to_string())
}

/// JS numbers arrive as floats; integral ones are integers again (ids, times, amounts).
fn integers(row: Row) -> Row {
    row.into_iter()
        .map(|(k, v)| {
            let v = match v.as_f64() {
                Some(f) if v.is_f64() && f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
                    Value::from(f as i64)
                }
                _ => v,
            };
            (k, v)
        })
        .collect()
}

impl D1Db {
    fn prepare(&self, statement: &Statement) -> Result<D1PreparedStatement, DbError> {
        let values: Vec<JsValue> = statement.args.iter().map(js).collect();
        self.0.prepare(statement.sql).bind(&values).map_err(error)
    }
}

fn changes(result: &worker::D1Result) -> usize {
    result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

/// The fault tests' hook (`faults` feature only): fail this call before or after it runs.
#[cfg(feature = "faults")]
macro_rules! faulty {
    ($call:expr) => {{
        let after = super::faults::next()?;
        let result = $call;
        if after {
            return Err(super::faults::injected());
        }
        result
    }};
}

#[cfg(not(feature = "faults"))]
macro_rules! faulty {
    ($call:expr) => {
        $call
    };
}

impl Db for D1Db {
    async fn run(&self, statement: &Statement) -> Result<usize, DbError> {
        let result = faulty!(self.prepare(statement)?.run().await.map_err(error)?);
        self.bill(&result);
        Ok(changes(&result))
    }

    async fn first(&self, statement: &Statement) -> Result<Option<Row>, DbError> {
        // `all`, not D1's `first`: the same query, and its meta says what it read.
        Ok(self.all(statement).await?.into_iter().next())
    }

    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, DbError> {
        let result = faulty!(self.prepare(statement)?.all().await.map_err(error)?);
        self.bill(&result);
        let rows: Vec<Row> = result.results().map_err(error)?;
        Ok(rows.into_iter().map(integers).collect())
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<usize>, DbError> {
        let prepared = statements.iter().map(|s| self.prepare(s)).collect::<Result<Vec<_>, _>>()?;
        let results = faulty!(self.0.batch(prepared).await.map_err(error)?);
        results.iter().for_each(|r| self.bill(r));
        Ok(results.iter().map(changes).collect())
    }
}
