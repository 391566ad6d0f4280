//! Cron triggers (wrangler.toml `[triggers]`), each cron expression matched to named jobs.
//!
//! - `*/5 * * * *`: node health: alert admins when a node or the panel goes down or recovers.
//! - `0 * * * *`: hourly: reconciliation (re-queue orders that slipped: paid but not
//!   provisioned, provisioned but not announced, refunded but days not taken back), then
//!   housekeeping (forget webhook claims older than 30 days, close provider checkouts past their
//!   expiry), then once a day the Stars ledger
//!   check (`shop::stars::reconcile`: payments and refunds Telegram has and D1 lacks go
//!   through the payment pipeline; bounded per run, cursor in D1), reminders before expiry and
//!   the expiry notice (`shop::reminders`, bounded per run), and the start of the usage and
//!   expiry sync (`shop::sync`: a sweep of the panel's users, one queue job per page).

// The work itself runs in the operator's Worker; the main Worker only forwards the trigger.
#![cfg_attr(not(feature = "admin"), allow(dead_code))]

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::node_health::{self, Observation};
use wavegate_shared::remnawave::{check_version, Panel, PanelError};
use wavegate_shared::shop::broadcast::BroadcastStore;
use wavegate_shared::shop::ports::{Job, Jobs};
use wavegate_shared::shop::store::ShopStore;
use wavegate_shared::shop::{channel, referral, reminders, stars, sync};
use wavegate_shared::telegram::BotApi;
use worker::Env;

use crate::adapters::RandomIds;
use crate::app::App;
use crate::log::Scope;

pub const EVERY_FIVE_MINUTES: &str = "*/5 * * * *";
pub const HOURLY: &str = "0 * * * *";

const CLAIM_RETENTION_SECONDS: i64 = 30 * 24 * 3600;
const RECONCILE_GRACE_SECONDS: i64 = 5 * 60;
/// Bounded work per run (one queue batch holds at most 100 messages); the rest next hour.
const RECONCILE_BATCH: i64 = 40;
/// A sending broadcast no job touched for this long lost its job chain.
const BROADCAST_STALL_SECONDS: i64 = 10 * 60;

/// The path the main Worker's cron triggers reach the operator's Worker on. Only the service
/// binding reaches it: that Worker has no route of its own, and the main Worker forwards only
/// `/api/admin/...` and `/metrics` from outside.
pub const FORWARD_PATH: &str = "/internal/cron";

/// The header that carries the shared secret (`TELEGRAM_WEBHOOK_SECRET`, required and set on
/// both Workers) from the main Worker's forward to the operator's Worker.
const FORWARD_HEADER: &str = "X-Wavegate-Cron";

/// In the operator's Worker: whether a request to [`FORWARD_PATH`] is the main Worker's.
pub fn forwarded(req: &worker::Request, env: &Env, scope: &Scope) -> bool {
    let given = req.headers().get(FORWARD_HEADER).ok().flatten().unwrap_or_default();
    crate::app::config(env, scope).is_ok_and(|config| {
        wavegate_shared::secure::secret_eq(
            given.as_bytes(),
            config.telegram.webhook_secret.expose().as_bytes(),
        )
    })
}

/// In the main Worker: hands the trigger to the operator's Worker, which runs [`run`] and
/// answers when it is done. The cron work is a sixth of the main bundle and none of it is on a
/// customer's path, so it ships in the other Worker.
#[cfg(not(feature = "admin"))]
pub async fn forward(cron: &str, env: &Env) {
    let scope = Scope::new(format!("cron:{cron}"));
    let url = format!("https://wavegate-admin{FORWARD_PATH}?expr={}", urlencode(cron));
    let headers = worker::Headers::new();
    if let Ok(config) = crate::app::config(env, &scope) {
        let _ = headers.set(FORWARD_HEADER, config.telegram.webhook_secret.expose());
    }
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post).with_headers(headers);
    let outcome = match (env.service(crate::app::ADMIN), worker::Request::new_with_init(&url, &init)) {
        (Ok(admin), Ok(request)) => match admin.fetch_request(request).await {
            Ok(response) if response.status_code() == 200 => return,
            Ok(response) => format!("the operator's Worker answered {}", response.status_code()),
            Err(e) => e.to_string(),
        },
        (Err(e), _) | (_, Err(e)) => e.to_string(),
    };
    // Nothing is lost (every hourly job looks for what is due and not done), but nothing runs
    // until this is fixed: counted as a 5xx of the `cron` route and reported.
    scope.error("cron.forward", json!({ "error": outcome, "outcome": "failed" }));
    if let Ok(app) = App::new(env, scope.clone()) {
        use wavegate_shared::shop::metrics::Counter;
        crate::telemetry::count(env, &app, Counter::ServerError { route: "cron" }).await;
        crate::telemetry::report(env, &app, "cron", cron, 503, vec![outcome]).await;
    }
}

/// A cron expression as a query value (`*/5 * * * *`: spaces and slashes).
#[cfg(not(feature = "admin"))]
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Runs the jobs of `cron`; whether they all went through (the forwarding main Worker counts
/// and reports a failed run).
pub async fn run(cron: &str, env: &Env) -> bool {
    let scope = Scope::new(format!("cron:{cron}"));
    let app = match App::new(env, scope.clone()) {
        Ok(app) => app,
        Err(e) => {
            scope.error("cron.done", json!({ "outcome": "failed", "error": e.to_string() }));
            return false;
        }
    };
    let result = match cron {
        EVERY_FIVE_MINUTES => node_health(&app).await,
        HOURLY => hourly(&app).await,
        other => {
            scope.warn("cron.unknown", json!({ "cron": other, "outcome": "ignored" }));
            Ok(())
        }
    };
    let line = app.with_costs(match &result {
        Ok(()) => json!({ "outcome": "ok" }),
        Err(e) => json!({ "outcome": "failed", "error": e }),
    });
    match result {
        Ok(()) => scope.info("cron.done", line),
        Err(_) => scope.error("cron.done", line),
    }
    result.is_ok()
}

async fn hourly(app: &App<'_>) -> Result<(), String> {
    let now = app.clock.now().timestamp();
    let money = housekeeping_and_money(app, now).await;
    // After the money, and whatever became of it.
    retention(app, now).await;
    // The gauges of /metrics that need a scan (once an hour, not on every scrape), and this
    // run's time: `wavegate_cron_last_success_timestamp_seconds` going stale is the alert that
    // the hourly work stopped.
    if money.is_ok() {
        if let Err(e) = app.store.refresh_hourly_gauges(now).await {
            app.scope.warn("cron.gauges", json!({ "error": e.to_string(), "outcome": "skipped" }));
        }
    }
    money
}

async fn housekeeping_and_money(app: &App<'_>, now: i64) -> Result<(), String> {
    // Housekeeping first, so a failing reconciliation cannot starve it.
    let pruned = app.store.prune(now - CLAIM_RETENTION_SECONDS).await.map_err(|e| e.to_string())?;
    app.scope.info("cron.pruned_claims", json!({ "rows": pruned }));
    // Checkouts whose link, QR code or invoice expired stop waiting (money that still comes is
    // honoured as a new order by the payment pipeline).
    let closed = app.store.close_expired_orders(now).await.map_err(|e| e.to_string())?;
    app.scope.info("cron.closed_orders", json!({ "rows": closed }));
    // Provider payments whose webhook never came (before the stragglers: it can queue some).
    let found = channel::reconcile(&app.config, &app.store, &app.jobs, &app.http, &RandomIds, now)
        .await
        .map_err(|e| e.to_string())?;
    app.scope.info(
        "cron.provider_reconciliation",
        json!({ "checked": found.checked, "recovered": found.recovered, "unanswered": found.unanswered }),
    );
    // Give the queue a few minutes to do its own job before calling an order a straggler.
    let stragglers = app
        .store
        .stragglers(now - RECONCILE_GRACE_SECONDS, RECONCILE_BATCH, now)
        .await
        .map_err(|e| e.to_string())?;
    let jobs: Vec<Job> = stragglers
        .iter()
        .map(|s| match s.take_back {
            true => Job::TakeBack { order: s.public_id.clone() },
            false => Job::Provision { order: s.public_id.clone() },
        })
        .collect();
    // One subrequest for the whole batch.
    app.jobs.enqueue_all(&jobs).await.map_err(|e| e.to_string())?;
    app.scope.info("cron.reconciled", json!({ "requeued": stragglers.len() }));
    // Referral rewards whose grant or reversal failed after the money was recorded.
    let settled = referral::settle(&app.store, &app.jobs, now).await.map_err(|e| e.to_string())?;
    app.scope.info("cron.referrals_settled", json!({ "settled": settled }));
    stars_ledger(app, now).await
}

/// What customers are told and what the mirror knows: after the money (its failures are logged,
/// never returned, and a failed money step does not stop it either).
async fn retention(app: &App<'_>, now: i64) {
    // Reminders before expiry and the expiry notice, each once per period (bounded per run).
    match reminders::queue_due(&app.store, &app.jobs, &app.config.reminder_hours, now).await {
        Ok(queued) => app.scope.info("cron.reminders", json!({ "queued": queued })),
        Err(e) => app.scope.warn("cron.reminders", json!({ "outcome": "failed", "error": e.to_string() })),
    }
    // Notices claimed over an hour ago whose job never finished (lost between claim and queue).
    match reminders::requeue_lost(&app.store, &app.jobs, now).await {
        Ok(requeued) => app.scope.info("cron.lost_notices", json!({ "requeued": requeued })),
        Err(e) => app.scope.warn("cron.lost_notices", json!({ "outcome": "failed", "error": e.to_string() })),
    }
    // Broadcasts whose job chain broke (a lost message, a dead letter): resumed where they
    // stopped (the claims make a resumed one send nobody twice).
    match app.store.stalled_broadcasts(now - BROADCAST_STALL_SECONDS).await {
        Ok(ids) => {
            let jobs: Vec<Job> = ids.iter().map(|id| Job::Broadcast { id: *id, job: 1 }).collect();
            match app.jobs.enqueue_all(&jobs).await {
                Ok(()) => app.scope.info("cron.broadcasts", json!({ "resumed": ids })),
                Err(e) => {
                    app.scope.warn("cron.broadcasts", json!({ "outcome": "failed", "error": e.to_string() }))
                }
            }
        }
        Err(e) => app.scope.warn("cron.broadcasts", json!({ "outcome": "failed", "error": e.to_string() })),
    }
    // The usage and expiry sync: one page per queue job, a sweep an hour (or resumed).
    match sync::start(&app.store, &app.jobs, now).await {
        Ok(page) => app.scope.info(
            "cron.sync",
            json!({ "started": page.map(|p| json!({ "sweep": p.sweep, "cursor": p.cursor })) }),
        ),
        Err(e) => app.scope.warn("cron.sync", json!({ "outcome": "failed", "error": e.to_string() })),
    }
}

/// Telegram's Stars ledger against D1 (due once a day; catches up hourly when behind).
async fn stars_ledger(app: &App<'_>, now: i64) -> Result<(), String> {
    let telegram = &app.config.telegram;
    let api = BotApi::new(&app.http, &telegram.api_base, telegram.bot_token.expose());
    let report = stars::reconcile(&app.store, &app.jobs, &RandomIds, &api, stars::Limits::default(), now)
        .await
        .map_err(|e| format!("stars ledger: {e}"))?;
    app.scope.info(
        "cron.stars_ledger",
        json!({ "ran": report.ran, "scanned": report.scanned, "recovered_payments": report.recovered_payments,
                "recovered_refunds": report.recovered_refunds, "unmatched": report.unmatched,
                "position": report.position, "caught_up": report.caught_up }),
    );
    Ok(())
}

async fn node_health(app: &App<'_>) -> Result<(), String> {
    let panel = app.panel();
    let nodes = observe(&panel).await;
    let observation = match &nodes {
        Ok(nodes) => Observation::Nodes(nodes),
        Err(e) => Observation::PanelDown(e.to_string()),
    };
    let (next, changes) =
        app.update_node_health(nodes.is_ok(), |previous| node_health::check(previous, observation)).await?;
    app.scope.info("cron.node_health", json!({ "watched": next.entries.len(), "changes": changes }));
    Ok(())
}

/// Asks the panel for its version (refusing panels older than 3.0) and its nodes.
async fn observe<P: Panel>(panel: &P) -> Result<Vec<wavegate_shared::remnawave::Node>, PanelError> {
    check_version(&panel.metadata().await?)?;
    panel.nodes().await
}
