//! Telegram Stars as a payment channel, beyond the webhook: the invoice payload, the renewal
//! state Telegram reports, and the daily reconciliation with Telegram's Stars ledger.
//!
//! Reconciliation: the webhook is the fast path, but an update can be lost (a long outage, a
//! webhook reset, a bug that acknowledged and dropped it). Once a day the hourly cron reads
//! `getStarTransactions` from a stored cursor, oldest first, and every user payment or refund
//! that D1 does not know goes through [`accept`], exactly as if the update had arrived:
//!
//! ```text
//! ledger: [stx1 +⭐100 from 42 "order:ab12…"] [stx2 +⭐250 from 7 "order:cd34…"] [stx1 −⭐100 to 42]
//! D1 knows stx1 (paid)           → skipped
//! D1 does not know stx2          → accept(Payment stx2) → order paid, Provision queued
//! D1 has stx1 paid, not refunded → accept(Refund stx1)  → refunded, TakeBack queued
//! cursor 0 → 3, caught up: the next full read is tomorrow
//! ```
//!
//! Each run is bounded (pages and recoveries) to stay well inside a Worker's subrequests; when
//! it stops early the cursor stays where it stopped and the next hour goes on. Transactions
//! younger than a few minutes are left for the webhook (and the next run).

use std::collections::HashMap;

use thiserror::Error;

use crate::http::HttpClient;
use crate::money::{Currency, Money};
use crate::telegram::{BotApi, StarTransaction, TelegramError, TransactionPartner};

use super::catalog::Provider;
use super::order::OrderId;
use super::payment::{accept, idempotency_key, Accepted, PaymentEvent, PaymentKey, PaymentKind};
use super::ports::{Ids, Jobs};
use super::store::{KnownPayment, ShopStore, StoreError};

/// The invoice payload of an order: `order:<id>` (Telegram gives it back with the payment).
pub fn payload(order: &OrderId) -> String {
    format!("order:{order}")
}

/// The order an invoice payload names, if it is one of ours.
pub fn parse_payload(payload: &str) -> Option<OrderId> {
    payload.strip_prefix("order:").and_then(OrderId::parse)
}

/// What Telegram says about a Stars subscription's renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalChange {
    /// The user turned renewal off; the paid period runs to its end.
    Canceled,
    /// The user turned renewal back on.
    Active,
    /// A renewal could not be charged.
    Failed,
}

impl RenewalChange {
    pub fn parse(state: &str) -> Option<RenewalChange> {
        match state {
            "canceled" => Some(RenewalChange::Canceled),
            "active" => Some(RenewalChange::Active),
            "failed" => Some(RenewalChange::Failed),
            _ => None,
        }
    }
}

/// The ledger's cursor name in `ledger_cursors`.
pub const LEDGER: &str = "stars";
/// Telegram's page size limit.
const PAGE: u32 = 100;
/// A full read of the ledger at most this often once caught up.
const DAILY: i64 = 24 * 3600;
/// Left for the webhook: Telegram may still be delivering the update.
const GRACE_SECONDS: i64 = 10 * 60;

/// Bounds of one run (each page is one subrequest; each recovery a few D1 round trips and a
/// queue send).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub pages: u32,
    pub recoveries: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { pages: 3, recoveries: 10 }
    }
}

/// What one run did, for the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerReport {
    /// `false`: not due (read to the end less than a day ago).
    pub ran: bool,
    pub scanned: u32,
    pub recovered_payments: u32,
    pub recovered_refunds: u32,
    /// Payments or refunds that matched no order (the admins are alerted by `accept`).
    pub unmatched: u32,
    pub position: u64,
    pub caught_up: bool,
}

#[derive(Debug, Error)]
pub enum LedgerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Telegram(#[from] TelegramError),
}

/// One ledger line as money for [`accept`], if it is a user's invoice payment or its refund.
pub fn ledger_event(tx: &StarTransaction, now: i64) -> Option<PaymentEvent> {
    let invoice = |p: &&TransactionPartner| {
        p.kind == "user" && p.transaction_type.as_deref().is_none_or(|t| t == "invoice_payment")
    };
    let amount = Money::new(tx.amount.checked_abs()?, Currency::Xtr).ok()?;
    if let Some(source) = tx.source.as_ref().filter(invoice) {
        let user = source.user.as_ref()?;
        let period = source.subscription_period.filter(|p| *p > 0);
        return Some(PaymentEvent {
            provider: Provider::Stars,
            key: PaymentKey::parse(&tx.id)?,
            order: source.invoice_payload.as_deref().and_then(parse_payload),
            payer: Some(user.id),
            chat_id: Some(user.id),
            amount,
            kind: PaymentKind::Payment {
                recurring: period.is_some(),
                subscription_expires_at: period.map(|p| tx.date.saturating_add(p)),
                provider_reference: None,
            },
            now,
        });
    }
    let receiver = tx.receiver.as_ref().filter(invoice)?;
    receiver.user.as_ref()?;
    Some(PaymentEvent {
        provider: Provider::Stars,
        key: PaymentKey::parse(&tx.id)?,
        order: receiver.invoice_payload.as_deref().and_then(parse_payload),
        payer: None,
        chat_id: None,
        amount,
        kind: PaymentKind::Refund { refund_id: None },
        now,
    })
}

/// Reads the ledger from the stored cursor and sends what D1 is missing through [`accept`].
pub async fn reconcile<S: ShopStore, J: Jobs, H: HttpClient>(
    store: &S,
    jobs: &J,
    ids: &dyn Ids,
    api: &BotApi<'_, H>,
    limits: Limits,
    now: i64,
) -> Result<LedgerReport, LedgerError> {
    let cursor = store.ledger_cursor(LEDGER).await?;
    let mut report = LedgerReport { position: cursor.position, ..LedgerReport::default() };
    if cursor.caught_up_at.is_some_and(|at| now - at < DAILY) {
        return Ok(report);
    }
    report.ran = true;
    let mut recoveries = 0;
    'pages: for _ in 0..limits.pages {
        let offset = u32::try_from(report.position).unwrap_or(u32::MAX);
        let page = api.get_star_transactions(offset, PAGE).await?.transactions;
        let events: Vec<Option<PaymentEvent>> = page.iter().map(|tx| ledger_event(tx, now)).collect();
        let keys: Vec<String> =
            events.iter().flatten().map(|e| idempotency_key(Provider::Stars, &e.key)).collect();
        let known: HashMap<String, KnownPayment> =
            store.known_payments(&keys).await?.into_iter().map(|k| (k.key.clone(), k)).collect();
        for (tx, event) in page.iter().zip(&events) {
            if tx.date > now - GRACE_SECONDS {
                // Too fresh: the webhook may still bring it. Stop here; the cursor waits.
                break 'pages;
            }
            if let Some(event) = event {
                let seen = known.get(&idempotency_key(Provider::Stars, &event.key));
                let missing = match event.kind {
                    PaymentKind::Payment { .. } => !seen.is_some_and(|k| k.paid),
                    PaymentKind::Refund { .. } => !seen.is_some_and(|k| k.refunded),
                };
                if missing {
                    if recoveries >= limits.recoveries {
                        break 'pages;
                    }
                    recoveries += 1;
                    match (accept(store, jobs, ids, event).await?, &event.kind) {
                        (Accepted::Applied { .. }, PaymentKind::Payment { .. }) => {
                            report.recovered_payments += 1
                        }
                        (Accepted::Applied { .. }, PaymentKind::Refund { .. }) => {
                            report.recovered_refunds += 1
                        }
                        (Accepted::Unmatched { .. } | Accepted::AlreadyRefunded { .. }, _) => {
                            report.unmatched += 1
                        }
                        (Accepted::Duplicate { .. }, _) => {}
                    }
                }
            }
            report.scanned += 1;
            report.position += 1;
        }
        if page.len() < PAGE as usize {
            report.caught_up = true;
            break;
        }
    }
    store.save_ledger_cursor(LEDGER, report.position, report.caught_up.then_some(now), now).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tx(value: serde_json::Value) -> StarTransaction {
        serde_json::from_value(value).expect("a transaction")
    }

    #[test]
    fn a_users_invoice_payment_is_a_payment_for_the_order_its_payload_names() {
        let t = tx(json!({ "id": "stx1", "amount": 100, "date": 1_000,
            "source": { "type": "user", "transaction_type": "invoice_payment",
                        "user": { "id": 42, "is_bot": false, "first_name": "Ivan" },
                        "invoice_payload": "order:ab12cd34ef56ab12" } }));
        let event = ledger_event(&t, 5_000).expect("an event");
        assert_eq!(event.key.as_str(), "stx1");
        assert_eq!(event.payer, Some(42));
        assert_eq!(event.amount, Money::new(100, Currency::Xtr).unwrap());
        assert_eq!(event.order.map(|o| o.to_string()), Some("ab12cd34ef56ab12".into()));
        assert!(matches!(event.kind, PaymentKind::Payment { recurring: false, .. }));
    }

    #[test]
    fn a_subscription_payment_is_recurring_and_ends_a_period_after_its_date() {
        let t = tx(json!({ "id": "stx2", "amount": 100, "date": 1_000,
            "source": { "type": "user", "transaction_type": "invoice_payment", "subscription_period": 2_592_000,
                        "user": { "id": 42, "is_bot": false, "first_name": "Ivan" }, "invoice_payload": "order:x" } }));
        let event = ledger_event(&t, 5_000).expect("an event");
        assert_eq!(event.order, None, "a payload that is not ours names no order");
        assert!(matches!(
            event.kind,
            PaymentKind::Payment { recurring: true, subscription_expires_at: Some(2_593_000), .. }
        ));
    }

    #[test]
    fn a_refund_to_a_user_is_a_refund_of_the_payment_with_the_same_id() {
        let t = tx(json!({ "id": "stx1", "amount": 100, "date": 2_000,
            "receiver": { "type": "user", "transaction_type": "invoice_payment",
                          "user": { "id": 42, "is_bot": false, "first_name": "Ivan" } } }));
        let event = ledger_event(&t, 5_000).expect("an event");
        assert_eq!((event.key.as_str(), event.kind), ("stx1", PaymentKind::Refund { refund_id: None }));
    }

    #[test]
    fn withdrawals_gifts_and_ads_are_not_shop_money() {
        for t in [
            json!({ "id": "w1", "amount": 500, "date": 1, "receiver": { "type": "fragment" } }),
            json!({ "id": "g1", "amount": 5, "date": 1,
                    "source": { "type": "user", "transaction_type": "gift_purchase",
                                "user": { "id": 42, "is_bot": false, "first_name": "Ivan" } } }),
            json!({ "id": "a1", "amount": 5, "date": 1, "receiver": { "type": "telegram_ads" } }),
        ] {
            assert_eq!(ledger_event(&tx(t.clone()), 5), None, "{t}");
        }
    }

    #[test]
    fn renewal_states_are_telegrams_three() {
        assert_eq!(RenewalChange::parse("canceled"), Some(RenewalChange::Canceled));
        assert_eq!(RenewalChange::parse("active"), Some(RenewalChange::Active));
        assert_eq!(RenewalChange::parse("failed"), Some(RenewalChange::Failed));
        assert_eq!(RenewalChange::parse("cancelled"), None);
    }

    #[test]
    fn payloads_round_trip_and_foreign_ones_name_no_order() {
        let id = OrderId::parse("ab12cd34ef56ab12").expect("an id");
        assert_eq!(parse_payload(&payload(&id)), Some(id));
        for foreign in ["sub:42:vpn_1m", "order:", "order:a b", "order:../x", ""] {
            assert_eq!(parse_payload(foreign), None, "{foreign}");
        }
    }
}
