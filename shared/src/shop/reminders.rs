//! What a customer is told about their service, each thing once: reminders before a
//! subscription ends and the notice when it has (once per subscription period, whoever notices
//! first — the hourly cron or the panel's `user.expiration` / `user.expired` webhook), and the
//! usage notices of the panel's user events ([`UsageNotice`]).
//!
//! The claim is a `notices` row keyed by the customer, the kind and the period it is about (for
//! reminders the expiry, so a renewal — a new expiry — re-arms them all). The row keeps the job
//! that delivers it until the job reports it done, so a claim never swallows a notice: one whose
//! job was lost is queued again by the hourly cron ([`requeue_lost`]).
//!
//! ```text
//! cron at 71 h left: claim (anna, expiring_72, E) with its job → queue Remind { 72 h } → "ends on …" → done
//! panel user.expiration −72 for anna, same E: claim fails                            → nothing
//! cron at 23 h left: claim (anna, expiring_24, E) → queue; the invocation dies before the send
//! an hour later: (anna, expiring_24, E) not done, queued over an hour ago → queued again
//! anna renews: expiry E' → (anna, expiring_72, E') is new: reminded again next time
//! ```

use super::ports::{Job, Jobs, Reminder, UsageNotice};
use super::store::StoreError;

/// How many customers one hourly run claims and queues: one D1 batch and one queue send per
/// 100. A shop of 100,000 customers with monthly plans sees about 10,000 notices a day, ~420 an
/// hour; soonest expiries first, the rest the next hour.
pub const BATCH: u32 = 500;
/// The expiry notice goes to subscriptions that ended up to this long ago (a first deploy
/// does not tell everyone whose subscription ended last year).
pub const EXPIRED_LOOKBACK_SECONDS: i64 = 7 * 86_400;
/// A claimed notice not done this long after it was queued is queued again ...
pub const REQUEUE_AFTER_SECONDS: i64 = 3600;
/// ... for this long after its claim; then it is stale.
pub const REQUEUE_FOR_SECONDS: i64 = 2 * 86_400;
/// Lost notices queued again per hourly run.
pub const REQUEUE_BATCH: u32 = 100;

/// A customer a reminder may be due for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub user_id: i64,
    pub telegram_id: i64,
    pub expires_at: i64,
    /// When the active subscription period ending at `expires_at` began, if known.
    pub period_start: Option<i64>,
}

/// A `notices` claim: the notice `kind` about `period` for `user_id`, with the job that
/// delivers it (`None`: claimed with nothing to send, so nobody asks again).
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeClaim {
    pub user_id: i64,
    pub kind: String,
    pub period: i64,
    pub job: Option<Job>,
}

#[allow(async_fn_in_trait)]
pub trait NoticeStore {
    /// Customers whose subscription ends within the largest of `reminder_hours`, or ended up
    /// to `since` seconds ago, not blocked, without the notice now due for that expiry:
    /// soonest first, at most `limit`.
    async fn due_reminders(
        &self,
        now: i64,
        reminder_hours: &[u32],
        since: i64,
        limit: u32,
    ) -> Result<Vec<DueReminder>, StoreError>;
    /// When the customer's active subscription period ending at `expires_at` began, if known.
    async fn period_start(&self, user_id: i64, expires_at: i64) -> Result<Option<i64>, StoreError>;
    /// Claims each notice once ever (one batch); `true` where this call claimed it.
    async fn claim_notices(&self, claims: &[NoticeClaim], now: i64) -> Result<Vec<bool>, StoreError>;
    /// Gives claims back (their jobs could not be queued).
    async fn release_notices(&self, claims: &[NoticeClaim]) -> Result<(), StoreError>;
    /// Whether the notice was delivered (or found stale) already: a repeated job sends nothing.
    async fn notice_done(&self, user_id: i64, kind: &str, period: i64) -> Result<bool, StoreError>;
    /// Marks the notice delivered (or stale): it is never queued again.
    async fn finish_notice(&self, user_id: i64, kind: &str, period: i64, now: i64) -> Result<(), StoreError>;
    /// The jobs of notices claimed since `claimed_since`, queued before `queued_before` and not
    /// done, at most `limit`, marked queued now.
    async fn take_lost_notices(
        &self,
        queued_before: i64,
        claimed_since: i64,
        now: i64,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError>;
}

impl DueReminder {
    /// The claim for the notice due at `now`: the reminder of the tightest window, or the
    /// expiry notice. A period no longer than the window (a 3-day trial, told "3 days left"
    /// as it starts) is claimed with nothing to send.
    fn claim(&self, reminder_hours: &[u32], now: i64) -> Option<NoticeClaim> {
        let hours = match Reminder::due(reminder_hours, self.expires_at - now) {
            Some(h) => Some(h),
            None if self.expires_at <= now => None,
            None => return None,
        };
        let short = hours.is_some_and(|h| short_period(self.period_start, self.expires_at, h));
        let reminder = match hours {
            Some(hours) => Reminder::Expiring { hours },
            None => Reminder::Expired,
        };
        let job = Job::Remind { telegram_id: self.telegram_id, reminder, expires_at: self.expires_at };
        Some(NoticeClaim {
            user_id: self.user_id,
            kind: Reminder::notice_kind(hours),
            period: self.expires_at,
            job: (!short).then_some(job),
        })
    }
}

/// Whether the period `[start, expires_at]` is no longer than the reminder's `hours` window:
/// such a reminder (a 3-day trial told "3 days left" as it starts) is claimed and not sent.
fn short_period(start: Option<i64>, expires_at: i64, hours: u32) -> bool {
    start.is_some_and(|start| start >= expires_at - i64::from(hours) * 3600)
}

/// Claims and queues the reminders now due; returns how many were queued.
pub async fn queue_due<S: NoticeStore, J: Jobs>(
    store: &S,
    jobs: &J,
    reminder_hours: &[u32],
    now: i64,
) -> Result<u32, StoreError> {
    let due = store.due_reminders(now, reminder_hours, EXPIRED_LOOKBACK_SECONDS, BATCH).await?;
    let claims: Vec<NoticeClaim> = due.iter().filter_map(|d| d.claim(reminder_hours, now)).collect();
    queue_claimed(store, jobs, claims, now).await
}

/// Claims one reminder (`hours` `Some(h)` for the reminder `h` hours before expiry, `None`
/// for the expiry notice) and queues it: `false` if it was claimed before, or if the period is
/// too short for that reminder (claimed, not sent: the same rule as the cron's).
pub async fn remind_once<S: NoticeStore, J: Jobs>(
    store: &S,
    jobs: &J,
    user_id: i64,
    telegram_id: i64,
    hours: Option<u32>,
    expires_at: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let reminder = match hours {
        Some(hours) => Reminder::Expiring { hours },
        None => Reminder::Expired,
    };
    let short = match hours {
        Some(h) => short_period(store.period_start(user_id, expires_at).await?, expires_at, h),
        None => false,
    };
    let job = Job::Remind { telegram_id, reminder, expires_at };
    let claim = NoticeClaim {
        user_id,
        kind: Reminder::notice_kind(hours),
        period: expires_at,
        job: (!short).then_some(job),
    };
    Ok(queue_claimed(store, jobs, vec![claim], now).await? == 1)
}

/// Claims and queues one usage notice under `(kind, period)` ([`UsageNotice::claim`]): `false`
/// if it was claimed before.
pub async fn notify_once<S: NoticeStore, J: Jobs>(
    store: &S,
    jobs: &J,
    user_id: i64,
    telegram_id: i64,
    notice: UsageNotice,
    claim: (String, i64),
    now: i64,
) -> Result<bool, StoreError> {
    let (kind, period) = claim;
    let job = Job::Notify { telegram_id, notice, kind: kind.clone(), period };
    let claim = NoticeClaim { user_id, kind, period, job: Some(job) };
    Ok(queue_claimed(store, jobs, vec![claim], now).await? == 1)
}

/// Claims `claims` in one batch and queues the jobs of those this call claimed. If one send
/// (up to 100 jobs) fails nothing was queued and the claims are given back, so the next run (or
/// the panel's retry) sends them; if a later send of several fails, earlier ones were queued,
/// so the claims stay and [`requeue_lost`] sends the rest an hour later (a job whose notice is
/// done sends nothing, so nobody hears twice).
async fn queue_claimed<S: NoticeStore, J: Jobs>(
    store: &S,
    jobs: &J,
    claims: Vec<NoticeClaim>,
    now: i64,
) -> Result<u32, StoreError> {
    if claims.is_empty() {
        return Ok(0);
    }
    let won = store.claim_notices(&claims, now).await?;
    let claimed: Vec<NoticeClaim> = claims.into_iter().zip(won).filter(|(_, w)| *w).map(|(c, _)| c).collect();
    let to_send: Vec<Job> = claimed.iter().filter_map(|c| c.job.clone()).collect();
    if let Err(e) = jobs.enqueue_all(&to_send).await {
        if to_send.len() <= 100 {
            let _ = store.release_notices(&claimed).await;
        }
        return Err(e);
    }
    Ok(to_send.len() as u32)
}

/// The hourly cron's safety net: queues again the notices whose job was lost; returns how many.
pub async fn requeue_lost<S: NoticeStore, J: Jobs>(store: &S, jobs: &J, now: i64) -> Result<u32, StoreError> {
    let lost = store
        .take_lost_notices(now - REQUEUE_AFTER_SECONDS, now - REQUEUE_FOR_SECONDS, now, REQUEUE_BATCH)
        .await?;
    jobs.enqueue_all(&lost).await?;
    Ok(lost.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;

    fn due(expires_in: i64, period_start: Option<i64>) -> DueReminder {
        DueReminder { user_id: 1, telegram_id: 42, expires_at: 1_000_000 + expires_in, period_start }
    }

    #[test]
    fn the_claim_names_the_notice_due_and_a_short_period_gets_no_reminder() {
        let now = 1_000_000;
        let claim = due(71 * H, Some(now - 20 * 86_400)).claim(&[72, 24], now).unwrap();
        assert_eq!((claim.kind.as_str(), claim.period), ("expiring_72", now + 71 * H));
        assert!(matches!(claim.job, Some(Job::Remind { reminder: Reminder::Expiring { hours: 72 }, .. })));
        let ended = due(-H, None).claim(&[72, 24], now).unwrap();
        assert_eq!(ended.kind, "expired");
        assert!(matches!(ended.job, Some(Job::Remind { reminder: Reminder::Expired, .. })));
        // A 3-day trial that just began: claimed, nothing sent.
        let trial = due(71 * H, Some(now - H)).claim(&[72, 24], now).unwrap();
        assert_eq!((trial.kind.as_str(), trial.job), ("expiring_72", None));
        assert_eq!(due(73 * H, None).claim(&[72, 24], now), None);
    }
}
