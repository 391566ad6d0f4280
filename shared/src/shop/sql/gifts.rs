//! Gifts in SQL ([`GiftStore`]).

use serde::Deserialize;

use crate::db::{first, Db};
use crate::shop::gift::{GiftStore, Issued, Redemption};
use crate::shop::store::StoreError;
use crate::stmt;

use super::{to_u32, SqlStore};

impl<D: Db> GiftStore for SqlStore<D> {
    async fn issue_gift(&self, order_id: i64, now: i64) -> Result<Issued, StoreError> {
        // The code from SQLite's CSPRNG: unguessable, and never seen by a payment provider
        // (unlike the order's id).
        let insert = stmt!(
            "INSERT INTO gifts (code, order_id, buyer_user_id, plan_id, days, created_at)
             SELECT lower(hex(randomblob(8))), o.id, o.user_id, o.plan_id, o.days, ?2 FROM orders o
             WHERE o.id = ?1 AND json_type(o.metadata, '$.gift') = 'true'
             ON CONFLICT (order_id) DO NOTHING",
            order_id,
            now
        );
        self.db.run(&insert).await?;
        #[derive(Deserialize)]
        struct Row {
            code: String,
            days: i64,
        }
        let row: Option<Row> =
            first(&self.db, &stmt!("SELECT code, days FROM gifts WHERE order_id = ?1", order_id)).await?;
        let row = row.ok_or_else(|| StoreError::invalid(format!("order {order_id} is not a gift order")))?;
        Ok(Issued { code: row.code, days: to_u32(row.days, "gift days")? })
    }

    async fn mark_gift_issued(&self, order_id: i64, now: i64) -> Result<(), StoreError> {
        let sql = crate::sql!(
            "UPDATE orders SET status = 'provisioned', provisioned_at = COALESCE(provisioned_at, ?2),
                          notified_at = COALESCE(notified_at, ?2), updated_at = ?2
                   WHERE id = ?1 AND status = 'paid'"
        );
        self.db.run(&stmt!(sql, order_id, now)).await?;
        Ok(())
    }

    async fn redeem_gift(&self, code: &str, user_id: i64, now: i64) -> Result<Redemption, StoreError> {
        let claim = stmt!(
            "UPDATE gifts SET status = 'redeemed', recipient_user_id = ?2, redeemed_at = ?3
             WHERE code = ?1 AND status = 'open' AND buyer_user_id <> ?2
               -- not once its payment is refunded (the take-back revokes it, maybe later)
               AND EXISTS (SELECT 1 FROM orders WHERE id = gifts.order_id AND status IN ('paid', 'provisioned'))",
            code,
            user_id,
            now
        );
        let order = stmt!(
            "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                                 metadata, created_at, updated_at, paid_at)
             SELECT lower(hex(randomblob(8))), g.recipient_user_id, g.plan_id, 'purchase', 'bonus', 0, 'XTR', g.days,
                    'paid', json_object('gift', g.code), ?2, ?2, ?2
             FROM gifts g WHERE g.code = ?1 AND g.status = 'redeemed' AND g.redeemed_order_id IS NULL",
            code,
            now
        );
        let link = stmt!(
            "UPDATE gifts SET redeemed_order_id = (
                 SELECT o.id FROM orders o WHERE o.user_id = gifts.recipient_user_id
                    AND json_extract(o.metadata, '$.gift') = gifts.code)
             WHERE code = ?1 AND status = 'redeemed' AND redeemed_order_id IS NULL",
            code
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'user:' || u.telegram_id, 'gift.redeemed', 'gift:' || g.code,
                    json_object('buyer', g.buyer_user_id, 'recipient', g.recipient_user_id, 'days', g.days), ?2
             FROM gifts g JOIN users u ON u.id = g.recipient_user_id
             WHERE g.code = ?1 AND g.status = 'redeemed'
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'gift:' || ?1 AND action = 'gift.redeemed')",
            code,
            now
        );
        let changes = self.db.batch(&[claim, order, link, audit]).await?;
        #[derive(Deserialize)]
        struct Row {
            status: String,
            buyer_user_id: i64,
            recipient_user_id: Option<i64>,
            days: i64,
            public_id: Option<String>,
            buyer: i64,
            buyer_locale: Option<String>,
            buyer_language: Option<String>,
        }
        let sql = crate::sql!("SELECT g.status, g.buyer_user_id, g.recipient_user_id, g.days, o.public_id,
                          b.telegram_id AS buyer, b.locale AS buyer_locale, b.language_code AS buyer_language
                   FROM gifts g JOIN users b ON b.id = g.buyer_user_id LEFT JOIN orders o ON o.id = g.redeemed_order_id
                   WHERE g.code = ?1");
        let row: Option<Row> = first(&self.db, &stmt!(sql, code)).await?;
        let Some(r) = row else { return Ok(Redemption::Unknown) };
        Ok(match (r.status.as_str(), changes.first() == Some(&1)) {
            ("redeemed", true) => Redemption::Redeemed {
                order: r.public_id.ok_or_else(|| StoreError::invalid("a redeemed gift without its order"))?,
                days: to_u32(r.days, "gift days")?,
                buyer: r.buyer,
                buyer_locale: r.buyer_locale.or(r.buyer_language),
            },
            ("redeemed", false) => Redemption::Taken { by_you: r.recipient_user_id == Some(user_id) },
            ("open", _) if r.buyer_user_id == user_id => Redemption::Own,
            _ => Redemption::Unknown,
        })
    }

    async fn revoke_gift(&self, order_id: i64, now: i64) -> Result<Option<String>, StoreError> {
        let revoke =
            stmt!("UPDATE gifts SET status = 'revoked' WHERE order_id = ?1 AND status = 'open'", order_id);
        let refund_redeemed = stmt!(
            "UPDATE orders SET status = 'refunded', refunded_at = ?2, updated_at = ?2
             WHERE id = (SELECT redeemed_order_id FROM gifts WHERE order_id = ?1 AND status = 'redeemed')
               AND status IN ('paid', 'provisioned')",
            order_id,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'system', 'gift.revoked', 'gift:' || code, json_object('status', status), ?2 FROM gifts
             WHERE order_id = ?1
               AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = 'gift:' || gifts.code AND a.action = 'gift.revoked')",
            order_id,
            now
        );
        self.db.batch(&[revoke, refund_redeemed, audit]).await?;
        #[derive(Deserialize)]
        struct Row {
            public_id: String,
        }
        let sql = crate::sql!(
            "SELECT o.public_id FROM gifts g JOIN orders o ON o.id = g.redeemed_order_id
                   WHERE g.order_id = ?1 AND o.status = 'refunded' AND o.reverted_at IS NULL"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, order_id)).await?;
        Ok(row.map(|r| r.public_id))
    }
}
