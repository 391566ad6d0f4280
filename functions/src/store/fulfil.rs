//! `FulfilStore` on D1: the bookkeeping that makes provisioning exactly-once.

use serde::Deserialize;
use serde_json::json;
use wavegate_bot::fulfil::{FulfilOrder, FulfilStore, FulfilUser, InFlight, Lease, Limits, PanelRecord};
use wavegate_bot::store::StoreError;
use wavegate_shared::subscription::OrderStatus;

use super::bot::D1Store;
use super::shop::strategy;
use super::{db_err, execute, first, statement, Sql};

#[derive(Deserialize)]
struct Row {
    id: i64,
    public_id: String,
    status: String,
    kind: String,
    days: i64,
    amount_minor: i64,
    currency: String,
    chat_id: Option<i64>,
    target_expires_at: Option<i64>,
    provisioned_at: Option<i64>,
    notified_at: Option<i64>,
    revert_expires_at: Option<i64>,
    reverted_at: Option<i64>,
    user_id: i64,
    telegram_id: i64,
    locale: Option<String>,
    language_code: Option<String>,
    panel_user_id: Option<i64>,
    traffic_limit_bytes: Option<i64>,
    traffic_strategy: Option<String>,
    device_limit: Option<i64>,
}

#[derive(Deserialize)]
struct Value {
    v: Option<i64>,
}

impl FulfilStore for D1Store<'_> {
    async fn fulfil_order(&self, public_id: &str) -> Result<Option<FulfilOrder>, StoreError> {
        let sql = "SELECT o.id, o.public_id, o.status, o.kind, o.days, o.amount_minor, o.currency, o.chat_id,
                          o.target_expires_at, o.provisioned_at, o.notified_at, o.revert_expires_at, o.reverted_at,
                          u.id AS user_id, u.telegram_id, u.locale, u.language_code, u.panel_user_id,
                          p.traffic_limit_bytes, p.traffic_strategy, p.device_limit
                   FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN plans p ON p.id = o.plan_id
                   WHERE o.public_id = ?1";
        let row: Option<Row> = first(self.db, sql, &[public_id.into()]).await.map_err(db_err)?;
        let Some(r) = row else { return Ok(None) };
        let status =
            OrderStatus::parse(&r.status).ok_or_else(|| db_err(format!("order status {}", r.status)))?;
        let trial = r.kind == "trial";
        let plan = match (trial, r.traffic_limit_bytes, r.traffic_strategy, r.device_limit) {
            (false, Some(bytes), Some(strategy_name), Some(devices)) => Some(Limits {
                traffic_limit_bytes: u64::try_from(bytes).unwrap_or(0),
                traffic_strategy: strategy(&strategy_name),
                device_limit: u32::try_from(devices).unwrap_or(0),
            }),
            _ => None,
        };
        Ok(Some(FulfilOrder {
            id: r.id,
            public_id: r.public_id,
            status,
            trial,
            days: u32::try_from(r.days).map_err(db_err)?,
            amount_minor: r.amount_minor,
            currency: r.currency,
            chat_id: r.chat_id,
            target_expires_at: r.target_expires_at,
            provisioned_at: r.provisioned_at,
            notified_at: r.notified_at,
            revert_expires_at: r.revert_expires_at,
            reverted_at: r.reverted_at,
            user: FulfilUser {
                id: r.user_id,
                telegram_id: r.telegram_id,
                locale: r.locale,
                language_code: r.language_code,
                panel_user_id: r.panel_user_id,
            },
            plan,
        }))
    }

    async fn take_lease(&self, user_id: i64, token: &str, now: i64, until: i64) -> Result<Lease, StoreError> {
        let sql = "UPDATE users SET provisioning_until = ?4, provisioning_token = ?2
                   WHERE id = ?1 AND (provisioning_until IS NULL OR provisioning_until < ?3)";
        let args = [Sql::Int(user_id), token.into(), Sql::Int(now), Sql::Int(until)];
        if execute(self.db, sql, &args).await.map_err(db_err)? == 1 {
            return Ok(Lease::Taken);
        }
        let held: Option<Value> =
            first(self.db, "SELECT provisioning_until AS v FROM users WHERE id = ?1", &[Sql::Int(user_id)])
                .await
                .map_err(db_err)?;
        Ok(Lease::HeldUntil(held.and_then(|h| h.v).unwrap_or(now)))
    }

    async fn release_lease(&self, user_id: i64, token: &str) -> Result<(), StoreError> {
        let sql = "UPDATE users SET provisioning_until = NULL, provisioning_token = NULL
                   WHERE id = ?1 AND provisioning_token = ?2";
        execute(self.db, sql, &[Sql::Int(user_id), token.into()]).await.map(|_| ()).map_err(db_err)
    }

    async fn in_flight(&self, user_id: i64, order_id: i64) -> Result<InFlight, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            targets: i64,
            reverts: i64,
        }
        let sql = "SELECT
                     EXISTS (SELECT 1 FROM orders WHERE user_id = ?1 AND id <> ?2 AND status = 'paid'
                              AND target_expires_at IS NOT NULL AND provisioned_at IS NULL) AS targets,
                     EXISTS (SELECT 1 FROM orders WHERE user_id = ?1 AND id <> ?2 AND status = 'refunded'
                              AND revert_expires_at IS NOT NULL AND reverted_at IS NULL) AS reverts";
        let row: Option<Row> =
            first(self.db, sql, &[Sql::Int(user_id), Sql::Int(order_id)]).await.map_err(db_err)?;
        Ok(row.map(|r| InFlight { targets: r.targets == 1, reverts: r.reverts == 1 }).unwrap_or_default())
    }

    async fn record_panel_user(&self, user_id: i64, panel: &PanelRecord, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE users SET panel_user_id = ?2, panel_short_uuid = ?3, subscription_url = ?4, expires_at = ?5,
                       panel_status = ?6, updated_at = ?7 WHERE id = ?1";
        let args = [
            Sql::Int(user_id),
            Sql::Int(panel.panel_user_id),
            panel.short_uuid.as_str().into(),
            panel.subscription_url.as_str().into(),
            Sql::Int(panel.expires_at),
            panel.status.into(),
            Sql::Int(now),
        ];
        execute(self.db, sql, &args).await.map(|_| ()).map_err(db_err)
    }

    async fn assign_target(&self, order_id: i64, now: i64) -> Result<i64, StoreError> {
        // One statement, so it cannot interleave with another order's assignment: stack on the
        // later of now, the user's current expiry, and any paid order still in flight.
        let sql = "UPDATE orders SET target_expires_at = max(?2,
                       COALESCE((SELECT expires_at FROM users WHERE id = orders.user_id), 0),
                       COALESCE((SELECT MAX(o2.target_expires_at) FROM orders o2
                                  WHERE o2.user_id = orders.user_id AND o2.status = 'paid' AND o2.id <> orders.id), 0)
                     ) + orders.days * 86400,
                     updated_at = ?2
                   WHERE id = ?1 AND target_expires_at IS NULL";
        execute(self.db, sql, &[Sql::Int(order_id), Sql::Int(now)]).await.map_err(db_err)?;
        let row: Option<Value> =
            first(self.db, "SELECT target_expires_at AS v FROM orders WHERE id = ?1", &[Sql::Int(order_id)])
                .await
                .map_err(db_err)?;
        row.and_then(|r| r.v).ok_or_else(|| db_err("target expiry not assigned"))
    }

    async fn mark_provisioned(&self, order: &FulfilOrder, target: i64, now: i64) -> Result<(), StoreError> {
        let mark = statement(
            self.db,
            "UPDATE orders SET status = CASE WHEN status = 'paid' THEN 'provisioned' ELSE status END,
                 provisioned_at = COALESCE(provisioned_at, ?2), updated_at = ?2 WHERE id = ?1",
            &[Sql::Int(order.id), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let period = statement(
            self.db,
            // A Stars subscription is named by its first charge: the one that paid the order
            // its renewals' payload names (`renews`), or this order's own.
            "WITH c AS (
               SELECT CASE WHEN EXISTS (SELECT 1 FROM payments WHERE order_id = ?1 AND is_recurring = 1) THEN
                        (SELECT p.telegram_payment_charge_id FROM payments p JOIN orders o2 ON o2.id = p.order_id
                          WHERE p.is_recurring = 1 AND o2.public_id =
                                (SELECT COALESCE(json_extract(metadata, '$.renews'), public_id) FROM orders WHERE id = ?1)
                          ORDER BY p.id LIMIT 1)
                      END AS charge)
             INSERT INTO subscriptions (user_id, plan_id, order_id, source, days, starts_at, expires_at, status,
                 stars_subscription_charge_id, stars_subscription_canceled, created_at, updated_at)
             SELECT o.user_id, o.plan_id, o.id,
                    CASE o.kind WHEN 'trial' THEN 'trial' WHEN 'renewal' THEN 'renewal' ELSE 'purchase' END,
                    o.days, ?2 - o.days * 86400, ?2, 'active', c.charge,
                    COALESCE((SELECT s.stars_subscription_canceled FROM subscriptions s
                               WHERE s.stars_subscription_charge_id = c.charge ORDER BY s.id DESC LIMIT 1), 0),
                    ?3, ?3
             FROM orders o, c WHERE o.id = ?1
             ON CONFLICT (order_id) DO NOTHING",
            &[Sql::Int(order.id), Sql::Int(target), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let audit = statement(
            self.db,
            "INSERT INTO audit_log (actor, action, subject, details, created_at) VALUES ('system', 'order.provisioned', ?1, ?2, ?3)",
            &[
                format!("order:{}", order.public_id).as_str().into(),
                json!({ "target_expires_at": target, "days": order.days }).to_string().as_str().into(),
                Sql::Int(now),
            ],
        )
        .map_err(db_err)?;
        self.db.batch(vec![mark, period, audit]).await.map(|_| ()).map_err(db_err)
    }

    async fn mark_notified(&self, order_id: i64, now: i64) -> Result<(), StoreError> {
        execute(
            self.db,
            "UPDATE orders SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL",
            &[Sql::Int(order_id), Sql::Int(now)],
        )
        .await
        .map(|_| ())
        .map_err(db_err)
    }

    async fn assign_revert(&self, order_id: i64, revert_expires_at: i64) -> Result<i64, StoreError> {
        let sql = "UPDATE orders SET revert_expires_at = ?2 WHERE id = ?1 AND revert_expires_at IS NULL";
        execute(self.db, sql, &[Sql::Int(order_id), Sql::Int(revert_expires_at)]).await.map_err(db_err)?;
        let row: Option<Value> =
            first(self.db, "SELECT revert_expires_at AS v FROM orders WHERE id = ?1", &[Sql::Int(order_id)])
                .await
                .map_err(db_err)?;
        row.and_then(|r| r.v).ok_or_else(|| db_err("refund expiry not assigned"))
    }

    async fn mark_reverted(&self, order: &FulfilOrder, now: i64) -> Result<(), StoreError> {
        let mark = statement(
            self.db,
            "UPDATE orders SET reverted_at = ?2, updated_at = ?2 WHERE id = ?1 AND reverted_at IS NULL",
            &[Sql::Int(order.id), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let period = statement(
            self.db,
            "UPDATE subscriptions SET status = 'refunded', updated_at = ?2 WHERE order_id = ?1",
            &[Sql::Int(order.id), Sql::Int(now)],
        )
        .map_err(db_err)?;
        let audit = statement(
            self.db,
            "INSERT INTO audit_log (actor, action, subject, details, created_at) VALUES ('system', 'order.reverted', ?1, ?2, ?3)",
            &[
                format!("order:{}", order.public_id).as_str().into(),
                json!({ "days": order.days }).to_string().as_str().into(),
                Sql::Int(now),
            ],
        )
        .map_err(db_err)?;
        self.db.batch(vec![mark, period, audit]).await.map(|_| ()).map_err(db_err)
    }

    async fn set_blocked_by_telegram_id(&self, telegram_id: i64, now: i64) -> Result<(), StoreError> {
        execute(
            self.db,
            "UPDATE users SET is_blocked = 1, updated_at = ?2 WHERE telegram_id = ?1",
            &[Sql::Int(telegram_id), Sql::Int(now)],
        )
        .await
        .map(|_| ())
        .map_err(db_err)
    }
}

/// Orders that slipped: paid but not provisioned, provisioned but the customer never told,
/// refunded after provisioning but the days not yet taken back. `before` leaves the queue time
/// to do its job first.
pub async fn stragglers(
    db: &worker::D1Database,
    before: i64,
    limit: i64,
) -> worker::Result<Vec<(String, bool)>> {
    #[derive(Deserialize)]
    struct Straggler {
        public_id: String,
        take_back: i64,
    }
    // Oldest first, so nothing starves behind newer stragglers. A refunded order counts once
    // its days may have reached the panel (a target was decided), even if not marked provisioned.
    let sql = "SELECT public_id, take_back FROM (
                 SELECT public_id, 0 AS take_back, COALESCE(paid_at, provisioned_at) AS since FROM orders
                  WHERE (status = 'paid' AND paid_at < ?1)
                     OR (status = 'provisioned' AND notified_at IS NULL AND provisioned_at < ?1)
                 UNION ALL
                 SELECT public_id, 1 AS take_back, refunded_at AS since FROM orders
                  WHERE status = 'refunded' AND reverted_at IS NULL AND refunded_at < ?1
                    AND (provisioned_at IS NOT NULL OR target_expires_at IS NOT NULL))
               ORDER BY since LIMIT ?2";
    let rows: Vec<Straggler> =
        statement(db, sql, &[Sql::Int(before), Sql::Int(limit)])?.all().await?.results()?;
    Ok(rows.into_iter().map(|r| (r.public_id, r.take_back == 1)).collect())
}
