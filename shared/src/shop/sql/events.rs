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

/// A claim on a delivery that is handled in two steps ([`SqlStore::claim_delivery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// This request handles it (a new delivery, or one whose handler died mid-way).
    Mine,
    /// Handled before: acknowledge and change nothing.
    Done,
    /// Another request is handling it right now: ask the sender to retry later.
    InFlight,
}

impl<D: Db> SqlStore<D> {
    pub async fn claim(&self, provider: &str, event_id: &str, now: i64) -> Result<Claim, StoreError> {
        let sql = crate::sql!(
            "INSERT INTO processed_events (provider, event_id, processed_at) VALUES (?1, ?2, ?3)
                   ON CONFLICT (provider, event_id) DO NOTHING"
        );
        let changed = self.db.run(&stmt!(sql, provider, event_id, now)).await?;
        Ok(if changed == 1 { Claim::First } else { Claim::Duplicate })
    }

    pub async fn release(&self, provider: &str, event_id: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM processed_events WHERE provider = ?1 AND event_id = ?2";
        self.db.run(&stmt!(sql, provider, event_id)).await?;
        Ok(())
    }

    /// Claims a delivery for handling: `Mine` takes it (marked in flight until
    /// [`SqlStore::finish_delivery`]); a retry that arrives while the first request still works
    /// gets `InFlight` (not `Done`: the first may yet fail), and a claim left in flight longer
    /// than `lease_seconds` (its request died) is taken over.
    pub async fn claim_delivery(
        &self,
        provider: &str,
        event_id: &str,
        now: i64,
        lease_seconds: i64,
    ) -> Result<Delivery, StoreError> {
        let sql = crate::sql!(
            "INSERT INTO processed_events (provider, event_id, processed_at, done) VALUES (?1, ?2, ?3, 0)
                   ON CONFLICT (provider, event_id) DO UPDATE SET processed_at = excluded.processed_at
                   WHERE processed_events.done = 0 AND processed_events.processed_at < ?3 - ?4"
        );
        let done = "SELECT done FROM processed_events WHERE provider = ?1 AND event_id = ?2";
        // Twice: the claim we lost may be released (its request failed) before we read it.
        for _ in 0..2 {
            if self.db.run(&stmt!(sql, provider, event_id, now, lease_seconds)).await? == 1 {
                return Ok(Delivery::Mine);
            }
            if let Some(row) = self.db.first(&stmt!(done, provider, event_id)).await? {
                let done = row.get("done").and_then(|v| v.as_i64()).unwrap_or(0);
                return Ok(if done == 1 { Delivery::Done } else { Delivery::InFlight });
            }
        }
        // Claimed and released twice under us: let the sender retry.
        Ok(Delivery::InFlight)
    }

    /// Marks a delivery claimed with [`SqlStore::claim_delivery`] as handled.
    pub async fn finish_delivery(&self, provider: &str, event_id: &str) -> Result<(), StoreError> {
        let sql = "UPDATE processed_events SET done = 1 WHERE provider = ?1 AND event_id = ?2";
        self.db.run(&stmt!(sql, provider, event_id)).await?;
        Ok(())
    }

    /// Forgets claims older than `before`: providers stop retrying long before (Telegram within
    /// a day, Razorpay 24 h), so old rows only cost space. Cabinet refresh tokens that expired
    /// before then go too, sign-ins left with none, and the console's journal of answered
    /// writes (a retry comes within seconds, not a month). Returns the claims deleted.
    pub async fn prune(&self, before: i64) -> Result<usize, StoreError> {
        let changed = self
            .db
            .batch(&[
                stmt!("DELETE FROM processed_events WHERE processed_at < ?1", before),
                stmt!("DELETE FROM refresh_tokens WHERE expires_at < ?1", before),
                stmt!(
                    "DELETE FROM session_families WHERE created_at < ?1
                     AND NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = session_families.id)",
                    before
                ),
                stmt!("DELETE FROM admin_requests WHERE created_at < ?1", before),
            ])
            .await?;
        Ok(changed.first().copied().unwrap_or_default())
    }
}
