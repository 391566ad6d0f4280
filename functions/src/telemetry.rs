//! What the operator sees besides the log lines: counters for `/metrics` (in D1, so they
//! survive isolates: `shop::metrics`), one Workers Analytics Engine data point per webhook
//! and per payment (the optional `ANALYTICS` binding), and error reports for Sentry (queued
//! on `ERRORS` when `SENTRY_DSN` is set; the operator's Worker posts them).
//!
//! None of it can fail a request: a counter or report that cannot be written is logged.

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::shop::metrics::Counter;
use worker::{Env, Response};

use crate::app::App;
use crate::error::AppError;
use crate::log::{self, Scope};

/// The Analytics Engine dataset binding (optional; without it no data points).
const ANALYTICS: &str = "ANALYTICS";
/// The queue error reports travel on to the operator's Worker.
const ERRORS: &str = "ERRORS";

thread_local! {
    /// Counts not written yet: past the write budget they wait here for the next write.
    static PENDING: std::cell::RefCell<Vec<(Counter, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Adds one to a `/metrics` counter. D1 writes for counters are budgeted: at most 20 a minute
/// per location (`RATE_LIMITER`, key `metrics`), so a flood of forged webhooks costs the shop's
/// D1 write allowance nothing more; counts past the budget wait in this isolate and are added
/// (`value + n`) with its next write. An isolate that ends before then loses its waiting
/// counts: the counters are a floor under a flood, exact otherwise.
pub async fn count(env: &Env, app: &App<'_>, counter: Counter) {
    PENDING.with(|p| {
        let mut pending = p.borrow_mut();
        match pending.iter_mut().find(|(c, _)| *c == counter) {
            Some((_, n)) => *n += 1,
            None => pending.push((counter, 1)),
        }
    });
    if let Ok(limiter) = env.rate_limiter("RATE_LIMITER") {
        if limiter.limit("metrics".to_string()).await.is_ok_and(|o| !o.success) {
            return;
        }
    }
    let due: Vec<(Counter, u32)> = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    let now = app.clock.now().timestamp();
    for (counter, n) in due {
        if let Err(e) = app.store.count(counter, n, now).await {
            app.scope.warn("metrics.count", json!({ "error": e.to_string() }));
        }
    }
}

/// One Analytics Engine data point: the blobs (what happened, the first also its index) and
/// one number. Built as JSON and parsed by the runtime: the typed builder costs the bundle
/// ~0.7 KiB more (measured).
pub fn point(env: &Env, blobs: &[&str], value: f64) {
    use worker::wasm_bindgen::JsCast;
    let Ok(dataset) = env.analytics_engine(ANALYTICS) else { return };
    let point = json!({ "indexes": [blobs.first()], "blobs": blobs, "doubles": [value] });
    if let Ok(point) = worker::js_sys::JSON::parse(&point.to_string()) {
        let sys: &worker::worker_sys::AnalyticsEngineDataset = dataset.as_ref().unchecked_ref();
        let _ = sys.write_data_point(point);
    }
}

/// Queues an error report for Sentry when a DSN is configured (the caller has logged it
/// already). The report is `sentry::ErrorReport` as JSON text: `kind` is `http` or
/// `dead_letter`, `route` the path or job, `status` 0 for a dead letter, `causes` the chain.
pub async fn report(env: &Env, app: &App<'_>, kind: &str, route: &str, status: u16, causes: Vec<String>) {
    if app.config.sentry_dsn.is_none() {
        return;
    }
    let report = json!({
        "kind": kind, "request_id": app.scope.request_id, "route": route, "status": status,
        "causes": causes, "at": app.clock.now().timestamp(),
    });
    // As text: the queue's serializer instantiated for one more type costs the bundle ~1 KiB.
    let sent = match env.queue(ERRORS) {
        Ok(queue) => queue.send(report.to_string()).await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = sent {
        app.scope.warn("error_report.failed", json!({ "error": e }));
    }
}

/// The webhook a path is, for labels: fixed words, never the request's own text.
fn webhook(path: &str) -> Option<&'static str> {
    Some(match path {
        "/telegram/webhook" => "telegram",
        "/webhooks/razorpay" => "razorpay",
        "/webhooks/xendit" => "xendit",
        "/webhooks/cryptopay" => "cryptopay",
        "/webhooks/remnawave" => "remnawave",
        _ => return None,
    })
}

/// A 5xx's route family, for labels.
fn family(path: &str) -> &'static str {
    match webhook(path) {
        Some(name) => name,
        None if path.starts_with("/api/") => "api",
        None if path == "/healthz" => "healthz",
        None => "other",
    }
}

/// After a request: a data point per webhook, a counted reject, and a counted and reported 5xx.
pub async fn observe(env: &Env, scope: &Scope, path: &str, result: &Result<Response, AppError>) {
    let status = match result {
        Ok(response) => response.status_code(),
        Err(error) => error.status(),
    };
    let hook = webhook(path);
    if let Some(name) = hook {
        point(env, &["webhook", name, &status.to_string()], f64::from(status));
    }
    let Err(error) = result else { return };
    let counter = match (hook, error) {
        (_, e) if e.status() >= 500 => Counter::ServerError { route: family(path) },
        (Some(route), AppError::Unauthorized) => Counter::WebhookReject { route, reason: "unauthorized" },
        (Some(route), AppError::BadRequest(_)) => Counter::WebhookReject { route, reason: "malformed" },
        (Some(route), AppError::PayloadTooLarge) => Counter::WebhookReject { route, reason: "too_large" },
        (Some(route), AppError::MethodNotAllowed) => Counter::WebhookReject { route, reason: "method" },
        (Some(route), _) => Counter::WebhookReject { route, reason: "refused" },
        (None, _) => return,
    };
    let Ok(app) = App::new(env, scope.clone()) else { return };
    count(env, &app, counter).await;
    if status >= 500 {
        let route: String = path.chars().take(100).collect();
        report(env, &app, "http", &route, status, log::causes(error)).await;
    }
}
