//! The `notices` ledger's SQL ([`NoticeStore`]): claims in one batch, each with the job that
//! delivers it, and the hourly sweep for claims whose job was lost.

use serde::Deserialize;

use crate::db::{all, first, Db, Statement};
use crate::shop::ports::Job;
use crate::shop::reminders::{DueReminder, NoticeClaim, NoticeStore};
use crate::shop::store::StoreError;
use crate::stmt;

use super::SqlStore;

impl<D: Db> NoticeStore for SqlStore<D> {
    async fn due_reminders(
        &self,
        now: i64,
        reminder_hours: &[u32],
        since: i64,
        limit: u32,
    ) -> Result<Vec<DueReminder>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            telegram_id: i64,
            expires_at: i64,
            period_start: Option<i64>,
        }
        let within = i64::from(reminder_hours.iter().copied().max().unwrap_or(0)) * 3600;
        let hours = serde_json::to_string(reminder_hours).map_err(StoreError::invalid)?;
        // The notice due: expired, or the tightest reminder window it is in (24 h inside 72 h).
        let sql = crate::sql!("SELECT u.id, u.telegram_id, u.expires_at,
                          (SELECT max(s.starts_at) FROM subscriptions s WHERE s.user_id = u.id
                             AND s.status = 'active' AND s.expires_at = u.expires_at) AS period_start
                   FROM users u
                   WHERE u.expires_at BETWEEN ?1 - ?3 AND ?1 + ?2 AND u.is_blocked = 0
                     AND COALESCE(u.panel_status, '') <> 'DELETED'
                     AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.user_id = u.id AND n.period = u.expires_at
                                       AND n.kind = CASE WHEN u.expires_at <= ?1 THEN 'expired'
                                                         ELSE 'expiring_' || (SELECT min(h.value) FROM json_each(?5) h
                                                                              WHERE u.expires_at - ?1 <= h.value * 3600)
                                                    END)
                   ORDER BY u.expires_at <= ?1, u.expires_at LIMIT ?4");
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, now, within, since, limit, hours)).await?;
        Ok(rows
            .into_iter()
            .map(|r| DueReminder {
                user_id: r.id,
                telegram_id: r.telegram_id,
                expires_at: r.expires_at,
                period_start: r.period_start,
            })
            .collect())
    }

    async fn period_start(&self, user_id: i64, expires_at: i64) -> Result<Option<i64>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            start: Option<i64>,
        }
        let sql = crate::sql!(
            "SELECT max(starts_at) AS start FROM subscriptions
                   WHERE user_id = ?1 AND status = 'active' AND expires_at = ?2"
        );
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id, expires_at)).await?;
        Ok(row.and_then(|r| r.start))
    }

    async fn claim_notices(&self, claims: &[NoticeClaim], now: i64) -> Result<Vec<bool>, StoreError> {
        let mut statements = Vec::with_capacity(claims.len());
        for claim in claims {
            let job = match &claim.job {
                Some(job) => Some(serde_json::to_string(job).map_err(StoreError::invalid)?),
                None => None,
            };
            // Nothing to send is done at once.
            let done_at = claim.job.is_none().then_some(now);
            statements.push(stmt!(
                "INSERT INTO notices (user_id, kind, period, created_at, job, queued_at, done_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)
                 ON CONFLICT (user_id, kind, period) DO NOTHING",
                claim.user_id,
                claim.kind.as_str(),
                claim.period,
                now,
                job,
                done_at
            ));
        }
        Ok(self.db.batch(&statements).await?.into_iter().map(|n| n == 1).collect())
    }

    async fn release_notices(&self, claims: &[NoticeClaim]) -> Result<(), StoreError> {
        let statements: Vec<Statement> = claims
            .iter()
            .map(|c| {
                stmt!(
                    "DELETE FROM notices WHERE user_id = ?1 AND kind = ?2 AND period = ?3",
                    c.user_id,
                    c.kind.as_str(),
                    c.period
                )
            })
            .collect();
        if !statements.is_empty() {
            self.db.batch(&statements).await?;
        }
        Ok(())
    }

    async fn notice_done(&self, user_id: i64, kind: &str, period: i64) -> Result<bool, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            done: i64,
        }
        let sql = "SELECT done_at IS NOT NULL AS done FROM notices WHERE user_id = ?1 AND kind = ?2 AND period = ?3";
        let row: Option<Row> = first(&self.db, &stmt!(sql, user_id, kind, period)).await?;
        Ok(row.is_some_and(|r| r.done == 1))
    }

    async fn finish_notice(&self, user_id: i64, kind: &str, period: i64, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE notices SET done_at = ?4 WHERE user_id = ?1 AND kind = ?2 AND period = ?3 AND done_at IS NULL";
        self.db.run(&stmt!(sql, user_id, kind, period, now)).await?;
        Ok(())
    }

    async fn take_lost_notices(
        &self,
        queued_before: i64,
        claimed_since: i64,
        now: i64,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            job: String,
        }
        let sql = crate::sql!("UPDATE notices SET queued_at = ?3
                   WHERE rowid IN (SELECT rowid FROM notices
                                   WHERE done_at IS NULL AND job IS NOT NULL AND queued_at < ?1 AND created_at >= ?2
                                   ORDER BY queued_at LIMIT ?4)
                   RETURNING job");
        let rows: Vec<Row> = all(&self.db, &stmt!(sql, queued_before, claimed_since, now, limit)).await?;
        // A row this version cannot read is left out rather than failing the others.
        Ok(rows.into_iter().filter_map(|r| serde_json::from_str(&r.job).ok()).collect())
    }
}
