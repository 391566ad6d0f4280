//! The one way money enters the shop: [`accept`]. Every channel — Telegram Stars today,
//! Razorpay, Xendit and Crypto Pay next — parses and verifies its provider's message, builds a
//! [`PaymentEvent`] and calls it; nothing else records a payment or a refund.
//!
//! ```text
//! stars webhook:  successful_payment(charge stx1, ⭐100, payload order:ab12…, from 42)
//!   → accept(PaymentEvent { provider: stars, key: "stx1", order: ab12…, payer: 42, ⭐100, Payment })
//!   → order found, payer/provider/amount match → payment row "stars:stx1" + order paid (one batch)
//!   → queue Provision(ab12…)                                           → Applied { order: ab12… }
//! the same update again                                                → Duplicate (re-queues Provision)
//! refunded_payment(charge stx1, ⭐100)
//!   → accept(… Refund) → payment and order refunded (one batch) → queue TakeBack → Applied
//! ```
//!
//! Refund rule (a business decision, also in docs/ARCHITECTURE.md): a full refund takes back
//! the unused part of that order's own period — never days other orders bought, never days
//! already used; an order whose period is over loses nothing. A refund that arrives before its
//! payment is kept; when the payment arrives it is recorded as refunded and not provisioned,
//! and the admins are told. A partial refund changes no days: it is recorded and the admins
//! decide.

use serde_json::{json, Value};

use crate::money::Money;

use super::catalog::Provider;
use super::order::{payment_matches, Mismatch, OrderId, OrderView};
use super::ports::{Ids, Job, Jobs};
use super::referral;
use super::store::{ShopStore, StoreError};
use crate::subscription::OrderEvent;

/// The provider's id for one payment (Stars charge id, Razorpay payment id, Xendit or Crypto
/// Pay invoice id): what makes a redelivery a replay. Any non-empty printable ASCII without
/// spaces: Telegram documents no length for a charge id (long ones are seen in production), so
/// the bound is only a sanity limit far above any real id; refusing a real one would leave paid
/// money to the admins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PaymentKey(String);

impl PaymentKey {
    pub const MAX_LEN: usize = 4096;

    pub fn parse(raw: &str) -> Option<PaymentKey> {
        let valid =
            !raw.is_empty() && raw.len() <= Self::MAX_LEN && raw.bytes().all(|b| b.is_ascii_graphic());
        valid.then(|| PaymentKey(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PaymentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for PaymentKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Money moving, as a channel reports it after verifying it.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentEvent {
    pub provider: Provider,
    /// The provider's id for this money (Stars charge id, Razorpay payment id, Xendit or
    /// Crypto Pay invoice id): the idempotency key, unique per provider.
    pub key: PaymentKey,
    /// The order the payment claims (from the invoice payload or the provider's reference).
    pub order: Option<OrderId>,
    /// The payer's Telegram id, when the provider names one.
    pub payer: Option<i64>,
    /// Where to tell the customer, when the channel knows.
    pub chat_id: Option<i64>,
    /// What was paid, or for a refund what was refunded.
    pub amount: Money,
    pub kind: PaymentKind,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PaymentKind {
    Payment {
        /// A renewal of a recurring subscription (Stars subscriptions).
        recurring: bool,
        /// When the provider's subscription period ends, if it has one.
        subscription_expires_at: Option<i64>,
        /// The provider's second id for the same money, if any (Stars: the provider charge id).
        provider_reference: Option<String>,
    },
    /// `refund_id`: the provider's id for this refund, when it has one (a payment may be
    /// refunded in parts, each its own record).
    Refund { refund_id: Option<String> },
}

/// What accepting an event did.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// New money on this order (provisioning queued), or a refund applied (take-back queued).
    /// For a payment, `invoiced` is the order the payment named (its customer's language
    /// tells the channel how to answer without another read).
    Applied { order: String, invoiced: Option<Box<OrderView>> },
    /// Seen before: nothing changed (provisioning is queued again, harmlessly).
    Duplicate { order: Option<String> },
    /// The money matches no order we offered, or cannot be applied as is: recorded in the
    /// audit log, the admins alerted — once per key (`first` is false on replays).
    Unmatched { reason: String, first: bool },
    /// A payment whose refund arrived first: recorded as refunded, not provisioned.
    AlreadyRefunded { order: String },
}

/// A payment to record, after the checks against its order passed.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRecord {
    pub order: OrderView,
    pub provider: Provider,
    /// `<provider>:<key>`, the `payments.idempotency_key`.
    pub idempotency_key: String,
    pub external_id: String,
    pub provider_reference: Option<String>,
    pub amount: Money,
    pub recurring: bool,
    pub chat_id: Option<i64>,
    pub subscription_expires_at: Option<i64>,
    pub now: i64,
}

/// What recording a payment did.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentRecorded {
    /// New money: this order (the invoiced one, or a repeat order made for it) is now paid.
    Applied { order_public_id: String },
    /// This key was recorded before; nothing changed. `state` says what it became.
    Duplicate { order_public_id: String, state: RecordedState },
    /// Its refund arrived first: the payment and its order are recorded as refunded.
    RefundedEarly { order_public_id: String },
}

/// What a payment recorded before has become (for what a replay must still do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedState {
    /// Paid (provisioned or not yet): provisioning is queued again, harmlessly.
    Live,
    /// Refunded after it was paid: nothing left to do.
    Refunded,
    /// It arrived after its own refund: the admins must have been told.
    RefundedEarly,
}

/// A refund to record.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundRecord {
    pub provider: Provider,
    pub refund_id: Option<String>,
    pub idempotency_key: String,
    pub amount: Money,
    pub now: i64,
}

/// What recording a refund did.
#[derive(Debug, Clone, PartialEq)]
pub enum RefundRecorded {
    Applied {
        order_public_id: String,
    },
    /// Recorded before. `take_back` names the order if its days may still be on the panel:
    /// the first delivery may have stopped before the take-back was queued.
    Duplicate {
        take_back: Option<String>,
    },
    /// No payment with this key yet: the refund is kept for when it arrives.
    Early {
        first: bool,
    },
    /// Less than was paid: recorded, no days change.
    Partial {
        order_public_id: String,
        first: bool,
    },
}

/// Money that matches no order, to report once.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmatched {
    pub idempotency_key: String,
    pub provider: Provider,
    pub details: Value,
    /// A pending order the money named: marked failed for an admin to handle.
    pub fail_order: Option<i64>,
    pub now: i64,
}

pub fn idempotency_key(provider: Provider, key: &PaymentKey) -> String {
    format!("{}:{key}", provider.code())
}

/// Records money once, keyed on the provider's id, and queues what follows from it.
pub async fn accept<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    ids: &dyn Ids,
    event: &PaymentEvent,
) -> Result<Accepted, StoreError> {
    let key = idempotency_key(event.provider, &event.key);
    match &event.kind {
        PaymentKind::Payment { recurring, subscription_expires_at, provider_reference } => {
            let order = match &event.order {
                Some(id) => store.order(id.as_str()).await?,
                None => None,
            };
            let checked = match &order {
                Some(order) => payment_matches(order, event.provider, event.payer, event.amount),
                None => Err(Mismatch::NoSuchOrder),
            };
            let order = match (order, checked) {
                (Some(order), Ok(())) => order,
                (order, checked) => {
                    let reason = checked.err().unwrap_or(Mismatch::NoSuchOrder).as_str();
                    return unmatched(store, jobs, event, &key, order.as_ref(), reason).await;
                }
            };
            let invoiced = Box::new(order.clone());
            let record = PaymentRecord {
                order,
                provider: event.provider,
                idempotency_key: key.clone(),
                external_id: event.key.to_string(),
                provider_reference: provider_reference.clone(),
                amount: event.amount,
                recurring: *recurring,
                chat_id: event.chat_id,
                subscription_expires_at: *subscription_expires_at,
                now: event.now,
            };
            match store.record_payment(&record, &ids.order_id()).await? {
                PaymentRecorded::Applied { order_public_id } => {
                    jobs.enqueue(&Job::Provision { order: order_public_id.clone() }).await?;
                    referral::reward(store, jobs, &key, event.now).await?;
                    Ok(Accepted::Applied { order: order_public_id, invoiced: Some(invoiced) })
                }
                PaymentRecorded::Duplicate { order_public_id, state } => match state {
                    RecordedState::Live => {
                        // Re-queue in case the first delivery stopped before queueing;
                        // provisioning an order twice changes nothing, and so does granting a
                        // referral reward twice.
                        jobs.enqueue(&Job::Provision { order: order_public_id.clone() }).await?;
                        referral::reward(store, jobs, &key, event.now).await?;
                        Ok(Accepted::Duplicate { order: Some(order_public_id) })
                    }
                    RecordedState::Refunded => Ok(Accepted::Duplicate { order: Some(order_public_id) }),
                    // The first delivery may have failed before its alert was queued.
                    RecordedState::RefundedEarly => {
                        arrived_refunded(store, jobs, event, &key, &order_public_id).await?;
                        Ok(Accepted::AlreadyRefunded { order: order_public_id })
                    }
                },
                PaymentRecorded::RefundedEarly { order_public_id } => {
                    arrived_refunded(store, jobs, event, &key, &order_public_id).await?;
                    Ok(Accepted::AlreadyRefunded { order: order_public_id })
                }
            }
        }
        PaymentKind::Refund { refund_id } => {
            let refund = RefundRecord {
                provider: event.provider,
                refund_id: refund_id.clone(),
                idempotency_key: key.clone(),
                amount: event.amount,
                now: event.now,
            };
            match store.record_refund(&refund).await? {
                RefundRecorded::Applied { order_public_id } => {
                    jobs.enqueue(&Job::TakeBack { order: order_public_id.clone() }).await?;
                    referral::reverse(store, jobs, &order_public_id, event.now).await?;
                    Ok(Accepted::Applied { order: order_public_id, invoiced: None })
                }
                RefundRecorded::Duplicate { take_back: Some(order_public_id) } => {
                    // Taking back twice changes nothing: the job finds the order reverted; the
                    // rewards' reversal is the same once done.
                    jobs.enqueue(&Job::TakeBack { order: order_public_id.clone() }).await?;
                    referral::reverse(store, jobs, &order_public_id, event.now).await?;
                    Ok(Accepted::Duplicate { order: Some(order_public_id) })
                }
                RefundRecorded::Duplicate { take_back: None } => Ok(Accepted::Duplicate { order: None }),
                RefundRecorded::Early { .. } => {
                    let reason =
                        "refund for a payment not received yet; kept for when it arrives".to_string();
                    let text = format!(
                        "⚠️ A {} refund arrived before its payment ({}, {}). It is kept: when the payment arrives it will not be provisioned.",
                        event.provider, event.key, event.amount
                    );
                    let first =
                        alert_once(store, jobs, &format!("refund_early:{key}"), text, event.now).await?;
                    Ok(Accepted::Unmatched { reason, first })
                }
                RefundRecorded::Partial { order_public_id, .. } => {
                    let text = format!(
                        "⚠️ A partial {} refund ({}) for order {order_public_id} was recorded; no days were taken back. Adjust the subscription by hand if needed.",
                        event.provider, event.amount
                    );
                    let name = format!("refund_partial:{key}:{}", refund_id.as_deref().unwrap_or_default());
                    let first = alert_once(store, jobs, &name, text, event.now).await?;
                    Ok(Accepted::Unmatched { reason: "partial refund".into(), first })
                }
            }
        }
    }
}

/// Tells the admins about a payment that arrived after its own refund, once.
async fn arrived_refunded<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    event: &PaymentEvent,
    key: &str,
    order: &str,
) -> Result<bool, StoreError> {
    let text = format!(
        "⚠️ A {} payment arrived after its own refund; it was recorded as refunded and nothing was provisioned. Order {order}, key {}.",
        event.provider, event.key
    );
    alert_once(store, jobs, &format!("arrived_refunded:{key}"), text, event.now).await
}

/// Queues an admin alert once per `name`. The claim is released if the alert cannot be
/// queued, so the provider's redelivery (the error makes it retry) sends it: an alert is
/// neither lost nor sent twice. `false` if it was sent before.
pub async fn alert_once<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    name: &str,
    text: String,
    now: i64,
) -> Result<bool, StoreError> {
    if !store.claim_alert(name, now).await? {
        return Ok(false);
    }
    if let Err(e) = jobs.enqueue(&Job::AdminAlert { text }).await {
        let _ = store.release_alert(name).await;
        return Err(e);
    }
    Ok(true)
}

/// Records money that matches no order (audit row, the pending order it named failed) and
/// alerts the admins, once per key. If the alert cannot be queued the report is released, so
/// the provider's redelivery reports it again: the alert is never lost.
async fn unmatched<S: ShopStore, J: Jobs>(
    store: &S,
    jobs: &J,
    event: &PaymentEvent,
    key: &str,
    order: Option<&OrderView>,
    reason: &str,
) -> Result<Accepted, StoreError> {
    let details = json!({
        "provider": event.provider.code(), "key": event.key, "payer": event.payer,
        "amount": event.amount.minor(), "currency": event.amount.currency().code(),
        "order": event.order.as_ref().map(OrderId::as_str), "reason": reason,
    });
    let fail_order = order.filter(|o| o.status.apply(OrderEvent::PaymentMismatched).is_ok()).map(|o| o.id);
    let report = Unmatched {
        idempotency_key: key.to_string(),
        provider: event.provider,
        details: details.clone(),
        fail_order,
        now: event.now,
    };
    let first = store.record_unmatched(&report).await?;
    if first {
        let text = format!(
            "⚠️ A {} payment needs attention: {reason}, so nothing was provisioned. Refund it or provision by hand. {details}",
            event.provider
        );
        if let Err(e) = jobs.enqueue(&Job::AdminAlert { text }).await {
            // The error makes the provider redeliver; released, the redelivery reports again
            // (the audit row is written once either way).
            let _ = store.release_unmatched(key).await;
            return Err(e);
        }
    }
    Ok(Accepted::Unmatched { reason: reason.to_string(), first })
}
