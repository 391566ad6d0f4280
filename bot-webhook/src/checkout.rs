//! Telegram Stars checkout: pre-checkout answers, payments and refunds.
//!
//! ```text
//! telegram: pre_checkout_query(payload order:ab12…, ⭐100 XTR, from 42)
//! bot:      answerPreCheckoutQuery ok=true     (order exists, is pending, is 42's, ⭐100 = price)
//! telegram: message.successful_payment(charge stx…, ⭐100)
//! bot:      records the payment once per charge id, marks the order paid, queues provisioning,
//!           "✅ Payment received!"; a replay of the same charge changes nothing
//! telegram: message.refunded_payment(charge stx…)
//! bot:      marks payment and order refunded once, queues taking the days back
//! ```

use serde_json::json;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::remnawave::Panel;
use wavegate_shared::subscription::OrderEvent;
#[cfg(test)]
use wavegate_shared::subscription::OrderStatus;
use wavegate_shared::telegram::{PreCheckoutQuery, RefundedPayment, SuccessfulPayment, User};

use crate::buy::parse_payload;
use crate::shop::{Cache, Job, Jobs, OrderView, PaymentRecorded, RefundRecorded, ShopStore, StarsPayment};
use crate::store::BotStore;
use crate::{texts_for, Bot, BotError, Handled};

/// Why a checkout is refused; each maps to a message the payer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutRefusal {
    /// No such order, or not this payer's.
    UnknownOrder,
    AlreadyPaid,
    /// The amount or currency differs from the invoiced order.
    AmountMismatch,
    /// The plan's price changed (or the plan was withdrawn) since the invoice.
    PriceChanged,
}

impl CheckoutRefusal {
    fn message_key(self) -> &'static str {
        match self {
            CheckoutRefusal::UnknownOrder => "checkout-order-unknown",
            CheckoutRefusal::AlreadyPaid => "checkout-order-paid",
            CheckoutRefusal::AmountMismatch => "checkout-amount-mismatch",
            CheckoutRefusal::PriceChanged => "checkout-price-changed",
        }
    }
}

/// Whether a checkout may go ahead: the order is pending, the payer's, and the amount and
/// currency equal both the invoiced order and the plan's current price.
pub fn check_checkout(
    order: &OrderView,
    payer: i64,
    currency: &str,
    amount: i64,
) -> Result<(), CheckoutRefusal> {
    if order.telegram_id != payer {
        return Err(CheckoutRefusal::UnknownOrder);
    }
    if order.status.apply(OrderEvent::PaymentReceived).is_err() {
        return Err(if order.status.is_paid() {
            CheckoutRefusal::AlreadyPaid
        } else {
            CheckoutRefusal::UnknownOrder
        });
    }
    if currency != "XTR" || currency != order.currency || amount != order.amount_minor {
        return Err(CheckoutRefusal::AmountMismatch);
    }
    if order.current_price_minor != Some(order.amount_minor) {
        return Err(CheckoutRefusal::PriceChanged);
    }
    Ok(())
}

/// Whether money already taken matches the order it names (payer, currency, amount).
pub fn payment_matches(order: &OrderView, payer: i64, currency: &str, amount: i64) -> bool {
    order.telegram_id == payer
        && currency == "XTR"
        && currency == order.currency
        && amount == order.amount_minor
}

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: BotStore + ShopStore,
    H: HttpClient,
    P: Panel,
    Q: Jobs,
    C: Cache,
{
    async fn texts_for_payer(&self, from: &User) -> Result<Texts, BotError> {
        let stored = match TelegramUserId::parse(from.id) {
            Ok(id) => self.store.find_user(id).await?,
            Err(_) => None,
        };
        Ok(stored
            .as_ref()
            .map(texts_for)
            .unwrap_or_else(|| Texts::new(Locale::from_telegram(from.language_code.as_deref()))))
    }

    pub(crate) async fn pre_checkout(&self, query: &PreCheckoutQuery) -> Result<Handled, BotError> {
        let order = match parse_payload(&query.invoice_payload) {
            Some(id) => self.store.order(id).await?,
            None => None,
        };
        let verdict = match &order {
            Some(order) => check_checkout(order, query.from.id, &query.currency, query.total_amount),
            None => Err(CheckoutRefusal::UnknownOrder),
        };
        let api = self.api();
        match verdict {
            Ok(()) => {
                api.answer_pre_checkout_query(&query.id, None).await?;
                Ok(Handled::Replied("checkout approved"))
            }
            Err(refusal) => {
                let texts = self.texts_for_payer(&query.from).await?;
                api.answer_pre_checkout_query(&query.id, Some(&texts.get(refusal.message_key()))).await?;
                Ok(Handled::Replied("checkout refused"))
            }
        }
    }

    pub(crate) async fn successful_payment(
        &self,
        from: &User,
        chat_id: i64,
        paid: &SuccessfulPayment,
    ) -> Result<Handled, BotError> {
        let texts = self.texts_for_payer(from).await?;
        let order = match parse_payload(&paid.invoice_payload) {
            Some(id) => self.store.order(id).await?,
            None => None,
        };
        let order = match order {
            Some(order) if payment_matches(&order, from.id, &paid.currency, paid.total_amount) => order,
            other => {
                // Telegram took the money but it does not match an order we offered: record it,
                // keep the order (if any) for an admin, tell the customer and the admins, once.
                let details = json!({ "charge": paid.telegram_payment_charge_id, "payer": from.id,
                    "amount": paid.total_amount, "currency": paid.currency, "payload": paid.invoice_payload })
                .to_string();
                if !self
                    .store
                    .record_unmatched_payment(&paid.telegram_payment_charge_id, &details, self.now())
                    .await?
                {
                    return Ok(Handled::Ignored("unmatched payment already reported"));
                }
                if let Some(order) =
                    other.as_ref().filter(|o| o.status.apply(OrderEvent::PaymentMismatched).is_ok())
                {
                    self.store.fail_order(order.id, "payment does not match the order", self.now()).await?;
                }
                let alert = format!(
                    "⚠️ Stars payment needs attention: it matches no order, so nothing was provisioned. Refund it (refundStarPayment) or provision by hand. {details}"
                );
                self.jobs.enqueue(&Job::AdminAlert { text: alert }).await?;
                self.api().send_message(chat_id, &texts.get("payment-problem"), None).await?;
                return Ok(Handled::Replied("payment mismatch"));
            }
        };
        let payment = StarsPayment {
            order,
            chat_id,
            charge_id: paid.telegram_payment_charge_id.clone(),
            provider_charge_id: paid.provider_payment_charge_id.clone(),
            amount: paid.total_amount,
            is_recurring: paid.is_recurring,
            subscription_expires_at: paid.subscription_expiration_date,
            now: self.now(),
        };
        match self.store.record_stars_payment(&payment, &self.ids.order_id()).await? {
            PaymentRecorded::Applied { order_public_id } => {
                self.jobs.enqueue(&Job::Provision { order: order_public_id }).await?;
                self.api().send_message(chat_id, &texts.get("payment-received"), None).await?;
                Ok(Handled::Replied("payment recorded"))
            }
            PaymentRecorded::Duplicate { order_public_id } => {
                // Re-queue in case the first delivery stopped before queueing; provisioning
                // an order twice changes nothing.
                self.jobs.enqueue(&Job::Provision { order: order_public_id }).await?;
                Ok(Handled::Ignored("payment already recorded"))
            }
        }
    }

    pub(crate) async fn refunded_payment(&self, refund: &RefundedPayment) -> Result<Handled, BotError> {
        match self.store.record_stars_refund(&refund.telegram_payment_charge_id, self.now()).await? {
            RefundRecorded::Applied { order_public_id } => {
                self.jobs.enqueue(&Job::TakeBack { order: order_public_id }).await?;
                Ok(Handled::Replied("refund recorded"))
            }
            RefundRecorded::Duplicate => Ok(Handled::Ignored("refund already recorded")),
            RefundRecorded::UnknownCharge => {
                let text = json!({ "charge": refund.telegram_payment_charge_id }).to_string();
                self.jobs
                    .enqueue(&Job::AdminAlert {
                        text: format!("⚠️ A refund arrived for an unknown Stars charge: {text}"),
                    })
                    .await?;
                Ok(Handled::Ignored("refund for unknown charge"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(status: OrderStatus) -> OrderView {
        OrderView {
            id: 1,
            public_id: "ab12cd34ef56gh78".into(),
            user_id: 7,
            telegram_id: 42,
            status,
            amount_minor: 100,
            currency: "XTR".into(),
            days: 30,
            plan_id: Some(1),
            subscription: false,
            current_price_minor: Some(100),
        }
    }

    #[test]
    fn a_pending_order_paid_by_its_owner_at_the_plan_price_passes() {
        assert_eq!(check_checkout(&order(OrderStatus::Pending), 42, "XTR", 100), Ok(()));
    }

    #[test]
    fn tampered_or_stale_checkouts_are_refused_with_a_reason() {
        let pending = order(OrderStatus::Pending);
        assert_eq!(check_checkout(&pending, 43, "XTR", 100), Err(CheckoutRefusal::UnknownOrder));
        assert_eq!(check_checkout(&pending, 42, "XTR", 1), Err(CheckoutRefusal::AmountMismatch));
        assert_eq!(check_checkout(&pending, 42, "USD", 100), Err(CheckoutRefusal::AmountMismatch));
        assert_eq!(
            check_checkout(&order(OrderStatus::Paid), 42, "XTR", 100),
            Err(CheckoutRefusal::AlreadyPaid)
        );
        assert_eq!(
            check_checkout(&order(OrderStatus::Cancelled), 42, "XTR", 100),
            Err(CheckoutRefusal::UnknownOrder)
        );
        let repriced = OrderView { current_price_minor: Some(120), ..pending.clone() };
        assert_eq!(check_checkout(&repriced, 42, "XTR", 100), Err(CheckoutRefusal::PriceChanged));
        let withdrawn = OrderView { current_price_minor: None, ..pending };
        assert_eq!(check_checkout(&withdrawn, 42, "XTR", 100), Err(CheckoutRefusal::PriceChanged));
    }

    #[test]
    fn payments_must_match_payer_currency_and_amount() {
        let paid = order(OrderStatus::Provisioned);
        assert!(payment_matches(&paid, 42, "XTR", 100), "a renewal of a provisioned order still matches");
        assert!(!payment_matches(&paid, 42, "XTR", 99));
        assert!(!payment_matches(&paid, 41, "XTR", 100));
    }
}
