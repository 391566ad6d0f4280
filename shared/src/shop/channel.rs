//! Money from the providers' webhooks (Razorpay, Xendit, Crypto Pay) into the one pipeline:
//! a verified, parsed [`ChannelEvent`] becomes a [`PaymentEvent`] for [`accept`], with the
//! order found by the provider object it paid.
//!
//! ```text
//! Paid { key pay_Y, object plink_X, order ab12…, ₹169 }
//!   → the order attached to plink_X (ab12…; a reference naming another order matches none)
//!   → accept(razorpay, pay_Y, ab12…, ₹169)  → Applied / Duplicate / Unmatched (short, other
//!     currency, unknown order: recorded, admins told, never provisioned)
//! Refunded { payment pay_Y, ₹169 } → accept(… Refund) → the days taken back by the refund rule
//! Paid with an amount we cannot read (another currency, a crypto-asset invoice)
//!   → recorded once as unmatched, admins told
//! Paid naming neither object nor order (Razorpay's payment.captured for a link)
//!   → a duplicate if its key is known, else ignored: the link's own event names the order
//! ```

use serde_json::json;

use super::catalog::Provider;
use super::order::OrderId;
use super::payment::{
    accept, alert_once, idempotency_key, Accepted, PaymentEvent, PaymentKey, PaymentKind, Unmatched,
};
use super::ports::{Ids, Job, Jobs};
use super::store::{ShopStore, StoreError};
use crate::config::Config;
use crate::http::HttpClient;
use crate::providers::gateway::Gateway;
use crate::providers::{ChannelEvent, ChannelPayment};

/// What receiving a webhook did.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    Accepted(Accepted),
    /// Money whose amount, currency or key the shop cannot express: recorded and alerted once.
    Unreadable {
        first: bool,
    },
    /// A well-formed event the shop does not act on.
    Ignored(String),
}

pub async fn receive<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    ids: &dyn Ids,
    provider: Provider,
    event: ChannelEvent,
    now: i64,
) -> Result<Received, StoreError> {
    match event {
        ChannelEvent::Ignored { event } => Ok(Received::Ignored(event)),
        ChannelEvent::Paid(paid) => {
            let (Some(key), Some(amount)) = (PaymentKey::parse(&paid.key), paid.amount) else {
                return unreadable(store, jobs, provider, &paid.key, "payment", paid.reported, now).await;
            };
            let order = order_of(store, provider, &paid).await?;
            if order.is_none() && paid.object_id.is_none() && paid.order.is_none() {
                // Razorpay's `payment.captured` for a payment link names neither the link nor our
                // order (its notes are `[]`): the `payment_link.paid` for the same payment does.
                // Known already: a duplicate; not yet: wait for the event that names the order
                // (the hourly reconciliation asks the provider if it never comes). Never an alert.
                let known = store.known_payments(&[idempotency_key(provider, &key)]).await?;
                return Ok(match known.first() {
                    Some(_) => Received::Accepted(Accepted::Duplicate { order: None }),
                    None => Received::Ignored(
                        "payment without a reference (its link event names the order)".into(),
                    ),
                });
            }
            let event = PaymentEvent {
                provider,
                key,
                order,
                payer: None,
                chat_id: None,
                amount,
                kind: PaymentKind::Payment {
                    recurring: false,
                    subscription_expires_at: None,
                    provider_reference: paid.object_id,
                },
                now,
            };
            Ok(Received::Accepted(accept(store, jobs, ids, &event).await?))
        }
        ChannelEvent::Refunded(mut refund) => {
            if refund.payment_key.is_empty() {
                if let Some(object) = &refund.object_id {
                    refund.payment_key = store.payment_of_object(provider, object).await?.unwrap_or_default();
                }
            }
            let (Some(key), Some(amount)) = (PaymentKey::parse(&refund.payment_key), refund.amount) else {
                return unreadable(store, jobs, provider, &refund.refund_id, "refund", refund.reported, now)
                    .await;
            };
            let event = PaymentEvent {
                provider,
                key,
                order: None,
                payer: None,
                chat_id: None,
                amount,
                kind: PaymentKind::Refund { refund_id: Some(refund.refund_id) },
                now,
            };
            Ok(Received::Accepted(accept(store, jobs, ids, &event).await?))
        }
    }
}

/// The order a payment is for: the one its provider object is attached to. The reference the
/// provider echoes (our order id) is used when the object is not named (Razorpay's
/// `payment.captured`); when both are there and disagree, the payment matches no order.
async fn order_of<S: ShopStore>(
    store: &S,
    provider: Provider,
    paid: &ChannelPayment,
) -> Result<Option<OrderId>, StoreError> {
    let by_object = match &paid.object_id {
        Some(id) => store.order_by_external(provider, id).await?,
        None => None,
    };
    Ok(match (by_object, &paid.order) {
        (Some(order), Some(reference)) if &order.public_id != reference => None,
        (Some(order), _) => OrderId::parse(&order.public_id),
        (None, Some(reference)) => OrderId::parse(reference),
        (None, None) => None,
    })
}

/// Money we cannot express: an audit row and one admin alert per provider id. If the alert
/// cannot be queued the report is released, so the provider's redelivery reports it again.
async fn unreadable<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    provider: Provider,
    id: &str,
    what: &str,
    reported: serde_json::Value,
    now: i64,
) -> Result<Received, StoreError> {
    // Keys are printable ASCII; anything else is bounded and escaped for the audit row.
    let shown: String = id.chars().take(200).collect();
    let key = format!("{}:unreadable:{}", provider.code(), shown.escape_default());
    let details = json!({ "provider": provider.code(), "id": shown, "what": what, "reported": reported,
                          "reason": "an amount, currency or id the shop cannot read" });
    let report =
        Unmatched { idempotency_key: key.clone(), provider, details: details.clone(), fail_order: None, now };
    let first = store.record_unmatched(&report).await?;
    if first {
        let text = format!(
            "⚠️ A {provider} {what} could not be read, so nothing was recorded or provisioned: {details}"
        );
        if let Err(e) = jobs.enqueue(&Job::AdminAlert { text }).await {
            let _ = store.release_unmatched(&key).await;
            return Err(e);
        }
    }
    Ok(Received::Unreadable { first })
}

/// How many checkouts the hourly reconciliation asks about per run: one provider call each,
/// well inside the 50 subrequests of an invocation with the cron's other work.
pub const RECONCILE_LIMIT: u32 = 20;

/// What the reconciliation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub checked: u32,
    pub recovered: u32,
    /// The provider could not be asked (down, refused): tried again next hour while in the window.
    pub unanswered: u32,
}

/// Asks the providers about checkouts that closed in the last two hours without a payment: a
/// payment whose webhook never came is fed to the pipeline like the webhook would have been
/// (exactly once: the payment id is the key), and the admins are told it was recovered.
pub async fn reconcile<S: ShopStore, J: Jobs, H: HttpClient>(
    config: &Config,
    store: &S,
    jobs: &J,
    http: &H,
    ids: &dyn Ids,
    now: i64,
) -> Result<Reconciled, StoreError> {
    let mut done = Reconciled::default();
    let gateway = Gateway::new(config, http);
    for (provider, order, object) in
        store.closed_checkouts(now - 2 * 3600 - 600, now, RECONCILE_LIMIT).await?
    {
        done.checked += 1;
        let paid = match gateway.paid(provider, &object).await {
            Ok(Some(paid)) => paid,
            Ok(None) => continue,
            Err(_) => {
                done.unanswered += 1;
                continue;
            }
        };
        let key = paid.key.clone();
        if let Received::Accepted(Accepted::Applied { .. }) =
            receive(store, jobs, ids, provider, ChannelEvent::Paid(paid), now).await?
        {
            done.recovered += 1;
            let text = format!("ℹ️ A {provider} payment ({key}) for order {order} was recovered by the hourly check: its webhook never arrived. Check the webhook settings in the {provider} dashboard.");
            alert_once(store, jobs, &format!("recovered:{provider}:{key}"), text, now).await?;
        }
    }
    Ok(done)
}
