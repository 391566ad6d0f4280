//! Referral standing in SQL ([`ReferralStore`]). A referral's date is its first completed
//! payment; the leaderboard ranks referrers by how many such referrals fall in the period.

use serde::Deserialize;

use crate::db::{all, first, Db, Statement};
use crate::domain::REFERRAL_BONUS_DAYS;
use crate::shop::referral::{Leaderboard, Place, ReferralStats, ReferralStore, MILESTONES, TOP};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

/// Paying referrals per referrer since `?1` — their live first-payment rewards, dated when the
/// payment was accepted — with when each referrer reached their count (ties: earlier first),
/// ranked. (A macro, so queries built on it stay `&'static str`.)
macro_rules! ranked {
    () => {
        "WITH counts AS (
            SELECT referrer_id AS referrer, count(*) AS paying, max(created_at) AS reached
            FROM referral_transactions
            WHERE kind = 'first_payment' AND reversed_at IS NULL AND created_at >= ?1
            GROUP BY referrer_id),
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
        let sql = crate::sql!(
            "SELECT
              (SELECT count(*) FROM users WHERE referred_by = ?1) AS invited,
              (SELECT count(*) FROM referral_transactions
                 WHERE referrer_id = ?1 AND kind = 'first_payment' AND reversed_at IS NULL) AS paying,
              (SELECT COALESCE(sum(bonus_days), 0) FROM referral_transactions
                 WHERE referrer_id = ?1 AND reversed_at IS NULL) AS days"
        );
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
               -- the payer's first payment: none before it (kept or refunded)
               AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.user_id = u.id AND q.id < p.id
                                 AND q.status IN ('completed', 'refunded'))
             ON CONFLICT (dedupe_key) DO NOTHING",
            payment_key,
            REFERRAL_BONUS_DAYS,
            now
        )];
        for (at, days) in MILESTONES {
            // The kind and key are built here and bound as text: D1 binds numbers as floats,
            // and 'milestone_' || 3.0 would not be a kind.
            let kind = format!("milestone_{at}");
            statements.push(stmt!(
                "INSERT INTO referral_transactions (referrer_id, payment_id, kind, bonus_days, dedupe_key, created_at)
                 SELECT u.referred_by, p.id, ?2, ?3, ?2 || ':' || u.referred_by, ?4
                 FROM payments p JOIN users u ON u.id = p.user_id
                 WHERE p.idempotency_key = ?1 AND p.status = 'completed' AND u.referred_by IS NOT NULL
                   AND EXISTS (SELECT 1 FROM referral_transactions t WHERE t.payment_id = p.id
                                 AND t.kind = 'first_payment' AND t.reversed_at IS NULL)
                   AND (SELECT count(*) FROM referral_transactions t WHERE t.referrer_id = u.referred_by
                          AND t.kind = 'first_payment' AND t.reversed_at IS NULL) >= ?5
                 ON CONFLICT (dedupe_key) DO NOTHING",
                payment_key,
                kind,
                days,
                now,
                at
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
        let sql = crate::sql!(
            "SELECT o.public_id FROM referral_transactions t JOIN orders o ON o.id = t.order_id
                   JOIN payments p ON p.id = t.payment_id
                   WHERE p.idempotency_key = ?1 AND o.status = 'paid'"
        );
        let rows: Vec<PublicId> = all(&self.db, &stmt!(sql, payment_key)).await?;
        Ok(rows.into_iter().map(|r| r.public_id).collect())
    }

    pub(super) async fn reverse_rewards(
        &self,
        order_public_id: &str,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        // 1. The first-payment rewards of the refunded order's payments no longer count (their
        //    dedupe keys freed).
        let firsts = stmt!(
            "UPDATE referral_transactions SET reversed_at = ?2, dedupe_key = dedupe_key || ':reversed:' || id
             WHERE reversed_at IS NULL AND kind = 'first_payment' AND payment_id IN (
                 SELECT p.id FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?1)",
            order_public_id,
            now
        );
        // 2. Milestones of those referrers that the live count no longer reaches (a milestone the
        //    count still reaches stays, whichever payment completed it).
        let milestones = stmt!(
            "UPDATE referral_transactions SET reversed_at = ?2, dedupe_key = dedupe_key || ':reversed:' || id
             WHERE reversed_at IS NULL AND kind LIKE 'milestone_%'
               AND referrer_id IN (SELECT t.referrer_id FROM referral_transactions t
                                   JOIN payments p ON p.id = t.payment_id JOIN orders o ON o.id = p.order_id
                                   WHERE o.public_id = ?1 AND t.kind = 'first_payment')
               AND CAST(substr(kind, 11) AS INTEGER) >
                   (SELECT count(*) FROM referral_transactions l WHERE l.referrer_id = referral_transactions.referrer_id
                      AND l.kind = 'first_payment' AND l.reversed_at IS NULL)",
            order_public_id,
            now
        );
        // 3. Their bonus orders are refunded: the refund rule takes back what reached the panel.
        let refund_orders = stmt!(
            "UPDATE orders SET status = 'refunded', refunded_at = ?1, updated_at = ?1
             WHERE kind = 'bonus' AND status IN ('paid', 'provisioned')
               AND id IN (SELECT order_id FROM referral_transactions WHERE reversed_at IS NOT NULL AND order_id IS NOT NULL)",
            now
        );
        self.db.batch(&[firsts, milestones, refund_orders]).await?;
        let sql = crate::sql!("SELECT b.public_id FROM orders b JOIN referral_transactions t ON t.order_id = b.id
                   WHERE t.reversed_at IS NOT NULL AND b.status = 'refunded' AND b.reverted_at IS NULL
                     AND t.referrer_id IN (SELECT t2.referrer_id FROM referral_transactions t2
                                           JOIN payments p ON p.id = t2.payment_id JOIN orders o ON o.id = p.order_id
                                           WHERE o.public_id = ?1 AND t2.kind = 'first_payment')");
        let rows: Vec<PublicId> = all(&self.db, &stmt!(sql, order_public_id)).await?;
        Ok(rows.into_iter().map(|r| r.public_id).collect())
    }

    /// The safety net of the hourly cron: payments refunded whose rewards still count (their
    /// reversal failed after the refund was recorded), and referred users' first payments
    /// without a reward (the grant failed after the payment was recorded), from the last
    /// `since` seconds; at most `limit` of each.
    pub(super) async fn unsettled_rewards(
        &self,
        since: i64,
        limit: u32,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        #[derive(Deserialize)]
        struct Key {
            key: String,
        }
        let refunded = crate::sql!(
            "SELECT DISTINCT o.public_id AS key FROM referral_transactions t
                        JOIN payments p ON p.id = t.payment_id JOIN orders o ON o.id = p.order_id
                        WHERE t.reversed_at IS NULL AND t.kind = 'first_payment' AND p.status = 'refunded'
                        LIMIT ?1"
        );
        let ungranted = crate::sql!(
            "SELECT p.idempotency_key AS key FROM payments p JOIN users u ON u.id = p.user_id
                         JOIN users r ON r.id = u.referred_by
                         WHERE p.status = 'completed' AND p.created_at >= ?2
                           AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.user_id = u.id AND q.id < p.id
                                             AND q.status IN ('completed', 'refunded'))
                           AND NOT EXISTS (SELECT 1 FROM referral_transactions t WHERE t.payment_id = p.id)
                         LIMIT ?1"
        );
        let refunded: Vec<Key> = all(&self.db, &stmt!(refunded, limit)).await?;
        let ungranted: Vec<Key> = all(&self.db, &stmt!(ungranted, limit, since)).await?;
        Ok((refunded.into_iter().map(|k| k.key).collect(), ungranted.into_iter().map(|k| k.key).collect()))
    }

    pub(super) async fn rewards_waiting(&self, order_public_id: &str) -> Result<Vec<String>, StoreError> {
        let sql = crate::sql!(
            "SELECT b.public_id FROM orders o JOIN orders b ON b.user_id = o.user_id
                   WHERE o.public_id = ?1 AND b.kind = 'bonus' AND b.status = 'paid' AND b.id <> o.id"
        );
        let rows: Vec<PublicId> = all(&self.db, &stmt!(sql, order_public_id)).await?;
        Ok(rows.into_iter().map(|r| r.public_id).collect())
    }
}
