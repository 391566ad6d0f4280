//! The signed-in customer's account (docs/API.md): `/api/me` and what the cabinet does with the
//! subscription — language, devices, a new link, the QR code — plus referrals and promo codes.
//! The subscription actions are the bot's (`shop::account`), so the two never disagree.

use serde::Deserialize;
use serde_json::{json, Value};
use wavegate_shared::clock::Clock;
use wavegate_shared::domain::referral_link;
use wavegate_shared::i18n::Locale;
use wavegate_shared::qr;
use wavegate_shared::remnawave::PanelUserId;
use wavegate_shared::shop::account::{self, PanelSnapshot};
use wavegate_shared::shop::promo::{self, PromoCode, Redeemed, Refusal};
use wavegate_shared::shop::referral::{self, Period, Place, ReferralStore};
use wavegate_shared::shop::store::{BotUser, ShopStore, UserStore};
use worker::{Headers, Request, Response};

use super::{customer, json_body, unavailable};
use crate::app::App;
use crate::error::{json_response, AppError};

use wavegate_shared::subscription::utc_iso_seconds as iso;

fn no_subscription() -> AppError {
    AppError::Refused { status: 404, reason: "no subscription" }
}

/// The customer's panel user id, or 404.
async fn panel_user_id(app: &App<'_>, user: &BotUser) -> Result<(i64, Option<i64>), AppError> {
    let summary = app.store.subscription_summary(user.id).await.map_err(|e| unavailable("summary", &e))?;
    summary.panel_user_id.map(|id| (id, summary.expires_at)).ok_or_else(no_subscription)
}

/// The live subscription (cached like the bot's status screen); 404 when the panel forgot it.
async fn live(app: &App<'_>, user: &BotUser) -> Result<(i64, PanelSnapshot), AppError> {
    let (id, expiry) = panel_user_id(app, user).await?;
    let panel = app.panel();
    let snap =
        account::snapshot(&panel, &app.cache, id, expiry).await.map_err(|e| unavailable("panel", &e))?;
    Ok((id, snap.ok_or_else(no_subscription)?))
}

/// `GET /api/me`.
pub async fn me(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(req, app).await?;
    let summary = app.store.subscription_summary(user.id).await.map_err(|e| unavailable("summary", &e))?;
    let subscription = match summary.panel_user_id {
        None => Value::Null,
        Some(id) => {
            let panel = app.panel();
            match account::snapshot(&panel, &app.cache, id, summary.expires_at)
                .await
                .map_err(|e| unavailable("panel", &e))?
            {
                None => Value::Null,
                Some(snap) => json!({
                    "status": snap.status.to_ascii_uppercase(),
                    "plan": summary.plan_name,
                    "expiresAt": iso(snap.expires_at),
                    "subscriptionUrl": snap.subscription_url,
                    "trafficUsedBytes": snap.used_bytes,
                    "trafficLimitBytes": snap.limit_bytes,
                    "deviceLimit": snap.device_limit,
                    "starsRenewal": summary.stars_subscription.as_ref().map(|r| json!({ "canceled": r.canceled })),
                }),
            }
        }
    };
    let locale = user.language();
    Ok(json_response(
        200,
        &json!({
            "telegramId": user.telegram_id.get(), "firstName": user.first_name,
            "locale": locale.code(), "timeZone": locale.time_zone_name(),
            "trialAvailable": summary.trial_available(), "subscription": subscription,
        }),
    ))
}

#[derive(Deserialize)]
struct LocaleBody {
    locale: String,
}

/// `PUT /api/me/locale`: the bot follows the same stored choice.
pub async fn set_locale(mut req: Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(&req, app).await?;
    let body: LocaleBody = json_body(&mut req).await?;
    let locale = Locale::from_code(&body.locale)
        .ok_or(AppError::Refused { status: 400, reason: "locale must be en, ru, hi or id" })?;
    let now = app.clock.now().timestamp();
    app.store.set_locale(user.id, locale.code(), now).await.map_err(|e| unavailable("user", &e))?;
    Ok(json_response(200, &json!({ "ok": true, "locale": locale.code() })))
}

fn devices_json(devices: &[wavegate_shared::remnawave::Device]) -> Value {
    Value::Array(
        devices
            .iter()
            .map(|d| {
                json!({ "hwid": d.hwid, "platform": d.platform, "osVersion": d.os_version,
                        "deviceModel": d.device_model, "createdAt": d.created_at })
            })
            .collect(),
    )
}

/// `GET /api/me/devices`.
pub async fn devices(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(req, app).await?;
    let (id, snap) = live(app, &user).await?;
    let devices = app.panel().devices(PanelUserId(id)).await.map_err(|e| unavailable("panel", &e))?;
    Ok(json_response(
        200,
        &json!({ "total": devices.len(), "limit": snap.device_limit, "devices": devices_json(&devices) }),
    ))
}

#[derive(Deserialize)]
struct DeviceBody {
    hwid: String,
}

/// `POST /api/me/devices/delete {hwid}`: only one of the customer's own devices (the panel
/// scopes HWIDs to the user, and the list is checked first for a clear 404).
pub async fn delete_device(mut req: Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(&req, app).await?;
    let body: DeviceBody = json_body(&mut req).await?;
    let (id, _) = panel_user_id(app, &user).await?;
    let panel = app.panel();
    let known = panel.devices(PanelUserId(id)).await.map_err(|e| unavailable("panel", &e))?;
    if !known.iter().any(|d| d.hwid == body.hwid) {
        return Err(AppError::Refused { status: 404, reason: "no such device" });
    }
    let left =
        panel.delete_device(PanelUserId(id), &body.hwid).await.map_err(|e| unavailable("panel", &e))?;
    app.scope.info("cabinet.device_removed", json!({ "outcome": "removed" }));
    Ok(json_response(200, &json!({ "ok": true, "total": left.len() })))
}

/// `POST /api/me/devices/reset`.
pub async fn reset_devices(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(req, app).await?;
    let (id, _) = panel_user_id(app, &user).await?;
    account::reset_devices(&app.panel(), &app.cache, id).await.map_err(|e| unavailable("panel", &e))?;
    Ok(json_response(200, &json!({ "ok": true, "total": 0 })))
}

/// `POST /api/me/link/revoke`: a new link; the old one stops working.
pub async fn revoke_link(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(req, app).await?;
    let (id, _) = panel_user_id(app, &user).await?;
    let now = app.clock.now().timestamp();
    let panel = app.panel();
    let panel_user = account::revoke_link(&app.store, &panel, &app.cache, user.id, id, now)
        .await
        .map_err(|e| unavailable("revoke", &e))?;
    app.scope.info("cabinet.link_revoked", json!({ "outcome": "revoked" }));
    Ok(json_response(200, &json!({ "ok": true, "subscriptionUrl": panel_user.subscription_url })))
}

/// `GET /api/me/qr.svg`: the link's QR code.
pub async fn qr_svg(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(req, app).await?;
    let (_, snap) = live(app, &user).await?;
    svg_response(&snap.subscription_url)
}

/// `GET /api/qr.svg?data=…`: any short text as a QR code, for a signed-in customer — the QRIS
/// string of a Xendit checkout, which a customer scans with another phone's banking app.
pub async fn qr_of(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    customer(req, app).await?;
    let data = super::query_param(req, "data")
        .and_then(|raw| wavegate_shared::http::decode_component(&raw))
        .filter(|d| !d.is_empty() && d.len() <= 1024)
        .ok_or(AppError::Refused { status: 400, reason: "data must be 1 to 1024 characters" })?;
    svg_response(&data)
}

fn svg_response(text: &str) -> Result<Response, AppError> {
    let svg = qr::svg(text).map_err(|e| unavailable("qr", &e))?;
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "image/svg+xml");
    Ok(Response::builder().with_status(200).with_headers(headers).fixed(svg.into_bytes()))
}

fn place_json(place: &Place) -> Value {
    let name = place.username.as_ref().map(|u| format!("@{u}")).unwrap_or_else(|| place.first_name.clone());
    json!({ "rank": place.rank, "name": name, "paying": place.paying })
}

/// `GET /api/referrals?period=week|month|all`.
pub async fn referrals(req: &Request, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(req, app).await?;
    let period = super::query_param(req, "period")
        .map(|v| {
            Period::parse(&v)
                .ok_or(AppError::Refused { status: 400, reason: "period must be week, month or all" })
        })
        .transpose()?
        .unwrap_or(Period::Month);
    let now = app.clock.now().timestamp();
    let stats = app.store.referral_stats(user.id).await.map_err(|e| unavailable("referrals", &e))?;
    let board =
        app.store.leaderboard(period.since(now), user.id).await.map_err(|e| unavailable("referrals", &e))?;
    let next = referral::next_milestone(stats.paying)
        .map(|(at, days, to_go)| json!({ "at": at, "days": days, "toGo": to_go }));
    Ok(json_response(
        200,
        &json!({
            "link": referral_link(&app.config.telegram.bot_username, &user.referral_code),
            "invited": stats.invited, "paying": stats.paying, "daysEarned": stats.days_earned, "nextMilestone": next,
            "leaderboard": { "period": period.code(), "top": board.top.iter().map(place_json).collect::<Vec<_>>(),
                             "mine": board.mine.as_ref().map(place_json) },
        }),
    ))
}

#[derive(Deserialize)]
struct PromoBody {
    code: String,
}

/// `POST /api/promo {code}`: the bot's `/promo`.
pub async fn redeem_promo(mut req: Request, env: &worker::Env, app: &App<'_>) -> Result<Response, AppError> {
    let user = customer(&req, app).await?;
    // Codes are words an admin chose: guessing them must be slow.
    super::auth::rate_limit(env, format!("promo:{}", user.id), app).await?;
    let body: PromoBody = json_body(&mut req).await?;
    let refused = |reason| Ok(json_response(409, &json!({ "ok": false, "error": reason })));
    let Some(code) = PromoCode::parse(&body.code) else { return refused("unknown") };
    let now = app.clock.now().timestamp();
    match promo::redeem(&app.store, &app.jobs, user.id, &code, now)
        .await
        .map_err(|e| unavailable("promo", &e))?
    {
        Ok(Redeemed::Days { days, .. }) => {
            Ok(json_response(200, &json!({ "ok": true, "kind": "days", "value": days })))
        }
        Ok(Redeemed::Discount { percent }) => {
            Ok(json_response(200, &json!({ "ok": true, "kind": "percent", "value": percent })))
        }
        Err(refusal) => refused(match refusal {
            Refusal::Unknown => "unknown",
            Refusal::Expired => "expired",
            Refusal::Exhausted => "used_up",
            Refusal::AlreadyUsed => "already_used",
            Refusal::DiscountWaiting => "discount_held",
        }),
    }
}
