//! Admin actions in SQL ([`AdminStore`]).

use serde::Deserialize;

use crate::db::{first, Db};
use crate::money::Money;
use crate::shop::admin::{AdminStore, RefundablePayment};
use crate::shop::catalog::Provider;
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

impl<D: Db> AdminStore for SqlStore<D> {
    async fn refundable_payment(&self, id: i64) -> Result<Option<RefundablePayment>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            provider: String,
            external_id: Option<String>,
            amount_minor: i64,
            currency: String,
            status: String,
            public_id: String,
            object_id: Option<String>,
            telegram_id: i64,
        }
        let sql = crate::sql!(
            "SELECT p.id, p.provider, p.external_id, p.amount_minor, p.currency, p.status, o.public_id,
                          o.external_id AS object_id, u.telegram_id
                   FROM payments p JOIN orders o ON o.id = p.order_id JOIN users u ON u.id = p.user_id
                   WHERE p.id = ?1"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, id)).await?;
        Ok(row.map(|r| RefundablePayment {
            id: r.id,
            provider: Provider::parse(&r.provider),
            external_id: r.external_id.unwrap_or_default(),
            amount: Money::parse(r.amount_minor, &r.currency).ok(),
            status: r.status,
            order_public_id: r.public_id,
            object_id: r.object_id,
            telegram_id: r.telegram_id,
        }))
    }

    async fn grant_days(
        &self,
        telegram_id: i64,
        days: u32,
        admin: i64,
        request: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let actor = format!("admin:{admin}");
        // Once per request: a redelivered press finds its order and creates nothing.
        let insert = stmt!(
            "INSERT INTO orders (public_id, user_id, kind, provider, amount_minor, currency, days, status, metadata,
                                 created_at, updated_at, paid_at)
             SELECT lower(hex(randomblob(8))), u.id, 'bonus', 'bonus', 0, 'XTR', ?2, 'paid',
                    json_object('admin', ?3, 'request', ?4), ?5, ?5, ?5
             FROM users u WHERE u.telegram_id = ?1
               AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.kind = 'bonus'
                                 AND json_extract(o.metadata, '$.request') = ?4)",
            telegram_id,
            days,
            actor.as_str(),
            request,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT ?3, 'user.extend', 'user:' || u.telegram_id,
                    json_object('before', NULL, 'after', json_object('days', o.days, 'order', o.public_id), 'request', ?2), ?4
             FROM orders o JOIN users u ON u.id = o.user_id
             WHERE u.telegram_id = ?1 AND o.kind = 'bonus' AND json_extract(o.metadata, '$.request') = ?2
               AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'user.extend'
                                 AND json_extract(a.details, '$.request') = ?2)",
            telegram_id,
            request,
            actor.as_str(),
            now
        );
        self.db.batch(&[insert, audit]).await?;
        #[derive(Deserialize)]
        struct Row {
            public_id: String,
        }
        let sql = crate::sql!("SELECT o.public_id FROM orders o JOIN users u ON u.id = o.user_id
                   WHERE u.telegram_id = ?1 AND o.kind = 'bonus' AND json_extract(o.metadata, '$.request') = ?2");
        let row: Option<Row> = first(&self.db, &stmt!(sql, telegram_id, request)).await?;
        Ok(row.map(|r| r.public_id))
    }

    async fn refund_requested(&self, id: i64) -> Result<bool, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            n: i64,
        }
        let sql = crate::sql!(
            "SELECT count(*) AS n FROM audit_log WHERE subject = ?1 AND action = 'payment.refund'
                     AND json_extract(details, '$.after.status') = 'refund requested'"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, format!("payment:{id}"))).await?;
        Ok(row.is_some_and(|r| r.n > 0))
    }

    async fn panel_user_of(&self, telegram_id: i64) -> Result<Option<(i64, i64)>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            panel_user_id: i64,
        }
        let sql = "SELECT id, panel_user_id FROM users WHERE telegram_id = ?1 AND panel_user_id IS NOT NULL";
        let row: Option<Row> = first(&self.db, &stmt!(sql, telegram_id)).await?;
        Ok(row.map(|r| (r.id, r.panel_user_id)))
    }
}
