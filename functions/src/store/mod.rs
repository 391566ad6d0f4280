//! The D1 adapter: the core's [`Db`](wavegate_shared::db::Db) on the D1 binding. All SQL lives
//! in the core (`wavegate_shared::shop::sql`), where the native tests run it on SQLite.

mod d1;
#[cfg(feature = "faults")]
pub mod faults;

pub use d1::D1Db;
