//! Telegram Stars checkout: the Stars channel of the shop's one payment pipeline. This module
//! only reads Telegram's updates, answers pre-checkout, and turns payments and refunds into
//! [`PaymentEvent`]s for [`accept`]; the rules live in `wavegate_shared::shop`.
//!
//! ```text
//! telegram: pre_checkout_query(payload order:ab12…, ⭐100 XTR, from 42)
//! bot:      answerPreCheckoutQuery ok=true     (order exists, is pending, is 42's, ⭐100 = price)
//! telegram: message.successful_payment(charge stx…, ⭐100)
//! bot:      accept(stars, stx…, order ab12…, payer 42, ⭐100) → Applied → "✅ Payment received!"
//!           (provisioning is queued by accept); a replay of the same charge changes nothing
//! telegram: message.refunded_payment(charge stx…, ⭐100)
//! bot:      accept(… Refund) → Applied: the unused part of the order's period is taken back
//! telegram: subscription(user 42, payload order:ab12…, state canceled)
//! bot:      renewal off on the subscription that order started; /status: "⏸ Auto-renewal: off"
//! telegram: subscription(… state failed)
//! bot:      renewal failed recorded; "⚠️ Auto-renewal failed … Tap Renew to pay again." to 42
//! ```
//!
//! Payments whose updates never arrive are recovered by the daily ledger check
//! (`wavegate_shared::shop::stars::reconcile`, run by the hourly cron).

use serde_json::json;
use wavegate_shared::domain::TelegramUserId;
use wavegate_shared::http::HttpClient;
use wavegate_shared::i18n::{Locale, Texts};
use wavegate_shared::money::Money;
use wavegate_shared::remnawave::Panel;
use wavegate_shared::shop::catalog::Provider;
use wavegate_shared::shop::order::{check_checkout, CheckoutRefusal, OrderView};
use wavegate_shared::shop::payment::{accept, Accepted, PaymentEvent, PaymentKey, PaymentKind};
use wavegate_shared::shop::ports::{Cache, Job, Jobs};
use wavegate_shared::shop::stars::RenewalChange;
use wavegate_shared::telegram::{
    BotSubscriptionUpdated, PreCheckoutQuery, RefundedPayment, SuccessfulPayment, User, WebhookReply,
};

use crate::buy::parse_payload;
use crate::{texts_for, Bot, BotError, Handled};

impl<S, H, P, Q, C> Bot<'_, S, H, P, Q, C>
where
    S: crate::BotStore,
    H: HttpClient,
    P: Panel,
    Q: Jobs,
    C: Cache,
{
    /// The payer's language: from the order when there is one (no extra read), else stored.
    async fn texts_for_payer(&self, from: &User, order: Option<&OrderView>) -> Result<Texts, BotError> {
        // Only the payer's own order tells the payer's language.
        if let Some(order) = order.filter(|o| o.telegram_id == from.id) {
            return Ok(Texts::new(Locale::resolve(order.locale.as_deref(), order.language_code.as_deref())));
        }
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
            Some(id) => self.store.order(id.as_str()).await?,
            None => None,
        };
        let verdict = match (&order, Money::parse(query.total_amount, &query.currency)) {
            (Some(order), Ok(amount)) => check_checkout(order, query.from.id, amount),
            (Some(_), Err(_)) => Err(CheckoutRefusal::AmountMismatch),
            (None, _) => Err(CheckoutRefusal::UnknownOrder),
        };
        // The answer rides back on the webhook's response (Telegram runs it at once; payments.md),
        // which saves the 10-second window a round trip. If Telegram could not run it, the
        // checkout times out with no money taken and the customer taps Pay again.
        match verdict {
            Ok(()) => Ok(Handled::Answered(
                "checkout approved",
                WebhookReply::answer_pre_checkout_query(&query.id, None),
            )),
            Err(refusal) => {
                let texts = self.texts_for_payer(&query.from, order.as_ref()).await?;
                let reply = WebhookReply::answer_pre_checkout_query(
                    &query.id,
                    Some(&texts.get(refusal.message_key())),
                );
                Ok(Handled::Answered("checkout refused", reply))
            }
        }
    }

    pub(crate) async fn successful_payment(
        &self,
        from: &User,
        chat_id: i64,
        paid: &SuccessfulPayment,
    ) -> Result<Handled, BotError> {
        let (Ok(amount), Some(key)) = (
            Money::parse(paid.total_amount, &paid.currency),
            PaymentKey::parse(&paid.telegram_payment_charge_id),
        ) else {
            // Telegram took money we cannot even express: record it and tell the admins.
            let details = json!({ "charge": paid.telegram_payment_charge_id, "payer": from.id,
                "amount": paid.total_amount, "currency": paid.currency, "payload": paid.invoice_payload });
            self.unreadable_money("successful_payment", details).await?;
            return Ok(Handled::Replied("payment in an unknown currency or without a charge id"));
        };
        let order = parse_payload(&paid.invoice_payload);
        let event = PaymentEvent {
            provider: Provider::Stars,
            key,
            order,
            payer: Some(from.id),
            chat_id: Some(chat_id),
            amount,
            kind: PaymentKind::Payment {
                recurring: paid.is_recurring,
                subscription_expires_at: paid.subscription_expiration_date,
                provider_reference: Some(paid.provider_payment_charge_id.clone()).filter(|s| !s.is_empty()),
            },
            now: self.now(),
        };
        match accept(self.store, self.jobs, self.ids, &event).await? {
            Accepted::Applied { invoiced, .. } => {
                // The money is recorded and provisioning queued: the thank-you is best effort
                // (an error here would make Telegram redeliver a payment already handled), so
                // it rides back on the webhook's response instead of costing a request.
                match self.texts_for_payer(from, invoiced.as_deref()).await {
                    Ok(texts) => Ok(Handled::Answered(
                        "payment recorded",
                        WebhookReply::send_message(chat_id, &texts.get("payment-received")),
                    )),
                    Err(_) => Ok(Handled::Replied("payment recorded")),
                }
            }
            Accepted::Duplicate { .. } => Ok(Handled::Ignored("payment already recorded")),
            Accepted::Unmatched { first: true, .. } => {
                // The admins are alerted (queued by accept); the customer hears it from us, best
                // effort: the money is recorded either way.
                let texts = self.texts_for_payer(from, None).await?;
                let _ = self.api().send_message(chat_id, &texts.get("payment-problem"), None).await;
                Ok(Handled::Replied("payment mismatch"))
            }
            Accepted::Unmatched { first: false, .. } => {
                Ok(Handled::Ignored("unmatched payment already reported"))
            }
            Accepted::AlreadyRefunded { .. } => Ok(Handled::Ignored("payment arrived after its refund")),
        }
    }

    pub(crate) async fn refunded_payment(&self, refund: &RefundedPayment) -> Result<Handled, BotError> {
        let (Ok(amount), Some(key)) = (
            Money::parse(refund.total_amount, &refund.currency),
            PaymentKey::parse(&refund.telegram_payment_charge_id),
        ) else {
            let details = json!({ "charge": refund.telegram_payment_charge_id, "amount": refund.total_amount,
                "currency": refund.currency });
            self.unreadable_money("refunded_payment", details).await?;
            return Ok(Handled::Replied("refund in an unknown currency or without a charge id"));
        };
        let event = PaymentEvent {
            provider: Provider::Stars,
            key,
            order: parse_payload(&refund.invoice_payload),
            payer: None,
            chat_id: None,
            amount,
            kind: PaymentKind::Refund { refund_id: None },
            now: self.now(),
        };
        Ok(match accept(self.store, self.jobs, self.ids, &event).await? {
            Accepted::Applied { .. } => Handled::Replied("refund recorded"),
            Accepted::Duplicate { .. } => Handled::Ignored("refund already recorded"),
            Accepted::Unmatched { .. } | Accepted::AlreadyRefunded { .. } => {
                Handled::Ignored("refund not applied; kept for the admins")
            }
        })
    }

    /// Telegram's word on a Stars subscription's renewal (`subscription` update): kept on the
    /// subscription, which `/status` shows. A failed renewal is also told to the customer, with
    /// the way to pay again.
    pub(crate) async fn subscription_updated(
        &self,
        update: &BotSubscriptionUpdated,
    ) -> Result<Handled, BotError> {
        let (Some(change), Some(order)) =
            (RenewalChange::parse(&update.state), parse_payload(&update.invoice_payload))
        else {
            return Ok(Handled::Ignored("subscription update not ours"));
        };
        if !self.store.set_stars_renewal(order.as_str(), update.user.id, change, self.now()).await? {
            return Ok(Handled::Ignored("subscription update for no known subscription"));
        }
        if change == RenewalChange::Failed {
            let texts = self.texts_for_payer(&update.user, None).await?;
            let _ = self.api().send_message(update.user.id, &texts.get("status-renewal-failed"), None).await;
        }
        Ok(Handled::Replied("renewal state recorded"))
    }

    /// A `successful_payment` without a sender (Telegram always sets one; a malformed or forged
    /// update might not): no payer to provision, so it is recorded and the admins settle it.
    pub(crate) async fn payment_without_payer(&self, paid: &SuccessfulPayment) -> Result<Handled, BotError> {
        let details = json!({ "charge": paid.telegram_payment_charge_id, "amount": paid.total_amount,
            "currency": paid.currency, "payload": paid.invoice_payload, "error": "no payer" });
        self.unreadable_money("successful_payment", details).await?;
        Ok(Handled::Replied("payment without a payer"))
    }

    /// Money Telegram reported that cannot be turned into an event: an audit row and an admin
    /// alert, queued. Either failing makes Telegram deliver the update again.
    async fn unreadable_money(&self, kind: &str, details: serde_json::Value) -> Result<(), BotError> {
        let subject = format!("stars_charge:{}", details["charge"].as_str().unwrap_or("unknown"));
        let action = format!("{kind}.unreadable");
        self.store.record_audit("provider:stars", &action, &subject, details.clone(), self.now()).await?;
        let text =
            format!("⚠️ A Stars {kind} could not be read, so nothing was recorded or provisioned: {details}");
        self.jobs.enqueue(&Job::AdminAlert { text }).await?;
        Ok(())
    }
}
