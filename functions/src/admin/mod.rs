//! The operator's Worker (`wavegate-admin`, built with the `admin` feature): the console's API
//! under `/api/admin/` (docs/API.md, "The admin API"). The main Worker forwards those paths
//! here through its `ADMIN` service binding, and adds CORS and the security headers on the
//! way back; this Worker has no public route of its own.
//!
//! Every route asks for a console session first: a cookie session (the Telegram sign-in) of a
//! Telegram id in `ADMIN_TELEGRAM_IDS`. Anyone else, signed in or not, gets 401 (interface.md).
//! Every write carries an `Idempotency-Key`: the first request runs and its answer is kept,
//! failures included; a retry gets that answer and changes nothing ([`shop::console`]).
//!
//! - [`reports`]: KPIs, chart series, users, payments (and CSV), plans, promos, broadcasts, nodes.
//! - [`observe`]: `GET /metrics` (Prometheus, bearer token) and the error reports' way to Sentry.
//! - [`actions`]: extend, disable/enable, reset devices, new link, refund, plan edits, promo
//!   codes, broadcasts.
//!
//! [`shop::console`]: wavegate_shared::shop::console

mod actions;
pub mod observe;
mod reports;

use serde_json::{json, Value};
use wavegate_shared::clock::Clock;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::shop::console::{valid_key, Journal};
use worker::{Env, Method, Request, Response};

use crate::app::App;
use crate::error::{json_response, secure, AppError};
use crate::log::Scope;
use crate::routes::web::{self, unavailable};

/// The signed-in admin's Telegram id.
#[derive(Debug, Clone, Copy)]
pub struct Admin(pub i64);

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    let scope = Scope::new(path.as_str());
    let result = match path.as_str() {
        // Prometheus authenticates with its bearer token, not a console session.
        "/metrics" => observe::metrics(&req, env, &scope).await,
        // The main Worker's cron triggers (only its service binding reaches this path).
        // Defence in depth (only the service binding reaches this Worker): the main Worker
        // signs the trigger with a secret both Workers hold.
        crate::jobs::cron::FORWARD_PATH
            if req.method() == Method::Post && crate::jobs::cron::forwarded(&req, env, &scope) =>
        {
            let cron = req
                .url()
                .ok()
                .and_then(|url| url.query_pairs().find(|(k, _)| k == "expr").map(|(_, v)| v.into_owned()));
            if crate::jobs::cron::run(&cron.unwrap_or_default(), env).await {
                Ok(json_response(200, &json!({ "ok": true })))
            } else {
                Err(AppError::Unavailable {
                    context: "cron",
                    message: "a cron job failed (see cron.done)".into(),
                })
            }
        }
        _ => route(req, env, &scope).await,
    };
    crate::telemetry::observe(env, &scope, &path, &result).await;
    match result {
        Ok(response) => secure(response),
        Err(error) => error.into_response(&scope),
    }
}

async fn route(req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone())?;
    web::check_origin(&req, &app.config)?;
    let admin = admin(&req, &app).await?;
    let path = req.path();
    let parts: Vec<&str> = path.trim_start_matches("/api/admin/").split('/').collect();
    let method = req.method();
    if matches!(method, Method::Get | Method::Head) {
        return match parts.as_slice() {
            ["me"] => Ok(json_response(200, &json!({ "telegram_id": admin.0 }))),
            ["stats"] => reports::stats(&app).await,
            ["series"] => reports::series(&req, &app).await,
            ["users"] => reports::users(&req, &app).await,
            ["users", id] => reports::user(&app, telegram_id(id)?).await,
            ["payments"] => reports::payments(&req, &app).await,
            ["payments.csv"] => reports::payments_csv(&req, &app).await,
            ["plans"] => reports::plans(&app).await,
            ["promos"] => reports::promos(&app).await,
            ["broadcasts"] => reports::broadcasts(&app).await,
            ["broadcasts", id] => reports::broadcast(&app, number(id)?).await,
            ["nodes"] => reports::nodes(&app).await,
            _ => Err(AppError::NotFound),
        };
    }
    // Previews change nothing: no key needed.
    if method == Method::Post && parts.as_slice() == ["broadcasts", "preview"] {
        return actions::preview(req, &app).await;
    }
    if !matches!(method, Method::Post | Method::Put) {
        return Err(AppError::MethodNotAllowed);
    }
    let mut parts = parts;
    // The method is part of the route: `PUT` edits a plan, `POST` does everything else.
    if method == Method::Put {
        parts.insert(0, "PUT");
    }
    journaled(req, &app, admin, &parts).await
}

/// A write, run once per `Idempotency-Key` (see the module docs). Every answer is kept, a
/// failure too: a write that failed after its effect (a refund the provider took, a broadcast
/// started) must not run again under the same key. Pressing again in the console is a new key.
async fn journaled(
    mut req: Request,
    app: &App<'_>,
    admin: Admin,
    parts: &[&str],
) -> Result<Response, AppError> {
    let key = req.headers().get("Idempotency-Key").ok().flatten().unwrap_or_default();
    if !valid_key(&key) {
        return Err(AppError::Refused {
            status: 400,
            reason: "Idempotency-Key header required (8-100 of A-Z a-z 0-9 - _)",
        });
    }
    let route = format!("{} {}", req.method().as_ref(), req.path());
    let now = app.clock.now().timestamp();
    let claimed = app.store.claim_console_request(&key, admin.0, &route, now).await;
    match claimed.map_err(|e| unavailable("journal", &e))? {
        Journal::Claimed => {}
        Journal::Done(status, body) => {
            let mut response = json_response(status, &body);
            let _ = response.headers_mut().set("Idempotent-Replayed", "true");
            return Ok(response);
        }
        Journal::Running => {
            return Err(AppError::Refused { status: 409, reason: "this request is still running" })
        }
        Journal::Unknown => {
            return Err(AppError::Refused {
                status: 409,
                reason:
                    "this request's outcome is unknown: see the customer's audit trail before trying again",
            })
        }
        Journal::Conflict => {
            return Err(AppError::Refused {
                status: 422,
                reason: "Idempotency-Key was used for another request",
            })
        }
    }
    let (status, body, response) = match actions::write(&mut req, app, admin, parts, &key).await {
        Ok((status, body)) => (status, body.clone(), json_response(status, &body)),
        Err(error) => (error.status(), error.public_body(), error.into_response(&app.scope)),
    };
    // If this fails the claim stays open: a retry is told the outcome is unknown, never re-run.
    app.store.finish_console_request(&key, status, &body).await.map_err(|e| unavailable("journal", &e))?;
    app.scope.info("admin.write", json!({ "route": route, "admin": admin.0, "status": status }));
    Ok(response)
}

/// The caller, if an admin; 401 for everyone else (no session, or a customer's). Only the
/// cookie session counts: it can be signed out of and revoked; Mini App `initData` cannot.
async fn admin(req: &Request, app: &App<'_>) -> Result<Admin, AppError> {
    let telegram_id = web::session(req, app).await?.telegram_id;
    let id = TelegramUserId::parse(telegram_id).map_err(|_| AppError::Unauthorized)?;
    if app.config.is_admin(id) {
        Ok(Admin(telegram_id))
    } else {
        Err(AppError::Unauthorized)
    }
}

fn number(segment: &str) -> Result<i64, AppError> {
    segment.parse::<i64>().ok().filter(|n| *n > 0).ok_or(AppError::NotFound)
}

fn telegram_id(segment: &str) -> Result<i64, AppError> {
    number(segment)
}

/// A 200 answer of a write.
fn ok(body: Value) -> Result<(u16, Value), AppError> {
    Ok((200, body))
}
