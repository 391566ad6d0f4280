//! `POST /api/checkout {plan, method}`: the checkout the web cabinet and the Mini App call.
//!
//! Until the cabinet's sessions land (the web issue), the session is the bot user's own Mini
//! App `initData` in `Authorization: tma <initData>`, verified with the bot token and at most a
//! day old: 401 otherwise. The customer must have started the bot (404 otherwise). The methods
//! are the provider channels offered for the plan (Stars is paid inside Telegram: the bot's
//! invoice); anything else is 400 and stores nothing. The same `shop::checkout::open` as the
//! bot's pay buttons: a pending order at exactly the plan's price, the provider object attached.
//!
//! ```text
//! POST /api/checkout {"plan":"monthly","method":"razorpay"}  Authorization: tma <initData>
//! → 200 {"order":"ab12…","amount":16900,"currency":"INR","price":"₹169","payUrl":"https://rzp.io/…",
//!        "qrString":null,"expiresAt":"2026-12-05T12:30:00Z"}
//! ```

use serde::Deserialize;
use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::shop::catalog::{PayMethod, PlanSlug};
use wavegate_shared::shop::checkout::{self, Buyer, CheckoutError};
use wavegate_shared::shop::store::{ShopStore, UserStore};
use wavegate_shared::telegram::webapp;
use worker::{Env, Request, Response};

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
    let now = app.clock.now().timestamp();
    let auth = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    let init_data = auth.strip_prefix("tma ").ok_or(AppError::Unauthorized)?;
    let signed_in = webapp::verify(init_data, app.config.telegram.bot_token.expose(), now)
        .map_err(|_| AppError::Unauthorized)?;
    let body = super::read_body(&mut req).await?;
    let wanted: CheckoutBody =
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let (Some(slug), Some(method)) = (PlanSlug::parse(&wanted.plan), PayMethod::parse(&wanted.method)) else {
        return Err(AppError::Refused { status: 400, reason: "unknown plan or method" });
    };
    let unavailable =
        |e: &dyn std::error::Error| AppError::Unavailable { context: "checkout", message: log::chain(e) };
    let telegram_id = TelegramUserId::parse(signed_in.id).map_err(|_| AppError::Unauthorized)?;
    let Some(user) = app.store.find_user(telegram_id).await.map_err(|e| unavailable(&e))? else {
        return Err(AppError::Refused { status: 404, reason: "unknown customer: open the bot first" });
    };
    let plans = app.store.active_plans().await.map_err(|e| unavailable(&e))?;
    let Some(plan) = plans.iter().find(|p| p.slug == slug) else {
        return Err(AppError::Refused { status: 404, reason: "no such plan on sale" });
    };
    let buyer = Buyer { user_id: user.id, telegram_id: signed_in.id, chat_id: signed_in.id };
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
    let expires_at = chrono::DateTime::from_timestamp(opened.object.expires_at, 0).map(|t| t.to_rfc3339());
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
