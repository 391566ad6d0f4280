//! Promo codes in SQL ([`PromoStore`]). A redemption is one batch: the guarded insert claims a
//! use, the code's `used_count` becomes the count of its redemptions, a days code gets its
//! bonus order, and the audit row is written; then one read says what happened.

use serde::Deserialize;
use serde_json::json;

use crate::db::{all, first, Db};
use crate::shop::promo::{
    refusal, CodeState, Discount, NewPromo, PromoCode, PromoInfo, PromoKind, PromoStore, Redeemed, Refusal,
};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

/// SQL: the user `?2` holds a percent redemption no order has spent.
macro_rules! discount_waiting {
    () => {
        "EXISTS (SELECT 1 FROM promo_redemptions w JOIN promo_codes k ON k.id = w.promo_id
                 WHERE w.user_id = ?2 AND k.kind = 'percent' AND w.order_id IS NULL)"
    };
}

impl<D: Db> PromoStore for SqlStore<D> {
    async fn create_promo(&self, promo: &NewPromo, admin: i64, now: i64) -> Result<bool, StoreError> {
        let insert = stmt!(
            "INSERT INTO promo_codes (code, kind, value, max_uses, valid_until, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO NOTHING",
            promo.code.as_str(),
            promo.kind.code(),
            promo.kind.value(),
            promo.max_uses,
            promo.valid_until,
            admin,
            now
        );
        let details = json!({ "after": { "kind": promo.kind.code(), "value": promo.kind.value(),
                                         "max_uses": promo.max_uses, "valid_until": promo.valid_until } });
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT ?1, 'promo.created', 'promo:' || ?2, ?3, ?4
             WHERE EXISTS (SELECT 1 FROM promo_codes WHERE code = ?2 AND created_at = ?4)
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'promo:' || ?2 AND action = 'promo.created')",
            // Built here and bound as text: D1 binds numbers as floats ('admin:' || 9001.0).
            format!("admin:{admin}"),
            promo.code.as_str(),
            details.to_string(),
            now
        );
        let changes = self.db.batch(&[insert, audit]).await?;
        Ok(changes.first() == Some(&1))
    }

    async fn promos(&self, limit: u32) -> Result<Vec<PromoInfo>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            code: String,
            kind: String,
            value: i64,
            max_uses: Option<i64>,
            used_count: i64,
            valid_until: Option<i64>,
            is_active: i64,
        }
        let sql = crate::sql!(
            "SELECT code, kind, value, max_uses, used_count, valid_until, is_active
                   FROM promo_codes ORDER BY id DESC LIMIT ?1"
        );
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, limit)).await?;
        Ok(rows
            .into_iter()
            .map(|r| PromoInfo {
                kind: PromoKind::from_row(&r.kind, r.value),
                code: r.code,
                max_uses: r.max_uses,
                used: r.used_count,
                valid_until: r.valid_until,
                active: r.is_active == 1,
            })
            .collect())
    }

    async fn deactivate_promo(&self, code: &PromoCode, admin: i64, now: i64) -> Result<bool, StoreError> {
        let off =
            stmt!("UPDATE promo_codes SET is_active = 0 WHERE code = ?1 AND is_active = 1", code.as_str());
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT ?1, 'promo.deactivated', 'promo:' || ?2,
                    json_object('before', json_object('active', 1), 'after', json_object('active', 0)), ?3
             WHERE EXISTS (SELECT 1 FROM promo_codes WHERE code = ?2 AND is_active = 0)
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = 'promo:' || ?2 AND action = 'promo.deactivated')",
            format!("admin:{admin}"),
            code.as_str(),
            now
        );
        let changes = self.db.batch(&[off, audit]).await?;
        Ok(changes.first() == Some(&1))
    }

    async fn redeem_promo(
        &self,
        user_id: i64,
        code: &PromoCode,
        now: i64,
    ) -> Result<Result<Redeemed, Refusal>, StoreError> {
        let code = code.as_str();
        let claim = stmt!(
            concat!(
                "INSERT INTO promo_redemptions (promo_id, user_id, created_at)
                 SELECT c.id, ?2, ?3 FROM promo_codes c
                 WHERE c.code = ?1 AND c.is_active = 1 AND (c.valid_until IS NULL OR c.valid_until > ?3)
                   AND (c.max_uses IS NULL OR c.used_count < c.max_uses)
                   AND ((c.kind = 'days' AND c.value BETWEEN 1 AND 3650)
                        OR (c.kind = 'percent' AND c.value BETWEEN 1 AND 90 AND NOT ",
                discount_waiting!(),
                "))
                 ON CONFLICT (promo_id, user_id) DO NOTHING"
            ),
            code,
            user_id,
            now
        );
        let count = stmt!(
            "UPDATE promo_codes SET used_count = (SELECT count(*) FROM promo_redemptions r WHERE r.promo_id = promo_codes.id)
             WHERE code = ?1",
            code
        );
        let bonus_order = stmt!(
            "INSERT INTO orders (public_id, user_id, kind, provider, amount_minor, currency, days, status, metadata,
                                 created_at, updated_at, paid_at)
             SELECT lower(hex(randomblob(8))), r.user_id, 'bonus', 'bonus', 0, 'XTR', c.value, 'paid',
                    json_object('promo', c.code, 'redemption', r.id), ?3, ?3, ?3
             FROM promo_redemptions r JOIN promo_codes c ON c.id = r.promo_id
             WHERE c.code = ?1 AND r.user_id = ?2 AND c.kind = 'days' AND r.order_id IS NULL",
            code,
            user_id,
            now
        );
        let link = stmt!(
            "UPDATE promo_redemptions SET order_id = (
                 SELECT o.id FROM orders o WHERE o.user_id = promo_redemptions.user_id AND o.kind = 'bonus'
                    AND json_extract(o.metadata, '$.redemption') = promo_redemptions.id)
             WHERE user_id = ?2 AND order_id IS NULL
               AND promo_id = (SELECT id FROM promo_codes WHERE code = ?1 AND kind = 'days')",
            code,
            user_id
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'user:' || u.telegram_id, 'promo.redeemed', 'promo:' || c.code,
                    json_object('user', u.id, 'kind', c.kind, 'value', c.value, 'redemption', r.id), ?3
             FROM promo_redemptions r JOIN promo_codes c ON c.id = r.promo_id JOIN users u ON u.id = r.user_id
             WHERE c.code = ?1 AND r.user_id = ?2 AND r.created_at = ?3
               AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = 'promo:' || c.code
                                 AND a.action = 'promo.redeemed' AND json_extract(a.details, '$.redemption') = r.id)",
            code,
            user_id,
            now
        );
        let changes = self.db.batch(&[claim, count, bonus_order, link, audit]).await?;
        if changes.first() == Some(&1) {
            #[derive(Deserialize)]
            struct Row {
                kind: String,
                value: i64,
                public_id: Option<String>,
            }
            let sql = crate::sql!(
                "SELECT c.kind, c.value, o.public_id FROM promo_redemptions r
                       JOIN promo_codes c ON c.id = r.promo_id LEFT JOIN orders o ON o.id = r.order_id
                       WHERE c.code = ?1 AND r.user_id = ?2"
            );
            let row: Option<Row> = first(&self.db, &stmt!(sql, code, user_id)).await?;
            let row = row.ok_or_else(|| StoreError::invalid("a redemption vanished"))?;
            return match (PromoKind::from_row(&row.kind, row.value), row.public_id) {
                (Some(PromoKind::Days(days)), Some(order)) => Ok(Ok(Redeemed::Days { days, order })),
                (Some(PromoKind::Percent(percent)), _) => Ok(Ok(Redeemed::Discount { percent })),
                _ => Err(StoreError::invalid(format!("promo {code}: a days redemption without its order"))),
            };
        }
        #[derive(Deserialize)]
        struct State {
            kind: String,
            value: i64,
            is_active: i64,
            valid_until: Option<i64>,
            max_uses: Option<i64>,
            used_count: i64,
            used: i64,
            waiting: i64,
        }
        let sql = concat!(
            "SELECT c.kind, c.value, c.is_active, c.valid_until, c.max_uses, c.used_count,
                    EXISTS (SELECT 1 FROM promo_redemptions r WHERE r.promo_id = c.id AND r.user_id = ?2) AS used,
                    ",
            discount_waiting!(),
            " AS waiting
             FROM promo_codes c WHERE c.code = ?1"
        );
        let state: Option<State> = first(&self.db, &stmt!(sql, code, user_id)).await?;
        let state = state.map(|s| CodeState {
            active: s.is_active == 1,
            valid_until: s.valid_until,
            max_uses: s.max_uses,
            used: s.used_count,
            kind: PromoKind::from_row(&s.kind, s.value),
            used_by_customer: s.used == 1,
            discount_waiting: s.waiting == 1,
        });
        Ok(Err(refusal(state.as_ref(), now)))
    }

    async fn pending_discount(&self, user_id: i64) -> Result<Option<Discount>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            value: i64,
        }
        let sql = crate::sql!(
            "SELECT r.id, c.value FROM promo_redemptions r JOIN promo_codes c ON c.id = r.promo_id
                   WHERE r.user_id = ?1 AND c.kind = 'percent' AND r.order_id IS NULL
                   ORDER BY r.id LIMIT 1"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id)).await?;
        Ok(row.and_then(|r| match PromoKind::from_row("percent", r.value) {
            Some(PromoKind::Percent(percent)) => Some(Discount { redemption_id: r.id, percent }),
            _ => None,
        }))
    }
}
