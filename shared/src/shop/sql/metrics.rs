//! `/metrics` in SQL: the counter UPSERT, the hourly refresh of the families that need a scan,
//! and the scrape's two reads (see [`crate::shop::metrics`] for what each family means).

use crate::db::{Db, Row};
use crate::shop::metrics::Counter;
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

impl<D: Db> SqlStore<D> {
    /// Adds `n` to a counter (one D1 write; concurrent increments never lose one).
    pub async fn count(&self, counter: Counter, n: u32, now: i64) -> Result<(), StoreError> {
        let (name, labels) = counter.key();
        let sql = crate::sql!(
            "INSERT INTO metric_counters (name, labels, value, updated_at) VALUES (?1, ?2, ?4, ?3)
             ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at"
        );
        self.db.run(&stmt!(sql, name, labels, now, n)).await?;
        Ok(())
    }

    /// What the hourly cron refreshes: the families that need a scan of the shop's tables
    /// (payments, revenue and refunds, the provisioning lag, reminders, broadcast sends,
    /// customers, active subscriptions), recomputed from the tables so they cannot drift from
    /// the money, and the time of this successful run. One batch (a transaction): a scrape sees
    /// the old set or the new one. Once an hour, so a scrape reads only `metric_counters`.
    pub async fn refresh_hourly_gauges(&self, now: i64) -> Result<(), StoreError> {
        self.db
            .batch(&[
                stmt!(
                    "DELETE FROM metric_counters
                      WHERE name IN ('payments', 'revenue', 'refunds', 'lag', 'lag_sum', 'reminders', 'broadcast', 'users', 'active')"
                ),
                stmt!(
                    "INSERT INTO metric_counters (name, labels, value, updated_at)
                     SELECT 'payments', 'channel=\"' || provider || '\",status=\"' || status || '\"', count(*), ?1
                     FROM payments GROUP BY provider, status",
                    now
                ),
                stmt!(
                    "INSERT INTO metric_counters (name, labels, value, updated_at)
                     SELECT CASE WHEN status = 'refunded' AND n = 1 THEN 'refunds' ELSE 'revenue' END,
                            'currency=\"' || currency || '\"', sum(amount_minor), ?1
                     FROM payments JOIN (SELECT 0 AS n UNION ALL SELECT 1) ON n = 0 OR status = 'refunded'
                     WHERE status IN ('completed', 'refunded')
                     GROUP BY 1, currency",
                    now
                ),
                stmt!(
                    "INSERT INTO metric_counters (name, labels, value, updated_at)
                     SELECT 'lag', CAST(CASE WHEN lag <= 1 THEN 0 WHEN lag <= 5 THEN 1 WHEN lag <= 15 THEN 2
                            WHEN lag <= 60 THEN 3 WHEN lag <= 300 THEN 4 WHEN lag <= 900 THEN 5
                            WHEN lag <= 3600 THEN 6 WHEN lag <= 21600 THEN 7 WHEN lag <= 86400 THEN 8
                            ELSE 9 END AS TEXT), count(*), ?1
                     FROM (SELECT max(provisioned_at - paid_at, 0) AS lag FROM orders
                            WHERE kind NOT IN ('trial', 'bonus') AND paid_at IS NOT NULL AND provisioned_at IS NOT NULL)
                     GROUP BY 2
                     UNION ALL SELECT 'lag_sum', '', COALESCE(sum(max(provisioned_at - paid_at, 0)), 0), ?1 FROM orders
                      WHERE kind NOT IN ('trial', 'bonus') AND paid_at IS NOT NULL AND provisioned_at IS NOT NULL",
                    now
                ),
                stmt!(
                    "INSERT INTO metric_counters (name, labels, value, updated_at)
                     SELECT 'reminders', 'kind=\"' || kind || '\"', count(*), ?1 FROM notices
                      WHERE job IS NOT NULL AND done_at IS NOT NULL GROUP BY kind
                     UNION ALL SELECT 'broadcast', 'outcome=\"' || status || '\"', count(*), ?1 FROM broadcast_recipients
                      WHERE status IN ('sent', 'blocked', 'failed') GROUP BY status
                     UNION ALL SELECT 'users', '', count(*), ?1 FROM users",
                    now
                ),
                stmt!(
                    "INSERT INTO metric_counters (name, labels, value, updated_at)
                     SELECT 'active', 'paying=\"' || paying || '\"', count(*), ?1
                     FROM (SELECT CASE WHEN EXISTS (SELECT 1 FROM payments p WHERE p.user_id = u.id AND p.status = 'completed')
                                       THEN 'true' ELSE 'false' END AS paying
                             FROM users u WHERE u.expires_at > ?1 AND COALESCE(u.panel_status, '') NOT IN ('DISABLED', 'DELETED')
                           UNION ALL SELECT 'true' UNION ALL SELECT 'false')
                     GROUP BY paying",
                    now
                ),
                // Both labels always present: the `UNION ALL` rows above count one too many.
                stmt!("UPDATE metric_counters SET value = value - 1 WHERE name = 'active'"),
                stmt!(
                    "INSERT INTO metric_counters (name, labels, value, updated_at) VALUES ('cron_last_success', 'cron=\"hourly\"', ?1, ?1)
                     ON CONFLICT (name, labels) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    now
                ),
            ])
            .await?;
        Ok(())
    }

    /// Every sample `/metrics` prints, as rows of (m, a, b, v): the counters and gauges kept in
    /// `metric_counters` (by the Worker and by the hourly refresh), and the paid
    /// orders still waiting for the panel (the `orders_status` index: only those rows). Two
    /// round trips whatever the shop's size. A referral bonus waiting for its customer's first
    /// subscription is not waiting for the panel (the condition the reconciliation uses,
    /// `sql::fulfil`).
    pub async fn metrics_rows(&self, now: i64) -> Result<Vec<Row>, StoreError> {
        let statements = [
            stmt!("SELECT name AS m, labels AS a, '' AS b, value AS v FROM metric_counters"),
            stmt!(
                "SELECT 'awaiting' AS m, '' AS a, '' AS b, count(*) AS v FROM orders
                  WHERE status = 'paid' AND (kind <> 'bonus' OR EXISTS (SELECT 1 FROM users u WHERE u.id = orders.user_id
                                 AND u.panel_user_id IS NOT NULL AND COALESCE(u.panel_status, '') <> 'DELETED'))
                 UNION ALL SELECT 'awaiting_oldest', '', '', COALESCE(?1 - min(paid_at), 0) FROM orders
                            WHERE status = 'paid' AND (kind <> 'bonus' OR EXISTS (SELECT 1 FROM users u WHERE u.id = orders.user_id
                                 AND u.panel_user_id IS NOT NULL AND COALESCE(u.panel_status, '') <> 'DELETED'))",
                now
            ),
        ];
        let mut rows = Vec::new();
        for statement in &statements {
            rows.extend(self.db.all(statement).await?);
        }
        Ok(rows)
    }
}
