//! `POST /webhooks/remnawave`: the panel's own events (remnawave-api.md §8).
//!
//! body ≤ 64 KB (413) → `X-Remnawave-Signature` over the raw bytes, constant time (401) → the
//! signed `timestamp` within ±5 minutes (401: a captured delivery cannot be replayed later; the
//! panel's retries 5 s apart still land) → parse (400) → claimed once by its signature in
//! `processed_events` (a redelivery is 200 and changes nothing) → handled:
//! - `user.*`: the customer's row mirrors the panel (expiry, status, link): the operator's
//!   changes are what `/status` and reminders see;
//! - `node.connection_lost` / `_restored`: the node-health state the 5-minute cron keeps, so
//!   one alert per change, whoever saw it first;
//! - `service.login_attempt_failed`: an admin alert;
//! - anything else: 200, logged.

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::node_health;
use wavegate_shared::remnawave::webhook::{verify_and_parse, PanelEvent, PanelWebhookError};
use wavegate_shared::shop::ports::{Job, Jobs, Reminder};
use wavegate_shared::shop::reminders;
use wavegate_shared::shop::sql::Claim;
use wavegate_shared::shop::store::ShopStore;
use worker::{Env, Request, Response};

use crate::app::App;
use crate::error::{json_response, AppError};
use crate::log::{self, Scope};

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
    if app.store.claim("remnawave", &id, now.timestamp()).await.map_err(|e| unavailable(&e))?
        == Claim::Duplicate
    {
        app.scope.info("panel.webhook", json!({ "event": event.name(), "outcome": "duplicate" }));
        return Ok(json_response(200, &json!({ "ok": true, "outcome": "duplicate" })));
    }
    match handle(&app, &event, now.timestamp()).await {
        Ok(outcome) => {
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
        PanelEvent::User { event, user, expiration_hours } => {
            let known = app
                .store
                .sync_panel_user(user, event == "user.deleted", now)
                .await
                .map_err(|e| e.to_string())?;
            // The panel's own reminder moments: the same claim as the cron's, so once in all.
            let notice = match (event.as_str(), expiration_hours) {
                ("user.expiration", Some(h)) if *h < 0 => Reminder::due(h.saturating_mul(-3600)).map(Some),
                ("user.expiration", Some(_)) | ("user.expired", _) => Some(None),
                _ => None,
            };
            let Some(hours) = notice else { return Ok(if known { "synced" } else { "not a customer" }) };
            let customer = app.store.customer_of_panel_user(user.id.0).await.map_err(|e| e.to_string())?;
            let Some((user_id, telegram_id)) = customer else { return Ok("not a customer") };
            let expires_at = user.expire_at.timestamp();
            let sent =
                reminders::remind_once(&app.store, &app.jobs, user_id, telegram_id, hours, expires_at, now)
                    .await
                    .map_err(|e| e.to_string())?;
            Ok(if sent { "reminder queued" } else { "reminder sent before" })
        }
        PanelEvent::Node { event, node }
            if event == "node.connection_lost" || event == "node.connection_restored" =>
        {
            let (_, changes) = app
                .update_node_health(|previous| {
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
