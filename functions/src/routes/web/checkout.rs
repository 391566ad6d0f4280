//! `POST /api/checkout {plan, method}`: the checkout the web cabinet and the Mini App call.
//!
//! The session is the cabinet's cookie, or the Mini App's own `initData` in
//! `Authorization: tma <initData>` (verified with the bot token, at most a day old): 401
//! otherwise. The customer must have started the bot (404 otherwise). The same functions as the
//! bot's pay buttons: a pending order at exactly the plan's price (less a promo discount held),
//! then either the provider's object (`shop::checkout::open`) or, for Stars, an invoice link
//! the Mini App opens with `openInvoice` (`shop::checkout::stars_order`). A method not offered
//! for the plan is 400 and stores nothing.
//!
//! ```text
//! POST /api/checkout {"plan":"monthly","method":"razorpay"}
//! → 200 {"order":"ab12…","amount":16900,"currency":"INR","price":"₹169","payUrl":"https://rzp.io/…",
//!        "qrString":null,"expiresAt":"2026-12-05T12:30:00Z"}
//! POST /api/checkout {"plan":"monthly","method":"stars"}
//! → 200 {"order":"cd34…","amount":100,"currency":"XTR","price":"⭐100","invoiceUrl":"https://t.me/$…"}
//! ```

use serde::Deserialize;
use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::shop::catalog::{PayMethod, PlanSlug};
use wavegate_shared::shop::checkout::{self, Buyer, CheckoutError};
use wavegate_shared::shop::store::{ShopStore, UserStore};
use worker::{Env, Request, Response};

use wavegate_bot::buy::invoice_texts;
use wavegate_shared::i18n::Texts;
use wavegate_shared::shop::catalog::Plan;
use wavegate_shared::shop::stars::payload;
use wavegate_shared::shop::store::BotUser;
use wavegate_shared::telegram::BotApi;

use crate::adapters::RandomIds;
use crate::app::App;
use crate::error::{json_response, AppError};
use crate::log::{self, Scope};

#[derive(Deserialize)]
struct CheckoutBody {
    plan: String,
    method: String,
}

pub async fn checkout(mut req: Request, env: &Env, scope: &Scope) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone()).map_err(AppError::from)?;
    super::check_origin(&req, &app.config)?;
    let now = app.clock.now().timestamp();
    let (buyer_id, _) = super::caller(&req, &app).await?;
    // Each checkout makes an order and an object at a provider or Telegram: a loop must not.
    super::auth::rate_limit(env, format!("checkout:{buyer_id}"), &app).await?;
    let body = crate::routes::read_body(&mut req).await?;
    let wanted: CheckoutBody =
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let (Some(slug), Some(method)) = (PlanSlug::parse(&wanted.plan), PayMethod::parse(&wanted.method)) else {
        return Err(AppError::Refused { status: 400, reason: "unknown plan or method" });
    };
    let unavailable =
        |e: &dyn std::error::Error| AppError::Unavailable { context: "checkout", message: log::chain(e) };
    let telegram_id = TelegramUserId::parse(buyer_id).map_err(|_| AppError::Unauthorized)?;
    let Some(user) = app.store.find_user(telegram_id).await.map_err(|e| unavailable(&e))? else {
        return Err(AppError::Refused { status: 404, reason: "unknown customer: open the bot first" });
    };
    let plans = app.store.active_plans().await.map_err(|e| unavailable(&e))?;
    let Some(plan) = plans.iter().find(|p| p.slug == slug) else {
        return Err(AppError::Refused { status: 404, reason: "no such plan on sale" });
    };
    let buyer = Buyer { user_id: user.id, telegram_id: buyer_id, chat_id: buyer_id };
    if matches!(method, PayMethod::Stars | PayMethod::StarsSubscription) {
        return stars(&app, &user, buyer, plan, method, now).await;
    }
    let description = format!("{} · {} days", plan.name, plan.days);
    let opened = checkout::open(
        &app.config,
        &app.store,
        &app.jobs,
        &app.http,
        &RandomIds,
        buyer,
        plan,
        method,
        false,
        &description,
        now,
    )
    .await;
    let opened = match opened {
        Ok(opened) => opened,
        Err(CheckoutError::NotOffered) => {
            return Err(AppError::Refused { status: 400, reason: "method not offered for this plan" })
        }
        Err(CheckoutError::TooMany) => {
            return Err(AppError::Refused {
                status: 429,
                reason: "too many checkouts: pay one, or try again in a few minutes",
            })
        }
        Err(CheckoutError::Store(e)) => return Err(unavailable(&e)),
        Err(CheckoutError::Provider(e)) if e.is_retryable() => return Err(unavailable(&e)),
        Err(CheckoutError::Provider(e)) => {
            app.scope.warn(
                "checkout.refused",
                json!({ "provider": method.provider().code(), "outcome": "refused", "error": e.to_string() }),
            );
            return Err(AppError::Refused {
                status: 502,
                reason: "the payment provider refused the checkout",
            });
        }
    };
    let expires_at = wavegate_shared::subscription::utc_iso_seconds(opened.object.expires_at);
    app.scope.info(
        "checkout.opened",
        json!({ "provider": method.provider().code(), "order": opened.order.as_str(), "outcome": "opened" }),
    );
    Ok(json_response(
        200,
        &json!({
            "order": opened.order.as_str(), "amount": opened.price.minor(), "currency": opened.price.currency().code(),
            "price": opened.price.to_string(), "payUrl": opened.object.pay_url, "qrString": opened.object.qr_string,
            "expiresAt": expires_at,
        }),
    ))
}

/// Stars: the pending order, then a `createInvoiceLink` link for it (a subscription link for
/// `starsub`). The order is paid through the same pre-checkout and payment as the bot's.
async fn stars(
    app: &App<'_>,
    user: &BotUser,
    buyer: Buyer,
    plan: &Plan,
    method: PayMethod,
    now: i64,
) -> Result<Response, AppError> {
    let order =
        match checkout::stars_order(&app.config, &app.store, &RandomIds, buyer, plan, method, false, now)
            .await
        {
            Ok(order) => order,
            Err(CheckoutError::Store(e)) => return Err(super::unavailable("checkout", &e)),
            Err(_) => {
                return Err(AppError::Refused { status: 400, reason: "method not offered for this plan" })
            }
        };
    let texts = Texts::new(user.language());
    let words = invoice_texts(texts, plan, false);
    let payload = payload(&order.public_id);
    let invoice = words.invoice(&payload, order.price.minor());
    let api = BotApi::new(&app.http, &app.config.telegram.api_base, app.config.telegram.bot_token.expose());
    let link = match api.create_invoice_link(&invoice, order.subscription).await {
        Ok(link) => link,
        Err(e) => {
            // Never leave a pending order behind an invoice nobody can open.
            let _ = app.store.cancel_order(order.public_id.as_str(), now).await;
            return Err(super::unavailable("telegram", &e));
        }
    };
    app.scope.info(
        "checkout.opened",
        json!({ "provider": "telegram_stars", "order": order.public_id.as_str(), "outcome": "opened" }),
    );
    Ok(json_response(
        200,
        &json!({ "order": order.public_id.as_str(), "amount": order.price.minor(), "currency": "XTR",
                 "price": order.price.to_string(), "invoiceUrl": link }),
    ))
}
