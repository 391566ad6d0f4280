//! `POST /telegram/webhook`: authenticate → parse → dedupe → handle → acknowledge.
//!
//! - The `X-Telegram-Bot-Api-Secret-Token` header is compared in constant time; anything else
//!   is 401 and nothing happens.
//! - A body that is not an update is acknowledged with 200 and logged: Telegram would
//!   otherwise redeliver it for hours, and it will never parse.
//! - `update_id` is claimed in `processed_events`; a replay is 200 with no effect.
//! - A failure worth retrying (D1, or Telegram itself briefly down) releases the claim and
//!   answers 500 so Telegram redelivers; other failures are logged and acknowledged.

use serde_json::json;
use wavegate_bot::Bot;
use wavegate_shared::remnawave::RemnawaveClient;
use wavegate_shared::secure::secret_eq;
use wavegate_shared::telegram::Update;
use worker::{Env, Request, Response};

use crate::adapters::{KvCache, QueueJobs, RandomIds};
use crate::app;
use crate::error::{json_response, AppError};
use crate::http::{FetchClient, SystemClock, TimerSleeper};
use crate::log;
use crate::store::bot::D1Store;
use crate::store::events::{self, Claim};
use wavegate_shared::clock::Clock;

const ROUTE: &str = "/telegram/webhook";

pub async fn webhook(mut req: Request, env: &Env) -> Result<Response, AppError> {
    let config = app::config(env).map_err(|_| AppError::NotConfigured)?;
    let given = req.headers().get("X-Telegram-Bot-Api-Secret-Token").ok().flatten().unwrap_or_default();
    if !secret_eq(given.as_bytes(), config.telegram.webhook_secret.expose().as_bytes()) {
        return Err(AppError::Unauthorized);
    }
    let body = super::read_body(&mut req).await?;
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => {
            log::warn(
                "telegram.unparseable",
                json!({ "route": ROUTE, "error": e.to_string(), "bytes": body.len() }),
            );
            return Ok(ack("ignored"));
        }
    };
    let db = env.d1(app::DB)?;
    let clock = SystemClock;
    let update_id = update.update_id.to_string();
    // Payments and refunds are idempotent on Telegram's charge id, so they skip the claim: a
    // claim left behind by a crashed invocation must never swallow money.
    let money = update
        .message
        .as_ref()
        .is_some_and(|m| m.successful_payment.is_some() || m.refunded_payment.is_some());
    if !money
        && events::claim(&db, "telegram", &update_id, clock.now().timestamp()).await? == Claim::Duplicate
    {
        log::info("telegram.duplicate", json!({ "update_id": update.update_id }));
        return Ok(ack("duplicate"));
    }

    let store = D1Store { db: &db };
    let http = FetchClient::default();
    let panel =
        RemnawaveClient::new(&http, &TimerSleeper, &config.remnawave.url, config.remnawave.token.expose());
    let jobs = QueueJobs { env };
    let cache = KvCache::new(env);
    let bot = Bot {
        config: &config,
        store: &store,
        http: &http,
        panel: &panel,
        jobs: &jobs,
        cache: &cache,
        clock: &clock,
        ids: &RandomIds,
    };
    match bot.handle(&update).await {
        Ok(handled) => {
            log::info(
                "telegram.handled",
                json!({ "update_id": update.update_id, "outcome": format!("{handled:?}") }),
            );
            Ok(ack("ok"))
        }
        Err(error) if error.is_retryable() => {
            if !money {
                events::release(&db, "telegram", &update_id).await?;
            }
            Err(AppError::Unavailable { context: "telegram update", message: log::chain(&error) })
        }
        Err(error) => {
            log::error(
                "telegram.failed",
                json!({ "update_id": update.update_id, "error": log::chain(&error) }),
            );
            Ok(ack("failed"))
        }
    }
}

fn ack(outcome: &str) -> Response {
    json_response(200, &json!({ "ok": true, "outcome": outcome }))
}
