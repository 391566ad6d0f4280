//! Broadcasts in SQL ([`BroadcastStore`]).

use serde::Deserialize;
use serde_json::json;

use crate::db::{all, first, Db};
use crate::shop::broadcast::{Audience, Broadcast, BroadcastStore, Counts, Message, Progress, SendResult};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

/// SQL: the language a user reads (their choice, else Telegram's, as `Locale::resolve` maps it).
macro_rules! user_locale {
    () => {
        "COALESCE(u.locale, CASE lower(substr(u.language_code, 1, 2))
            WHEN 'ru' THEN 'ru' WHEN 'hi' THEN 'hi' WHEN 'id' THEN 'id' WHEN 'in' THEN 'id' ELSE 'en' END)"
    };
}

impl<D: Db> BroadcastStore for SqlStore<D> {
    async fn create_broadcast(&self, admin: i64, message: &Message, now: i64) -> Result<i64, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
        }
        let (label, url) = match &message.button {
            Some((label, url)) => (Some(label.as_str()), Some(url.as_str())),
            None => (None, None),
        };
        let sql = crate::sql!(
            "INSERT INTO broadcasts (admin_telegram_id, text, button_label, button_url, created_at)
                   VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"
        );
        let row: Option<Row> =
            first(&self.db, &stmt!(sql, admin, message.text.as_str(), label, url, now)).await?;
        let id = row.ok_or_else(|| StoreError::invalid("the broadcast was not created"))?.id;
        self.audit(
            &format!("admin:{admin}"),
            "broadcast.drafted",
            &format!("broadcast:{id}"),
            json!({}),
            now,
        )
        .await?;
        Ok(id)
    }

    async fn broadcast(&self, id: i64) -> Result<Option<Broadcast>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            admin_telegram_id: i64,
            text: String,
            button_label: Option<String>,
            button_url: Option<String>,
            audience: String,
            locale: Option<String>,
            status: String,
            control_chat_id: Option<i64>,
            control_message_id: Option<i64>,
            started_at: Option<i64>,
            paused_until: Option<i64>,
        }
        let sql = crate::sql!("SELECT id, admin_telegram_id, text, button_label, button_url, audience, locale, status,
                          control_chat_id, control_message_id, started_at, paused_until FROM broadcasts WHERE id = ?1");
        let row: Option<Row> = first(&self.db, &stmt!(sql, id)).await?;
        Ok(row.map(|r| Broadcast {
            id: r.id,
            admin: r.admin_telegram_id,
            message: Message { text: r.text, button: r.button_label.zip(r.button_url) },
            audience: Audience::parse(&r.audience).unwrap_or_default(),
            locale: r.locale,
            status: r.status,
            // A broadcast started from the web console has no control message (id 0).
            control: r.control_chat_id.zip(r.control_message_id.filter(|id| *id > 0)),
            started_at: r.started_at,
            paused_until: r.paused_until,
        }))
    }

    async fn set_broadcast_filter(
        &self,
        id: i64,
        audience: Audience,
        locale: Option<&str>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE broadcasts SET audience = ?2, locale = ?3 WHERE id = ?1 AND status = 'draft'";
        Ok(self.db.run(&stmt!(sql, id, audience.code(), locale)).await? == 1)
    }

    async fn broadcast_counts(&self, locale: Option<&str>, now: i64) -> Result<Counts, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            all_users: i64,
            active: Option<i64>,
            expired: Option<i64>,
            never_paid: Option<i64>,
        }
        let sql = concat!(
            "SELECT count(*) AS all_users,
                    sum(u.expires_at > ?2) AS active,
                    sum(u.expires_at <= ?2) AS expired,
                    sum(NOT ",
            has_purchases!("u.id"),
            ") AS never_paid
             FROM users u WHERE u.is_blocked = 0 AND (?1 IS NULL OR ",
            user_locale!(),
            " = ?1)"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, locale, now)).await?;
        Ok(row
            .map(|r| Counts {
                all: r.all_users,
                active: r.active.unwrap_or(0),
                expired: r.expired.unwrap_or(0),
                never_paid: r.never_paid.unwrap_or(0),
            })
            .unwrap_or_default())
    }

    async fn start_broadcast(
        &self,
        id: i64,
        control: (i64, i64),
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        // Snapshot (only while a draft, with the draft's own filter), then the state change;
        // one transaction.
        let snapshot = stmt!(
            concat!(
                "INSERT INTO broadcast_recipients (broadcast_id, user_id, telegram_id)
                 SELECT b.id, u.id, u.telegram_id FROM broadcasts b JOIN users u
                 WHERE b.id = ?1 AND b.status = 'draft' AND u.is_blocked = 0
                   AND (b.locale IS NULL OR ",
                user_locale!(),
                " = b.locale)
                   AND CASE b.audience
                     WHEN 'active' THEN u.expires_at > ?2
                     WHEN 'expired' THEN u.expires_at <= ?2
                     WHEN 'never_paid' THEN NOT ",
                has_purchases!("u.id"),
                " ELSE 1 END
                 ON CONFLICT DO NOTHING"
            ),
            id,
            now
        );
        let start = stmt!(
            "UPDATE broadcasts SET status = 'sending', started_at = ?2, touched_at = ?2, control_chat_id = ?3,
                 control_message_id = ?4,
                 total = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = ?1)
             WHERE id = ?1 AND status = 'draft'",
            id,
            now,
            control.0,
            control.1
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'admin:' || CAST(admin_telegram_id AS TEXT), 'broadcast.sent', 'broadcast:' || id,
                    json_object('before', json_object('status', 'draft'),
                                'after', json_object('status', 'sending', 'audience', audience, 'locale', locale,
                                                     'recipients', total)), ?2
             FROM broadcasts WHERE id = ?1 AND status = 'sending' AND started_at = ?2
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = ?3 AND action = 'broadcast.sent')",
            id,
            now,
            // Built here and bound as text: D1 binds numbers as floats ('broadcast:' || 7.0).
            format!("broadcast:{id}")
        );
        let changes = self.db.batch(&[snapshot, start, audit]).await?;
        if changes.get(1) != Some(&1) {
            return Ok(None);
        }
        #[derive(Deserialize)]
        struct Row {
            total: i64,
        }
        let row: Option<Row> =
            first(&self.db, &stmt!("SELECT total FROM broadcasts WHERE id = ?1", id)).await?;
        Ok(row.map(|r| r.total))
    }

    async fn cancel_broadcast(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        let cancel = stmt!(
            "UPDATE broadcasts SET status = 'cancelled', finished_at = ?2 WHERE id = ?1 AND status = 'draft'",
            id,
            now
        );
        let audit = stmt!(
            "INSERT INTO audit_log (actor, action, subject, details, created_at)
             SELECT 'admin:' || CAST(admin_telegram_id AS TEXT), 'broadcast.cancelled', 'broadcast:' || id,
                    json_object('before', json_object('status', 'draft'), 'after', json_object('status', 'cancelled')), ?2
             FROM broadcasts WHERE id = ?1 AND status = 'cancelled' AND finished_at = ?2
               AND NOT EXISTS (SELECT 1 FROM audit_log WHERE subject = ?3 AND action = 'broadcast.cancelled')",
            id,
            now,
            format!("broadcast:{id}")
        );
        let changes = self.db.batch(&[cancel, audit]).await?;
        Ok(changes.first() == Some(&1))
    }

    async fn claim_recipients(&self, id: i64, limit: u32, now: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            user_id: i64,
            telegram_id: i64,
        }
        let sql = crate::sql!(
            "UPDATE broadcast_recipients SET status = 'claimed', claimed_at = ?3
                   WHERE broadcast_id = ?1 AND status = 'pending' AND user_id IN (
                       SELECT user_id FROM broadcast_recipients WHERE broadcast_id = ?1 AND status = 'pending'
                       ORDER BY user_id LIMIT ?2)
                   RETURNING user_id, telegram_id"
        );
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, id, limit, now)).await?;
        Ok(rows.into_iter().map(|r| (r.user_id, r.telegram_id)).collect())
    }

    async fn record_sends(&self, id: i64, results: &[(i64, SendResult)], now: i64) -> Result<(), StoreError> {
        let ids = |wanted: SendResult| {
            json!(results.iter().filter(|(_, r)| *r == wanted).map(|(u, _)| *u).collect::<Vec<i64>>())
                .to_string()
        };
        let mark = |status: &str, wanted: SendResult| {
            stmt!(
                "UPDATE broadcast_recipients SET status = ?3, done_at = ?4
                 WHERE broadcast_id = ?1 AND status = 'claimed' AND user_id IN (SELECT value FROM json_each(?2))",
                id,
                ids(wanted),
                status,
                now
            )
        };
        let release = stmt!(
            "UPDATE broadcast_recipients SET status = 'pending', claimed_at = NULL
             WHERE broadcast_id = ?1 AND status = 'claimed' AND user_id IN (SELECT value FROM json_each(?2))",
            id,
            ids(SendResult::Released)
        );
        let touched = stmt!("UPDATE broadcasts SET touched_at = ?2 WHERE id = ?1", id, now);
        let blocked_users = stmt!(
            "UPDATE users SET is_blocked = 1, updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
            ids(SendResult::Blocked),
            now
        );
        self.db
            .batch(&[
                mark("sent", SendResult::Sent),
                mark("blocked", SendResult::Blocked),
                mark("failed", SendResult::Failed),
                release,
                blocked_users,
                touched,
            ])
            .await?;
        Ok(())
    }

    async fn broadcast_progress(&self, id: i64) -> Result<Progress, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            status: String,
            n: i64,
        }
        let sql =
            "SELECT status, count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ?1 GROUP BY status";
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, id)).await?;
        let mut p = Progress::default();
        for r in rows {
            p.total += r.n;
            match r.status.as_str() {
                "sent" => p.sent = r.n,
                "blocked" => p.blocked = r.n,
                "failed" => p.failed = r.n,
                "pending" => p.pending = r.n,
                _ => p.claimed += r.n,
            }
        }
        Ok(p)
    }

    async fn finish_broadcast(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        let sql = crate::sql!("UPDATE broadcasts SET status = 'done', finished_at = ?2
                   WHERE id = ?1 AND status = 'sending'
                     AND NOT EXISTS (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ?1 AND status = 'pending')");
        Ok(self.db.run(&stmt!(sql, id, now)).await? == 1)
    }

    async fn stalled_broadcasts(&self, before: i64) -> Result<Vec<i64>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
        }
        let sql = "SELECT id FROM broadcasts WHERE status = 'sending' AND touched_at < ?1 LIMIT 10";
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, before)).await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    async fn pause_broadcast(&self, id: i64, until: i64) -> Result<(), StoreError> {
        self.db.run(&stmt!("UPDATE broadcasts SET paused_until = ?2 WHERE id = ?1", id, until)).await?;
        Ok(())
    }
}
