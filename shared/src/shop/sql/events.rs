//! Claims on processed webhook deliveries (`processed_events`): the first delivery of an event
//! id wins the insert; replays find the row and change nothing. A delivery whose handling
//! failed releases its claim, so the provider's retry is processed.

use crate::db::Db;
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    First,
    Duplicate,
}

impl<D: Db> SqlStore<D> {
    pub async fn claim(&self, provider: &str, event_id: &str, now: i64) -> Result<Claim, StoreError> {
        let sql = "INSERT INTO processed_events (provider, event_id, processed_at) VALUES (?1, ?2, ?3)
                   ON CONFLICT (provider, event_id) DO NOTHING";
        let changed = self.db.run(&stmt!(sql, provider, event_id, now)).await?;
        Ok(if changed == 1 { Claim::First } else { Claim::Duplicate })
    }

    pub async fn release(&self, provider: &str, event_id: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM processed_events WHERE provider = ?1 AND event_id = ?2";
        self.db.run(&stmt!(sql, provider, event_id)).await?;
        Ok(())
    }

    /// Forgets claims older than `before`: providers stop retrying long before (Telegram within
    /// a day, Razorpay 24 h), so old rows only cost space.
    pub async fn prune(&self, before: i64) -> Result<usize, StoreError> {
        Ok(self.db.run(&stmt!("DELETE FROM processed_events WHERE processed_at < ?1", before)).await?)
    }
}
