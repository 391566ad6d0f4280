//! Cron triggers (wrangler.toml `[triggers]`), each cron expression matched to named jobs.
//!
//! - `*/5 * * * *`: node health: alert admins when a node or the panel goes down or recovers.
//! - `0 * * * *`: hourly: reconciliation (re-queue orders that slipped: paid but not
//!   provisioned, provisioned but not announced, refunded but days not taken back), then
//!   housekeeping (forget webhook claims older than 30 days). Reminders, expiry handling and
//!   usage sync join this trigger with the retention issue.

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::node_health::{self, HealthState, Observation};
use wavegate_shared::remnawave::{check_version, Panel, PanelError, RemnawaveClient};
use worker::Env;

use crate::app;
use crate::http::{FetchClient, SystemClock, TimerSleeper};
use wavegate_bot::shop::Jobs;

use crate::adapters::QueueJobs;
use crate::jobs::Job;
use crate::log;
use crate::store::{events, fulfil};

pub const EVERY_FIVE_MINUTES: &str = "*/5 * * * *";
pub const HOURLY: &str = "0 * * * *";

const HEALTH_KEY: &str = "nodes:health";
const CLAIM_RETENTION_SECONDS: i64 = 30 * 24 * 3600;
const RECONCILE_GRACE_SECONDS: i64 = 5 * 60;
/// Bounded work per run (one queue batch holds at most 100 messages); the rest next hour.
const RECONCILE_BATCH: i64 = 40;

pub async fn run(cron: &str, env: &Env) {
    let result = match cron {
        EVERY_FIVE_MINUTES => node_health(env).await,
        HOURLY => hourly(env).await,
        other => {
            log::warn("cron.unknown", json!({ "cron": other }));
            Ok(())
        }
    };
    match result {
        Ok(()) => log::info("cron.done", json!({ "cron": cron })),
        Err(e) => log::error("cron.failed", json!({ "cron": cron, "error": e.to_string() })),
    }
}

async fn hourly(env: &Env) -> worker::Result<()> {
    let db = env.d1(app::DB)?;
    let now = SystemClock.now().timestamp();
    // Housekeeping first, so a failing reconciliation cannot starve it.
    let pruned = events::prune(&db, now - CLAIM_RETENTION_SECONDS).await?;
    log::info("cron.pruned_claims", json!({ "rows": pruned }));
    // Give the queue a few minutes to do its own job before calling an order a straggler.
    let stragglers = fulfil::stragglers(&db, now - RECONCILE_GRACE_SECONDS, RECONCILE_BATCH).await?;
    let jobs: Vec<Job> = stragglers
        .iter()
        .map(|(order, take_back)| match take_back {
            true => Job::TakeBack { order: order.clone() },
            false => Job::Provision { order: order.clone() },
        })
        .collect();
    if !jobs.is_empty() {
        // One subrequest for the whole batch.
        env.queue(app::JOBS)?.send_batch(jobs).await?;
    }
    log::info("cron.reconciled", json!({ "requeued": stragglers.len() }));
    Ok(())
}

async fn node_health(env: &Env) -> worker::Result<()> {
    let config = app::config(env).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let kv = env.kv(app::KV)?;
    let previous: Option<HealthState> = kv.get(HEALTH_KEY).json().await.map_err(kv_err)?;

    let http = FetchClient::default();
    let panel =
        RemnawaveClient::new(&http, &TimerSleeper, &config.remnawave.url, config.remnawave.token.expose());
    let nodes = observe(&panel).await;
    let observation = match &nodes {
        Ok(nodes) => Observation::Nodes(nodes),
        Err(e) => Observation::PanelDown(e.to_string()),
    };
    let (next, changes) = node_health::check(previous.as_ref(), observation);

    // Alerts go through the queue so a Telegram hiccup cannot lose them; the new state is
    // saved only after they are queued, so a failed enqueue re-detects the change next run.
    for change in &changes {
        let job = Job::AdminAlert { text: node_health::alert_text(change) };
        QueueJobs { env }.enqueue(&job).await.map_err(|e| worker::Error::RustError(e.to_string()))?;
    }
    kv.put(HEALTH_KEY, serde_json::to_string(&next)?).map_err(kv_err)?.execute().await.map_err(kv_err)?;
    log::info("cron.node_health", json!({ "watched": next.entries.len(), "changes": changes.len() }));
    Ok(())
}

/// Asks the panel for its version (refusing panels older than 3.0) and its nodes.
async fn observe<P: Panel>(panel: &P) -> Result<Vec<wavegate_shared::remnawave::Node>, PanelError> {
    check_version(&panel.metadata().await?)?;
    panel.nodes().await
}

fn kv_err(e: worker::kv::KvError) -> worker::Error {
    worker::Error::RustError(format!("KV: {e}"))
}
