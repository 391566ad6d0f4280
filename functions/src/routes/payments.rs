//! `POST /webhooks/razorpay`, `/webhooks/xendit`, `/webhooks/cryptopay`: size limit (413) →
//! authenticate on the raw bytes (401, nothing else happens) → parse (400; a well-formed event
//! the shop does not use is 200 and logged) → `shop::channel::receive`, which dedupes on the
//! provider's payment id, finds the order by the provider object, checks amount and currency
//! and accepts → 200 fast. A failure worth retrying (D1, the queue) is 503: the provider
//! redelivers, and the payment id makes that safe.
//!
//! ```text
//! razorpay: payment_link.paid (pay_Y) → 200 {"outcome":"applied"}  customer: "✅ Payment received!"
//! razorpay: payment.captured  (pay_Y) → 200 {"outcome":"duplicate"}
//! xendit:   bad x-callback-token      → 401
//! ```

use serde_json::json;
use wavegate_shared::clock::Clock;
use wavegate_shared::providers::{cryptopay, razorpay, xendit, WebhookError};
use wavegate_shared::shop::catalog::Provider;
use wavegate_shared::shop::channel::{receive, Received};
use wavegate_shared::shop::payment::Accepted;
use wavegate_shared::shop::ports::{Notifier, Recipient};
use worker::{Env, Request, Response};

use crate::adapters::RandomIds;
use crate::app::App;
use crate::error::{json_response, AppError};
use crate::log::{self, Scope};

pub async fn webhook(
    provider: Provider,
    mut req: Request,
    env: &Env,
    scope: &Scope,
) -> Result<Response, AppError> {
    let app = App::new(env, scope.clone()).map_err(AppError::from)?;
    let body = super::read_body(&mut req).await?;
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    // A channel without keys is off: nothing can authenticate.
    let verified =
        match provider {
            Provider::Razorpay => app.config.razorpay.as_ref().is_some_and(|c| {
                razorpay::verify(c.webhook_secret.expose(), &body, &header("X-Razorpay-Signature"))
            }),
            Provider::Xendit => app
                .config
                .xendit
                .as_ref()
                .is_some_and(|c| xendit::verify(c.callback_token.expose(), &header("x-callback-token"))),
            Provider::CryptoPay => app.config.cryptopay.as_ref().is_some_and(|c| {
                cryptopay::verify(c.token.expose(), &body, &header("crypto-pay-api-signature"))
            }),
            Provider::Stars => false,
        };
    if !verified {
        app.scope.warn(
            "payment.webhook",
            json!({ "provider": provider.code(), "outcome": "rejected", "reason": "signature" }),
        );
        return Err(AppError::Unauthorized);
    }
    let parsed = match provider {
        Provider::Razorpay => razorpay::parse(&body),
        Provider::Xendit => xendit::parse(&body),
        _ => cryptopay::parse(&body),
    };
    let event = parsed.map_err(|e| match e {
        WebhookError::Malformed(why) => AppError::BadRequest(why),
        WebhookError::Unauthorized => AppError::Unauthorized,
    })?;
    let now = app.clock.now().timestamp();
    let received = receive(&app.store, &app.jobs, &RandomIds, provider, event, now)
        .await
        .map_err(|e| AppError::Unavailable { context: "payment webhook", message: log::chain(&e) })?;
    let outcome = match &received {
        Received::Accepted(Accepted::Applied { invoiced: Some(order), .. }) => {
            // The provider confirmed: tell the customer now (best effort; the link follows from
            // provisioning, queued already).
            let to = Recipient {
                telegram_id: order.telegram_id,
                chat_id: order.telegram_id,
                locale: order.locale.clone(),
                language_code: order.language_code.clone(),
            };
            if let Err(e) = app.notifier().payment_received(&to).await {
                app.scope.warn(
                    "payment.notice",
                    json!({ "provider": provider.code(), "outcome": "not sent", "error": e.to_string() }),
                );
            }
            "applied"
        }
        Received::Accepted(Accepted::Applied { .. }) => "refund applied",
        Received::Accepted(Accepted::Duplicate { .. }) => "duplicate",
        Received::Accepted(Accepted::Unmatched { .. }) => "unmatched",
        Received::Accepted(Accepted::AlreadyRefunded { .. }) => "arrived after its refund",
        Received::Unreadable { .. } => "unreadable",
        Received::Ignored(_) => "ignored",
    };
    let mut line = json!({ "provider": provider.code(), "outcome": outcome });
    if let Received::Ignored(event) = &received {
        line["event"] = json!(event);
    }
    if let Received::Accepted(Accepted::Unmatched { reason, .. }) = &received {
        line["reason"] = json!(reason);
    }
    app.scope.info("payment.webhook", app.with_costs(line));
    if let Received::Accepted(Accepted::Applied { invoiced: Some(order), .. }) = &received {
        let price = order.price;
        crate::telemetry::point(
            env,
            &["payment", provider.code(), price.currency().code()],
            price.minor() as f64,
        );
    }
    Ok(json_response(200, &json!({ "ok": true, "outcome": outcome })))
}
