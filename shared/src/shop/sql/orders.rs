//! [`ShopStore`] in SQL: plans, orders, payments and refunds, unmatched money, trials.

use serde::Deserialize;
use serde_json::json;

use crate::db::{all, first, Db, Statement};
use crate::money::Money;
use crate::remnawave::{PanelUser, TrafficLimitStrategy};
use crate::shop::account::{StarsRenewal, SubscriptionSummary};
use crate::shop::catalog::{Plan, PlanSlug, Provider};
use crate::shop::fulfil::PanelRecord;
use crate::shop::order::{NewOrder, OrderDiscount, OrderView};
use crate::shop::payment::{
    PaymentRecord, PaymentRecorded, RecordedState, RefundRecord, RefundRecorded, Unmatched,
};
use crate::shop::stars::RenewalChange;
use crate::shop::store::{KnownPayment, LedgerCursor, ShopStore, StoreError};
use crate::stmt;
use crate::subscription::OrderStatus;

use super::{to_u32, Claim, SqlStore};

pub fn strategy(name: &str) -> TrafficLimitStrategy {
    match name {
        "DAY" => TrafficLimitStrategy::Day,
        "WEEK" => TrafficLimitStrategy::Week,
        "MONTH" => TrafficLimitStrategy::Month,
        "MONTH_ROLLING" => TrafficLimitStrategy::MonthRolling,
        _ => TrafficLimitStrategy::NoReset,
    }
}

#[derive(Deserialize)]
struct PlanPriceRow {
    id: i64,
    slug: String,
    name: String,
    days: i64,
    traffic_limit_bytes: i64,
    traffic_strategy: String,
    device_limit: i64,
    currency: String,
    amount_minor: i64,
}

#[derive(Deserialize)]
struct OrderRow {
    id: i64,
    public_id: String,
    user_id: i64,
    telegram_id: i64,
    status: String,
    provider: String,
    amount_minor: i64,
    currency: String,
    days: i64,
    plan_id: Option<i64>,
    subscription: Option<i64>,
    current_price: Option<i64>,
    locale: Option<String>,
    language_code: Option<String>,
    external_id: Option<String>,
    discount_percent: Option<i64>,
    discount_spent: Option<i64>,
    gift: Option<i64>,
}

/// An order with what checkout and payment handling need; callers add the WHERE clause
/// (a macro: statements are `&'static str`).
macro_rules! order_select {
    () => {
        "SELECT o.id, o.public_id, o.user_id, u.telegram_id, o.status, o.provider, o.amount_minor, o.currency,
                          o.days, o.plan_id, json_extract(o.metadata, '$.subscription') AS subscription,
                          u.locale, u.language_code, o.external_id,
                          (SELECT pp.amount_minor FROM plan_prices pp JOIN plans p ON p.id = pp.plan_id
                            WHERE pp.plan_id = o.plan_id AND pp.currency = o.currency AND p.is_active = 1) AS current_price,
                          json_type(o.metadata, '$.gift') = 'true' AS gift, c.value AS discount_percent, (r.order_id IS NOT NULL AND r.order_id <> o.id) AS discount_spent
                   FROM orders o JOIN users u ON u.id = o.user_id
                   LEFT JOIN promo_redemptions r ON r.id = o.promo_redemption_id
                   LEFT JOIN promo_codes c ON c.id = r.promo_id"
    };
}

impl<D: Db> SqlStore<D> {
    async fn order_where(&self, statement: Statement) -> Result<Option<OrderView>, StoreError> {
        let row: Option<OrderRow> = first(&self.db, &statement).await?;
        let Some(r) = row else { return Ok(None) };
        let status = OrderStatus::parse(&r.status)
            .ok_or_else(|| StoreError::invalid(format!("order status {}", r.status)))?;
        // A free (trial) order has no price: nothing can be paid against it.
        let Ok(price) = Money::parse(r.amount_minor, &r.currency) else { return Ok(None) };
        Ok(Some(OrderView {
            id: r.id,
            public_id: r.public_id,
            user_id: r.user_id,
            telegram_id: r.telegram_id,
            status,
            provider: r.provider,
            price,
            days: to_u32(r.days, "order days")?,
            plan_id: r.plan_id,
            subscription: r.subscription == Some(1),
            current_price_minor: r.current_price,
            locale: r.locale,
            language_code: r.language_code,
            external_id: r.external_id,
            gift: r.gift == Some(1),
            discount: r
                .discount_percent
                .and_then(|p| u8::try_from(p).ok())
                .map(|percent| OrderDiscount { percent, spent_elsewhere: r.discount_spent == Some(1) }),
        }))
    }
}

impl<D: Db> ShopStore for SqlStore<D> {
    async fn active_plans(&self) -> Result<Vec<Plan>, StoreError> {
        let sql = crate::sql!(
            "SELECT p.id, p.slug, p.name, p.days, p.traffic_limit_bytes, p.traffic_strategy, p.device_limit,
                          pp.currency, pp.amount_minor
                   FROM plans p JOIN plan_prices pp ON pp.plan_id = p.id
                   WHERE p.is_active = 1 ORDER BY p.sort_order, p.id"
        );
        let rows: Vec<PlanPriceRow> = all(&self.db, &stmt!(sql)).await?;
        let mut plans: Vec<Plan> = Vec::new();
        for row in rows {
            // A plan the admin misconfigured is left off sale rather than breaking the shop.
            let (Ok(price), Some(slug)) =
                (Money::parse(row.amount_minor, &row.currency), PlanSlug::parse(&row.slug))
            else {
                continue;
            };
            match plans.last_mut() {
                Some(plan) if plan.id == row.id => plan.prices.push(price),
                _ => plans.push(Plan {
                    id: row.id,
                    slug,
                    name: row.name,
                    days: u32::try_from(row.days).unwrap_or(0),
                    traffic_limit_bytes: u64::try_from(row.traffic_limit_bytes).unwrap_or(0),
                    traffic_strategy: strategy(&row.traffic_strategy),
                    device_limit: u32::try_from(row.device_limit).unwrap_or(0),
                    prices: vec![price],
                }),
            }
        }
        Ok(plans.into_iter().filter(|p| p.days > 0).collect())
    }

    async fn create_order(&self, order: &NewOrder) -> Result<(), StoreError> {
        let sql = crate::sql!(
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days,
                       status, metadata, chat_id, created_at, updated_at, expires_at, promo_redemption_id)
                   VALUES (?1, ?2, ?3, 'purchase', ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?10, ?10, ?11, ?12)"
        );
        let mut metadata = json!({ "subscription": order.subscription });
        if order.gift {
            metadata["gift"] = json!(true);
        }
        let metadata = metadata.to_string();
        self.db
            .run(&stmt!(
                sql,
                order.public_id.as_str(),
                order.user_id,
                order.plan_id,
                order.provider.code(),
                order.price.minor(),
                order.price.currency().code(),
                order.days,
                metadata,
                order.chat_id,
                order.now,
                order.expires_at,
                order.discount.map(|d| d.redemption_id)
            ))
            .await?;
        Ok(())
    }

    async fn order(&self, public_id: &str) -> Result<Option<OrderView>, StoreError> {
        self.order_where(stmt!(concat!(order_select!(), " WHERE o.public_id = ?1"), public_id)).await
    }

    async fn order_by_external(
        &self,
        provider: Provider,
        external_id: &str,
    ) -> Result<Option<OrderView>, StoreError> {
        let sql = concat!(order_select!(), " WHERE o.provider = ?1 AND o.external_id = ?2");
        self.order_where(stmt!(sql, provider.code(), external_id)).await
    }

    async fn attach_external(
        &self,
        public_id: &str,
        external_id: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = crate::sql!(
            "UPDATE orders SET external_id = ?2, expires_at = ?3, updated_at = ?4
                   WHERE public_id = ?1 AND status = 'pending' AND external_id IS NULL"
        );
        Ok(self.db.run(&stmt!(sql, public_id, external_id, expires_at, now)).await? == 1)
    }

    async fn recent_checkouts(&self, user_id: i64, since: i64) -> Result<u32, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            n: i64,
        }
        let sql = crate::sql!("SELECT COUNT(*) AS n FROM orders
                   WHERE user_id = ?1 AND created_at >= ?2 AND provider IN ('razorpay', 'xendit', 'cryptopay')");
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id, since)).await?;
        Ok(row.map_or(0, |r| u32::try_from(r.n).unwrap_or(u32::MAX)))
    }

    async fn cancel_order(&self, public_id: &str, now: i64) -> Result<bool, StoreError> {
        let sql = "UPDATE orders SET status = 'cancelled', updated_at = ?2 WHERE public_id = ?1 AND status = 'pending'";
        Ok(self.db.run(&stmt!(sql, public_id, now)).await? == 1)
    }

    async fn closed_checkouts(
        &self,
        since: i64,
        until: i64,
        limit: u32,
    ) -> Result<Vec<(Provider, String, String)>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            provider: String,
            public_id: String,
            external_id: String,
        }
        let sql = crate::sql!(
            "SELECT o.provider, o.public_id, o.external_id FROM orders o
                   WHERE o.expires_at BETWEEN ?1 AND ?2 AND o.status IN ('pending', 'cancelled')
                     AND o.provider IN ('razorpay', 'xendit', 'cryptopay') AND o.external_id IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.provider = o.provider
                                       AND p.provider_payment_charge_id = o.external_id)
                   ORDER BY o.expires_at LIMIT ?3"
        );
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, since, until, limit)).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| Provider::parse(&r.provider).map(|p| (p, r.public_id, r.external_id)))
            .collect())
    }

    async fn payment_of_object(
        &self,
        provider: Provider,
        object_id: &str,
    ) -> Result<Option<String>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            external_id: Option<String>,
        }
        let sql = "SELECT external_id FROM payments WHERE provider = ?1 AND provider_payment_charge_id = ?2 ORDER BY id LIMIT 1";
        let row: Option<Row> = first(&self.db, &stmt!(sql, provider.code(), object_id)).await?;
        Ok(row.and_then(|r| r.external_id))
    }

    async fn sync_panel_user(
        &self,
        user: &PanelUser,
        deleted: bool,
        seen_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let record = PanelRecord::from(user);
        let status = if deleted { "DELETED" } else { record.status };
        let sql = crate::sql!("UPDATE users SET expires_at = ?2, panel_status = ?3, subscription_url = ?4, panel_short_uuid = ?5,
                          updated_at = ?6, traffic_used_bytes = ?7, traffic_limit_bytes = ?8, panel_seen_at = ?9
                   WHERE panel_user_id = ?1
                     -- A provisioning in progress reads the panel itself and writes the fresher
                     -- state; an event sent before it must not overwrite that (the next
                     -- provisioning mirrors the panel again anyway).
                     AND (provisioning_until IS NULL OR provisioning_until < ?6)
                     -- An event that arrives after a newer one (a panel retry, a slow delivery)
                     -- must not roll the mirror back.
                     AND (panel_seen_at IS NULL OR panel_seen_at <= ?9)");
        let changed = self
            .db
            .run(&stmt!(
                sql,
                record.panel_user_id,
                record.expires_at,
                status,
                record.subscription_url.as_str(),
                record.short_uuid.as_str(),
                now,
                record.traffic_used_bytes,
                record.traffic_limit_bytes,
                seen_at
            ))
            .await?;
        Ok(changed == 1)
    }

    async fn customer_of_panel_user(&self, panel_user_id: i64) -> Result<Option<(i64, i64)>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            telegram_id: i64,
        }
        let row: Option<Row> = first(
            &self.db,
            &stmt!(
                "SELECT id, telegram_id FROM users WHERE panel_user_id = ?1 AND is_blocked = 0",
                panel_user_id
            ),
        )
        .await?;
        Ok(row.map(|r| (r.id, r.telegram_id)))
    }

    async fn close_expired_orders(&self, now: i64) -> Result<u64, StoreError> {
        let sql = crate::sql!(
            "UPDATE orders SET status = 'cancelled', updated_at = ?1
                   WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at < ?1"
        );
        Ok(self.db.run(&stmt!(sql, now)).await? as u64)
    }

    async fn record_payment(
        &self,
        payment: &PaymentRecord,
        fresh_order_id: &str,
    ) -> Result<PaymentRecorded, StoreError> {
        let key = payment.idempotency_key.as_str();
        let order = &payment.order;
        let provider = payment.provider.code();
        // One batch, one transaction, each statement guarded so that a replay changes nothing:
        // (0) money for an order that is no longer pending (a subscription renewal, an invoice
        // paid twice, two checkouts racing) buys the same plan again on an order of its own;
        // (1) the payment goes on that order or the invoiced one, unless the key is recorded —
        // as refunded if its refund came first; (2) its order becomes paid (or refunded);
        // (3) the audit row, once; (4) a marker row if the refund came first.
        let metadata = json!({ "subscription_expires_at": payment.subscription_expires_at }).to_string();
        let insert = stmt!(
            "INSERT INTO payments (order_id, user_id, provider, amount_minor, currency, external_id, status,
                 idempotency_key, provider_payment_charge_id, is_recurring, metadata, created_at, updated_at)
             VALUES (COALESCE((SELECT id FROM orders WHERE public_id = ?10), ?1), ?2, ?11, ?3, ?12, ?4,
                     CASE WHEN EXISTS (SELECT 1 FROM audit_log WHERE subject = 'payment:' || ?5
                                       AND action = 'payment.refund_early') THEN 'refunded' ELSE 'completed' END,
                     ?5, ?6, ?7, ?8, ?9, ?9)
             ON CONFLICT DO NOTHING",
            order.id,
            order.user_id,
            payment.amount.minor(),
            payment.external_id.as_str(),
            key,
            payment.provider_reference.as_deref(),
            payment.recurring,
            metadata,
            payment.now,
            fresh_order_id,
            provider,
            payment.amount.currency().code()
        );
        let mark_paid = stmt!(
            "UPDATE orders SET
                 status = CASE (SELECT status FROM payments WHERE idempotency_key = ?1) WHEN 'refunded' THEN 'refunded' ELSE 'paid' END,
                 refunded_at = CASE (SELECT status FROM payments WHERE idempotency_key = ?1) WHEN 'refunded' THEN ?2 END,
                 paid_at = ?2, updated_at = ?2,
                 -- Stars orders are named by their charge; a provider order keeps the object it
                 -- was paid through (its refund API needs it, and a repeat order must not claim it).
                 external_id = CASE WHEN ?4 = 'stars' THEN ?3 ELSE external_id END
             WHERE id = (SELECT order_id FROM payments WHERE idempotency_key = ?1) AND status = 'pending'",
            key,
            payment.now,
            payment.external_id.as_str(),
            provider
        );
        let details = json!({ "key": key, "amount": payment.amount.minor(), "currency": payment.amount.currency().code(),
                               "recurring": payment.recurring })
        .to_string();
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'provider:' || ?4, 'payment.completed', 'order:' || o.public_id, ?2, ?3
             FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.idempotency_key = ?1
               AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = 'order:' || o.public_id
                                 AND a.action = 'payment.completed' AND json_extract(a.details, '$.key') = ?1)",
            key,
            details,
            payment.now,
            provider
        );
        let arrived_refunded = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'provider:' || ?3, 'payment.arrived_refunded', 'payment:' || ?1, json_object('key', ?1), ?2
             WHERE EXISTS (SELECT 1 FROM payments WHERE idempotency_key = ?1 AND status = 'refunded')
               AND EXISTS (SELECT 1 FROM audit_log WHERE subject = 'payment:' || ?1 AND action = 'payment.refund_early')
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'payment:' || ?1 AND action = 'payment.arrived_refunded')",
            key,
            payment.now,
            provider
        );
        // (5) paying an order priced with a promo discount spends it, once.
        let spend_discount = stmt!(
            "UPDATE promo_redemptions SET order_id = (SELECT order_id FROM payments WHERE idempotency_key = ?1)
             WHERE order_id IS NULL AND id = (SELECT o.promo_redemption_id FROM payments p
                                              JOIN orders o ON o.id = p.order_id
                                              WHERE p.idempotency_key = ?1 AND p.status = 'completed')",
            key
        );
        let changes = self
            .db
            .batch(&[
                self.repeat_order(payment, fresh_order_id),
                insert,
                mark_paid,
                audit,
                arrived_refunded,
                spend_discount,
            ])
            .await?;
        let count = |i: usize| changes.get(i).copied().unwrap_or(0);
        if count(1) == 0 {
            // Recorded before (or by a concurrent delivery that won the insert).
            let (recorded_on, state) = self
                .order_of_payment(key)
                .await?
                .ok_or_else(|| StoreError::invalid("payment not recorded"))?;
            return Ok(PaymentRecorded::Duplicate { order_public_id: recorded_on, state });
        }
        let recorded_on = if count(0) == 1 { fresh_order_id.to_string() } else { order.public_id.clone() };
        if count(4) == 1 {
            return Ok(PaymentRecorded::RefundedEarly { order_public_id: recorded_on });
        }
        Ok(PaymentRecorded::Applied { order_public_id: recorded_on })
    }

    async fn record_refund(&self, refund: &RefundRecord) -> Result<RefundRecorded, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            payment_id: i64,
            payment_status: String,
            amount_minor: i64,
            currency: String,
            order_id: i64,
            public_id: String,
            pending_take_back: i64,
        }
        let key = refund.idempotency_key.as_str();
        let provider = refund.provider.code();
        let sql = crate::sql!("SELECT p.id AS payment_id, p.status AS payment_status, p.amount_minor, p.currency,
                          o.id AS order_id, o.public_id,
                          (o.status = 'refunded' AND o.reverted_at IS NULL
                           AND (o.provisioned_at IS NOT NULL OR o.target_expires_at IS NOT NULL)) AS pending_take_back
                   FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.idempotency_key = ?1");
        let details =
            json!({ "key": key, "amount": refund.amount.minor(), "currency": refund.amount.currency().code(),
                               "refund": refund.refund_id })
            .to_string();
        let Some(row): Option<Row> = first(&self.db, &stmt!(sql, key)).await? else {
            // Kept, so that the payment is not provisioned when it arrives.
            let keep = stmt!(
                "INSERT INTO audit_log (actor, action, subject, details, created_at)
                 SELECT 'provider:' || ?3, 'payment.refund_early', 'payment:' || ?1, ?2, ?4
                 WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'payment:' || ?1 AND action = 'payment.refund_early')",
                key,
                details,
                provider,
                refund.now
            );
            let first = self.db.run(&keep).await? == 1;
            return Ok(RefundRecorded::Early { first });
        };
        if row.payment_status == "refunded" {
            let take_back = (row.pending_take_back == 1).then_some(row.public_id);
            return Ok(RefundRecorded::Duplicate { take_back });
        }
        let subject = format!("order:{}", row.public_id);
        if refund.amount.minor() < row.amount_minor || refund.amount.currency().code() != row.currency {
            let note = stmt!(
                "INSERT INTO audit_log (actor, action, subject, details, created_at)
                 SELECT 'provider:' || ?4, 'payment.refund_partial', ?1, ?2, ?3
                 WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = ?1 AND action = 'payment.refund_partial'
                                     AND json_extract(details, '$.key') = ?5
                                     AND COALESCE(json_extract(details, '$.refund'), '') = ?6)",
                subject.as_str(),
                details,
                refund.now,
                provider,
                key,
                refund.refund_id.as_deref().unwrap_or_default()
            );
            let first = self.db.run(&note).await? == 1;
            return Ok(RefundRecorded::Partial { order_public_id: row.public_id, first });
        }
        let payment = stmt!(
            "UPDATE payments SET status = 'refunded', updated_at = ?2 WHERE id = ?1 AND status = 'completed'",
            row.payment_id,
            refund.now
        );
        let order = stmt!(
            "UPDATE orders SET status = 'refunded', refunded_at = ?2, updated_at = ?2
             WHERE id = ?1 AND status IN ('paid', 'provisioned')",
            row.order_id,
            refund.now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'provider:' || ?4, 'payment.refunded', ?1, ?2, ?3
             WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = ?1 AND action = 'payment.refunded'
                                 AND json_extract(details, '$.key') = ?5)",
            subject.as_str(),
            details,
            refund.now,
            provider,
            key
        );
        let changes = self.db.batch(&[payment, order, audit]).await?;
        if changes.first().copied().unwrap_or(0) == 0 {
            // A concurrent delivery won; it queues the take-back.
            return Ok(RefundRecorded::Duplicate { take_back: None });
        }
        Ok(RefundRecorded::Applied { order_public_id: row.public_id })
    }

    async fn record_audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        details: serde_json::Value,
        now: i64,
    ) -> Result<(), StoreError> {
        self.audit(actor, action, subject, details, now).await
    }

    async fn record_unmatched(&self, unmatched: &Unmatched) -> Result<bool, StoreError> {
        let key = unmatched.idempotency_key.as_str();
        let claim = stmt!(
            "INSERT INTO processed_events (provider, event_id, processed_at) VALUES ('unmatched', ?1, ?2)
             ON CONFLICT (provider, event_id) DO NOTHING",
            key,
            unmatched.now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'provider:' || ?3, 'payment.unmatched', 'payment:' || ?1, ?2, ?4
             WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'payment:' || ?1 AND action = 'payment.unmatched')",
            key,
            unmatched.details.to_string(),
            unmatched.provider.code(),
            unmatched.now
        );
        let fail = stmt!(
            "UPDATE orders SET status = 'failed', metadata = json_set(metadata, '$.failure', ?2), updated_at = ?3
             WHERE id = ?1 AND status = 'pending'",
            unmatched.fail_order,
            "payment does not match the order",
            unmatched.now
        );
        let changes = self.db.batch(&[claim, audit, fail]).await?;
        Ok(changes.first().copied().unwrap_or(0) == 1)
    }

    async fn claim_alert(&self, name: &str, now: i64) -> Result<bool, StoreError> {
        Ok(self.claim("alert", name, now).await? == Claim::First)
    }

    async fn release_alert(&self, name: &str) -> Result<(), StoreError> {
        self.release("alert", name).await
    }

    async fn release_unmatched(&self, key: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM processed_events WHERE provider = 'unmatched' AND event_id = ?1";
        self.db.run(&stmt!(sql, key)).await?;
        Ok(())
    }

    async fn claim_trial(
        &self,
        user_id: i64,
        chat_id: i64,
        public_id: &str,
        days: u32,
        now: i64,
    ) -> Result<bool, StoreError> {
        // One transaction: the order exists only if the flag was still clear and the user has
        // not bought anything (a purchase still being provisioned counts).
        let order = stmt!(
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                 chat_id, created_at, updated_at, paid_at)
             SELECT ?1, ?2, NULL, 'trial', 'trial', 0, 'XTR', ?3, 'paid', ?4, ?5, ?5, ?5
             WHERE EXISTS (SELECT 1 FROM users WHERE id = ?2 AND trial_used = 0)
               AND NOT EXISTS (SELECT 1 FROM orders WHERE user_id = ?2 AND status IN ('paid', 'provisioned')
                                 AND kind <> 'bonus')",
            public_id,
            user_id,
            days,
            chat_id,
            now
        );
        let flag = stmt!(
            "UPDATE users SET trial_used = 1, updated_at = ?2
             WHERE id = ?1 AND trial_used = 0 AND EXISTS (SELECT 1 FROM orders WHERE public_id = ?3)",
            user_id,
            now,
            public_id
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'user:' || ?1, 'trial.claimed', 'order:' || ?2, json_object('days', ?3), ?4
             WHERE EXISTS (SELECT 1 FROM orders WHERE public_id = ?2 AND user_id = ?1)",
            user_id,
            public_id,
            days,
            now
        );
        let changes = self.db.batch(&[order, flag, audit]).await?;
        Ok(changes.first().copied().unwrap_or(0) == 1)
    }

    async fn subscription_summary(&self, user_id: i64) -> Result<SubscriptionSummary, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            panel_user_id: Option<i64>,
            expires_at: Option<i64>,
            trial_used: i64,
            plan: Option<String>,
            stars_charge: Option<String>,
            stars_canceled: Option<i64>,
            stars_failed: Option<i64>,
            has_purchases: i64,
        }
        let sql = concat!(
            "SELECT u.panel_user_id, u.expires_at, u.trial_used,
                     (SELECT CASE WHEN o.kind = 'trial' THEN 'trial' ELSE p.slug END
                        FROM orders o LEFT JOIN plans p ON p.id = o.plan_id
                       WHERE o.user_id = u.id AND o.status = 'provisioned' AND o.kind <> 'bonus'
                       ORDER BY o.provisioned_at DESC, o.id DESC LIMIT 1) AS plan,
                     s.stars_subscription_charge_id AS stars_charge, s.stars_subscription_canceled AS stars_canceled,
                     s.stars_renewal_failed AS stars_failed, ",
            has_purchases!("u.id"),
            " AS has_purchases
                   FROM users u
                   LEFT JOIN subscriptions s ON s.id = (
                     SELECT s2.id FROM subscriptions s2 WHERE s2.user_id = u.id AND s2.status = 'active'
                        AND s2.stars_subscription_charge_id IS NOT NULL ORDER BY s2.id DESC LIMIT 1)
                   WHERE u.id = ?1"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id)).await?;
        Ok(row
            .map(|r| SubscriptionSummary {
                panel_user_id: r.panel_user_id,
                plan_name: r.plan,
                expires_at: r.expires_at,
                trial_used: r.trial_used == 1,
                stars_subscription: r.stars_charge.map(|charge_id| StarsRenewal {
                    charge_id,
                    canceled: r.stars_canceled == Some(1),
                    failed: r.stars_failed == Some(1),
                }),
                has_purchases: r.has_purchases == 1,
            })
            .unwrap_or_default())
    }

    async fn set_stars_subscription_canceled(
        &self,
        charge_id: &str,
        canceled: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE subscriptions SET stars_subscription_canceled = ?2, updated_at = ?3 WHERE stars_subscription_charge_id = ?1";
        self.db.run(&stmt!(sql, charge_id, canceled, now)).await?;
        Ok(())
    }

    async fn set_stars_renewal(
        &self,
        order_public_id: &str,
        telegram_id: i64,
        change: RenewalChange,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (canceled, failed): (Option<bool>, Option<bool>) = match change {
            RenewalChange::Canceled => (Some(true), None),
            RenewalChange::Active => (Some(false), Some(false)),
            RenewalChange::Failed => (None, Some(true)),
        };
        // The subscription is known by its first charge, on the order its invoice created
        // (renewals carry the same payload).
        let sql = crate::sql!("UPDATE subscriptions SET
                       stars_subscription_canceled = COALESCE(?3, stars_subscription_canceled),
                       stars_renewal_failed = COALESCE(?4, stars_renewal_failed), updated_at = ?5
                   WHERE stars_subscription_charge_id = (
                       SELECT p.external_id FROM payments p JOIN orders o ON o.id = p.order_id
                         JOIN users u ON u.id = o.user_id
                        WHERE o.public_id = ?1 AND u.telegram_id = ?2 AND p.provider = 'stars' AND p.is_recurring = 1
                        ORDER BY p.id LIMIT 1)");
        let changed = self.db.run(&stmt!(sql, order_public_id, telegram_id, canceled, failed, now)).await?;
        Ok(changed > 0)
    }

    async fn known_payments(&self, keys: &[String]) -> Result<Vec<KnownPayment>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            key: String,
            paid: i64,
            refunded: i64,
        }
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let keys = serde_json::to_string(keys).map_err(StoreError::invalid)?;
        let sql = crate::sql!(
            "SELECT key, MAX(paid) AS paid, MAX(refunded) AS refunded FROM (
                     SELECT idempotency_key AS key, 1 AS paid, status = 'refunded' AS refunded FROM payments
                      WHERE idempotency_key IN (SELECT value FROM json_each(?1))
                     UNION ALL
                     SELECT substr(subject, 9) AS key, 0 AS paid, 1 AS refunded FROM audit_log
                      WHERE action = 'payment.refund_early'
                        AND subject IN (SELECT 'payment:' || value FROM json_each(?1)))
                   GROUP BY key"
        );
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, keys)).await?;
        Ok(rows
            .into_iter()
            .map(|r| KnownPayment { key: r.key, paid: r.paid == 1, refunded: r.refunded == 1 })
            .collect())
    }

    async fn ledger_cursor(&self, name: &str) -> Result<LedgerCursor, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            position: i64,
            caught_up_at: Option<i64>,
        }
        let sql = "SELECT position, caught_up_at FROM ledger_cursors WHERE name = ?1";
        let row: Option<Row> = first(&self.db, &stmt!(sql, name)).await?;
        Ok(row
            .map(|r| LedgerCursor {
                position: u64::try_from(r.position).unwrap_or(0),
                caught_up_at: r.caught_up_at,
            })
            .unwrap_or_default())
    }

    async fn save_ledger_cursor(
        &self,
        name: &str,
        position: u64,
        caught_up_at: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        let position = i64::try_from(position).map_err(StoreError::invalid)?;
        let sql = crate::sql!(
            "INSERT INTO ledger_cursors (name, position, caught_up_at, updated_at) VALUES (?1, ?2, ?3, ?4)
                   ON CONFLICT (name) DO UPDATE SET position = excluded.position,
                       caught_up_at = COALESCE(excluded.caught_up_at, ledger_cursors.caught_up_at),
                       updated_at = excluded.updated_at"
        );
        self.db.run(&stmt!(sql, name, position, caught_up_at, now)).await?;
        Ok(())
    }

    async fn update_subscription_link(
        &self,
        user_id: i64,
        short_uuid: &str,
        url: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let update = stmt!(
            "UPDATE users SET panel_short_uuid = ?2, subscription_url = ?3, updated_at = ?4 WHERE id = ?1",
            user_id,
            short_uuid,
            url,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             VALUES ('user:' || ?1, 'subscription.link_revoked', 'user:' || ?1, '{}', ?2)",
            user_id,
            now
        );
        self.db.batch(&[update, audit]).await?;
        Ok(())
    }

    async fn grant_referral_rewards(&self, payment_key: &str, now: i64) -> Result<Vec<String>, StoreError> {
        self.grant_rewards(payment_key, now).await
    }

    async fn reverse_referral_rewards(
        &self,
        order_public_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.reverse_rewards(order_public_id, now).await
    }

    async fn waiting_rewards(&self, order_public_id: &str) -> Result<Vec<String>, StoreError> {
        self.rewards_waiting(order_public_id).await
    }

    async fn unsettled_referral_rewards(
        &self,
        since: i64,
        limit: u32,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        self.unsettled_rewards(since, limit).await
    }
}

impl<D: Db> SqlStore<D> {
    /// An order buying `payment.order`'s plan again, created only if the invoiced order is no
    /// longer pending and the key is not recorded yet; pending until its payment marks it paid.
    fn repeat_order(&self, payment: &PaymentRecord, public_id: &str) -> Statement {
        let order = &payment.order;
        let kind = if payment.recurring { "renewal" } else { "purchase" };
        let mut metadata = json!({ "renews": order.public_id, "subscription": order.subscription });
        // Money for a gift stays a gift (its days are not the buyer's); money at a discounted
        // price spends the discount it was priced with.
        if order.gift {
            metadata["gift"] = json!(true);
        }
        let metadata = metadata.to_string();
        stmt!(
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days,
                 status, metadata, chat_id, created_at, updated_at, promo_redemption_id)
             SELECT ?1, ?2, ?3, ?4, ?13, ?5, ?6, ?7, 'pending', ?8, ?9, ?10, ?10,
                    (SELECT promo_redemption_id FROM orders WHERE id = ?11)
             WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = ?11 AND status = 'pending')
               AND NOT EXISTS (SELECT 1 FROM payments WHERE idempotency_key = ?12)",
            public_id,
            order.user_id,
            order.plan_id,
            kind,
            order.price.minor(),
            order.price.currency().code(),
            order.days,
            metadata,
            payment.chat_id,
            payment.now,
            order.id,
            payment.idempotency_key.as_str(),
            payment.provider.code()
        )
    }

    /// The public id of the order a payment (by idempotency key) went on, and what the
    /// payment became, if recorded.
    async fn order_of_payment(&self, key: &str) -> Result<Option<(String, RecordedState)>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            public_id: String,
            status: String,
            early: i64,
        }
        let sql = crate::sql!(
            "SELECT o.public_id, p.status,
                          EXISTS (SELECT 1 FROM audit_log WHERE subject = 'payment:' || ?1
                                    AND action = 'payment.arrived_refunded') AS early
                   FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.idempotency_key = ?1"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, key)).await?;
        Ok(row.map(|r| {
            let state = match (r.status.as_str(), r.early) {
                ("refunded", 1) => RecordedState::RefundedEarly,
                ("refunded", _) => RecordedState::Refunded,
                _ => RecordedState::Live,
            };
            (r.public_id, state)
        }))
    }
}
