//! `/stats` in SQL: three read queries in one batch-free round trip each.

use serde::Deserialize;

use crate::db::{all, first, Db};
use crate::money::Money;
use crate::shop::stats::{ShopStats, StatsStore};
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
        let counts = "SELECT
              (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM users WHERE created_at >= ?1) AS new_today,
              (SELECT count(*) FROM users WHERE created_at >= ?2) AS new_week,
              (SELECT count(*) FROM orders WHERE kind = 'trial') AS trials,
              (SELECT count(DISTINCT user_id) FROM orders WHERE kind = 'trial') AS trial_users,
              (SELECT count(DISTINCT t.user_id) FROM orders t JOIN payments p ON p.user_id = t.user_id
                 AND p.status = 'completed' AND p.created_at >= t.created_at WHERE t.kind = 'trial') AS trial_then_paid,
              (SELECT count(DISTINCT user_id) FROM payments WHERE status = 'completed') AS paying_users,
              (SELECT count(DISTINCT p.user_id) FROM payments p JOIN users u ON u.id = p.user_id
                 WHERE p.status = 'completed' AND u.referred_by IS NOT NULL) AS paying_referred";
        let counts: Option<Counts> = first(&self.db, &stmt!(counts, today, now - 7 * 86_400)).await?;
        let plans = "SELECT COALESCE(CASE WHEN o.kind = 'trial' THEN 'trial' ELSE p.slug END, '?') AS plan, count(*) AS n
                     FROM users u
                     JOIN orders o ON o.id = (SELECT id FROM orders WHERE user_id = u.id AND status = 'provisioned'
                                               AND kind <> 'bonus' ORDER BY provisioned_at DESC, id DESC LIMIT 1)
                     LEFT JOIN plans p ON p.id = o.plan_id
                     WHERE u.expires_at > ?1 AND COALESCE(u.panel_status, '') NOT IN ('DISABLED', 'DELETED')
                     GROUP BY 1 ORDER BY 2 DESC, 1";
        let plans: Vec<PlanCount> = all(&self.db, &stmt!(plans, now)).await?;
        let revenue =
            "SELECT currency, sum(CASE WHEN created_at >= ?1 THEN amount_minor ELSE 0 END) AS today,
                              sum(amount_minor) AS month
                       FROM payments WHERE status = 'completed' AND created_at >= ?2
                       GROUP BY currency ORDER BY currency";
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
}
