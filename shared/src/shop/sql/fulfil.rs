//! [`FulfilStore`] in SQL: the bookkeeping that makes provisioning exactly-once, and the
//! reconciliation query that finds orders that slipped.

use crate::shop::ports::BonusSource;
use serde::Deserialize;
use serde_json::json;

use crate::db::{all, first, Db};
use crate::money::Money;
use crate::shop::fulfil::{FulfilOrder, FulfilUser, InFlight, Lease, Limits, PanelRecord};
use crate::shop::store::{FulfilStore, StoreError};
use crate::stmt;
use crate::subscription::OrderStatus;

use super::orders::strategy;
use super::{to_u32, SqlStore};

#[derive(Deserialize)]
struct Row {
    id: i64,
    public_id: String,
    status: String,
    kind: String,
    promo: Option<String>,
    gift_type: Option<String>,
    admin_grant: Option<String>,
    days: i64,
    amount_minor: i64,
    currency: String,
    chat_id: Option<i64>,
    target_expires_at: Option<i64>,
    provisioned_at: Option<i64>,
    notified_at: Option<i64>,
    revert_expires_at: Option<i64>,
    taken_back_seconds: Option<i64>,
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

/// An order the reconciliation re-queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Straggler {
    pub public_id: String,
    /// Its days must be taken back (a refund), rather than provisioned or announced.
    pub take_back: bool,
}

impl<D: Db> FulfilStore for SqlStore<D> {
    async fn fulfil_order(&self, public_id: &str) -> Result<Option<FulfilOrder>, StoreError> {
        let sql = crate::sql!("SELECT o.id, o.public_id, o.status, o.kind, o.days, o.amount_minor, o.currency, o.chat_id,
                          o.target_expires_at, o.provisioned_at, json_extract(o.metadata, '$.promo') AS promo, json_type(o.metadata, '$.gift') AS gift_type, json_extract(o.metadata, '$.admin') AS admin_grant, COALESCE(o.notified_at, CASE WHEN o.notice_error IS NOT NULL
                            THEN o.updated_at END) AS notified_at, o.revert_expires_at, o.taken_back_seconds, o.reverted_at,
                          u.id AS user_id, u.telegram_id, u.locale, u.language_code, u.panel_user_id,
                          p.traffic_limit_bytes, p.traffic_strategy, p.device_limit
                   FROM orders o JOIN users u ON u.id = o.user_id LEFT JOIN plans p ON p.id = o.plan_id
                   WHERE o.public_id = ?1");
        let row: Option<Row> = first(&self.db, &stmt!(sql, public_id)).await?;
        let Some(r) = row else { return Ok(None) };
        let status = OrderStatus::parse(&r.status)
            .ok_or_else(|| StoreError::invalid(format!("order status {}", r.status)))?;
        let trial = r.kind == "trial";
        let bonus = r.kind == "bonus";
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
            bonus,
            gift: r.gift_type.as_deref() == Some("true"),
            gift_received: r.gift_type.as_deref() == Some("text"),
            bonus_source: match (r.promo, r.admin_grant) {
                _ if r.gift_type.as_deref() == Some("text") => BonusSource::Gift,
                (Some(_), _) => BonusSource::Promo,
                (None, Some(_)) => BonusSource::Admin,
                (None, None) => BonusSource::Referral,
            },
            days: to_u32(r.days, "order days")?,
            price: Money::parse(r.amount_minor, &r.currency).ok(),
            chat_id: r.chat_id,
            target_expires_at: r.target_expires_at,
            provisioned_at: r.provisioned_at,
            notified_at: r.notified_at,
            revert_expires_at: r.revert_expires_at,
            taken_back_seconds: r.taken_back_seconds,
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
        let sql = crate::sql!(
            "UPDATE users SET provisioning_until = ?4, provisioning_token = ?2
                   WHERE id = ?1 AND (provisioning_until IS NULL OR provisioning_until < ?3)"
        );
        if self.db.run(&stmt!(sql, user_id, token, now, until)).await? == 1 {
            return Ok(Lease::Taken);
        }
        let held: Option<Value> =
            first(&self.db, &stmt!("SELECT provisioning_until AS v FROM users WHERE id = ?1", user_id))
                .await?;
        Ok(Lease::HeldUntil(held.and_then(|h| h.v).unwrap_or(now)))
    }

    async fn release_lease(&self, user_id: i64, token: &str) -> Result<(), StoreError> {
        let sql = crate::sql!(
            "UPDATE users SET provisioning_until = NULL, provisioning_token = NULL
                   WHERE id = ?1 AND provisioning_token = ?2"
        );
        self.db.run(&stmt!(sql, user_id, token)).await?;
        Ok(())
    }

    async fn in_flight(&self, user_id: i64, order_id: i64) -> Result<InFlight, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            targets: i64,
            reverts: i64,
        }
        // A refunded order counts as soon as its target was decided: its days may be on the
        // panel (or land there from a retry) even if it was never marked provisioned.
        let sql = crate::sql!(
            "SELECT
                     EXISTS (SELECT 1 FROM orders WHERE user_id = ?1 AND id <> ?2 AND status = 'paid'
                              AND target_expires_at IS NOT NULL AND provisioned_at IS NULL) AS targets,
                     EXISTS (SELECT 1 FROM orders WHERE user_id = ?1 AND id <> ?2 AND status = 'refunded'
                              AND target_expires_at IS NOT NULL AND reverted_at IS NULL) AS reverts"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id, order_id)).await?;
        Ok(row.map(|r| InFlight { targets: r.targets == 1, reverts: r.reverts == 1 }).unwrap_or_default())
    }

    async fn record_panel_user(&self, user_id: i64, panel: &PanelRecord, now: i64) -> Result<(), StoreError> {
        // What provisioning just read from the panel is the freshest state: seen now.
        let sql = crate::sql!("UPDATE users SET panel_user_id = ?2, panel_short_uuid = ?3, subscription_url = ?4, expires_at = ?5,
                       panel_status = ?6, updated_at = ?7, panel_seen_at = ?7, traffic_used_bytes = ?8,
                       traffic_limit_bytes = ?9
                   WHERE id = ?1");
        self.db
            .run(&stmt!(
                sql,
                user_id,
                panel.panel_user_id,
                panel.short_uuid.as_str(),
                panel.subscription_url.as_str(),
                panel.expires_at,
                panel.status,
                now,
                panel.traffic_used_bytes,
                panel.traffic_limit_bytes
            ))
            .await?;
        Ok(())
    }

    async fn assign_target(&self, order_id: i64, now: i64) -> Result<i64, StoreError> {
        // One statement, so it cannot interleave with another order's assignment: stack on the
        // later of now, the user's current expiry, and every other order whose days may still
        // reach the panel — paid ones in flight, and refunded ones not yet taken back (their
        // take-back then finds its days under ours and removes exactly them).
        let sql = crate::sql!("UPDATE orders SET target_expires_at = max(?2,
                       COALESCE((SELECT expires_at FROM users WHERE id = orders.user_id), 0),
                       COALESCE((SELECT MAX(o2.target_expires_at) FROM orders o2
                                  WHERE o2.user_id = orders.user_id AND o2.id <> orders.id
                                    AND (o2.status = 'paid' OR (o2.status = 'refunded' AND o2.reverted_at IS NULL))), 0)
                     ) + orders.days * 86400,
                     updated_at = ?2
                   WHERE id = ?1 AND target_expires_at IS NULL
                   RETURNING target_expires_at AS v");
        if let Some(Value { v: Some(v) }) = first(&self.db, &stmt!(sql, order_id, now)).await? {
            return Ok(v);
        }
        let row: Option<Value> =
            first(&self.db, &stmt!("SELECT target_expires_at AS v FROM orders WHERE id = ?1", order_id))
                .await?;
        row.and_then(|r| r.v).ok_or_else(|| StoreError::invalid("target expiry not assigned"))
    }

    async fn mark_provisioned(&self, order: &FulfilOrder, target: i64, now: i64) -> Result<bool, StoreError> {
        let mark = stmt!(
            "UPDATE orders SET status = 'provisioned', provisioned_at = COALESCE(provisioned_at, ?2), updated_at = ?2,
                               notified_at = NULL -- a waiting bonus was told it waits; now it is added
             WHERE id = ?1 AND status = 'paid'",
            order.id,
            now
        );
        // Refunded meanwhile: the days did reach the panel, which the take-back must know.
        let reached = stmt!(
            "UPDATE orders SET provisioned_at = COALESCE(provisioned_at, ?2) WHERE id = ?1 AND status = 'refunded'",
            order.id,
            now
        );
        let period = stmt!(
            // A Stars subscription is named by its first charge: the one that paid the order
            // its renewals' payload names (`renews`), or this order's own.
            "WITH c AS (
               SELECT CASE WHEN EXISTS (SELECT 1 FROM payments WHERE order_id = ?1 AND is_recurring = 1) THEN
                        (SELECT p.external_id FROM payments p JOIN orders o2 ON o2.id = p.order_id
                          WHERE p.is_recurring = 1 AND p.provider = 'stars' AND o2.public_id =
                                (SELECT COALESCE(json_extract(metadata, '$.renews'), public_id) FROM orders WHERE id = ?1)
                          ORDER BY p.id LIMIT 1)
                      END AS charge)
             INSERT INTO subscriptions (user_id, plan_id, order_id, source, days, starts_at, expires_at, status,
                 stars_subscription_charge_id, stars_subscription_canceled, created_at, updated_at)
             SELECT o.user_id, o.plan_id, o.id,
                    CASE o.kind WHEN 'trial' THEN 'trial' WHEN 'renewal' THEN 'renewal' WHEN 'bonus' THEN 'bonus'
                                ELSE 'purchase' END,
                    o.days, ?2 - o.days * 86400, ?2, 'active', c.charge,
                    COALESCE((SELECT s.stars_subscription_canceled FROM subscriptions s
                               WHERE s.stars_subscription_charge_id = c.charge ORDER BY s.id DESC LIMIT 1), 0),
                    ?3, ?3
             FROM orders o, c WHERE o.id = ?1 AND o.status = 'provisioned'
             ON CONFLICT (order_id) DO NOTHING",
            order.id,
            target,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'system', 'order.provisioned', 'order:' || public_id, ?2, ?3 FROM orders WHERE id = ?1 AND status = 'provisioned'
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'order:' || orders.public_id AND action = 'order.provisioned')",
            order.id,
            json!({ "target_expires_at": target, "days": order.days }).to_string(),
            now
        );
        let changes = self.db.batch(&[mark, reached, period, audit]).await?;
        // Already provisioned by an earlier attempt counts too (its notice may be pending).
        Ok(changes.first().copied().unwrap_or(0) == 1 || order.status == OrderStatus::Provisioned)
    }

    async fn mark_notified(&self, order_id: i64, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE orders SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL";
        self.db.run(&stmt!(sql, order_id, now)).await?;
        Ok(())
    }

    async fn mark_notice_refused(&self, order_id: i64, reason: &str, now: i64) -> Result<(), StoreError> {
        let mark = stmt!(
            "UPDATE orders SET notice_error = ?2, updated_at = ?3 WHERE id = ?1 AND notified_at IS NULL",
            order_id,
            reason,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'system', 'order.notice_refused', 'order:' || public_id, json_object('reason', ?2), ?3
             FROM orders WHERE id = ?1",
            order_id,
            reason,
            now
        );
        self.db.batch(&[mark, audit]).await?;
        Ok(())
    }

    async fn assign_revert(
        &self,
        order_id: i64,
        revert_expires_at: i64,
        taken_seconds: i64,
    ) -> Result<(i64, i64), StoreError> {
        #[derive(Deserialize)]
        struct Pair {
            revert: Option<i64>,
            taken: Option<i64>,
        }
        let sql = crate::sql!(
            "UPDATE orders SET revert_expires_at = ?2, taken_back_seconds = ?3
                   WHERE id = ?1 AND revert_expires_at IS NULL"
        );
        self.db.run(&stmt!(sql, order_id, revert_expires_at, taken_seconds)).await?;
        let sql = "SELECT revert_expires_at AS revert, taken_back_seconds AS taken FROM orders WHERE id = ?1";
        match first::<Pair>(&self.db, &stmt!(sql, order_id)).await? {
            Some(Pair { revert: Some(revert), taken }) => Ok((revert, taken.unwrap_or(0))),
            _ => Err(StoreError::invalid("refund expiry not assigned")),
        }
    }

    async fn mark_reverted(
        &self,
        order: &FulfilOrder,
        taken_seconds: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let target = order.target_expires_at.unwrap_or(0);
        let mark = stmt!(
            "UPDATE orders SET reverted_at = ?2, updated_at = ?2, taken_back_seconds = COALESCE(taken_back_seconds, ?3)
             WHERE id = ?1 AND reverted_at IS NULL",
            order.id,
            now,
            taken_seconds
        );
        // The user's later periods now start earlier by what the refund took out of the middle:
        // the amount stored with the decision (`assign_revert`), which a retry must not recompute.
        // Guarded on this statement running once (the order not reverted before this batch).
        let shift_periods = stmt!(
            "UPDATE subscriptions
                 SET starts_at = starts_at - (SELECT taken_back_seconds FROM orders WHERE id = ?2),
                     expires_at = expires_at - (SELECT taken_back_seconds FROM orders WHERE id = ?2), updated_at = ?3
             WHERE user_id = ?1 AND order_id <> ?2 AND status = 'active' AND starts_at >= ?4
               AND (SELECT taken_back_seconds FROM orders WHERE id = ?2) > 0
               AND (SELECT reverted_at FROM orders WHERE id = ?2) = ?3",
            order.user.id,
            order.id,
            now,
            target
        );
        let shift_targets = stmt!(
            "UPDATE orders SET target_expires_at = target_expires_at - (SELECT taken_back_seconds FROM orders WHERE id = ?2)
             WHERE user_id = ?1 AND id <> ?2 AND status = 'provisioned' AND target_expires_at - days * 86400 >= ?4
               AND (SELECT taken_back_seconds FROM orders WHERE id = ?2) > 0
               AND (SELECT reverted_at FROM orders WHERE id = ?2) = ?3",
            order.user.id,
            order.id,
            now,
            target
        );
        let period = stmt!(
            "UPDATE subscriptions SET status = 'refunded', updated_at = ?2,
                 expires_at = expires_at - COALESCE((SELECT taken_back_seconds FROM orders WHERE id = ?1), 0)
             WHERE order_id = ?1 AND status = 'active'",
            order.id,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'system', 'order.reverted', 'order:' || ?1, ?2, ?3
             WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'order:' || ?1 AND action = 'order.reverted')",
            order.public_id.as_str(),
            json!({ "days": order.days, "taken_back_seconds": taken_seconds }).to_string(),
            now
        );
        self.db.batch(&[mark, shift_periods, shift_targets, period, audit]).await?;
        Ok(())
    }

    async fn set_blocked_by_telegram_id(&self, telegram_id: i64, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE users SET is_blocked = 1, updated_at = ?2 WHERE telegram_id = ?1";
        self.db.run(&stmt!(sql, telegram_id, now)).await?;
        Ok(())
    }
}

impl<D: Db> SqlStore<D> {
    /// Orders that slipped: paid but not provisioned, provisioned but the customer never told
    /// (unless the channel refused the notice for good), refunded with days that may be on the
    /// panel but not taken back. `before` leaves the queue time to do its job first. The least
    /// recently re-queued go first, and each one picked is stamped, so an order that fails
    /// forever cannot keep newer stragglers waiting.
    pub async fn stragglers(&self, before: i64, limit: i64, now: i64) -> Result<Vec<Straggler>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            public_id: String,
            take_back: i64,
        }
        let sql = crate::sql!("SELECT public_id, take_back FROM (
                     SELECT public_id, 0 AS take_back, COALESCE(paid_at, provisioned_at) AS since, requeued_at FROM orders
                      WHERE (status = 'paid' AND paid_at < ?1
                             -- a bonus waits for its customer's first subscription (queued then)
                             AND (kind <> 'bonus' OR EXISTS (SELECT 1 FROM users u WHERE u.id = orders.user_id
                                                              AND u.panel_user_id IS NOT NULL
                                                              AND COALESCE(u.panel_status, '') <> 'DELETED')))
                         OR (status = 'provisioned' AND notified_at IS NULL AND notice_error IS NULL AND provisioned_at < ?1)
                     UNION ALL
                     SELECT public_id, 1 AS take_back, refunded_at AS since, requeued_at FROM orders
                      WHERE status = 'refunded' AND reverted_at IS NULL AND refunded_at < ?1
                        AND (provisioned_at IS NOT NULL OR target_expires_at IS NOT NULL
                             -- a refunded gift whose link is still open or whose days are out
                             OR EXISTS (SELECT 1 FROM gifts g WHERE g.order_id = orders.id AND g.status <> 'revoked'
                                          AND NOT EXISTS (SELECT 1 FROM orders r WHERE r.id = g.redeemed_order_id
                                                            AND r.reverted_at IS NOT NULL))))
                   ORDER BY COALESCE(requeued_at, 0), since LIMIT ?2");
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, before, limit)).await?;
        if !rows.is_empty() {
            let ids = serde_json::to_string(&rows.iter().map(|r| r.public_id.as_str()).collect::<Vec<_>>())
                .map_err(StoreError::invalid)?;
            let stamp =
                "UPDATE orders SET requeued_at = ?2 WHERE public_id IN (SELECT value FROM json_each(?1))";
            self.db.run(&stmt!(stamp, ids, now)).await?;
        }
        Ok(rows
            .into_iter()
            .map(|r| Straggler { public_id: r.public_id, take_back: r.take_back == 1 })
            .collect())
    }
}
