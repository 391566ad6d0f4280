//! The operator's observability routes: `GET /metrics` for Prometheus (forwarded by the main
//! Worker; `Authorization: Bearer METRICS_TOKEN`, compared in constant time), and the consumer
//! of the `wavegate-errors` queue, which posts each error report to Sentry's envelope
//! endpoint when `SENTRY_DSN` is set.

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::http::{HttpClient, HttpRequest, Method};
use wavegate_shared::secure::secret_eq;
use wavegate_shared::sentry::{Dsn, ErrorReport};
use wavegate_shared::shop::metrics;
use worker::{Env, Headers, MessageBatch, MessageExt, Request, Response};

use crate::app::{self, App};
use crate::error::AppError;
use crate::log::Scope;
use crate::routes::web::unavailable;

/// `GET /metrics`: the Prometheus text format (`shop::metrics`), one D1 round trip. Without
/// `METRICS_TOKEN` the route is off: 401 for everyone.
pub async fn metrics(req: &Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone())?;
    let given = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    let given = given.strip_prefix("Bearer ").unwrap_or_default();
    let authorized = app
        .config
        .metrics_token
        .as_ref()
        .is_some_and(|token| secret_eq(given.as_bytes(), token.expose().as_bytes()));
    if !authorized {
        return Err(AppError::Unauthorized);
    }
    let rows =
        app.store.metrics_rows(app.clock.now().timestamp()).await.map_err(|e| unavailable("metrics", &e))?;
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    Ok(Response::builder().with_status(200).with_headers(headers).fixed(metrics::render(&rows).into_bytes()))
}

fn later() -> worker::QueueRetryOptions {
    worker::QueueRetryOptionsBuilder::new().with_delay_seconds(30).build()
}

/// The `wavegate-errors` queue: each report to Sentry. Without a DSN (it was removed after the
/// report was queued) the report is dropped: its log line was written when it happened. A
/// failed post is retried by the queue (3 times, then dropped: never a dead letter of its own).
pub async fn consume_errors(batch: MessageBatch<serde_json::Value>, env: &Env) {
    let scope = Scope::new(batch.queue());
    let Ok(config) = app::config(env, &scope) else {
        batch.retry_all();
        return;
    };
    let Ok(messages) = batch.messages() else {
        batch.retry_all();
        return;
    };
    let Ok(app) = App::new(env, scope.clone()) else {
        batch.retry_all();
        return;
    };
    for message in messages {
        // The main Worker queues the report as JSON text.
        let text = message.body().as_str().unwrap_or_default();
        let dsn = config.sentry_dsn.as_ref().map(|raw| Dsn::parse(raw.expose()));
        let (Some(Ok(dsn)), Ok(report)) = (dsn.as_ref(), serde_json::from_str::<ErrorReport>(text)) else {
            let why = match &dsn {
                Some(Err(e)) => e.to_string(),
                Some(Ok(_)) => "not an error report".to_string(),
                None => "no SENTRY_DSN".to_string(),
            };
            scope.warn("error_report.sent", json!({ "reason": why, "outcome": "dropped" }));
            message.ack();
            continue;
        };
        let event_id = report.event_id();
        let sent_at = app.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let body = report.envelope(dsn, &event_id, &sent_at).into_bytes();
        let request = HttpRequest::new(Method::Post, dsn.envelope_url())
            .header("X-Sentry-Auth", dsn.auth_header())
            .body("application/x-sentry-envelope", body);
        match app.http.send(request).await {
            Ok(response) if response.status < 300 => {
                scope.info(
                    "error_report.sent",
                    json!({ "event_id": event_id, "report": report.request_id, "outcome": "sent" }),
                );
                message.ack();
            }
            // 4xx other than 429: Sentry refuses this event (bad DSN, quota); retrying cannot help.
            Ok(response) if response.status != 429 && response.status < 500 => {
                scope.warn("error_report.sent", json!({ "status": response.status, "outcome": "dropped" }));
                message.ack();
            }
            // 429 or 5xx: Sentry is busy or down; 30 s later (three tries in all).
            Ok(response) => {
                scope.warn("error_report.sent", json!({ "status": response.status, "outcome": "retry" }));
                message.retry_with_options(&later());
            }
            Err(e) => {
                scope.warn("error_report.sent", json!({ "error": e.to_string(), "outcome": "retry" }));
                message.retry_with_options(&later());
            }
        }
    }
}
