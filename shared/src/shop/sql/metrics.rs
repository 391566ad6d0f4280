//! `/metrics` in SQL: the counter UPSERT, and the one scrape query over the shop's tables and
//! `metric_counters` (see [`crate::shop::metrics`] for what each family means).

use crate::db::{Db, Row};
use crate::shop::metrics::Counter;
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

impl<D: Db> SqlStore<D> {
    /// Adds one to a counter (one D1 write; concurrent increments never lose one).
    pub async fn count(&self, counter: Counter, now: i64) -> Result<(), StoreError> {
        let (name, labels) = counter.key();
        let sql = crate::sql!(
            "INSERT INTO metric_counters (name, labels, value, updated_at) VALUES (?1, ?2, 1, ?3)
                   ON CONFLICT (name, labels) DO UPDATE SET value = value + 1, updated_at = excluded.updated_at"
        );
        self.db.run(&stmt!(sql, name, labels, now)).await?;
        Ok(())
    }

    /// Every sample `/metrics` prints, as rows of (m, a, b, v). D1 caps the terms of a compound
    /// SELECT, so six statements of at most three terms each, one round trip apiece (a scrape a
    /// minute). The provisioning lag bucket is the index of the first bound of
    /// [`crate::shop::metrics::LAG_BUCKETS`] the lag fits under. A referral bonus waiting for its
    /// customer's first subscription is neither awaiting provisioning nor lag (the condition
    /// the reconciliation uses, `sql::fulfil`).
    pub async fn metrics_rows(&self, now: i64) -> Result<Vec<Row>, StoreError> {
        let statements = [
            stmt!(
                "SELECT 'payments' AS m, provider AS a, status AS b, count(*) AS v FROM payments GROUP BY provider, status
                 UNION ALL SELECT 'revenue', currency, '', sum(amount_minor) FROM payments
                            WHERE status IN ('completed', 'refunded') GROUP BY currency
                 UNION ALL SELECT 'refunds', currency, '', sum(amount_minor) FROM payments
                            WHERE status = 'refunded' GROUP BY currency"
            ),
            stmt!(
                "SELECT 'lag' AS m, CAST(CASE WHEN lag <= 1 THEN 0 WHEN lag <= 5 THEN 1 WHEN lag <= 15 THEN 2
                        WHEN lag <= 60 THEN 3 WHEN lag <= 300 THEN 4 WHEN lag <= 900 THEN 5
                        WHEN lag <= 3600 THEN 6 WHEN lag <= 21600 THEN 7 WHEN lag <= 86400 THEN 8
                        ELSE 9 END AS TEXT) AS a, '' AS b, count(*) AS v
                 FROM (SELECT max(provisioned_at - paid_at, 0) AS lag FROM orders
                        WHERE kind NOT IN ('trial', 'bonus') AND paid_at IS NOT NULL AND provisioned_at IS NOT NULL)
                 GROUP BY 2
                 UNION ALL SELECT 'lag_sum', '', '', COALESCE(sum(max(provisioned_at - paid_at, 0)), 0) FROM orders
                            WHERE kind NOT IN ('trial', 'bonus') AND paid_at IS NOT NULL AND provisioned_at IS NOT NULL"
            ),
            stmt!(
                "SELECT 'awaiting' AS m, '' AS a, '' AS b, count(*) AS v FROM orders
                  WHERE status = 'paid' AND (kind <> 'bonus' OR EXISTS (SELECT 1 FROM users u WHERE u.id = orders.user_id
                                 AND u.panel_user_id IS NOT NULL AND COALESCE(u.panel_status, '') <> 'DELETED'))
                 UNION ALL SELECT 'awaiting_oldest', '', '', COALESCE(?1 - min(paid_at), 0) FROM orders
                            WHERE status = 'paid' AND (kind <> 'bonus' OR EXISTS (SELECT 1 FROM users u WHERE u.id = orders.user_id
                                 AND u.panel_user_id IS NOT NULL AND COALESCE(u.panel_status, '') <> 'DELETED'))
                 UNION ALL SELECT 'users', '', '', count(*) FROM users",
                now
            ),
            stmt!(
                "SELECT 'active' AS m, CASE WHEN EXISTS (SELECT 1 FROM payments p WHERE p.user_id = u.id
                                                        AND p.status = 'completed') THEN 'true' ELSE 'false' END AS a,
                        '' AS b, count(*) AS v
                 FROM users u WHERE u.expires_at > ?1
                  AND COALESCE(u.panel_status, '') NOT IN ('DISABLED', 'DELETED') GROUP BY 2",
                now
            ),
            stmt!(
                "SELECT 'reminders' AS m, kind AS a, '' AS b, count(*) AS v FROM notices
                  WHERE job IS NOT NULL AND done_at IS NOT NULL GROUP BY kind
                 UNION ALL SELECT 'broadcast', status, '', count(*) FROM broadcast_recipients
                            WHERE status IN ('sent', 'blocked', 'failed') GROUP BY status"
            ),
            stmt!("SELECT name AS m, labels AS a, '' AS b, value AS v FROM metric_counters"),
        ];
        let mut rows = Vec::new();
        for statement in &statements {
            rows.extend(self.db.all(statement).await?);
        }
        Ok(rows)
    }
}
