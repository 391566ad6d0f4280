//! The console's reads: KPIs (with the panel's live numbers), chart series, users, a user's file
//! (with the panel's live view), payments and their CSV export, plans, promo codes,
//! broadcasts and nodes.

use serde_json::{json, Map, Value};
use wavegate_shared::clock::Clock;
use wavegate_shared::db::all;
use wavegate_shared::remnawave::{Panel, PanelUserId};
use wavegate_shared::shop::broadcast::BroadcastStore;
use wavegate_shared::shop::console;
use wavegate_shared::shop::promo::PromoStore;
use wavegate_shared::shop::sql::reports::{PaymentFilter, UserSort, DAY};
use wavegate_shared::stmt;
use worker::{Headers, Request, Response};

use crate::app::App;
use crate::error::{json_response, AppError};
use crate::routes::web::{query_param, unavailable};

/// Most rows one CSV export carries (about 3 MB); narrow the dates for more.
pub const CSV_CAP: u32 = 50_000;

fn now(app: &App<'_>) -> i64 {
    app.clock.now().timestamp()
}

fn bad(reason: &'static str) -> AppError {
    AppError::Refused { status: 400, reason }
}

/// `GET /api/admin/stats`: the KPIs, and the panel's users online and traffic (`panel: null`
/// with `panel_error` when the panel does not answer: the shop's numbers still show).
pub async fn stats(app: &App<'_>) -> Result<Response, AppError> {
    let panel = app.panel();
    let (shop, system) =
        futures_util::future::join(app.store.console_stats(now(app)), panel.read_json("/api/system/stats"))
            .await;
    let mut body = shop.map_err(|e| unavailable("stats", &e))?;
    match system {
        Ok(system) => {
            body["panel"] = json!({
                "online_now": system["onlineStats"]["onlineNow"],
                "online_today": system["onlineStats"]["lastDay"],
                "users": system["users"]["totalUsers"],
                "nodes_online": system["nodes"]["totalOnline"],
                "traffic_bytes": system["nodes"]["totalBytesLifetime"],
            });
        }
        Err(error) => {
            body["panel"] = Value::Null;
            body["panel_error"] = json!(error.to_string());
        }
    }
    Ok(json_response(200, &body))
}

/// `GET /api/admin/series?days=90`.
pub async fn series(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let days = match query_param(req, "days") {
        None => 90,
        Some(d) => d.parse::<i64>().ok().filter(|d| (1..=366).contains(d)).ok_or(bad("days is 1-366"))?,
    };
    let body = app.store.console_series(days, now(app)).await.map_err(|e| unavailable("series", &e))?;
    Ok(json_response(200, &body))
}

/// `GET /api/admin/users?q=&sort=&cursor=&limit=`.
pub async fn users(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let query = match query_param(req, "q") {
        None => None,
        Some(q) => Some(wavegate_shared::http::decode_component(&q).ok_or(bad("bad q"))?),
    };
    let sort = match query_param(req, "sort") {
        None => UserSort::Newest,
        Some(s) => UserSort::parse(&s).ok_or(bad("sort is newest, oldest, expires or -expires"))?,
    };
    let cursor = match query_param(req, "cursor") {
        None => None,
        // The console sends it form-encoded (`:` as `%3A`).
        Some(c) => Some(
            wavegate_shared::http::decode_component(&c)
                .as_deref()
                .and_then(|c| c.split_once(':'))
                .and_then(|(v, id)| Some((v.parse().ok()?, id.parse().ok()?)))
                .ok_or(bad("bad cursor"))?,
        ),
    };
    let body = app
        .store
        .console_users(query.as_deref(), sort, cursor, limit(req)?)
        .await
        .map_err(|e| unavailable("users", &e))?;
    Ok(json_response(200, &body))
}

fn limit(req: &Request) -> Result<u32, AppError> {
    match query_param(req, "limit") {
        None => Ok(50),
        Some(l) => l.parse().ok().filter(|l| (1..=200).contains(l)).ok_or(bad("limit is 1-200")),
    }
}

/// `GET /api/admin/users/{telegram_id}`: the file, and the panel's live view of the user.
pub async fn user(app: &App<'_>, telegram_id: i64) -> Result<Response, AppError> {
    let found = app.store.console_user(telegram_id).await.map_err(|e| unavailable("user", &e))?;
    let Some((mut file, panel_user_id)) = found else { return Err(AppError::NotFound) };
    file["panel"] = match panel_user_id {
        None => Value::Null,
        Some(id) => {
            let panel = app.panel();
            let id = PanelUserId(id);
            let (user, devices) = futures_util::future::join(panel.get_user(id), panel.devices(id)).await;
            match user {
                Ok(Some(u)) => json!({
                    "status": u.status, "short_uuid": u.short_uuid, "username": u.username,
                    "expire_at": u.expire_at.timestamp(), "traffic_used_bytes": u.user_traffic.used_traffic_bytes,
                    "online_at": u.user_traffic.online_at.map(|t| t.timestamp()),
                    "traffic_limit_bytes": u.traffic_limit_bytes, "device_limit": u.hwid_device_limit,
                    "subscription_url": u.subscription_url,
                    "devices": devices.map(|d| d.len() as i64).ok(),
                }),
                Ok(None) => json!({ "missing": true }),
                Err(error) => json!({ "error": error.to_string() }),
            }
        }
    };
    Ok(json_response(200, &file))
}

/// The payments filters of the query (`provider`, `status`, `currency`, `from`, `to` as
/// `YYYY-MM-DD`, UTC, both inclusive).
fn payment_filter(req: &Request) -> Result<PaymentFilter, AppError> {
    let pick = |name: &str, allowed: &[&str]| -> Result<Option<String>, AppError> {
        match query_param(req, name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v)),
            Some(_) => Err(bad("unknown filter value")),
        }
    };
    let date = |name: &str| -> Result<Option<i64>, AppError> {
        match query_param(req, name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => console::day_start(&v).map(Some).ok_or(bad("dates are YYYY-MM-DD")),
        }
    };
    Ok(PaymentFilter {
        provider: pick("provider", &["stars", "razorpay", "xendit", "cryptopay"])?,
        status: pick("status", &["pending", "completed", "failed", "refunded"])?,
        currency: pick("currency", &["USD", "XTR", "INR", "IDR"])?,
        from: date("from")?,
        to: date("to")?.map(|t| t + DAY),
    })
}

/// `GET /api/admin/payments?provider=&status=&currency=&from=&to=&cursor=&limit=`.
pub async fn payments(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let filter = payment_filter(req)?;
    let cursor = match query_param(req, "cursor") {
        None => None,
        Some(c) => Some(c.parse::<i64>().map_err(|_| bad("bad cursor"))?),
    };
    let body = app
        .store
        .console_payments(&filter, cursor, limit(req)?)
        .await
        .map_err(|e| unavailable("payments", &e))?;
    Ok(json_response(200, &body))
}

/// `GET /api/admin/payments.csv?…`: the filtered payments as CSV (RFC 4180), newest first.
pub async fn payments_csv(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let filter = payment_filter(req)?;
    let rows = app
        .store
        .console_payments_all(&filter, CSV_CAP + 1)
        .await
        .map_err(|e| unavailable("payments", &e))?;
    // A file cut short without a word would pass for complete in a spreadsheet.
    if rows.len() > CSV_CAP as usize {
        return Err(AppError::Refused { status: 422, reason: "more than 50,000 payments: narrow the dates" });
    }
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "text/csv; charset=utf-8");
    let _ = headers.set("Content-Disposition", "attachment; filename=\"payments.csv\"");
    Ok(Response::builder().with_status(200).with_headers(headers).fixed(console::csv(&rows).into_bytes()))
}

/// `GET /api/admin/plans`: every plan with its prices.
pub async fn plans(app: &App<'_>) -> Result<Response, AppError> {
    let plans = app.store.console_plans().await.map_err(|e| unavailable("plans", &e))?;
    Ok(json_response(200, &json!({ "plans": plans })))
}

/// `GET /api/admin/promos`: the newest 200 codes with their uses.
pub async fn promos(app: &App<'_>) -> Result<Response, AppError> {
    let codes = app.store.promos(200).await.map_err(|e| unavailable("promos", &e))?;
    let list: Vec<Value> = codes
        .into_iter()
        .map(|p| {
            json!({
                "code": p.code, "kind": p.kind.map(|k| k.code()), "value": p.kind.map(|k| k.value()),
                "max_uses": p.max_uses, "used": p.used, "valid_until": p.valid_until, "active": p.active,
            })
        })
        .collect();
    Ok(json_response(200, &json!({ "promos": list })))
}

/// `GET /api/admin/broadcasts`: the latest 50.
pub async fn broadcasts(app: &App<'_>) -> Result<Response, AppError> {
    let list = app.store.console_broadcasts(50).await.map_err(|e| unavailable("broadcasts", &e))?;
    Ok(json_response(200, &json!({ "broadcasts": list })))
}

/// `GET /api/admin/broadcasts/{id}`: status and live progress.
pub async fn broadcast(app: &App<'_>, id: i64) -> Result<Response, AppError> {
    let found = app.store.broadcast(id).await.map_err(|e| unavailable("broadcast", &e))?;
    let Some(b) = found else { return Err(AppError::NotFound) };
    let p = app.store.broadcast_progress(id).await.map_err(|e| unavailable("broadcast", &e))?;
    Ok(json_response(
        200,
        &json!({
            "id": b.id, "status": b.status, "audience": b.audience.code(), "locale": b.locale,
            "text": b.message.text, "started_at": b.started_at,
            "progress": { "total": p.total, "sent": p.sent, "blocked": p.blocked, "failed": p.failed,
                          "pending": p.pending + p.claimed },
        }),
    ))
}

/// `GET /api/admin/nodes`: the panel's nodes, with when the health cron last saw each change.
pub async fn nodes(app: &App<'_>) -> Result<Response, AppError> {
    #[derive(serde::Deserialize)]
    struct Seen {
        key: String,
        up: i64,
        changed_at: i64,
    }
    let seen = stmt!("SELECT key, up, changed_at FROM node_states");
    let panel = app.panel();
    let (nodes, seen) =
        futures_util::future::join(panel.read_json("/api/nodes"), all::<Seen>(&app.store.db, &seen)).await;
    let seen = seen.map_err(|e| unavailable("nodes", &e))?;
    let nodes = match nodes {
        Ok(Value::Array(nodes)) => nodes,
        Ok(_) => Vec::new(),
        Err(error) => {
            return Ok(json_response(200, &json!({ "nodes": [], "panel_error": error.to_string() })));
        }
    };
    let list: Vec<Value> = nodes
        .iter()
        .map(|n| {
            let uuid = n["uuid"].as_str().unwrap_or_default();
            let watched = seen.iter().find(|s| s.key == uuid);
            let mut node = Map::new();
            for (ours, theirs) in [
                ("uuid", "uuid"),
                ("name", "name"),
                ("country", "countryCode"),
                ("address", "address"),
                ("connected", "isConnected"),
                ("disabled", "isDisabled"),
                ("users_online", "usersOnline"),
                ("traffic_used_bytes", "trafficUsedBytes"),
                ("traffic_limit_bytes", "trafficLimitBytes"),
                ("last_status_change", "lastStatusChange"),
                ("last_status_message", "lastStatusMessage"),
                ("xray_uptime", "xrayUptime"),
            ] {
                node.insert(ours.into(), n.get(theirs).cloned().unwrap_or(Value::Null));
            }
            node.insert("watch_up".into(), json!(watched.map(|s| s.up == 1)));
            node.insert("watch_changed_at".into(), json!(watched.map(|s| s.changed_at)));
            Value::Object(node)
        })
        .collect();
    Ok(json_response(200, &json!({ "nodes": list })))
}
