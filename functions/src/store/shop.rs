//! `ShopStore` on D1: plans, orders, Stars payments and refunds, trials.
//!
//! Money-changing writes run as one D1 batch (a transaction) and are keyed so that a replay
//! changes nothing: payments are unique on the Telegram charge id, an order only moves from
//! `pending` to `paid` when its payment row exists, a refund only from `completed`.

use serde::Deserialize;
use serde_json::json;
use wavegate_bot::shop::{
    NewOrder, OrderView, PaymentRecorded, Plan, RefundRecorded, ShopStore, StarsPayment, SubscriptionSummary,
};
use wavegate_bot::store::StoreError;
use wavegate_shared::money::Money;
use wavegate_shared::remnawave::TrafficLimitStrategy;
use wavegate_shared::subscription::OrderStatus;

use super::bot::D1Store;
use super::{changes, db_err, execute, first, statement, Sql};
use worker::D1PreparedStatement;

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
    amount_minor: i64,
    currency: String,
    days: i64,
    plan_id: Option<i64>,
    subscription: Option<i64>,
    current_price: Option<i64>,
}

#[derive(Deserialize)]
struct PublicId {
    public_id: String,
}

impl ShopStore for D1Store<'_> {
    async fn active_plans(&self) -> Result<Vec<Plan>, StoreError> {
        let sql =
            "SELECT p.id, p.slug, p.name, p.days, p.traffic_limit_bytes, p.traffic_strategy, p.device_limit,
                          pp.currency, pp.amount_minor
                   FROM plans p JOIN plan_prices pp ON pp.plan_id = p.id
                   WHERE p.is_active = 1 ORDER BY p.sort_order, p.id";
        let rows: Vec<PlanPriceRow> = statement(self.db, sql, &[])
            .map_err(db_err)?
            .all()
            .await
            .map_err(db_err)?
            .results()
            .map_err(db_err)?;
        let mut plans: Vec<Plan> = Vec::new();
        for row in rows {
            let Ok(price) = Money::parse(row.amount_minor, &row.currency) else { continue };
            match plans.last_mut() {
                Some(plan) if plan.id == row.id => plan.prices.push(price),
                _ => plans.push(Plan {
                    id: row.id,
                    slug: row.slug,
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
        let sql =
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days,
                       status, metadata, chat_id, created_at, updated_at)
                   VALUES (?1, ?2, ?3, 'purchase', ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?10, ?10)";
        let metadata = json!({ "subscription": order.subscription }).to_string();
        let args = [
            order.public_id.as_str().into(),
            Sql::Int(order.user_id),
            Sql::Int(order.plan_id),
            order.provider.into(),
            Sql::Int(order.price.minor()),
            order.price.currency().code().into(),
            Sql::Int(i64::from(order.days)),
            metadata.as_str().into(),
            Sql::Int(order.chat_id),
            Sql::Int(order.now),
        ];
        execute(self.db, sql, &args).await.map(|_| ()).map_err(db_err)
    }

    async fn order(&self, public_id: &str) -> Result<Option<OrderView>, StoreError> {
        let sql = "SELECT o.id, o.public_id, o.user_id, u.telegram_id, o.status, o.amount_minor, o.currency, o.days,
                          o.plan_id, json_extract(o.metadata, '$.subscription') AS subscription,
                          (SELECT pp.amount_minor FROM plan_prices pp JOIN plans p ON p.id = pp.plan_id
                            WHERE pp.plan_id = o.plan_id AND pp.currency = o.currency AND p.is_active = 1) AS current_price
                   FROM orders o JOIN users u ON u.id = o.user_id WHERE o.public_id = ?1";
        let row: Option<OrderRow> = first(self.db, sql, &[public_id.into()]).await.map_err(db_err)?;
        Ok(row.and_then(|r| {
            Some(OrderView {
                id: r.id,
                public_id: r.public_id,
                user_id: r.user_id,
                telegram_id: r.telegram_id,
                status: OrderStatus::parse(&r.status)?,
                amount_minor: r.amount_minor,
                currency: r.currency,
                days: u32::try_from(r.days).ok()?,
                plan_id: r.plan_id,
                subscription: r.subscription == Some(1),
                current_price_minor: r.current_price,
            })
        }))
    }

    async fn record_stars_payment(
        &self,
        payment: &StarsPayment,
        fresh_order_id: &str,
    ) -> Result<PaymentRecorded, StoreError> {
        let charge = payment.charge_id.as_str();
        if let Some(found) = self.order_of_charge(charge).await? {
            return Ok(PaymentRecorded::Duplicate { order_public_id: found });
        }
        let order = &payment.order;
        // One batch, one transaction. Money for an order that is no longer pending at this
        // moment (a subscription renewal, an invoice paid twice, two checkouts racing) buys the
        // same plan again on an order of its own (1); the payment goes on that order or the
        // invoiced one (2), unless the charge is already recorded; its order becomes paid (3).
        let repeat = self.repeat_order(payment, fresh_order_id)?;
        let metadata = json!({ "subscription_expires_at": payment.subscription_expires_at }).to_string();
        let key = format!("stars:{charge}");
        let insert = statement(
            self.db,
            "INSERT INTO payments (order_id, user_id, provider, amount_minor, currency, external_id, status,
                 idempotency_key, telegram_payment_charge_id, provider_payment_charge_id, is_recurring, metadata,
                 created_at, updated_at)
             VALUES (COALESCE((SELECT id FROM orders WHERE public_id = ?10), ?1), ?2, 'stars', ?3, 'XTR', ?4,
                     'completed', ?5, ?4, ?6, ?7, ?8, ?9, ?9)
             ON CONFLICT DO NOTHING",
            &[
                Sql::Int(order.id),
                Sql::Int(order.user_id),
                Sql::Int(payment.amount),
                charge.into(),
                key.as_str().into(),
                payment.provider_charge_id.as_str().into(),
                Sql::Int(i64::from(payment.is_recurring)),
                metadata.as_str().into(),
                Sql::Int(payment.now),
                fresh_order_id.into(),
            ],
        )
        .map_err(db_err)?;
        let mark_paid = statement(
            self.db,
            "UPDATE orders SET status = 'paid', paid_at = ?2, updated_at = ?2, external_id = ?1
             WHERE id = (SELECT order_id FROM payments WHERE telegram_payment_charge_id = ?1) AND status = 'pending'",
            &[charge.into(), Sql::Int(payment.now)],
        )
        .map_err(db_err)?;
        let details =
            json!({ "charge": charge, "amount": payment.amount, "currency": "XTR", "recurring": payment.is_recurring })
                .to_string();
        let audit = statement(
            self.db,
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'provider:stars', 'payment.completed', 'order:' || o.public_id, ?2, ?3
             FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.telegram_payment_charge_id = ?1",
            &[charge.into(), details.as_str().into(), Sql::Int(payment.now)],
        )
        .map_err(db_err)?;
        let results = self.db.batch(vec![repeat, insert, mark_paid, audit]).await.map_err(db_err)?;
        let recorded_on =
            self.order_of_charge(charge).await?.ok_or_else(|| db_err("payment not recorded"))?;
        if changes(&results, 1) == 0 {
            // A concurrent delivery of the same charge won the insert.
            return Ok(PaymentRecorded::Duplicate { order_public_id: recorded_on });
        }
        if recorded_on != order.public_id {
            crate::log::info(
                "payment.new_order",
                json!({ "invoiced": order.public_id, "order": recorded_on }),
            );
        }
        Ok(PaymentRecorded::Applied { order_public_id: recorded_on })
    }

    async fn record_stars_refund(&self, charge_id: &str, now: i64) -> Result<RefundRecorded, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            payment_id: i64,
            payment_status: String,
            order_id: i64,
            public_id: String,
        }
        let sql = "SELECT p.id AS payment_id, p.status AS payment_status, o.id AS order_id, o.public_id
                   FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.telegram_payment_charge_id = ?1";
        let Some(row): Option<Row> = first(self.db, sql, &[charge_id.into()]).await.map_err(db_err)? else {
            return Ok(RefundRecorded::UnknownCharge);
        };
        if row.payment_status == "refunded" {
            return Ok(RefundRecorded::Duplicate);
        }
        let payment = statement(
            self.db,
            "UPDATE payments SET status = 'refunded', updated_at = ?2 WHERE id = ?1 AND status = 'completed'",
            &[Sql::Int(row.payment_id), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let order = statement(
            self.db,
            "UPDATE orders SET status = 'refunded', refunded_at = ?2, updated_at = ?2
             WHERE id = ?1 AND status IN ('paid', 'provisioned')",
            &[Sql::Int(row.order_id), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let audit = statement(
            self.db,
            "INSERT INTO audit_log (actor, action, subject, details, created_at) VALUES ('provider:stars', 'payment.refunded', ?1, ?2, ?3)",
            &[format!("order:{}", row.public_id).as_str().into(), json!({ "charge": charge_id }).to_string().as_str().into(), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let results = self.db.batch(vec![payment, order, audit]).await.map_err(db_err)?;
        if changes(&results, 0) == 0 {
            return Ok(RefundRecorded::Duplicate);
        }
        Ok(RefundRecorded::Applied { order_public_id: row.public_id })
    }

    async fn fail_order(&self, order_id: i64, reason: &str, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE orders SET status = 'failed', metadata = json_set(metadata, '$.failure', ?2), updated_at = ?3
                   WHERE id = ?1 AND status = 'pending'";
        execute(self.db, sql, &[Sql::Int(order_id), reason.into(), Sql::Int(now)])
            .await
            .map(|_| ())
            .map_err(db_err)
    }

    async fn record_unmatched_payment(
        &self,
        charge_id: &str,
        details: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let claim = "INSERT INTO processed_events (provider, event_id, processed_at) VALUES ('stars_unmatched', ?1, ?2)
                     ON CONFLICT (provider, event_id) DO NOTHING";
        if execute(self.db, claim, &[charge_id.into(), Sql::Int(now)]).await.map_err(db_err)? == 0 {
            return Ok(false);
        }
        let details: serde_json::Value = serde_json::from_str(details).unwrap_or(json!({}));
        self.audit("provider:stars", "payment.unmatched", &format!("charge:{charge_id}"), details, now)
            .await?;
        Ok(true)
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
        let order = statement(
            self.db,
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                 chat_id, created_at, updated_at, paid_at)
             SELECT ?1, ?2, NULL, 'trial', 'trial', 0, 'XTR', ?3, 'paid', ?4, ?5, ?5, ?5
             WHERE EXISTS (SELECT 1 FROM users WHERE id = ?2 AND trial_used = 0)
               AND NOT EXISTS (SELECT 1 FROM orders WHERE user_id = ?2 AND status IN ('paid', 'provisioned'))",
            &[public_id.into(), Sql::Int(user_id), Sql::Int(i64::from(days)), Sql::Int(chat_id), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let flag = statement(
            self.db,
            "UPDATE users SET trial_used = 1, updated_at = ?2
             WHERE id = ?1 AND trial_used = 0 AND EXISTS (SELECT 1 FROM orders WHERE public_id = ?3)",
            &[Sql::Int(user_id), Sql::Int(now), public_id.into()],
        )
        .map_err(db_err)?;
        let results = self.db.batch(vec![order, flag]).await.map_err(db_err)?;
        let claimed = changes(&results, 0) == 1;
        if claimed {
            self.audit(
                &format!("user:{user_id}"),
                "trial.claimed",
                &format!("order:{public_id}"),
                json!({ "days": days }),
                now,
            )
            .await?;
        }
        Ok(claimed)
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
            has_purchases: i64,
        }
        let sql = "SELECT u.panel_user_id, u.expires_at, u.trial_used,
                     (SELECT CASE WHEN o.kind = 'trial' THEN 'trial' ELSE p.slug END
                        FROM orders o LEFT JOIN plans p ON p.id = o.plan_id
                       WHERE o.user_id = u.id AND o.status = 'provisioned'
                       ORDER BY o.provisioned_at DESC, o.id DESC LIMIT 1) AS plan,
                     s.stars_subscription_charge_id AS stars_charge, s.stars_subscription_canceled AS stars_canceled,
                     EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.kind <> 'trial'
                              AND o.status IN ('paid', 'provisioned', 'refunded')) AS has_purchases
                   FROM users u
                   LEFT JOIN subscriptions s ON s.id = (
                     SELECT s2.id FROM subscriptions s2 WHERE s2.user_id = u.id AND s2.status = 'active'
                        AND s2.stars_subscription_charge_id IS NOT NULL ORDER BY s2.id DESC LIMIT 1)
                   WHERE u.id = ?1";
        let row: Option<Row> = first(self.db, sql, &[Sql::Int(user_id)]).await.map_err(db_err)?;
        Ok(row
            .map(|r| SubscriptionSummary {
                panel_user_id: r.panel_user_id,
                plan_name: r.plan,
                expires_at: r.expires_at,
                trial_used: r.trial_used == 1,
                stars_subscription: r.stars_charge.map(|c| (c, r.stars_canceled == Some(1))),
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
        execute(self.db, sql, &[charge_id.into(), Sql::Int(i64::from(canceled)), Sql::Int(now)])
            .await
            .map(|_| ())
            .map_err(db_err)
    }

    async fn update_subscription_link(
        &self,
        user_id: i64,
        short_uuid: &str,
        url: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let sql =
            "UPDATE users SET panel_short_uuid = ?2, subscription_url = ?3, updated_at = ?4 WHERE id = ?1";
        execute(self.db, sql, &[Sql::Int(user_id), short_uuid.into(), url.into(), Sql::Int(now)])
            .await
            .map(|_| ())
            .map_err(db_err)?;
        self.audit(
            &format!("user:{user_id}"),
            "subscription.link_revoked",
            &format!("user:{user_id}"),
            json!({}),
            now,
        )
        .await
    }
}

impl D1Store<'_> {
    /// An order buying `payment.order`'s plan again, created only if the invoiced order is no
    /// longer pending and the charge is not recorded yet; pending until its payment marks it paid.
    fn repeat_order(
        &self,
        payment: &StarsPayment,
        public_id: &str,
    ) -> Result<D1PreparedStatement, StoreError> {
        let order = &payment.order;
        let kind = if payment.is_recurring { "renewal" } else { "purchase" };
        let metadata = json!({ "renews": order.public_id, "subscription": order.subscription }).to_string();
        statement(
            self.db,
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days,
                 status, metadata, chat_id, created_at, updated_at)
             SELECT ?1, ?2, ?3, ?4, 'stars', ?5, ?6, ?7, 'pending', ?8, ?9, ?10, ?10
             WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = ?11 AND status = 'pending')
               AND NOT EXISTS (SELECT 1 FROM payments WHERE telegram_payment_charge_id = ?12)",
            &[
                public_id.into(),
                Sql::Int(order.user_id),
                order.plan_id.map_or(Sql::Null, Sql::Int),
                kind.into(),
                Sql::Int(order.amount_minor),
                order.currency.as_str().into(),
                Sql::Int(i64::from(order.days)),
                metadata.as_str().into(),
                Sql::Int(payment.chat_id),
                Sql::Int(payment.now),
                Sql::Int(order.id),
                payment.charge_id.as_str().into(),
            ],
        )
        .map_err(db_err)
    }

    /// The public id of the order a Stars charge paid, if it was recorded.
    async fn order_of_charge(&self, charge: &str) -> Result<Option<String>, StoreError> {
        let sql = "SELECT o.public_id FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.telegram_payment_charge_id = ?1";
        let row: Option<PublicId> = first(self.db, sql, &[charge.into()]).await.map_err(db_err)?;
        Ok(row.map(|r| r.public_id))
    }
}
