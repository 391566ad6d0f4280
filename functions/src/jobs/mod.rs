//! Durable work on the `JOBS` and `NOTICES` queues, and the cron jobs.
//!
//! A job is a tagged JSON message ([`Job`], the shop's queue contract). The consumer runs each
//! through a function that returns an outcome; this module only maps outcomes to the queue:
//! done → ack; waiting for another job → ack and send again with a delay (waiting must not
//! spend the retry budget); a failure → retry with a delay. After the last retry the runtime
//! moves a message to the dead-letter queue, whose consumer alerts the admins.

pub mod cron;

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::config::Config;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::shop::broadcast::{self, BatchOutcome};
use wavegate_shared::shop::fulfil::{FulfilError, FulfilOutcome};
use wavegate_shared::shop::metrics::Counter;
use wavegate_shared::shop::payment::alert_once;
use wavegate_shared::shop::ports::{Job, Jobs, NoticeError, Notifier, Recipient, Reminder, UsageNotice};
use wavegate_shared::shop::reminders::NoticeStore;
use wavegate_shared::shop::store::{BotUser, FulfilStore, ShopStore, StoreError, UserStore};
use wavegate_shared::shop::sync::{self, Page};
use worker::{Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

use wavegate_shared::http::Sleeper;

use crate::adapters::clamp_delay;
use crate::app::{self, App};
use crate::http::TimerSleeper;
use crate::log::{self, Scope};
use crate::telemetry;

/// What running a job came to.
#[derive(Debug, PartialEq)]
pub enum JobOutcome {
    Done,
    /// Another job must finish first: send this one again after this many seconds.
    Wait(u32),
    /// It failed: try again after this many seconds (Telegram's `retry_after`, or a backoff).
    RetryAfter(u32),
}

/// Backoff when the failure did not say how long to wait, from how long the job has been
/// waiting already (workers-rs does not expose the attempt count): as long again as its age,
/// at least 5 s, at most 1 h. The delays double (5, 10, 20, … 2560 s, then hourly), so the 16
/// retries of wrangler.toml span about 8 hours before a job is dead-lettered.
fn backoff(age_seconds: u64) -> u32 {
    age_seconds.clamp(5, 3600) as u32
}

/// The least time between the starts of two notice jobs (reminders, usage notices; later
/// broadcasts). The notices queue's consumer runs one invocation at a time (wrangler.toml
/// `max_concurrency = 1`) and a notice is one message, so notices stay under 20 messages a
/// second however many are due, leaving Telegram's ~30 a second room for the links and alerts of
/// the jobs queue (as many as payments come in).
pub const PACE_MS: u64 = 50;

/// When the previous Telegram job started in this isolate (the pace carries across batches an
/// isolate runs; a new isolate starts after the previous invocation ended, so it cannot
/// overlap it).
static LAST_SEND_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The start time to reserve for the next job that sends, after the last reserved `last_ms`:
/// [`PACE_MS`] later, or now if that has passed. Reserving before sleeping keeps jobs that run
/// side by side in one isolate in line too.
fn pace_slot_ms(last_ms: u64, now_ms: u64) -> u64 {
    // Never more than a second ahead (a clock that went backwards must not stall the queue).
    (last_ms + PACE_MS).clamp(now_ms, now_ms + 1_000)
}

/// Whether the job is a paced notice (a sync page sends nothing; money jobs have their own
/// queue, unpaced).
fn paced(job: &Job) -> bool {
    matches!(job, Job::Remind { .. } | Job::Notify { .. })
}

fn job_name(job: &Job) -> &'static str {
    match job {
        Job::Provision { .. } => "job:provision",
        Job::TakeBack { .. } => "job:take_back",
        Job::AdminAlert { .. } => "job:admin_alert",
        Job::Remind { .. } => "job:remind",
        Job::Notify { .. } => "job:notify",
        Job::SyncUsers { .. } => "job:sync_users",
        Job::Broadcast { .. } => "job:broadcast",
    }
}

fn retry(seconds: u32) -> worker::QueueRetryOptions {
    QueueRetryOptionsBuilder::new().with_delay_seconds(clamp_delay(seconds)).build()
}

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &Env) {
    // The fault tests' plan belongs to the request that armed it, never to a queue event.
    #[cfg(feature = "faults")]
    crate::store::faults::arm(None);
    let dead_letters = batch.queue().ends_with("-dlq");
    let scope = Scope::new(batch.queue());
    if app::config(env, &scope).is_err() {
        // Keep the messages: they run once the configuration is fixed.
        batch.retry_all_with_options(&retry(300));
        return;
    }
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(e) => {
            // Returning would acknowledge the batch; keep it for another try instead.
            scope.error("queue.unreadable_batch", json!({ "error": e.to_string(), "outcome": "retry" }));
            batch.retry_all_with_options(&retry(60));
            return;
        }
    };
    for message in messages {
        let started_ms = worker::Date::now().as_millis();
        // Time in the queue before this run (batch wait and any delay), for the log.
        let queued_ms = started_ms.saturating_sub(message.timestamp().as_millis());
        let age_seconds = queued_ms / 1000;
        let job = match serde_json::from_value::<Job>(message.body().clone()) {
            Ok(job) => job,
            Err(e) => {
                scope.error("queue.unknown_job", json!({ "error": e.to_string(), "outcome": "dropped" }));
                message.ack();
                continue;
            }
        };
        let app = match App::new(env, Scope::new(job_name(&job))) {
            Ok(app) => app,
            Err(e) => {
                scope.error("queue.wiring", json!({ "error": e.to_string(), "outcome": "retry" }));
                message.retry_with_options(&retry(60));
                continue;
            }
        };
        if paced(&job) && !dead_letters {
            use std::sync::atomic::Ordering::Relaxed;
            let now_ms = worker::Date::now().as_millis();
            let slot = pace_slot_ms(LAST_SEND_MS.load(Relaxed), now_ms);
            LAST_SEND_MS.store(slot, Relaxed);
            if slot > now_ms {
                TimerSleeper.sleep(std::time::Duration::from_millis(slot - now_ms)).await;
            }
        }
        let outcome = if dead_letters {
            dead_letter(env, &app, &job).await
        } else {
            run(&app, &job, age_seconds).await
        };
        let run_ms = worker::Date::now().as_millis().saturating_sub(started_ms);
        match outcome {
            JobOutcome::Done => {
                let line = json!({ "job": job, "outcome": "done", "queued_ms": queued_ms, "run_ms": run_ms });
                app.scope.info("job.done", app.with_costs(line));
                message.ack();
            }
            JobOutcome::Wait(seconds) => {
                // A fresh message with a delay: the wait does not count as a failed attempt.
                match app.jobs.enqueue_later(&job, seconds).await {
                    Ok(()) => {
                        app.scope.info(
                            "job.done",
                            json!({ "job": job, "outcome": "wait", "delay_seconds": seconds }),
                        );
                        message.ack();
                    }
                    Err(e) => {
                        app.scope.warn(
                            "job.done",
                            json!({ "job": job, "outcome": "retry", "error": e.to_string() }),
                        );
                        message.retry_with_options(&retry(seconds));
                    }
                }
            }
            JobOutcome::RetryAfter(seconds) => {
                telemetry::count(env, &app, Counter::QueueRetry { job: job_name(&job) }).await;
                app.scope.warn(
                    "job.done",
                    json!({ "job": job, "outcome": "retry", "age_seconds": age_seconds, "delay_seconds": seconds }),
                );
                message.retry_with_options(&retry(seconds));
            }
        }
    }
}

async fn run(app: &App<'_>, job: &Job, age_seconds: u64) -> JobOutcome {
    match job {
        Job::AdminAlert { text } => alert_admins(app, text, age_seconds).await,
        Job::Remind { telegram_id, reminder, expires_at } => {
            remind(app, *telegram_id, *reminder, *expires_at, age_seconds).await
        }
        Job::Notify { telegram_id, notice, kind, period } => {
            notify(app, *telegram_id, *notice, (kind, *period), age_seconds).await
        }
        Job::SyncUsers { sweep, cursor } => {
            sync_users(app, &Page { sweep: *sweep, cursor: *cursor }, age_seconds).await
        }
        Job::Broadcast { id, job } => broadcast_batch(app, *id, *job, age_seconds).await,
        Job::Provision { order } | Job::TakeBack { order } => {
            let panel = app.panel();
            let notifier = app.notifier();
            let fulfiller = app.fulfiller(&panel, &notifier);
            let result = match job {
                Job::Provision { .. } => fulfiller.provision(order).await,
                _ => fulfiller.take_back(order).await,
            };
            match result {
                Ok(FulfilOutcome::Done(what)) => {
                    app.scope.info("fulfil.done", json!({ "order": order, "outcome": what }));
                    if matches!(job, Job::Provision { .. }) && what.starts_with("provisioned") {
                        release_waiting_rewards(app, order).await;
                    }
                    JobOutcome::Done
                }
                Ok(FulfilOutcome::Wait(seconds)) => JobOutcome::Wait(seconds),
                Err(e) if !e.is_retryable() => failed_for_good(app, job, order, &e).await,
                Err(e) => failed(app, order, &e, age_seconds),
            }
        }
    }
}

/// One batch of a broadcast ([`broadcast::run_batch`]), paced inside (≥ 40 ms between sends),
/// then the next job. The notices queue runs one invocation at a time, so broadcasts, reminders
/// and notices together stay under Telegram's limit.
async fn broadcast_batch(app: &App<'_>, id: i64, job: u32, age_seconds: u64) -> JobOutcome {
    let now = app.clock.now().timestamp();
    let notifier = app.notifier();
    match broadcast::run_batch(&app.store, &app.jobs, &notifier, &TimerSleeper, id, job, now).await {
        // The next job is queued already (or none is needed).
        Ok(BatchOutcome::Sent | BatchOutcome::Idle) => JobOutcome::Done,
        Ok(BatchOutcome::Finished { reported }) => {
            app.scope.info("broadcast.finished", json!({ "broadcast": id, "reported": reported }));
            JobOutcome::Done
        }
        Ok(BatchOutcome::Throttled(seconds)) => {
            app.scope.warn("broadcast.throttled", json!({ "broadcast": id, "retry_after": seconds }));
            JobOutcome::Done
        }
        Ok(BatchOutcome::Unavailable(why)) => {
            app.scope.warn("broadcast.unavailable", json!({ "broadcast": id, "error": why }));
            JobOutcome::Done
        }
        // Paused: this job again when the pause ends (a fresh message, not a spent retry).
        Ok(BatchOutcome::Paused(seconds)) => JobOutcome::Wait(seconds),
        Err(e) => store_failed(app, &e, age_seconds),
    }
}

/// Referral rewards that waited for this customer's first subscription go out now that it is
/// on the panel. (If this fails, the hourly reconciliation finds them: they are paid orders of a
/// customer with a panel user.)
async fn release_waiting_rewards(app: &App<'_>, order: &str) {
    let waiting = match app.store.waiting_rewards(order).await {
        Ok(waiting) => waiting,
        Err(e) => {
            app.scope.warn("rewards.waiting", json!({ "order": order, "error": log::chain(&e) }));
            return;
        }
    };
    let jobs: Vec<Job> = waiting.into_iter().map(|order| Job::Provision { order }).collect();
    if let Err(e) = app.jobs.enqueue_all(&jobs).await {
        app.scope.warn("rewards.waiting", json!({ "order": order, "error": log::chain(&e) }));
    }
}

fn failed(app: &App<'_>, order: &str, e: &FulfilError, age_seconds: u64) -> JobOutcome {
    app.scope.warn(
        "fulfil.failed",
        json!({ "order": order, "retryable": e.is_retryable(), "error": log::chain(e), "outcome": "retry" }),
    );
    JobOutcome::RetryAfter(e.retry_after().unwrap_or_else(|| backoff(age_seconds)))
}

/// A failure that fails the same way on every retry (the panel refused the request, a row
/// the code cannot read): the admins are told now, once per order, and the job is not retried
/// — retries would only hide it for hours. The order keeps its state, so the hourly
/// reconciliation tries it again once the cause is fixed.
async fn failed_for_good(app: &App<'_>, job: &Job, order: &str, e: &FulfilError) -> JobOutcome {
    let now = app.clock.now().timestamp();
    app.scope.error(
        "fulfil.failed",
        json!({ "order": order, "retryable": false, "error": log::chain(e), "outcome": "alerted" }),
    );
    let (name, what) = match job {
        Job::TakeBack { .. } => (format!("take_back_failed:{order}"), "the days of refunded order"),
        _ => (format!("provision_failed:{order}"), "paid order"),
    };
    let text = format!(
        "⚠️ Wavegate: {what} {order} failed with an error that retrying will not fix: {e}. Nothing more is tried until the hourly reconciliation; fix the cause (panel settings, the order's data) and it goes through."
    );
    match alert_once(&app.store, &app.jobs, &name, text, now).await {
        Ok(_) => JobOutcome::Done,
        // Not queued (the claim was given back): try again, so the alert is not lost.
        Err(_) => JobOutcome::RetryAfter(60),
    }
}

/// A job that exhausted its retries: tell the admins what is stuck, once.
async fn dead_letter(env: &Env, app: &App<'_>, job: &Job) -> JobOutcome {
    app.scope.error("queue.dead_letter", json!({ "job": job, "outcome": "alerting" }));
    let name = job_name(job);
    telemetry::count(env, app, Counter::DeadLetter { job: name }).await;
    // The order, not the customer: no Telegram id or message text goes to a third party.
    let order = match job {
        Job::Provision { order } | Job::TakeBack { order } => format!("order {order}"),
        _ => "no order".to_string(),
    };
    let causes = vec![format!("the {name} job exhausted its retries"), order];
    telemetry::report(env, app, "dead_letter", name, 0, causes).await;
    let text = match job {
        Job::Provision { order } => format!(
            "⚠️ Wavegate: paid order {order} could not be provisioned after all retries. It stays paid; the hourly reconciliation retries it. Check the panel and the logs."
        ),
        Job::TakeBack { order } => format!(
            "⚠️ Wavegate: the days of refunded order {order} could not be taken back from the panel after all retries. The hourly reconciliation retries it."
        ),
        Job::AdminAlert { text } => format!("⚠️ Wavegate: an admin alert could not be delivered for hours: {text}"),
        // A reminder or notice that could not go out for hours is stale: logged above, no
        // alert. A sync page that failed for hours: the next hourly cron resumes the sweep.
        // A broadcast job that failed for hours: the hourly cron resumes a stalled broadcast.
        Job::Remind { .. } | Job::Notify { .. } | Job::SyncUsers { .. } | Job::Broadcast { .. } => {
            return JobOutcome::Done
        }
    };
    match alert_admins(app, &text, 0).await {
        // Never retry forever inside the dead-letter queue; the log line above remains.
        JobOutcome::RetryAfter(_) | JobOutcome::Wait(_) => JobOutcome::Done,
        done => done,
    }
}

/// Sends one reminder, unless its notice is done already (a repeated or re-queued job), the
/// customer's period changed since it was queued (a renewal: the new period has its own
/// reminders) or they blocked the bot. A Stars subscription that renews itself gets a "renews
/// on" note instead of a nag. 403 marks the customer blocked; 429 waits as Telegram asks; the
/// pace keeps the rest under Telegram's limit.
async fn remind(
    app: &App<'_>,
    telegram_id: i64,
    reminder: Reminder,
    expires_at: i64,
    age_seconds: u64,
) -> JobOutcome {
    let hours = match reminder {
        Reminder::Expiring { hours } => Some(hours),
        _ => None,
    };
    let kind = Reminder::notice_kind(hours);
    let user = match notice_recipient(app, telegram_id, &kind, expires_at).await {
        Ok(Some(user)) => user,
        Ok(None) => return JobOutcome::Done,
        Err(e) => return store_failed(app, &e, age_seconds),
    };
    let summary = match app.store.subscription_summary(user.id).await {
        Ok(summary) => summary,
        Err(e) => return store_failed(app, &e, age_seconds),
    };
    let outcome = if summary.expires_at != Some(expires_at) {
        app.scope.info("remind.skipped", json!({ "outcome": "period changed" }));
        JobOutcome::Done
    } else if hours.is_some() && expires_at <= app.clock.now().timestamp() {
        // A reminder queued again after the end it warns of: the expiry notice says it now.
        app.scope.info("remind.skipped", json!({ "outcome": "too late" }));
        JobOutcome::Done
    } else {
        let renews = summary.stars_subscription.as_ref().is_some_and(|s| !s.canceled && !s.failed);
        match reminder {
            // Telegram charges the renewal at the period's end; a failed charge has its own message.
            Reminder::Expired if renews => JobOutcome::Done,
            reminder => {
                let reminder = if renews && hours.is_some() { Reminder::Renews } else { reminder };
                let to = recipient(telegram_id, &user);
                let sent = app.notifier().reminder(&to, reminder, expires_at).await;
                delivered(app, telegram_id, sent, age_seconds).await
            }
        }
    };
    finish(app, user.id, &kind, expires_at, outcome).await
}

/// Sends one usage notice, unless it is done already (customers who blocked the bot are not
/// queued, and one who blocks it meanwhile answers 403).
async fn notify(
    app: &App<'_>,
    telegram_id: i64,
    notice: UsageNotice,
    (kind, period): (&str, i64),
    age_seconds: u64,
) -> JobOutcome {
    let user = match notice_recipient(app, telegram_id, kind, period).await {
        Ok(Some(user)) => user,
        Ok(None) => return JobOutcome::Done,
        Err(e) => return store_failed(app, &e, age_seconds),
    };
    let sent = app.notifier().usage(&recipient(telegram_id, &user), notice).await;
    let outcome = delivered(app, telegram_id, sent, age_seconds).await;
    finish(app, user.id, kind, period, outcome).await
}

/// The customer a notice job is for: `Ok(None)` if there is nothing to do (no such customer,
/// or the notice is done already: a repeated or re-queued job).
async fn notice_recipient(
    app: &App<'_>,
    telegram_id: i64,
    kind: &str,
    period: i64,
) -> Result<Option<BotUser>, StoreError> {
    let Ok(id) = TelegramUserId::parse(telegram_id) else { return Ok(None) };
    let Some(user) = app.store.find_user(id).await? else { return Ok(None) };
    if app.store.notice_done(user.id, kind, period).await? {
        app.scope.info("notice.skipped", json!({ "kind": kind, "outcome": "done before" }));
        return Ok(None);
    }
    Ok(Some(user))
}

/// A D1 failure in a notice job: logged, and the job retried.
fn store_failed(app: &App<'_>, e: &StoreError, age_seconds: u64) -> JobOutcome {
    app.scope.warn("notice.failed", json!({ "error": log::chain(e), "outcome": "retry" }));
    JobOutcome::RetryAfter(backoff(age_seconds))
}

fn recipient(telegram_id: i64, user: &BotUser) -> Recipient {
    Recipient {
        telegram_id,
        chat_id: telegram_id,
        locale: user.locale.clone(),
        language_code: user.language_code.clone(),
    }
}

/// A notice whose job is done (sent, found stale, or the customer unreachable) is marked so in
/// `notices`, so the hourly safety net does not queue it again; a retry leaves it open.
async fn finish(app: &App<'_>, user_id: i64, kind: &str, period: i64, outcome: JobOutcome) -> JobOutcome {
    if outcome == JobOutcome::Done {
        let now = app.clock.now().timestamp();
        if let Err(e) = app.store.finish_notice(user_id, kind, period, now).await {
            // Not fatal: at worst the safety net sends it once more in an hour.
            app.scope.warn("notice.unmarked", json!({ "kind": kind, "error": e.to_string() }));
        }
    }
    outcome
}

/// What a customer notice's send came to: 403 marks the customer blocked (nothing more is
/// sent until they /start again); 429 waits as Telegram asks; a refusal is dropped.
async fn delivered(
    app: &App<'_>,
    telegram_id: i64,
    sent: Result<(), NoticeError>,
    age_seconds: u64,
) -> JobOutcome {
    match sent {
        Ok(()) => JobOutcome::Done,
        Err(NoticeError::Unreachable) => {
            let _ = app.store.set_blocked_by_telegram_id(telegram_id, app.clock.now().timestamp()).await;
            JobOutcome::Done
        }
        Err(NoticeError::Throttled(seconds)) => JobOutcome::RetryAfter(seconds),
        Err(NoticeError::Refused(reason)) => {
            app.scope.warn("notice.refused", json!({ "reason": reason, "outcome": "dropped" }));
            JobOutcome::Done
        }
        Err(NoticeError::Unavailable(reason)) => {
            app.scope.warn("notice.failed", json!({ "reason": reason, "outcome": "retry" }));
            JobOutcome::RetryAfter(backoff(age_seconds))
        }
    }
}

/// One page of the usage and expiry sync ([`wavegate_shared::shop::sync`]).
async fn sync_users(app: &App<'_>, page: &Page, age_seconds: u64) -> JobOutcome {
    // Taken before the read: an event or provisioning newer than this read wins over it.
    let seen_at = app.clock.now().timestamp();
    let fetched = match app.panel().users_page(page.panel_cursor(), sync::PAGE_SIZE).await {
        Ok(fetched) => fetched,
        Err(e) => {
            app.scope.warn(
                "sync.failed",
                json!({ "page": page.cursor, "error": log::chain(&e), "outcome": "retry" }),
            );
            return JobOutcome::RetryAfter(backoff(age_seconds));
        }
    };
    match sync::step(&app.store, &app.jobs, page, &fetched, seen_at).await {
        Ok(step) => {
            app.scope.info(
                "sync.page",
                json!({ "sweep": page.sweep, "cursor": page.cursor, "users": fetched.users.len(),
                        "step": format!("{step:?}") }),
            );
            JobOutcome::Done
        }
        Err(e) => {
            app.scope.warn(
                "sync.failed",
                json!({ "page": page.cursor, "error": log::chain(&e), "outcome": "retry" }),
            );
            JobOutcome::RetryAfter(backoff(age_seconds))
        }
    }
}

/// Messages every admin. Admins who blocked the bot, or whose chat Telegram refuses for good
/// (a 4xx other than 429), are skipped: retrying cannot reach them. A throttled or failed send
/// retries the job (admins who already got it may get it twice: better than never).
pub async fn alert_admins(app: &App<'_>, text: &str, age_seconds: u64) -> JobOutcome {
    let config: &Config = &app.config;
    let notifier = app.notifier();
    for admin in &config.admin_ids {
        match notifier.admin(admin.get(), text).await {
            Ok(_) => {}
            Err(NoticeError::Unreachable) => app
                .scope
                .warn("alert.admin_unreachable", json!({ "admin": admin.get(), "outcome": "skipped" })),
            Err(NoticeError::Refused(reason)) => app.scope.warn(
                "alert.refused",
                json!({ "admin": admin.get(), "reason": reason, "outcome": "skipped" }),
            ),
            Err(NoticeError::Throttled(s)) => return JobOutcome::RetryAfter(s),
            Err(e) => {
                app.scope.warn("alert.failed", json!({ "error": e.to_string(), "outcome": "retry" }));
                return JobOutcome::RetryAfter(backoff(age_seconds));
            }
        }
    }
    JobOutcome::Done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_are_spaced_by_the_pace() {
        assert_eq!(pace_slot_ms(0, 1_000_000), 1_000_000);
        assert_eq!(pace_slot_ms(1_000, 1_010), 1_050);
        assert_eq!(pace_slot_ms(1_000, 1_500), 1_500);
        // Two jobs side by side: the second takes the slot after the first's.
        assert_eq!(pace_slot_ms(pace_slot_ms(1_000, 1_010), 1_010), 1_100);
        assert_eq!(pace_slot_ms(50_000, 1_000), 2_000);
    }

    #[test]
    fn backoff_grows_with_the_jobs_age_within_bounds() {
        assert_eq!([0, 30, 100, 1000, 100_000].map(backoff), [5, 30, 100, 1000, 3600]);
    }
}
