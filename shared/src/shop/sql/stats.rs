//! `/stats` in SQL: three read queries in one batch-free round trip each.

use serde::Deserialize;

use crate::db::{all, first, Db};
use crate::money::Money;
use crate::shop::stats::{CustomerCard, CustomerQuery, ShopStats, StatsStore, CARD_PAYMENTS};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

impl<D: Db> StatsStore for SqlStore<D> {
    async fn shop_stats(&self, now: i64) -> Result<ShopStats, StoreError> {
        #[derive(Deserialize)]
        struct Counts {
            users: i64,
            new_today: i64,
            new_week: i64,
            trials: i64,
            trial_users: i64,
            trial_then_paid: i64,
            paying_users: i64,
            paying_referred: i64,
        }
        #[derive(Deserialize)]
        struct PlanCount {
            plan: String,
            n: i64,
        }
        #[derive(Deserialize)]
        struct Revenue {
            currency: String,
            today: i64,
            month: i64,
        }
        let today = now - now.rem_euclid(86_400);
        let counts = crate::sql!("SELECT
              (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM users WHERE created_at >= ?1) AS new_today,
              (SELECT count(*) FROM users WHERE created_at >= ?2) AS new_week,
              (SELECT count(*) FROM orders WHERE kind = 'trial') AS trials,
              (SELECT count(DISTINCT user_id) FROM orders WHERE kind = 'trial') AS trial_users,
              (SELECT count(DISTINCT t.user_id) FROM orders t JOIN payments p ON p.user_id = t.user_id
                 AND p.status = 'completed' AND p.created_at >= t.created_at WHERE t.kind = 'trial') AS trial_then_paid,
              (SELECT count(DISTINCT user_id) FROM payments WHERE status = 'completed') AS paying_users,
              (SELECT count(DISTINCT p.user_id) FROM payments p JOIN users u ON u.id = p.user_id
                 WHERE p.status = 'completed' AND u.referred_by IS NOT NULL) AS paying_referred");
        let counts: Option<Counts> = first(&self.db, &stmt!(counts, today, now - 7 * 86_400)).await?;
        let plans = crate::sql!("SELECT COALESCE(CASE WHEN o.kind = 'trial' THEN 'trial' ELSE p.slug END, '?') AS plan, count(*) AS n
                     FROM users u
                     JOIN orders o ON o.id = (SELECT id FROM orders WHERE user_id = u.id AND status = 'provisioned'
                                               AND kind <> 'bonus' ORDER BY provisioned_at DESC, id DESC LIMIT 1)
                     LEFT JOIN plans p ON p.id = o.plan_id
                     WHERE u.expires_at > ?1 AND COALESCE(u.panel_status, '') NOT IN ('DISABLED', 'DELETED')
                     GROUP BY 1 ORDER BY 2 DESC, 1");
        let plans: Vec<PlanCount> = all(&self.db, &stmt!(plans, now)).await?;
        let revenue = crate::sql!(
            "SELECT currency, sum(CASE WHEN created_at >= ?1 THEN amount_minor ELSE 0 END) AS today,
                              sum(amount_minor) AS month
                       FROM payments WHERE status = 'completed' AND created_at >= ?2
                       GROUP BY currency ORDER BY currency"
        );
        let revenue: Vec<Revenue> = all(&self.db, &stmt!(revenue, today, now - 30 * 86_400)).await?;
        let money = |minor: i64, currency: &str| Money::parse(minor, currency).ok();
        let c = counts.ok_or_else(|| StoreError::invalid("stats: no row"))?;
        Ok(ShopStats {
            users: c.users,
            new_today: c.new_today,
            new_week: c.new_week,
            active_by_plan: plans.into_iter().map(|p| (p.plan, p.n)).collect(),
            trials: c.trials,
            revenue_today: revenue
                .iter()
                .filter(|r| r.today > 0)
                .filter_map(|r| money(r.today, &r.currency))
                .collect(),
            revenue_30d: revenue.iter().filter_map(|r| money(r.month, &r.currency)).collect(),
            trial_users: c.trial_users,
            trial_then_paid: c.trial_then_paid,
            paying_users: c.paying_users,
            paying_referred: c.paying_referred,
        })
    }

    async fn customer_card(&self, query: &CustomerQuery) -> Result<Option<CustomerCard>, StoreError> {
        #[derive(Deserialize)]
        struct Profile {
            id: i64,
            telegram_id: i64,
            username: Option<String>,
            first_name: String,
            created_at: i64,
            is_blocked: i64,
            panel_user_id: Option<i64>,
            panel_status: Option<String>,
            expires_at: Option<i64>,
            traffic_used_bytes: Option<i64>,
            traffic_limit_bytes: Option<i64>,
            invited: i64,
            paying: i64,
            referrer_username: Option<String>,
            referrer_name: Option<String>,
        }
        #[derive(Deserialize)]
        struct Payment {
            id: i64,
            provider: String,
            amount_minor: i64,
            currency: String,
            status: String,
            created_at: i64,
        }
        let (id, name) = match query {
            CustomerQuery::TelegramId(id) => (Some(*id), None),
            CustomerQuery::Username(name) => (None, Some(name.as_str())),
        };
        let sql = crate::sql!("SELECT u.id, u.telegram_id, u.username, u.first_name, u.created_at, u.is_blocked, u.panel_user_id,
                          u.panel_status, u.expires_at, u.traffic_used_bytes, u.traffic_limit_bytes,
                          (SELECT count(*) FROM users f WHERE f.referred_by = u.id) AS invited,
                          (SELECT count(*) FROM referral_transactions t WHERE t.referrer_id = u.id
                             AND t.kind = 'first_payment' AND t.reversed_at IS NULL) AS paying,
                          r.username AS referrer_username, r.first_name AS referrer_name
                   FROM users u LEFT JOIN users r ON r.id = u.referred_by
                   WHERE u.telegram_id = ?1 OR u.username = ?2 COLLATE NOCASE
                   LIMIT 1");
        let Some(p) = first::<Profile>(&self.db, &stmt!(sql, id, name)).await? else { return Ok(None) };
        let payments = crate::sql!(
            "SELECT id, provider, amount_minor, currency, status, created_at FROM payments
                        WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2"
        );
        let payments: Vec<Payment> = all(&self.db, &stmt!(payments, p.id, CARD_PAYMENTS)).await?;
        Ok(Some(CustomerCard {
            telegram_id: p.telegram_id,
            username: p.username,
            first_name: p.first_name,
            created_at: p.created_at,
            blocked: p.is_blocked == 1,
            panel_user_id: p.panel_user_id,
            panel_status: p.panel_status,
            expires_at: p.expires_at,
            traffic_used_bytes: p.traffic_used_bytes,
            traffic_limit_bytes: p.traffic_limit_bytes,
            payments: payments
                .into_iter()
                .map(|q| {
                    (q.id, q.provider, Money::parse(q.amount_minor, &q.currency).ok(), q.status, q.created_at)
                })
                .collect(),
            invited: p.invited,
            paying: p.paying,
            referred_by: p.referrer_username.map(|u| format!("@{u}")).or(p.referrer_name),
        }))
    }
}
