//! `POST /telegram/webhook`: authenticate → parse → dedupe → handle → acknowledge.
//!
//! - The `X-Telegram-Bot-Api-Secret-Token` header is compared in constant time; anything else
//!   is 401 and nothing happens.
//! - A body that is not an update is acknowledged with 200 and logged: Telegram would
//!   otherwise redeliver it for hours, and it will never parse. If it carries money
//!   (`successful_payment`, `refunded_payment`), it gets an audit row and an admin alert first.
//! - `update_id` is claimed in `processed_events`; a replay is 200 with no effect. Money
//!   updates skip the claim: they are idempotent on the provider's key, and a claim left behind
//!   by a crashed invocation must never swallow money.
//! - A failure worth retrying (D1, or Telegram itself briefly down) releases the claim and
//!   answers 503 so Telegram redelivers; other failures are logged and acknowledged — and a
//!   money update that fails for good is recorded and alerted, never dropped.

use serde_json::{json, Value};
use wavegate_bot::Handled;
use wavegate_shared::clock::Clock;
use wavegate_shared::secure::secret_eq;
use wavegate_shared::shop::ports::{Job, Jobs};
use wavegate_shared::shop::sql::Claim;
use wavegate_shared::shop::store::ShopStore;
use wavegate_shared::telegram::Update;
use worker::{Env, Request, Response};

use crate::app::App;
use crate::error::{json_response, AppError};
use crate::log::{self, Scope};

pub async fn webhook(mut req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone()).map_err(AppError::from)?;
    let given = req.headers().get("X-Telegram-Bot-Api-Secret-Token").ok().flatten().unwrap_or_default();
    if !secret_eq(given.as_bytes(), app.config.telegram.webhook_secret.expose().as_bytes()) {
        return Err(AppError::Unauthorized);
    }
    let body = super::read_body(&mut req).await?;
    let now = app.clock.now().timestamp();
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => return unparseable(&app, &body, &e.to_string(), now).await,
    };
    let update_id = update.update_id.to_string();
    let money = update
        .message
        .as_ref()
        .is_some_and(|m| m.successful_payment.is_some() || m.refunded_payment.is_some());
    if let Some(user) = wavegate_bot::throttle::limited_user(&update) {
        if let Some(tell) = over_limit(env, &app, user).await {
            return Ok(handled(&app, &update, wavegate_bot::throttle::slow_down(&update, tell)));
        }
    }
    if !money && app.store.claim("telegram", &update_id, now).await.map_err(unavailable)? == Claim::Duplicate
    {
        app.scope.info("telegram.handled", json!({ "update_id": update.update_id, "outcome": "duplicate" }));
        return Ok(ack("duplicate"));
    }

    let panel = app.panel();
    let result = app.bot(&panel).handle(&update).await;
    match result {
        Ok(done) => {
            if let Some(paid) = update.message.as_ref().and_then(|m| m.successful_payment.as_ref()) {
                crate::telemetry::point(env, &["payment", "stars", &paid.currency], paid.total_amount as f64);
            }
            Ok(handled(&app, &update, done))
        }
        Err(error) if error.is_retryable() => {
            if !money {
                app.store.release("telegram", &update_id).await.map_err(unavailable)?;
            }
            Err(AppError::Unavailable { context: "telegram update", message: log::chain(&error) })
        }
        Err(error) => {
            app.scope.error(
                "telegram.handled",
                json!({ "update_id": update.update_id, "outcome": "failed", "error": log::chain(&error) }),
            );
            if money {
                let details = json!({ "update_id": update.update_id, "error": log::chain(&error) });
                record_money_problem(&app, "payment.failed", &update_id, details, now).await?;
            }
            Ok(ack("failed"))
        }
    }
}

/// Logs what the bot did and answers Telegram, with the bot's webhook reply if it has one.
fn handled(app: &App<'_>, update: &Update, handled: Handled) -> Response {
    let (outcome, reply) = match &handled {
        Handled::Replied(what) | Handled::Ignored(what) => (*what, None),
        Handled::Answered(what, reply) => (*what, Some(reply)),
    };
    let line = json!({ "update_id": update.update_id, "outcome": outcome,
                       "webhook_reply": reply.map(|r| r.method) });
    app.scope.info("telegram.handled", app.with_costs(line));
    match reply {
        // Telegram executes it; the text is the customer's, so it is not logged.
        Some(reply) => json_response(200, &reply.to_json()),
        None => ack("ok"),
    }
}

/// The per-user limit of the bot (`BOT_RATE_LIMITER`: 60 updates a minute). `None` while
/// under it; `Some(tell)` over it, `tell` once a minute per user in this isolate (a flood of
/// messages gets one "slow down", not one each). Without the binding nothing is limited.
async fn over_limit(env: &Env, app: &App<'_>, user: i64) -> Option<bool> {
    use std::cell::RefCell;
    thread_local! {
        /// (user, minute) of the last "slow down" told; a few entries (a flood is a few users).
        static TOLD: RefCell<Vec<(i64, i64)>> = const { RefCell::new(Vec::new()) };
    }
    let limiter = env.rate_limiter("BOT_RATE_LIMITER").ok()?;
    let outcome = limiter.limit(format!("bot:{user}")).await.ok()?;
    if outcome.success {
        return None;
    }
    let minute = app.clock.now().timestamp() / 60;
    Some(TOLD.with(|told| {
        let mut told = told.borrow_mut();
        told.retain(|&(_, m)| m == minute);
        if told.iter().any(|&(u, _)| u == user) {
            return false;
        }
        told.push((user, minute));
        true
    }))
}

/// A body that is not an update. Money in it is recorded and alerted; the rest is ignored.
async fn unparseable(app: &App<'_>, body: &[u8], error: &str, now: i64) -> Result<Response, AppError> {
    let raw: Option<Value> = serde_json::from_slice(body).ok();
    let message = raw.as_ref().and_then(|v| v.get("message"));
    let money = ["successful_payment", "refunded_payment"]
        .into_iter()
        .find(|k| message.is_some_and(|m| m.get(k).is_some()));
    let outcome = if money.is_some() { "recording" } else { "ignored" };
    app.scope.warn(
        "telegram.unparseable",
        json!({ "error": error, "bytes": body.len(), "money": money, "outcome": outcome }),
    );
    let Some(kind) = money else { return Ok(ack("ignored")) };
    let update_id = raw.as_ref().and_then(|v| v.get("update_id")).map(Value::to_string).unwrap_or_default();
    // Identifiers only (the charge, the payer), never the whole payload.
    let paid = message.and_then(|m| m.get(kind));
    let details = json!({
        "update_id": update_id, "kind": kind, "error": error,
        "charge": paid.and_then(|p| p.get("telegram_payment_charge_id")),
        "payer": message.and_then(|m| m.get("from")).and_then(|f| f.get("id")),
    });
    record_money_problem(app, "payment.unreadable", &update_id, details, now).await?;
    Ok(ack("unreadable payment recorded"))
}

/// An audit row and an admin alert for a money update that could not be processed. Failing
/// to record either makes Telegram redeliver (503).
async fn record_money_problem(
    app: &App<'_>,
    action: &str,
    update_id: &str,
    details: Value,
    now: i64,
) -> Result<(), AppError> {
    let subject = format!("telegram_update:{update_id}");
    app.store
        .record_audit("provider:stars", action, &subject, details.clone(), now)
        .await
        .map_err(unavailable)?;
    let text = format!("⚠️ A Stars payment update could not be processed; nothing was provisioned. Check it by hand: {details}");
    app.jobs.enqueue(&Job::AdminAlert { text }).await.map_err(unavailable)?;
    Ok(())
}

fn unavailable(e: wavegate_shared::shop::store::StoreError) -> AppError {
    AppError::Unavailable { context: "storage", message: e.to_string() }
}

fn ack(outcome: &str) -> Response {
    json_response(200, &json!({ "ok": true, "outcome": outcome }))
}
