//! Durable work on the `JOBS` queue, and the cron jobs.
//!
//! A job is a tagged JSON message ([`Job`]). The consumer runs each through a function that
//! returns an outcome; this module only maps outcomes to ack / retry-with-delay. After the last
//! retry the runtime moves a message to the dead-letter queue, whose consumer alerts the admins.

pub mod cron;

use serde_json::json;
use wavegate_bot::fulfil::{FulfilError, FulfilOutcome, Fulfiller};
pub use wavegate_bot::shop::Job;
use wavegate_shared::config::Config;
use wavegate_shared::remnawave::RemnawaveClient;
use wavegate_shared::telegram::{BotApi, TelegramError};
use worker::{Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

use crate::app;
use crate::http::{FetchClient, SystemClock, TimerSleeper};
use crate::log;
use crate::store::bot::D1Store;

/// What running a job came to.
#[derive(Debug, PartialEq)]
pub enum JobOutcome {
    Done,
    /// Try again after this many seconds (Telegram's `retry_after`, or a backoff).
    RetryAfter(u32),
}

/// Backoff when the failure did not say how long to wait, from how long the job has been
/// waiting already (workers-rs does not expose the attempt count): as long again as its age,
/// at least 5 s, at most 1 h. The delays double (5, 10, 20, … 2560 s, then hourly), so the 16
/// retries of wrangler.toml span about 8 hours before a job is dead-lettered.
fn backoff(age_seconds: u64) -> u32 {
    age_seconds.clamp(5, 3600) as u32
}

pub async fn consume(batch: MessageBatch<serde_json::Value>, env: &Env) {
    let dead_letters = batch.queue().ends_with("-dlq");
    let Ok(config) = app::config(env) else {
        // Keep the messages: they run once the configuration is fixed.
        batch.retry_all_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(300).build());
        return;
    };
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(e) => {
            // Returning would acknowledge the batch; keep it for another try instead.
            log::error("queue.unreadable_batch", json!({ "error": e.to_string() }));
            batch.retry_all_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(60).build());
            return;
        }
    };
    for message in messages {
        let age_seconds =
            worker::Date::now().as_millis().saturating_sub(message.timestamp().as_millis()) / 1000;
        let outcome = match serde_json::from_value::<Job>(message.body().clone()) {
            Err(e) => {
                log::error("queue.unknown_job", json!({ "error": e.to_string() }));
                JobOutcome::Done
            }
            Ok(job) if dead_letters => dead_letter(&config, &job).await,
            Ok(job) => run(&config, env, &job, age_seconds).await,
        };
        match outcome {
            JobOutcome::Done => message.ack(),
            JobOutcome::RetryAfter(seconds) => {
                log::warn("queue.retry", json!({ "age_seconds": age_seconds, "delay_seconds": seconds }));
                message
                    .retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(seconds).build());
            }
        }
    }
}

async fn run(config: &Config, env: &Env, job: &Job, age_seconds: u64) -> JobOutcome {
    match job {
        Job::AdminAlert { text } => alert_admins(config, text, age_seconds).await,
        Job::Provision { order } | Job::TakeBack { order } => {
            let result = fulfil(config, env, job).await;
            match result {
                Ok(FulfilOutcome::Done(what)) => {
                    log::info("fulfil.done", json!({ "job": job, "outcome": what }));
                    JobOutcome::Done
                }
                Ok(FulfilOutcome::RetryAfter(seconds)) => JobOutcome::RetryAfter(seconds),
                Err(e) => {
                    log::warn("fulfil.failed", json!({ "order": order, "error": log::chain(&e) }));
                    JobOutcome::RetryAfter(e.retry_after().unwrap_or_else(|| backoff(age_seconds)))
                }
            }
        }
    }
}

async fn fulfil(config: &Config, env: &Env, job: &Job) -> Result<FulfilOutcome, FulfilError> {
    let db = env.d1(app::DB).map_err(|e| wavegate_bot::store::StoreError(e.to_string()))?;
    let store = D1Store { db: &db };
    let http = FetchClient::default();
    let panel =
        RemnawaveClient::new(&http, &TimerSleeper, &config.remnawave.url, config.remnawave.token.expose());
    let fulfiller = Fulfiller { config, store: &store, http: &http, panel: &panel, clock: &SystemClock };
    match job {
        Job::Provision { order } => fulfiller.provision(order).await,
        Job::TakeBack { order } => fulfiller.take_back(order).await,
        Job::AdminAlert { .. } => Ok(FulfilOutcome::Done("not a fulfilment job")),
    }
}

/// A job that exhausted its retries: tell the admins what is stuck, once.
async fn dead_letter(config: &Config, job: &Job) -> JobOutcome {
    log::error("queue.dead_letter", json!({ "job": job }));
    let text = match job {
        Job::Provision { order } => format!(
            "⚠️ Wavegate: paid order {order} could not be provisioned after all retries. It stays paid; the hourly reconciliation retries it. Check the panel and the logs."
        ),
        Job::TakeBack { order } => format!(
            "⚠️ Wavegate: the days of refunded order {order} could not be taken back from the panel after all retries. The hourly reconciliation retries it."
        ),
        Job::AdminAlert { text } => format!("⚠️ Wavegate: an admin alert could not be delivered for hours: {text}"),
    };
    match alert_admins(config, &text, 0).await {
        // Never retry forever inside the dead-letter queue; the log line above remains.
        JobOutcome::RetryAfter(_) => JobOutcome::Done,
        done => done,
    }
}

/// Messages every admin. Admins who blocked the bot are skipped; a throttled or failed send
/// retries the job (admins who already got it may get it twice: better than never).
pub async fn alert_admins(config: &Config, text: &str, age_seconds: u64) -> JobOutcome {
    let http = FetchClient::default();
    let api = BotApi::new(&http, &config.telegram.api_base, config.telegram.bot_token.expose());
    // Alerts quote panel errors and names verbatim; escaped, they can never break the HTML.
    let text = wavegate_bot::screens::escape_html(text);
    for admin in &config.admin_ids {
        match api.send_message(admin.get(), &text, None).await {
            Ok(_) => {}
            Err(e) if e.is_unreachable_user() => {
                log::warn("alert.admin_unreachable", json!({ "admin": admin.get() }))
            }
            Err(TelegramError::Api { retry_after: Some(s), .. }) => return JobOutcome::RetryAfter(s),
            Err(e) => {
                log::warn("alert.failed", json!({ "error": log::chain(&e) }));
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
    fn backoff_grows_with_the_jobs_age_within_bounds() {
        assert_eq!([0, 30, 100, 1000, 100_000].map(backoff), [5, 30, 100, 1000, 3600]);
    }
}
