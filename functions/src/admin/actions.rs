//! The console's writes. Each goes through the same shop function as the bot's admin commands
//! (`/user`'s buttons, `/refund`, `/promo_new`, `/broadcast`), so a customer's days, refunds
//! and codes follow one set of rules whichever console an admin uses; each is audit-logged
//! there (who, what, before, after). [`super::journaled`] makes a retried request answer once.

use serde::Deserialize;
use serde_json::{json, Value};
use wavegate_shared::clock::Clock;
use wavegate_shared::shop::account;
use wavegate_shared::shop::admin::{self, ActionOutcome, RefundOutcome, UserAction};
use wavegate_shared::shop::broadcast::{Audience, BroadcastStore, Message};
use wavegate_shared::shop::console::{self, PlanEditRequest};
use wavegate_shared::shop::ports::{Cache, Job, Jobs};
use wavegate_shared::shop::promo::{NewPromo, PromoCode, PromoStore};
use wavegate_shared::shop::store::ShopStore;
use worker::{Request, Response};

use super::{number, ok, Admin};
use crate::adapters::RandomIds;
use crate::app::App;
use crate::error::{json_response, AppError};
use crate::routes::web::{json_body, unavailable};

fn bad(reason: &'static str) -> AppError {
    AppError::Refused { status: 400, reason }
}

fn now(app: &App<'_>) -> i64 {
    app.clock.now().timestamp()
}

/// Routes a journaled write; the answer is (status, JSON body).
pub async fn write(
    req: &mut Request,
    app: &App<'_>,
    admin: Admin,
    parts: &[&str],
    key: &str,
) -> Result<(u16, Value), AppError> {
    match parts {
        ["users", id, "extend"] => {
            let body: ExtendBody = json_body(req).await?;
            if !(1..=3650).contains(&body.days) {
                return Err(bad("days is 1-3650"));
            }
            user_action(app, admin, number(id)?, UserAction::Extend(body.days), key).await
        }
        ["users", id, "disable"] => user_action(app, admin, number(id)?, UserAction::Disable, key).await,
        ["users", id, "enable"] => user_action(app, admin, number(id)?, UserAction::Enable, key).await,
        ["users", id, "devices", "reset"] => {
            user_action(app, admin, number(id)?, UserAction::ResetDevices, key).await
        }
        ["users", id, "link", "revoke"] => {
            user_action(app, admin, number(id)?, UserAction::NewLink, key).await
        }
        ["payments", id, "refund"] => refund(app, admin, number(id)?).await,
        ["PUT", "plans", slug] => edit_plan(req, app, admin, slug).await,
        ["promos"] => create_promo(req, app, admin).await,
        ["promos", code, "deactivate"] => deactivate_promo(app, admin, code).await,
        ["broadcasts"] => start_broadcast(req, app, admin).await,
        ["broadcasts", id, "cancel"] => cancel_broadcast(app, admin, number(id)?).await,
        _ => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendBody {
    days: u32,
}

async fn user_action(
    app: &App<'_>,
    admin: Admin,
    telegram_id: i64,
    action: UserAction,
    key: &str,
) -> Result<(u16, Value), AppError> {
    let panel = app.panel();
    let outcome = admin::act(&app.store, &panel, &app.jobs, admin.0, telegram_id, action, key, now(app))
        .await
        .map_err(|e| unavailable("action", &e))?;
    match outcome {
        ActionOutcome::Granted { order } => ok(json!({ "ok": true, "order": order })),
        ActionOutcome::Done(user) => {
            // The cabinet's and the bot's status screens read the panel through a short cache.
            app.cache.delete(&account::cache_key(user.id.0)).await;
            if action == UserAction::NewLink {
                // As the bot's button does: the old link stopped working, the customer gets the new one.
                let _ = app.bot(&panel).tell_new_link(telegram_id, &user.subscription_url).await;
            }
            ok(json!({ "ok": true, "status": user.status, "subscription_url": user.subscription_url,
                       "expire_at": user.expire_at.timestamp() }))
        }
        ActionOutcome::NoPanelUser => {
            Err(AppError::Refused { status: 409, reason: "the customer has no panel user" })
        }
        ActionOutcome::NoSuchCustomer => Err(AppError::NotFound),
    }
}

/// `POST /api/admin/payments/{id}/refund`: the bot's `/refund`, for any channel.
async fn refund(app: &App<'_>, admin: Admin, payment: i64) -> Result<(u16, Value), AppError> {
    let outcome =
        admin::refund(&app.config, &app.store, &app.jobs, &app.http, &RandomIds, payment, admin.0, now(app))
            .await
            .map_err(|e| unavailable("refund", &e))?;
    match outcome {
        RefundOutcome::Refunded { order } => ok(json!({ "ok": true, "status": "refunded", "order": order })),
        RefundOutcome::Requested { provider, refund_id } => ok(json!({
            "ok": true, "status": "requested", "provider": provider.code(), "refund": refund_id,
        })),
        RefundOutcome::NotFound => Err(AppError::NotFound),
        RefundOutcome::Refused(why) => Ok((409, json!({ "ok": false, "error": why }))),
        RefundOutcome::Failed(why) => Ok((502, json!({ "ok": false, "error": why }))),
    }
}

/// `PUT /api/admin/plans/{slug}`: the whole plan (see `shop::console` for what a price change
/// does to orders already made).
async fn edit_plan(
    req: &mut Request,
    app: &App<'_>,
    admin: Admin,
    slug: &str,
) -> Result<(u16, Value), AppError> {
    let body: PlanEditRequest = json_body(req).await?;
    let edit = match body.validate() {
        Ok(edit) => edit,
        Err(why) => return Ok((400, json!({ "ok": false, "error": why }))),
    };
    let done =
        app.store.edit_plan(slug, &edit, admin.0, now(app)).await.map_err(|e| unavailable("plan", &e))?;
    match done {
        None => Err(AppError::NotFound),
        Some((changed, plan)) => ok(json!({ "ok": true, "changed": changed, "plan": plan })),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromoBody {
    code: String,
    kind: String,
    value: u32,
    #[serde(default)]
    max_uses: Option<u32>,
    /// `YYYY-MM-DD`: the last day it can be redeemed (UTC).
    #[serde(default)]
    expires: Option<String>,
}

/// `POST /api/admin/promos`: the bot's `/promo_new`, with its rules.
async fn create_promo(req: &mut Request, app: &App<'_>, admin: Admin) -> Result<(u16, Value), AppError> {
    let body: PromoBody = json_body(req).await?;
    let words = [body.code.as_str(), body.kind.as_str(), body.expires.as_deref().unwrap_or("")];
    if words.iter().any(|w| w.contains(char::is_whitespace)) {
        return Ok((400, json!({ "ok": false, "error": "no spaces in the code, kind or date" })));
    }
    let mut args = format!("{} {} {}", body.code, body.kind, body.value);
    if let Some(uses) = body.max_uses {
        args.push_str(&format!(" {uses}"));
    }
    if let Some(date) = &body.expires {
        // Checked here: the command's parser would read a bare number as a count of uses.
        if console::day_start(date).is_none() {
            return Ok((400, json!({ "ok": false, "error": "expires is a YYYY-MM-DD date" })));
        }
        args.push_str(&format!(" {date}"));
    }
    let promo = match NewPromo::parse(&args) {
        Ok(promo) => promo,
        Err(why) => return Ok((400, json!({ "ok": false, "error": why }))),
    };
    let created =
        app.store.create_promo(&promo, admin.0, now(app)).await.map_err(|e| unavailable("promo", &e))?;
    if created {
        ok(json!({ "ok": true, "code": promo.code.as_str() }))
    } else {
        Ok((409, json!({ "ok": false, "error": "a code with that name exists" })))
    }
}

/// `POST /api/admin/promos/{code}/deactivate`.
async fn deactivate_promo(app: &App<'_>, admin: Admin, code: &str) -> Result<(u16, Value), AppError> {
    let code = PromoCode::parse(code).ok_or(AppError::NotFound)?;
    let done =
        app.store.deactivate_promo(&code, admin.0, now(app)).await.map_err(|e| unavailable("promo", &e))?;
    if done {
        ok(json!({ "ok": true }))
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BroadcastBody {
    /// The message as the bot's `/broadcast` takes it (HTML; a last line `button: Label | https://…`).
    text: String,
    #[serde(default)]
    audience: Option<String>,
    /// Only customers with this language (en, ru, hi, id).
    #[serde(default)]
    locale: Option<String>,
}

impl BroadcastBody {
    fn parse(self) -> Result<(Message, Audience, Option<String>), String> {
        let message = Message::parse(&self.text)?;
        let audience = match self.audience.as_deref() {
            None => Audience::All,
            Some(code) => Audience::parse(code).ok_or("audience is all, active, expired or never_paid")?,
        };
        let locale = match self.locale.as_deref() {
            None | Some("") => None,
            Some(code @ ("en" | "ru" | "hi" | "id")) => Some(code.to_string()),
            Some(_) => return Err("locale is en, ru, hi or id".into()),
        };
        Ok((message, audience, locale))
    }
}

/// `POST /api/admin/broadcasts/preview`: what would be sent and to how many (changes nothing).
pub async fn preview(mut req: Request, app: &App<'_>) -> Result<Response, AppError> {
    let body: BroadcastBody = json_body(&mut req).await?;
    let (message, audience, locale) = match body.parse() {
        Ok(parsed) => parsed,
        Err(why) => return Ok(json_response(400, &json!({ "ok": false, "error": why }))),
    };
    let counts = app
        .store
        .broadcast_counts(locale.as_deref(), now(app))
        .await
        .map_err(|e| unavailable("broadcast", &e))?;
    Ok(json_response(
        200,
        &json!({
            "ok": true, "text": message.text,
            "button": message.button.map(|(label, url)| json!({ "label": label, "url": url })),
            "audience": audience.code(), "recipients": counts.of(audience),
            "counts": { "all": counts.all, "active": counts.active, "expired": counts.expired,
                        "never_paid": counts.never_paid },
        }),
    ))
}

/// `POST /api/admin/broadcasts`: create and start at once; the growth issue's queue sends it.
async fn start_broadcast(req: &mut Request, app: &App<'_>, admin: Admin) -> Result<(u16, Value), AppError> {
    let body: BroadcastBody = json_body(req).await?;
    let (message, audience, locale) = match body.parse() {
        Ok(parsed) => parsed,
        Err(why) => return Ok((400, json!({ "ok": false, "error": why }))),
    };
    let now = now(app);
    let store = &app.store;
    let fail = |e: &dyn std::error::Error| unavailable("broadcast", e);
    let id = store.create_broadcast(admin.0, &message, now).await.map_err(|e| fail(&e))?;
    store.set_broadcast_filter(id, audience, locale.as_deref()).await.map_err(|e| fail(&e))?;
    // No control message to edit in a chat: progress is read from the console.
    let total = store.start_broadcast(id, (admin.0, 0), now).await.map_err(|e| fail(&e))?;
    let Some(total) = total else {
        return Ok((409, json!({ "ok": false, "error": "the broadcast could not start" })));
    };
    // Past this point the broadcast is started: a failure below must not make the request look
    // failed (it would be sent again). A batch that was never queued is picked up by the hourly
    // cron's stalled-broadcast check.
    let queued = total == 0 || app.jobs.enqueue(&Job::Broadcast { id, job: 1 }).await.is_ok();
    let after = json!({ "audience": audience.code(), "locale": locale, "total": total });
    let actor = format!("admin:{}", admin.0);
    let details = json!({ "before": null, "after": after });
    if let Err(e) =
        store.record_audit(&actor, "broadcast.start", &format!("broadcast:{id}"), details, now).await
    {
        app.scope.error("admin.audit_failed", json!({ "broadcast": id, "error": e.to_string() }));
    }
    ok(json!({ "ok": true, "id": id, "total": total, "queued": queued }))
}

/// `POST /api/admin/broadcasts/{id}/cancel`.
async fn cancel_broadcast(app: &App<'_>, admin: Admin, id: i64) -> Result<(u16, Value), AppError> {
    let now = now(app);
    let done = app.store.cancel_broadcast(id, now).await.map_err(|e| unavailable("broadcast", &e))?;
    if !done {
        return Ok((409, json!({ "ok": false, "error": "not sending" })));
    }
    let (actor, subject) = (format!("admin:{}", admin.0), format!("broadcast:{id}"));
    let details = json!({ "before": { "status": "sending" }, "after": { "status": "cancelled" } });
    let audit = app.store.record_audit(&actor, "broadcast.cancel", &subject, details, now);
    audit.await.map_err(|e| unavailable("broadcast", &e))?;
    ok(json!({ "ok": true }))
}
