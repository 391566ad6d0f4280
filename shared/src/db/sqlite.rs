//! [`Db`] on SQLite (rusqlite, bundled), for native tests: a fresh in-memory database with the
//! real `d1-migrations/` applied and foreign keys enforced, as D1 enforces them.

use std::cell::{Cell, RefCell};
use std::path::Path;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Connection;
use serde_json::Value;

use super::{Arg, Db, DbError, Row, Statement};

pub struct SqliteDb {
    conn: RefCell<Connection>,
    down: Cell<bool>,
}

impl SqliteDb {
    /// An in-memory database with every migration of `dir` applied in name order.
    pub fn with_migrations(dir: &Path) -> SqliteDb {
        let conn = Connection::open_in_memory().expect("an in-memory SQLite database");
        conn.execute_batch("PRAGMA foreign_keys = ON;").expect("foreign keys on");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("reading migrations in {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        for file in files {
            let sql = std::fs::read_to_string(&file).expect("a readable migration");
            // One transaction per file, as D1 applies a migration (deferred foreign keys are
            // checked at its commit).
            let sql = format!("BEGIN;\n{sql}\nCOMMIT;");
            conn.execute_batch(&sql).unwrap_or_else(|e| panic!("migration {}: {e}", file.display()));
        }
        SqliteDb { conn: RefCell::new(conn), down: Cell::new(false) }
    }

    /// The workspace's `d1-migrations/`.
    pub fn migrated() -> SqliteDb {
        SqliteDb::with_migrations(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../d1-migrations"))
    }

    /// Every later call fails as an unavailable D1 does (or works again).
    pub fn set_down(&self, down: bool) {
        self.down.set(down);
    }

    /// Direct SQL for tests that set up or inspect rows.
    pub fn exec(&self, sql: &str, args: &[Arg]) -> usize {
        let conn = self.conn.borrow();
        let mut st = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        st.execute(rusqlite::params_from_iter(args.iter().map(to_sql)))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A script of statements in one transaction, as D1 applies a migration.
    pub fn migrate(&self, sql: &str) -> Result<(), String> {
        self.conn.borrow().execute_batch(&format!("BEGIN;\n{sql}\nCOMMIT;")).map_err(|e| e.to_string())
    }

    /// Direct query for tests.
    pub fn rows(&self, sql: &str, args: &[Arg]) -> Vec<Row> {
        query(&self.conn.borrow(), sql, args).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn available(&self) -> Result<(), DbError> {
        if self.down.get() {
            return Err(DbError::Unavailable("D1_ERROR: Network connection lost.".into()));
        }
        Ok(())
    }
}

fn to_sql(arg: &Arg) -> SqlValue {
    match arg {
        Arg::Int(n) => SqlValue::Integer(*n),
        Arg::Text(s) => SqlValue::Text(s.clone()),
        Arg::Null => SqlValue::Null,
    }
}

fn error(e: rusqlite::Error) -> DbError {
    DbError::from_message(e.to_string())
}

fn query(conn: &Connection, sql: &str, args: &[Arg]) -> Result<Vec<Row>, DbError> {
    let mut st = conn.prepare(sql).map_err(error)?;
    let names: Vec<String> = st.column_names().map(|s| s.to_string()).collect();
    let mut rows = st.query(rusqlite::params_from_iter(args.iter().map(to_sql))).map_err(error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        let mut map = Row::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i).map_err(error)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(f) => Value::from(f),
                ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => return Err(DbError::Invalid(format!("blob column {name}"))),
            };
            map.insert(name.clone(), value);
        }
        out.push(map);
    }
    Ok(out)
}

fn run(conn: &Connection, statement: &Statement) -> Result<usize, DbError> {
    let mut st = conn.prepare(statement.sql).map_err(error)?;
    if st.readonly() || statement.sql.to_ascii_uppercase().contains("RETURNING") {
        // D1 runs any statement with `run`; a query's "changes" are those of its RETURNING.
        let mut rows =
            st.query(rusqlite::params_from_iter(statement.args.iter().map(to_sql))).map_err(error)?;
        while rows.next().map_err(error)?.is_some() {}
        drop(rows);
        return Ok(usize::try_from(conn.changes()).unwrap_or(0));
    }
    st.execute(rusqlite::params_from_iter(statement.args.iter().map(to_sql))).map_err(error)
}

impl Db for SqliteDb {
    async fn run(&self, statement: &Statement) -> Result<usize, DbError> {
        self.available()?;
        run(&self.conn.borrow(), statement)
    }

    async fn first(&self, statement: &Statement) -> Result<Option<Row>, DbError> {
        self.available()?;
        Ok(query(&self.conn.borrow(), statement.sql, &statement.args)?.into_iter().next())
    }

    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, DbError> {
        self.available()?;
        query(&self.conn.borrow(), statement.sql, &statement.args)
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<usize>, DbError> {
        self.available()?;
        let mut conn = self.conn.borrow_mut();
        let tx = conn.transaction().map_err(error)?;
        let mut changes = Vec::with_capacity(statements.len());
        for statement in statements {
            changes.push(run(&tx, statement)?);
        }
        tx.commit().map_err(error)?;
        Ok(changes)
    }
}
