//! Reminders before a subscription ends and the notice when it has: each once per
//! subscription period, whoever notices first — the hourly cron or the panel's
//! `user.expiration` / `user.expired` webhook. The claim is a `notices` row keyed by the
//! customer, the kind and the expiry it is about, so a renewal (a new expiry) re-arms them all.
//!
//! ```text
//! cron at 71 h left: claim (anna, expiring_72, E) → queue Remind { 72 h }   → "ends in 3 days"
//! panel user.expiration −72 for anna, same E: claim fails                   → nothing
//! cron at 23 h left: claim (anna, expiring_24, E) → queue Remind { 24 h }
//! anna renews: expiry E' → (anna, expiring_72, E') is new: reminded again next time
//! ```

use super::ports::{Job, Jobs, Reminder, UsageNotice};
use super::store::{ShopStore, StoreError};

/// How many customers one hourly run reminds: each is one queue message (a subrequest), and the
/// hourly invocation shares the free plan's 50 with the reconciliations; 720 a day, upcoming
/// expiries first, the rest the next hour.
pub const BATCH: u32 = 30;
/// The expiry notice goes to subscriptions that ended up to this long ago (a first deploy
/// does not tell everyone whose subscription ended last year).
pub const EXPIRED_LOOKBACK_SECONDS: i64 = 7 * 86_400;

/// Queues the reminders now due (`reminder_hours` before expiry, and the expiry notice);
/// returns how many were queued.
pub async fn queue_due<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    reminder_hours: &[u32],
    now: i64,
) -> Result<u32, StoreError> {
    let mut queued = 0;
    for due in store.due_reminders(now, reminder_hours, EXPIRED_LOOKBACK_SECONDS, BATCH).await? {
        let hours = Reminder::due(reminder_hours, due.expires_at - now);
        if remind_once(store, jobs, due.user_id, due.telegram_id, hours, due.expires_at, now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Claims and queues one notice: `hours` `Some(h)` for the reminder `h` hours before expiry,
/// `None` for the expiry notice. `false` if it was sent before for this period. If the job
/// cannot be queued the claim is given back, so the next run (or the panel's retry) sends it.
pub async fn remind_once<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    user_id: i64,
    telegram_id: i64,
    hours: Option<u32>,
    expires_at: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let kind = Reminder::notice_kind(hours);
    if !store.claim_notice(user_id, &kind, expires_at, now).await? {
        return Ok(false);
    }
    // Claimed either way, so the cron does not ask again every hour.
    if let Some(h) = hours {
        if !store.period_longer_than(user_id, expires_at, i64::from(h) * 3600).await? {
            return Ok(false);
        }
    }
    let reminder = match hours {
        Some(hours) => Reminder::Expiring { hours },
        None => Reminder::Expired,
    };
    if let Err(e) = jobs.enqueue(&Job::Remind { telegram_id, reminder, expires_at }).await {
        let _ = store.release_notice(user_id, &kind, expires_at).await;
        return Err(e);
    }
    Ok(true)
}

/// Claims and queues one usage notice under `claim` (`UsageNotice::claim`): `false` if it was
/// sent before. As with reminders, a notice that cannot be queued gives its claim back.
pub async fn notify_once<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    user_id: i64,
    telegram_id: i64,
    notice: UsageNotice,
    claim: (String, i64),
    now: i64,
) -> Result<bool, StoreError> {
    let (kind, period) = claim;
    if !store.claim_notice(user_id, &kind, period, now).await? {
        return Ok(false);
    }
    if let Err(e) = jobs.enqueue(&Job::Notify { telegram_id, notice }).await {
        let _ = store.release_notice(user_id, &kind, period).await;
        return Err(e);
    }
    Ok(true)
}
