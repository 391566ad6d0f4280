//! `POST /webhooks/remnawave`: the panel's own events (remnawave-api.md §8).
//!
//! body ≤ 64 KB (413) → `X-Remnawave-Signature` over the raw bytes, constant time (401) → the
//! signed `timestamp` within ±5 minutes (401: a captured delivery cannot be replayed later; the
//! panel's retries 5 s apart still land) → parse (400) → claimed by its signature in
//! `processed_events`: a redelivery of a handled event is 200 and changes nothing; one that
//! arrives while the first is still being handled is 409, so the panel retries it (a claim
//! whose request died is taken over after [`LEASE_SECONDS`]) → handled:
//! - `user.*`: the customer's row mirrors the panel (expiry, status, link, traffic), in event
//!   order: the operator's changes are what `/status` and reminders see;
//! - `user.expiration` / `user.expired`: the reminder or expiry notice, claimed with the cron;
//! - `user.first_connected`, `.bandwidth_usage_threshold_reached`, `.limited`,
//!   `.not_connected`, `user_hwid_devices.added` at the device limit: a usage notice, each
//!   claimed once (`UsageNotice::claim`) and sent through the queue;
//! - `node.connection_lost` / `_restored`: the node-health rows the 5-minute cron keeps, so
//!   one alert per change, whoever saw it first;
//! - `service.login_attempt_failed`: an admin alert;
//! - anything else: 200, logged.

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::node_health;
use wavegate_shared::remnawave::webhook::{verify_and_parse, PanelEvent, PanelWebhookError};
use wavegate_shared::remnawave::PanelUser;
use wavegate_shared::shop::ports::{Job, Jobs, Reminder, UsageNotice};
use wavegate_shared::shop::reminders;
use wavegate_shared::shop::sql::Delivery;
use wavegate_shared::shop::store::ShopStore;

use worker::{Env, Request, Response};

use crate::app::App;
use crate::error::{json_response, AppError};
use crate::log::{self, Scope};

/// How long a delivery being handled keeps its claim: longer than a handler runs (a few D1
/// and queue calls, at most one panel call), shorter than the 5 s between the panel's 3
/// retries, so a retry after a handler that died takes the event over. Each step is claimed on
/// its own, so a slow handler overlapping its retry changes nothing twice.
const LEASE_SECONDS: i64 = 4;

pub async fn webhook(mut req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone()).map_err(AppError::from)?;
    let body = super::read_body(&mut req).await?;
    let signature = req.headers().get("X-Remnawave-Signature").ok().flatten().unwrap_or_default();
    let secret = app.config.remnawave.webhook_secret.as_ref().map(|s| s.expose()).unwrap_or_default();
    let now = app.clock.now();
    let event = verify_and_parse(secret, &body, &signature, now).map_err(|e| match e {
        PanelWebhookError::Unauthorized | PanelWebhookError::Stale => {
            app.scope.warn("panel.webhook", json!({ "outcome": "rejected", "reason": e.to_string() }));
            AppError::Unauthorized
        }
        PanelWebhookError::Malformed(why) => AppError::BadRequest(why),
    })?;
    let unavailable = |e: &dyn std::error::Error| AppError::Unavailable {
        context: "panel webhook",
        message: log::chain(e),
    };
    let id = signature.trim().to_ascii_lowercase();
    let now = now.timestamp();
    match app.store.claim_delivery("remnawave", &id, now, LEASE_SECONDS).await.map_err(|e| unavailable(&e))? {
        Delivery::Mine => {}
        Delivery::Done => {
            app.scope.info("panel.webhook", json!({ "event": event.name(), "outcome": "duplicate" }));
            return Ok(json_response(200, &json!({ "ok": true, "outcome": "duplicate" })));
        }
        Delivery::InFlight => {
            app.scope.info("panel.webhook", json!({ "event": event.name(), "outcome": "in progress" }));
            return Ok(json_response(409, &json!({ "ok": false, "outcome": "in progress, retry" })));
        }
    }
    match handle(&app, &event, now).await {
        Ok(outcome) => {
            // Not marking it done only lets a retry after the lease redo it; every step above
            // is claimed on its own, so that changes nothing.
            let _ = app.store.finish_delivery("remnawave", &id).await;
            app.scope.info("panel.webhook", json!({ "event": event.name(), "outcome": outcome }));
            Ok(json_response(200, &json!({ "ok": true, "outcome": outcome })))
        }
        Err(error) => {
            // Released, so the panel's retry (or a later one) does the work.
            let _ = app.store.release("remnawave", &id).await;
            Err(AppError::Unavailable { context: "panel webhook", message: error })
        }
    }
}

async fn handle(app: &App<'_>, event: &PanelEvent, now: i64) -> Result<&'static str, String> {
    match event {
        PanelEvent::User { event, user, expiration_hours, at } => {
            let known = app
                .store
                .sync_panel_user(user, event == "user.deleted", *at, now)
                .await
                .map_err(|e| e.to_string())?;
            let notice = match event.as_str() {
                "user.first_connected" => Some(UsageNotice::Connected),
                "user.bandwidth_usage_threshold_reached" => {
                    Some(UsageNotice::TrafficThreshold { percent: used_percent(user) })
                }
                "user.limited" => Some(UsageNotice::TrafficLimited),
                "user.not_connected" => Some(UsageNotice::SetupHelp),
                _ => None,
            };
            if let Some(notice) = notice {
                return notify(app, user, notice, now).await;
            }
            // The panel's own reminder moments: the same claim as the cron's, so once in all.
            let reminder = match (event.as_str(), expiration_hours) {
                ("user.expiration", Some(h)) if *h < 0 => {
                    Reminder::due(&app.config.reminder_hours, h.saturating_mul(-3600)).map(Some)
                }
                ("user.expiration", Some(_)) | ("user.expired", _) => Some(None),
                _ => None,
            };
            let Some(hours) = reminder else { return Ok(if known { "synced" } else { "not mirrored" }) };
            let customer = app.store.customer_of_panel_user(user.id.0).await.map_err(|e| e.to_string())?;
            let Some((user_id, telegram_id)) = customer else { return Ok("not a customer") };
            let expires_at = user.expire_at.timestamp();
            let sent =
                reminders::remind_once(&app.store, &app.jobs, user_id, telegram_id, hours, expires_at, now)
                    .await
                    .map_err(|e| e.to_string())?;
            Ok(if sent { "reminder queued" } else { "reminder sent before" })
        }
        PanelEvent::Devices { event, user } if event == "user_hwid_devices.added" => {
            // Only a device that fills the last slot is news: the next one will be refused.
            let Some(limit) = user.hwid_device_limit.and_then(|l| u32::try_from(l).ok()).filter(|l| *l > 0)
            else {
                return Ok("no device limit");
            };
            let devices = app.panel().device_count(user.id).await.map_err(|e| e.to_string())?;
            if devices < limit {
                return Ok("below the device limit");
            }
            notify(app, user, UsageNotice::DeviceLimit { limit }, now).await
        }
        PanelEvent::Node { event, node }
            if event == "node.connection_lost" || event == "node.connection_restored" =>
        {
            let (_, changes) = app
                .update_node_health(false, |previous| {
                    let (next, change) = node_health::check_node(previous, node);
                    (next, change.into_iter().collect())
                })
                .await?;
            Ok(if changes > 0 { "node alert" } else { "node unchanged" })
        }
        PanelEvent::Service { event, data } if event == "service.login_attempt_failed" => {
            let attempt = data.get("loginAttempt").cloned().unwrap_or_default();
            let text = format!("⚠️ A failed login to the Remnawave panel: {attempt}");
            app.jobs.enqueue(&Job::AdminAlert { text }).await.map_err(|e| e.to_string())?;
            Ok("admin alert")
        }
        _ => Ok("ignored"),
    }
}

/// The threshold the panel says it crossed, else the share of the limit used.
fn used_percent(user: &PanelUser) -> u32 {
    let percent =
        user.last_triggered_threshold.filter(|p| *p > 0).unwrap_or_else(|| match user.traffic_limit_bytes {
            0 => 0,
            limit => user.user_traffic.used_traffic_bytes.saturating_mul(100) / limit,
        });
    u32::try_from(percent.clamp(0, 100)).unwrap_or(100)
}

/// Claims `notice` for the panel user's customer and queues it; the claim keeps it to once.
async fn notify(
    app: &App<'_>,
    user: &PanelUser,
    notice: UsageNotice,
    now: i64,
) -> Result<&'static str, String> {
    let customer = app.store.customer_of_panel_user(user.id.0).await.map_err(|e| e.to_string())?;
    let Some((user_id, telegram_id)) = customer else { return Ok("not a customer") };
    let expires_at = user.expire_at.timestamp();
    let traffic_period = user.last_traffic_reset_at.map_or(expires_at, |at| at.timestamp());
    let claim = notice.claim(expires_at, traffic_period, now);
    let sent = reminders::notify_once(&app.store, &app.jobs, user_id, telegram_id, notice, claim, now)
        .await
        .map_err(|e| e.to_string())?;
    Ok(if sent { "notice queued" } else { "notice sent before" })
}
