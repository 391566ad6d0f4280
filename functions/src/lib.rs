//! The Wavegate Worker entry: each event hands off to a module in a few lines.
//!
//! - `fetch`: [`routes::dispatch`] (Telegram webhook, health; static assets are served by the
//!   runtime before the Worker runs).
//! - `queue`: [`jobs::consume`] (durable work: provisioning, taking refunded days back, admin
//!   alerts; and the dead-letter queue).
//! - `scheduled`: [`jobs::cron::forward`] to the operator's Worker, which runs
//!   [`jobs::cron::run`] (node health; hourly reconciliation and housekeeping).
//!
//! Built with the `admin` feature, the same crate is the operator's Worker (`wavegate-admin`):
//! `fetch` is [`admin::dispatch`], what the main Worker forwards to it (the console's API
//! `/api/admin/...`, `/metrics`, and the cron triggers); `queue` consumes the error reports
//! for Sentry. Two Workers keep the customer-facing bundle inside its
//! 500 KB budget and put the console's code off the paying customers' path.

#![cfg_attr(feature = "admin", allow(dead_code))]

mod adapters;
#[cfg(feature = "admin")]
mod admin;
mod app;
mod catalogs;
mod error;
mod http;
mod jobs;
mod log;
mod routes;
mod store;
mod telemetry;

use worker::MessageBatch;
use worker::{event, Context, Env, Request, Response, Result};
#[cfg(not(feature = "admin"))]
use worker::{ScheduleContext, ScheduledEvent};

/// talc instead of dlmalloc: smaller code (see functions/Cargo.toml). Native test builds keep
/// the system allocator.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(not(feature = "admin"))]
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    catalogs::ensure(&env).await;
    Ok(routes::dispatch(req, &env).await)
}

#[cfg(feature = "admin")]
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    // For the customer messages an admin action sends (a new link).
    catalogs::ensure(&env).await;
    Ok(admin::dispatch(req, &env).await)
}

#[cfg(not(feature = "admin"))]
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    catalogs::ensure(&env).await;
    jobs::consume(batch, &env).await;
    Ok(())
}

/// The operator's Worker consumes the error reports (`wavegate-errors`) for Sentry.
#[cfg(feature = "admin")]
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    admin::observe::consume_errors(batch, &env).await;
    Ok(())
}

/// The cron work runs in the operator's Worker ([`jobs::cron::forward`]): its code is a
/// sixth of this bundle, and none of it is on a customer's path.
#[cfg(not(feature = "admin"))]
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    jobs::cron::forward(&event.cron(), &env).await;
}
