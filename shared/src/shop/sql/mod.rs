//! The shop's storage traits in SQL, over [`Db`]: the one implementation, run on D1 in the
//! Worker and on SQLite with the same migrations in the native tests.
//!
//! Money-changing writes run as one batch (a transaction) and are keyed so that a replay
//! changes nothing: payments are unique on `idempotency_key`, an order only moves from
//! `pending` to `paid` when its payment row exists, a refund only from `completed`, and every
//! audit row of a money event is written only if it is not there yet. D1 runs one statement at
//! a time, so a guarded single statement is atomic against concurrent deliveries.

/// SQL: the user (`users.id` = the expression given) has paid for something, even if it is
/// not on the panel yet (the trial rule's `has_purchases`). One definition for every query.
macro_rules! has_purchases {
    ($user:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM orders o WHERE o.user_id = ",
            $user,
            " AND o.kind NOT IN ('trial', 'bonus') AND o.status IN ('paid', 'provisioned', 'refunded'))"
        )
    };
}

mod admin;
mod broadcasts;
mod events;
mod fulfil;
mod gifts;
mod metrics;
mod notices;
mod orders;
mod promos;
mod referrals;
pub mod reports;
mod sessions;
mod stats;
pub mod sync;
mod users;

pub use events::{Claim, Delivery};
pub use fulfil::Straggler;
pub use orders::strategy;

use serde_json::Value;

use crate::db::Db;
use crate::stmt;

use super::store::StoreError;

/// The stores, on one database.
pub struct SqlStore<D> {
    pub db: D,
}

impl<D: Db> SqlStore<D> {
    pub fn new(db: D) -> Self {
        Self { db }
    }

    pub(crate) async fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        details: Value,
        now: i64,
    ) -> Result<(), StoreError> {
        let sql =
            "INSERT INTO audit_log (actor, action, subject, details, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
        self.db.run(&stmt!(sql, actor, action, subject, details.to_string(), now)).await?;
        Ok(())
    }
}

/// Reads an integer column that the schema guarantees fits.
pub(crate) fn to_u32(n: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::invalid(format!("{what} out of range: {n}")))
}
