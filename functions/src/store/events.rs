//! Claims on processed webhook deliveries (`processed_events`): the first delivery of an event
//! id wins the insert; replays find the row and change nothing. A delivery whose handling
//! failed releases its claim, so the provider's retry is processed.

use worker::D1Database;

use super::{execute, Sql};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    First,
    Duplicate,
}

pub async fn claim(db: &D1Database, provider: &str, event_id: &str, now: i64) -> worker::Result<Claim> {
    let sql = "INSERT INTO processed_events (provider, event_id, processed_at) VALUES (?1, ?2, ?3)
               ON CONFLICT (provider, event_id) DO NOTHING";
    let changed = execute(db, sql, &[provider.into(), event_id.into(), Sql::Int(now)]).await?;
    Ok(if changed == 1 { Claim::First } else { Claim::Duplicate })
}

pub async fn release(db: &D1Database, provider: &str, event_id: &str) -> worker::Result<()> {
    let sql = "DELETE FROM processed_events WHERE provider = ?1 AND event_id = ?2";
    execute(db, sql, &[provider.into(), event_id.into()]).await.map(|_| ())
}

/// Forgets claims older than `before`: providers stop retrying long before (Telegram within
/// a day, Razorpay 24 h), so old rows only cost space.
pub async fn prune(db: &D1Database, before: i64) -> worker::Result<usize> {
    execute(db, "DELETE FROM processed_events WHERE processed_at < ?1", &[Sql::Int(before)]).await
}
