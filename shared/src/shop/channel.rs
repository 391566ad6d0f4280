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
//! ```

use serde_json::json;

use super::catalog::Provider;
use super::order::OrderId;
use super::payment::{accept, Accepted, PaymentEvent, PaymentKey, PaymentKind, Unmatched};
use super::ports::{Ids, Job, Jobs};
use super::store::{ShopStore, StoreError};
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
        ChannelEvent::Refunded(refund) => {
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
                kind: PaymentKind::Refund,
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
