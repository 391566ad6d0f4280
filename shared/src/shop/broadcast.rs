//! Broadcasts: an admin's message to many customers, delivered through the notices queue at
//! Telegram's pace, each customer at most once.
//!
//! ```text
//! admin: /broadcast → sends the text (a last line `button: Label | https://…` adds a button)
//!   → a draft; the bot shows it as customers will see it, and the recipients per filter
//!     (all, active, expired, never paid; a language) with [Send to N] [Cancel]
//! admin: [Send to 1,234]
//!   → start: draft → sending, once; the recipients snapshotted (blocked users skipped)
//!   → Job::Broadcast { id }: claim 25 pending recipients (pending → claimed, one statement),
//!     queue the next job (before sending, so the queue's batching delay overlaps the sends),
//!     send each ≥ 40 ms apart, record sent / blocked (403: the user is marked blocked and
//!     skipped from then on) / failed in one batch
//!   → 429: the unsent claims go back to pending and the broadcast pauses for `retry_after`
//!     (the next job finds it paused and waits); a 5xx or a broken connection counts that
//!     recipient failed (Telegram may have delivered it: never resent) and pauses it for 5 s
//!   → a job that dies mid-batch leaves its claims claimed: never sent again (at most once)
//!   → the last job marks it done (once) and reports the counts to the admin
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::http::Sleeper;

use super::ports::{Job, Jobs, NoticeError, Notifier};
use super::store::StoreError;

/// Recipients per queue job: 25 sends and four D1 round trips stay far inside the free plan's
/// 50 subrequests; at [`SEND_SPACING`] a job takes about a second.
pub const BATCH: u32 = 25;
/// The least time between two sends: at most 25 a second, under Telegram's ~30 for bots.
pub const SEND_SPACING: Duration = Duration::from_millis(40);
/// Progress is reported to the admin every this many jobs (about every 250 messages).
pub const PROGRESS_EVERY: u32 = 10;
/// How long a broadcast pauses when the channel fails (5xx, network): then it resumes.
pub const UNAVAILABLE_PAUSE_SECONDS: i64 = 5;
/// The longest text a broadcast may have (Telegram's message limit, less room for nothing).
pub const MAX_TEXT: usize = 4000;

/// Who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[default]
    All,
    /// With a subscription that has not ended.
    Active,
    /// Had a subscription; it ended.
    Expired,
    /// Never paid for anything.
    NeverPaid,
}

impl Audience {
    pub const ALL: [Audience; 4] = [Audience::All, Audience::Active, Audience::Expired, Audience::NeverPaid];

    pub fn code(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Active => "active",
            Audience::Expired => "expired",
            Audience::NeverPaid => "never_paid",
        }
    }

    pub fn parse(code: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::All => "All",
            Audience::Active => "Active",
            Audience::Expired => "Expired",
            Audience::NeverPaid => "Never paid",
        }
    }
}

/// A broadcast's text and optional link button, as the admin wrote them (plain text: escaped
/// when sent, so a stray `<` cannot make every send fail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub button: Option<(String, String)>,
}

impl Message {
    /// The admin's text; a last line `button: Label | https://…` becomes a link button.
    pub fn parse(raw: &str) -> Result<Message, String> {
        let raw = raw.trim();
        let (body, button) = match raw.rsplit_once('\n') {
            Some((body, last)) if last.trim_start().to_ascii_lowercase().starts_with("button:") => {
                let spec = last.trim_start()["button:".len()..].trim();
                let (label, url) =
                    spec.split_once('|').ok_or("a button line is `button: Label | https://…`")?;
                let (label, url) = (label.trim(), url.trim());
                if label.is_empty() || label.chars().count() > 64 {
                    return Err("the button's label must be 1–64 characters".into());
                }
                if !url.starts_with("https://") || url.len() > 512 || url.contains(char::is_whitespace) {
                    return Err("the button's link must be an https:// address".into());
                }
                (body.trim_end(), Some((label.to_string(), url.to_string())))
            }
            _ => (raw, None),
        };
        if body.is_empty() {
            return Err("the message is empty".into());
        }
        // Telegram counts UTF-16 units (an emoji is two), not characters.
        if body.encode_utf16().count() > MAX_TEXT {
            return Err(format!("the message is longer than {MAX_TEXT} characters"));
        }
        Ok(Message { text: body.to_string(), button })
    }
}

/// A broadcast as the bot and the jobs see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Broadcast {
    pub id: i64,
    pub admin: i64,
    pub message: Message,
    pub audience: Audience,
    pub locale: Option<String>,
    pub status: String,
    pub control: Option<(i64, i64)>,
    pub started_at: Option<i64>,
    /// Nothing is sent before this time.
    pub paused_until: Option<i64>,
}

/// Recipients per audience for one language filter, for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub all: i64,
    pub active: i64,
    pub expired: i64,
    pub never_paid: i64,
}

impl Counts {
    pub fn of(&self, audience: Audience) -> i64 {
        match audience {
            Audience::All => self.all,
            Audience::Active => self.active,
            Audience::Expired => self.expired,
            Audience::NeverPaid => self.never_paid,
        }
    }
}

/// Where a broadcast stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub total: i64,
    pub sent: i64,
    pub blocked: i64,
    pub failed: i64,
    pub pending: i64,
    /// Claimed by a job that has not reported (in flight, or a job that died: never resent).
    pub claimed: i64,
}

/// What one send came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendResult {
    Sent,
    Blocked,
    Failed,
    /// Not sent (throttled or the channel was down): back to pending.
    Released,
}

/// Storage for broadcasts; every state change is one guarded statement or batch.
#[allow(async_fn_in_trait)]
pub trait BroadcastStore {
    async fn create_broadcast(&self, admin: i64, message: &Message, now: i64) -> Result<i64, StoreError>;
    async fn broadcast(&self, id: i64) -> Result<Option<Broadcast>, StoreError>;
    /// Changes a draft's filter; `false` if it is no longer a draft.
    async fn set_broadcast_filter(
        &self,
        id: i64,
        audience: Audience,
        locale: Option<&str>,
    ) -> Result<bool, StoreError>;
    /// Recipients per audience (blocked users never count), for one language or all.
    async fn broadcast_counts(&self, locale: Option<&str>, now: i64) -> Result<Counts, StoreError>;
    /// Draft → sending, once: snapshots the recipients and remembers the control message.
    /// Returns how many there are, or `None` if it was not a draft.
    async fn start_broadcast(
        &self,
        id: i64,
        control: (i64, i64),
        now: i64,
    ) -> Result<Option<i64>, StoreError>;
    /// Draft → cancelled; `false` if it was not a draft.
    async fn cancel_broadcast(&self, id: i64, now: i64) -> Result<bool, StoreError>;
    /// Claims up to `limit` pending recipients: `(user id, telegram id)`.
    async fn claim_recipients(&self, id: i64, limit: u32, now: i64) -> Result<Vec<(i64, i64)>, StoreError>;
    /// Records each claimed recipient's result (one batch; a 403 marks the user blocked), and
    /// that a job worked on the broadcast at `now` (what finds stalled ones).
    async fn record_sends(&self, id: i64, results: &[(i64, SendResult)], now: i64) -> Result<(), StoreError>;
    async fn broadcast_progress(&self, id: i64) -> Result<Progress, StoreError>;
    /// Sending → done when nothing is pending, once; `true` for the call that did it.
    async fn finish_broadcast(&self, id: i64, now: i64) -> Result<bool, StoreError>;
    /// Broadcasts still sending whose last job ran before `before` (a lost job): their ids.
    async fn stalled_broadcasts(&self, before: i64) -> Result<Vec<i64>, StoreError>;
    /// Sends nothing before `until` (Telegram's `retry_after`, a channel failure).
    async fn pause_broadcast(&self, id: i64, until: i64) -> Result<(), StoreError>;
}

/// What one job did. Only [`BatchOutcome::Paused`] asks the consumer for anything (to run
/// the same job again later); every other outcome has queued the next job already, or none is
/// needed.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchOutcome {
    /// Sent a batch; the next job is queued.
    Sent,
    /// Nothing left; `reported` if this job finished it and told the admin the counts.
    Finished { reported: bool },
    /// Telegram asked to wait: the broadcast pauses this long (the next job is queued).
    Throttled(u32),
    /// The channel failed: the broadcast pauses (the next job is queued; the recipient it failed
    /// on counted failed, the unsent claims released).
    Unavailable(String),
    /// The broadcast is paused for this many seconds: run this job again then.
    Paused(u32),
    /// No such broadcast, or not sending (cancelled, a draft): nothing to do.
    Idle,
}

/// Sends one batch of broadcast `id` (see the module docs). `job` counts the jobs of this
/// broadcast so far, for the progress reports.
#[allow(clippy::too_many_arguments)]
pub async fn run_batch<S: BroadcastStore, J: Jobs, N: Notifier, Z: Sleeper>(
    store: &S,
    jobs: &J,
    notifier: &N,
    sleeper: &Z,
    id: i64,
    job: u32,
    now: i64,
) -> Result<BatchOutcome, StoreError> {
    let Some(broadcast) = store.broadcast(id).await? else { return Ok(BatchOutcome::Idle) };
    if broadcast.status != "sending" {
        return Ok(BatchOutcome::Idle);
    }
    if let Some(until) = broadcast.paused_until.filter(|until| *until > now) {
        return Ok(BatchOutcome::Paused(u32::try_from(until - now).unwrap_or(1)));
    }
    let claimed = store.claim_recipients(id, BATCH, now).await?;
    if claimed.is_empty() {
        let finished = store.finish_broadcast(id, now).await?;
        if finished {
            let p = store.broadcast_progress(id).await?;
            let seconds = now - broadcast.started_at.unwrap_or(now);
            let text = format!(
                "✅ Broadcast #{id} done in {}m {:02}s: {} sent, {} blocked, {} failed{} of {}.",
                seconds / 60,
                seconds % 60,
                p.sent,
                p.blocked,
                p.failed,
                if p.claimed > 0 {
                    format!(", {} unconfirmed (a job stopped mid-send; never resent)", p.claimed)
                } else {
                    String::new()
                },
                p.total
            );
            report(notifier, &broadcast, &text).await;
        }
        return Ok(BatchOutcome::Finished { reported: finished });
    }
    // The next job now: the queue's batching delay passes while this one sends. If it cannot
    // be queued, the claims go back and the consumer retries this job.
    if let Err(e) = jobs.enqueue(&Job::Broadcast { id, job: job + 1 }).await {
        let released: Vec<(i64, SendResult)> =
            claimed.iter().map(|(u, _)| (*u, SendResult::Released)).collect();
        store.record_sends(id, &released, now).await?;
        return Err(e);
    }
    let mut results = Vec::with_capacity(claimed.len());
    let mut stop = None;
    for (i, (user_id, telegram_id)) in claimed.iter().enumerate() {
        if stop.is_some() {
            results.push((*user_id, SendResult::Released));
            continue;
        }
        if i > 0 {
            sleeper.sleep(SEND_SPACING).await;
        }
        let result = match notifier.broadcast(*telegram_id, &broadcast.message).await {
            Ok(()) => SendResult::Sent,
            Err(NoticeError::Unreachable) => SendResult::Blocked,
            Err(NoticeError::Refused(_)) => SendResult::Failed,
            Err(NoticeError::Throttled(seconds)) => {
                stop = Some(BatchOutcome::Throttled(seconds.max(1)));
                SendResult::Released
            }
            // A 5xx or a broken connection may come after Telegram delivered the message:
            // never sent again (at most once), counted as failed; the rest waits out a pause.
            Err(NoticeError::Unavailable(why)) => {
                stop = Some(BatchOutcome::Unavailable(why));
                SendResult::Failed
            }
        };
        results.push((*user_id, result));
    }
    store.record_sends(id, &results, now).await?;
    match &stop {
        Some(BatchOutcome::Throttled(seconds)) => {
            store.pause_broadcast(id, now + i64::from(*seconds)).await?
        }
        Some(_) => store.pause_broadcast(id, now + UNAVAILABLE_PAUSE_SECONDS).await?,
        None => {}
    }
    if let Some(stop) = stop {
        return Ok(stop);
    }
    if job.is_multiple_of(PROGRESS_EVERY) {
        let p = store.broadcast_progress(id).await?;
        let text = format!(
            "📣 Broadcast #{id}: {} of {} delivered ({} blocked, {} failed), sending…",
            p.sent, p.total, p.blocked, p.failed
        );
        if let Some(control) = broadcast.control {
            // Best effort: progress is a courtesy; the final report is a message of its own.
            let _ = notifier.broadcast_report(control, &text, true).await;
        }
    }
    Ok(BatchOutcome::Sent)
}

/// The final counts: on the control message, and as a new message to the admin who sent it.
async fn report<N: Notifier>(notifier: &N, broadcast: &Broadcast, text: &str) {
    if let Some(control) = broadcast.control {
        let _ = notifier.broadcast_report(control, text, true).await;
    }
    let _ = notifier.broadcast_report((broadcast.admin, 0), text, false).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_last_button_line_becomes_a_link_button() {
        let m = Message::parse("New servers in Jakarta!\nbutton: Open the bot | https://t.me/WavegateBot")
            .unwrap();
        assert_eq!(m.text, "New servers in Jakarta!");
        assert_eq!(m.button, Some(("Open the bot".into(), "https://t.me/WavegateBot".into())));
        let plain = Message::parse("  Hello <all> & welcome  ").unwrap();
        assert_eq!((plain.text.as_str(), plain.button), ("Hello <all> & welcome", None));
        for bad in [
            "",
            "text\nbutton: no link",
            "text\nbutton: Label | http://insecure",
            "text\nbutton:  | https://x.y",
        ] {
            assert!(Message::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Message::parse(&"x".repeat(MAX_TEXT + 1)).is_err());
    }

    #[test]
    fn audiences_round_trip_their_codes() {
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.code()), Some(a));
        }
        assert_eq!(Audience::parse("everyone"), None);
    }
}
