//! The Wavegate Worker entry: each event hands off to a module in a few lines.
//!
//! - `fetch`: [`routes::dispatch`] (Telegram webhook, health; static assets are served by the
//!   runtime before the Worker runs).
//! - `queue`: [`jobs::consume`] (durable work: provisioning, taking refunded days back, admin
//!   alerts; and the dead-letter queue).
//! - `scheduled`: [`jobs::cron::run`] (node health; hourly reconciliation and housekeeping).

mod adapters;
mod app;
mod catalogs;
mod error;
mod http;
mod jobs;
mod log;
mod routes;
mod store;

use worker::{event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    catalogs::ensure(&env).await;
    Ok(routes::dispatch(req, &env).await)
}

#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    catalogs::ensure(&env).await;
    jobs::consume(batch, &env).await;
    Ok(())
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    catalogs::ensure(&env).await;
    jobs::cron::run(&event.cron(), &env).await;
}
