//! Referral standing in SQL ([`ReferralStore`]). A referral's date is its first completed
//! payment; the leaderboard ranks referrers by how many such referrals fall in the period.

use serde::Deserialize;

use crate::db::{all, first, Db, Statement};
use crate::domain::REFERRAL_BONUS_DAYS;
use crate::shop::referral::{Leaderboard, Place, ReferralStats, ReferralStore, MILESTONES, TOP};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

/// Paying referrals per referrer since `?1`, with when each referrer reached their count (for
/// ties: earlier first), ranked. (A macro, so queries built on it stay `&'static str`.)
macro_rules! ranked {
    () => {
        "WITH firsts AS (
        SELECT u.referred_by AS referrer, min(p.created_at) AS paid_at
        FROM users u JOIN payments p ON p.user_id = u.id AND p.status = 'completed'
        WHERE u.referred_by IS NOT NULL
        GROUP BY u.id),
    counts AS (
        SELECT referrer, count(*) AS paying, max(paid_at) AS reached FROM firsts
        WHERE paid_at >= ?1 GROUP BY referrer),
    ranked AS (
        SELECT referrer, paying, row_number() OVER (ORDER BY paying DESC, reached, referrer) AS place
        FROM counts) "
    };
}

impl<D: Db> ReferralStore for SqlStore<D> {
    async fn referral_stats(&self, user_id: i64) -> Result<ReferralStats, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            invited: i64,
            paying: i64,
            days: i64,
        }
        let sql = "SELECT
              (SELECT count(*) FROM users WHERE referred_by = ?1) AS invited,
              (SELECT count(*) FROM users u WHERE u.referred_by = ?1
                 AND EXISTS (SELECT 1 FROM payments p WHERE p.user_id = u.id AND p.status = 'completed')) AS paying,
              (SELECT COALESCE(sum(bonus_days), 0) FROM referral_transactions
                 WHERE referrer_id = ?1 AND reversed_at IS NULL) AS days";
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id)).await?;
        Ok(row
            .map(|r| ReferralStats { invited: r.invited, paying: r.paying, days_earned: r.days })
            .unwrap_or_default())
    }

    async fn leaderboard(&self, since: i64, user_id: i64) -> Result<Leaderboard, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            place: i64,
            paying: i64,
            username: Option<String>,
            first_name: String,
        }
        // The top places and the asker's own, in one round trip.
        let sql = concat!(
            ranked!(),
            "SELECT u.id, r.place, r.paying, u.username, u.first_name
             FROM ranked r JOIN users u ON u.id = r.referrer
             WHERE r.place <= ?2 OR r.referrer = ?3
             ORDER BY r.place"
        );
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, since, TOP, user_id)).await?;
        let place = |r: &Row| Place {
            rank: r.place,
            username: r.username.clone(),
            first_name: r.first_name.clone(),
            paying: r.paying,
        };
        Ok(Leaderboard {
            top: rows.iter().filter(|r| r.place <= i64::from(TOP)).map(place).collect(),
            mine: rows.iter().find(|r| r.id == user_id).map(place),
        })
    }
}

#[derive(Deserialize)]
struct PublicId {
    public_id: String,
}

impl<D: Db> SqlStore<D> {
    pub(super) async fn grant_rewards(&self, payment_key: &str, now: i64) -> Result<Vec<String>, StoreError> {
        // The payment, its payer and the payer's referrer, as every statement below reads them.
        // A reward exists once per dedupe key: `first:<payer>` (freed if reversed) and
        // `milestone_<n>:<referrer>`; paying referrals are the referrer's live first-payment
        // rewards, so a milestone is reached by the payment that makes the count.
        let mut statements: Vec<Statement> = vec![stmt!(
            "INSERT INTO referral_transactions (referrer_id, referred_id, payment_id, kind, bonus_days, dedupe_key, created_at)
             SELECT u.referred_by, u.id, p.id, 'first_payment', ?2, 'first:' || u.id, ?3
             FROM payments p JOIN users u ON u.id = p.user_id JOIN users r ON r.id = u.referred_by
             WHERE p.idempotency_key = ?1 AND p.status = 'completed'
             ON CONFLICT (dedupe_key) DO NOTHING",
            payment_key,
            REFERRAL_BONUS_DAYS,
            now
        )];
        for (at, days) in MILESTONES {
            statements.push(stmt!(
                "INSERT INTO referral_transactions (referrer_id, payment_id, kind, bonus_days, dedupe_key, created_at)
                 SELECT u.referred_by, p.id, 'milestone_' || ?2, ?3, 'milestone_' || ?2 || ':' || u.referred_by, ?4
                 FROM payments p JOIN users u ON u.id = p.user_id
                 WHERE p.idempotency_key = ?1 AND p.status = 'completed' AND u.referred_by IS NOT NULL
                   AND EXISTS (SELECT 1 FROM referral_transactions t WHERE t.payment_id = p.id
                                 AND t.kind = 'first_payment' AND t.reversed_at IS NULL)
                   AND (SELECT count(*) FROM referral_transactions t WHERE t.referrer_id = u.referred_by
                          AND t.kind = 'first_payment' AND t.reversed_at IS NULL) >= ?2
                 ON CONFLICT (dedupe_key) DO NOTHING",
                payment_key,
                at,
                days,
                now
            ));
        }
        // Each new reward gets its bonus order (free, already paid), linked both ways.
        statements.push(stmt!(
            "INSERT INTO orders (public_id, user_id, kind, provider, amount_minor, currency, days, status, metadata,
                                 created_at, updated_at, paid_at)
             SELECT lower(hex(randomblob(8))), t.referrer_id, 'bonus', 'bonus', 0, 'XTR', t.bonus_days, 'paid',
                    json_object('reward', t.kind, 'transaction', t.id), ?2, ?2, ?2
             FROM referral_transactions t JOIN payments p ON p.id = t.payment_id
             WHERE p.idempotency_key = ?1 AND t.order_id IS NULL AND t.reversed_at IS NULL",
            payment_key,
            now
        ));
        statements.push(stmt!(
            "UPDATE referral_transactions SET order_id = (
                 SELECT o.id FROM orders o WHERE o.kind = 'bonus' AND o.user_id = referral_transactions.referrer_id
                    AND json_extract(o.metadata, '$.transaction') = referral_transactions.id)
             WHERE order_id IS NULL AND payment_id = (SELECT id FROM payments WHERE idempotency_key = ?1)",
            payment_key
        ));
        self.db.batch(&statements).await?;
        let sql = "SELECT o.public_id FROM referral_transactions t JOIN orders o ON o.id = t.order_id
                   JOIN payments p ON p.id = t.payment_id
                   WHERE p.idempotency_key = ?1 AND o.status = 'paid'";
        let rows: Vec<PublicId> = all(&self.db, &stmt!(sql, payment_key)).await?;
        Ok(rows.into_iter().map(|r| r.public_id).collect())
    }

    pub(super) async fn reverse_rewards(
        &self,
        order_public_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        // The bonus orders of the refunded order's live rewards are refunded first (the refund
        // rule takes back what is on the panel), then the rewards reversed.
        let refund_orders = stmt!(
            "UPDATE orders SET status = 'refunded', refunded_at = ?2, updated_at = ?2
             WHERE kind = 'bonus' AND status IN ('paid', 'provisioned')
               AND id IN (SELECT t.order_id FROM referral_transactions t JOIN payments p ON p.id = t.payment_id
                          JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?1 AND t.reversed_at IS NULL)",
            order_public_id,
            now
        );
        // Reversed: no longer counted, and the dedupe key freed for a later payment.
        let reverse = stmt!(
            "UPDATE referral_transactions SET reversed_at = ?2, dedupe_key = dedupe_key || ':reversed:' || id
             WHERE reversed_at IS NULL AND payment_id IN (
                 SELECT p.id FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?1)",
            order_public_id,
            now
        );
        self.db.batch(&[refund_orders, reverse]).await?;
        let sql = "SELECT b.public_id FROM referral_transactions t JOIN orders b ON b.id = t.order_id
                   JOIN payments p ON p.id = t.payment_id JOIN orders o ON o.id = p.order_id
                   WHERE o.public_id = ?1 AND b.status = 'refunded' AND b.reverted_at IS NULL";
        let rows: Vec<PublicId> = all(&self.db, &stmt!(sql, order_public_id)).await?;
        Ok(rows.into_iter().map(|r| r.public_id).collect())
    }

    pub(super) async fn rewards_waiting(&self, order_public_id: &str) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT b.public_id FROM orders o JOIN orders b ON b.user_id = o.user_id
                   WHERE o.public_id = ?1 AND b.kind = 'bonus' AND b.status = 'paid' AND b.id <> o.id";
        let rows: Vec<PublicId> = all(&self.db, &stmt!(sql, order_public_id)).await?;
        Ok(rows.into_iter().map(|r| r.public_id).collect())
    }
}
